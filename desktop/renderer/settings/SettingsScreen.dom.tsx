import { useId, useState, type SubmitEvent } from 'react';
import type { AppState } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { CheckboxField, SelectField, TextField } from '../components/FormFields.dom.js';
import {
  EMPTY_PASSPHRASE,
  NewPassphraseFields,
  passphraseProblem,
  usePassphraseStrength,
  type NewPassphrase,
} from '../components/NewPassphraseFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { BackupSettings } from '../backup/BackupSettings.dom.js';
import { AppearanceSettings } from './AppearanceSettings.dom.js';
import {
  askNotificationPermission,
  notificationPermission,
  type NotificationPermissionState,
} from '../notifications.dom.js';

const IDLE_CHOICES: readonly { readonly minutes: number; readonly label: string }[] = [
  { minutes: 0, label: 'Never' },
  { minutes: 1, label: 'After 1 minute' },
  { minutes: 5, label: 'After 5 minutes' },
  { minutes: 10, label: 'After 10 minutes' },
  { minutes: 15, label: 'After 15 minutes' },
  { minutes: 30, label: 'After 30 minutes' },
  { minutes: 60, label: 'After 1 hour' },
  { minutes: 240, label: 'After 4 hours' },
];

/** Lock, notifications, theme, relay, proxy, passphrase, and backups. */
export function SettingsScreen({
  state,
  onState,
}: {
  state: AppState;
  onState: (state: AppState) => void;
}) {
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Settings</h1>
      </header>
      <div className="screen-columns">
        <LockSettings state={state} onState={onState} />
        <NotificationSettings state={state} onState={onState} />
      </div>
      <AppearanceSettings />
      <RelaySettings state={state} onState={onState} />
      <ProxySettings state={state} onState={onState} />
      <ChangePassphrase pseudonym={state.pseudonym ?? ''} />
      <BackupSettings />
    </div>
  );
}

/** Escape twice as a quick exit: off by default, since Escape is how people close things. */
function EscapeTwiceSetting({
  state,
  onState,
  action,
}: SettingsProps & { action: ReturnType<typeof useAction> }) {
  const api = useApi();
  const announce = useAnnounce();
  return (
    <>
      <CheckboxField
        label="Escape twice locks"
        checked={state.escapeTwiceLocks}
        disabled={action.busy}
        aria-describedby="escape-twice-hint"
        onChange={(escapeTwiceLocks) => {
          action.run(async () => {
            onState(await api.call('settings.update', { escapeTwiceLocks }));
            announce(
              escapeTwiceLocks
                ? 'Escape twice now locks Kindred.'
                : 'Escape twice no longer locks.',
            );
          });
        }}
      />
      <p id="escape-twice-hint" className="hint">
        Pressing Escape twice quickly, with nothing open to close, is then a quick exit too.
      </p>
    </>
  );
}

interface SettingsProps {
  readonly state: AppState;
  readonly onState: (state: AppState) => void;
}

