import { bytesEqual, toHex } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';
import type {
  ConversationStore,
  IncomingMessage,
  OutgoingMessage,
  SendOutcome,
  StoredAttachment,
  StoredMessage,
} from '../messages/ConversationStore.js';
import { readStoredBody, storedBodyOf } from '../messages/ConversationStore.js';
import { withReaction } from '../messages/reactions.js';
import type { SearchIndex } from '../search/SearchIndex.js';
import { indexedConversation } from '../search/indexedConversation.js';
import { directConversation } from '../search/messageRefs.js';
import type { ExpiringMessages } from '../disappearing/ExpiringMessages.js';
import { expiringConversation } from '../disappearing/ExpiringMessages.js';

/**
 * Ours: `queued` (waiting for the relay), `sent` (the relay holds it), `delivered` (the contact's
 * device stored it: their receipt), `read` (it was on their screen: their read receipt, only if
 * they turned those on for us), `failed` (not delivered: see `failure`). Theirs: `received`.
 */
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

/** How far along each status of ours is: a later report never moves a message back. */
const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  failed: 1,
  sent: 2,
  delivered: 3,
  read: 4,
};

/** A text in a 1:1 conversation, ours or theirs: the shared stored message, and its sequence. */
export interface HistoryMessage extends StoredMessage {
  /** `out` exactly when `outgoing` (the name the CLI and the window have always read). */
  readonly direction: 'in' | 'out';
  readonly sequence: number;
  readonly status: MessageStatus;
  /** Arrived after a later message of the same sender (it filled a gap). */
  readonly late?: boolean;
  /** For `failed`: why (a CoreError or relay code, e.g. RELAY_MAILBOX_FULL). */
  readonly failure?: string;
  /** Theirs: a read receipt for it went out (so it goes once). */
  readonly readReported?: boolean;
}

/**
 * A visible marker: the contact's messages `from`..`to` (sequence numbers) had not arrived when a
 * later one did. `remaining` counts those still missing; late arrivals lower it.
 */
export interface HistoryGap {
  readonly kind: 'gap';
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly remaining: number;
  readonly storedAt: number;
}

/**
 * A visible event in the conversation that is not a message: `session-renewed` when one side,
 * restored from a backup, started a fresh secure session (see SessionRenewal.ts).
 */
export interface HistoryNotice {
  readonly kind: 'notice';
  readonly index: number;
  readonly notice: 'session-renewed';
  /** Who caused it: `out` for us, `in` for the contact. */
  readonly direction: 'in' | 'out';
  readonly storedAt: number;
}

export type HistoryEntry = HistoryMessage | HistoryGap | HistoryNotice;

interface MissingRange {
  from: number;
  to: number;
  /** Index of the gap marker this range belongs to. */
  marker: number;
}

interface ConversationState {
  nextIndex: number;
  nextOutgoingSequence: number;
  highestIncomingSequence: number;
  missing: MissingRange[];
  /**
   * Every message of the conversation is in the message-id index. False for conversations
   * stored before there was one: the first lookup indexes them.
   */
  idsIndexed: boolean;
}

/** At most this many separate missing ranges are tracked per conversation (oldest dropped). */
export const MAX_MISSING_RANGES = 256;

const CONVERSATIONS = 'client/conversations';
const MESSAGES = 'client/messages';
const SEEN = 'client/seen';
/** Message id → history index, per conversation: what replies and reactions point at. */
const MESSAGE_IDS = 'client/message-ids';

/**
 * The conversations of one persona: every entry in arrival order, our outgoing sequence numbers,
 * the incoming ones (to detect gaps), and the ids of messages already stored (to drop duplicates).
 * Each method writes with one batch, so callers running over a staged store commit it whole.
 */
export class MessageHistory {
  readonly #store: KeyValueStore;
  /** Our own address: the author of our messages. */
  readonly #self: string;

  /** Where stored texts are indexed for search (none in tests of the history alone). */
  readonly #search: SearchIndex | undefined;
  /** Where timed messages are noted for the sweeper (none in tests of the history alone). */
  readonly #expiring: ExpiringMessages | undefined;

