// The one compliance suite every ConversationStore runs (STYLE.md rule 6): the 1:1 history and a
// group's messages behind the same interface, and the compose / apply-incoming steps both paths
// take through it. Each test opens a fresh, empty conversation and closes it afterwards.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ConversationStore,
  StoredMessage,
} from '../../../core/client/messages/ConversationStore.js';
import {
  applyIncoming,
  composeMessage,
} from '../../../core/client/messages/conversationMessages.js';
import type { ExpiringMessages } from '../../../core/client/disappearing/ExpiringMessages.js';
import type { SearchIndex } from '../../../core/client/search/SearchIndex.js';
import { CoreErrorCode } from '../../../core/index.js';
import { AuthorChangeDrop } from '../../../core/client/messages/authorChanges.js';

/** A delivery status in the shared reading: what the 1:1 and group vocabularies both mean. */
/** `delivered` and `read` are 1:1 only (receipts): a group message never reads past `sent`. */
export type DeliveryReading = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export interface OpenedConversation {
  readonly conversation: ConversationStore;
  /** Our own address: the author of what we append. */
  readonly self: string;
  /** The other side's address (a contact, or a fellow member). */
  readonly other: string;
  /** The message's status in the shared reading (the documented mapping of each store's). */
  readonly statusOf: (message: StoredMessage) => DeliveryReading;
  /** The same conversation, read afresh from what was stored (a new store over the same data). */
  readonly reopen: () => Promise<ConversationStore>;
  /** The search index the store feeds (over the same data). */
  readonly search: SearchIndex;
  /** The sweeper's notes of timed messages the store writes (over the same data). */
  readonly expiring: ExpiringMessages;
  readonly close: () => Promise<void>;
}

