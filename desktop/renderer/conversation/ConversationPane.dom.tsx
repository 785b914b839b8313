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
import { groupStanding } from '../shell/ChatList.dom.js';
import { useNavigate, type MessageFocus } from '../shell/navigation.dom.js';
import { useConversationFiles } from './attachmentDrop.dom.js';
import { Composer } from './Composer.dom.js';
import { GroupAboutDrawer } from './GroupAboutDrawer.dom.js';
import { MessageItem, type MessageActions, type MessageModeration } from './MessageItem.dom.js';
import { ModerateMessageDialog, ReportDialog } from './MessageDialogs.dom.js';
import { MessageActionDialogs } from './MessageActionDialogs.dom.js';
import { DisappearingControl } from './DisappearingControl.dom.js';

type PaneDialog =
  | { readonly kind: 'report'; readonly message: MessageView }
  | { readonly kind: 'moderate'; readonly message: MessageView; readonly action: MessageModeration }
  | { readonly kind: 'safety' }
  | { readonly kind: 'deleteForEveryone' | 'pickReaction'; readonly message: MessageView };

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
  const conversationId = summary.id;
  const isGroup = summary.kind === 'group';
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
            tell('Text copied.');
          },
          () => {
            tell('Could not copy the text.', true);
          },
        );
      },
    }),
    [api, conversationId, tell, reloadMessages],
  );

  const endEdit = useCallback(() => {
    setEditing(undefined);
  }, []);

  const self = members.data?.find((member) => member.self);
  const composerBlock = postingBlock(isGroup, status, group, self);
  const canInteract = composerBlock === undefined;
  const slowModeHint =
    group !== undefined && group.policy.slowModeSeconds > 0 && role === 'member'
      ? `Slow mode: one message every ${formatDuration(group.policy.slowModeSeconds)}.`
      : undefined;
  const imageWarningHint =
    group?.policy.requireImageWarnings === true
      ? 'This group asks for a content warning on images.'
      : undefined;
  const composerHint =
    [slowModeHint, imageWarningHint].filter((line) => line !== undefined).join(' ') || undefined;

  const standing = isGroup ? groupStanding(status) : undefined;

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
                  You appear here as <strong>{summary.persona.pseudonym}</strong>
                </span>
                {group !== undefined && (
                  <span>
                    {' '}
                    · {group.members} {group.members === 1 ? 'member' : 'members'}
                    {role !== undefined && role !== 'member'
                      ? ` · you are ${role === 'owner' ? 'the owner' : 'a moderator'}`
                      : ''}
                  </span>
                )}
              </>
            ) : summary.verified === true ? (
              <span className="status-good">
                <Icon name="verified" /> Verified
              </span>
            ) : (
              <span>Not verified yet: compare your safety number to be sure who this is.</span>
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
                Rules and info
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  navigate({ kind: 'group', id: conversationId, tab: 'members' });
                }}
              >
                <Icon name="groups" />
                Members
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button"
              title={
                summary.verified === true
                  ? `You verified ${summary.title}. Open the safety number to compare it again.`
                  : undefined
              }
              onClick={() => {
                setDialog({ kind: 'safety' });
              }}
            >
              <Icon name="verified" />
              {summary.verified === true ? 'Verified' : 'Safety number'}
            </button>
          )}
        </div>
      </header>

      {group !== undefined && group.pinned.length > 0 && <PinnedBar pinned={group.pinned} />}
      {group !== undefined && group.warnings > 0 && (
        <div className="banner banner-warning" role="note">
          <Icon name="warning" />
          <span className="banner-text">
            Your app caught the relay breaking this group’s rules{' '}
            {group.warnings === 1 ? 'once' : `${group.warnings} times`}.
          </span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              navigate({ kind: 'group', id: conversationId, tab: 'warnings' });
            }}
          >
            See warnings
          </button>
        </div>
      )}

      <div className="conversation-body">
        <div className="message-scroller" ref={scrollerRef} onScroll={onScroll}>
          <h2 className="visually-hidden">Messages</h2>
          {messages.error !== undefined && messages.data === undefined && (
            <p className="error-text" role="alert">
              {messages.error}
            </p>
          )}
          {messages.data?.length === 0 && (
            <p className="empty-conversation">
              {isGroup
                ? 'No messages yet. Say hello when you are ready — there is no hurry.'
                : `No messages yet. Everything you write to ${summary.title} is end-to-end encrypted.`}
            </p>
          )}
          {messages.data !== undefined && messages.data.length > 0 && (
            <ol className="messages" aria-label={`Messages in ${summary.title}`}>
              {withDayDividers(messages.data).map((entry) =>
                entry.kind === 'day' ? (
                  <li key={`day-${entry.label}`} className="day-divider" aria-hidden="true">
                    <span>{entry.label}</span>
                  </li>
                ) : (
                  <MessageItem
                    key={entry.message.id}
                    message={entry.message}
                    isGroup={isGroup}
                    canModerate={canModerate}
                    canInteract={canInteract}
                    canReport={canReport}
                    online={online}
                    actions={actions}
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
        {isGroup && drawerOpen && (
          <GroupAboutDrawer
            id={drawerId}
            group={group}
            pseudonym={summary.persona.pseudonym}
            onClose={() => {
              setDrawerOpen(false);
            }}
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

      {composerBlock === undefined ? (
        <Composer
          conversationId={conversationId}
          recipient={summary.title}
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
        />
      ) : (
        <p className="composer-blocked" role="status">
          <Icon name="info" />
          {standing !== undefined && status !== 'active' ? `${standing}. ` : ''}
          {composerBlock}
        </p>
      )}

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
                ? 'Report saved, but this group has no moderator to receive it right now.'
                : `Report sent to ${sentTo} ${sentTo === 1 ? 'moderator' : 'moderators'}.`,
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
  isGroup: boolean,
  status: NonNullable<ConversationSummary['groupStatus']>,
  group: GroupView | undefined,
  self: MemberView | undefined,
): string | undefined {
  if (!isGroup) return undefined;
  switch (status) {
    case 'requested':
      return 'A moderator will look at your request to join. You can post once you are let in.';
    case 'removed':
      return 'You can read what was here, but not post.';
    case 'banned':
      return 'You can read what was here, but not post.';
    case 'left':
      return 'You can read what was here. To come back, you need a new invite.';
    case 'active':
      break;
  }
  if (group?.waitingForKey === true) {
    return 'Waiting for a member to share the group key with you. It comes when a moderator is next online; then you can read and post.';
  }
  if (self !== undefined && self.mutedUntil > Date.now()) {
    return `A moderator muted you until ${formatFullTime(self.mutedUntil)}. You can read, but not post until then.`;
  }
  if (group?.policy.posting === 'moderators' && group.role === 'member') {
    return 'Only moderators can post in this group. You can read along.';
  }
  return undefined;
}

function PinnedBar({ pinned }: { pinned: readonly MessageView[] }) {
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? pinned : pinned.slice(0, 1);
  const listId = useId();
  return (
    <section className="pinned-bar" aria-label="Pinned messages">
      <Icon name="pin" />
      <ul id={listId} className="pinned-list">
        {shown.map((message) => (
          <li key={message.id}>
            <span className="pinned-author">{message.author.name}:</span>{' '}
            <span className="pinned-text">
              {message.deleted
                ? 'Deleted by a moderator'
                : message.covered === true
                  ? `Covered: ${message.warning ?? ''}`
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
          {expanded ? 'Show fewer' : `All ${pinned.length} pinned`}
        </button>
      )}
    </section>
  );
}

type ListEntry =
  | { readonly kind: 'day'; readonly label: string }
  | { readonly kind: 'message'; readonly message: MessageView };

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});

/** Messages with a quiet "Today" / "Monday 3 March" line where the day changes. */
function withDayDividers(messages: readonly MessageView[]): ListEntry[] {
  const entries: ListEntry[] = [];
  let lastDay = '';
  const today = new Date().toDateString();
  const yesterday = new Date(Date.now() - 86_400_000).toDateString();
  for (const message of messages) {
    const day = new Date(message.sentAt).toDateString();
    if (day !== lastDay) {
      lastDay = day;
      const label =
        day === today
          ? 'Today'
          : day === yesterday
            ? 'Yesterday'
            : dayFormat.format(message.sentAt);
      entries.push({ kind: 'day', label });
    }
    entries.push({ kind: 'message', message });
  }
  return entries;
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
        ? `New message from ${first.author.name} at ${formatMessageTime(first.sentAt)}: ${first.covered === true ? `covered, content warning: ${first.warning ?? ''}` : first.text}`
        : `${incoming.length} new messages.`,
    );
  }, [messages, announce]);
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
