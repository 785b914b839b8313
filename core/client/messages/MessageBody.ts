import type { AttachmentPointer } from '../../attachments/AttachmentPointer.js';

/**
 * What a user wrote, the same in a 1:1 conversation and in a group: the checked form of the
 * protocol's MessageBody. A new kind (a timer change) is a new member of the union, and a new
 * field of a text (attachments, a content warning) a new field of {@link TextBody}; every switch
 * over `kind` is exhaustive, so the compiler lists each place that must learn it.
 */
export type MessageBody = TextBody | ReactionBody | TimerChangeBody | EditBody | DeleteBody;

/** A message of its own, shown in the conversation. */
export interface TextBody {
  readonly kind: 'text';
  /** 1 to MAX_TEXT_LENGTH UTF-16 code units; 0 to MAX_TEXT_LENGTH with attachments. */
  readonly text: string;
  /** The id of the message of the same conversation this one answers (16 bytes). */
  readonly replyTo?: Uint8Array;
  /**
   * Files sent with it (1 to MAX_ATTACHMENTS; absent when none), each naming the relay that
   * holds its blob. docs/attachments.md.
   */
  readonly attachments?: readonly AttachmentPointer[];
  /**
   * A content warning ("Graphic medical image", free text): readers see the message covered,
   * with this label, until they reveal it. 1 to MAX_WARNING_LENGTH code units; absent: none.
   */
  readonly warning?: string;
  /** The prompt of a scheduled chat this text answers ("A2"); absent: none. */
  readonly scheduleAnswer?: ScheduleAnswerTag;
  /**
   * Journals (docs/journal.md): `update`, an update of the sender's journal to a follower;
   * `support`, a follower's support message answering an update (`replyTo` names it). Absent:
   * an ordinary text. Kept only inside a journal; dropped anywhere else.
   */
  readonly journal?: JournalTextRole;
  /**
   * The group topic it is posted into (16 bytes); absent: General. Groups only: a 1:1
   * conversation drops it (`withoutTopic`). docs/groups.md, "Topics and threads".
   */
  readonly topicId?: Uint8Array;
  /** The reply thread it belongs to: the thread's root message (16 bytes, same conversation). */
  readonly threadRoot?: Uint8Array;
}

/**
 * Which prompt of a scheduled chat a text answers (docs/groups.md "Scheduled host-led chats"):
 * the chat, its occurrence (1 = the first) and the prompt (1 = Q1).
 */
export interface ScheduleAnswerTag {
  /** 16 bytes in hex. */
  readonly chatId: string;
  readonly occurrence: number;
  readonly prompt: number;
}

/** What a text is in a journal: an update to followers, or a follower's support answer. */
export type JournalTextRole = 'update' | 'support';

/**
 * The author's reaction to a message of the conversation: one per author per message, a newer one
 * replaces it, '' takes it back. It is no message of its own: it changes the one it names.
 */
export interface ReactionBody {
  readonly kind: 'reaction';
  /** The message reacted to (16 bytes). */
  readonly messageId: Uint8Array;
  readonly emoji: string;
}

/**
 * A 1:1 conversation's disappearing-messages timer changed (either side may change it): shown as
 * a line in the conversation, and from it on every message of the conversation expires
 * `seconds` after it was sent. Never in a group: a group's timer is its policy, which moderators
 * set (a group member drops one; see docs/messages.md).
 */
export interface TimerChangeBody {
  readonly kind: 'timerChange';
  /** 0: off; else MIN_DISAPPEARING_SECONDS .. MAX_DISAPPEARING_SECONDS. */
  readonly seconds: number;
}

/**
 * Its author replaced the words (and the content warning: absent, none) of one of their own
 * messages. No message of its own: it changes the one it names, which then shows "edited".
 */
export interface EditBody {
  readonly kind: 'edit';
  /** The message edited (16 bytes): the sender's own. */
  readonly messageId: Uint8Array;
  /** 1 to MAX_TEXT_LENGTH UTF-16 code units. */
  readonly text: string;
  readonly warning?: string;
}

/**
 * Its author deleted one of their own messages for everyone: it keeps its place, shown as
 * "deleted by its author", without its text, warning, reactions or attachments.
 */
export interface DeleteBody {
  readonly kind: 'delete';
  /** The message deleted (16 bytes): the sender's own. */
  readonly messageId: Uint8Array;
}

/** A body that changes a message of the conversation rather than adding one. */
export type MessageChangeBody = ReactionBody | EditBody | DeleteBody;

/** What a conversation stores as a message of its own: a text, or a timer-change line. */
export type StoredBody = TextBody | TimerChangeBody;
