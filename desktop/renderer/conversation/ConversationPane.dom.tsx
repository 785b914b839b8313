import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type {
  ConversationSummary,
  GroupView,
  MemberView,
  MessageView,
} from '../../shared/api.std.js';
import { SafetyNumberDialog } from '../contacts/SafetyNumberDialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { insideLayer } from '../components/openLayers.dom.js';
import { formatDuration, formatFullTime, formatMessageTime } from '../formatting.dom.js';
import {
  describeError,
  useAnnounce,
  useApi,
  useChangeTracker,
  useConversationRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { useIntl } from 'react-intl';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { groupStandingId } from '../shell/ChatList.dom.js';
import { useNavigate, type MessageFocus } from '../shell/navigation.dom.js';
import { useConversationFiles } from './attachmentDrop.dom.js';
import { Composer } from './Composer.dom.js';
import { GroupAboutDrawer } from './GroupAboutDrawer.dom.js';
import { useMarkOpenGroup } from '../crisis/openGroup.dom.js';
import { MessageItem, type MessageActions, type MessageModeration } from './MessageItem.dom.js';
import { ModerateMessageDialog, ReportDialog } from './MessageDialogs.dom.js';
import { MessageActionDialogs } from './MessageActionDialogs.dom.js';
import { DisappearingControl } from './DisappearingControl.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';
import { TopicBar } from '../topics/TopicBar.dom.js';
import { ThreadPanel } from '../topics/ThreadPanel.dom.js';
import { TopicPaneDialogs } from '../topics/TopicPaneDialogs.dom.js';
import { useGroupTopics } from '../topics/useGroupTopics.dom.js';
import { withDayDividers } from '../scheduledChat/messageEntries.dom.js';
import { promptKey, useScheduledPrompts } from '../scheduledChat/useScheduledPrompts.dom.js';
import { useAnswerChoice } from '../scheduledChat/AnswerPicker.dom.js';
import { PromptItem } from '../scheduledChat/PromptItem.dom.js';
import { TranscriptButton } from '../scheduledChat/Transcript.dom.js';

type PaneDialog =
  | { readonly kind: 'report'; readonly message: MessageView }
  | { readonly kind: 'moderate'; readonly message: MessageView; readonly action: MessageModeration }
  | { readonly kind: 'safety' }
  | { readonly kind: 'deleteForEveryone' | 'pickReaction'; readonly message: MessageView };

/** A space between two inline parts (kept out of JSX text, which is for translated words). */
const SPACE = ' ';

/** How close to the bottom (px) still counts as "reading the newest messages". */
const STICKY_BOTTOM_PX = 96;

/** One chat: header, pinned messages, the messages, the group's rules at hand, the composer. */
export function ConversationPane({
  summary,
  online,
  focus,
}: {
  summary: ConversationSummary;
  online: boolean;
  /** A search result chosen here: its message is scrolled to, highlighted and focused. */
  focus?: MessageFocus | undefined;
}) {
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const text = useText();
  const intl = useIntl();
  const conversationId = summary.id;
  const isGroup = summary.kind === 'group';
  useMarkOpenGroup(isGroup ? conversationId : undefined);
  const revision = useConversationRevision(conversationId);
  // Messages revealed in this viewing (content warnings): forgotten when the chat closes.
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(() => new Set());
  const messages = useLoad(`messages:${conversationId}`, revision, () =>
    api.call('conversations.messages', {
      conversationId,
      ...(revealed.size === 0 ? {} : { reveal: [...revealed] }),
    }),
  );
  const details = useLoad(isGroup ? `details:${conversationId}` : undefined, revision, () =>
    api.call('groups.details', { conversationId }),
  );
  const group = details.data;
  const status = group?.status ?? summary.groupStatus ?? 'active';
  const members = useLoad(
    isGroup && status === 'active' ? `members:${conversationId}` : undefined,
    revision,
    () => api.call('groups.members', { conversationId }),
  );
  const [replyTo, setReplyTo] = useState<MessageView | undefined>(undefined);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [dialog, setDialog] = useState<PaneDialog | undefined>(undefined);
  const [paneNotice, setPaneNotice] = useState<{ text: string; error: boolean } | undefined>(
    undefined,
  );
  const drawerId = useId();
  const titleId = useId();
  const files = useConversationFiles(api, conversationId);

  const role = group?.role;
  const canModerate = status === 'active' && (role === 'owner' || role === 'moderator');
  // Members start topics too when the group's policy says so (core checks it again).
  const canCreateTopics =
    canModerate || (status === 'active' && group?.policy.membersCreateTopics === true);
  const canReport = isGroup && status === 'active';

  const tell = useCallback(
    (text: string, error = false) => {
      setPaneNotice({ text, error });
      if (!error) announce(text);
    },
    [announce],
  );
  useEffect(() => {
    if (paneNotice === undefined) return undefined;
    const timer = setTimeout(() => {
      setPaneNotice(undefined);
    }, 6000);
    return () => {
      clearTimeout(timer);
    };
  }, [paneNotice]);

  useMarkRead(conversationId, summary.unread);
  useAnnounceIncoming(messages.data, announce);
  const { scrollerRef, onScroll, stickToBottom, holdPosition } = useStickyScroll(messages.data);
  const reloadMessages = messages.reload;
  const found = useFoundMessage(focus, messages.data, holdPosition);

  const actions = useMemo<MessageActions>(
    () => ({
      onReply: (message) => {
        setReplyTo(message);
      },
      onReact: (message, emoji, remove) => {
        api
          .call('conversations.react', {
            conversationId,
            messageId: message.id,
            emoji,
            ...(remove ? { remove: true } : {}),
          })
          .catch((error: unknown) => {
            tell(describeError(error), true);
          });
      },
      onReport: (message) => {
        setDialog({ kind: 'report', message });
      },
      onModerate: (message, action) => {
        setDialog({ kind: 'moderate', message, action });
      },
      onReveal: (message) => {
        setRevealed((shown) => new Set([...shown, message.id]));
        reloadMessages();
      },
      onCover: (message) => {
        setRevealed((shown) => new Set([...shown].filter((id) => id !== message.id)));
        reloadMessages();
      },
      onEdit: (message) => {
        setEditing(message.id);
      },
      onDeleteForEveryone: (message) => {
        setDialog({ kind: 'deleteForEveryone', message });
      },
      onPickReaction: (message) => {
        setDialog({ kind: 'pickReaction', message });
      },
      onCopy: (message) => {
        navigator.clipboard.writeText(message.text).then(
          () => {
            tell(text('conversation.textCopied'));
          },
          () => {
            tell(text('conversation.copyFailed'), true);
          },
        );
      },
    }),
    [api, conversationId, tell, reloadMessages, text],
  );

  const endEdit = useCallback(() => {
    setEditing(undefined);
  }, []);

  const self = members.data?.find((member) => member.self);
  const composerBlock = postingBlock(text, isGroup, status, group, self);
  const canInteract = composerBlock === undefined;
  // Topics and threads (desktop/renderer/topics): the list shows the open topic's messages.
  const topics = useGroupTopics(conversationId, isGroup, revision, messages.data);
  const shown = topics.shown;
  // Scheduled chats (desktop/renderer/scheduledChat): prompts show in General, among its messages.
  const prompts = useScheduledPrompts(conversationId, isGroup, revision);
  const shownPrompts = topics.current === undefined || topics.current.general ? prompts : [];
  const answerChoice = useAnswerChoice(conversationId, canInteract ? prompts : []);
  const postBlock =
    composerBlock ?? (topics.current?.closed === true ? text('topics.closedBlock') : undefined);
  const paneActions = useMemo<MessageActions>(
    () =>
      isGroup
        ? {
            ...actions,
            onOpenThread: topics.openThread,
            onMoveTopic: (message) => {
              topics.ask({ kind: 'move', message });
            },
          }
        : actions,
    [actions, isGroup, topics.openThread, topics.ask],
  );
  const slowModeHint =
    group !== undefined && group.policy.slowModeSeconds > 0 && role === 'member'
      ? text('conversation.slowMode', { duration: formatDuration(group.policy.slowModeSeconds) })
      : undefined;
  const imageWarningHint =
    group?.policy.requireImageWarnings === true ? text('conversation.imageWarnings') : undefined;
  const composerHint =
    [slowModeHint, imageWarningHint].filter((line) => line !== undefined).join(' ') || undefined;

  const standingId = isGroup ? groupStandingId(status) : undefined;
  const standing = standingId === undefined ? undefined : text(standingId);

  return (
    <section
      className={files.dragging ? 'conversation conversation-dropping' : 'conversation'}
      aria-labelledby={titleId}
      {...(composerBlock === undefined ? files.dropHandlers : {})}
      onKeyDown={(event) => {
        // Escape cancels a reply in progress, unless it was closing a dialog or menu here.
        if (event.key !== 'Escape' || replyTo === undefined || event.defaultPrevented) return;
        if (insideLayer(event.target)) return;
        event.preventDefault();
        setReplyTo(undefined);
      }}
    >
      <header className="conversation-header">
        <div className="conversation-heading">
          <h1 id={titleId} tabIndex={-1} className="conversation-title">
            {summary.title}
          </h1>
          <p className="conversation-subtitle">
            {isGroup ? (
              <>
                <span>
                  {intl.formatMessage(
                    { id: 'conversation.appearAs' },
                    { pseudonym: <strong key="pseudonym">{summary.persona.pseudonym}</strong> },
                  )}
                </span>
                {group !== undefined && (
                  <span>
                    {SPACE}
                    {text('conversation.memberCount', {
                      count: group.members,
                      role: role ?? 'member',
                    })}
                  </span>
                )}
              </>
            ) : summary.verified === true ? (
              <span className="status-good">
                <Icon name="verified" /> {text('conversation.verified')}
              </span>
            ) : (
              <span>{text('conversation.notVerified')}</span>
            )}
          </p>
        </div>
        <div className="conversation-actions">
          <DisappearingControl
            conversationId={conversationId}
            revision={revision}
            onNotice={tell}
          />
          {isGroup ? (
            <>
              <button
                type="button"
                className="button"
                aria-expanded={drawerOpen}
                aria-controls={drawerOpen ? drawerId : undefined}
                onClick={() => {
                  setDrawerOpen((open) => !open);
                }}
              >
                <Icon name="info" />
                {text('conversation.rulesAndInfo')}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  navigate({ kind: 'group', id: conversationId, tab: 'members' });
                }}
              >
                <Icon name="groups" />
                {text('conversation.members')}
              </button>
              <TranscriptButton conversationId={conversationId} prompts={prompts} />
            </>
          ) : (
            <button
              type="button"
              className="button"
              title={
                summary.verified === true
                  ? text('conversation.verifiedTitle', { name: summary.title })
                  : undefined
              }
              onClick={() => {
                setDialog({ kind: 'safety' });
              }}
            >
              <Icon name="verified" />
              {summary.verified === true
                ? text('conversation.verified')
                : text('conversation.safetyNumber')}
            </button>
          )}
        </div>
      </header>

      {group !== undefined && group.pinned.length > 0 && <PinnedBar pinned={group.pinned} />}
      {group !== undefined && group.warnings > 0 && (
        <div className="banner banner-warning" role="note">
          <Icon name="warning" />
          <span className="banner-text">
            {text('conversation.relayWarnings', { count: group.warnings })}
          </span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              navigate({ kind: 'group', id: conversationId, tab: 'warnings' });
            }}
          >
            {text('conversation.seeWarnings')}
          </button>
        </div>
      )}

      {isGroup && topics.list.length > 1 && (
        <TopicBar
          group={summary.title}
          topics={topics.list}
          open={topics.open}
          canModerate={canModerate}
          canCreate={canCreateTopics}
          onOpen={topics.openTopic}
          onAction={(action) => {
            topics.ask({ kind: 'topic', action });
          }}
        />
      )}

      <div className="conversation-body">
        <div className="message-scroller" ref={scrollerRef} onScroll={onScroll}>
          <h2 className="visually-hidden">{text('conversation.messagesHeading')}</h2>
          {messages.error !== undefined && messages.data === undefined && (
            <p className="error-text" role="alert">
              {messages.error}
            </p>
          )}
          {shown?.length === 0 && shownPrompts.length === 0 && (
            <p className="empty-conversation">
              {isGroup && topics.current !== undefined && !topics.current.general
                ? text('topics.emptyTopic', { topic: topics.current.name })
                : isGroup
                  ? text('conversation.emptyGroup')
                  : text('conversation.emptyChat', { name: summary.title })}
            </p>
          )}
          {shown !== undefined && shown.length + shownPrompts.length > 0 && (
            <ol
              className="messages"
              aria-label={text('conversation.messagesIn', { name: summary.title })}
            >
              {withDayDividers(shown, text, intl.locale, shownPrompts).map((entry) =>
                entry.kind === 'day' ? (
                  <li key={`day-${entry.label}`} className="day-divider" aria-hidden="true">
                    <span>{entry.label}</span>
                  </li>
                ) : entry.kind === 'prompt' ? (
                  <PromptItem key={promptKey(entry.prompt)} prompt={entry.prompt} />
                ) : (
                  <MessageItem
                    key={entry.message.id}
                    message={entry.message}
                    isGroup={isGroup}
                    canModerate={canModerate}
                    canInteract={canInteract}
                    canReport={canReport}
                    online={online}
                    actions={paneActions}
                    replies={topics.replyCounts.get(entry.message.id) ?? 0}
                    found={entry.message.id === found}
                    conversationId={conversationId}
                    editing={entry.message.id === editing}
                    onEditDone={endEdit}
                  />
                ),
              )}
            </ol>
          )}
        </div>
        {isGroup && topics.thread !== undefined && (
          <ThreadPanel
            conversationId={conversationId}
            root={topics.thread.root}
            replies={topics.thread.replies}
            canModerate={canModerate}
            canReport={canReport}
            online={online}
            actions={actions}
            blocked={postBlock}
            onClose={topics.closeThread}
            onSent={() => {
              messages.reload();
            }}
          />
        )}
        {isGroup && drawerOpen && (
          <GroupAboutDrawer
            id={drawerId}
            group={group}
            pseudonym={summary.persona.pseudonym}
            onClose={() => {
              setDrawerOpen(false);
            }}
            onNewTopic={
              canCreateTopics && topics.list.length <= 1
                ? () => {
                    setDrawerOpen(false);
                    topics.ask({ kind: 'topic', action: 'create' });
                  }
                : undefined
            }
          />
        )}
      </div>

      {paneNotice !== undefined && (
        <p
          className={paneNotice.error ? 'pane-notice pane-notice-error' : 'pane-notice'}
          role={paneNotice.error ? 'alert' : undefined}
        >
          {paneNotice.text}
        </p>
      )}

      {postBlock === undefined ? (
        <Composer
          conversationId={conversationId}
          recipient={
            topics.current === undefined || topics.current.general || topics.current.name === ''
              ? summary.title
              : topics.current.name
          }
          replyTo={replyTo}
          onCancelReply={() => {
            setReplyTo(undefined);
          }}
          hint={composerHint}
          onSent={() => {
            stickToBottom();
            messages.reload();
          }}
          files={files.chosen}
          transfers={files.tracker}
          topic={topics.open}
          answer={answerChoice.tag}
          answerPicker={answerChoice.picker}
        />
      ) : (
        <p className="composer-blocked" role="status">
          <Icon name="info" />
          {standing !== undefined && status !== 'active' && (
            <>{text('conversation.standing', { standing })} </>
          )}
          {postBlock}
        </p>
      )}
      <TopicPaneDialogs
        conversationId={conversationId}
        topics={topics}
        tell={tell}
        onChanged={() => {
          topics.reload();
          messages.reload();
        }}
      />

      {dialog?.kind === 'report' && (
        <ReportDialog
          conversationId={conversationId}
          message={dialog.message}
          onClose={() => {
            setDialog(undefined);
          }}
          onReported={(sentTo) => {
            setDialog(undefined);
            tell(
              sentTo === 0
                ? text('conversation.reportSavedNoModerator')
                : text('conversation.reportSent', { count: sentTo }),
            );
          }}
        />
      )}
      {dialog?.kind === 'moderate' && (
        <ModerateMessageDialog
          conversationId={conversationId}
          message={dialog.message}
          action={dialog.action}
          onClose={() => {
            setDialog(undefined);
          }}
          onDone={(words) => {
            setDialog(undefined);
            tell(words);
            details.reload();
            messages.reload();
          }}
        />
      )}
      <MessageActionDialogs
        conversationId={conversationId}
        dialog={
          dialog?.kind === 'deleteForEveryone' || dialog?.kind === 'pickReaction'
            ? dialog
            : undefined
        }
        onClose={() => {
          setDialog(undefined);
        }}
        onReact={actions.onReact}
      />
      {dialog?.kind === 'safety' && (
        <SafetyNumberDialog
          conversationId={conversationId}
          name={summary.title}
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
    </section>
  );
}

