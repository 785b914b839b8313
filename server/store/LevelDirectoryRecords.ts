import type { Level } from 'level';
import {
  byGroupId,
  byIssuedAt,
  byReceivedAt,
  decodeCredential,
  encodeCredential,
  trimRemovals,
} from './directoryRecords.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredDirectoryEntry,
  StoredDirectoryRemoval,
  StoredListingRequest,
} from './directoryRecords.js';
import { KeyedMutex } from './KeyedMutex.js';
import type { BatchOperation } from './levelBatch.js';
import { writeBatch } from './levelBatch.js';
import { float64Bytes, packFields, readFloat64, unpackFields } from './records.js';

/**
 * Key layout of the directory (docs/directory.md), beside LevelRelayStore's own:
 *
 *   y!v                 directory version (float64)
 *   y!f                 the oldest version a delta starts from (float64)
 *   y!x                 the operator's SignedRevocationList
 *   y!q!<group>         pending listing request: receivedAt ‖ SignedListing
 *   y!e!<group>         listed entry: changedAt ‖ DirectoryEntry
 *   y!r!<group>         removal tombstone: removedAt (float64)
 *   y!c!<credential>    an issued facilitator credential (JSON)
 */
const VERSION = 'y!v';
const FLOOR = 'y!f';
const REVOCATIONS = 'y!x';
const REQUEST = 'y!q!';
const ENTRY = 'y!e!';
const REMOVAL = 'y!r!';
const CREDENTIAL = 'y!c!';
/** Every change runs under this one lock: the version and the change are one synced batch. */
const LOCK = 'directory';

type Batch = BatchOperation;

/** The embedded store's directory records: each change one synced batch under one lock. */
export class LevelDirectoryRecords {
  readonly #db: Level<string, Uint8Array>;
  readonly #lock = new KeyedMutex();

  constructor(db: Level<string, Uint8Array>) {
    this.#db = db;
  }

  async putListingRequest(request: StoredListingRequest): Promise<void> {
    await this.#db.put(
      REQUEST + hex(request.groupId),
      packFields([float64Bytes(request.receivedAt), request.signedListing]),
      { sync: true },
    );
  }

  async listingRequests(): Promise<StoredListingRequest[]> {
    const rows = await this.#rows(REQUEST);
    return rows
      .map(([key, value]) => {
        const [receivedAt, signedListing] = unpackFields(value, 2) as [Uint8Array, Uint8Array];
        return { groupId: fromHex(key), signedListing, receivedAt: readFloat64(receivedAt) };
      })
      .sort(byReceivedAt);
  }

  deleteListingRequest(groupId: Uint8Array): Promise<StoredListingRequest | undefined> {
    return this.#lock.run(REQUEST, async () => {
      const key = REQUEST + hex(groupId);
      const value = await this.#get(key);
      if (value === undefined) return undefined;
      await this.#db.del(key, { sync: true });
      const [receivedAt, signedListing] = unpackFields(value, 2) as [Uint8Array, Uint8Array];
      return {
        groupId: new Uint8Array(groupId),
        signedListing,
        receivedAt: readFloat64(receivedAt),
      };
    });
  }

  listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): Promise<number> {
    return this.#lock.run(LOCK, async () => {
      const version = (await this.#number(VERSION)) + 1;
      await writeBatch(
        this.#db,
        [
          { type: 'put', key: VERSION, value: float64Bytes(version) },
          {
            type: 'put',
            key: ENTRY + hex(groupId),
            value: packFields([float64Bytes(version), entry]),
          },
          { type: 'del', key: REMOVAL + hex(groupId) },
        ],
        true,
      );
      return version;
    });
  }

  unlistDirectoryEntry(groupId: Uint8Array): Promise<number | undefined> {
    return this.#lock.run(LOCK, async () => {
      if ((await this.#get(ENTRY + hex(groupId))) === undefined) return undefined;
      const version = (await this.#number(VERSION)) + 1;
      const removals = [...(await this.#removals()), { groupId, removedAt: version }];
      const { dropped, floor } = trimRemovals(removals, await this.#number(FLOOR));
      const batch: Batch[] = [
        { type: 'put', key: VERSION, value: float64Bytes(version) },
        { type: 'del', key: ENTRY + hex(groupId) },
        { type: 'put', key: REMOVAL + hex(groupId), value: float64Bytes(version) },
        { type: 'put', key: FLOOR, value: float64Bytes(floor) },
        ...dropped.map((removal): Batch => ({ type: 'del', key: REMOVAL + hex(removal.groupId) })),
      ];
      await writeBatch(this.#db, batch, true);
      return version;
    });
  }

  putDirectoryRevocations(list: Uint8Array): Promise<number> {
    return this.#lock.run(LOCK, async () => {
      const version = (await this.#number(VERSION)) + 1;
      await writeBatch(
        this.#db,
        [
          { type: 'put', key: VERSION, value: float64Bytes(version) },
          { type: 'put', key: REVOCATIONS, value: list },
        ],
        true,
      );
      return version;
    });
  }

  directoryVersion(): Promise<number> {
    return this.#number(VERSION);
  }

  /** Under the lock, so it never sees half a change. */
  readDirectory(): Promise<StoredDirectory> {
    return this.#lock.run(LOCK, async () => {
      const entries: StoredDirectoryEntry[] = (await this.#rows(ENTRY)).map(([key, value]) => {
        const [changedAt, entry] = unpackFields(value, 2) as [Uint8Array, Uint8Array];
        return { groupId: fromHex(key), entry, changedAt: readFloat64(changedAt) };
      });
      return {
        version: await this.#number(VERSION),
        floor: await this.#number(FLOOR),
        entries: entries.sort(byGroupId),
        removals: (await this.#removals()).sort(byGroupId),
        revocations: await this.#get(REVOCATIONS),
      };
    });
  }

  async putIssuedCredential(credential: StoredCredential): Promise<void> {
    await this.#db.put(
      CREDENTIAL + credential.credentialId,
      new TextEncoder().encode(encodeCredential(credential)),
      { sync: true },
    );
  }

  async issuedCredentials(): Promise<StoredCredential[]> {
    const credentials: StoredCredential[] = [];
    for (const [, value] of await this.#rows(CREDENTIAL)) {
      const credential = decodeCredential(new TextDecoder().decode(value));
      if (credential !== undefined) credentials.push(credential);
    }
    return credentials.sort(byIssuedAt);
  }

  async #removals(): Promise<StoredDirectoryRemoval[]> {
    return (await this.#rows(REMOVAL)).map(([key, value]) => ({
      groupId: fromHex(key),
      removedAt: readFloat64(value),
    }));
  }

  /** Rows under `prefix`, keys without it. */
  async #rows(prefix: string): Promise<[string, Uint8Array][]> {
    const rows = await this.#db.iterator({ gt: prefix, lt: `${prefix}\uffff` }).all();
    return rows.map(([key, value]) => [key.slice(prefix.length), new Uint8Array(value)]);
  }

  async #number(key: string): Promise<number> {
    const value = await this.#get(key);
    return value === undefined ? 0 : readFloat64(value);
  }

  async #get(key: string): Promise<Uint8Array | undefined> {
    // level 10 resolves undefined for a missing key; its typings predate that.
    const value = (await this.#db.get(key)) as Uint8Array | undefined;
    return value === undefined ? undefined : new Uint8Array(value);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