  constructor(
    store: KeyValueStore,
    self: string,
    search?: SearchIndex,
    expiring?: ExpiringMessages,
  ) {
    this.#store = store;
    this.#self = self;
    this.#search = search;
    this.#expiring = expiring;
  }

  /** The conversation with `address`, as the shared conversation-store interface. */
  conversation(address: string): ConversationStore<HistoryMessage> {
    const ref = directConversation(address);
    const conversation = new DirectConversation(this, address);
    const indexed =
      this.#search === undefined
        ? conversation
        : indexedConversation(conversation, this.#search, ref);
    return this.#expiring === undefined
      ? indexed
      : expiringConversation(indexed, this.#expiring, ref);
  }

  /** Adds one of our texts (status `queued`) and gives it the next sequence number. */
  async appendOutgoing(
    address: string,
    message: {
      messageId: Uint8Array;
      sentAt: number;
      text: string;
      replyTo?: Uint8Array;
      warning?: string;
      timer?: number;
      expiresAt?: number;
      attachments?: readonly StoredAttachment[];
    },
  ): Promise<HistoryMessage> {
    const state = await this.#state(address);
    const { messageId, sentAt, ...body } = message;
    const entry: HistoryMessage = {
      kind: 'message',
      index: state.nextIndex,
      direction: 'out',
      author: this.#self,
      outgoing: true,
      messageId,
      sequence: state.nextOutgoingSequence,
      sentAt,
      storedAt: sentAt,
      ...body,
      status: 'queued',
    };
    state.nextIndex++;
    state.nextOutgoingSequence++;
    await this.#store.batch([
      { type: 'put', key: entryKey(address, entry.index), value: encodeRecord(entry) },
      { type: 'put', key: idKey(address, entry.messageId), value: indexRecord(entry.index) },
      { type: 'put', key: stateKey(address), value: encodeRecord(state) },
    ]);
    return entry;
  }

  /** The message with this id in the conversation with `address` (either direction), if any. */
  async findMessage(address: string, messageId: Uint8Array): Promise<HistoryMessage | undefined> {
    const index = await this.#indexOf(address, messageId);
    if (index === undefined) return undefined;
    const bytes = await this.#store.get(entryKey(address, index));
    const entry = bytes === undefined ? undefined : this.#parse(address, bytes);
    return entry?.kind === 'message' ? entry : undefined;
  }

  /**
   * Sets `reactor`'s reaction to a message of the conversation with `address` (an empty emoji
   * takes it back); one per reactor, so a new one replaces the old. Returns the message as it is
   * now, or undefined when the conversation has no message with that id.
   *
   * The last reaction to arrive wins: a contact's envelopes are stored in the order they were
   * sent (the sender's outbox sends one at a time, in sequence order, and the mailbox keeps
   * that order), so the last to arrive is the newest.
   */
  async setReaction(
    address: string,
    messageId: Uint8Array,
    reactor: string,
    emoji: string,
  ): Promise<HistoryMessage | undefined> {
    const message = await this.findMessage(address, messageId);
    if (message === undefined) return undefined;
    const updated = withReaction(message, reactor, emoji);
    await this.#store.put(entryKey(address, message.index), encodeRecord(updated));
    return updated;
  }

  /** Replaces the local state of a message's attachments; undefined for an unknown message. */
  async setAttachments(
    address: string,
    messageId: Uint8Array,
    attachments: readonly StoredAttachment[],
  ): Promise<HistoryMessage | undefined> {
    const message = await this.findMessage(address, messageId);
    if (message === undefined) return undefined;
    const updated: HistoryMessage = { ...message, attachments };
    await this.#store.put(entryKey(address, message.index), encodeRecord(updated));
    return updated;
  }

  /**
   * Writes `message` back in its place in the conversation with `address` (an author's edit or
   * deletion); undefined when the conversation has no message with its id.
   */
  async replaceMessage(
    address: string,
    message: HistoryMessage,
  ): Promise<HistoryMessage | undefined> {
    const stored = await this.findMessage(address, message.messageId);
    if (stored === undefined) return undefined;
    const replaced: HistoryMessage = { ...message, index: stored.index };
    await this.#store.put(entryKey(address, stored.index), encodeRecord(replaced));
    return replaced;
  }

