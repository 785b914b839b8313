import { fromBinary } from '@bufbuild/protobuf';
import { bytesEqual, fromBase64Url, toHex } from '../../bytes/bytes.js';
import { checkFacilitatorCredential, openRevocationList } from '../../directory/index.js';
import type { CredentialProblem } from '../../directory/index.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { SignedRevocationListSchema } from '../../protocol/gen/kindred_pb.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { KindredClientOptions } from '../clientOptions.js';
import { connectionTimeouts } from '../clientOptions.js';
import type { GroupHandle } from '../groups/GroupHandle.js';
import type { PersonaSession } from '../PersonaSession.js';
import { checkRelayUrl } from '../relayUrl.js';
import { newProxySetting, socksProxyFor } from '../SocksProxy.js';
import type { DirectoryTarget } from './directoryConnection.js';
import { openDirectoryConnection } from './directoryConnection.js';
import type { DirectoryHit, DirectoryQuery } from './DirectoryIndex.js';
import { DirectoryIndex } from './DirectoryIndex.js';
import type { FollowRecord } from './DirectoryStore.js';
import { DirectoryStore } from './DirectoryStore.js';
import type { DirectorySyncResult } from './syncDirectory.js';
import { syncDirectory } from './syncDirectory.js';
import type { DirectoryListingView } from './listingView.js';

/** What the directory needs from the client. */
export interface DirectoryHost {
  /** The vault, below a prefix of the directory's own. */
  readonly store: KeyValueStore;
  /** The main persona's session: its relay is the home directory, its proxy setting is used. */
  readonly main: () => PersonaSession;
  /** Every persona's session: those on a synced relay take its newest revocation list. */
  readonly sessions: () => readonly PersonaSession[];
  readonly options: KindredClientOptions;
  /** Joins by a group link as a fresh persona (KindredClient.joinGroup). */
  readonly joinGroup: (
    link: string,
    options: { pseudonym?: string; introduction?: string },
  ) => Promise<GroupHandle>;
}

/** A followed directory, as `kindred directory list` shows it. */
export interface FollowedDirectory {
  readonly relayUrl: string;
  readonly relayId: string;
  /** The vault's own relay, followed by default. */
  readonly home: boolean;
  readonly version: number;
  readonly listings: number;
  readonly lastSyncAt?: number;
}

/** A facilitator credential a listing carries, as checked against the operator key. */
export interface ListingFacilitator {
  readonly roleTitle: string;
  readonly address: string;
  readonly valid: boolean;
  readonly problem?: CredentialProblem;
}

/** One listing with what `show` adds: whether joining is open now, and its facilitators. */
export interface ListingDetails extends DirectoryListingView {
  /** The join link has not expired. */
  readonly openToJoin: boolean;
  /** Only the credentials that verify give a role title a badge (`valid`). */
  readonly facilitatorCredentials: readonly ListingFacilitator[];
}

/**
 * The client's directory (docs/directory.md, "The client's side"): the directories followed
 * (the home relay's by default, others by address, each pinned on first use), synced over
 * anonymous connections, every listing checked and kept in the vault, and searched on this
 * device only. Joining is the one step the relay sees, as a fresh persona's join request.
 */
export class Directory {
  readonly #host: DirectoryHost;
  readonly #store: DirectoryStore;
  #index: Promise<DirectoryIndex> | undefined;

  constructor(host: DirectoryHost) {
    this.#host = host;
    this.#store = new DirectoryStore(host.store);
  }

