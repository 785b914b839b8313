import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createHash } from 'node:crypto';
import { PrivateKey } from '@signalapp/libsignal-client';
import {
  bytesEqual,
  codePointLength,
  concatBytes,
  fromBase64Url,
  ownedBytes,
  toBase64Url,
  utf8,
} from '../bytes/bytes.js';
import { checkRelayUrl } from '../client/relayUrl.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { GROUP_LINK_PREFIX, parseGroupInviteLink } from '../groups/GroupInviteLink.js';
import type { GroupInviteLinkData } from '../groups/GroupInviteLink.js';
import type { Persona } from '../persona/Persona.js';
import {
  GROUP_ID_BYTES,
  PUBLIC_KEY_BYTES,
  RELAY_ID_BYTES,
  SIGNATURE_BYTES,
} from '../protocol/frames.js';
import type { DirectoryEntry, SignedListing } from '../protocol/gen/kindred_pb.js';
import {
  DirectoryEntrySchema,
  DirectoryListingSchema,
  ListingAudience as WireAudience,
  MemberBucket as WireBucket,
  SignedListingSchema,
} from '../protocol/gen/kindred_pb.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';

/**
 * A directory listing: what a group's owner publishes so that people can find the group, signed
 * by the owner persona and countersigned by the relay's operator (docs/directory.md). Everything
 * here is checked the same way by the relay (before it keeps a request) and by every client
 * (before it shows a listing), so a relay cannot alter a listing unnoticed.
 */
export type ListingAudience = 'patients' | 'caregivers' | 'family' | 'anyone';
export type MemberBucket = '1-10' | '11-50' | '51-200' | 'over-200';

export const LISTING_LIMITS = {
  nameLength: 100,
  descriptionLength: 600,
  conditions: 10,
  conditionLength: 60,
  languages: 10,
  rhythmLength: 200,
  facilitators: 10,
  facilitatorBytes: 1024,
} as const;

/** What an owner fills in; `joinLink` is a kindred:group/ link with many uses. */
export interface ListingDraft {
  readonly groupId: Uint8Array;
  readonly relayUrl: string;
  readonly relayId: Uint8Array;
  readonly name: string;
  readonly description: string;
  readonly conditions: readonly string[];
  readonly audiences: readonly ListingAudience[];
  readonly languages: readonly string[];
  /** '' (anywhere) or ISO 3166-1 alpha-2, optionally with a subdivision: "GB", "GB-SCT". */
  readonly region: string;
  readonly rhythm: string;
  readonly joinByApproval: boolean;
  readonly joinLink: string;
  /** SignedFacilitatorCredential bytes of the group's facilitators (checked on their own). */
  readonly facilitators: readonly Uint8Array[];
}

/** A listing whose owner signature and fields checked out. */
export interface Listing extends ListingDraft {
  readonly ownerKey: Uint8Array;
  readonly signedAt: number;
  /** The join link, parsed and verified (its signature; its expiry is `joinLinkExpired`). */
  readonly invite: GroupInviteLinkData;
}

/** A listing as the directory serves it, with the operator's countersignature checked. */
export interface ApprovedListing {
  readonly listing: Listing;
  readonly members: MemberBucket;
  readonly approvedAt: number;
  /** The SignedListing bytes, to store and to hash. */
  readonly signedListing: Uint8Array;
}

const OWNER_CONTEXT = utf8('kindred-listing-v1');
const APPROVAL_CONTEXT = utf8('kindred-listing-approval-v1');
const LISTING_VERSION = 1;
/** Unknown fields are dropped, so bytes carrying extras fail the canonical-encoding check. */
const STRICT = { readUnknownFields: false } as const;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/;
const REGION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

const AUDIENCES: Readonly<Record<ListingAudience, WireAudience>> = {
  patients: WireAudience.PATIENTS,
  caregivers: WireAudience.CAREGIVERS,
  family: WireAudience.FAMILY,
  anyone: WireAudience.ANYONE,
};
const BUCKETS: Readonly<Record<MemberBucket, WireBucket>> = {
  '1-10': WireBucket.MEMBER_BUCKET_1_10,
  '11-50': WireBucket.MEMBER_BUCKET_11_50,
  '51-200': WireBucket.MEMBER_BUCKET_51_200,
  'over-200': WireBucket.MEMBER_BUCKET_OVER_200,
};

function invalid(reason: string, cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.ListingInvalid, `the listing ${reason}`, { cause });
}

/** The bucket a group of `count` members shows in the directory. */
export function memberBucketFor(count: number): MemberBucket {
  if (count <= 10) return '1-10';
  if (count <= 50) return '11-50';
  if (count <= 200) return '51-200';
  return 'over-200';
}

