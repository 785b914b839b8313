import { fromUtf8, utf8 } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueOperation, KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';
import type { DirectoryListingView } from './listingView.js';

/** A directory this vault follows: the relay, as pinned, and what the last sync left. */
export interface FollowRecord {
  /** The relay's id (hex): the follow's key. */
  readonly relayId: string;
  readonly url: string;
  readonly trustRoot: Uint8Array;
  readonly allowInsecureTransport: boolean;
  /** The relay the vault's main persona is registered with, followed by default. */
  readonly home: boolean;
  readonly followedAt: number;
  /** The directory version held (0: none yet). */
  readonly version: number;
  /** The operator key the trust root endorsed at the last sync. */
  readonly operatorKey?: Uint8Array;
  /** The newest revocation list seen (SignedRevocationList bytes) and its time. */
  readonly revocations?: { readonly issuedAt: number; readonly list: Uint8Array };
  readonly lastSyncAt?: number;
  readonly listings: number;
}

/** A kept listing: its view, and the directory entry's bytes it was checked from. */
export interface StoredListing {
  readonly view: DirectoryListingView;
  readonly entry: Uint8Array;
}

const FOLLOWS = 'follows';
const ENTRIES = 'entries';
const SETTINGS = 'settings';

/**
 * The followed directories and their listings in the vault (docs/directory.md, "The client's
 * copy"): one record per follow, one per listing below its relay, written in one batch per sync
 * and read with one paged `list` (10,000 listings read in a few hundred ms, see
 * docs/performance.md, "Vault open and read").
 */
export class DirectoryStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async follows(): Promise<FollowRecord[]> {
    return (await this.#store.list(FOLLOWS)).map((entry) => readFollow(entry.value));
  }

  async follow(relayId: string): Promise<FollowRecord | undefined> {
    const bytes = await this.#store.get(`${FOLLOWS}/${relayId}`);
    return bytes === undefined ? undefined : readFollow(bytes);
  }

  async putFollow(follow: FollowRecord): Promise<void> {
    await this.#store.put(`${FOLLOWS}/${follow.relayId}`, encodeRecord(follow));
    await this.#store.flush();
  }

  /** Forgets a follow and every listing of it. */
  async removeFollow(relayId: string): Promise<void> {
    await this.#store.delete(`${FOLLOWS}/${relayId}`);
    await this.#store.deleteTree(`${ENTRIES}/${relayId}`);
    await this.#store.flush();
  }

  /** Whether the person stopped following their own relay's directory. */
  async homeUnfollowed(): Promise<boolean> {
    const bytes = await this.#store.get(SETTINGS);
    return bytes === undefined
      ? false
      : RecordReader.decode(bytes, 'directory settings').boolean('homeUnfollowed');
  }

  async setHomeUnfollowed(unfollowed: boolean): Promise<void> {
    await this.#store.put(SETTINGS, encodeRecord({ homeUnfollowed: unfollowed }));
    await this.#store.flush();
  }

  /** Every kept listing of one followed directory (relay id, hex), or of all. */
  async listings(relayId?: string): Promise<StoredListing[]> {
    const prefix = relayId === undefined ? ENTRIES : `${ENTRIES}/${relayId}`;
    return (await this.#store.list(prefix)).map((entry) => readListing(entry.value));
  }

  /** Whether a listing of that directory (relay id) and group (hex) is kept. */
  async has(relayId: string, groupId: string): Promise<boolean> {
    return (await this.#store.get(`${ENTRIES}/${relayId}/${groupId}`)) !== undefined;
  }

  /**
   * Applies a sync to the listings of `relayId` and stores its follow record, all in one atomic
   * batch: a full directory replaces what was kept, a delta adds, replaces and removes.
   */
  async applySync(
    follow: FollowRecord,
    change: {
      readonly full: boolean;
      readonly put: readonly StoredListing[];
      readonly removed: readonly string[];
    },
  ): Promise<void> {
    const prefix = `${ENTRIES}/${follow.relayId}`;
    if (change.full) await this.#store.deleteTree(prefix);
    const operations: KeyValueOperation[] = [
      ...change.removed.map((groupId) => ({
        type: 'delete' as const,
        key: `${prefix}/${groupId}`,
      })),
      ...change.put.map((listing) => ({
        type: 'put' as const,
        key: `${prefix}/${listing.view.groupId}`,
        value: utf8(
          JSON.stringify({
            view: listing.view,
            entry: Buffer.from(listing.entry).toString('base64'),
          }),
        ),
      })),
      { type: 'put', key: `${FOLLOWS}/${follow.relayId}`, value: encodeRecord(follow) },
    ];
    await this.#store.batch(operations);
    await this.#store.flush();
  }
}

function readFollow(bytes: Uint8Array): FollowRecord {
  const record = RecordReader.decode(bytes, 'directory follow');
  const revocations = record.optionalNested('revocations');
  const operatorKey = record.optionalBytes('operatorKey');
  const lastSyncAt = record.optionalNumber('lastSyncAt');
  return {
    relayId: record.string('relayId'),
    url: record.string('url'),
    trustRoot: record.bytes('trustRoot'),
    allowInsecureTransport: record.boolean('allowInsecureTransport'),
    home: record.boolean('home'),
    followedAt: record.number('followedAt'),
    version: record.number('version'),
    listings: record.number('listings'),
    ...(operatorKey === undefined ? {} : { operatorKey }),
    ...(lastSyncAt === undefined ? {} : { lastSyncAt }),
    ...(revocations === undefined
      ? {}
      : {
          revocations: {
            issuedAt: revocations.number('issuedAt'),
            list: revocations.bytes('list'),
          },
        }),
  };
}

/**
 * A kept listing. The vault authenticates its records, so this guards against our own bugs and
 * old formats only: the view's shape is checked, not its contents again.
 */
function readListing(bytes: Uint8Array): StoredListing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'directory listing record unreadable', {
      cause: error,
    });
  }
  const record = parsed as { view?: DirectoryListingView; entry?: unknown };
  const view = record.view;
  if (
    typeof record.entry !== 'string' ||
    typeof view !== 'object' ||
    typeof view.groupId !== 'string' ||
    typeof view.name !== 'string' ||
    !Array.isArray(view.conditions) ||
    !Array.isArray(view.languages) ||
    !Array.isArray(view.audiences)
  ) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'directory listing record malformed');
  }
  return { view, entry: new Uint8Array(Buffer.from(record.entry, 'base64')) };
}
