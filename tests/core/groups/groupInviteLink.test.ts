/**
 * Group invite links: what createGroupInviteLink writes, parseGroupInviteLink reads back verified.
 * Anything tampered, malformed, re-encoded or foreign is CORE_INVALID_INVITE_LINK, an expired link
 * is CORE_INVITE_EXPIRED, and no input makes the parser throw anything else.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  GROUP_LINK_PREFIX,
  GroupSecret,
  MAX_GROUP_LINK_LENGTH,
  Persona,
  concatBytes,
  createGroupInviteLink,
  fromBase64Url,
  generateInviteKeyPair,
  logKeyHash,
  parseGroupInviteLink,
  toBase64Url,
  utf8,
  wire,
} from '../../../core/index.js';
import type { GroupInviteLinkData } from '../../../core/index.js';
import {
  HOUR_MS,
  T0,
  TestGroupLog,
  act,
  codeThrownBy,
  randomBytesOf,
  varint,
} from './groupTestLog.js';

const NOW = T0;
const inviter = Persona.generate('Moderator');
const inviteKeys = generateInviteKeyPair();
const secret = GroupSecret.generate();
const data: Omit<GroupInviteLinkData, 'inviter'> = {
  relayUrl: 'wss://relay.example.org',
  trustRoot: new Uint8Array([5, ...randomBytesOf(32)]),
  groupId: randomBytesOf(16),
  inviteId: randomBytesOf(16),
  invitePrivateKey: inviteKeys.privateKey,
  expiresAt: NOW + HOUR_MS,
  maxUses: 10,
};
const link = createGroupInviteLink(inviter, data);

type LinkInit = MessageInitShape<typeof wire.GroupInviteLinkSchema>;
const goodInit: LinkInit = {
  version: 2,
  ...data,
  expiresAt: BigInt(data.expiresAt),
  inviter: inviter.identityPublicKey,
};

function encodeLink(init: LinkInit): Uint8Array {
  return toBinary(wire.GroupInviteLinkSchema, create(wire.GroupInviteLinkSchema, init));
}

/** Signs link bytes the way an inviter does (the context string is the wire spec's). */
function signLink(signer: Persona, linkBytes: Uint8Array): Uint8Array {
  return signer.sign(concatBytes(utf8('kindred-group-invite-v1'), linkBytes));
}

function envelopeText(linkBytes: Uint8Array, signature: Uint8Array): string {
  const signed = toBinary(
    wire.SignedGroupInviteLinkSchema,
    create(wire.SignedGroupInviteLinkSchema, { link: linkBytes, signature }),
  );
  return GROUP_LINK_PREFIX + toBase64Url(signed);
}

/** A link with any fields, properly signed by `signer`. */
function signedLink(init: LinkInit, signer: Persona = inviter): string {
  const linkBytes = encodeLink(init);
  return envelopeText(linkBytes, signLink(signer, linkBytes));
}

function linkBytes(text: string = link): Uint8Array {
  const bytes = fromBase64Url(text.slice(GROUP_LINK_PREFIX.length));
  if (bytes === undefined) throw new Error('test link is not base64url');
  return bytes;
}

function expectInvalid(text: string, now: number = NOW): void {
  expect(codeThrownBy(() => parseGroupInviteLink(text, now))).toBe(CoreErrorCode.InvalidInviteLink);
}

/** Parsing may succeed only for a link that carries the test data; otherwise one of two codes. */
function expectOnlyLinkErrors(text: string): void {
  let thrown: unknown;
  try {
    const parsed = parseGroupInviteLink(text, NOW);
    expect(parsed.inviteId).toStrictEqual(data.inviteId);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) return;
  expect(CoreError.is(thrown)).toBe(true);
  expect([CoreErrorCode.InvalidInviteLink, CoreErrorCode.InviteExpired]).toContain(
    (thrown as CoreError).code,
  );
}

