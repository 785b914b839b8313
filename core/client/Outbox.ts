import { toHex } from '../bytes/bytes.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

/** A message waiting for the relay's SendAck. The Content is kept as plaintext (the vault
 * encrypts it at rest) and sealed afresh on every attempt; each attempt is a new ratchet step. */
export interface OutboxEntry {
  readonly messageId: Uint8Array;
  readonly recipient: string;
  readonly sequence: number;
  /** The encoded Content protobuf. */
  readonly content: Uint8Array;
  readonly enqueuedAt: number;
  /** Where the message sits in the conversation history, to mark it sent; absent for
   * introductions, which history does not show. */
  readonly historyIndex?: number;
  /**
   * The key to write with when the recipient is neither a contact nor a group peer: an answer to
   * someone whose introduction we refused (InviteRefused).
   */
  readonly accessKey?: Uint8Array;
  /**
   * Not delivered (the relay refused it, or it could not be handed over in time): kept, not sent,
   * until the user retries it. The code says why.
   */
  readonly failed?: string;
}

const OUTBOX = 'client/outbox';

/**
 * Messages written but not yet acknowledged by the relay. An entry is written before the first
 * send attempt and deleted only when a SendAck arrives, so a message survives restarts of the
 * client and the relay; a retry after a lost ack may deliver it twice, which the recipient's
 * dedupe by message id absorbs.
 */
export class Outbox {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async put(entry: OutboxEntry): Promise<void> {
    await this.#store.put(entryKey(entry.messageId), encodeRecord(entry));
  }

  async remove(messageId: Uint8Array): Promise<void> {
    await this.#store.delete(entryKey(messageId));
  }

  async get(messageId: Uint8Array): Promise<OutboxEntry | undefined> {
    const bytes = await this.#store.get(entryKey(messageId));
    return bytes === undefined ? undefined : parseEntry(bytes);
  }

  /** Every entry kept as not delivered (waiting for a retry). */
  async listFailed(): Promise<OutboxEntry[]> {
    return (await this.#store.list(OUTBOX))
      .map((entry) => parseEntry(entry.value))
      .filter((entry) => entry.failed !== undefined);
  }

  /** Every waiting entry (not the failed ones), grouped by recipient, each group in sequence order. */
  async list(): Promise<OutboxEntry[]> {
    const entries = (await this.#store.list(OUTBOX))
      .map((entry) => parseEntry(entry.value))
      .filter((entry) => entry.failed === undefined);
    return entries.sort((a, b) =>
      a.recipient === b.recipient ? a.sequence - b.sequence : a.recipient < b.recipient ? -1 : 1,
    );
  }
}

function entryKey(messageId: Uint8Array): string {
  return `${OUTBOX}/${toHex(messageId)}`;
}

function parseEntry(bytes: Uint8Array): OutboxEntry {
  const r = RecordReader.decode(bytes, 'outbox');
  const historyIndex = r.optionalNumber('historyIndex');
  const accessKey = r.optionalBytes('accessKey');
  const failed = r.optionalString('failed');
  return {
    messageId: r.bytes('messageId'),
    recipient: r.string('recipient'),
    sequence: r.number('sequence'),
    content: r.bytes('content'),
    enqueuedAt: r.number('enqueuedAt'),
    ...(historyIndex === undefined ? {} : { historyIndex }),
    ...(accessKey === undefined ? {} : { accessKey }),
    ...(failed === undefined ? {} : { failed }),
  };
}
