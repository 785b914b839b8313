import { memo, useId } from 'react';
import type { MessageView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { MenuButton, type MenuItem } from '../components/Menu.dom.js';
import { formatFullTime, formatMessageTime, isoTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';
import { AttachmentList } from './AttachmentList.dom.js';
import { REACTIONS, reactionName } from './reactions.dom.js';
import { MessageCover, RevealedWarning, TimerMark } from './CoveredMessage.dom.js';
import { FacilitatorBadge } from '../groups/FacilitatorBadge.dom.js';
import { InlineMessageEditor, authorMenuItems } from './MessageAuthorActions.dom.js';
import { DeliveryMark } from './DeliveryMark.dom.js';
import { useNoticeWords } from './noticeWords.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';
import { AnswerTag } from '../scheduledChat/AnswerTag.dom.js';

export type MessageModeration = 'delete' | 'pin' | 'unpin';

export interface MessageActions {
  readonly onReply: (message: MessageView) => void;
  readonly onReact: (message: MessageView, emoji: string, remove: boolean) => void;
  readonly onReport: (message: MessageView) => void;
  readonly onModerate: (message: MessageView, action: MessageModeration) => void;
  readonly onCopy: (message: MessageView) => void;
  /** Show a covered message (content warning) in this viewing; `onCover` covers it again. */
  readonly onReveal: (message: MessageView) => void;
  readonly onCover: (message: MessageView) => void;
  /** Our own message: edit it in place, or delete it for everyone (MessageAuthorActions). */
  readonly onEdit?: (message: MessageView) => void;
  readonly onDeleteForEveryone?: (message: MessageView) => void;
  /** Open the full emoji picker to react to it. */
  readonly onPickReaction?: (message: MessageView) => void;
  /** A group message: open its thread (its replies, and a composer into it). */
  readonly onOpenThread?: (message: MessageView) => void;
  /** A moderator moves it into another topic. */
  readonly onMoveTopic?: (message: MessageView) => void;
}

export interface MessageItemProps {
  readonly message: MessageView;
  readonly isGroup: boolean;
  readonly canModerate: boolean;
  /** Whether we may reply and react here now (not when muted, removed or left). */
  readonly canInteract: boolean;
  /** Whether we may report messages (any active member of a group, even a muted one). */
  readonly canReport: boolean;
  readonly online: boolean;
  readonly actions: MessageActions;
  /** The search result the pane was opened at: highlighted, and focusable for the keyboard. */
  readonly found?: boolean;
  /** The conversation it is in (its attachments are opened and saved there). */
  readonly conversationId?: string;
  /** Being edited: its text is an editor (MessageAuthorActions.InlineMessageEditor). */
  readonly editing?: boolean;
  readonly onEditDone?: () => void;
  /** Replies in its thread: "N replies" under it opens the thread (actions.onOpenThread). */
  readonly replies?: number;
}

const MESSAGE_ID = /^[0-9a-f]{32}$/u;

/** One message: author, time, the quote it answers, text, reactions, delivery and its menu. */
export const MessageItem = memo(function MessageItem({
  message,
  isGroup,
  canModerate,
  canInteract,
  canReport,
  online,
  actions,
  found = false,
  conversationId = '',
  editing = false,
  onEditDone,
  replies = 0,
}: MessageItemProps) {
  const headingId = useId();
  const text = useText();
  const noticeWords = useNoticeWords();
  if (message.kind === 'gap') {
    return (
      <li className="message-note message-gap">
        <Icon name="info" />
        <span>
          {message.notice !== undefined
            ? noticeWords(message.notice)
            : message.text === ''
              ? text('message.gap')
              : message.text}
        </span>
      </li>
    );
  }
  if (message.kind === 'notice') {
    return (
      <li className={message.timer === undefined ? 'message-note' : 'message-note message-timer'}>
        {message.timer !== undefined && <Icon name="timer" />}
        <span>{message.notice === undefined ? message.text : noticeWords(message.notice)}</span>
        <time className="message-note-time" dateTime={isoTime(message.sentAt)}>
          {formatMessageTime(message.sentAt)}
        </time>
      </li>
    );
  }

  const self = message.author.self;
  const author = self ? text('common.you') : message.author.name;
  const removed = message.deleted || message.deletedByAuthor === true;
  const addressable = MESSAGE_ID.test(message.id) && !removed;
  const mine = message.reactions.find((reaction) => reaction.mine);

  const menu: MenuItem[] = [];
  if (addressable && canInteract) {
    menu.push({
      label: (
        <>
          <Icon name="reply" />
          {text('message.reply')}
        </>
      ),
      onSelect: () => {
        actions.onReply(message);
      },
    });
  }
  if (!message.deleted && message.text !== '') {
    menu.push({
      label: (
        <>
          <Icon name="copy" />
          {text('message.copyText')}
        </>
      ),
      onSelect: () => {
        actions.onCopy(message);
      },
    });
  }
  if (addressable && self && canInteract && actions.onEdit && actions.onDeleteForEveryone) {
    menu.push(
      ...authorMenuItems(message, {
        onEdit: actions.onEdit,
        onDeleteForEveryone: actions.onDeleteForEveryone,
      }),
    );
  }
  if (addressable && isGroup && !self && canReport) {
    menu.push({
      label: (
        <>
          <Icon name="warning" />
          {text('message.report')}
        </>
      ),
      onSelect: () => {
        actions.onReport(message);
      },
    });
  }
  if (addressable && isGroup && canModerate) {
    menu.push({
      label: (
        <>
          <Icon name="pin" />
          {message.pinned ? text('message.unpin') : text('message.pin')}
        </>
      ),
      onSelect: () => {
        actions.onModerate(message, message.pinned ? 'unpin' : 'pin');
      },
    });
    menu.push({
      label: (
        <>
          <Icon name="close" />
          {text('message.deleteForEveryone')}
        </>
      ),
      danger: true,
      onSelect: () => {
        actions.onModerate(message, 'delete');
      },
    });
  }

  menu.push(
    ...topicMenuItems(message, { addressable, isGroup, canModerate, canInteract }, actions, text),
  );

  const reactionItems: MenuItem[] = REACTIONS.map((reaction) => ({
    label: <span aria-hidden="true">{reaction.emoji}</span>,
    ariaLabel:
      mine?.emoji === reaction.emoji
        ? text('message.removeReaction', { name: text(reaction.name) })
        : text('message.reactWith', { name: text(reaction.name) }),
    onSelect: () => {
      actions.onReact(message, reaction.emoji, mine?.emoji === reaction.emoji);
    },
  }));
  if (actions.onPickReaction) {
    const pick = actions.onPickReaction;
    reactionItems.push({
      label: <span className="reaction-more">{text('message.moreReactionsShort')}</span>,
      ariaLabel: text('message.moreReactions'),
      onSelect: () => {
        pick(message);
      },
    });
  }

  const classes = ['message', self ? 'message-self' : 'message-other'];
  if (message.deleted) classes.push('message-deleted');
  if (message.pinned) classes.push('message-pinned');
  if (message.covered === true) classes.push('message-covered');
  if (found) classes.push('message-found');

  return (
    <li
      className={classes.join(' ')}
      id={`message-${message.id}`}
      tabIndex={found ? -1 : undefined}
      aria-current={found ? 'true' : undefined}
    >
      <article className="message-bubble" aria-labelledby={headingId}>
        <header className="message-meta">
          <h3 id={headingId} className="message-author">
            {author}
            <FacilitatorBadge role={message.author.badge} />
          </h3>
          <time
            className="message-time"
            dateTime={isoTime(message.sentAt)}
            title={formatFullTime(message.sentAt)}
          >
            {formatMessageTime(message.sentAt)}
          </time>
          {message.pinned && (
            <span className="tag tag-pinned">
              <Icon name="pin" />
              {text('message.pinned')}
            </span>
          )}
          {message.expiresAt !== undefined && <TimerMark expiresAt={message.expiresAt} />}
          {message.edited === true && (
            <span className="message-edited">{text('message.edited')}</span>
          )}
          <AnswerTag answer={message.answer} />
        </header>
        {message.replyTo !== undefined && (
          <blockquote className="quote">
            <span className="quote-author">{quoteAuthorLine(text, message.replyTo)}</span>
            <span className="quote-text" dir="auto">
              {message.replyTo.warning !== undefined
                ? text('conversation.covered', {
                    warning: warningWords(text, message.replyTo.warning),
                  })
                : message.replyTo.text === ''
                  ? text('message.originalMissing')
                  : message.replyTo.text}
            </span>
          </blockquote>
        )}
        {message.deleted ? (
          <p className="message-text message-removed">
            <Icon name="shield" />
            {text('conversation.deletedByModerator')}
          </p>
        ) : message.deletedByAuthor === true ? (
          <p className="message-text message-removed">{text('message.deletedByAuthor')}</p>
        ) : editing && onEditDone ? (
          <InlineMessageEditor
            conversationId={conversationId}
            message={message}
            onDone={onEditDone}
          />
        ) : message.covered === true ? (
          <MessageCover message={message} onReveal={actions.onReveal} />
        ) : (
          <>
            {message.warning !== undefined && (
              <RevealedWarning message={message} onCover={actions.onCover} />
            )}
            {(message.text !== '' || message.attachments === undefined) && (
              <p className="message-text" dir="auto">
                {message.text}
              </p>
            )}
          </>
        )}
        <AttachmentList message={message} conversationId={conversationId} />
        {replies > 0 && actions.onOpenThread !== undefined && (
          <button
            type="button"
            className="link-button thread-link"
            onClick={() => {
              actions.onOpenThread?.(message);
            }}
          >
            {text('topics.replies', { count: replies })}
          </button>
        )}
        {(message.reactions.length > 0 || (self && !removed)) && (
          <footer className="message-footer">
            {message.reactions.length > 0 && (
              <ul className="reactions" aria-label={text('message.reactions')}>
                {message.reactions.map((reaction) => (
                  <li key={reaction.emoji}>
                    <button
                      type="button"
                      className={reaction.mine ? 'reaction reaction-mine' : 'reaction'}
                      aria-pressed={reaction.mine}
                      aria-label={text('message.reactionCount', {
                        name: reactionName(text, reaction.emoji),
                        count: reaction.count,
                      })}
                      disabled={!addressable || !canInteract}
                      onClick={() => {
                        actions.onReact(message, reaction.emoji, reaction.mine);
                      }}
                    >
                      <span aria-hidden="true">{reaction.emoji}</span>
                      <span aria-hidden="true" className="reaction-count">
                        {reaction.count}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {/* A deleted message has no delivery left to tell of ("Sent" would claim it is read). */}
            {self && !removed && (
              <DeliveryMark message={message} online={online} conversationId={conversationId} />
            )}
          </footer>
        )}
      </article>
      {(menu.length > 0 || (addressable && canInteract)) && (
        <div className="message-tools">
          {addressable && canInteract && (
            <MenuButton
              label={text('message.addReaction')}
              items={reactionItems}
              orientation="horizontal"
              align={self ? 'end' : 'start'}
            >
              <Icon name="smile" />
            </MenuButton>
          )}
          {menu.length > 0 && (
            <MenuButton
              label={text('message.moreActions')}
              items={menu}
              align={self ? 'end' : 'start'}
            >
              <Icon name="more" />
            </MenuButton>
          )}
        </div>
      )}
    </li>
  );
});

/** Whom a quote answers, in the reader's words: "Replying to you" for our own message. */
function quoteAuthorLine(text: TextOf, quote: NonNullable<MessageView['replyTo']>): string {
  if (quote.self === true) return text('message.replyingToYou');
  if (quote.author === '') return text('message.replyingToMessage');
  return text('message.replyingTo', { name: quote.author });
}

/** Reply in thread (who may post), and Move to another topic (moderators): groups only. */
function topicMenuItems(
  message: MessageView,
  may: { addressable: boolean; isGroup: boolean; canModerate: boolean; canInteract: boolean },
  actions: MessageActions,
  text: TextOf,
): MenuItem[] {
  if (!may.addressable || !may.isGroup || message.threadRoot !== undefined) return [];
  const items: MenuItem[] = [];
  const { onOpenThread, onMoveTopic } = actions;
  if (onOpenThread !== undefined && may.canInteract) {
    items.push({
      label: (
        <>
          <Icon name="chat" />
          {text('topics.replyInThread')}
        </>
      ),
      onSelect: () => {
        onOpenThread(message);
      },
    });
  }
  if (onMoveTopic !== undefined && may.canModerate) {
    items.push({
      label: (
        <>
          <Icon name="groups" />
          {text('topics.moveTo')}
        </>
      ),
      onSelect: () => {
        onMoveTopic(message);
      },
    });
  }
  return items;
}
