import { toBase64Url, toHex } from '../../bytes/bytes.js';
import type { ApprovedListing, ListingAudience, MemberBucket } from '../../directory/index.js';

/**
 * A listing as this device keeps and shows it: every field of a checked directory entry, ids in
 * hex. Only entries that passed openDirectoryEntry become one; the vault keeps the entry's bytes
 * beside it so `listing()` can check it again (docs/directory.md, "The client's copy").
 */
export interface DirectoryListingView {
  readonly groupId: string;
  /** The relay hosting the group (the directory's relay: a listing naming another is refused). */
  readonly relayUrl: string;
  readonly relayId: string;
  readonly name: string;
  readonly description: string;
  /** Vocabulary ids (`c:als`) or free text, as the owner wrote them. */
  readonly conditions: readonly string[];
  readonly audiences: readonly ListingAudience[];
  readonly languages: readonly string[];
  /** '' when anywhere. */
  readonly region: string;
  readonly rhythm: string;
  readonly joinByApproval: boolean;
  /** The many-use group link "Ask to join" uses. */
  readonly joinLink: string;
  /** When the join link expires (ms); once past, the group is not open to join now. */
  readonly joinLinkExpiresAt: number;
  readonly members: MemberBucket;
  readonly approvedAt: number;
  readonly signedAt: number;
  /** The owner persona's identity key (hex). */
  readonly ownerKey: string;
  /** SignedFacilitatorCredential bytes, base64url, checked when shown. */
  readonly facilitators: readonly string[];
}

export function listingViewOf(approved: ApprovedListing): DirectoryListingView {
  const { listing } = approved;
  return {
    groupId: toHex(listing.groupId),
    relayUrl: listing.relayUrl,
    relayId: toHex(listing.relayId),
    name: listing.name,
    description: listing.description,
    conditions: [...listing.conditions],
    audiences: [...listing.audiences],
    languages: [...listing.languages],
    region: listing.region,
    rhythm: listing.rhythm,
    joinByApproval: listing.joinByApproval,
    joinLink: listing.joinLink,
    joinLinkExpiresAt: listing.invite.expiresAt,
    members: approved.members,
    approvedAt: approved.approvedAt,
    signedAt: listing.signedAt,
    ownerKey: toHex(listing.ownerKey),
    facilitators: listing.facilitators.map((bytes) => toBase64Url(bytes)),
  };
}
