import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import type { AppState } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { WelcomeFrame } from './WelcomeFrame.dom.js';

/** The vault is locked: one field, the passphrase. */
export function UnlockScreen({ onState }: { onState: (state: AppState) => void }) {
  const api = useApi();
  const text = useText();
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
    <WelcomeFrame title={text('onboarding.unlockTitle')}>
      <p className="lead">{text('onboarding.unlockLead')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-passphrase`}>
            {text('onboarding.passphrase')}
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
          {action.busy ? text('onboarding.unlocking') : text('onboarding.unlock')}
        </button>
      </form>
    </WelcomeFrame>
  );
}