/** Serialized SignedListing, signed by `owner` (the group's owner persona). */
export function signListing(
  owner: Persona,
  draft: ListingDraft,
  signedAt: number = Date.now(),
): Uint8Array {
  checkDraft(draft);
  const listing = toBinary(
    DirectoryListingSchema,
    create(DirectoryListingSchema, {
      version: LISTING_VERSION,
      groupId: draft.groupId,
      relayUrl: draft.relayUrl,
      relayId: draft.relayId,
      name: draft.name,
      description: draft.description,
      conditions: [...draft.conditions],
      audiences: draft.audiences.map((audience) => AUDIENCES[audience]),
      languages: [...draft.languages],
      region: draft.region,
      rhythm: draft.rhythm,
      joinByApproval: draft.joinByApproval,
      joinLink: joinLinkBytes(draft.joinLink),
      ownerKey: owner.identityPublicKey,
      signedAt: BigInt(signedAt),
      facilitators: [...draft.facilitators],
    }),
  );
  return toBinary(
    SignedListingSchema,
    create(SignedListingSchema, {
      listing,
      ownerSignature: owner.sign(concatBytes(OWNER_CONTEXT, listing)),
    }),
  );
}

/**
 * Parses and verifies a SignedListing (bytes or decoded): canonical encoding, every field within
 * bounds, the join link's signature and group, and the owner's signature. CORE_LISTING_INVALID
 * with the reason otherwise; no input makes it throw anything else.
 */