  /** Adds a notice (see {@link HistoryNotice}) to the conversation with `address`. */
  async appendNotice(
    address: string,
    notice: { notice: HistoryNotice['notice']; direction: 'in' | 'out'; storedAt: number },
  ): Promise<HistoryNotice> {
    const state = await this.#state(address);
    const entry: HistoryNotice = { kind: 'notice', index: state.nextIndex++, ...notice };
    await this.#store.batch([
      { type: 'put', key: entryKey(address, entry.index), value: encodeRecord(entry) },
      { type: 'put', key: stateKey(address), value: encodeRecord(state) },
    ]);
    return entry;
  }

  /** Takes the next outgoing sequence number for a message history does not show. */
  async takeOutgoingSequence(address: string): Promise<number> {
    const state = await this.#state(address);
    const sequence = state.nextOutgoingSequence++;
    await this.#store.put(stateKey(address), encodeRecord(state));
    return sequence;
  }

  /**
   * Gives one of our queued texts another sequence number: the renewal after a restore numbers
   * its `SessionRenewed` before the texts written earlier (SessionRenewal.ts).
   */
  async setSequence(address: string, index: number, sequence: number): Promise<void> {
    const bytes = await this.#store.get(entryKey(address, index));
    if (bytes === undefined) return;
    const entry = this.#parse(address, bytes);
    if (entry.kind !== 'message') return;
    await this.#store.put(entryKey(address, index), encodeRecord({ ...entry, sequence }));
  }

  /**
   * `sender` was restored from a backup and renewed its session: its numbering went back to
   * where the backup left it, so its messages are counted afresh from the renewal's number
   * (`sequence`), which the caller records next. Older missing ranges can no longer be told
   * apart from the new series: their markers stay, but later arrivals no longer fill them.
   */
  async restartIncomingSeries(sender: string, sequence: number): Promise<void> {
    const state = await this.#state(sender);
    state.highestIncomingSequence = sequence - 1;
    state.missing = [];
    await this.#store.put(stateKey(sender), encodeRecord(state));
  }

  /**
   * Sets one of our messages' status. A receipt (`delivered`, `read`) never moves back to `sent`
   * or `failed` (the contact has it, whatever the relay said last); `failed` keeps its `failure`,
   * and `queued` (a retry) clears it. Returns the message as it now is.
   */
  async setStatus(
    address: string,
    index: number,
    status: MessageStatus,
    failure?: string,
  ): Promise<HistoryMessage | undefined> {
    const bytes = await this.#store.get(entryKey(address, index));
    if (bytes === undefined) return undefined;
    const entry = this.#parse(address, bytes);
    if (entry.kind !== 'message') return undefined;
    if (
      STATUS_RANK[entry.status] >= STATUS_RANK.delivered &&
      STATUS_RANK[status] < STATUS_RANK[entry.status]
    ) {
      return entry;
    }
    const updated: { -readonly [K in keyof HistoryMessage]: HistoryMessage[K] } = {
      ...entry,
      status,
    };
    delete updated.failure;
    if (status === 'failed' && failure !== undefined) updated.failure = failure;
    await this.#store.put(entryKey(address, index), encodeRecord(updated));
    return updated;
  }

  /** Notes that a read receipt went out for one of their messages. */
  async markReadReported(address: string, index: number): Promise<void> {
    const bytes = await this.#store.get(entryKey(address, index));
    if (bytes === undefined) return;
    const entry = this.#parse(address, bytes);
    if (entry.kind !== 'message') return;
    await this.#store.put(entryKey(address, index), encodeRecord({ ...entry, readReported: true }));
  }

  async hasSeen(sender: string, messageId: Uint8Array): Promise<boolean> {
    return (await this.#store.get(seenKey(sender, messageId))) !== undefined;
  }

  /**
   * Records an incoming message from `sender`: marks its id seen, tracks its sequence number
   * (adding a gap marker when numbers were skipped, or filling an earlier gap) and, when it has
   * text, stores it. Returns the entries it added.
   */
  async recordIncoming(
    sender: string,
    message: {
      messageId: Uint8Array;
      sequence: number;
      sentAt: number;
      storedAt: number;
      text?: string;
      replyTo?: Uint8Array;
    },
  ): Promise<HistoryEntry[]> {
    const { gaps, late } = await this.recordSequence(sender, message);
    if (message.text === undefined) return gaps;
    const entry = await this.appendIncoming(sender, {
      ...message,
      author: sender,
      body: {
        kind: 'text',
        text: message.text,
        ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
      },
      ...(late ? { late } : {}),
    });
    return [...gaps, entry];
  }

  /**
   * Records that an envelope from `sender` arrived, whatever it carries: marks its id seen and
   * tracks its sequence number (adding a gap marker when numbers were skipped, or filling an
   * earlier gap). Returns the gap marker it added, if any, and whether it filled a gap (`late`).
   */
  async recordSequence(
    sender: string,
    message: { messageId: Uint8Array; sequence: number; storedAt: number },
  ): Promise<{ gaps: HistoryGap[]; late: boolean }> {
    const state = await this.#state(sender);
    const gaps: HistoryGap[] = [];
    const writes: { key: string; value: Uint8Array }[] = [];
    let late = false;
    const expected = state.highestIncomingSequence + 1;
    if (message.sequence > expected) {
      const gap: HistoryGap = {
        kind: 'gap',
        index: state.nextIndex++,
        from: expected,
        to: message.sequence - 1,
        remaining: message.sequence - expected,
        storedAt: message.storedAt,
      };
      gaps.push(gap);
      writes.push({ key: entryKey(sender, gap.index), value: encodeRecord(gap) });
      state.missing.push({ from: gap.from, to: gap.to, marker: gap.index });
      if (state.missing.length > MAX_MISSING_RANGES) state.missing.shift();
    } else if (message.sequence < expected) {
      const filled = fillMissing(state.missing, message.sequence);
      if (filled !== undefined) {
        late = true;
        const bytes = await this.#store.get(entryKey(sender, filled));
        const marker = bytes === undefined ? undefined : this.#parse(sender, bytes);
        if (marker?.kind === 'gap') {
          writes.push({
            key: entryKey(sender, filled),
            value: encodeRecord({ ...marker, remaining: Math.max(0, marker.remaining - 1) }),
          });
        }
      }
    }
    state.highestIncomingSequence = Math.max(state.highestIncomingSequence, message.sequence);
    writes.push({ key: seenKey(sender, message.messageId), value: new Uint8Array([1]) });
    writes.push({ key: stateKey(sender), value: encodeRecord(state) });
    await this.#store.batch(writes.map((write) => ({ type: 'put', ...write })));
    return { gaps, late };
  }

  /** Stores a text from `sender` (whose sequence recordSequence has recorded) as the next entry. */
  async appendIncoming(sender: string, message: IncomingMessage): Promise<HistoryMessage> {
    const state = await this.#state(sender);
    const entry: HistoryMessage = {
      kind: 'message',
      index: state.nextIndex++,
      direction: 'in',
      author: sender,
      outgoing: false,
      messageId: message.messageId,
      sequence: message.sequence,
      sentAt: message.sentAt,
      storedAt: message.storedAt,
      ...storedBodyOf(message.body, { expiresAt: message.expiresAt }),
      status: 'received',
      ...(message.late === true ? { late: true } : {}),
    };
    await this.#store.batch([
      { type: 'put', key: entryKey(sender, entry.index), value: encodeRecord(entry) },
      { type: 'put', key: idKey(sender, entry.messageId), value: indexRecord(entry.index) },
      { type: 'put', key: stateKey(sender), value: encodeRecord(state) },
    ]);
    return entry;
  }

  /**
   * Deletes the message at `index` of the conversation with `address` (its timer ran out): its
   * record and id lookup go; its id stays seen. Returns it, or undefined when there is none.
   */
  async deleteMessage(address: string, index: number): Promise<HistoryMessage | undefined> {
    const bytes = await this.#store.get(entryKey(address, index));
    const entry = bytes === undefined ? undefined : this.#parse(address, bytes);
    if (entry?.kind !== 'message') return undefined;
    await this.#store.batch([
      { type: 'delete', key: entryKey(address, index) },
      { type: 'delete', key: idKey(address, entry.messageId) },
    ]);
    return entry;
  }

  /**
   * Deletes what is left of the conversation with `address` (notices, gap markers, its counters
   * and id lookups) once its messages went through {@link deleteMessage}; the ids stay seen.
   */
  async removeConversation(address: string): Promise<void> {
    const keys = [
      ...(await this.#store.list(`${MESSAGES}/${address}`)).map((entry) => entry.key),
      ...(await this.#store.list(`${MESSAGE_IDS}/${address}`)).map((entry) => entry.key),
      stateKey(address),
    ];
    await this.#store.batch(keys.map((key) => ({ type: 'delete' as const, key })));
  }

  /** A conversation's entries in the order they were stored. */
  async list(address: string): Promise<HistoryEntry[]> {
    const entries = await this.#store.list(`${MESSAGES}/${address}`);
    return entries
      .map((entry) => this.#parse(address, entry.value))
      .sort((a, b) => a.index - b.index);
  }

  #parse(address: string, bytes: Uint8Array): HistoryEntry {
    return parseEntry(bytes, address, this.#self);
  }

  async #state(address: string): Promise<ConversationState> {
    const bytes = await this.#store.get(stateKey(address));
    if (bytes === undefined) {
      return {
        nextIndex: 1,
        nextOutgoingSequence: 1,
        highestIncomingSequence: 0,
        missing: [],
        idsIndexed: true,
      };
    }
    const r = RecordReader.decode(bytes, 'conversation');
    return {
      idsIndexed: r.optionalBoolean('idsIndexed') ?? false,
      nextIndex: r.number('nextIndex'),
      nextOutgoingSequence: r.number('nextOutgoingSequence'),
      highestIncomingSequence: r.number('highestIncomingSequence'),
      missing: r.list('missing', (item) => ({
        from: item.number('from'),
        to: item.number('to'),
        marker: item.number('marker'),
      })),
    };
  }

  /** Where a message id sits in the conversation; indexes an older conversation on first use. */
  async #indexOf(address: string, messageId: Uint8Array): Promise<number | undefined> {
    const known = await this.#store.get(idKey(address, messageId));
    if (known !== undefined) return parseIndexRecord(known);
    const state = await this.#state(address);
    if (state.idsIndexed) return undefined;
    let found: number | undefined;
    const writes: { type: 'put'; key: string; value: Uint8Array }[] = [];
    for (const entry of await this.list(address)) {
      if (entry.kind !== 'message') continue;
      writes.push({
        type: 'put',
        key: idKey(address, entry.messageId),
        value: indexRecord(entry.index),
      });
      if (bytesEqual(entry.messageId, messageId)) found = entry.index;
    }
    writes.push({
      type: 'put',
      key: stateKey(address),
      value: encodeRecord({ ...state, idsIndexed: true }),
    });
    await this.#store.batch(writes);
    return found;
  }
}