/** Why this person cannot post here now, or undefined when they can. */
function postingBlock(
  text: TextOf,
  isGroup: boolean,
  status: NonNullable<ConversationSummary['groupStatus']>,
  group: GroupView | undefined,
  self: MemberView | undefined,
): string | undefined {
  if (!isGroup) return undefined;
  switch (status) {
    case 'requested':
      return text('conversation.blockRequested');
    case 'removed':
      return text('conversation.blockRemoved');
    case 'banned':
      return text('conversation.blockRemoved');
    case 'left':
      return text('conversation.blockLeft');
    case 'active':
      break;
  }
  if (group?.waitingForKey === true) {
    return text('conversation.blockWaitingForKey');
  }
  if (self !== undefined && self.mutedUntil > Date.now()) {
    return text('conversation.blockMuted', { time: formatFullTime(self.mutedUntil) });
  }
  if (group?.policy.posting === 'moderators' && group.role === 'member') {
    return text('conversation.blockModeratorsOnly');
  }
  return undefined;
}

function PinnedBar({ pinned }: { pinned: readonly MessageView[] }) {
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? pinned : pinned.slice(0, 1);
  const listId = useId();
  const text = useText();
  return (
    <section className="pinned-bar" aria-label={text('conversation.pinned')}>
      <Icon name="pin" />
      <ul id={listId} className="pinned-list">
        {shown.map((message) => (
          <li key={message.id}>
            <span className="pinned-author">
              {text('conversation.pinnedAuthor', { name: message.author.name })}
            </span>
            {SPACE}
            <span className="pinned-text">
              {message.deleted
                ? text('conversation.deletedByModerator')
                : message.covered === true
                  ? text('conversation.covered', {
                      warning: warningWords(text, message.warning ?? ''),
                    })
                  : message.text}
            </span>
          </li>
        ))}
      </ul>
      {pinned.length > 1 && (
        <button
          type="button"
          className="button button-quiet"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => {
            setExpanded((open) => !open);
          }}
        >
          {expanded
            ? text('conversation.showFewer')
            : text('conversation.allPinned', { count: pinned.length })}
        </button>
      )}
    </section>
  );
}