  /** The followed directories, the home relay's first. */
  async follows(): Promise<FollowedDirectory[]> {
    return (await this.#followRecords()).map((record) => ({
      relayUrl: record.url,
      relayId: record.relayId,
      home: record.home,
      version: record.version,
      listings: record.listings,
      ...(record.lastSyncAt === undefined ? {} : { lastSyncAt: record.lastSyncAt }),
    }));
  }

  /**
   * Follows the directory of the relay at `url`: pins its trust root and relay id from its
   * Challenge (trust on first use, over an anonymous connection), checks its operator key is
   * endorsed, and syncs. The home relay is followed again under its own pin. A relay id followed
   * already under another trust root: CORE_RELAY_MISMATCH, nothing changes.
   */
  async follow(
    url: string,
    options: { readonly allowInsecureTransport?: boolean } = {},
  ): Promise<DirectorySyncResult> {
    const allowInsecureTransport = options.allowInsecureTransport ?? false;
    checkRelayUrl(url, { allowInsecureTransport });
    const home = this.#host.main().relay;
    const opened = await openDirectoryConnection(this.#target({ url, allowInsecureTransport }));
    opened.connection.close();
    const relayId = toHex(opened.pin.relayId);
    const homePin = home.pin;
    const isHome = homePin !== undefined && bytesEqual(homePin.relayId, opened.pin.relayId);
    const known = isHome ? homePin : await this.#store.follow(relayId);
    if (known !== undefined && !bytesEqual(known.trustRoot, opened.pin.trustRoot)) {
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'that relay presents another trust root than the one pinned for it',
      );
    }
    if (isHome) await this.#store.setHomeUnfollowed(false);
    const existing = await this.#store.follow(relayId);
    const record: FollowRecord = existing ?? {
      relayId,
      url,
      trustRoot: opened.pin.trustRoot,
      allowInsecureTransport,
      home: isHome,
      followedAt: Date.now(),
      version: 0,
      listings: 0,
    };
    await this.#store.putFollow(isHome ? record : { ...record, url });
    return this.#sync(relayId);
  }

  /** Stops following a directory (by address or relay id) and forgets its listings. */
  async unfollow(reference: string): Promise<void> {
    const record = await this.#findFollow(reference);
    await this.#store.removeFollow(record.relayId);
    if (record.home) await this.#store.setHomeUnfollowed(true);
    this.#index = undefined;
  }

  /**
   * Syncs every followed directory, one after the other, each on an anonymous connection of its
   * own. A directory that fails (unreachable, an unendorsed operator key) is reported in its
   * result and the others go on.
   */
  async refresh(): Promise<DirectorySyncResult[]> {
    const results: DirectorySyncResult[] = [];
    for (const record of await this.#followRecords())
      results.push(await this.#sync(record.relayId));
    return results;
  }

  /** Searches the kept listings on this device: nothing of the query leaves it. */
  async search(query: DirectoryQuery = {}): Promise<DirectoryHit[]> {
    return (await this.#loadIndex()).search(query);
  }

  /** A kept listing by its group id (hex), with its facilitators checked; CORE_LISTING_NOT_FOUND. */
  async listing(groupId: string, now: number = Date.now()): Promise<ListingDetails> {
    const view = await this.#view(groupId);
    const follow = await this.#store.follow(view.relayId);
    const revoked = revokedIds(follow);
    const facilitatorCredentials = view.facilitators.flatMap((encoded) => {
      const bytes = fromBase64Url(encoded);
      if (bytes === undefined || follow?.operatorKey === undefined) return [];
      return [checkFacilitator(bytes, follow.operatorKey, follow, now, revoked)];
    });
    return { ...view, openToJoin: view.joinLinkExpiresAt > now, facilitatorCredentials };
  }

  /**
   * Asks to join a listed group, as a fresh persona (joinGroup with the listing's link): with
   * approval on, a request the group's moderators see with `introduction`. An expired join link:
   * CORE_INVITE_EXPIRED. A group hosted on another relay than the vault's goes through the same
   * call: joining there is joinGroup's to do (docs/directory.md, "Joining").
   */
  async join(
    groupId: string,
    options: { readonly pseudonym?: string; readonly introduction?: string } = {},
  ): Promise<GroupHandle> {
    const view = await this.#view(groupId);
    if (view.joinLinkExpiresAt <= Date.now()) {
      throw new CoreError(CoreErrorCode.InviteExpired, 'this group is not open to join now');
    }
    return this.#host.joinGroup(view.joinLink, {
      ...(options.pseudonym === undefined ? {} : { pseudonym: options.pseudonym }),
      ...(options.introduction === undefined ? {} : { introduction: options.introduction }),
    });
  }

  async #view(groupId: string): Promise<DirectoryListingView> {
    const wanted = groupId.trim().toLowerCase();
    const found = (await this.#loadIndex()).byGroupId(wanted);
    if (found === undefined) {
      throw new CoreError(CoreErrorCode.ListingNotFound, 'no listing with that group id is kept');
    }
    return found;
  }

  async #sync(relayId: string): Promise<DirectorySyncResult> {
    const record = (await this.#followRecords()).find((follow) => follow.relayId === relayId);
    if (record === undefined) {
      throw new CoreError(CoreErrorCode.DirectoryNotFollowed, 'that directory is not followed');
    }
    const result = await syncDirectory({
      follow: record,
      store: this.#store,
      target: this.#target({
        url: record.url,
        allowInsecureTransport: record.allowInsecureTransport,
        pin: { trustRoot: record.trustRoot, relayId: record.relayIdBytes },
      }),
    });
    if (!result.notModified) this.#index = undefined;
    await this.#handRevocations(relayId, record.relayIdBytes);
    return result;
  }

  /**
   * Gives the relay's newest revocation list to every persona registered there, so the badges
   * in its groups drop a revoked credential (each persona keeps only a list newer than its own
   * and checks it against its own endorsed operator key). A persona that cannot take it now (no
   * endorsed operator key seen yet, a relay that cannot be reached) takes it at the next sync.
   */
  async #handRevocations(relayId: string, relayIdBytes: Uint8Array): Promise<void> {
    const list = (await this.#store.follow(relayId))?.revocations?.list;
    if (list === undefined) return;
    const signed = fromBinary(SignedRevocationListSchema, list);
    for (const session of this.#host.sessions()) {
      const pin = session.relay.pin;
      if (pin === undefined || !bytesEqual(pin.relayId, relayIdBytes)) continue;
      try {
        await session.facilitator.acceptRevocationList(signed);
      } catch (error) {
        if (!(error instanceof CoreError)) throw error;
      }
    }
  }

  /** The stored follows, and the home relay's when it was never unfollowed, the home first. */
  async #followRecords(): Promise<(FollowRecord & { readonly relayIdBytes: Uint8Array })[]> {
    const stored = await this.#store.follows();
    const main = this.#host.main().relay;
    const records: FollowRecord[] = [];
    if (main.pin !== undefined) {
      const homeId = toHex(main.pin.relayId);
      const home = stored.find((record) => record.relayId === homeId);
      if (home !== undefined) {
        // The main persona's address is the home relay's (it follows the relay when it moves).
        records.push({ ...home, url: main.url, home: true });
      } else if (!(await this.#store.homeUnfollowed())) {
        records.push({
          relayId: homeId,
          url: main.url,
          trustRoot: main.pin.trustRoot,
          allowInsecureTransport: main.allowInsecureTransport,
          home: true,
          followedAt: 0,
          version: 0,
          listings: 0,
        });
      }
      records.push(...stored.filter((record) => record.relayId !== homeId));
    } else {
      records.push(...stored);
    }
    return records.map((record) => ({
      ...record,
      relayIdBytes: Uint8Array.from(Buffer.from(record.relayId, 'hex')),
    }));
  }

  async #findFollow(reference: string): Promise<FollowRecord> {
    const wanted = reference.trim();
    const found = (await this.#followRecords()).find(
      (record) => record.relayId === wanted.toLowerCase() || record.url === wanted,
    );
    if (found === undefined) {
      throw new CoreError(CoreErrorCode.DirectoryNotFollowed, 'that directory is not followed');
    }
    return found;
  }

  #loadIndex(): Promise<DirectoryIndex> {
    this.#index ??= (async () => {
      const listings = await this.#store.listings();
      return new DirectoryIndex(listings.map((listing) => listing.view));
    })();
    const loading = this.#index;
    loading.catch(() => {
      if (this.#index === loading) this.#index = undefined;
    });
    return loading;
  }

  /** A target over the main persona's proxy, with credentials of its own for this connection. */
  #target(target: Omit<DirectoryTarget, 'proxy'>): DirectoryTarget {
    const proxyUrl = this.#host.main().proxyUrl;
    return {
      ...target,
      ...connectionTimeouts(this.#host.options),
      ...(proxyUrl === undefined ? {} : { proxy: socksProxyFor(newProxySetting(proxyUrl)) }),
    };
  }
}