describe('group invite links', () => {
  it('round-trip everything they carry, with the inviter who signed them', () => {
    expect(link.startsWith(GROUP_LINK_PREFIX)).toBe(true);
    expect(parseGroupInviteLink(link, NOW)).toStrictEqual({
      ...data,
      inviter: inviter.identityPublicKey,
    });
    // The raw builder the tests below use writes what createGroupInviteLink does.
    expect(parseGroupInviteLink(signedLink(goodInit), NOW)).toStrictEqual(
      parseGroupInviteLink(link, NOW),
    );
  });

  it('tolerate surrounding whitespace', () => {
    expect(parseGroupInviteLink(`  ${link}\n`, NOW).inviteId).toStrictEqual(data.inviteId);
  });

  it('let their holder read the log and join the group', () => {
    const owner = Persona.generate('Owner');
    const group = TestGroupLog.create(owner);
    const keys = generateInviteKeyPair();
    const inviteId = randomBytesOf(16);
    group.do(
      owner,
      act.invite({ inviteId, inviteKey: keys.publicKey, expiresAt: NOW + HOUR_MS, maxUses: 1 }),
    );
    const text = createGroupInviteLink(owner, {
      ...data,
      groupId: group.groupId,
      inviteId,
      invitePrivateKey: keys.privateKey,
    });

    const parsed = parseGroupInviteLink(text, NOW);
    const joiner = Persona.generate('Newcomer');
    // The link opens nothing of the group secret's: its read key is not the log key.
    expect(logKeyHash(GroupSecret.forInvite(parsed.invitePrivateKey).logKey())).not.toStrictEqual(
      group.state.logKeyHash,
    );
    expect(Object.keys(parsed)).not.toContain('groupSecret');
    group.join(joiner, {
      inviteId: parsed.inviteId,
      privateKey: parsed.invitePrivateKey,
      publicKey: keys.publicKey,
    });
    expect(group.state.members.get(joiner.address)?.role).toBe('member');
  });

  it('expire at their expiry', () => {
    expect(parseGroupInviteLink(link, data.expiresAt - 1).expiresAt).toBe(data.expiresAt);
    for (const now of [data.expiresAt, data.expiresAt + 1, data.expiresAt + 365 * 24 * HOUR_MS]) {
      expect(codeThrownBy(() => parseGroupInviteLink(link, now))).toBe(CoreErrorCode.InviteExpired);
    }
  });

  it('refuse every flipped bit, in the link or its signature', () => {
    const bytes = linkBytes();
    for (let index = 0; index < bytes.length; index++) {
      for (const mask of [0x01, 0x80]) {
        const flipped = Uint8Array.from(bytes);
        flipped[index] = (flipped[index] ?? 0) ^ mask;
        expectInvalid(GROUP_LINK_PREFIX + toBase64Url(flipped));
      }
    }
  });

  it('refuse every changed character of the text', () => {
    for (let index = 0; index < link.length; index++) {
      const original = link[index];
      const replacement = original === 'A' ? 'B' : 'A';
      expectInvalid(link.slice(0, index) + replacement + link.slice(index + 1));
    }
  });

  it('refuse a truncated link', () => {
    const bytes = linkBytes();
    for (let length = 0; length < bytes.length; length++) {
      expectInvalid(GROUP_LINK_PREFIX + toBase64Url(bytes.subarray(0, length)));
    }
    for (let length = 0; length < link.length; length++) expectInvalid(link.slice(0, length));
  });

  it('refuse any other prefix', () => {
    const body = link.slice(GROUP_LINK_PREFIX.length);
    for (const prefix of [
      '',
      'kindred:contact/',
      'kindred:group',
      'kindred:groups/',
      'KINDRED:GROUP/',
      'Kindred:group/',
      'https://kindred.example/group/',
      ' kindred:group /',
    ]) {
      expectInvalid(prefix + body);
    }
    expectInvalid(GROUP_LINK_PREFIX);
    expectInvalid(`${GROUP_LINK_PREFIX}${GROUP_LINK_PREFIX}${body}`);
  });

  it(`refuse text longer than ${MAX_GROUP_LINK_LENGTH} characters before decoding it`, () => {
    const padded = link.padEnd(MAX_GROUP_LINK_LENGTH, ' ');
    expect(parseGroupInviteLink(padded, NOW).inviteId).toStrictEqual(data.inviteId);
    expectInvalid(`${padded} `);
    expectInvalid(`${GROUP_LINK_PREFIX}${'A'.repeat(1_000_000)}`);
  });

  it('refuse non-canonical base64url and non-canonical protobuf', () => {
    // Standard base64 alphabet and padding.
    const standard = btoa(String.fromCharCode(...linkBytes()));
    expect(standard).toMatch(/[+/=]/);
    expectInvalid(GROUP_LINK_PREFIX + standard);
    const bytes = linkBytes();
    const outer = fromBinary(wire.SignedGroupInviteLinkSchema, bytes);
    const field = (tag: number, value: Uint8Array): Uint8Array =>
      concatBytes(new Uint8Array([tag, ...varint(value.length)]), value);
    const linkField = field(0x0a, outer.link);
    const signatureField = field(0x12, outer.signature);
    expect(concatBytes(linkField, signatureField)).toStrictEqual(bytes);
    // The envelope's fields swapped, or one given twice.
    for (const reencoded of [
      concatBytes(signatureField, linkField),
      concatBytes(linkField, field(0x12, randomBytesOf(64)), signatureField),
      concatBytes(field(0x0a, randomBytesOf(8)), linkField, signatureField),
    ]) {
      expectInvalid(GROUP_LINK_PREFIX + toBase64Url(reencoded));
    }
    // The link itself re-encoded (version last, or as a long varint) and properly signed.
    const inner = outer.link;
    expect([inner[0], inner[1]]).toStrictEqual([0x08, 0x02]);
    for (const reencoded of [
      concatBytes(inner.subarray(2), new Uint8Array([0x08, 0x02])),
      concatBytes(new Uint8Array([0x08, 0x82, 0x00]), inner.subarray(2)),
    ]) {
      expect(fromBinary(wire.GroupInviteLinkSchema, reencoded).version).toBe(2);
      expectInvalid(envelopeText(reencoded, signLink(inviter, reencoded)));
    }
  });

  // protobuf-es keeps unknown fields and writes them back when it re-encodes: the parser must drop
  // them, or one invite would have many texts.
  it('refuses an unknown field appended to the envelope', () => {
    // Field 15, varint 1: not part of SignedGroupInviteLink.
    expectInvalid(
      GROUP_LINK_PREFIX + toBase64Url(concatBytes(linkBytes(), new Uint8Array([0x78, 0x01]))),
    );
  });

  it.each<[string, LinkInit]>([
    ['an unsupported version', { version: 3 }],
    ['a version 1 link (it carried the group secret)', { version: 1, groupSecret: secret.bytes }],
    ['no version', { version: 0 }],
    ['a short group id', { groupId: randomBytesOf(15) }],
    ['a group secret in a version 2 link', { groupSecret: secret.bytes }],
    ['a short invite id', { inviteId: randomBytesOf(15) }],
    ['a short invite private key', { invitePrivateKey: randomBytesOf(31) }],
    ['a short trust root', { trustRoot: randomBytesOf(32) }],
    ['a short inviter key', { inviter: randomBytesOf(32) }],
    ['no relay URL', { relayUrl: '' }],
    ['an overlong relay URL', { relayUrl: `wss://${'a'.repeat(2043)}` }],
    ['an expiry past the safe integers', { expiresAt: BigInt(Number.MAX_SAFE_INTEGER) + 1n }],
  ])('refuse a properly signed link with %s', (_name, override) => {
    expectInvalid(signedLink({ ...goodInit, ...override }));
  });

  it('accept a relay URL of exactly 2048 characters', () => {
    const relayUrl = `wss://${'a'.repeat(2042)}`;
    expect(relayUrl).toHaveLength(2048);
    expect(parseGroupInviteLink(signedLink({ ...goodInit, relayUrl }), NOW).relayUrl).toBe(
      relayUrl,
    );
  });

  it('refuse a link signed by anyone but the inviter it names', () => {
    const impostor = Persona.generate('Impostor');
    expectInvalid(signedLink(goodInit, impostor));
    // Naming the impostor as inviter but keeping the real inviter's signature.
    const renamed = encodeLink({ ...goodInit, inviter: impostor.identityPublicKey });
    expectInvalid(envelopeText(renamed, linkBytesSignature()));
    // A signature without the domain-separation prefix.
    const bare = encodeLink(goodInit);
    expectInvalid(envelopeText(bare, inviter.sign(bare)));
    // No signature at all.
    expectInvalid(envelopeText(bare, new Uint8Array(0)));
  });

  it('refuse anything that is not a string', () => {
    const values: unknown[] = [undefined, null, 42, {}, [link], linkBytes()];
    for (const value of values) expectInvalid(value as string);
  });

  const body = link.slice(GROUP_LINK_PREFIX.length);
  // One property per kind of text: fc.oneof over long strings is far slower than each alone.
  it.each<[string, fc.Arbitrary<string>]>([
    ['any text', fc.string({ maxLength: 300 })],
    ['any UTF-16', fc.string({ unit: 'binary', maxLength: 300 })],
    ['the prefix and any text', fc.string({ maxLength: 300 }).map((t) => GROUP_LINK_PREFIX + t)],
    [
      'the prefix and random bytes',
      fc.uint8Array({ maxLength: 400 }).map((bytes) => GROUP_LINK_PREFIX + toBase64Url(bytes)),
    ],
    [
      'the link with a slice replaced by random base64url',
      fc
        .tuple(fc.nat({ max: body.length }), fc.nat({ max: 8 }), fc.base64String({ maxLength: 8 }))
        .map(
          ([at, cut, insert]) =>
            GROUP_LINK_PREFIX +
            body.slice(0, at) +
            insert.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '') +
            body.slice(at + cut),
        ),
    ],
  ])('throw nothing but the two link codes for %s', (_name, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        expectOnlyLinkErrors(text);
      }),
      { numRuns: 150 },
    );
  });

  it('throw nothing but the two link codes for random mutations of the link bytes', () => {
    const bytes = linkBytes();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (flips) => {
          const mutated = Uint8Array.from(bytes);
          for (const [index, mask] of flips) mutated[index] = (mutated[index] ?? 0) ^ mask;
          expectOnlyLinkErrors(GROUP_LINK_PREFIX + toBase64Url(mutated));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The real inviter's signature over the good link. */
function linkBytesSignature(): Uint8Array {
  return fromBinary(wire.SignedGroupInviteLinkSchema, linkBytes()).signature;
}
