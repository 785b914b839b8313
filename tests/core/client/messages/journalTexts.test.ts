// The journal fields of a text (docs/journal.md): the codec's checks both ways, and where a
// journal text is dropped (journalRules), for the author's persona, a follower and anyone else.
import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { MessageBodySchema } from '../../../../core/protocol/gen/kindred_pb.js';
import {
  decodeMessageBody,
  encodeMessageBody,
  newMessageId,
  textBody,
} from '../../../../core/client/messages/messageBodyCodec.js';
import { journalDropReason } from '../../../../core/client/journal/journalRules.js';
import type { StoredMessage } from '../../../../core/client/messages/ConversationStore.js';
import type { MessageBody } from '../../../../core/client/messages/MessageBody.js';
import { CoreErrorCode } from '../../../../core/errors/CoreError.js';

const JOURNAL = 'journal-persona';
const update = newMessageId();

function roundTrip(body: MessageBody): MessageBody | undefined {
  return decodeMessageBody(create(MessageBodySchema, encodeMessageBody(body)));
}

/** The conversation holds one message: our update `update`. */
function find(messageId: Uint8Array): Promise<StoredMessage | undefined> {
  const ours = messageId.every((byte, i) => byte === update[i]);
  return Promise.resolve(
    ours ? ({ outgoing: true, journal: 'update' } as StoredMessage) : undefined,
  );
}

describe('journal texts in the codec', () => {
  it('round-trips an update and a support message, and refuses support answering nothing', () => {
    const posted = textBody('Scan was clear', { journal: 'update', warning: 'Medical' });
    expect(roundTrip(posted)).toStrictEqual(posted);
    const support = textBody('Hugs', { journal: 'support', replyTo: update });
    expect(roundTrip(support)).toStrictEqual(support);
    expect(() => textBody('Hugs', { journal: 'support' })).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
    );
    // A wire text with both flags, or support without a reply id, is malformed.
    const both = create(MessageBodySchema, {
      kind: { case: 'text', value: { body: 'x', journalUpdate: true, journalSupport: true } },
    });
    expect(decodeMessageBody(both)).toBeUndefined();
    const unanchored = create(MessageBodySchema, {
      kind: { case: 'text', value: { body: 'x', journalSupport: true } },
    });
    expect(decodeMessageBody(unanchored)).toBeUndefined();
  });
});

describe('where a journal text is dropped', () => {
  const author = { role: 'author', createdAt: 0 } as const;
  const follower = { role: 'follower', journal: JOURNAL, followedAt: 0 } as const;
  const posted = textBody('Update', { journal: 'update' });
  const support = textBody('Hugs', { journal: 'support', replyTo: update });
  const chat = textBody('Hello');

  it('outside any journal: every journal text, never an ordinary one', async () => {
    expect(await journalDropReason(undefined, 'x', posted, find)).toBe(
      'journal text outside a journal',
    );
    expect(await journalDropReason(undefined, 'x', support, find)).toBeDefined();
    expect(await journalDropReason(undefined, 'x', chat, find)).toBeUndefined();
  });

  it('by the journal persona: all but support and hearts for its own updates', async () => {
    expect(await journalDropReason(author, 'f', support, find)).toBeUndefined();
    expect(await journalDropReason(author, 'f', chat, find)).toBe(
      'a follower sends only support and hearts',
    );
    expect(await journalDropReason(author, 'f', posted, find)).toBeDefined();
    const elsewhere = textBody('Hugs', { journal: 'support', replyTo: newMessageId() });
    expect(await journalDropReason(author, 'f', elsewhere, find)).toBe(
      'support for an unknown update',
    );
    const heart: MessageBody = { kind: 'reaction', messageId: update, emoji: '❤️' };
    expect(await journalDropReason(author, 'f', heart, find)).toBeUndefined();
    const laugh: MessageBody = { kind: 'reaction', messageId: update, emoji: '😂' };
    expect(await journalDropReason(author, 'f', laugh, find)).toBeDefined();
  });

  it('by a follower: only updates from its journal, no journal text from anyone else', async () => {
    expect(await journalDropReason(follower, JOURNAL, posted, find)).toBeUndefined();
    expect(await journalDropReason(follower, JOURNAL, chat, find)).toBe(
      'a journal sends only updates',
    );
    expect(await journalDropReason(follower, 'someone', posted, find)).toBe(
      'journal text outside a journal',
    );
    expect(await journalDropReason(follower, 'someone', chat, find)).toBeUndefined();
  });
});
