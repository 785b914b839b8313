import { describeTimerChange } from '../disappearing/timers.js';
import type { AttachmentPointer } from '../../attachments/AttachmentPointer.js';
import { checkAttachmentPointer } from '../../attachments/AttachmentPointer.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { RecordReader } from '../jsonRecord.js';
import type { JournalTextRole, ScheduleAnswerTag, StoredBody } from './MessageBody.js';
import { readScheduleAnswer } from './scheduleAnswers.js';

/**
 * A message as a conversation keeps it, 1:1 or group: the fields both kinds of conversation
 * share, so a field a later feature adds (attachments, a warning, an expiry) is added here once,
 * with its record form in {@link readStoredBody}. Each store extends it with what only it has
 * (1:1: direction, sequence, late, status; group: sender, status) and keeps its own entries that
 * are no messages (1:1 gap markers; group warnings and reports).
 *
 * Delivery status has two vocabularies, kept because the window and the CLI show them as they
 * are: 1:1 `queued | sent | failed | received`, group `pending | sent | failed` (absent for
 * members' messages). `queued` and `pending` mean the same (in the outbox); `received` and an
 * absent status the same (someone else's). Both stores take `sent` and `failed` alike
 * ({@link ConversationStore.setStatus}).
 */
export interface StoredMessage {
  readonly kind: 'message';
  /** Position in the conversation, from 1, in the order messages were stored. */
  readonly index: number;
  readonly messageId: Uint8Array;
  /** Who wrote it: our own address for our messages. */
  readonly author: string;
  readonly outgoing: boolean;
  /** The author's clock. */
  readonly sentAt: number;
  /** When this client stored it (received, or written for our own). */
  readonly storedAt: number;
  readonly text: string;
  /** The id of the message of the same conversation this one answers. */
  readonly replyTo?: Uint8Array;
  /** The author's content warning: the message is shown covered, with this label. */
  readonly warning?: string;
  /**
   * Who reacted with what: reactor's address → emoji, our own under our own address. One
   * reaction per person; absent when nobody reacted.
   */
  readonly reactions?: Readonly<Record<string, string>>;
  /**
   * Present on a timer-change line (the conversation's disappearing timer was set to this many
   * seconds, 0 off, by `author`); `text` then holds its words ("disappearing messages set to 1
   * day"). Such a line is never indexed for search, replied to or reacted to by the window.
   */
  readonly timer?: number;
  /**
   * When the message leaves the vault (ms since the epoch): its sending time (at most when it
   * was stored) plus the conversation's timer then. Absent when no timer applied. The sweeper
   * (core/client/disappearing/VaultSweeper.ts) deletes it from the store and the search index.
   */
  readonly expiresAt?: number;
  /** The files sent with it, in the order the author attached them; absent when none. */
  readonly attachments?: readonly StoredAttachment[];
  /**
   * When its author last edited it (the edit's sending time, the author's clock): `text` and
   * `warning` are the edit's. Absent: never edited. See messages/authorChanges.ts.
   */
  readonly editedAt?: number;
  /**
   * Its author deleted it for everyone: it keeps its place, shown as "deleted by its author",
   * with `text` '' and no warning, reactions, reply or attachments. Absent: not deleted.
   */
  readonly deletedByAuthor?: true;
  /** The prompt of a scheduled chat this message answers (a group's "A2"); absent: none. */
  readonly scheduleAnswer?: ScheduleAnswerTag;
  /** Journals: an update (`update`) or a follower's support answer (`support`); docs/journal.md. */
  readonly journal?: JournalTextRole;
  /**
   * The group topic it was posted into (its author's choice, signed with it); absent: General.
   * Where it shows now is the log's business (a moderator may have moved it): topicRules.ts.
   */
  readonly topicId?: Uint8Array;
  /** The root of the reply thread it belongs to; absent: not in a thread. */
  readonly threadRoot?: Uint8Array;
}

/**
 * Where an attachment's ciphertext stands on this device:
 * - `pending`: not downloaded yet (queued);
 * - `downloading`: a download started (`file` names its partial file; it resumes after a restart);
 * - `downloaded`: the verified ciphertext is in the vault's `attachments/` folder as `file`
 *   (our own: the ciphertext we uploaded);
 * - `failed`: it will not arrive, `error` says why (a CoreError code).
 */
export type AttachmentState = 'pending' | 'downloading' | 'downloaded' | 'failed';

