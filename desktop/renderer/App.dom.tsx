import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { AppEvent, AppState } from '../shared/api.std.js';
import { PRODUCT_NAME } from '../shared/i18n/locales.std.js';
import type { KindredApi, LinkState } from './bridge.dom.js';
import { useText } from './i18n/LanguageProvider.dom.js';
import {
  Announcer,
  ChangeTracker,
  ServicesContext,
  describeError,
  useAnnouncement,
  type KindredServices,
} from './kindredContext.dom.js';
import { closeBrowserNotifications } from './notifications.dom.js';
import { CrisisHelp, GetHelpButton } from './crisis/CrisisHelp.dom.js';
import { FirstRunScreen } from './onboarding/FirstRunScreen.dom.js';
import { UnlockScreen } from './onboarding/UnlockScreen.dom.js';
import { WelcomeFrame } from './onboarding/WelcomeFrame.dom.js';
import { useQuickExitShortcut } from './quickExit.dom.js';
import { Shell, type AlertNotice } from './shell/Shell.dom.js';

/** Input restarts main's idle-lock clock; telling it once in this while is enough. */
const ACTIVITY_INTERVAL_MS = 30_000;

/** The whole window: the link to the vault's process, the phase, quick exit and the live region. */
export function App({ api }: { api: KindredApi }) {
  const text = useText();
  const services = useMemo<KindredServices>(
    () => ({ api, changes: new ChangeTracker(), announcer: new Announcer() }),
    [api],
  );
  const [state, setState] = useState<AppState | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [link, setLink] = useState<LinkState>(api.linkState);
  const [exited, setExited] = useState(false);
  const [alerts, setAlerts] = useState<readonly AlertNotice[]>([]);
  const alertSerial = useRef(0);
  /** The vault was made in this window just now: greet a newcomer, not someone coming back. */
  const [newcomer, setNewcomer] = useState(false);

  const refreshState = useCallback(() => {
    api.call('app.state', {}).then(
      (fresh) => {
        setState(fresh);
        setLoadError(undefined);
      },
      (error: unknown) => {
        setLoadError(describeError(error));
      },
    );
  }, [api]);

  useEffect(() => {
    refreshState();
  }, [refreshState]);

  useEffect(
    () =>
      api.onLinkState((next) => {
        setLink(next);
        if (next === 'open') {
          // Anything may have happened while the link was down (a lock, new messages).
          refreshState();
          services.changes.markEverythingChanged();
        }
      }),
    [api, refreshState, services],
  );

  useEffect(
    () =>
      api.onEvent((event: AppEvent) => {
        services.changes.applyEvent(event);
        switch (event.type) {
          case 'locked':
            setState((previous) =>
              previous === undefined ? previous : { ...previous, phase: 'locked' },
            );
            break;
          case 'connection':
            setState((previous) =>
              previous === undefined ? previous : { ...previous, online: event.online },
            );
            break;
          case 'alert':
            alertSerial.current += 1;
            setAlerts((previous) => [...previous, { ...event, serial: alertSerial.current }]);
            break;
          case 'changed':
          case 'lists-changed':
          case 'notify':
            // Handled by the change tracker above and by the shell (notifications).
            break;
        }
      }),
    [api, services],
  );

  const quickExit = useCallback(() => {
    // Blank the page before anything else, synchronously: the call below may take a moment.
    flushSync(() => {
      setExited(true);
    });
    document.title = '';
    api.call('app.quickExit', {}).catch(() => {
      // The page is already blank; main locks the vault on its own idle timer if this failed.
    });
  }, [api]);
  useQuickExitShortcut(quickExit, state?.escapeTwiceLocks === true);

  const unlocked = state?.phase === 'unlocked' && !exited;
  useActivityPings(api, unlocked);
  useLayoutEffect(() => {
    if (unlocked) return;
    // Locked (or hidden): nothing read from the vault may stay behind — not in the live region
    // a screen reader can still reach, not in alerts, notifications or the title.
    services.announcer.clear();
    setAlerts([]);
    setNewcomer(false);
    closeBrowserNotifications();
    if (!exited) document.title = PRODUCT_NAME;
  }, [unlocked, exited, services]);

  const leaveNeutralScreen = () => {
    document.title = PRODUCT_NAME;
    setExited(false);
    refreshState();
  };

  let content;
  if (exited) {
    content = <NeutralScreen onLeave={leaveNeutralScreen} />;
  } else if (link === 'no-token' || link === 'unauthorized') {
    content = (
      <WelcomeFrame title={text('app.cannotReach')}>
        <p className="lead">
          {link === 'no-token' ? text('app.noToken') : text('app.unauthorized')}
        </p>
      </WelcomeFrame>
    );
  } else if (state === undefined) {
    content = (
      <WelcomeFrame
        title={loadError === undefined ? text('app.opening') : text('app.notAnswering')}
      >
        {loadError !== undefined && (
          <>
            <p className="lead">{loadError}</p>
            <button type="button" className="button button-primary" onClick={refreshState}>
              {text('app.tryAgain')}
            </button>
          </>
        )}
      </WelcomeFrame>
    );
  } else if (state.phase === 'first-run') {
    content = (
      <FirstRunScreen
        state={state}
        onState={setState}
        onCreated={() => {
          setNewcomer(true);
        }}
      />
    );
  } else if (state.phase === 'locked') {
    content = <UnlockScreen onState={setState} />;
  } else {
    content = (
      <Shell
        state={state}
        onState={setState}
        alerts={alerts}
        onDismissAlert={(serial) => {
          setAlerts((previous) => previous.filter((alert) => alert.serial !== serial));
        }}
        onQuickExit={quickExit}
        newcomer={newcomer}
      />
    );
  }

  return (
    <ServicesContext value={services}>
      {!exited && link === 'reconnecting' && (
        <div className="link-banner" role="status">
          {text('app.reconnecting')}
        </div>
      )}
      <CrisisHelp>
        {content}
        {/* The shell has it in its top bar; the neutral screen of a quick exit shows nothing. */}
        {!exited && !unlocked && <GetHelpButton floating />}
      </CrisisHelp>
      {!exited && <LiveRegion />}
    </ServicesContext>
  );
}

/** Where short news is read out to screen readers ("New message from Bo"). */
function LiveRegion() {
  const announcement = useAnnouncement();
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {announcement.text === '' ? null : <span key={announcement.serial}>{announcement.text}</span>}
    </div>
  );
}

/**
 * What quick exit leaves on screen: nothing that says what this app is. A click or Enter brings
 * back the (locked) app.
 */
function NeutralScreen({ onLeave }: { onLeave: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      className="neutral-screen"
      onClick={onLeave}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') onLeave();
      }}
      tabIndex={-1}
    />
  );
}

/** Tells main about input (keys, pointer, wheel) at most once per {@link ACTIVITY_INTERVAL_MS}. */
function useActivityPings(api: KindredApi, active: boolean): void {
  useEffect(() => {
    if (!active) return undefined;
    let last = 0;
    const onInput = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_INTERVAL_MS) return;
      last = now;
      api.call('app.activity', {}).catch(() => {
        // A missed ping only means the idle lock may come a little early.
      });
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
    for (const name of events) window.addEventListener(name, onInput, { passive: true });
    return () => {
      for (const name of events) window.removeEventListener(name, onInput);
    };
  }, [api, active]);
}
