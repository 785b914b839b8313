import type { RecordReader } from '../jsonRecord.js';
import type { TextBody } from './MessageBody.js';

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
}

/** The outcome of sending one of our messages, in both vocabularies. */
export type SendOutcome = 'sent' | 'failed';

/** One of our texts, as compose built it. */
export interface OutgoingMessage {
  readonly messageId: Uint8Array;
  readonly sentAt: number;
  readonly body: TextBody;
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
  readonly body: TextBody;
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
}

/**
 * The body fields of a stored message record, read the same way by both stores: the one place a
 * new stored body field (attachments, a warning) is read.
 */
export function readStoredBody(
  r: RecordReader,
): Pick<StoredMessage, 'text' | 'replyTo' | 'warning' | 'reactions'> {
  const replyTo = r.optionalBytes('replyTo');
  const warning = r.optionalString('warning');
  const reactions = r.optionalStringRecord('reactions');
  return {
    text: r.string('text'),
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(warning === undefined ? {} : { warning }),
    ...(reactions === undefined ? {} : { reactions }),
  };
}

/** The body fields a stored message takes from a text body. */
export function storedBodyOf(body: TextBody): Pick<StoredMessage, 'text' | 'replyTo' | 'warning'> {
  return {
    text: body.text,
    ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
    ...(body.warning === undefined ? {} : { warning: body.warning }),
  };
}