/** Removes `sequence` from the missing ranges; returns the marker index it belonged to. */
function fillMissing(missing: MissingRange[], sequence: number): number | undefined {
  const at = missing.findIndex((range) => range.from <= sequence && sequence <= range.to);
  const range = missing[at];
  if (range === undefined) return undefined;
  const pieces: MissingRange[] = [];
  if (range.from < sequence)
    pieces.push({ from: range.from, to: sequence - 1, marker: range.marker });
  if (sequence < range.to) pieces.push({ from: sequence + 1, to: range.to, marker: range.marker });
  missing.splice(at, 1, ...pieces);
  return range.marker;
}

function stateKey(address: string): string {
  return `${CONVERSATIONS}/${address}`;
}

function entryKey(address: string, index: number): string {
  return `${MESSAGES}/${address}/${index}`;
}

function seenKey(sender: string, messageId: Uint8Array): string {
  return `${SEEN}/${sender}/${toHex(messageId)}`;
}

function idKey(address: string, messageId: Uint8Array): string {
  return `${MESSAGE_IDS}/${address}/${toHex(messageId)}`;
}

function indexRecord(index: number): Uint8Array {
  return encodeRecord({ index });
}

function parseIndexRecord(bytes: Uint8Array): number {
  return RecordReader.decode(bytes, 'message id').number('index');
}