export function newId(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

export function describeConversationStoreContract(
  name: string,
  open: () => Promise<OpenedConversation>,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let opened: OpenedConversation;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.close();
    });

    async function incoming(text: string, sequence: number, replyTo?: Uint8Array) {
      return opened.conversation.appendIncoming({
        messageId: newId(),
        author: opened.other,
        sentAt: 1_000 + sequence,
        storedAt: 2_000 + sequence,
        sequence,
        body: { kind: 'text', text, ...(replyTo === undefined ? {} : { replyTo }) },
      });
    }

    it('appends ours and theirs in order, with author, direction and body', async () => {
      const { conversation, self, other } = opened;
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 500,
        body: { kind: 'text', text: 'hello' },
      });
      const theirs = await incoming('hi back', 1, ours.messageId);
      expect(ours).toMatchObject({ author: self, outgoing: true, text: 'hello', sentAt: 500 });
      expect(ours.replyTo).toBeUndefined();
      expect(opened.statusOf(ours)).toBe('queued');
      expect(theirs).toMatchObject({ author: other, outgoing: false, text: 'hi back' });
      expect(theirs.replyTo).toStrictEqual(ours.messageId);
      expect(opened.statusOf(theirs)).toBe('received');
      expect(theirs.index).toBeGreaterThan(ours.index);
      const listed = await conversation.messages();
      expect(listed.map((message) => message.text)).toStrictEqual(['hello', 'hi back']);
      expect(listed).toStrictEqual([ours, theirs]);
    });

    it('keeps a content warning on ours and theirs, also read afresh, and none on the rest', async () => {
      const { conversation } = opened;
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 600,
        body: { kind: 'text', text: 'the photo of my scar', warning: 'Graphic medical image' },
      });
      const theirs = await conversation.appendIncoming({
        messageId: newId(),
        author: opened.other,
        sentAt: 700,
        storedAt: 800,
        sequence: 1,
        body: { kind: 'text', text: 'my dad died last week', warning: 'Loss / bereavement' },
      });
      const plain = await incoming('no warning here', 2);
      expect(ours.warning).toBe('Graphic medical image');
      expect(theirs.warning).toBe('Loss / bereavement');
      expect(plain).not.toHaveProperty('warning');
      const reread = await (await opened.reopen()).messages();
      expect(reread.map((message) => message.warning)).toStrictEqual([
        'Graphic medical image',
        'Loss / bereavement',
        undefined,
      ]);
      expect(reread[2]).not.toHaveProperty('warning');
    });

    it('finds a message by id, ours or theirs, and answers undefined for an unknown id', async () => {
      const { conversation } = opened;
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 1,
        body: { kind: 'text', text: 'one' },
      });
      const theirs = await incoming('two', 1);
      expect(await conversation.findMessage(ours.messageId)).toStrictEqual(ours);
      expect(await conversation.findMessage(theirs.messageId)).toStrictEqual(theirs);
      expect(await conversation.findMessage(newId())).toBeUndefined();
    });

    it('keeps one reaction per person, replaces it, and takes it back', async () => {
      const { conversation, self, other } = opened;
      const theirs = await incoming('news', 1);
      expect(
        (await conversation.setReaction(theirs.messageId, self, '👍'))?.reactions,
      ).toStrictEqual({ [self]: '👍' });
      await conversation.setReaction(theirs.messageId, other, '💙');
      const replaced = await conversation.setReaction(theirs.messageId, self, '🎉');
      expect(replaced?.reactions).toStrictEqual({ [self]: '🎉', [other]: '💙' });
      await conversation.setReaction(theirs.messageId, self, '');
      const back = await conversation.setReaction(theirs.messageId, other, '');
      expect(back?.reactions).toBeUndefined();
      expect(await conversation.findMessage(theirs.messageId)).toStrictEqual(back);
      expect(await conversation.setReaction(newId(), self, '👍')).toBeUndefined();
    });

    it('records how sending ended, and ignores an unknown index', async () => {
      const { conversation } = opened;
      const sent = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 1,
        body: { kind: 'text', text: 'a' },
      });
      const failed = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 2,
        body: { kind: 'text', text: 'b' },
      });
      await conversation.setStatus(sent.index, 'sent');
      await conversation.setStatus(failed.index, 'failed');
      await conversation.setStatus(failed.index + 100, 'sent');
      const listed = await conversation.messages();
      expect(listed.map(opened.statusOf)).toStrictEqual(['sent', 'failed']);
      expect(listed).toHaveLength(2);
    });

    it('reads back everything it stored from a fresh store over the same data', async () => {
      const { conversation, self } = opened;
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 7,
        body: { kind: 'text', text: 'kept' },
      });
      const theirs = await incoming('also kept', 1, ours.messageId);
      await conversation.setReaction(ours.messageId, self, '👍');
      await conversation.setStatus(ours.index, 'sent');
      const before = await conversation.messages();
      const again = await opened.reopen();
      expect(await again.messages()).toStrictEqual(before);
      expect(await again.findMessage(theirs.messageId)).toStrictEqual(before[1]);
    });

    it('keeps expiries and timer lines, and deleting a message takes it out of the store, the search index and the sweeper notes', async () => {
      const { conversation, search, expiring } = opened;
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 1_000,
        body: { kind: 'text', text: 'fleeting words' },
        expiresAt: 5_000,
      });
      const line = await conversation.appendIncoming({
        messageId: newId(),
        author: opened.other,
        sentAt: 1_100,
        storedAt: 1_200,
        sequence: 1,
        body: { kind: 'timerChange', seconds: 60 },
        expiresAt: 6_000,
      });
      const lasting = await incoming('lasting words', 2);
      expect(ours.expiresAt).toBe(5_000);
      expect(line).toMatchObject({
        timer: 60,
        text: 'disappearing messages set to 1 minute',
        expiresAt: 6_000,
        outgoing: false,
      });
      expect(lasting.expiresAt).toBeUndefined();
      expect(await (await opened.reopen()).messages()).toStrictEqual([ours, line, lasting]);
      // The line is no text anyone wrote: not searchable.
      expect(await search.search('fleeting')).toHaveLength(1);
      expect(await search.search('disappearing')).toHaveLength(0);
      expect((await expiring.due(5_500)).map((due) => due.message.index)).toStrictEqual([
        ours.index,
      ]);
      expect(await expiring.due(7_000)).toHaveLength(2);
      expect(await expiring.due(4_999)).toHaveLength(0);

      expect(await conversation.deleteMessage(ours.index)).toStrictEqual(ours);
      expect(await conversation.findMessage(ours.messageId)).toBeUndefined();
      expect(await search.search('fleeting')).toHaveLength(0);
      expect(await search.search('lasting')).toHaveLength(1);
      expect((await expiring.due(7_000)).map((due) => due.message.index)).toStrictEqual([
        line.index,
      ]);
      expect(await conversation.deleteMessage(ours.index)).toBeUndefined();
      expect(await conversation.deleteMessage(999)).toBeUndefined();
      const again = await opened.reopen();
      expect(await again.messages()).toStrictEqual([line, lasting]);
      expect(await again.findMessage(ours.messageId)).toBeUndefined();
    });

    it('an author’s edit re-indexes the words and keeps the expiry; a deletion leaves only the place, across a reopen', async () => {
      const { conversation, search, expiring, other } = opened;
      const fields = { author: other, storedAt: 2_000, sequence: 1 };
      const theirs = await conversation.appendIncoming({
        messageId: newId(),
        ...fields,
        sentAt: 1_000,
        body: { kind: 'text', text: 'first draft', warning: 'Self-harm' },
        expiresAt: 9_000,
      });
      await conversation.setReaction(theirs.messageId, opened.self, '💙');
      const edit = { kind: 'edit', messageId: theirs.messageId, text: 'second thought' } as const;
      const edited = await applyIncoming(conversation, {
        ...fields,
        messageId: newId(),
        sentAt: 1_500,
        body: edit,
      });
      expect(edited).toMatchObject({ kind: 'edited', message: { text: 'second thought' } });
      // An older edit (by the author's clock) does not undo a newer one.
      expect(
        await applyIncoming(conversation, {
          ...fields,
          messageId: newId(),
          sentAt: 1_200,
          body: { ...edit, text: 'stale' },
        }),
      ).toStrictEqual({ kind: 'dropped', reason: AuthorChangeDrop.StaleEdit });
      // Our own edit of their message: refused by the compose step, not stored.
      await expect(
        composeMessage(conversation, opened.self, edit, { messageId: newId(), sentAt: 1_600 }),
      ).rejects.toMatchObject({ code: CoreErrorCode.NotAuthor });
      const read = await (await opened.reopen()).findMessage(theirs.messageId);
      expect(read).toMatchObject({ text: 'second thought', editedAt: 1_500, expiresAt: 9_000 });
      expect(read?.warning).toBeUndefined();
      expect(read?.reactions).toStrictEqual({ [opened.self]: '💙' });
      expect(await search.search('draft')).toHaveLength(0);
      expect(await search.search('thought')).toHaveLength(1);

      const deleted = await applyIncoming(conversation, {
        ...fields,
        messageId: newId(),
        sentAt: 1_700,
        body: { kind: 'delete', messageId: theirs.messageId },
      });
      expect(deleted).toMatchObject({ kind: 'deleted', previous: { text: 'second thought' } });
      const place = await (await opened.reopen()).findMessage(theirs.messageId);
      expect(place).toMatchObject({ text: '', deletedByAuthor: true, expiresAt: 9_000 });
      expect(place?.reactions).toBeUndefined();
      expect(place?.editedAt).toBeUndefined();
      expect(await search.search('thought')).toHaveLength(0);
      // Its place still leaves when the original would have.
      expect((await expiring.due(9_000)).map((due) => due.message.index)).toStrictEqual([
        theirs.index,
      ]);
      for (const body of [
        edit,
        { kind: 'reaction', messageId: theirs.messageId, emoji: '👍' },
      ] as const) {
        expect(
          await applyIncoming(conversation, { ...fields, messageId: newId(), sentAt: 1_800, body }),
        ).toMatchObject({ kind: 'dropped' });
      }
    });

    it('keeps attachment pointers and their local state, ours downloaded and theirs pending, across a reopen', async () => {
      const { conversation } = opened;
      const pointer = {
        blobId: new Uint8Array(randomBytes(16)),
        key: new Uint8Array(randomBytes(32)),
        digest: new Uint8Array(randomBytes(32)),
        size: 1234,
        contentType: 'image/jpeg',
        fileName: 'scan.jpg',
        width: 10,
        height: 20,
        relayUrl: 'ws://127.0.0.1:1234',
      };
      const ours = await conversation.appendOutgoing({
        messageId: newId(),
        sentAt: 7,
        body: { kind: 'text', text: '', attachments: [pointer] },
        attachmentFiles: ['ab12'],
      });
      expect(ours.attachments).toStrictEqual([{ pointer, state: 'downloaded', file: 'ab12' }]);
      const theirs = await opened.conversation.appendIncoming({
        messageId: newId(),
        author: opened.other,
        sentAt: 8,
        storedAt: 9,
        sequence: 1,
        body: { kind: 'text', text: 'see', attachments: [pointer, pointer] },
      });
      expect(theirs.attachments?.map((a) => a.state)).toStrictEqual(['pending', 'pending']);
      const updated = await conversation.setAttachments(theirs.messageId, [
        { pointer, state: 'downloaded', file: 'cd34' },
        { pointer, state: 'failed', error: CoreErrorCode.AttachmentCorrupt },
      ]);
      expect(updated?.attachments?.[1]).toStrictEqual({
        pointer,
        state: 'failed',
        error: CoreErrorCode.AttachmentCorrupt,
      });
      expect(await conversation.setAttachments(newId(), [])).toBeUndefined();
      const before = await conversation.messages();
      const again = await opened.reopen();
      const after = await again.messages();
      expect(after).toStrictEqual(before);
      expect(after[1]?.attachments?.[0]?.pointer.blobId).toStrictEqual(pointer.blobId);
    });

    describe('compose and apply-incoming through it', () => {
      it('composes a text and a reply; a reply to an unknown message is refused, nothing stored', async () => {
        const { conversation, self } = opened;
        const first = await composeMessage(
          conversation,
          self,
          { kind: 'text', text: 'first' },
          { messageId: newId(), sentAt: 1 },
        );
        const reply = await composeMessage(
          conversation,
          self,
          { kind: 'text', text: 'reply', replyTo: first.messageId },
          { messageId: newId(), sentAt: 2 },
        );
        expect(reply.replyTo).toStrictEqual(first.messageId);
        await expect(
          composeMessage(
            conversation,
            self,
            { kind: 'text', text: 'lost', replyTo: newId() },
            { messageId: newId(), sentAt: 3 },
          ),
        ).rejects.toMatchObject({ code: CoreErrorCode.MessageNotFound });
        expect((await conversation.messages()).map((m) => m.text)).toStrictEqual([
          'first',
          'reply',
        ]);
      });

      it('composes a reaction on the message it names, and refuses one to an unknown message', async () => {
        const { conversation, self } = opened;
        const theirs = await incoming('react to me', 1);
        const reacted = await composeMessage(
          conversation,
          self,
          { kind: 'reaction', messageId: theirs.messageId, emoji: '💙' },
          { messageId: newId(), sentAt: 5 },
        );
        expect(reacted.messageId).toStrictEqual(theirs.messageId);
        expect(reacted.reactions).toStrictEqual({ [self]: '💙' });
        await expect(
          composeMessage(
            conversation,
            self,
            { kind: 'reaction', messageId: newId(), emoji: '💙' },
            { messageId: newId(), sentAt: 6 },
          ),
        ).rejects.toMatchObject({ code: CoreErrorCode.MessageNotFound });
        expect(await conversation.messages()).toHaveLength(1);
      });

      it('applies an incoming text once, and a reaction only to a message it holds', async () => {
        const { conversation, other } = opened;
        const fields = { author: other, sentAt: 10, storedAt: 20, sequence: 1 };
        const messageId = newId();
        const stored = await applyIncoming(conversation, {
          ...fields,
          messageId,
          body: { kind: 'text', text: 'once' },
        });
        expect(stored.kind).toBe('stored');
        expect(
          await applyIncoming(conversation, {
            ...fields,
            messageId,
            body: { kind: 'text', text: 'once' },
          }),
        ).toStrictEqual({ kind: 'dropped', reason: 'duplicate' });
        const reaction = await applyIncoming(conversation, {
          ...fields,
          messageId: newId(),
          sequence: 2,
          body: { kind: 'reaction', messageId, emoji: '👍' },
        });
        expect(reaction).toMatchObject({ kind: 'reacted', emoji: '👍' });
        expect(
          await applyIncoming(conversation, {
            ...fields,
            messageId: newId(),
            sequence: 3,
            body: { kind: 'reaction', messageId: newId(), emoji: '👍' },
          }),
        ).toStrictEqual({ kind: 'dropped', reason: 'reaction to an unknown message' });
        const listed = await conversation.messages();
        expect(listed).toHaveLength(1);
        expect(listed[0]?.reactions).toStrictEqual({ [other]: '👍' });
      });
    });
  });
}
