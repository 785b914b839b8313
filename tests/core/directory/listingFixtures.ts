/**
 * Real signed directory entries for tests and the bench: each group gets its own join link signed
 * by its owner, a listing signed by the owner, and the operator's countersignature.
 */
import { randomBytes } from 'node:crypto';
import {
  Persona,
  approveListing,
  createGroupInviteLink,
  generateInviteKeyPair,
  generateOperatorKeyPair,
  signListing,
} from '../../../core/index.js';
import type { ListingDraft, MemberBucket } from '../../../core/index.js';
import type { DirectoryEntry } from '../../../core/protocol/gen/kindred_pb.js';

export interface FixtureRelay {
  readonly relayId: Uint8Array;
  readonly relayUrl: string;
  readonly operator: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
}

export function fixtureRelay(relayUrl = 'wss://relay.example.org'): FixtureRelay {
  return {
    relayId: new Uint8Array(randomBytes(32)),
    relayUrl,
    operator: generateOperatorKeyPair(),
  };
}

export type ListingFields = Partial<
  Pick<
    ListingDraft,
    'name' | 'description' | 'conditions' | 'audiences' | 'languages' | 'region' | 'rhythm'
  >
>;

/** A listing of a new group, signed by `owner`, approved by the relay's operator. */
export function fixtureEntry(
  relay: FixtureRelay,
  fields: ListingFields = {},
  options: {
    owner?: Persona;
    members?: MemberBucket;
    now?: number;
    linkExpiresAt?: number;
    /** The relay whose operator countersigns (default `relay`): another to test a mismatch. */
    approvedBy?: FixtureRelay;
  } = {},
): DirectoryEntry {
  const now = options.now ?? Date.now();
  const owner = options.owner ?? Persona.generate('Owner');
  const groupId = new Uint8Array(randomBytes(16));
  const joinLink = createGroupInviteLink(owner, {
    relayUrl: relay.relayUrl,
    trustRoot: relay.operator.publicKey,
    groupId,
    inviteId: new Uint8Array(randomBytes(16)),
    invitePrivateKey: generateInviteKeyPair().privateKey,
    expiresAt: options.linkExpiresAt ?? now + 365 * 86_400_000,
    maxUses: 10_000,
  });
  const draft: ListingDraft = {
    groupId,
    relayUrl: relay.relayUrl,
    relayId: relay.relayId,
    name: fields.name ?? 'A support group',
    description: fields.description ?? 'People who meet to talk.',
    conditions: fields.conditions ?? ['c:sarcoma'],
    audiences: fields.audiences ?? ['patients'],
    languages: fields.languages ?? ['en'],
    region: fields.region ?? '',
    rhythm: fields.rhythm ?? 'weekly chat',
    joinByApproval: false,
    joinLink,
    facilitators: [],
  };
  const approver = options.approvedBy ?? relay;
  return approveListing({
    operatorPrivateKey: approver.operator.privateKey,
    relayId: approver.relayId,
    signedListing: signListing(owner, draft, now),
    members: options.members ?? '11-50',
    approvedAt: now,
  });
}
