import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import type { AppState } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import {
  EMPTY_PASSPHRASE,
  NewPassphraseFields,
  PASSPHRASE_BEING_CHECKED,
  passphraseProblem,
  usePassphraseStrength,
  type NewPassphrase,
} from '../components/NewPassphraseFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { RestoreScreen } from '../backup/RestoreScreen.dom.js';
import { WelcomeFrame } from './WelcomeFrame.dom.js';

/** The first run: a pseudonym, a passphrase for the vault, and the relay to talk through. */
export function FirstRunScreen({
  state,
  onState,
  onCreated,
}: {
  state: AppState;
  onState: (state: AppState) => void;
  /** A new vault was made here (not restored): the window greets a newcomer, not a returner. */
  onCreated?: () => void;
}) {
  const api = useApi();
  const text = useText();
  const [pseudonym, setPseudonym] = useState('');
  const [passphrase, setPassphrase] = useState<NewPassphrase>(EMPTY_PASSPHRASE);
  const [relayUrl, setRelayUrl] = useState(state.relayUrl);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const strength = usePassphraseStrength(passphrase.passphrase, [pseudonym, 'kindred']);
  const action = useAction();
  const [restoring, setRestoring] = useState(false);
  /** "Get started" was pressed before the passphrase was rated: go on once it is. */
  const [waiting, setWaiting] = useState(false);

  const getStarted = () => {
    const found =
      pseudonym.trim() === ''
        ? text('onboarding.pseudonymMissing')
        : relayUrl.trim() === ''
          ? text('onboarding.relayMissing')
          : passphraseProblem(text, passphrase, strength);
    const checking = found === text(PASSPHRASE_BEING_CHECKED);
    setWaiting(checking);
    setProblem(checking ? undefined : found);
    if (found !== undefined) return;
    action.run(async () => {
      const created = await api.call('app.create', {
        pseudonym: pseudonym.trim(),
        passphrase: passphrase.passphrase,
        relayUrl: relayUrl.trim(),
      });
      onCreated?.();
      onState(created);
    });
  };
  const getStartedRef = useRef(getStarted);
  getStartedRef.current = getStarted;
  useEffect(() => {
    if (waiting && strength !== undefined) getStartedRef.current();
  }, [waiting, strength]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    getStarted();
  };

  if (restoring) {
    return (
      <RestoreScreen
        onState={onState}
        onBack={() => {
          setRestoring(false);
        }}
      />
    );
  }

  return (
    <WelcomeFrame title={text('onboarding.welcomeTitle')}>
      <p className="lead">{text('onboarding.welcomeLead')}</p>
      <form className="form" onSubmit={submit} noValidate aria-label={text('onboarding.setUpForm')}>
        <TextField
          label={text('onboarding.pseudonym')}
          value={pseudonym}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          hint={text('onboarding.pseudonymHint')}
          onChange={setPseudonym}
        />
        <NewPassphraseFields
          label={text('onboarding.passphrase')}
          value={passphrase}
          onChange={setPassphrase}
          strength={strength}
        />
        <TextField
          label={text('onboarding.relayAddress')}
          value={relayUrl}
          spellCheck={false}
          autoComplete="off"
          hint={text('onboarding.relayHint')}
          onChange={setRelayUrl}
        />
        <ErrorText error={problem ?? action.error} />
        <p className={waiting ? 'hint' : 'visually-hidden'} role="status">
          {waiting ? text('onboarding.checkingStrength') : ''}
        </p>
        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={action.busy}
          aria-busy={waiting || action.busy}
        >
          {action.busy ? text('onboarding.settingUp') : text('onboarding.getStarted')}
        </button>
      </form>
      <div className="welcome-switch">
        <p className="hint">{text('onboarding.usedBefore')}</p>
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() => {
            setRestoring(true);
          }}
        >
          {text('onboarding.restore')}
        </button>
      </div>
    </WelcomeFrame>
  );
}
