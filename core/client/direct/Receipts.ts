import { bytesEqual } from '../../bytes/bytes.js';
import type { Receipt } from '../../protocol/gen/kindred_pb.js';
import { Receipt_Kind } from '../../protocol/gen/kindred_pb.js';
import type { Contact } from '../ContactBook.js';
import { encodeContent } from '../contentCodec.js';
import { MESSAGE_ID_BYTES, newMessageId } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { HistoryMessage } from './MessageHistory.js';

/** A receipt names at most this many messages; more go in several. */
export const MAX_RECEIPT_IDS = 100;

export type ReceiptKind = 'delivered' | 'read';

/**
 * Receipts for a contact's messages (docs/messages.md, "Delivery states"). `delivered` goes for
 * every text of theirs our vault stored, batched: DirectInbound notes each after its envelope
 * committed and flushes once the mailbox is drained, so a backlog of fifty messages costs one
 * envelope. `read` goes only to a contact we turned read receipts on for, when the window shows
 * their messages (`markRead`), once per message.
 */
export class Receipts {
  readonly #state: PersonaState;
  readonly #kickOutbox: () => void;
  /** Contact address → ids stored since the last flush, in order. */
  readonly #delivered = new Map<string, Uint8Array[]>();

  constructor(state: PersonaState, kickOutbox: () => void) {
    this.#state = state;
    this.#kickOutbox = kickOutbox;
  }

  /** Something new waits in the outbox (an answer queued beside a receipt's path). */
  kick(): void {
    this.#kickOutbox();
  }

  /** One of `address`'s messages is in our vault (its transaction committed). */
  noteDelivered(address: string, messageId: Uint8Array): void {
    const ids = this.#delivered.get(address);
    if (ids === undefined) this.#delivered.set(address, [messageId]);
    else ids.push(messageId);
  }

  /** Queues one `delivered` receipt per contact noted since the last flush. */
  async flushDelivered(): Promise<void> {
    if (this.#delivered.size === 0) return;
    const batches = [...this.#delivered];
    this.#delivered.clear();
    const state = this.#state;
    const queued = await state.transact(async () => {
      let count = 0;
      for (const [address, ids] of batches) {
        const contact = await state.contacts.get(address);
        if (!canAnswer(contact)) continue;
        await queueReceipts(state, address, 'delivered', ids);
        count += 1;
      }
      return count;
    });
    if (queued > 0) {
      await state.store.flush();
      this.#kickOutbox();
    }
  }

  /**
   * The window shows the conversation with `contact`: when read receipts are on for them, one
   * `read` receipt goes for their messages not yet reported read. Returns how many it named.
   */
  async markRead(contact: Contact): Promise<number> {
    const state = this.#state;
    const named = await state.transact(async () => {
      const current = await state.contacts.get(contact.address);
      if (current?.readReceipts !== true || !canAnswer(current)) return 0;
      const unread = (await state.history.list(contact.address)).filter(
        (entry): entry is HistoryMessage =>
          entry.kind === 'message' && !entry.outgoing && entry.readReported !== true,
      );
      if (unread.length === 0) return 0;
      for (const message of unread) {
        await state.history.markReadReported(contact.address, message.index);
      }
      await queueReceipts(
        state,
        contact.address,
        'read',
        unread.map((message) => message.messageId),
      );
      return unread.length;
    });
    if (named > 0) {
      await state.store.flush();
      this.#kickOutbox();
    }
    return named;
  }
}

function canAnswer(contact: Contact | undefined): contact is Contact {
  return contact !== undefined && contact.blocked !== true && contact.refused === undefined;
}

/** Queues receipts naming `ids` (in several when more than MAX_RECEIPT_IDS), inside a transaction. */
async function queueReceipts(
  state: PersonaState,
  address: string,
  kind: ReceiptKind,
  ids: readonly Uint8Array[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) {
    const sequence = await state.history.takeOutgoingSequence(address);
    const messageId = newMessageId();
    const sentAt = Date.now();
    const { bytes } = encodeContent({
      messageId,
      sequence,
      sentAt,
      body: {
        case: 'receipt',
        value: {
          kind: kind === 'read' ? Receipt_Kind.READ : Receipt_Kind.DELIVERED,
          messageIds: ids.slice(i, i + MAX_RECEIPT_IDS),
        },
      },
    });
    await state.outbox.put({
      messageId,
      recipient: address,
      sequence,
      content: bytes,
      enqueuedAt: sentAt,
    });
  }
}

/**
 * Inside the transaction of a receipt from `contact`: moves each named message of ours in the
 * conversation with them to delivered (or read). Ids we do not hold (expired, deleted, never
 * ours) are skipped: a receipt for them is a harmless no-op. A malformed receipt (unknown kind,
 * too many ids, a wrong-sized id) changes nothing. Returns the messages it moved.
 */
export async function applyReceipt(
  state: Pick<PersonaState, 'history'>,
  contact: Contact,
  receipt: Receipt,
): Promise<HistoryMessage[]> {
  const status =
    receipt.kind === Receipt_Kind.DELIVERED
      ? 'delivered'
      : receipt.kind === Receipt_Kind.READ
        ? 'read'
        : undefined;
  if (
    status === undefined ||
    receipt.messageIds.length === 0 ||
    receipt.messageIds.length > MAX_RECEIPT_IDS ||
    receipt.messageIds.some((id) => id.length !== MESSAGE_ID_BYTES)
  ) {
    return [];
  }
  const moved: HistoryMessage[] = [];
  const seen: Uint8Array[] = [];
  for (const id of receipt.messageIds) {
    if (seen.some((other) => bytesEqual(other, id))) continue;
    seen.push(id);
    const message = await state.history.findMessage(contact.address, id);
    if (!message?.outgoing) continue;
    const updated = await state.history.setStatus(contact.address, message.index, status);
    if (updated !== undefined && updated.status !== message.status) moved.push(updated);
  }
  return moved;
}
