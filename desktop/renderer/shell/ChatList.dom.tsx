import { useId, useRef, type KeyboardEvent } from 'react';
import type { ConversationId, ConversationSummary } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useFormatting } from '../formatting.dom.js';
import { pendingCount } from '../groups/ModerationBadge.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

export interface ChatListProps {
  readonly conversations: readonly ConversationSummary[] | undefined;
  readonly error: string | undefined;
  readonly selected: ConversationId | undefined;
  readonly onSelect: (id: ConversationId) => void;
}

/** A badge's count past 99. */
const MANY = '99+';

/** Newest activity first; the same order every time for ties. */
export function sortByActivity(list: readonly ConversationSummary[]): ConversationSummary[] {
  return [...list].sort(
    (a, b) =>
      b.lastActivity - a.lastActivity || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
  );
}

/**
 * Groups and one-to-one chats together, newest first. One Tab stop: the arrows, Home and End move
 * between chats (roving focus), Enter opens one.
 */
export function ChatList({ conversations, error, selected, onSelect }: ChatListProps) {
  const text = useText();
  const headingId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const sorted = conversations === undefined ? [] : sortByActivity(conversations);
  const focusId = sorted.find((conversation) => conversation.id === selected)?.id ?? sorted[0]?.id;

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [
      ...(listRef.current?.querySelectorAll<HTMLButtonElement>('.chat-item-open') ?? []),
    ];
    const index = buttons.findIndex((button) => button === document.activeElement);
    if (index === -1) return;
    let target: number;
    switch (event.key) {
      case 'ArrowDown':
        target = Math.min(index + 1, buttons.length - 1);
        break;
      case 'ArrowUp':
        target = Math.max(index - 1, 0);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = buttons.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    for (const [position, button] of buttons.entries())
      button.tabIndex = position === target ? 0 : -1;
    buttons[target]?.focus();
  };

  return (
    <nav className="chat-list" aria-labelledby={headingId}>
      <h2 id={headingId} className="sidebar-heading">
        {text('shell.chats')}
      </h2>
      {error !== undefined && conversations === undefined && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {conversations !== undefined && sorted.length === 0 && (
        <div className="chat-list-empty">
          <p>{text('shell.noChats')}</p>
          <p className="hint">{text('shell.noChatsHint')}</p>
        </div>
      )}
      <ul ref={listRef} className="chat-items" onKeyDown={onKeyDown}>
        {sorted.map((conversation) => (
          <li key={conversation.id}>
            <ChatItem
              conversation={conversation}
              selected={conversation.id === selected}
              tabbable={conversation.id === focusId}
              onSelect={onSelect}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ChatItem({
  conversation,
  selected,
  tabbable,
  onSelect,
}: {
  conversation: ConversationSummary;
  selected: boolean;
  tabbable: boolean;
  onSelect: (id: ConversationId) => void;
}) {
  const text = useText();
  const format = useFormatting();
  const descriptionId = useId();
  // A warned last message shows only its warning (the main process never sends its text).
  const preview =
    conversation.previewWarning === undefined
      ? conversation.preview
      : text('notifications.warned', {
          warning: warningWords(text, conversation.previewWarning),
        });
  const isGroup = conversation.kind === 'group';
  const standingId = isGroup ? groupStandingId(conversation.groupStatus) : undefined;
  const standing = standingId === undefined ? undefined : text(standingId);
  const time = format.activity(conversation.lastActivity);
  const subtitle = isGroup
    ? text('shell.groupAs', { pseudonym: conversation.persona.pseudonym })
    : conversation.verified === true
      ? text('shell.verified')
      : undefined;
  const pending = pendingCount(conversation.moderation);
  const description = [
    conversation.unread > 0 ? text('shell.unread', { count: conversation.unread }) : '',
    pending > 0 ? text('shell.waitingForModerators', { count: pending }) : '',
    subtitle === undefined ? '' : text('shell.sentence', { words: subtitle }),
    standing === undefined ? '' : text('shell.sentence', { words: standing }),
    conversation.lastActivity > 0
      ? text('shell.lastActivity', { time: format.fullTime(conversation.lastActivity) })
      : '',
    preview === '' ? '' : text('shell.lastMessage', { preview }),
  ]
    .filter((part) => part !== '')
    .join(' ');

  // The button holds only the title, so its name is exactly what it shows (speech input:
  // "click Ana"); the rest of the row is its description, and the button's ::after covers the
  // whole row, which stays one click target.
  return (
    <div className={selected ? 'chat-item chat-item-selected' : 'chat-item'}>
      <span className={isGroup ? 'avatar avatar-group' : 'avatar'} aria-hidden="true">
        {isGroup ? <Icon name="groups" /> : format.initialOf(conversation.title)}
      </span>
      <span className="chat-item-main">
        <span className="chat-item-top">
          <button
            type="button"
            className="chat-item-title chat-item-open"
            aria-current={selected ? 'page' : undefined}
            aria-describedby={descriptionId}
            tabIndex={tabbable ? 0 : -1}
            onClick={() => {
              onSelect(conversation.id);
            }}
          >
            {conversation.title}
          </button>
          <span className="chat-item-time" aria-hidden="true">
            {time}
          </span>
        </span>
        <span className="chat-item-bottom" aria-hidden="true">
          <span className="chat-item-preview">
            {subtitle !== undefined && (
              <span className={isGroup ? 'chat-item-persona' : 'chat-item-verified'}>
                {!isGroup && <Icon name="verified" />}
                {subtitle}
              </span>
            )}
            {standing !== undefined && <span className="chat-item-standing">{standing}</span>}
            <span className="chat-item-text" dir="auto">
              {preview}
            </span>
          </span>
          {conversation.unread > 0 && (
            <span className="badge">{conversation.unread > 99 ? MANY : conversation.unread}</span>
          )}
          {pending > 0 && (
            <span className="badge badge-pending" title={text('shell.waitingForModerator')}>
              <Icon name="shield" />
              {pending > 99 ? MANY : pending}
            </span>
          )}
        </span>
      </span>
      <span id={descriptionId} className="visually-hidden">
        {description}
      </span>
    </div>
  );
}

/** Where we stand in a group, as the id of its words (`text(id)`); undefined for a member. */
export function groupStandingId(status: ConversationSummary['groupStatus']): MessageId | undefined {
  switch (status) {
    case undefined:
    case 'active':
      return undefined;
    case 'requested':
      return 'shell.standingRequested';
    case 'removed':
      return 'shell.standingRemoved';
    case 'banned':
      return 'shell.standingBanned';
    case 'left':
      return 'shell.standingLeft';
  }
}
