import { useId, useRef, type KeyboardEvent } from 'react';
import type { ConversationId, ConversationSummary } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { formatActivity, formatFullTime, initialOf, plural } from '../formatting.dom.js';
import { pendingCount } from '../groups/ModerationBadge.dom.js';

export interface ChatListProps {
  readonly conversations: readonly ConversationSummary[] | undefined;
  readonly error: string | undefined;
  readonly selected: ConversationId | undefined;
  readonly onSelect: (id: ConversationId) => void;
}

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
        Chats
      </h2>
      {error !== undefined && conversations === undefined && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {conversations !== undefined && sorted.length === 0 && (
        <div className="chat-list-empty">
          <p>No chats yet.</p>
          <p className="hint">
            Invite someone you trust from Contacts, or join a group with a link from Groups.
          </p>
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
  const descriptionId = useId();
  const isGroup = conversation.kind === 'group';
  const standing = isGroup ? groupStanding(conversation.groupStatus) : undefined;
  const time = formatActivity(conversation.lastActivity);
  const subtitle = isGroup
    ? `Group · you are ${conversation.persona.pseudonym}`
    : conversation.verified === true
      ? 'Verified'
      : undefined;
  const pending = pendingCount(conversation.moderation);
  const description = [
    conversation.unread > 0 ? `${plural(conversation.unread, 'unread message')}.` : '',
    pending > 0 ? `${pending} waiting for a moderator.` : '',
    subtitle === undefined ? '' : `${subtitle}.`,
    standing === undefined ? '' : `${standing}.`,
    conversation.lastActivity > 0
      ? `Last activity ${formatFullTime(conversation.lastActivity)}.`
      : '',
    conversation.preview === '' ? '' : `Last message: ${conversation.preview}`,
  ]
    .filter((part) => part !== '')
    .join(' ');

  // The button holds only the title, so its name is exactly what it shows (speech input:
  // "click Ana"); the rest of the row is its description, and the button's ::after covers the
  // whole row, which stays one click target.
  return (
    <div className={selected ? 'chat-item chat-item-selected' : 'chat-item'}>
      <span className={isGroup ? 'avatar avatar-group' : 'avatar'} aria-hidden="true">
        {isGroup ? <Icon name="groups" /> : initialOf(conversation.title)}
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
            <span className="chat-item-text">{conversation.preview}</span>
          </span>
          {conversation.unread > 0 && (
            <span className="badge">{conversation.unread > 99 ? '99+' : conversation.unread}</span>
          )}
          {pending > 0 && (
            <span className="badge badge-pending" title="Waiting for a moderator">
              <Icon name="shield" />
              {pending > 99 ? '99+' : pending}
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

export function groupStanding(status: ConversationSummary['groupStatus']): string | undefined {
  switch (status) {
    case undefined:
    case 'active':
      return undefined;
    case 'requested':
      return 'Waiting for approval';
    case 'removed':
      return 'You were removed';
    case 'banned':
      return 'You were banned';
    case 'left':
      return 'You left';
  }
}
