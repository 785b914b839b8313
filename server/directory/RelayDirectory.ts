import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  approveListing,
  bytesEqual,
  memberBucketFor,
  openDirectoryEntry,
  openSignedListing,
  personaAddressFor,
  wire,
} from '../../core/index.js';
import type { Listing, MemberBucket } from '../../core/index.js';
import { errorNameOf } from '../errorFacts.js';
import type { GroupRegistry } from '../GroupRegistry.js';
import { RelayError } from '../RelayError.js';
import type { StoredDirectory } from '../store/directoryRecords.js';
import type { RelayStore, StoredPersona } from '../store/RelayStore.js';
import { directoryPage } from './directoryPages.js';
import type { DirectoryPageInit } from './directoryPages.js';
import type { RelayOperator } from './RelayOperator.js';

export interface RelayDirectoryOptions {
  readonly store: RelayStore;
  readonly relayId: Uint8Array;
  readonly operator: RelayOperator;
  readonly groups: GroupRegistry;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The relay's side of the directory (docs/directory.md): serves FetchDirectory from the store
 * (one cached read per version, so many fetches of an unchanged directory cost one version
 * lookup each), keeps owners' listing requests pending for the operator, countersigns what the
 * operator approves with the group's member bucket, and re-signs an entry when its bucket
 * changes (or removes it when the group emptied). The relay learns nothing from a fetch but that
 * one happened and the version the client held.
 */
export class RelayDirectory {
  readonly #options: RelayDirectoryOptions;
  readonly #now: () => number;
  #cached: StoredDirectory | undefined;
  /** One bucket check per group at a time; a second change while one runs checks again after. */
  readonly #checking = new Map<string, Promise<void>>();

  constructor(options: RelayDirectoryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The answer to one FetchDirectory (rate-limited by the caller). */
  async fetch(request: wire.FetchDirectory): Promise<DirectoryPageInit> {
    const directory = await this.#directory();
    return directoryPage(directory, {
      knownVersion: Number(request.knownVersion),
      fromPosition: request.fromPosition,
    });
  }

  /**
   * Keeps an owner's listing pending (one per group: a new one replaces it). Refused with
   * RELAY_LISTING_INVALID when the listing fails its checks or names another relay, and with
   * RELAY_LISTING_FORBIDDEN when the group is not hosted here or `persona` does not own it.
   */
  async requestListing(persona: StoredPersona, signed: wire.SignedListing): Promise<void> {
    let listing: Listing;
    try {
      listing = openSignedListing(signed);
    } catch (error) {
      if (!CoreError.is(error, CoreErrorCode.ListingInvalid)) throw error;
      throw new RelayError(RelayErrorCode.ListingInvalid, error.message);
    }
    if (!bytesEqual(listing.relayId, this.#options.relayId)) {
      throw new RelayError(RelayErrorCode.ListingInvalid, 'the listing names another relay');
    }
    if (!bytesEqual(listing.ownerKey, persona.identityKey)) {
      throw new RelayError(
        RelayErrorCode.ListingForbidden,
        'a listing is signed by the persona that asks to list it',
      );
    }
    const state = await this.#options.groups.currentState(listing.groupId);
    if (state === undefined) {
      throw new RelayError(RelayErrorCode.ListingForbidden, 'no such group on this relay');
    }
    if (state.members.get(persona.address)?.role !== 'owner') {
      throw new RelayError(RelayErrorCode.ListingForbidden, 'only the group’s owner may list it');
    }
    await this.#options.store.putListingRequest({
      groupId: listing.groupId,
      signedListing: toBinary(wire.SignedListingSchema, signed),
      receivedAt: this.#now(),
    });
    this.#options.logger.info({ event: 'listing-requested' }, 'a group asked to be listed');
  }

