// Receipts (docs/messages.md, "Delivery states") over a real MessageHistory: a receipt moves only
// our messages of the conversation with the contact who sent it, never backwards, and ignores ids
// it does not hold and malformed receipts.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import type { Contact, HistoryMessage } from '../../../core/client/index.js';
import { MemoryKeyValueStore } from '../../../core/client/index.js';
import { MessageHistory } from '../../../core/client/direct/MessageHistory.js';
import { MAX_RECEIPT_IDS, applyReceipt } from '../../../core/client/direct/Receipts.js';
import { ReceiptSchema, Receipt_Kind } from '../../../core/protocol/gen/kindred_pb.js';

const ADA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const CAL = '00000000-0000-4000-8000-00000000000c';

function id(byte: number): Uint8Array {
  return new Uint8Array(16).fill(byte);
}

function contact(address: string): Contact {
  return { address } as Contact;
}

function receipt(kind: Receipt_Kind, ids: Uint8Array[]) {
  return create(ReceiptSchema, { kind, messageIds: ids });
}

async function statusOf(history: MessageHistory, address: string, messageId: Uint8Array) {
  return (await history.findMessage(address, messageId))?.status;
}

describe('applyReceipt', () => {
  it('moves only the sender’s conversation, forward only, and ignores what it does not hold', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    const state = { history };
    const toBen = await history.appendOutgoing(BEN, { messageId: id(1), sentAt: 1, text: 'hi' });
    await history.setStatus(BEN, toBen.index, 'sent');
    const toCal = await history.appendOutgoing(CAL, { messageId: id(2), sentAt: 2, text: 'yo' });
    await history.setStatus(CAL, toCal.index, 'sent');

    // Cal cannot mark Ben's message, nor anything it does not hold (expired, deleted, unknown).
    expect(
      await applyReceipt(state, contact(CAL), receipt(Receipt_Kind.READ, [id(1), id(9)])),
    ).toEqual([]);
    expect(await statusOf(history, BEN, id(1))).toBe('sent');

    const delivered: HistoryMessage[] = await applyReceipt(
      state,
      contact(BEN),
      receipt(Receipt_Kind.DELIVERED, [id(1), id(1)]),
    );
    expect(delivered.map((m) => m.status)).toEqual(['delivered']);
    // A late ack never moves it back.
    await history.setStatus(BEN, toBen.index, 'sent');
    expect(await statusOf(history, BEN, id(1))).toBe('delivered');
    await applyReceipt(state, contact(BEN), receipt(Receipt_Kind.READ, [id(1)]));
    await applyReceipt(state, contact(BEN), receipt(Receipt_Kind.DELIVERED, [id(1)]));
    expect(await statusOf(history, BEN, id(1))).toBe('read');
    expect(await statusOf(history, CAL, id(2))).toBe('sent');
  });

  it('ignores a malformed receipt: unknown kind, too many ids, a wrong-sized id', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    const state = { history };
    await history.appendOutgoing(BEN, { messageId: id(1), sentAt: 1, text: 'hi' });
    const many = Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => id(1));
    for (const bad of [
      receipt(Receipt_Kind.UNSPECIFIED, [id(1)]),
      receipt(Receipt_Kind.DELIVERED, many),
      receipt(Receipt_Kind.DELIVERED, [new Uint8Array(15)]),
      receipt(Receipt_Kind.DELIVERED, []),
    ]) {
      expect(await applyReceipt(state, contact(BEN), bad)).toEqual([]);
    }
    expect(await statusOf(history, BEN, id(1))).toBe('queued');
  });
});