/** One attachment of a stored message: its pointer (with the key) and its local state. */
export interface StoredAttachment {
  readonly pointer: AttachmentPointer;
  readonly state: AttachmentState;
  /** The ciphertext's random file name in the vault's `attachments/` folder. */
  readonly file?: string;
  /** Why it failed (a CoreError code). */
  readonly error?: string;
}

/** The outcome of sending one of our messages, in both vocabularies. */
export type SendOutcome = 'sent' | 'failed';

/** One of our texts (or timer-change lines), as compose built it. */
export interface OutgoingMessage {
  readonly messageId: Uint8Array;
  readonly sentAt: number;
  readonly body: StoredBody;
  /** When it leaves the vault, when the conversation has a timer. */
  readonly expiresAt?: number;
  /** The ciphertext files we kept of the body's attachments (vault `attachments/`), by position. */
  readonly attachmentFiles?: readonly string[];
}

/** Someone else's text, decoded and checked by the body codec. */
export interface IncomingMessage {
  readonly messageId: Uint8Array;
  readonly author: string;
  readonly sentAt: number;
  readonly storedAt: number;
  /** The author's sequence number in this conversation (1:1 keeps it on the message). */
  readonly sequence: number;
  /** 1:1: it arrived after a later message of its author (it filled a gap). */
  readonly late?: boolean;
  readonly body: StoredBody;
  /** When it leaves the vault, when the conversation has a timer. */
  readonly expiresAt?: number;
}

/**
 * The messages of ONE conversation (a contact, or a group), whatever keeps them. Every method
 * runs inside the persona's transaction: what it writes commits with the rest of the step. The
 * contract suite (tests/core/client/conversationStore.contract.ts) runs every implementation.
 */
export interface ConversationStore<M extends StoredMessage = StoredMessage> {
  /** Stores one of our texts, in the outbox's `queued`/`pending` status, as the next message. */
  appendOutgoing(message: OutgoingMessage): Promise<M>;
  /** Stores someone else's text as the next message. Duplicates are the caller's to drop. */
  appendIncoming(message: IncomingMessage): Promise<M>;
  /** The message with this id, ours or theirs; undefined when the conversation has none. */
  findMessage(messageId: Uint8Array): Promise<M | undefined>;
  /**
   * Sets `reactor`'s reaction to a message ('' takes it back; one per reactor). Returns the
   * message as it is now, or undefined when the conversation has no message with that id.
   */
  setReaction(messageId: Uint8Array, reactor: string, emoji: string): Promise<M | undefined>;
  /** Records how sending our message at `index` ended; nothing for an unknown index. */
  setStatus(index: number, status: SendOutcome): Promise<void>;
  /** Every message, in index order. */
  messages(): Promise<M[]>;
  /**
   * Deletes the message at `index` for good (its timer ran out): the record and its id lookup go,
   * while its id stays seen, so a replay is still dropped. Returns what was deleted, or undefined
   * for an unknown index.
   */
  deleteMessage(index: number): Promise<M | undefined>;
  /**
   * Replaces the local state of a message's attachments (downloads). Returns the message as it
   * is now, or undefined when the conversation has no message with that id.
   */
  setAttachments(
    messageId: Uint8Array,
    attachments: readonly StoredAttachment[],
  ): Promise<M | undefined>;
  /**
   * Writes `message` (one this conversation holds, as `findMessage` gave it, changed by its
   * author: messages/authorChanges.ts) back in its place. Returns it as stored, or undefined
   * when the conversation has no message with that id.
   */
  replaceMessage(message: M): Promise<M | undefined>;
}

/**
 * The body fields of a stored message record, read the same way by both stores: the one place a
 * new stored body field (attachments, a warning) is read.
 */
export function readStoredBody(
  r: RecordReader,
): Pick<
  StoredMessage,
  | 'text'
  | 'replyTo'
  | 'warning'
  | 'reactions'
  | 'timer'
  | 'expiresAt'
  | 'attachments'
  | 'editedAt'
  | 'deletedByAuthor'
  | 'scheduleAnswer'
  | 'journal'
  | 'topicId'
  | 'threadRoot'
