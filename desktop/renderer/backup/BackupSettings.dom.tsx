import { useId, useState, type SubmitEvent } from 'react';
import type { BackupMadeView, BackupProtectionView } from '../../shared/api.std.js';
import {
  RECOVERY_KEY_CHARACTERS,
  RECOVERY_KEY_GROUPS,
  recoveryKeyGroup,
} from '../../shared/recoveryKeyText.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { formatSize } from '../i18n/sizes.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { downloadBackup } from './backupFiles.dom.js';
import type { ProgressState } from './TransferProgress.dom.js';
import { TransferProgress, useMainProgress } from './TransferProgress.dom.js';

type Step =
  | { readonly kind: 'choose' }
  | { readonly kind: 'key'; readonly made: BackupMadeView; readonly key: string }
  | {
      readonly kind: 'confirm';
      readonly made: BackupMadeView;
      readonly key: string;
      readonly groups: readonly [number, number];
    }
  | { readonly kind: 'done'; readonly made: BackupMadeView };

/**
 * Settings → Back up: what a backup holds, the choice of lock (a recovery key, shown once and
 * confirmed by retyping two of its groups; or the passphrase, with its trade-off), and the file:
 * saved where the person chose (Electron) or downloaded (a browser on the dev host).
 */
export function BackupSettings() {
  const api = useApi();
  const text = useText();
  const id = useId();
  const announce = useAnnounce();
  const action = useAction();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [protection, setProtection] = useState<BackupProtectionView>('recovery-key');
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [download, setDownload] = useState<ProgressState | undefined>(undefined);
  const written = useMainProgress('backup', action.busy);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const found = passphrase === '' ? text('backup.needPassphrase') : undefined;
    setProblem(found);
    if (found !== undefined) return;
    action.run(async () => {
      const made = await api.call('backup.create', { protection, passphrase });
      setPassphrase('');
      if (made.saved === 'cancelled') {
        announce(text('backup.notMade'));
        return;
      }
      if (made.saved === 'download') {
        await downloadBackup(api, made, (done, total) => {
          setDownload({ label: text('backup.saving'), done, total });
        });
        setDownload(undefined);
      }
      if (made.recoveryKey === undefined) {
        setStep({ kind: 'done', made });
        announce(text('backup.made'));
      } else {
        setStep({ kind: 'key', made, key: made.recoveryKey });
        announce(text('backup.madeWriteKey'));
      }
    });
  };

  return (
    <section className="card backup-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('backup.title')}</h2>
      <p className="hint">{text('backup.intro')}</p>
      {step.kind === 'choose' && (
        <form
          className="form form-narrow"
          onSubmit={submit}
          noValidate
          aria-label={text('backup.make')}
        >
          <fieldset className="fieldset">
            <legend className="field-label">{text('backup.lockWith')}</legend>
            <label className="check">
              <input
                type="radio"
                name={`${id}-protection`}
                checked={protection === 'recovery-key'}
                disabled={action.busy}
                onChange={() => {
                  setProtection('recovery-key');
                }}
              />
              {text('backup.withKey')}
            </label>
            <p className="hint nested">
              {text('backup.withKeyHint', { characters: RECOVERY_KEY_CHARACTERS })}
            </p>
            <label className="check">
              <input
                type="radio"
                name={`${id}-protection`}
                checked={protection === 'passphrase'}
                disabled={action.busy}
                onChange={() => {
                  setProtection('passphrase');
                }}
              />
              {text('backup.withPassphrase')}
            </label>
            <p className="hint nested">{text('backup.withPassphraseHint')}</p>
          </fieldset>
          <TextField
            label={text('backup.yourPassphrase')}
            type="password"
            autoComplete="current-password"
            value={passphrase}
            disabled={action.busy}
            hint={text('backup.yourPassphraseHint')}
            onChange={setPassphrase}
          />
          {action.busy && (
            <TransferProgress
              progress={
                download ?? {
                  label: text('backup.writing'),
                  done: written?.bytes ?? 0,
                }
              }
            />
          )}
          <ErrorText error={problem ?? action.error} />
          <button type="submit" className="button button-primary" disabled={action.busy}>
            {action.busy ? text('backup.making') : text('backup.make')}
          </button>
        </form>
      )}
      {step.kind === 'key' && (
        <RecoveryKeyShown
          made={step.made}
          recoveryKey={step.key}
          inElectron={api.inElectron}
          onWritten={() => {
            setStep({ ...step, kind: 'confirm', groups: twoGroups() });
          }}
        />
      )}
      {step.kind === 'confirm' && (
        <RecoveryKeyConfirm
          recoveryKey={step.key}
          groups={step.groups}
          onBack={() => {
            setStep({ kind: 'key', made: step.made, key: step.key });
          }}
          onConfirmed={() => {
            // The key leaves the window's memory here: it is never shown again.
            setStep({ kind: 'done', made: step.made });
            announce(text('backup.keyConfirmed'));
          }}
        />
      )}
      {step.kind === 'done' && (
        <div className="backup-done">
          <p className="status-line status-good" role="status">
            <Icon name="check" />
            <span>
              {[
                savedWhere(text, step.made, api.inElectron),
                text('backup.holds', {
                  records: step.made.records,
                  size: formatSize(text, step.made.bytes),
                }),
              ].join(' ')}
            </span>
          </p>
          <p className="hint">
            {step.made.protection === 'recovery-key'
              ? text('backup.keepApart')
              : text('backup.opensWithPassphrase')}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setStep({ kind: 'choose' });
            }}
          >
            {text('backup.another')}
          </button>
        </div>
      )}
      <h3 className="backup-restore-title">{text('backup.restoreTitle')}</h3>
      <p className="hint">{text('backup.restoreHint')}</p>
    </section>
  );
}

