import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { toHex } from '../../bytes/bytes.js';
import { openDirectoryEntry, openRevocationList } from '../../directory/index.js';
import { CoreError } from '../../errors/CoreError.js';
import { GROUP_ID_BYTES } from '../../protocol/frames.js';
import type { DirectoryEntry, SignedRevocationList } from '../../protocol/gen/kindred_pb.js';
import {
  DirectoryEntrySchema,
  DirectoryListingSchema,
  SignedRevocationListSchema,
} from '../../protocol/gen/kindred_pb.js';
import type { StoredListing } from './DirectoryStore.js';
import { listingViewOf } from './listingView.js';

/** A listing the client would not keep, and why (CORE_LISTING_INVALID's reason). */
export interface RefusedListing {
  /** The group id the entry claims (hex), '' when it has none readable. */
  readonly groupId: string;
  readonly reason: string;
}

export interface CheckedEntries {
  readonly accepted: StoredListing[];
  readonly refused: RefusedListing[];
}

/** The relay a directory comes from, as the trust root vouches for it. */
export interface DirectoryRelay {
  readonly relayId: Uint8Array;
  readonly operatorKey: Uint8Array;
}

/**
 * Puts every entry through openDirectoryEntry (the owner's signature, the operator's
 * countersignature, the bucket, every field's bounds, the hosting relay): what passes is kept,
 * what fails is counted with its reason. Two entries for one group: the later wins, as a relay
 * pages them in order.
 */
export function checkEntries(
  entries: readonly DirectoryEntry[],
  relay: DirectoryRelay,
): CheckedEntries {
  const accepted = new Map<string, StoredListing>();
  const refused: RefusedListing[] = [];
  for (const entry of entries) {
    try {
      const approved = openDirectoryEntry(entry, relay);
      const view = listingViewOf(approved);
      accepted.set(view.groupId, { view, entry: toBinary(DirectoryEntrySchema, entry) });
    } catch (error) {
      if (!CoreError.is(error)) throw error;
      refused.push({ groupId: claimedGroupId(entry), reason: error.message });
    }
  }
  return { accepted: [...accepted.values()], refused };
}

/** The group ids a delta removes, hex; ids of the wrong length are ignored. */
export function removedGroupIds(removed: readonly Uint8Array[]): string[] {
  return removed.filter((id) => id.length === GROUP_ID_BYTES).map((id) => toHex(id));
}

/**
 * The revocation list to keep: the served one when it is the operator's and newer than the one
 * held, else the one held (a relay cannot roll a revocation back by serving an older list). A
 * list that does not check out is ignored, never kept.
 */
export function newerRevocations(
  served: SignedRevocationList | undefined,
  held: { readonly issuedAt: number; readonly list: Uint8Array } | undefined,
  relay: DirectoryRelay,
): { readonly issuedAt: number; readonly list: Uint8Array } | undefined {
  if (served === undefined) return held;
  let opened;
  try {
    opened = openRevocationList(served, relay);
  } catch (error) {
    if (CoreError.is(error)) return held;
    throw error;
  }
  if (held !== undefined && opened.issuedAt <= held.issuedAt) return held;
  return { issuedAt: opened.issuedAt, list: toBinary(SignedRevocationListSchema, served) };
}

function claimedGroupId(entry: DirectoryEntry): string {
  // Only to name the refused entry in the sync result; the listing itself did not check out.
  try {
    const listing = fromBinary(DirectoryListingSchema, entry.listing?.listing ?? new Uint8Array());
    return listing.groupId.length === GROUP_ID_BYTES ? toHex(listing.groupId) : '';
  } catch {
    return '';
  }
}