/** Marks the chat read while it is on screen and there is something unread. */
function useMarkRead(conversationId: string, unread: number): void {
  const api = useApi();
  const changes = useChangeTracker();
  useEffect(() => {
    if (unread === 0) return undefined;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      api.call('conversations.markRead', { conversationId }).then(
        () => {
          // markRead sends no event of its own; the chat list's badge must still go.
          changes.markListsChanged();
        },
        () => {
          // The badge stays; the next change tries again.
        },
      );
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
    };
  }, [api, changes, conversationId, unread]);
}

/** Reads newly arrived messages (not our own) to screen readers through the live region. */
function useAnnounceIncoming(
  messages: readonly MessageView[] | undefined,
  announce: (text: string) => void,
): void {
  const text = useText();
  const seen = useRef<Set<string> | undefined>(undefined);
  useEffect(() => {
    if (messages === undefined) return;
    if (seen.current === undefined) {
      seen.current = new Set(messages.map((message) => message.id));
      return;
    }
    const known = seen.current;
    const fresh = messages.filter((message) => !known.has(message.id));
    for (const message of fresh) known.add(message.id);
    const incoming = fresh.filter(
      (message) => message.kind === 'message' && !message.author.self && !message.deleted,
    );
    const first = incoming[0];
    if (first === undefined) return;
    announce(
      incoming.length === 1
        ? first.covered === true
          ? text('conversation.newCoveredMessage', {
              name: first.author.name,
              time: formatMessageTime(first.sentAt),
              warning: warningWords(text, first.warning ?? ''),
            })
          : text('conversation.newMessage', {
              name: first.author.name,
              time: formatMessageTime(first.sentAt),
              text: first.text,
            })
        : text('conversation.newMessages', { count: incoming.length }),
    );
  }, [messages, announce, text]);
}

