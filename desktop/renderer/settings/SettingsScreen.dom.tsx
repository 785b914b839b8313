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
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { BackupSettings } from '../backup/BackupSettings.dom.js';
import { AppearanceSettings } from './AppearanceSettings.dom.js';
import { CrisisSettings } from '../crisis/CrisisSettings.dom.js';
import {
  askNotificationPermission,
  notificationPermission,
  type NotificationPermissionState,
} from '../notifications.dom.js';

/** The idle-lock choices offered, in minutes (0: never). */
const IDLE_CHOICES: readonly number[] = [0, 1, 5, 10, 15, 30, 60, 240];

/** "Never", "After 5 minutes", "After 1 hour" (the offered whole hours read as hours). */
function idleLabel(text: TextOf, minutes: number): string {
  if (minutes === 0) return text('settings.idleNever');
  if (minutes >= 60 && minutes % 60 === 0 && IDLE_CHOICES.includes(minutes)) {
    return text('settings.idleHours', { hours: minutes / 60 });
  }
  return text('settings.idleMinutes', { minutes });
}

/** The proxy address Tor listens on, shown as an example. */
const PROXY_SHAPE = 'socks5://127.0.0.1:9050';

/** Lock, notifications, theme, relay, proxy, passphrase, and backups. */
export function SettingsScreen({
  state,
  onState,
}: {
  state: AppState;
  onState: (state: AppState) => void;
}) {
  const text = useText();
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{text('settings.title')}</h1>
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
      <CrisisSettings />
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
  const text = useText();
  return (
    <>
      <CheckboxField
        label={text('settings.escapeTwice')}
        checked={state.escapeTwiceLocks}
        disabled={action.busy}
        aria-describedby="escape-twice-hint"
        onChange={(escapeTwiceLocks) => {
          action.run(async () => {
            onState(await api.call('settings.update', { escapeTwiceLocks }));
            announce(text(escapeTwiceLocks ? 'settings.escapeTwiceOn' : 'settings.escapeTwiceOff'));
          });
        }}
      />
      <p id="escape-twice-hint" className="hint">
        {text('settings.escapeTwiceHint')}
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
  const text = useText();
  const choices = IDLE_CHOICES.includes(state.idleLockMinutes)
    ? IDLE_CHOICES
    : [...IDLE_CHOICES, state.idleLockMinutes].sort((a, b) => a - b);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.lock')}</h2>
      <SelectField
        label={text('settings.lockWhenIdle')}
        value={state.idleLockMinutes}
        disabled={action.busy}
        hint={text('settings.lockHint')}
        onChange={(value) => {
          const idleLockMinutes = Number(value);
          action.run(async () => {
            onState(await api.call('settings.update', { idleLockMinutes }));
            announce(text('settings.lockSaved'));
          });
        }}
      >
        {choices.map((minutes) => (
          <option key={minutes} value={minutes}>
            {idleLabel(text, minutes)}
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
  const text = useText();
  const [permission, setPermission] = useState<NotificationPermissionState>(
    api.inElectron ? 'granted' : notificationPermission(),
  );
  const update = (notifications: AppState['notifications']) => {
    action.run(async () => {
      onState(await api.call('settings.update', { notifications }));
      announce(text('settings.notificationSaved'));
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.notifications')}</h2>
      <CheckboxField
        label={text('settings.notify')}
        checked={state.notifications.enabled}
        disabled={action.busy}
        onChange={(enabled) => {
          update({ ...state.notifications, enabled });
        }}
      />
      <CheckboxField
        label={text('settings.showText')}
        checked={state.notifications.showText}
        disabled={action.busy || !state.notifications.enabled}
        aria-describedby={`${id}-text-hint`}
        onChange={(showText) => {
          update({ ...state.notifications, showText });
        }}
      />
      <p id={`${id}-text-hint`} className="hint">
        {text('settings.showTextHint')}
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
              {text('settings.allowNotifications')}
            </button>
          )}
          {permission === 'denied' && (
            <p className="hint">{text('settings.notificationsBlocked')}</p>
          )}
          {permission === 'unsupported' && (
            <p className="hint">{text('settings.notificationsUnsupported')}</p>
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
  const text = useText();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (relayUrl.trim() === '') return;
    action.run(async () => {
      onState(await api.call('settings.update', { relayUrl: relayUrl.trim() }));
      announce(text('settings.relaySaved'));
    });
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.relay')}</h2>
      <form className="form form-inline" onSubmit={submit}>
        <TextField
          label={text('settings.relayAddress')}
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
          {text('settings.saveRelay')}
        </button>
      </form>
      <p id={`${id}-hint`} className="hint">
        {text(state.online ? 'settings.relayHintOnline' : 'settings.relayHintOffline')}
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
  const text = useText();
  const save = (next: string) => {
    action.run(async () => {
      onState(await api.call('settings.update', { proxy: next }));
      announce(text(next === '' ? 'settings.proxyRemoved' : 'settings.proxySaved'));
    });
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save(proxy.trim());
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.proxy')}</h2>
      <form className="form form-inline" onSubmit={submit}>
        <TextField
          label={text('settings.socksProxy')}
          layout="grow"
          mono
          value={proxy}
          placeholder={PROXY_SHAPE}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
          onChange={setProxy}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || proxy.trim() === state.proxy}
        >
          {text(proxy.trim() === '' ? 'settings.connectDirectly' : 'settings.saveProxy')}
        </button>
      </form>
      <p id={`${id}-hint`} className="hint">
        {text(state.proxy === '' ? 'settings.proxyHintNone' : 'settings.proxyHintSet')}
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
      current === '' ? text('settings.enterCurrent') : passphraseProblem(text, next, strength);
    setProblem(found);
    setDone(false);
    if (found !== undefined) return;
    action.run(async () => {
      await api.call('settings.changePassphrase', { current, next: next.passphrase });
      setCurrent('');
      setNext(EMPTY_PASSPHRASE);
      setDone(true);
      announce(text('settings.passphraseChanged'));
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.changePassphrase')}</h2>
      <form className="form form-narrow" onSubmit={submit} noValidate>
        <TextField
          label={text('settings.currentPassphrase')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <NewPassphraseFields
          label={text('settings.newPassphrase')}
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
            {text('settings.passphraseChangedStatus')}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('settings.changePassphrase')}
        </button>
      </form>
    </section>
  );
}