function revokedIds(follow: FollowRecord | undefined): ReadonlySet<string> {
  if (follow?.revocations === undefined || follow.operatorKey === undefined) return new Set();
  const signed = fromBinary(SignedRevocationListSchema, follow.revocations.list);
  return openRevocationList(signed, {
    relayId: Uint8Array.from(Buffer.from(follow.relayId, 'hex')),
    operatorKey: follow.operatorKey,
  }).revoked;
}

/**
 * A listing names no facilitator persona: each credential names its own. So the credential is
 * checked against the address it names (a credential of another persona shown in a group is the
 * group's check, docs/directory.md "Facilitators").
 */
function checkFacilitator(
  bytes: Uint8Array,
  operatorKey: Uint8Array,
  follow: FollowRecord,
  now: number,
  revoked: ReadonlySet<string>,
): ListingFacilitator {
  const relayId = Uint8Array.from(Buffer.from(follow.relayId, 'hex'));
  const context = { operatorKey, relayId, address: '', now, revoked };
  let standing = checkFacilitatorCredential(bytes, context);
  if (!standing.valid && standing.problem === 'other-persona' && standing.credential) {
    standing = checkFacilitatorCredential(bytes, {
      ...context,
      address: standing.credential.address,
    });
  }
  return {
    roleTitle: standing.credential?.roleTitle ?? '',
    address: standing.credential?.address ?? '',
    valid: standing.valid,
    ...(standing.valid ? {} : { problem: standing.problem }),
  };
}