/** An entry of the conversation with `address`; `self` is the author of our own messages. */
function parseEntry(bytes: Uint8Array, address: string, self: string): HistoryEntry {
  const r = RecordReader.decode(bytes, 'history');
  const kind = r.oneOf('kind', ['message', 'gap', 'notice'] as const);
  switch (kind) {
    case 'message': {
      const late = r.optionalBoolean('late');
      const failure = r.optionalString('failure');
      const readReported = r.optionalBoolean('readReported');
      const direction = r.oneOf('direction', ['in', 'out'] as const);
      return {
        kind,
        index: r.number('index'),
        direction,
        // Not read from the record: records from before the shared model lack them.
        author: direction === 'out' ? self : address,
        outgoing: direction === 'out',
        messageId: r.bytes('messageId'),
        sequence: r.number('sequence'),
        sentAt: r.number('sentAt'),
        storedAt: r.number('storedAt'),
        ...readStoredBody(r),
        status: r.oneOf('status', [
          'queued',
          'sent',
          'delivered',
          'read',
          'failed',
          'received',
        ] as const),
        ...(late === undefined ? {} : { late }),
        ...(failure === undefined ? {} : { failure }),
        ...(readReported === true ? { readReported } : {}),
      };
    }
    case 'notice':
      return {
        kind,
        index: r.number('index'),
        notice: r.oneOf('notice', ['session-renewed'] as const),
        direction: r.oneOf('direction', ['in', 'out'] as const),
        storedAt: r.number('storedAt'),
      };
    case 'gap':
      return {
        kind,
        index: r.number('index'),
        from: r.number('from'),
        to: r.number('to'),
        remaining: r.number('remaining'),
        storedAt: r.number('storedAt'),
      };
  }
}

