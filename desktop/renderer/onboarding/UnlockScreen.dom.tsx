import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import type { AppState } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { WelcomeFrame } from './WelcomeFrame.dom.js';

/** The vault is locked: one field, the passphrase. */
export function UnlockScreen({ onState }: { onState: (state: AppState) => void }) {
  const api = useApi();
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const action = useAction();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  useEffect(() => {
    // After a wrong passphrase, select it so the next try starts clean.
    if (action.error !== undefined) inputRef.current?.select();
  }, [action.error]);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (passphrase === '') return;
    action.run(async () => {
      const state = await api.call('app.unlock', { passphrase });
      setPassphrase('');
      onState(state);
    });
  };

  return (
    <WelcomeFrame title="Unlock Kindred">
      <p className="lead">
        Your messages are locked on this device. Enter your passphrase to open them.
      </p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-passphrase`}>
            Passphrase
          </label>
          <input
            ref={inputRef}
            id={`${id}-passphrase`}
            className="input"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            aria-invalid={action.error !== undefined}
            onChange={(event) => {
              setPassphrase(event.target.value);
            }}
          />
        </div>
        <ErrorText error={action.error} />
        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={action.busy || passphrase === ''}
        >
          {action.busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </WelcomeFrame>
  );
}