function savedWhere(text: TextOf, made: BackupMadeView, inElectron: boolean): string {
  if (made.saved === 'file' || inElectron) return text('backup.savedAs', { file: made.fileName });
  return text('backup.savedAsDownload', { file: made.fileName });
}

/** The key, once: large, selectable, with Copy, and the way on to "I wrote it down". */
function RecoveryKeyShown({
  made,
  recoveryKey,
  inElectron,
  onWritten,
}: {
  made: BackupMadeView;
  recoveryKey: string;
  inElectron: boolean;
  onWritten: () => void;
}) {
  const id = useId();
  const text = useText();
  const [copied, setCopied] = useState<boolean | undefined>(undefined);
  return (
    <div className="recovery-key-panel">
      <p className="status-line status-good">
        <Icon name="check" />
        <span>{savedWhere(text, made, inElectron)}</span>
      </p>
      <label className="field-label" htmlFor={`${id}-key`}>
        {text('backup.yourKey')}
      </label>
      <input
        id={`${id}-key`}
        className="input mono recovery-key"
        readOnly
        value={recoveryKey}
        spellCheck={false}
        aria-describedby={`${id}-note`}
        onFocus={(event) => {
          event.currentTarget.select();
        }}
      />
      <p id={`${id}-note`} className="hint">
        {text('backup.keyNote')}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            navigator.clipboard.writeText(recoveryKey).then(
              () => {
                setCopied(true);
              },
              () => {
                setCopied(false);
              },
            );
          }}
        >
          <Icon name={copied === true ? 'check' : 'copy'} />
          {copied === true ? text('backup.copied') : text('backup.copyKey')}
        </button>
        <button type="button" className="button button-primary" onClick={onWritten}>
          {text('backup.wroteIt')}
        </button>
      </div>
      {copied === false && <p className="hint">{text('backup.copyFailed')}</p>}
      {copied === true && <p className="hint">{text('backup.copiedNote')}</p>}
    </div>
  );
}

/** Two groups of the key, typed again from the paper: proof it was written down right. */
function RecoveryKeyConfirm({
  recoveryKey,
  groups,
  onBack,
  onConfirmed,
}: {
  recoveryKey: string;
  groups: readonly [number, number];
  onBack: () => void;
  onConfirmed: () => void;
}) {
  const text = useText();
  const [first, second] = groups;
  const [typed, setTyped] = useState<readonly [string, string]>(['', '']);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const wrong = groups.filter(
      (group, index) =>
        recoveryKeyGroup(typed[index] ?? '', 1) !== recoveryKeyGroup(recoveryKey, group),
    );
    if (wrong.length > 0) {
      const [one, other] = wrong;
      setProblem(
        other === undefined
          ? text('backup.groupWrong', { group: one })
          : text('backup.groupsWrong', { first: one, second: other }),
      );
      return;
    }
    onConfirmed();
  };
  return (
    <form
      className="form form-narrow"
      onSubmit={submit}
      noValidate
      aria-label={text('backup.checkKey')}
    >
      <p className="hint">{text('backup.checkKeyHint', { groups: RECOVERY_KEY_GROUPS })}</p>
      <div className="field-row">
        <TextField
          label={text('backup.groupField', { group: first })}
          mono
          value={typed[0]}
          maxLength={4}
          autoComplete="off"
          spellCheck={false}
          onChange={(value) => {
            setTyped([value, typed[1]]);
            setProblem(undefined);
          }}
        />
        <TextField
          label={text('backup.groupField', { group: second })}
          mono
          value={typed[1]}
          maxLength={4}
          autoComplete="off"
          spellCheck={false}
          onChange={(value) => {
            setTyped([typed[0], value]);
            setProblem(undefined);
          }}
        />
      </div>
      <ErrorText error={problem} />
      <div className="button-row">
        <button type="button" className="button" onClick={onBack}>
          {text('backup.showAgain')}
        </button>
        <button type="submit" className="button button-primary">
          {text('backup.confirm')}
        </button>
      </div>
    </form>
  );
}

/** Two different groups of the key's nine, in order, at random. */
function twoGroups(): readonly [number, number] {
  const random = new Uint32Array(2);
  crypto.getRandomValues(random);
  const first = ((random[0] ?? 0) % RECOVERY_KEY_GROUPS) + 1;
  let second = ((random[1] ?? 0) % (RECOVERY_KEY_GROUPS - 1)) + 1;
  if (second >= first) second += 1;
  return first < second ? [first, second] : [second, first];
}
