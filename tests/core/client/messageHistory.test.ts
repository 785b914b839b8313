// MessageHistory is internal to the client (core does not export it), so this suite imports it by
// path: replies and reactions live in its records, and vaults written before either existed must
// still read.
import { describe, expect, it } from 'vitest';
import type { HistoryMessage } from '../../../core/client/index.js';
import { CoreErrorCode, MemoryKeyValueStore, toHex, utf8 } from '../../../core/client/index.js';
import { MessageHistory } from '../../../core/client/direct/MessageHistory.js';

const ADA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';

function id(byte: number): Uint8Array {
  return new Uint8Array(16).fill(byte);
}

function only(entries: readonly unknown[]): HistoryMessage {
  expect(entries).toHaveLength(1);
  return entries[0] as HistoryMessage;
}

describe('MessageHistory: replies', () => {
  it('stores what a message answers, ours and theirs, and reads it back', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    const first = await history.appendOutgoing(BEN, { messageId: id(1), sentAt: 1, text: 'hi' });
    const reply = only(
      await history.recordIncoming(BEN, {
        messageId: id(2),
        sequence: 1,
        sentAt: 2,
        storedAt: 2,
        text: 'hello back',
        replyTo: first.messageId,
      }),
    );
    const ours = await history.appendOutgoing(BEN, {
      messageId: id(3),
      sentAt: 3,
      text: 'and again',
      replyTo: reply.messageId,
    });
    expect(reply.replyTo).toStrictEqual(id(1));
    expect(ours.replyTo).toStrictEqual(id(2));
    const listed = (await history.list(BEN)) as HistoryMessage[];
    expect(listed.map((m) => m.replyTo && toHex(m.replyTo))).toStrictEqual([
      undefined,
      toHex(id(1)),
      toHex(id(2)),
    ]);
    expect('replyTo' in (listed[0] ?? {})).toBe(false);
  });
});

describe('MessageHistory: reactions', () => {
  it('keeps one reaction per person, replaces it, and takes it back', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    await history.appendOutgoing(BEN, { messageId: id(1), sentAt: 1, text: 'hi' });

    expect((await history.setReaction(BEN, id(1), BEN, '👍'))?.reactions).toStrictEqual({
      [BEN]: '👍',
    });
    expect((await history.setReaction(BEN, id(1), ADA, '❤️'))?.reactions).toStrictEqual({
      [BEN]: '👍',
      [ADA]: '❤️',
    });
    expect((await history.setReaction(BEN, id(1), BEN, '🎉'))?.reactions).toStrictEqual({
      [BEN]: '🎉',
      [ADA]: '❤️',
    });
    await history.setReaction(BEN, id(1), ADA, '');
    const [stored] = (await history.list(BEN)) as HistoryMessage[];
    expect(stored?.reactions).toStrictEqual({ [BEN]: '🎉' });

    const cleared = await history.setReaction(BEN, id(1), BEN, '');
    expect(cleared !== undefined && 'reactions' in cleared).toBe(false);
    // The message itself is untouched by all of this.
    expect(cleared).toMatchObject({ text: 'hi', status: 'queued', index: 1 });
  });

  it('answers undefined for an id the conversation does not hold', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    await history.appendOutgoing(BEN, { messageId: id(1), sentAt: 1, text: 'to ben' });
    await history.appendOutgoing(ADA, { messageId: id(2), sentAt: 1, text: 'to ada' });
    expect(await history.setReaction(BEN, id(9), BEN, '👍')).toBeUndefined();
    // A message of another conversation is not this one's.
    expect(await history.setReaction(BEN, id(2), BEN, '👍')).toBeUndefined();
    expect(await history.findMessage(ADA, id(2))).toMatchObject({ text: 'to ada' });
  });

  it('finds incoming messages too, late ones included', async () => {
    const history = new MessageHistory(new MemoryKeyValueStore(), ADA);
    await history.recordIncoming(BEN, {
      messageId: id(3),
      sequence: 3,
      sentAt: 3,
      storedAt: 3,
      text: 'c',
    });
    await history.recordIncoming(BEN, {
      messageId: id(1),
      sequence: 1,
      sentAt: 1,
      storedAt: 4,
      text: 'a',
    });
    expect((await history.setReaction(BEN, id(1), ADA, '👀'))?.late).toBe(true);
    expect((await history.setReaction(BEN, id(3), ADA, '👀'))?.text).toBe('c');
  });
});

describe('MessageHistory: records from before replies and reactions', () => {
  /** A conversation as a client without replies, reactions or the id index wrote it. */
  async function oldConversation(store: MemoryKeyValueStore): Promise<void> {
    const record = (value: object): Uint8Array => utf8(JSON.stringify(value));
    await store.put(
      `client/conversations/${BEN}`,
      record({ nextIndex: 3, nextOutgoingSequence: 2, highestIncomingSequence: 1, missing: [] }),
    );
    await store.put(
      `client/messages/${BEN}/1`,
      record({
        kind: 'message',
        index: 1,
        direction: 'out',
        messageId: 'AQEBAQEBAQEBAQEBAQEBAQ',
        sequence: 1,
        sentAt: 10,
        storedAt: 10,
        text: 'old out',
        status: 'sent',
      }),
    );
    await store.put(
      `client/messages/${BEN}/2`,
      record({
        kind: 'message',
        index: 2,
        direction: 'in',
        messageId: 'AgICAgICAgICAgICAgICAg',
        sequence: 1,
        sentAt: 11,
        storedAt: 12,
        text: 'old in',
        status: 'received',
      }),
    );
  }

  it('reads them without reply or reactions', async () => {
    const store = new MemoryKeyValueStore();
    await oldConversation(store);
    const listed = (await new MessageHistory(store, ADA).list(BEN)) as HistoryMessage[];
    expect(listed.map((m) => m.text)).toStrictEqual(['old out', 'old in']);
    for (const message of listed) {
      expect('replyTo' in message || 'reactions' in message).toBe(false);
    }
  });

  it('indexes their ids on first use, so replies and reactions reach old messages', async () => {
    const store = new MemoryKeyValueStore();
    await oldConversation(store);
    const history = new MessageHistory(store, ADA);
    expect((await history.findMessage(BEN, id(2)))?.text).toBe('old in');
    expect((await history.setReaction(BEN, id(1), BEN, '👍'))?.text).toBe('old out');
    expect(await history.findMessage(BEN, id(7))).toBeUndefined();
    // New messages carry on the old numbering.
    const next = await history.appendOutgoing(BEN, { messageId: id(3), sentAt: 20, text: 'new' });
    expect(next).toMatchObject({ index: 3, sequence: 2 });
    expect((await history.findMessage(BEN, id(3)))?.text).toBe('new');
  });

  it('refuses a reactions field that is not a map of strings as vault damage', async () => {
    const store = new MemoryKeyValueStore();
    await oldConversation(store);
    await store.put(
      `client/messages/${BEN}/1`,
      utf8(
        JSON.stringify({
          kind: 'message',
          index: 1,
          direction: 'out',
          messageId: 'AQEBAQEBAQEBAQEBAQEBAQ',
          sequence: 1,
          sentAt: 10,
          storedAt: 10,
          text: 'old out',
          status: 'sent',
          reactions: { [BEN]: 5 },
        }),
      ),
    );
    await expect(new MessageHistory(store, ADA).list(BEN)).rejects.toMatchObject({
      code: CoreErrorCode.VaultCorrupt,
    });
  });
});
