import { deliveryFailure } from './DeliveryViews.main.js';
import type {
  Contact,
  GroupLogEntry,
  GroupMessageView,
  HistoryEntry,
  HistoryMessage,
} from '../../core/client/index.js';
import { parseTopicLogDetail, toHex } from '../../core/client/index.js';
import type {
  DeliveryState,
  MessageView,
  NoticeView,
  OperationAction,
  Reaction,
} from '../shared/api.std.js';
import { attachmentFields } from './AttachmentViews.main.js';

/** Who a 1:1 message is from, as the window names them. */
export interface Speaker {
  readonly address: string;
  readonly name: string;
}

/** A preview is a glance, not the message. */
export const PREVIEW_LENGTH = 100;

export function contactName(contact: Contact): string {
  return contact.alias ?? contact.pseudonym;
}

/** Reactions grouped by emoji, most used first; `mine` when one of them is `self`'s. */
export function reactionViews(
  reactions: Readonly<Record<string, string>> | undefined,
  self: string,
): Reaction[] {
  const byEmoji = new Map<string, { count: number; mine: boolean }>();
  for (const [who, emoji] of Object.entries(reactions ?? {})) {
    if (emoji === '') continue;
    const seen = byEmoji.get(emoji) ?? { count: 0, mine: false };
    byEmoji.set(emoji, { count: seen.count + 1, mine: seen.mine || who === self });
  }
  return [...byEmoji.entries()]
    .map(([emoji, { count, mine }]) => ({ emoji, count, mine }))
    .sort((a, b) => b.count - a.count || a.emoji.localeCompare(b.emoji));
}

function historyDelivery(message: HistoryMessage): DeliveryState {
  switch (message.status) {
    case 'queued':
      return 'pending';
    case 'sent':
      return 'sent';
    case 'failed':
      return 'failed';
    case 'received':
      return 'received';
    case 'delivered':
      return 'delivered';
    case 'read':
      return 'read';
  }
}

/** A 1:1 conversation's history as the window shows it; replies name what they answer. */
export function contactMessageViews(
  entries: readonly HistoryEntry[],
  self: Speaker,
  contact: Speaker,
): MessageView[] {
  const byId = new Map<string, HistoryMessage>();
  for (const entry of entries) {
    if (entry.kind === 'message') byId.set(toHex(entry.messageId), entry);
  }
  return entries.map((entry): MessageView => {
    if (entry.kind === 'gap') {
      return {
        id: `gap-${entry.index}`,
        kind: 'gap',
        author: { ...contact, self: false },
        text: '',
        notice: { kind: 'gap', missing: entry.remaining },
        sentAt: entry.storedAt,
        delivery: 'received',
        reactions: [],
        deleted: false,
        pinned: false,
      };
    }
    if (entry.kind === 'notice') {
      return {
        id: `notice-${entry.index}`,
        kind: 'notice',
        author: entry.direction === 'out' ? { ...self, self: true } : { ...contact, self: false },
        text: '',
        notice: { kind: 'renewed' },
        sentAt: entry.storedAt,
        delivery: 'received',
        reactions: [],
        deleted: false,
        pinned: false,
      };
    }
    if (entry.timer !== undefined) return timerLineView(entry, self, contact, entry.timer);
    return contactMessageView(entry, self, contact, byId);
  });
}

function timerLineView(
  message: HistoryMessage,
  self: Speaker,
  contact: Speaker,
  seconds: number,
): MessageView {
  const ours = message.direction === 'out';
  return {
    id: toHex(message.messageId),
    kind: 'notice',
    author: ours ? { ...self, self: true } : { ...contact, self: false },
    text: '',
    notice: { kind: 'timer', self: ours, actor: ours ? self.name : contact.name, seconds },
    sentAt: message.sentAt,
    delivery: historyDelivery(message),
    reactions: [],
    deleted: false,
    pinned: false,
    timer: seconds,
    ...(message.expiresAt === undefined ? {} : { expiresAt: message.expiresAt }),
  };
}