function LockSettings({ state, onState }: SettingsProps) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const action = useAction();
  const choices = IDLE_CHOICES.some((choice) => choice.minutes === state.idleLockMinutes)
    ? IDLE_CHOICES
    : [
        ...IDLE_CHOICES,
        { minutes: state.idleLockMinutes, label: `After ${state.idleLockMinutes} minutes` },
      ].sort((a, b) => a.minutes - b.minutes);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Lock</h2>
      <SelectField
        label="Lock when idle"
        value={state.idleLockMinutes}
        disabled={action.busy}
        hint={
          <>
            Kindred locks itself when you have not used it for this long. Quick exit (its button, or
            Ctrl+Shift+Q) hides and locks it at once.
          </>
        }
        onChange={(value) => {
          const idleLockMinutes = Number(value);
          action.run(async () => {
            onState(await api.call('settings.update', { idleLockMinutes }));
            announce('Lock setting saved.');
          });
        }}
      >
        {choices.map((choice) => (
          <option key={choice.minutes} value={choice.minutes}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      <EscapeTwiceSetting state={state} onState={onState} action={action} />
      <ErrorText error={action.error} />
    </section>
  );
}

function NotificationSettings({ state, onState }: SettingsProps) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const action = useAction();
  const [permission, setPermission] = useState<NotificationPermissionState>(
    api.inElectron ? 'granted' : notificationPermission(),
  );
  const update = (notifications: AppState['notifications']) => {
    action.run(async () => {
      onState(await api.call('settings.update', { notifications }));
      announce('Notification setting saved.');
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Notifications</h2>
      <CheckboxField
        label="Notify me about new messages"
        checked={state.notifications.enabled}
        disabled={action.busy}
        onChange={(enabled) => {
          update({ ...state.notifications, enabled });
        }}
      />
      <CheckboxField
        label="Show the message text in notifications"
        checked={state.notifications.showText}
        disabled={action.busy || !state.notifications.enabled}
        aria-describedby={`${id}-text-hint`}
        onChange={(showText) => {
          update({ ...state.notifications, showText });
        }}
      />
      <p id={`${id}-text-hint`} className="hint">
        Off by default: a notification can be read over your shoulder or on a locked screen. It then
        only says which contact wrote. A group’s notification never shows the group’s name, which
        can say what you live with: it reads “New group message”.
      </p>
      {!api.inElectron && state.notifications.enabled && permission !== 'granted' && (
        <div className="permission">
          {permission === 'default' && (
            <button
              type="button"
              className="button"
              onClick={() => {
                void askNotificationPermission().then(setPermission);
              }}
            >
              Allow notifications in this browser
            </button>
          )}
          {permission === 'denied' && (
            <p className="hint">This browser blocks notifications from this page.</p>
          )}
          {permission === 'unsupported' && (
            <p className="hint">This browser cannot show notifications.</p>
          )}
        </div>
      )}
      <ErrorText error={action.error} />
    </section>
  );
}

function RelaySettings({ state, onState }: SettingsProps) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [relayUrl, setRelayUrl] = useState(state.relayUrl);
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (relayUrl.trim() === '') return;
    action.run(async () => {
      onState(await api.call('settings.update', { relayUrl: relayUrl.trim() }));
      announce('Relay address saved.');
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Relay</h2>
      <form className="form form-inline" onSubmit={submit}>
        <TextField
          label="Relay address"
          layout="grow"
          mono
          value={relayUrl}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={setRelayUrl}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || relayUrl.trim() === '' || relayUrl.trim() === state.relayUrl}
        >
          Save relay
        </button>
      </form>
      <p id={`${id}-hint`} className="hint">
        The relay carries encrypted messages between you and others. It cannot read them.
        {state.online ? ' Connected now.' : ' Not connected now.'}
      </p>
      <ErrorText error={action.error} />
    </section>
  );
}

function ProxySettings({ state, onState }: SettingsProps) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [proxy, setProxy] = useState(state.proxy);
  const action = useAction();
  const save = (next: string) => {
    action.run(async () => {
      onState(await api.call('settings.update', { proxy: next }));
      announce(next === '' ? 'Proxy removed.' : 'Proxy saved.');
    });
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save(proxy.trim());
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Proxy</h2>
      <form className="form form-inline" onSubmit={submit}>
        <TextField
          label="SOCKS5 proxy"
          layout="grow"
          mono
          value={proxy}
          placeholder="socks5://127.0.0.1:9050"
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={setProxy}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || proxy.trim() === state.proxy}
        >
          {proxy.trim() === '' ? 'Connect directly' : 'Save proxy'}
        </button>
      </form>
      <p id={`${id}-hint`} className="hint">
        {state.proxy === ''
          ? 'None: all your personas connect from this device’s internet address, so the relay can tell they share it, even though each has its own keys and connects at its own random times. '
          : 'Each persona connects through the proxy with its own credentials, so Tor gives each its own route. '}
        With Tor running, enter socks5://127.0.0.1:9050 (Tor Browser: port 9150).
      </p>
      <ErrorText error={action.error} />
    </section>
  );
}

function ChangePassphrase({ pseudonym }: { pseudonym: string }) {
  const text = useText();
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState<NewPassphrase>(EMPTY_PASSPHRASE);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);
  const strength = usePassphraseStrength(next.passphrase, [pseudonym, 'kindred']);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const found =
      current === '' ? 'Enter your current passphrase.' : passphraseProblem(text, next, strength);
    setProblem(found);
    setDone(false);
    if (found !== undefined) return;
    action.run(async () => {
      await api.call('settings.changePassphrase', { current, next: next.passphrase });
      setCurrent('');
      setNext(EMPTY_PASSPHRASE);
      setDone(true);
      announce('Passphrase changed.');
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Change passphrase</h2>
      <form className="form form-narrow" onSubmit={submit} noValidate>
        <TextField
          label="Current passphrase"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <NewPassphraseFields
          label="New passphrase"
          value={next}
          onChange={(value) => {
            setNext(value);
            setDone(false);
          }}
          strength={strength}
        />
        <ErrorText error={problem ?? action.error} />
        {done && (
          <p className="status-line status-good" role="status">
            Your passphrase is changed. Use the new one next time you unlock.
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={action.busy}>
          Change passphrase
        </button>
      </form>
    </section>
  );
}
