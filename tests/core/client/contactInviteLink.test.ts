import { create, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContactCardData } from '../../../core/client/index.js';
import {
  CONTACT_LINK_PREFIX,
  CoreError,
  CoreErrorCode,
  Persona,
  concatBytes,
  createContactInviteLink,
  fromBase64Url,
  parseContactInviteLink,
  toBase64Url,
  utf8,
  wire,
} from '../../../core/client/index.js';

const persona = Persona.generate('Rare Fern');
const card: ContactCardData = {
  relayUrl: 'ws://127.0.0.1:4100',
  trustRoot: new Uint8Array([5, ...randomBytes(32)]),
  address: persona.address,
  identityKey: persona.identityPublicKey,
  accessKey: new Uint8Array(randomBytes(32)),
  profileKey: persona.profileKey,
  pseudonym: persona.pseudonym,
};
const NOW = 1_800_000_000_000;
const { link, inviteId } = createContactInviteLink(persona, {
  card,
  expiresAt: NOW + 3_600_000,
  maxUses: 3,
});

/** Parsing may succeed only for the original link; anything else is one of the two codes. */
function expectOnlyLinkErrors(input: string): void {
  try {
    const parsed = parseContactInviteLink(input, NOW);
    expect(parsed.card.address).toBe(persona.address);
  } catch (error) {
    expect(CoreError.is(error)).toBe(true);
    expect([CoreErrorCode.InvalidInviteLink, CoreErrorCode.InviteExpired]).toContain(
      (error as CoreError).code,
    );
  }
}

function linkBytes(): Uint8Array {
  const bytes = fromBase64Url(link.slice(CONTACT_LINK_PREFIX.length));
  if (bytes === undefined) throw new Error('test link is not base64url');
  return bytes;
}

describe('contact invite links', () => {
  it('round-trips the card, invite id, expiry and use limit', () => {
    expect(link.startsWith(CONTACT_LINK_PREFIX)).toBe(true);
    const parsed = parseContactInviteLink(link, NOW);
    expect(parsed.card).toStrictEqual(card);
    expect(parsed.inviteId).toStrictEqual(inviteId);
    expect(parsed.expiresAt).toBe(NOW + 3_600_000);
    expect(parsed.maxUses).toBe(3);
  });

  it('accepts a link that never expires', () => {
    const forever = createContactInviteLink(persona, { card, expiresAt: 0, maxUses: 0 });
    expect(parseContactInviteLink(forever.link, Number.MAX_SAFE_INTEGER).expiresAt).toBe(0);
  });

  it('refuses an expired link with CORE_INVITE_EXPIRED', () => {
    expect(() => parseContactInviteLink(link, NOW + 3_600_000)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InviteExpired }),
    );
  });

  it('refuses every single flipped byte with CORE_INVALID_INVITE_LINK', () => {
    const bytes = linkBytes();
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = bytes.slice();
        tampered[i] = (tampered[i] ?? 0) ^ mask;
        expect(
          () => parseContactInviteLink(CONTACT_LINK_PREFIX + toBase64Url(tampered), NOW),
          `byte ${i} ^ ${mask}`,
        ).toThrow(expect.objectContaining({ code: CoreErrorCode.InvalidInviteLink }));
      }
    }
  });

  it('refuses a card signed by someone else', () => {
    const mallory = Persona.generate('Mallory');
    const invite = toBinary(
      wire.ContactInviteSchema,
      create(wire.ContactInviteSchema, {
        version: 1,
        card: create(wire.ContactCardSchema, { ...card }),
        inviteId: new Uint8Array(16),
        expiresAt: 0n,
        maxUses: 0,
      }),
    );
    const signed = toBinary(
      wire.SignedContactInviteSchema,
      create(wire.SignedContactInviteSchema, {
        invite,
        signature: mallory.sign(concatBytes(utf8('kindred-invite-v1'), invite)),
      }),
    );
    expect(() => parseContactInviteLink(CONTACT_LINK_PREFIX + toBase64Url(signed), NOW)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InvalidInviteLink }),
    );
    // The same bytes signed by Fern are a valid link: the test forges only the signer.
    const genuine = toBinary(
      wire.SignedContactInviteSchema,
      create(wire.SignedContactInviteSchema, {
        invite,
        signature: persona.sign(concatBytes(utf8('kindred-invite-v1'), invite)),
      }),
    );
    expect(
      parseContactInviteLink(CONTACT_LINK_PREFIX + toBase64Url(genuine), NOW).card,
    ).toStrictEqual(card);
  });

  it("refuses a card whose address is not its identity key's", () => {
    const mallory = Persona.generate('Mallory');
    expect(() =>
      createContactInviteLink(persona, {
        card: { ...card, address: mallory.address },
        expiresAt: 0,
        maxUses: 0,
      }),
    ).toThrow(expect.objectContaining({ code: CoreErrorCode.InvalidInput }));
    const invite = toBinary(
      wire.ContactInviteSchema,
      create(wire.ContactInviteSchema, {
        version: 1,
        card: create(wire.ContactCardSchema, { ...card, address: mallory.address }),
        inviteId: new Uint8Array(16),
      }),
    );
    const signed = toBinary(
      wire.SignedContactInviteSchema,
      create(wire.SignedContactInviteSchema, {
        invite,
        signature: persona.sign(concatBytes(utf8('kindred-invite-v1'), invite)),
      }),
    );
    expect(() => parseContactInviteLink(CONTACT_LINK_PREFIX + toBase64Url(signed), NOW)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InvalidInviteLink }),
    );
  });

  it('refuses links that are not contact links', () => {
    for (const input of [
      '',
      'kindred:contact/',
      'kindred:contact/====',
      'kindred:group/AAAA',
      'https://example.org',
      `${CONTACT_LINK_PREFIX}${'A'.repeat(20_000)}`,
      `${CONTACT_LINK_PREFIX}AAAA`,
      link.slice(0, -3),
      `${link}A`,
    ]) {
      expect(() => parseContactInviteLink(input, NOW), input.slice(0, 40)).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InvalidInviteLink }),
      );
    }
  });

  it('throws only CoreErrors for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (input) => {
        expectOnlyLinkErrors(input);
        expectOnlyLinkErrors(CONTACT_LINK_PREFIX + input);
      }),
      { numRuns: 500 },
    );
  });

  it('throws only CoreErrors for mutations of a valid link', () => {
    const bytes = linkBytes();
    const mutation = fc.record({
      at: fc.nat({ max: bytes.length - 1 }),
      deleteCount: fc.nat({ max: 8 }),
      insert: fc.uint8Array({ maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let mutated = Array.from(bytes);
        for (const { at, deleteCount, insert } of mutations) {
          mutated.splice(at % (mutated.length + 1), deleteCount, ...insert);
        }
        mutated = mutated.slice(0, 4096);
        expectOnlyLinkErrors(CONTACT_LINK_PREFIX + toBase64Url(Uint8Array.from(mutated)));
      }),
      { numRuns: 500 },
    );
  });

  it('throws only CoreErrors for mutations of the link text', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: link.length - 1 }),
        fc.string({ minLength: 1, maxLength: 4 }),
        (at, replacement) => {
          expectOnlyLinkErrors(link.slice(0, at) + replacement + link.slice(at + 1));
        },
      ),
      { numRuns: 500 },
    );
  });
});