export function contactMessageView(
  message: HistoryMessage,
  self: Speaker,
  contact: Speaker,
  byId: ReadonlyMap<string, HistoryMessage> = new Map(),
): MessageView {
  const author = message.direction === 'out' ? self : contact;
  const replyTo = message.replyTo === undefined ? undefined : toHex(message.replyTo);
  const answered = replyTo === undefined ? undefined : byId.get(replyTo);
  return {
    id: toHex(message.messageId),
    kind: 'message',
    author: { ...author, self: message.direction === 'out' },
    text: message.text,
    sentAt: message.sentAt,
    delivery: historyDelivery(message),
    ...(replyTo === undefined
      ? {}
      : {
          replyTo: {
            id: replyTo,
            author:
              answered === undefined ? '' : answered.direction === 'out' ? self.name : contact.name,
            text: answered?.text ?? '',
            ...(answered === undefined ? {} : { self: answered.direction === 'out' }),
          },
        }),
    reactions: reactionViews(message.reactions, self.address),
    deleted: false,
    pinned: false,
    ...(message.warning === undefined ? {} : { warning: message.warning }),
    ...(message.expiresAt === undefined ? {} : { expiresAt: message.expiresAt }),
    ...attachmentFields(message),
    ...authorChangeFields(message),
    ...(message.status === 'failed' ? { failure: deliveryFailure(message.failure) } : {}),
  };
}

/** A group's messages, with moderation notices from its log woven in by time. */
export function groupMessageViews(
  messages: readonly GroupMessageView[],
  log: readonly GroupLogEntry[],
  self: string,
  /** Topic names by hex id, for the notices of topic operations. */
  topicNames: ReadonlyMap<string, string> = new Map(),
): MessageView[] {
  const byId = new Map<string, GroupMessageView>();
  for (const message of messages) byId.set(toHex(message.messageId), message);
  const views = messages.map((message) => ({
    at: message.storedAt,
    view: groupMessageView(message, self, byId),
  }));
  const notices = log
    .filter((entry) => NOTICE_ACTIONS[entry.action] !== undefined)
    .map((entry) => ({ at: entry.at, view: noticeView(entry, self, topicNames) }));
  // Both lists are in their own order already; merge them by time, messages first on a tie.
  const merged: MessageView[] = [];
  let m = 0;
  let n = 0;
  while (m < views.length || n < notices.length) {
    const message = views[m];
    const notice = notices[n];
    if (notice === undefined || (message !== undefined && message.at <= notice.at)) {
      if (message !== undefined) merged.push(message.view);
      m++;
    } else {
      merged.push(notice.view);
      n++;
    }
  }
  return merged;
}

export function groupMessageView(
  message: GroupMessageView,
  self: string,
  byId: ReadonlyMap<string, GroupMessageView> = new Map(),
): MessageView {
  const replyTo = message.replyTo === undefined ? undefined : toHex(message.replyTo);
  const answered = replyTo === undefined ? undefined : byId.get(replyTo);
  return {
    id: toHex(message.messageId),
    kind: 'message',
    author: {
      address: message.sender,
      name: message.senderPseudonym,
      self: message.outgoing,
      ...(message.senderBadge === undefined ? {} : { badge: message.senderBadge.roleTitle }),
    },
    text: message.deleted ? '' : message.text,
    sentAt: message.sentAt,
    delivery: message.outgoing ? (message.status ?? 'sent') : 'received',
    ...(replyTo === undefined
      ? {}
      : {
          replyTo: {
            id: replyTo,
            author: answered?.senderPseudonym ?? '',
            text: answered === undefined || answered.deleted ? '' : answered.text,
            ...(answered === undefined ? {} : { self: answered.outgoing }),
          },
        }),
    reactions: message.deleted ? [] : reactionViews(message.reactions, self),
    deleted: message.deleted,
    pinned: message.pinned,
    ...(message.deleted || message.warning === undefined ? {} : { warning: message.warning }),
    ...(message.expiresAt === undefined ? {} : { expiresAt: message.expiresAt }),
    ...(message.deleted ? {} : attachmentFields(message)),
    ...(message.deleted ? {} : authorChangeFields(message)),
    ...topicFields(message),
    ...(message.scheduleAnswer === undefined ? {} : { answer: message.scheduleAnswer }),
  };
}

/** Where a group message sits: its topic ('' General) and the thread it answers, if any. */
function topicFields(message: GroupMessageView): Pick<MessageView, 'topic' | 'threadRoot'> {
  return {
    topic: message.topic,
    ...(message.threadRoot === undefined ? {} : { threadRoot: toHex(message.threadRoot) }),
  };
}

