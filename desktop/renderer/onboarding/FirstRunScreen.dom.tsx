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
        ? 'Choose a pseudonym: the name others will see.'
        : relayUrl.trim() === ''
          ? 'Enter the relay address.'
          : passphraseProblem(passphrase, strength);
    setWaiting(found === PASSPHRASE_BEING_CHECKED);
    setProblem(found === PASSPHRASE_BEING_CHECKED ? undefined : found);
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
    <WelcomeFrame title="Welcome to Kindred">
      <p className="lead">
        A quiet place to talk with people who understand. Nobody here needs your real name: you
        choose a pseudonym, and everything you write is encrypted on this device.
      </p>
      <form className="form" onSubmit={submit} noValidate aria-label="Set up Kindred">
        <TextField
          label="Pseudonym"
          value={pseudonym}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          hint="The name others see. Avoid your real name or anything that could identify you."
          onChange={setPseudonym}
        />
        <NewPassphraseFields
          label="Passphrase"
          value={passphrase}
          onChange={setPassphrase}
          strength={strength}
        />
        <TextField
          label="Relay address"
          value={relayUrl}
          spellCheck={false}
          autoComplete="off"
          hint={
            <>
              The relay carries your encrypted messages. It cannot read them. Keep the address your
              community gave you.
            </>
          }
          onChange={setRelayUrl}
        />
        <ErrorText error={problem ?? action.error} />
        <p className={waiting ? 'hint' : 'visually-hidden'} role="status">
          {waiting ? 'Checking how strong the passphrase is; Kindred goes on by itself.' : ''}
        </p>
        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={action.busy}
          aria-busy={waiting || action.busy}
        >
          {action.busy ? 'Setting up…' : 'Get started'}
        </button>
      </form>
      <div className="welcome-switch">
        <p className="hint">Used Kindred before, on a computer you no longer have?</p>
        <button
          type="button"
          className="button"
          disabled={action.busy}
          onClick={() => {
            setRestoring(true);
          }}
        >
          Restore from a backup
        </button>
      </div>
    </WelcomeFrame>
  );
}
