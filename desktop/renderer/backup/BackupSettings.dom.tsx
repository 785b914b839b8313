import { useId, useState, type SubmitEvent } from 'react';
import type { BackupMadeView, BackupProtectionView } from '../../shared/api.std.js';
import { RECOVERY_KEY_GROUPS, recoveryKeyGroup } from '../../shared/recoveryKeyText.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { downloadBackup } from './backupFiles.dom.js';
import type { ProgressState } from './TransferProgress.dom.js';
import { TransferProgress, formatBytes, useMainProgress } from './TransferProgress.dom.js';

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
    const found = passphrase === '' ? 'Enter your passphrase to make a backup.' : undefined;
    setProblem(found);
    if (found !== undefined) return;
    action.run(async () => {
      const made = await api.call('backup.create', { protection, passphrase });
      setPassphrase('');
      if (made.saved === 'cancelled') {
        announce('No backup was made.');
        return;
      }
      if (made.saved === 'download') {
        await downloadBackup(api, made, (done, total) => {
          setDownload({ label: 'Saving the backup', done, total });
        });
        setDownload(undefined);
      }
      if (made.recoveryKey === undefined) {
        setStep({ kind: 'done', made });
        announce('Backup made.');
      } else {
        setStep({ kind: 'key', made, key: made.recoveryKey });
        announce('Backup made. Write down your recovery key now.');
      }
    });
  };

  return (
    <section className="card backup-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Back up</h2>
      <p className="hint">
        A backup is one encrypted file holding everything in Kindred on this computer: every
        persona, contact, group and message, and the keys to them. With it you can carry on from a
        new computer if this one is lost.
      </p>
      {step.kind === 'choose' && (
        <form className="form form-narrow" onSubmit={submit} noValidate aria-label="Make a backup">
          <fieldset className="fieldset">
            <legend className="field-label">Lock the backup with</legend>
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
              A recovery key (recommended)
            </label>
            <p className="hint nested">
              Kindred makes a new key of 36 characters and shows it once. Write it on paper and keep
              it away from the file: nobody can open the backup without it, not even you.
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
              My passphrase
            </label>
            <p className="hint nested">
              Nothing new to keep, but anyone who gets the file and knows or guesses your passphrase
              has everything, and a stolen file can be guessed at for as long as the thief likes.
              Choose this only with a long passphrase.
            </p>
          </fieldset>
          <TextField
            label="Your passphrase"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            disabled={action.busy}
            hint="Asked again so that an open window alone cannot copy everything."
            onChange={setPassphrase}
          />
          {action.busy && (
            <TransferProgress
              progress={
                download ?? {
                  label: 'Writing the backup',
                  done: written?.bytes ?? 0,
                }
              }
            />
          )}
          <ErrorText error={problem ?? action.error} />
          <button type="submit" className="button button-primary" disabled={action.busy}>
            {action.busy ? 'Making the backup…' : 'Make a backup'}
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
            announce('Recovery key confirmed. Your backup is ready.');
          }}
        />
      )}
      {step.kind === 'done' && (
        <div className="backup-done">
          <p className="status-line status-good" role="status">
            <Icon name="check" />
            <span>
              {savedWhere(step.made, api.inElectron)} It holds {step.made.records} records (
              {formatBytes(step.made.bytes)}).
            </span>
          </p>
          <p className="hint">
            {step.made.protection === 'recovery-key'
              ? 'Keep the file and the paper with your recovery key in different places.'
              : 'It opens with the passphrase you use now, even after you change it here.'}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setStep({ kind: 'choose' });
            }}
          >
            Make another backup
          </button>
        </div>
      )}
      <h3 className="backup-restore-title">Restore</h3>
      <p className="hint">
        Kindred restores a backup only into a new, empty home folder, never over the vault you use
        now. On a new computer, or after starting Kindred with a new home folder, choose “Restore
        from a backup” on its first screen.
      </p>
    </section>
  );
}

function savedWhere(made: BackupMadeView, inElectron: boolean): string {
  if (made.saved === 'file' || inElectron) return `Backup saved as ${made.fileName}.`;
  return `Backup saved as ${made.fileName} in your browser’s downloads folder.`;
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
  const [copied, setCopied] = useState<boolean | undefined>(undefined);
  return (
    <div className="recovery-key-panel">
      <p className="status-line status-good">
        <Icon name="check" />
        <span>{savedWhere(made, inElectron)}</span>
      </p>
      <label className="field-label" htmlFor={`${id}-key`}>
        Your recovery key
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
        This is the only time Kindred shows it: it is stored nowhere. Write it down now. Without it
        the backup cannot be opened; with it and the file, anyone can read everything.
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
          {copied === true ? 'Copied' : 'Copy key'}
        </button>
        <button type="button" className="button button-primary" onClick={onWritten}>
          I wrote it down
        </button>
      </div>
      {copied === false && <p className="hint">Copying did not work here: write it down.</p>}
      {copied === true && (
        <p className="hint">
          A copied key stays on the clipboard: paste it somewhere safe, then copy something else.
        </p>
      )}
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
      setProblem(
        `That does not match group ${wrong.join(' and ')} of your key. Look at what you wrote down, or show the key again.`,
      );
      return;
    }
    onConfirmed();
  };
  return (
    <form className="form form-narrow" onSubmit={submit} noValidate aria-label="Check your key">
      <p className="hint">
        Without looking at the screen, type two groups of four from what you wrote down. Groups are
        counted from the left, 1 to {RECOVERY_KEY_GROUPS}.
      </p>
      <div className="field-row">
        <TextField
          label={`Group ${first} of your key`}
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
          label={`Group ${second} of your key`}
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
          Show the key again
        </button>
        <button type="submit" className="button button-primary">
          Confirm
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