  /**
   * Countersigns a listing for the directory with the group's current member bucket: the entry
   * bytes to store. RELAY_LISTING_FORBIDDEN when the group is gone or empty.
   */
  async countersign(signedListing: Uint8Array, groupId: Uint8Array): Promise<Uint8Array> {
    const members = await this.membersOf(groupId);
    if (members === 0) {
      throw new RelayError(RelayErrorCode.ListingForbidden, 'the group has no members left');
    }
    return this.#sign(signedListing, memberBucketFor(members));
  }

  /** How many members the group has (0: none, or no such group). */
  async membersOf(groupId: Uint8Array): Promise<number> {
    const state = await this.#options.groups.currentState(groupId);
    return state?.members.size ?? 0;
  }

  /**
   * After a group's membership changed: re-signs its entry when its bucket changed, removes it
   * when nobody is left. Never rejects (logs), so group operations never wait for it.
   */
  membersChanged(groupId: Uint8Array): Promise<void> {
    const key = Buffer.from(groupId).toString('hex');
    const running = this.#checking.get(key) ?? Promise.resolve();
    const next = running
      .then(() => this.#refreshEntry(groupId))
      .catch((error: unknown) => {
        this.#options.logger.error(
          { event: 'directory-refresh-failed', errorName: errorNameOf(error) },
          'could not refresh a directory entry',
        );
      })
      .finally(() => {
        if (this.#checking.get(key) === next) this.#checking.delete(key);
      });
    this.#checking.set(key, next);
    return next;
  }

  /** Every listed group's bucket checked (the periodic sweep, one node at a time). */
  async sweep(): Promise<void> {
    const directory = await this.#options.store.readDirectory();
    for (const entry of directory.entries) await this.membersChanged(entry.groupId);
  }

  /** Whether this node can sign (countersign, re-sign, issue): it holds operator.key. */
  get canSign(): boolean {
    return this.#options.operator.privateKey !== undefined;
  }

  async #refreshEntry(groupId: Uint8Array): Promise<void> {
    const { store } = this.#options;
    const directory = await store.readDirectory();
    const listed = directory.entries.find((entry) => bytesEqual(entry.groupId, groupId));
    if (listed === undefined) return;
    const members = await this.membersOf(groupId);
    if (members === 0) {
      await store.unlistDirectoryEntry(groupId);
      this.#options.logger.info(
        { event: 'listing-removed-empty' },
        'an emptied group was unlisted',
      );
      return;
    }
    if (!this.canSign) return;
    const current = openDirectoryEntry(fromBinary(wire.DirectoryEntrySchema, listed.entry), {
      relayId: this.#options.relayId,
      operatorKey: this.#options.operator.publicKey,
    });
    const bucket = memberBucketFor(members);
    if (current.members === bucket) return;
    await store.listDirectoryEntry(groupId, this.#sign(current.signedListing, bucket));
    this.#options.logger.info({ event: 'listing-resigned' }, 'a listing’s member count changed');
  }

  #sign(signedListing: Uint8Array, members: MemberBucket): Uint8Array {
    const { operator, relayId } = this.#options;
    if (operator.privateKey === undefined) {
      throw new RelayError(
        RelayErrorCode.Unavailable,
        'this relay node holds no operator.key: approve on the node that does',
      );
    }
    const entry = approveListing({
      operatorPrivateKey: operator.privateKey,
      relayId,
      signedListing,
      members,
      approvedAt: this.#now(),
    });
    return toBinary(wire.DirectoryEntrySchema, entry);
  }

  /** The directory as the store holds it now: read again only when its version moved. */
  async #directory(): Promise<StoredDirectory> {
    const { store } = this.#options;
    const cached = this.#cached;
    const version = await store.directoryVersion();
    if (cached?.version === version) return cached;
    const fresh = await store.readDirectory();
    this.#cached = fresh;
    return fresh;
  }
}

/** A group id given on the command line (32 hex digits). */
export function parseGroupId(text: string): Uint8Array | undefined {
  return /^[0-9a-f]{32}$/i.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : undefined;
}

/** A persona's address from its identity key, for messages that name the owner. */
export function ownerAddressOf(listing: Listing): string {
  return personaAddressFor(listing.ownerKey);
}