export function openSignedListing(signed: Uint8Array | SignedListing): Listing {
  let decoded: SignedListing;
  if (signed instanceof Uint8Array) {
    try {
      decoded = fromBinary(SignedListingSchema, signed, STRICT);
    } catch (error) {
      throw invalid('is malformed', error);
    }
    if (!bytesEqual(toBinary(SignedListingSchema, decoded), signed)) {
      throw invalid('is not canonically encoded');
    }
  } else {
    decoded = signed;
  }
  let wire;
  try {
    wire = fromBinary(DirectoryListingSchema, decoded.listing, STRICT);
  } catch (error) {
    throw invalid('is malformed', error);
  }
  if (!bytesEqual(toBinary(DirectoryListingSchema, wire), decoded.listing)) {
    throw invalid('is not canonically encoded');
  }
  if (wire.version !== LISTING_VERSION) throw invalid('has an unsupported version');
  if (
    wire.ownerKey.length !== PUBLIC_KEY_BYTES ||
    decoded.ownerSignature.length !== SIGNATURE_BYTES
  ) {
    throw invalid('has a malformed owner key or signature');
  }
  if (
    !verifyIdentitySignature(
      wire.ownerKey,
      concatBytes(OWNER_CONTEXT, decoded.listing),
      decoded.ownerSignature,
    )
  ) {
    throw invalid('was altered: the owner’s signature does not match');
  }
  const audiences = wire.audiences.map((value) => {
    const name = (Object.keys(AUDIENCES) as ListingAudience[]).find(
      (key) => AUDIENCES[key] === value,
    );
    if (name === undefined) throw invalid('names an unknown audience');
    return name;
  });
  if (wire.signedAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a malformed time');
  const joinLink = GROUP_LINK_PREFIX + toBase64Url(wire.joinLink);
  const draft: ListingDraft = {
    groupId: ownedBytes(wire.groupId),
    relayUrl: wire.relayUrl,
    relayId: ownedBytes(wire.relayId),
    name: wire.name,
    description: wire.description,
    conditions: wire.conditions,
    audiences,
    languages: wire.languages,
    region: wire.region,
    rhythm: wire.rhythm,
    joinByApproval: wire.joinByApproval,
    joinLink,
    facilitators: wire.facilitators.map((bytes) => ownedBytes(bytes)),
  };
  const invite = checkDraft(draft);
  return {
    ...draft,
    ownerKey: ownedBytes(wire.ownerKey),
    signedAt: Number(wire.signedAt),
    invite,
  };
}

/** The operator's countersignature over a listing, the relay's member bucket and a time. */
export function approveListing(options: {
  readonly operatorPrivateKey: Uint8Array;
  readonly relayId: Uint8Array;
  readonly signedListing: Uint8Array;
  readonly members: MemberBucket;
  readonly approvedAt: number;
}): DirectoryEntry {
  const listing = fromBinary(SignedListingSchema, options.signedListing, STRICT);
  const key = PrivateKey.deserialize(ownedBytes(options.operatorPrivateKey));
  const signature = key.sign(
    ownedBytes(
      approvalBytes(options.relayId, listing, BUCKETS[options.members], options.approvedAt),
    ),
  );
  return create(DirectoryEntrySchema, {
    listing,
    members: BUCKETS[options.members],
    approvedAt: BigInt(options.approvedAt),
    operatorSignature: signature,
  });
}

/**
 * Verifies a directory entry from the relay `relayId` whose operator key is `operatorKey` (learnt
 * through operatorKeyEndorsed): the operator's countersignature, the member bucket, the listing
 * itself (openSignedListing), and that the listing names this relay. CORE_LISTING_INVALID with
 * the reason otherwise.
 */
export function openDirectoryEntry(
  entry: DirectoryEntry,
  relay: { readonly relayId: Uint8Array; readonly operatorKey: Uint8Array },
): ApprovedListing {
  const signed = entry.listing;
  if (signed === undefined) throw invalid('is missing');
  const members = (Object.keys(BUCKETS) as MemberBucket[]).find(
    (key) => BUCKETS[key] === entry.members,
  );
  if (members === undefined) throw invalid('has a member count outside the known ranges');
  if (entry.approvedAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a malformed time');
  const approvedAt = Number(entry.approvedAt);
  if (
    entry.operatorSignature.length !== SIGNATURE_BYTES ||
    !verifyIdentitySignature(
      relay.operatorKey,
      approvalBytes(relay.relayId, signed, entry.members, approvedAt),
      entry.operatorSignature,
    )
  ) {
    throw invalid('lacks the operator’s countersignature, or it does not match');
  }
  const listing = openSignedListing(signed);
  if (!bytesEqual(listing.relayId, relay.relayId)) {
    throw invalid('names another relay than the directory that serves it');
  }
  return {
    listing,
    members,
    approvedAt,
    signedListing: toBinary(SignedListingSchema, signed),
  };
}

function approvalBytes(
  relayId: Uint8Array,
  signed: SignedListing,
  members: number,
  approvedAt: number,
): Uint8Array {
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, BigInt(approvedAt));
  return concatBytes(
    APPROVAL_CONTEXT,
    relayId,
    sha256(signed.listing),
    sha256(signed.ownerSignature),
    Uint8Array.of(members & 0xff),
    time,
  );
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** The SignedGroupInviteLink bytes of a link that checkDraft already verified. */
function joinLinkBytes(link: string): Uint8Array {
  const bytes = fromBase64Url(link.trim().slice(GROUP_LINK_PREFIX.length));
  if (bytes === undefined) throw invalid('has a join link that is not a valid group link');
  return bytes;
}

function parseJoinLink(link: string): GroupInviteLinkData {
  try {
    // Expiry is not a reason to refuse a listing: a client shows "no longer open to join".
    return parseGroupInviteLink(link, 0);
  } catch (error) {
    throw invalid('has a join link that is not a valid group link', error);
  }
}

/** Bounds every field; returns the parsed join link. */
function checkDraft(draft: ListingDraft): GroupInviteLinkData {
  const textWithin = (text: string, max: number): boolean =>
    typeof text === 'string' && codePointLength(text) <= max && !hasControlCharacter(text);
  if (draft.groupId.length !== GROUP_ID_BYTES) throw invalid('has a malformed group id');
  if (draft.relayId.length !== RELAY_ID_BYTES) throw invalid('has a malformed relay id');
  try {
    checkRelayUrl(draft.relayUrl, { allowInsecureTransport: true });
  } catch (error) {
    throw invalid('has a malformed relay address', error);
  }
  if (draft.name.trim() === '' || !textWithin(draft.name, LISTING_LIMITS.nameLength)) {
    throw invalid(`needs a name of 1 to ${LISTING_LIMITS.nameLength} characters`);
  }
  if (!textWithin(draft.description.replace(/\n/g, ' '), LISTING_LIMITS.descriptionLength)) {
    throw invalid(`has a description over ${LISTING_LIMITS.descriptionLength} characters`);
  }
  if (
    draft.conditions.length < 1 ||
    draft.conditions.length > LISTING_LIMITS.conditions ||
    draft.conditions.some(
      (condition) =>
        condition.trim() === '' || !textWithin(condition, LISTING_LIMITS.conditionLength),
    )
  ) {
    throw invalid(`needs 1 to ${LISTING_LIMITS.conditions} conditions`);
  }
  if (
    draft.audiences.length < 1 ||
    new Set(draft.audiences).size !== draft.audiences.length ||
    draft.audiences.some((audience) => !(audience in AUDIENCES))
  ) {
    throw invalid('needs who it is for (patients, caregivers, family, anyone), each once');
  }
  if (
    draft.languages.length < 1 ||
    draft.languages.length > LISTING_LIMITS.languages ||
    draft.languages.some((language) => !LANGUAGE.test(language))
  ) {
    throw invalid('needs 1 to 10 languages as tags like "en" or "pt-BR"');
  }
  if (draft.region !== '' && !REGION.test(draft.region)) {
    throw invalid('has a region that is not a country code like "GB" or "GB-SCT"');
  }
  if (!textWithin(draft.rhythm, LISTING_LIMITS.rhythmLength)) {
    throw invalid(`has a rhythm over ${LISTING_LIMITS.rhythmLength} characters`);
  }
  if (
    draft.facilitators.length > LISTING_LIMITS.facilitators ||
    draft.facilitators.some((bytes) => bytes.length > LISTING_LIMITS.facilitatorBytes)
  ) {
    throw invalid('has too many or too large facilitator credentials');
  }
  const invite = parseJoinLink(draft.joinLink);
  if (!bytesEqual(invite.groupId, draft.groupId)) {
    throw invalid('has a join link to another group');
  }
  return invite;
}

/** True when `text` holds a C0 control character (a line break, a tab, NUL): one-line fields refuse them. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 0x20) return true;
  }
  return false;
}
