/**
 * The directory's signed formats (core/directory): a listing the owner signs and the operator
 * countersigns, the operator key the trust root endorses, facilitator credentials and the
 * revocation list. Every alteration is refused with CORE_LISTING_INVALID and says why; a
 * credential's problems are standings, never throws.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  Persona,
  approveListing,
  checkFacilitatorCredential,
  createGroupInviteLink,
  endorseOperatorKey,
  generateInviteKeyPair,
  generateOperatorKeyPair,
  issueFacilitatorCredential,
  memberBucketFor,
  openDirectoryEntry,
  openRevocationList,
  openSignedListing,
  operatorKeyEndorsed,
  signListing,
  signRevocationList,
  wire,
} from '../../../core/index.js';
import type { ListingDraft } from '../../../core/index.js';

const NOW = 1_800_000_000_000;
const relayId = new Uint8Array(randomBytes(32));
const operator = generateOperatorKeyPair();
const owner = Persona.generate('Ana');
const groupId = new Uint8Array(randomBytes(16));
const joinLink = createGroupInviteLink(owner, {
  relayUrl: 'wss://relay.example.org',
  trustRoot: generateOperatorKeyPair().publicKey,
  groupId,
  inviteId: new Uint8Array(randomBytes(16)),
  invitePrivateKey: generateInviteKeyPair().privateKey,
  expiresAt: NOW + 365 * 86_400_000,
  maxUses: 10_000,
});
const draft: ListingDraft = {
  groupId,
  relayUrl: 'wss://relay.example.org',
  relayId,
  name: 'Living with sarcoma',
  description: 'Adults treated for soft-tissue sarcoma, and the people beside them.',
  conditions: ['c:sarcoma', 'desmoid tumour'],
  audiences: ['patients', 'caregivers'],
  languages: ['en', 'pt-BR'],
  region: 'GB',
  rhythm: 'weekly chat, Thursdays',
  joinByApproval: true,
  joinLink,
  facilitators: [],
};

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('listings', () => {
  const signed = signListing(owner, draft, NOW);

  it('round-trips a signed listing and the operator’s approval', () => {
    const listing = openSignedListing(signed);
    expect(listing.name).toBe(draft.name);
    expect(listing.audiences).toEqual(['patients', 'caregivers']);
    expect(listing.invite.groupId).toEqual(groupId);
    const entry = approveListing({
      operatorPrivateKey: operator.privateKey,
      relayId,
      signedListing: signed,
      members: memberBucketFor(37),
      approvedAt: NOW,
    });
    const approved = openDirectoryEntry(entry, { relayId, operatorKey: operator.publicKey });
    expect(approved.members).toBe('11-50');
    expect(approved.listing.conditions).toEqual(['c:sarcoma', 'desmoid tumour']);
  });

  it('refuses an altered description, bucket, or a missing countersignature, saying why', () => {
    const entry = approveListing({
      operatorPrivateKey: operator.privateKey,
      relayId,
      signedListing: signed,
      members: '1-10',
      approvedAt: NOW,
    });
    const relay = { relayId, operatorKey: operator.publicKey };
    const bigger = create(wire.DirectoryEntrySchema, {
      ...entry,
      members: wire.MemberBucket.MEMBER_BUCKET_OVER_200,
    });
    expect(() => openDirectoryEntry(bigger, relay)).toThrow(/countersignature/);
    // From the wire: field 2 (members) again, as varint 9, which the last value wins.
    const outOfRange = fromBinary(
      wire.DirectoryEntrySchema,
      Uint8Array.from([...toBinary(wire.DirectoryEntrySchema, entry), 0x10, 9]),
    );
    expect(() => openDirectoryEntry(outOfRange, relay)).toThrow(/member count/);
    const unsigned = create(wire.DirectoryEntrySchema, {
      ...entry,
      operatorSignature: new Uint8Array(),
    });
    expect(codeOf(() => openDirectoryEntry(unsigned, relay))).toBe(CoreErrorCode.ListingInvalid);
    const other = generateOperatorKeyPair();
    expect(() => openDirectoryEntry(entry, { relayId, operatorKey: other.publicKey })).toThrow(
      /countersignature/,
    );
    // The relay re-encodes the listing with another description: the owner's signature breaks.
    const listing = entry.listing;
    if (listing === undefined) throw new Error('approved entry without its listing');
    const bytes = listing.listing.slice();
    const at = Buffer.from(bytes).indexOf('Adults');
    bytes[at] = 'a'.charCodeAt(0);
    const tampered = toBinary(
      wire.SignedListingSchema,
      create(wire.SignedListingSchema, { ...listing, listing: bytes }),
    );
    expect(() => openSignedListing(tampered)).toThrow(/altered/);
  });

  it('bounds every field', () => {
    const refused = (change: Partial<ListingDraft>): string | undefined =>
      codeOf(() => signListing(owner, { ...draft, ...change }, NOW));
    expect(refused({ name: '' })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ name: 'x'.repeat(101) })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ conditions: [] })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ audiences: ['patients', 'patients'] })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ languages: ['English'] })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ region: 'Scotland' })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ joinLink: 'kindred:group/AAAA' })).toBe(CoreErrorCode.ListingInvalid);
    expect(refused({ groupId: new Uint8Array(randomBytes(16)) })).toBe(
      CoreErrorCode.ListingInvalid,
    );
    expect(codeOf(() => openSignedListing(new Uint8Array([1, 2, 3])))).toBe(
      CoreErrorCode.ListingInvalid,
    );
  });
});

describe('operator key and facilitator credentials', () => {
  it('the trust root endorses the operator key for one relay', () => {
    const trustRoot = generateOperatorKeyPair();
    const endorsement = endorseOperatorKey(trustRoot.privateKey, relayId, operator.publicKey);
    const facts = { trustRoot: trustRoot.publicKey, relayId, operatorKey: operator.publicKey };
    expect(operatorKeyEndorsed({ ...facts, endorsement })).toBe(true);
    expect(
      operatorKeyEndorsed({
        ...facts,
        operatorKey: generateOperatorKeyPair().publicKey,
        endorsement,
      }),
    ).toBe(false);
    expect(
      operatorKeyEndorsed({ ...facts, relayId: new Uint8Array(randomBytes(32)), endorsement }),
    ).toBe(false);
  });

  it('a credential is valid, expired, revoked, forged, another relay’s or another persona’s', () => {
    const address = owner.address;
    const bytes = issueFacilitatorCredential(operator.privateKey, {
      roleTitle: 'Navigator, St James’s Cancer Centre',
      address,
      relayId,
      issuedAt: NOW,
      expiresAt: NOW + 86_400_000,
    });
    const context = {
      operatorKey: operator.publicKey,
      relayId,
      address,
      now: NOW + 1000,
      revoked: new Set<string>(),
    };
    const good = checkFacilitatorCredential(bytes, context);
    expect(good.valid).toBe(true);
    if (!good.valid) throw new Error('unreachable');
    expect(good.credential.roleTitle).toMatch(/Navigator/);
    const problem = (change: Partial<typeof context>): string | undefined => {
      const standing = checkFacilitatorCredential(bytes, { ...context, ...change });
      return standing.valid ? undefined : standing.problem;
    };
    expect(problem({ now: NOW + 86_400_000 })).toBe('expired');
    expect(problem({ revoked: new Set([good.credential.credentialId]) })).toBe('revoked');
    expect(problem({ operatorKey: generateOperatorKeyPair().publicKey })).toBe('forged');
    expect(problem({ relayId: new Uint8Array(randomBytes(32)) })).toBe('other-relay');
    expect(problem({ address: Persona.generate('Bo').address })).toBe('other-persona');
    expect(checkFacilitatorCredential(new Uint8Array([9, 9]), context)).toEqual({
      valid: false,
      problem: 'malformed',
    });

    const list = signRevocationList(operator.privateKey, {
      relayId,
      credentialIds: [good.credential.credentialId],
      issuedAt: NOW,
    });
    const opened = openRevocationList(list, { relayId, operatorKey: operator.publicKey });
    expect(opened.revoked.has(good.credential.credentialId)).toBe(true);
    expect(
      codeOf(() =>
        openRevocationList(list, { relayId, operatorKey: generateOperatorKeyPair().publicKey }),
      ),
    ).toBe(CoreErrorCode.CredentialInvalid);
  });
});
