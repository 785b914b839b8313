import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppEvent, AppState, ConversationId, SearchResultView } from '../../shared/api.std.js';
import { PRODUCT_NAME } from '../../shared/i18n/locales.std.js';
import { notificationWords } from '../../shared/i18n/notificationWords.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { ContactsScreen } from '../contacts/ContactsScreen.dom.js';
import { ConversationPane } from '../conversation/ConversationPane.dom.js';
import { Icon, type IconName } from '../components/Icon.dom.js';
import { GroupScreen } from '../groups/GroupScreen.dom.js';
import { GroupsScreen } from '../groups/GroupsScreen.dom.js';
import { ModerationScreen } from '../groups/ModerationScreen.dom.js';
import { CountBadge, totalPending } from '../groups/ModerationBadge.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import { showBrowserNotification } from '../notifications.dom.js';
import { PersonasScreen } from '../personas/PersonasScreen.dom.js';
import { RequestsScreen } from '../requests/RequestsScreen.dom.js';
import { JournalScreen } from '../journal/JournalScreen.dom.js';
import { SearchDialog } from '../search/SearchDialog.dom.js';
import { GetHelpButton } from '../crisis/CrisisHelp.dom.js';
import { SettingsScreen } from '../settings/SettingsScreen.dom.js';
import { FindCommunityScreen } from '../directory/FindCommunityScreen.dom.js';
import { ListingScreen } from '../directory/ListingScreen.dom.js';
import { AlertBanners, type AlertNotice } from './AlertBanners.dom.js';
import { ChatList } from './ChatList.dom.js';
import { useFocusOnArrival } from './arrivalFocus.dom.js';
import { NavigationContext, useNavigate, type View } from './navigation.dom.js';

export type { AlertNotice } from './AlertBanners.dom.js';

export interface ShellProps {
  readonly state: AppState;
  readonly onState: (state: AppState) => void;
  readonly alerts: readonly AlertNotice[];
  readonly onDismissAlert: (serial: number) => void;
  readonly onQuickExit: () => void;
  /** The vault was just made: "Welcome", not "Welcome back". */
  readonly newcomer?: boolean;
}

const SECTIONS: readonly {
  readonly kind:
    | 'directory'
    | 'contacts'
    | 'groups'
    | 'requests'
    | 'personas'
    | 'moderation'
    | 'settings'
    | 'journal';
  readonly label: MessageId;
  readonly icon: IconName;
}[] = [
  { kind: 'directory', label: 'directory.nav', icon: 'compass' },
  { kind: 'contacts', label: 'shell.contacts', icon: 'contacts' },
  { kind: 'groups', label: 'shell.groups', icon: 'groups' },
  { kind: 'requests', label: 'requests.nav', icon: 'chat' },
  { kind: 'personas', label: 'shell.personas', icon: 'personas' },
  { kind: 'moderation', label: 'shell.moderation', icon: 'shield' },
  { kind: 'settings', label: 'shell.settings', icon: 'settings' },
  { kind: 'journal', label: 'journal.nav', icon: 'edit' },
];

