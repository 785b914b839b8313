import { CoreError } from '../../errors/CoreError.js';
import type { RefusedListing } from './checkEntries.js';
import { checkEntries, newerRevocations, removedGroupIds } from './checkEntries.js';
import type { DirectoryTarget } from './directoryConnection.js';
import { openDirectoryConnection } from './directoryConnection.js';
import { fetchDirectory } from './directoryFetch.js';
import type { DirectoryStore, FollowRecord } from './DirectoryStore.js';

/** What one directory's sync did. */
export interface DirectorySyncResult {
  readonly relayUrl: string;
  readonly relayId: string;
  /** The relay said nothing changed since the version held (one frame each way). */
  readonly notModified: boolean;
  /** The directory version now held. */
  readonly version: number;
  /** The relay sent the whole directory (else a delta, or nothing). */
  readonly full: boolean;
  /** Listings new or changed in this sync that checked out. */
  readonly updated: number;
  readonly removed: number;
  /** Listings kept for this directory after the sync. */
  readonly listings: number;
  /** Listings refused (not kept), and the reasons of the first few. */
  readonly refused: number;
  readonly refusals: readonly RefusedListing[];
  /** DirectoryPage frames received. */
  readonly pages: number;
  /** Why the sync failed, when it did: nothing was changed then. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** How many refusals a result spells out. */
export const REFUSALS_SHOWN = 5;

/**
 * Syncs one followed directory: an anonymous connection (the operator key endorsed by the pinned
 * trust root), FetchDirectory with the version held, every entry checked, the newest revocation
 * list kept, the changes written in one batch. A failure (a CoreError) is the result's `error`,
 * with nothing changed; anything else is thrown.
 */
export async function syncDirectory(options: {
  readonly follow: FollowRecord;
  readonly store: DirectoryStore;
  readonly target: DirectoryTarget;
  readonly now?: () => number;
}): Promise<DirectorySyncResult> {
  const { follow, store } = options;
  const base = { relayUrl: follow.url, relayId: follow.relayId };
  let opened;
  try {
    opened = await openDirectoryConnection(options.target);
  } catch (error) {
    return failed(base, follow, error);
  }
  const relay = { relayId: opened.pin.relayId, operatorKey: opened.operatorKey };
  let answer;
  try {
    // A new operator key (endorsed, or we would not be here) re-checks every listing: start over.
    const operatorKeyChanged =
      follow.operatorKey !== undefined &&
      Buffer.compare(follow.operatorKey, opened.operatorKey) !== 0;
    answer = await fetchDirectory(opened.connection, operatorKeyChanged ? 0 : follow.version);
  } catch (error) {
    return failed(base, follow, error);
  } finally {
    opened.connection.close();
  }
  const syncedAt = (options.now ?? Date.now)();
  if (answer.notModified) {
    await store.putFollow({ ...follow, operatorKey: opened.operatorKey, lastSyncAt: syncedAt });
    return {
      ...base,
      notModified: true,
      version: follow.version,
      full: false,
      updated: 0,
      removed: 0,
      listings: follow.listings,
      refused: 0,
      refusals: [],
      pages: answer.pages,
    };
  }
  const checked = checkEntries(answer.entries, relay);
  // A refused entry of a delta replaced a listing the relay changed: the old one goes too.
  const removed = [
    ...removedGroupIds(answer.removed),
    ...checked.refused.map((refusal) => refusal.groupId).filter((id) => id !== ''),
  ];
  const revocations = newerRevocations(answer.revocations, follow.revocations, relay);
  const kept = answer.full ? 0 : await countAfterDelta(store, follow, checked.accepted, removed);
  const listings = answer.full ? checked.accepted.length : kept;
  const record: FollowRecord = {
    ...follow,
    version: answer.version,
    operatorKey: opened.operatorKey,
    lastSyncAt: syncedAt,
    listings,
    ...(revocations === undefined ? {} : { revocations }),
  };
  await store.applySync(record, { full: answer.full, put: checked.accepted, removed });
  return {
    ...base,
    notModified: false,
    version: answer.version,
    full: answer.full,
    updated: checked.accepted.length,
    removed: answer.removed.length,
    listings,
    refused: checked.refused.length,
    refusals: checked.refused.slice(0, REFUSALS_SHOWN),
    pages: answer.pages,
  };
}

/** How many listings of this directory a delta leaves: one read per listing it touches. */
async function countAfterDelta(
  store: DirectoryStore,
  follow: FollowRecord,
  put: readonly { readonly view: { readonly groupId: string } }[],
  removed: readonly string[],
): Promise<number> {
  let count = follow.listings;
  const putIds = new Set(put.map((listing) => listing.view.groupId));
  for (const id of new Set(removed)) {
    if (!putIds.has(id) && (await store.has(follow.relayId, id))) count -= 1;
  }
  for (const id of putIds) {
    if (!(await store.has(follow.relayId, id))) count += 1;
  }
  return Math.max(0, count);
}

function failed(
  base: { relayUrl: string; relayId: string },
  follow: FollowRecord,
  error: unknown,
): DirectorySyncResult {
  if (!CoreError.is(error)) throw error;
  return {
    ...base,
    notModified: false,
    version: follow.version,
    full: false,
    updated: 0,
    removed: 0,
    listings: follow.listings,
    refused: 0,
    refusals: [],
    pages: 0,
    error: { code: error.code, message: error.message },
  };
}
