import { useEffect, useId, useState, type ChangeEvent, type SubmitEvent } from 'react';
import type { AppState, BackupProtectionView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import {
  RECOVERY_KEY_CHARACTERS,
  RECOVERY_KEY_GROUPS,
  readTypedRecoveryKey,
} from '../../shared/recoveryKeyText.std.js';
import { ApiCallError } from '../bridge.dom.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import {
  EMPTY_PASSPHRASE,
  NewPassphraseFields,
  passphraseProblem,
  usePassphraseStrength,
  type NewPassphrase,
} from '../components/NewPassphraseFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { describeError, useAction, useApi } from '../kindredContext.dom.js';
import { WelcomeFrame } from '../onboarding/WelcomeFrame.dom.js';
import { stageBackupFile } from './backupFiles.dom.js';
import type { ProgressState } from './TransferProgress.dom.js';
import { TransferProgress, useMainProgress } from './TransferProgress.dom.js';

/** CORE_BACKUP_WRONG_KEY in words that name the secret the file asked for. */
const WRONG_KEY: Readonly<Record<BackupProtectionView, MessageId>> = {
  'recovery-key': 'restore.wrongRecoveryKey',
  passphrase: 'restore.wrongPassphrase',
};

/** The recovery key field's shape: nine groups of four. */
const KEY_SHAPE = Array.from({ length: RECOVERY_KEY_GROUPS }, () => 'XXXX').join('-');

interface StagedBackup {
  readonly stagingId: string;
  readonly name: string;
  readonly protection: BackupProtectionView;
}

/** What the recovery key field says under it, as the key is typed. */
type KeyCheck =
  | { readonly kind: 'typing'; readonly text: string }
  | { readonly kind: 'good' }
  | { readonly kind: 'bad'; readonly text: string };

/**
 * First run → "Restore from a backup" (a new computer): the backup file (sent to main in
 * pieces), its recovery key (tidied and checked as it is typed) or passphrase, and a passphrase
 * for this computer's vault. A wrong key or a damaged file says so in a sentence and keeps the
 * file, so the person can try again.
 */