/** The open vault: top bar, chat list, and whatever the main area shows. */
export function Shell({
  state,
  onState,
  alerts,
  onDismissAlert,
  onQuickExit,
  newcomer = false,
}: ShellProps) {
  const api = useApi();
  const text = useText();
  const [view, setView] = useState<View>({ kind: 'home' });
  const mainRef = useRef<HTMLElement>(null);
  const listsRevision = useListsRevision();
  const conversations = useLoad('conversations', listsRevision, () =>
    api.call('conversations.list', {}),
  );
  // Open message requests across the vault's personas: the count on "Requests".
  const requests = useLoad('requests-count', listsRevision, () => api.call('requests.list', {}));
  const lock = useAction();
  const [searching, setSearching] = useState(false);
  const focusSerial = useRef(0);
  useSearchShortcut(() => {
    setSearching(true);
  });
  useFocusOnArrival(conversations.data !== undefined, mainRef);

  const navigate = useCallback((next: View) => {
    setView(next);
  }, []);

  // A new screen (not a new chat, where the composer matters) moves focus to its heading.
  const viewKey = view.kind;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (viewKey === 'conversation') return;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [viewKey]);

  const viewRef = useRef(view);
  viewRef.current = view;
  const stateRef = useRef(state);
  stateRef.current = state;
  // The language in force when a notification arrives, not when the listener was set up.
  const textRef = useRef(text);
  textRef.current = text;
  useEffect(
    () =>
      api.onEvent((event: AppEvent) => {
        if (event.type !== 'notify' || api.inElectron) return;
        if (!stateRef.current.notifications.enabled) return;
        const current = viewRef.current;
        // A request shows in no conversation (its id is the group's, which it never names).
        const watching =
          event.about.kind !== 'message-request' &&
          current.kind === 'conversation' &&
          current.id === event.conversationId &&
          document.visibilityState === 'visible' &&
          document.hasFocus();
        if (watching) return;
        const { title, body } = notificationWords(textRef.current, event.about);
        showBrowserNotification(title, body, event.conversationId, () => {
          // A request has no conversation until accepted: it opens the inbox.
          setView(
            event.about.kind === 'message-request'
              ? { kind: 'requests' }
              : { kind: 'conversation', id: event.conversationId },
          );
        });
      }),
    [api],
  );

  const selectedConversation = view.kind === 'conversation' ? view.id : undefined;
  const summary = conversations.data?.find(
    (conversation) => conversation.id === selectedConversation,
  );

  let content;
  switch (view.kind) {
    case 'home':
      content = <HomePanel pseudonym={state.pseudonym} newcomer={newcomer} />;
      break;
    case 'conversation':
      content =
        summary === undefined ? (
          <HomePanel pseudonym={state.pseudonym} newcomer={newcomer} />
        ) : (
          <ConversationPane
            key={summary.id}
            summary={summary}
            online={state.online}
            focus={view.focus}
          />
        );
      break;
    case 'contacts':
      content = <ContactsScreen />;
      break;
    case 'groups':
      content = <GroupsScreen />;
      break;
    case 'group':
      content = <GroupScreen key={view.id} conversationId={view.id} tab={view.tab} />;
      break;
    case 'moderation':
      content = <ModerationScreen conversationId={view.id} tab={view.tab} />;
      break;
    case 'personas':
      content = <PersonasScreen />;
      break;
    case 'settings':
      content = <SettingsScreen state={state} onState={onState} />;
      break;
    case 'requests':
      content = <RequestsScreen />;
      break;
    case 'journal':
      content = <JournalScreen followLink={view.followLink} />;
      break;
    case 'directory':
      content = <FindCommunityScreen key="directory" initialQuery={view.query} />;
      break;
    case 'listing':
      content = <ListingScreen key={view.groupId} groupId={view.groupId} query={view.query} />;
      break;
  }

  const openConversation = (id: ConversationId) => {
    setView({ kind: 'conversation', id });
  };

  const openResult = (result: SearchResultView) => {
    setSearching(false);
    focusSerial.current += 1;
    setView({
      kind: 'conversation',
      id: result.conversationId,
      focus: { messageId: result.messageId, serial: focusSerial.current },
    });
  };

  return (
    <NavigationContext value={navigate}>
      <div className="app">
        <button
          type="button"
          className="skip-link"
          onClick={() => {
            mainRef.current?.focus();
          }}
        >
          {text('shell.skip')}
        </button>
        <header className="topbar">
          <button
            type="button"
            className="brand brand-button"
            aria-label={text('shell.home')}
            onClick={() => {
              setView({ kind: 'home' });
            }}
          >
            <span className="brand-mark" aria-hidden="true" />
            <span aria-hidden="true">{PRODUCT_NAME}</span>
          </button>
          <nav className="sections" aria-label={text('shell.sections')}>
            <ul>
              {SECTIONS.map((section) => {
                const current =
                  view.kind === section.kind ||
                  (section.kind === 'groups' && view.kind === 'group') ||
                  (section.kind === 'directory' && view.kind === 'listing');
                // What waits for a moderator shows on Groups and on Moderation; open message
                // requests on Requests.
                const counted =
                  section.kind === 'groups' ||
                  section.kind === 'moderation' ||
                  section.kind === 'requests';
                const waiting =
                  section.kind === 'requests'
                    ? (requests.data?.length ?? 0)
                    : counted
                      ? totalPending(conversations.data)
                      : 0;
                const label = text(section.label);
                return (
                  <li key={section.kind}>
                    <button
                      type="button"
                      className={current ? 'section-link section-link-current' : 'section-link'}
                      aria-current={current ? 'page' : undefined}
                      aria-label={
                        waiting <= 0
                          ? undefined
                          : waiting > 99
                            ? text('shell.sectionPendingMany', { section: label })
                            : text('shell.sectionPending', { section: label, count: waiting })
                      }
                      onClick={() => {
                        setView({ kind: section.kind });
                      }}
                    >
                      <Icon name={section.icon} />
                      {label}
                      {counted && <CountBadge count={waiting} />}
                    </button>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="topbar-end">
            <GetHelpButton />
            <button
              type="button"
              className="button button-quiet"
              aria-keyshortcuts="Control+K Control+F"
              title={text('shell.searchTitle')}
              onClick={() => {
                setSearching(true);
              }}
            >
              <Icon name="search" />
              {text('shell.search')}
            </button>
            <span
              className={state.online ? 'status-pill status-online' : 'status-pill status-offline'}
            >
              <span className="status-dot" aria-hidden="true" />
              {state.online ? text('shell.online') : text('shell.offline')}
            </span>
            <button
              type="button"
              className="button button-quiet"
              disabled={lock.busy}
              onClick={() => {
                lock.run(async () => {
                  onState(await api.call('app.lock', {}));
                });
              }}
            >
              <Icon name="lock" />
              {text('shell.lock')}
            </button>
            <button
              type="button"
              className="button quick-exit"
              aria-keyshortcuts="Control+Shift+Q"
              title={
                state.escapeTwiceLocks
                  ? text('shell.quickExitTitleEscape')
                  : text('shell.quickExitTitle')
              }
              onClick={onQuickExit}
            >
              <Icon name="exit" />
              {text('shell.quickExit')}
            </button>
          </div>
        </header>
        {lock.error !== undefined && (
          <p className="banner banner-error" role="alert">
            {lock.error}
          </p>
        )}
        <AlertBanners
          alerts={alerts}
          onDismiss={onDismissAlert}
          onOpen={(id) => {
            openConversation(id);
          }}
        />
        {!state.online && (
          <div className="banner banner-offline" role="status">
            <Icon name="offline" />
            <span>{text('shell.offlineBanner')}</span>
          </div>
        )}
        <div className="workspace">
          <ChatList
            conversations={conversations.data}
            error={conversations.error}
            selected={selectedConversation}
            onSelect={openConversation}
          />
          <main id="main" ref={mainRef} tabIndex={-1} className="main">
            {content}
          </main>
        </div>
        {searching && (
          <SearchDialog
            onClose={() => {
              setSearching(false);
            }}
            onChoose={openResult}
          />
        )}
      </div>
    </NavigationContext>
  );
}

/** Ctrl+K or Ctrl+F (Cmd on a Mac) anywhere in the open vault opens the search. */
function useSearchShortcut(onSearch: () => void): void {
  const onSearchRef = useRef(onSearch);
  onSearchRef.current = onSearch;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key !== 'k' && key !== 'f' && event.code !== 'KeyK' && event.code !== 'KeyF') return;
      event.preventDefault();
      onSearchRef.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);
}

function HomePanel({ pseudonym, newcomer }: { pseudonym: string | undefined; newcomer: boolean }) {
  const text = useText();
  const greeting =
    pseudonym === undefined
      ? text(newcomer ? 'shell.welcome' : 'shell.welcomeBack')
      : text(newcomer ? 'shell.welcomeName' : 'shell.welcomeBackName', { pseudonym });
  return (
    <section className="home" aria-labelledby="home-title">
      <div className="home-card">
        <span className="brand-mark brand-mark-large" aria-hidden="true" />
        <h1 id="home-title" tabIndex={-1}>
          {greeting}
        </h1>
        <p className="lead">{text('shell.homeLead')}</p>
        <HomeActions />
      </div>
    </section>
  );
}

function HomeActions() {
  const navigate = useNavigate();
  const text = useText();
  return (
    <div className="home-actions">
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          navigate({ kind: 'directory' });
        }}
      >
        <Icon name="compass" />
        {text('directory.nav')}
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          navigate({ kind: 'contacts' });
        }}
      >
        <Icon name="contacts" />
        {text('shell.inviteContact')}
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          navigate({ kind: 'groups' });
        }}
      >
        <Icon name="groups" />
        {text('shell.createGroup')}
      </button>
    </div>
  );
}