/** The log's operations a group's timeline shows, as the window words them (noticeWords). */
const NOTICE_ACTIONS: Readonly<Record<string, OperationAction>> = {
  create: 'create',
  join: 'join',
  approve: 'approve',
  deny: 'deny',
  leave: 'leave',
  remove: 'remove',
  ban: 'ban',
  unban: 'unban',
  promote: 'promote',
  demote: 'demote',
  transferOwnership: 'transferOwnership',
  mute: 'mute',
  pin: 'pin',
  unpin: 'unpin',
  deleteMessage: 'deleteMessage',
  setInfo: 'setInfo',
  setPolicy: 'setPolicy',
  topicCreate: 'topicCreate',
  topicUpdate: 'topicRename',
  topicMove: 'topicMove',
};

/** One log entry as facts: "Ada muted Bo. Reason: cool down" is mute, Ada, Bo, "cool down". */
export function operationNotice(
  entry: GroupLogEntry,
  topicNames: ReadonlyMap<string, string> = new Map(),
): NoticeView {
  const topic = topicNotice(entry, topicNames);
  if (topic !== undefined) return topic;
  const unmute = entry.action === 'mute' && entry.detail === 'unmuted';
  const request = entry.action === 'join' && entry.detail === 'request';
  const timer = entry.action === 'setPolicy' && entry.timer !== undefined;
  const action: OperationAction = unmute
    ? 'unmute'
    : request
      ? 'request'
      : timer
        ? 'timer'
        : (NOTICE_ACTIONS[entry.action] ?? 'setPolicy');
  return {
    kind: 'operation',
    action,
    actor: entry.actorPseudonym,
    ...(entry.target === undefined ? {} : { target: entry.targetPseudonym }),
    reason: entry.reason,
    ...(timer ? { seconds: entry.timer } : {}),
  };
}

/** A topic operation as facts: which one, and the topic's name now. */
function topicNotice(
  entry: GroupLogEntry,
  topicNames: ReadonlyMap<string, string>,
): NoticeView | undefined {
  const topicOperation = topicOperationOf(entry);
  if (topicOperation === undefined) return undefined;
  const { action, topic } = topicOperation;
  return {
    kind: 'operation',
    action,
    actor: entry.actorPseudonym,
    reason: entry.reason,
    topic: topic === '' ? '' : (topicNames.get(topic) ?? ''),
    general: topic === '',
  };
}

/**
 * Which topic operation a log entry is (one `topicUpdate` is a rename, a close or a reopen) and
 * the topic it names ('' General); undefined for any other entry. The chat's notices and the
 * moderation log word it the same way.
 */
export function topicOperationOf(entry: GroupLogEntry):
  | {
      readonly action: 'topicCreate' | 'topicMove' | 'topicClose' | 'topicReopen' | 'topicRename';
      readonly topic: string;
    }
  | undefined {
  if (!entry.action.startsWith('topic')) return undefined;
  const facts = parseTopicLogDetail(entry.detail);
  if (facts === undefined) return undefined;
  const action =
    entry.action === 'topicCreate'
      ? 'topicCreate'
      : entry.action === 'topicMove'
        ? 'topicMove'
        : facts.closed
          ? 'topicClose'
          : facts.reopened
            ? 'topicReopen'
            : 'topicRename';
  return { action, topic: facts.topic };
}

function noticeView(
  entry: GroupLogEntry,
  self: string,
  topicNames: ReadonlyMap<string, string>,
): MessageView {
  return {
    id: `op-${entry.sequence}`,
    kind: 'notice',
    author: { address: entry.actor, name: entry.actorPseudonym, self: entry.actor === self },
    text: '',
    notice: operationNotice(entry, topicNames),
    sentAt: entry.at,
    delivery: 'received',
    reactions: [],
    deleted: false,
    pinned: false,
    ...(entry.action === 'setPolicy' && entry.timer !== undefined ? { timer: entry.timer } : {}),
  };
}

/** The last message's text, short; empty when there is none or it was deleted. */
export function previewOf(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length <= PREVIEW_LENGTH ? flat : `${flat.slice(0, PREVIEW_LENGTH - 1)}…`;
}

/** An author's edit or deletion, as the window marks it (nothing when neither). */
function authorChangeFields(
  message: Pick<HistoryMessage, 'editedAt' | 'deletedByAuthor'>,
): Pick<MessageView, 'edited' | 'deletedByAuthor'> {
  if (message.deletedByAuthor === true) return { deletedByAuthor: true };
  return message.editedAt === undefined ? {} : { edited: true };
}