/** One 1:1 conversation through the shared interface (what compose and applyIncoming use). */
class DirectConversation implements ConversationStore<HistoryMessage> {
  readonly #history: MessageHistory;
  readonly #address: string;

  constructor(history: MessageHistory, address: string) {
    this.#history = history;
    this.#address = address;
  }

  appendOutgoing(message: OutgoingMessage): Promise<HistoryMessage> {
    return this.#history.appendOutgoing(this.#address, {
      messageId: message.messageId,
      sentAt: message.sentAt,
      ...storedBodyOf(message.body, {
        expiresAt: message.expiresAt,
        attachmentFiles: message.attachmentFiles,
      }),
    });
  }

  deleteMessage(index: number): Promise<HistoryMessage | undefined> {
    return this.#history.deleteMessage(this.#address, index);
  }

  appendIncoming(message: IncomingMessage): Promise<HistoryMessage> {
    return this.#history.appendIncoming(this.#address, message);
  }

  findMessage(messageId: Uint8Array): Promise<HistoryMessage | undefined> {
    return this.#history.findMessage(this.#address, messageId);
  }

  setReaction(
    messageId: Uint8Array,
    reactor: string,
    emoji: string,
  ): Promise<HistoryMessage | undefined> {
    return this.#history.setReaction(this.#address, messageId, reactor, emoji);
  }

  async setStatus(index: number, status: SendOutcome): Promise<void> {
    await this.#history.setStatus(this.#address, index, status);
  }

  setAttachments(
    messageId: Uint8Array,
    attachments: readonly StoredAttachment[],
  ): Promise<HistoryMessage | undefined> {
    return this.#history.setAttachments(this.#address, messageId, attachments);
  }

  replaceMessage(message: HistoryMessage): Promise<HistoryMessage | undefined> {
    return this.#history.replaceMessage(this.#address, message);
  }

  async messages(): Promise<HistoryMessage[]> {
    return (await this.#history.list(this.#address)).filter(
      (entry): entry is HistoryMessage => entry.kind === 'message',
    );
  }
}