export function RestoreScreen({
  onState,
  onBack,
}: {
  onState: (state: AppState) => void;
  onBack: () => void;
}) {
  const api = useApi();
  const text = useText();
  const id = useId();
  const [staged, setStaged] = useState<StagedBackup | undefined>(undefined);
  const [reading, setReading] = useState<ProgressState | undefined>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [secret, setSecret] = useState('');
  const [keyCheck, setKeyCheck] = useState<KeyCheck>({ kind: 'typing', text: '' });
  const [passphrase, setPassphrase] = useState<NewPassphrase>(EMPTY_PASSPHRASE);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const strength = usePassphraseStrength(passphrase.passphrase, ['kindred']);
  const action = useAction();
  const restoring = useMainProgress('restore', action.busy);

  // The key's checksum is checked in main once all 36 characters are there.
  useEffect(() => {
    if (staged?.protection !== 'recovery-key') return undefined;
    const typed = readTypedRecoveryKey(secret);
    if (typed.invalid !== undefined) {
      setKeyCheck({
        kind: 'bad',
        text: text('restore.badCharacter', { character: typed.invalid }),
      });
      return undefined;
    }
    if (typed.characters.length < RECOVERY_KEY_CHARACTERS) {
      setKeyCheck({
        kind: 'typing',
        text: text('restore.typed', {
          typed: typed.characters.length,
          total: RECOVERY_KEY_CHARACTERS,
        }),
      });
      return undefined;
    }
    let current = true;
    api.call('backup.checkKey', { key: typed.characters }).then(
      () => {
        if (current) setKeyCheck({ kind: 'good' });
      },
      (error: unknown) => {
        if (current) setKeyCheck({ kind: 'bad', text: describeError(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, secret, staged?.protection, text]);

  const chooseFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    setFileError(undefined);
    setStaged(undefined);
    action.clearError();
    const label = text('restore.reading');
    setReading({ label, done: 0, total: file.size });
    void (async () => {
      try {
        const stagingId = await stageBackupFile(api, file, (done, total) => {
          setReading({ label, done, total });
        });
        const { protection } = await api.call('restore.inspect', { stagingId });
        setStaged({ stagingId, name: file.name, protection });
      } catch (error) {
        setFileError(describeError(error));
      } finally {
        setReading(undefined);
      }
    })();
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (staged === undefined) {
      setProblem(text('restore.chooseFirst'));
      return;
    }
    const found =
      secret.trim() === ''
        ? staged.protection === 'recovery-key'
          ? text('restore.enterKey')
          : text('restore.enterPassphrase')
        : passphraseProblem(text, passphrase, strength);
    setProblem(found);
    if (found !== undefined) return;
    action.run(async () => {
      try {
        onState(
          await api.call('restore.run', {
            stagingId: staged.stagingId,
            secret,
            passphrase: passphrase.passphrase,
          }),
        );
      } catch (error) {
        // The file went away (another window began a restore): it must be chosen again.
        if (ApiCallError.is(error) && error.code === 'DESKTOP_NO_SUCH_TRANSFER') {
          setStaged(undefined);
        }
        // Main cannot tell which secret was asked for; here the sentence can name it.
        if (ApiCallError.is(error) && error.code === 'CORE_BACKUP_WRONG_KEY') {
          throw new ApiCallError(
            { code: error.code, message: text(WRONG_KEY[staged.protection]) },
            { worded: true },
          );
        }
        throw error;
      }
    });
  };

  return (
    <WelcomeFrame title={text('restore.title')}>
      <p className="lead">{text('restore.lead')}</p>
      <form className="form" onSubmit={submit} noValidate aria-label={text('restore.title')}>
        <div className="restore-file">
          <label className="field-label" htmlFor={`${id}-file`}>
            {text('restore.file')}
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".backup,application/octet-stream"
            disabled={action.busy || reading !== undefined}
            aria-describedby={`${id}-file-hint`}
            onChange={chooseFile}
          />
          <p id={`${id}-file-hint`} className="hint">
            {staged === undefined
              ? text('restore.fileHint')
              : text(
                  staged.protection === 'recovery-key'
                    ? 'restore.fileWithKey'
                    : 'restore.fileWithPassphrase',
                  { name: staged.name },
                )}
          </p>
          {reading !== undefined && <TransferProgress progress={reading} />}
          <ErrorText error={fileError} />
        </div>
        {staged?.protection === 'recovery-key' && (
          <div>
            <TextField
              label={text('restore.key')}
              mono
              value={secret}
              autoComplete="off"
              spellCheck={false}
              placeholder={KEY_SHAPE}
              hint={keyCheck.kind === 'typing' ? keyCheck.text : undefined}
              onChange={(value) => {
                const typed = readTypedRecoveryKey(value);
                // A bad character stays in view (the line below names it) until it is fixed.
                setSecret(typed.invalid === undefined ? typed.formatted : value);
              }}
            />
            {keyCheck.kind === 'good' && (
              <p className="status-line status-good" role="status">
                <Icon name="check" />
                <span>{text('restore.keyGood')}</span>
              </p>
            )}
            {keyCheck.kind === 'bad' && (
              <p className="status-line status-bad" role="status">
                <Icon name="warning" />
                <span>{keyCheck.text}</span>
              </p>
            )}
          </div>
        )}
        {staged?.protection === 'passphrase' && (
          <TextField
            label={text('restore.backupPassphrase')}
            type="password"
            autoComplete="off"
            value={secret}
            hint={text('restore.backupPassphraseHint')}
            onChange={setSecret}
          />
        )}
        <NewPassphraseFields
          label={text('restore.newPassphrase')}
          value={passphrase}
          onChange={setPassphrase}
          strength={strength}
        />
        {action.busy && (
          <TransferProgress
            progress={{
              label: text('restore.restoring'),
              done: restoring?.bytes ?? 0,
              ...(restoring?.total === undefined ? {} : { total: restoring.total }),
            }}
          />
        )}
        <ErrorText error={problem ?? action.error} />
        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={action.busy || reading !== undefined}
        >
          {action.busy ? text('restore.restoringNow') : text('restore.restore')}
        </button>
      </form>
      <div className="welcome-switch">
        <button
          type="button"
          className="button button-quiet"
          disabled={action.busy}
          onClick={() => {
            if (staged !== undefined) {
              api.call('restore.discard', { stagingId: staged.stagingId }).catch(() => undefined);
            }
            onBack();
          }}
        >
          {text('restore.someoneNew')}
        </button>
      </div>
    </WelcomeFrame>
  );
}