/** Keeps the newest message in view while the reader is at the bottom; leaves them be otherwise. */
function useStickyScroll(messages: readonly MessageView[] | undefined) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const onScroll = useCallback(() => {
    const scroller = scrollerRef.current;
    if (scroller === null) return;
    atBottom.current =
      scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_BOTTOM_PX;
  }, []);
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller === null) return undefined;
    if (atBottom.current) scroller.scrollTop = scroller.scrollHeight;
    // The list's box changes size without a scroll: a pinned bar or banner appears above it, the
    // composer grows, a preview loads. Whoever was at the bottom stays there.
    const observer = new ResizeObserver(() => {
      if (atBottom.current) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(scroller);
    for (const child of scroller.children) observer.observe(child);
    return () => {
      observer.disconnect();
    };
  }, [messages]);
  const stickToBottom = useCallback(() => {
    atBottom.current = true;
  }, []);
  const holdPosition = useCallback(() => {
    atBottom.current = false;
  }, []);
  return { scrollerRef, onScroll, stickToBottom, holdPosition };
}

/**
 * Brings a search result's message into view once the messages are there: scrolls it to the
 * middle, focuses it (so the keyboard carries on from it) and returns its id, which the pane
 * highlights. Runs as a passive effect, after the search dialog has closed and handed focus back.
 */
function useFoundMessage(
  focus: MessageFocus | undefined,
  messages: readonly MessageView[] | undefined,
  holdPosition: () => void,
): string | undefined {
  const [found, setFound] = useState<string | undefined>(undefined);
  const handled = useRef(0);
  useEffect(() => {
    if (focus === undefined || messages === undefined || handled.current === focus.serial) return;
    const element = document.getElementById(`message-${focus.messageId}`);
    if (element === null) return;
    handled.current = focus.serial;
    holdPosition();
    element.scrollIntoView({ block: 'center' });
    element.tabIndex = -1;
    element.focus({ preventScroll: true });
    setFound(focus.messageId);
  }, [focus, messages, holdPosition]);
  return found;
}