> {
  const replyTo = r.optionalBytes('replyTo');
  const warning = r.optionalString('warning');
  const reactions = r.optionalStringRecord('reactions');
  const timer = r.optionalNumber('timer');
  const expiresAt = r.optionalNumber('expiresAt');
  const attachments = r.optionalList('attachments', readStoredAttachment);
  const editedAt = r.optionalNumber('editedAt');
  const deletedByAuthor = r.optionalBoolean('deletedByAuthor');
  const scheduleAnswer = readScheduleAnswer(r.optionalNested('scheduleAnswer'));
  const journal = r.optionalString('journal');
  const topicId = r.optionalBytes('topicId');
  const threadRoot = r.optionalBytes('threadRoot');
  return {
    text: r.string('text'),
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(warning === undefined ? {} : { warning }),
    ...(reactions === undefined ? {} : { reactions }),
    ...(timer === undefined ? {} : { timer }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(attachments === undefined ? {} : { attachments }),
    ...(editedAt === undefined ? {} : { editedAt }),
    ...(deletedByAuthor === true ? { deletedByAuthor } : {}),
    ...(scheduleAnswer === undefined ? {} : { scheduleAnswer }),
    ...(journal === 'update' || journal === 'support' ? { journal } : {}),
    ...(topicId === undefined ? {} : { topicId }),
    ...(threadRoot === undefined ? {} : { threadRoot }),
  };
}

function readStoredAttachment(r: RecordReader): StoredAttachment {
  const file = r.optionalString('file');
  const error = r.optionalString('error');
  return {
    pointer: readPointer(r.nested('pointer')),
    state: r.oneOf('state', ['pending', 'downloading', 'downloaded', 'failed'] as const),
    ...(file === undefined ? {} : { file }),
    ...(error === undefined ? {} : { error }),
  };
}

/** An attachment pointer as a record keeps it (CORE_VAULT_CORRUPT when out of bounds). */
export function readPointer(r: RecordReader): AttachmentPointer {
  const fileName = r.optionalString('fileName');
  const preview = r.optionalBytes('preview');
  const width = r.optionalNumber('width');
  const height = r.optionalNumber('height');
  const relayUrl = r.optionalString('relayUrl');
  const pointer: AttachmentPointer = {
    blobId: r.bytes('blobId'),
    key: r.bytes('key'),
    digest: r.bytes('digest'),
    size: r.number('size'),
    contentType: r.string('contentType'),
    ...(fileName === undefined ? {} : { fileName }),
    ...(preview === undefined ? {} : { preview }),
    ...(width === undefined || height === undefined ? {} : { width, height }),
    ...(relayUrl === undefined ? {} : { relayUrl }),
  };
  try {
    checkAttachmentPointer(pointer);
  } catch (error) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'stored attachment pointer malformed', {
      cause: error,
    });
  }
  return pointer;
}

/** What a store knows of a message besides its body when it writes it. */
export interface StoredBodyExtras {
  /** When it leaves the vault, when the conversation had a timer. */
  readonly expiresAt?: number | undefined;
  /** The ciphertext files the sender kept of the body's attachments, by position. */
  readonly attachmentFiles?: readonly string[] | undefined;
}

/**
 * The body fields a stored message takes from a body it stores (a text, or a timer-change line
 * in words), its expiry and its attachments: the one place they are written, for both stores.
 * Our own attachments are `downloaded` with their ciphertext file when the sender kept it
 * (`attachmentFiles`, by position), else `pending`.
 */
export function storedBodyOf(
  body: StoredBody,
  { expiresAt, attachmentFiles }: StoredBodyExtras = {},
): Pick<
  StoredMessage,
  | 'text'
  | 'replyTo'
  | 'warning'
  | 'timer'
  | 'expiresAt'
  | 'attachments'
  | 'scheduleAnswer'
  | 'journal'
  | 'topicId'
  | 'threadRoot'
> {
  const expiry = expiresAt === undefined ? {} : { expiresAt };
  if (body.kind === 'timerChange') {
    return { text: describeTimerChange(body.seconds), timer: body.seconds, ...expiry };
  }
  return {
    text: body.text,
    ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
    ...(body.warning === undefined ? {} : { warning: body.warning }),
    ...(body.scheduleAnswer === undefined ? {} : { scheduleAnswer: body.scheduleAnswer }),
    ...(body.topicId === undefined ? {} : { topicId: body.topicId }),
    ...(body.threadRoot === undefined ? {} : { threadRoot: body.threadRoot }),
    ...expiry,
    ...(body.attachments === undefined
      ? {}
      : {
          attachments: body.attachments.map((pointer, n): StoredAttachment => {
            const file = attachmentFiles?.[n];
            return file === undefined
              ? { pointer, state: 'pending' }
              : { pointer, state: 'downloaded', file };
          }),
        }),
    ...(body.journal === undefined ? {} : { journal: body.journal }),
  };
}
