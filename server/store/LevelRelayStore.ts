import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import { missingCaseError } from '../../core/index.js';
import { GroupAppendConflictError } from './GroupAppendConflictError.js';
import { GroupCommitter } from './GroupCommitter.js';
import { writeBatch } from './levelBatch.js';
import type { BatchOperation } from './levelBatch.js';
import type { CommitObserver } from './GroupCommitter.js';
import {
  advancedCursor,
  groupConflict,
  groupIdFromKey,
  groupKey,
  neededEntries,
  snapshotFits,
} from './groupStream.js';
import { KeyedMutex } from './KeyedMutex.js';
import { LevelBlobRecords } from './LevelBlobRecords.js';
import { LevelDirectoryRecords } from './LevelDirectoryRecords.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredListingRequest,
} from './directoryRecords.js';
import type { BlobTotals, CountedBlobFetch } from './blobRecords.js';
import type { BlobRecord } from '../blobs/BlobStore.js';
import { StoreClosedError } from './StoreClosedError.js';
import { StoreSignals } from './StoreSignals.js';
import {
  decodeEnvelopeValue,
  decodeGroupCursor,
  decodeGroupEntryValue,
  decodeGroupHead,
  decodeGroupIndex,
  decodeOneTimePreKey,
  decodePersona,
  decodeSignedPreKey,
  encodeEnvelopeValue,
  encodeGroupCursor,
  encodeGroupEntryValue,
  encodeGroupHead,
  encodeGroupIndex,
  encodeOneTimePreKey,
  encodePersona,
  encodeSignedPreKey,
  envelopeKeyTag,
  envelopeReceivedAt,
  float64Bytes,
  readFloat64,
  readUint32,
  uint32Bytes,
} from './records.js';
import type { GroupHead } from './records.js';
import type {
  DeliveryKeySet,
  GroupCursor,
  GroupListener,
  GroupMembership,
  MailboxListener,
  MemberEntries,
  MemberGroupsListener,
  NewEnvelope,
  NewGroupEntry,
  RelayStore,
  StoredEnvelope,
  StoredGroupEntry,
  StoredGroupSnapshot,
  StoredOneTimePreKey,
  StoredPersona,
  StoredPreKeyBundle,
  StoredPreKeyUpload,
  StoredSignedPreKey,
} from './RelayStore.js';

/**
 * Key layout (UTF-8 keys; addresses are lower-case UUIDs, so '!' and '"' bound every range):
 *
 *   s!<name>                    setting
 *   p!<address>                 persona
 *   k!<address>!s               signed prekey
 *   k!<address>!l               last-resort Kyber prekey
 *   k!<address>!o!<id, 8 hex>   one-time EC prekey
 *   k!<address>!q!<id, 8 hex>   one-time Kyber prekey
 *   e!<address>!<id, 16 hex>    envelope: receivedAt ‖ key tag ‖ sealed
 *   x!<address>!<hash, hex>     a delivery key (SHA-256 of it): expiresAt (float64, 0 = never)
 *   i!<token id, hex>           uses of a relay invite token
 *   g!<group>!h                 group head: last stream index ‖ operations in the log
 *   g!<group>!e!<index, 16 hex> group stream entry: kind ‖ receivedAt ‖ bytes
 *   g!<group>!o!<seq, 16 hex>   the stream index of the log's operation number seq
 *   g!<group>!c!<address>       a member's cursor: acked ‖ readUntil
 *   g!<group>!s                 group state snapshot: length (float64) ‖ bytes
 *   a!<address>!<group>         the same cursor, found by address (groups to deliver on connect)
 *   d!<group>                   the group's disappearing timer (float64 ms), while one is set
 *   t!<expiresAt, 16 hex>!<address>!<id, 16 hex>
 *                               an envelope with its own expiry, in expiry order (empty value;
 *                               left behind when the envelope goes sooner, dropped once due)
 *
 * <group> is the group id in hex. Zero-padded hex ids sort lexicographically in numeric order, so
 * a mailbox or a stream reads oldest first. The group head is kept on disk, not derived from the
 * last entry, so stream indexes are never reused after the last messages were pruned.
 */
const MAILBOX_ID_DIGITS = 16;
const GROUP_INDEX_DIGITS = 16;
/** A snapshot's length is a float64 (big-endian) in front of its bytes. */
const SNAPSHOT_LENGTH_BYTES = 8;
const MAX_ENVELOPE_ID = (1n << 64n) - 1n;
/** Records written per batch when restoring a backup. */
const RESTORE_BATCH = 1000;
/** Personas are read on every send (the access-key check): a bounded in-memory cache. */
const PERSONA_CACHE_SIZE = 10_000;

type Db = Level<string, Uint8Array>;

export interface LevelRelayStoreOptions {
  /** Called when a mailbox listener throws (the store carries on). */
  readonly onListenerError?: (error: unknown) => void;
  /** Told of every batched write (group commit): its requests and how long it took (metrics). */
  readonly onSyncedBatch?: CommitObserver;
  /**
   * Group heads (last index, operation count) kept in memory; beyond it the least recently used
   * idle ones are dropped and read again from the folder when next needed. Default 10,000.
   */
  readonly maxCachedGroupHeads?: number;
  /** A head used within this long, or with a write in flight, is never dropped. Default 60 s. */
  readonly groupHeadIdleMs?: number;
}

const GROUP_HEAD_CACHE_SIZE = 10_000;
const GROUP_HEAD_IDLE_MS = 60_000;

/**
 * The embedded default backend: one LevelDB folder, one process (LevelDB locks the folder).
 *
 * Envelope appends are group-committed: calls that arrive while a synced batch is being written
 * wait and go to disk together in the next one, and each caller resolves once its batch is
 * durable. Per-mailbox id counters and depths live in memory, loaded lazily from the folder the
 * first time a mailbox is touched; every write to a mailbox goes through that state, so the
 * counts stay exact.
 */
export class LevelRelayStore implements RelayStore {
  readonly #db: Db;
  readonly #blobs: LevelBlobRecords;
  readonly #directory: LevelDirectoryRecords;
  readonly #signals: StoreSignals<readonly StoredEnvelope[] | undefined>;
  readonly #groupSignals: StoreSignals<readonly StoredGroupEntry[] | undefined>;
  readonly #memberGroupSignals: StoreSignals<Uint8Array>;
  readonly #locks = new KeyedMutex();
  readonly #mailboxes = new Map<string, MailboxState>();
  readonly #loadingMailboxes = new Map<string, Promise<MailboxState>>();
  readonly #groups = new Map<string, GroupHeadState>();
  readonly #loadingGroups = new Map<string, Promise<GroupHeadState>>();
  readonly #personas = new Map<string, StoredPersona>();
  readonly #maxCachedGroupHeads: number;
  readonly #groupHeadIdleMs: number;
  /** Delivery key sets, read on every send like personas: bounded the same way. */
  readonly #deliveryKeys = new Map<string, DeliveryKeySet>();
  /**
   * Every write that must be synced or must not interleave with another: envelopes, group
   * entries, and group cursor moves (which read the cursor inside the commit, so an ack and a
   * removal of the same member never overwrite each other).
   */
  readonly #committer: GroupCommitter<WriteRequest, WriteResult>;
  readonly #removals: GroupCommitter<Removal, number>;
  /** Operations started and not yet settled; close() waits for them. */
  #inFlight = 0;
  #onIdle: (() => void) | undefined;
  #idle: Promise<void> | undefined;
  /**
   * Created once, not per operation: every send and ack runs several store operations, and a
   * fresh closure (plus a Set entry) for each was measurable garbage.
   */
  readonly #settled = (): void => {
    this.#inFlight -= 1;
    if (this.#inFlight === 0) this.#onIdle?.();
  };
  #closing = false;
  /** Counts persona writes, so a read that raced a write does not cache a stale record. */
  #personaWrites = 0;

  private constructor(db: Db, options: LevelRelayStoreOptions) {
    this.#maxCachedGroupHeads = options.maxCachedGroupHeads ?? GROUP_HEAD_CACHE_SIZE;
    this.#groupHeadIdleMs = options.groupHeadIdleMs ?? GROUP_HEAD_IDLE_MS;
    this.#db = db;
    this.#blobs = new LevelBlobRecords(db);
    this.#directory = new LevelDirectoryRecords(db);
    this.#signals = new StoreSignals(options.onListenerError);
    this.#groupSignals = new StoreSignals(options.onListenerError);
    this.#memberGroupSignals = new StoreSignals(options.onListenerError);
    this.#committer = new GroupCommitter(
      (requests) => this.#commitWrites(requests),
      options.onSyncedBatch,
    );
    this.#removals = new GroupCommitter((requests) => this.#commitRemovals(requests));
  }

  /** Opens (creating if needed) the LevelDB folder at `location`. */
  static async open(
    location: string,
    options: LevelRelayStoreOptions = {},
  ): Promise<LevelRelayStore> {
    await mkdir(location, { recursive: true, mode: 0o700 });
    const db: Db = new Level<string, Uint8Array>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    return new LevelRelayStore(db, options);
  }

  /** How many batches carried how many write calls (group-commit effectiveness). */
  get commitStats(): { readonly batches: number; readonly requests: number } {
    return this.#committer.stats;
  }

  // ---- the RelayStore interface: each call is tracked so close() can let it finish ----------

  getPersona(address: string): Promise<StoredPersona | undefined> {
    // Every send reads its recipient: answered from the cache without the tracked async path,
    // which has nothing to wait for.
    const cached = this.#closing ? undefined : this.#personas.get(address);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.#run(() => this.#getPersonaNow(address));
  }

  putPersona(persona: StoredPersona): Promise<void> {
    return this.#run(() => this.#putPersonaNow(persona));
  }

  getDeliveryKeys(address: string): Promise<DeliveryKeySet> {
    const cached = this.#closing ? undefined : this.#deliveryKeys.get(address);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.#run(() => this.#getDeliveryKeysNow(address));
  }

  putDeliveryKey(address: string, hashHex: string, expiresAt: number): Promise<void> {
    return this.#run(() =>
      this.#locks.run(`x!${address}`, async () => {
        const current = await this.#getDeliveryKeysNow(address);
        await this.#db.put(deliveryKeyKey(address, hashHex), float64Bytes(expiresAt), {
          sync: true,
        });
        const next = new Map(current);
        next.set(hashHex, expiresAt);
        this.#cacheDeliveryKeys(address, next);
      }),
    );
  }

  deleteDeliveryKeys(address: string, hashesHex: readonly string[]): Promise<void> {
    return this.#run(() =>
      this.#locks.run(`x!${address}`, async () => {
        const current = await this.#getDeliveryKeysNow(address);
        const present = hashesHex.filter((hash) => current.has(hash));
        if (present.length === 0) return;
        await this.#db.batch(
          present.map((hash): BatchOperation => ({
            type: 'del',
            key: deliveryKeyKey(address, hash),
          })),
          { sync: true },
        );
        const next = new Map(current);
        for (const hash of present) next.delete(hash);
        this.#cacheDeliveryKeys(address, next);
      }),
    );
  }

  putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void> {
    return this.#run(() => this.#putPreKeysNow(address, upload));
  }

  takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined> {
    return this.#run(() => this.#takePreKeyBundleNow(address));
  }

  countPreKeys(address: string): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    return this.#run(() => this.#countPreKeysNow(address));
  }

  appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    return this.#run(() => this.#appendEnvelopesNow(envelopes));
  }

  readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]> {
    return this.#run(() => this.#readMailboxNow(address, afterId, limit));
  }

  deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void> {
    return this.#run(() => this.#deleteEnvelopesNow(address, ids));
  }

  mailboxDepth(address: string): Promise<number> {
    // Every send checks it: answered from memory when the mailbox is loaded, as for getPersona.
    const state = this.#closing ? undefined : this.#mailboxes.get(address);
    if (state !== undefined) return Promise.resolve(state.depth);
    return this.#run(() => this.#mailboxDepthNow(address));
  }

  mailboxDepths(): Promise<number[]> {
    return this.#run(() => this.#mailboxDepthsNow());
  }

  mailboxKeyDepth(address: string, keyTag: string): Promise<number> {
    const state = this.#closing ? undefined : this.#mailboxes.get(address);
    if (state !== undefined) return Promise.resolve(state.byTag.get(keyTag) ?? 0);
    return this.#run(async () => (await this.#mailbox(address)).byTag.get(keyTag) ?? 0);
  }

  expireEnvelopes(cutoff: number): Promise<number> {
    return this.#run(() => this.#expireEnvelopesNow(cutoff));
  }

  expireDue(now: number): Promise<number> {
    return this.#run(() => this.#expireDueNow(now));
  }

  subscribeMailbox(address: string, listener: MailboxListener): () => void {
    return this.#signals.subscribe(address, listener);
  }

  appendGroupEntry(entry: NewGroupEntry): Promise<StoredGroupEntry> {
    return this.#run(() => this.#appendGroupEntryNow(entry));
  }

  readGroupOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    return this.#run(() => this.#readGroupOperationsNow(groupKey(groupId), fromSequence, limit));
  }

  groupLogLength(groupId: Uint8Array): Promise<number> {
    return this.#run(async () => (await this.#group(groupKey(groupId))).head.operations);
  }

  getGroupSnapshot(groupId: Uint8Array): Promise<StoredGroupSnapshot | undefined> {
    return this.#run(async () => {
      const value = await this.#get(snapshotKey(groupKey(groupId)));
      return value === undefined ? undefined : decodeSnapshot(value);
    });
  }

  putGroupSnapshot(groupId: Uint8Array, snapshot: StoredGroupSnapshot): Promise<void> {
    const group = groupKey(groupId);
    return this.#run(() =>
      // Read and replace under one lock, so a slower writer never puts back an older snapshot.
      this.#locks.run(snapshotKey(group), async () => {
        const { head } = await this.#group(group);
        const value = await this.#get(snapshotKey(group));
        const kept = value === undefined ? undefined : decodeSnapshot(value);
        if (!snapshotFits(snapshot, head.operations, kept)) return;
        await this.#db.put(snapshotKey(group), encodeSnapshot(snapshot));
      }),
    );
  }

  readMemberEntries(
    groupId: Uint8Array,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined> {
    return this.#run(() =>
      this.#readMemberEntriesNow(groupKey(groupId), address, afterIndex, limit),
    );
  }

  getGroupCursor(groupId: Uint8Array, address: string): Promise<GroupCursor | undefined> {
    return this.#run(async () => {
      const value = await this.#get(cursorKey(groupKey(groupId), address));
      return value === undefined ? undefined : decodeGroupCursor(value);
    });
  }

  ackGroup(groupId: Uint8Array, address: string, index: number): Promise<GroupCursor | undefined> {
    return this.#run(() => this.#ackGroupNow(groupKey(groupId), address, index));
  }

  listMemberGroups(address: string): Promise<GroupMembership[]> {
    return this.#run(() => this.#listMemberGroupsNow(address));
  }

  pruneGroups(cutoff: number): Promise<number> {
    return this.#run(() => this.#pruneGroupsNow(cutoff));
  }

  subscribeGroup(groupId: Uint8Array, listener: GroupListener): () => void {
    return this.#groupSignals.subscribe(groupKey(groupId), listener);
  }

  subscribeMemberGroups(address: string, listener: MemberGroupsListener): () => void {
    return this.#memberGroupSignals.subscribe(address, listener);
  }

  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean> {
    return this.#run(() => this.#consumeInviteTokenNow(id, maxUses));
  }

  getSetting(name: string): Promise<Uint8Array | undefined> {
    return this.#run(() => this.#getSettingNow(name));
  }

  putSetting(name: string, value: Uint8Array): Promise<void> {
    return this.#run(() => this.#putSettingNow(name, value));
  }

  claimSetting(name: string, value: Uint8Array): Promise<Uint8Array> {
    return this.#run(() => this.#claimSettingNow(name, value));
  }

  /** Finishes every operation already started (queued appends included), then closes. */
  async close(): Promise<void> {
    this.#closing = true;
    // No operation starts once closing is set, so the count only falls from here.
    if (this.#inFlight > 0) {
      // Shared, so that a second close() waits as well.
      this.#idle ??= new Promise<void>((resolve) => {
        this.#onIdle = resolve;
      });
      await this.#idle;
    }
    await this.#committer.drain();
    await this.#removals.drain();
    await this.#db.close();
  }

  putListingRequest(request: StoredListingRequest): Promise<void> {
    return this.#run(() => this.#directory.putListingRequest(request));
  }

  listingRequests(): Promise<StoredListingRequest[]> {
    return this.#run(() => this.#directory.listingRequests());
  }

  deleteListingRequest(groupId: Uint8Array): Promise<StoredListingRequest | undefined> {
    return this.#run(() => this.#directory.deleteListingRequest(groupId));
  }

  listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): Promise<number> {
    return this.#run(() => this.#directory.listDirectoryEntry(groupId, entry));
  }

  unlistDirectoryEntry(groupId: Uint8Array): Promise<number | undefined> {
    return this.#run(() => this.#directory.unlistDirectoryEntry(groupId));
  }

  putDirectoryRevocations(list: Uint8Array): Promise<number> {
    return this.#run(() => this.#directory.putDirectoryRevocations(list));
  }

  directoryVersion(): Promise<number> {
    return this.#run(() => this.#directory.directoryVersion());
  }

  readDirectory(): Promise<StoredDirectory> {
    return this.#run(() => this.#directory.readDirectory());
  }

  putIssuedCredential(credential: StoredCredential): Promise<void> {
    return this.#run(() => this.#directory.putIssuedCredential(credential));
  }

  issuedCredentials(): Promise<StoredCredential[]> {
    return this.#run(() => this.#directory.issuedCredentials());
  }

  createBlob(record: BlobRecord): Promise<boolean> {
    return this.#run(() => this.#blobs.create(record));
  }

  getBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#run(() => this.#blobs.get(id));
  }

  completeBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#run(() => this.#blobs.complete(id));
  }

  countBlobFetch(id: string): Promise<CountedBlobFetch | undefined> {
    return this.#run(() => this.#blobs.countFetch(id));
  }

  deleteBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#run(() => this.#blobs.delete(id));
  }

  expireBlobs(now: number): Promise<BlobRecord[]> {
    return this.#run(() => this.#blobs.expire(now));
  }

  blobTotals(): Promise<BlobTotals> {
    return this.#run(() => this.#blobs.totals());
  }

  /**
   * Hands every record to `visit`, in key order, as the store was when the call began (one
   * LevelDB iterator reads from one implicit snapshot, so writes meanwhile are not seen): the
   * consistent copy a backup of a running relay needs. Resolves with how many records.
   */
  snapshot(visit: (key: string, value: Uint8Array) => Promise<void>): Promise<number> {
    return this.#run(async () => {
      let records = 0;
      for await (const [key, value] of this.#db.iterator()) {
        await visit(key, value);
        records += 1;
      }
      return records;
    });
  }

  /** Writes records into a NEW store folder at `location` (a restore), in batches. */
  static async restore(
    location: string,
    records: AsyncIterable<readonly [string, Uint8Array]>,
  ): Promise<number> {
    await mkdir(location, { recursive: true, mode: 0o700 });
    const db: Db = new Level<string, Uint8Array>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    let count = 0;
    try {
      let batch: BatchOperation[] = [];
      for await (const [key, value] of records) {
        batch.push({ type: 'put', key, value });
        count += 1;
        if (batch.length >= RESTORE_BATCH) {
          await db.batch(batch);
          batch = [];
        }
      }
      await db.batch(batch, { sync: true });
    } finally {
      await db.close();
    }
    return count;
  }

  #run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StoreClosedError('relay store is closed'));
    const running = operation();
    this.#inFlight += 1;
    running.then(this.#settled, this.#settled);
    return running;
  }

  // ---- personas ----------------------------------------------------------------------------

  async #getPersonaNow(address: string): Promise<StoredPersona | undefined> {
    const cached = this.#personas.get(address);
    if (cached !== undefined) return cached;
    const writesBefore = this.#personaWrites;
    const bytes = await this.#get(`p!${address}`);
    if (bytes === undefined) return undefined;
    const persona = decodePersona(address, bytes);
    // A put during the read may have cached something newer than what was read: keep that.
    if (this.#personaWrites === writesBefore) this.#cachePersona(persona);
    return persona;
  }

  async #putPersonaNow(persona: StoredPersona): Promise<void> {
    this.#personaWrites += 1;
    await this.#db.put(`p!${persona.address}`, encodePersona(persona), { sync: true });
    this.#personaWrites += 1;
    this.#cachePersona(persona);
  }

  #cachePersona(persona: StoredPersona): void {
    this.#personas.delete(persona.address);
    this.#personas.set(persona.address, persona);
    if (this.#personas.size > PERSONA_CACHE_SIZE) {
      const oldest: string | undefined = this.#personas.keys().next().value;
      if (oldest !== undefined) this.#personas.delete(oldest);
    }
  }

  // ---- delivery keys -----------------------------------------------------------------------

  async #getDeliveryKeysNow(address: string): Promise<DeliveryKeySet> {
    const cached = this.#deliveryKeys.get(address);
    if (cached !== undefined) return cached;
    const prefix = `x!${address}!`;
    const entries = await this.#db.iterator({ gt: prefix, lt: rangeEnd(prefix) }).all();
    // A write may have cached a newer set while this one was read: keep that one.
    const raced = this.#deliveryKeys.get(address);
    if (raced !== undefined) return raced;
    const keys = new Map<string, number>();
    for (const [key, value] of entries) keys.set(key.slice(prefix.length), readFloat64(value));
    this.#cacheDeliveryKeys(address, keys);
    return keys;
  }

  #cacheDeliveryKeys(address: string, keys: DeliveryKeySet): void {
    this.#deliveryKeys.delete(address);
    this.#deliveryKeys.set(address, keys);
    if (this.#deliveryKeys.size > PERSONA_CACHE_SIZE) {
      const oldest: string | undefined = this.#deliveryKeys.keys().next().value;
      if (oldest !== undefined) this.#deliveryKeys.delete(oldest);
    }
  }

  // ---- prekeys -----------------------------------------------------------------------------

  #putPreKeysNow(address: string, upload: StoredPreKeyUpload): Promise<void> {
    return this.#locks.run(`k!${address}`, async () => {
      const ops: BatchOperation[] = [];
      if (upload.replaceOneTime === true) {
        for (const prefix of [`k!${address}!o!`, `k!${address}!q!`]) {
          for (const key of await this.#db.keys({ gt: prefix, lt: rangeEnd(prefix) }).all()) {
            ops.push({ type: 'del', key });
          }
        }
      }
      if (upload.signedPreKey !== undefined) {
        ops.push(put(`k!${address}!s`, encodeSignedPreKey(upload.signedPreKey)));
      }
      if (upload.lastResortKyberPreKey !== undefined) {
        ops.push(put(`k!${address}!l`, encodeSignedPreKey(upload.lastResortKyberPreKey)));
      }
      for (const key of upload.oneTimePreKeys) {
        ops.push(put(preKeyKey(address, 'o', key.id), encodeOneTimePreKey(key)));
      }
      for (const key of upload.oneTimeKyberPreKeys) {
        ops.push(put(preKeyKey(address, 'q', key.id), encodeSignedPreKey(key)));
      }
      if (ops.length > 0) await this.#db.batch(ops, { sync: true });
    });
  }

  #takePreKeyBundleNow(address: string): Promise<StoredPreKeyBundle | undefined> {
    return this.#locks.run(`k!${address}`, async () => {
      const [signedBytes, lastResortBytes] = await this.#db.getMany([
        `k!${address}!s`,
        `k!${address}!l`,
      ]);
      if (signedBytes === undefined || lastResortBytes === undefined) return undefined;
      const signedPreKey = decodeSignedPreKey(signedBytes);
      const [preKeyEntry, kyberEntry] = await Promise.all([
        this.#first(`k!${address}!o!`),
        this.#first(`k!${address}!q!`),
      ]);
      const consumed: BatchOperation[] = [];
      let preKey: StoredOneTimePreKey | undefined;
      if (preKeyEntry !== undefined) {
        preKey = decodeOneTimePreKey(preKeyEntry.value);
        consumed.push({ type: 'del', key: preKeyEntry.key });
      }
      let kyberPreKey: StoredSignedPreKey;
      if (kyberEntry !== undefined) {
        kyberPreKey = decodeSignedPreKey(kyberEntry.value);
        consumed.push({ type: 'del', key: kyberEntry.key });
      } else {
        kyberPreKey = decodeSignedPreKey(lastResortBytes);
      }
      // Synced: a one-time key handed out twice after a crash would weaken forward secrecy.
      if (consumed.length > 0) await this.#db.batch(consumed, { sync: true });
      return preKey === undefined
        ? { signedPreKey, kyberPreKey }
        : { signedPreKey, kyberPreKey, preKey };
    });
  }

  async #countPreKeysNow(
    address: string,
  ): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    const [oneTimePreKeys, oneTimeKyberPreKeys] = await Promise.all([
      this.#countKeys(`k!${address}!o!`),
      this.#countKeys(`k!${address}!q!`),
    ]);
    return { oneTimePreKeys, oneTimeKyberPreKeys };
  }

  // ---- mailboxes ---------------------------------------------------------------------------

  async #appendEnvelopesNow(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    if (envelopes.length === 0) return [];
    const states: MailboxState[] = [];
    for (const envelope of envelopes) {
      states.push(
        this.#mailboxes.get(envelope.recipient) ?? (await this.#mailbox(envelope.recipient)),
      );
    }
    // Counted as soon as they are queued, so a depth cap holds against concurrent senders.
    states.forEach((state, i) => {
      state.depth += 1;
      countTag(state, envelopes[i]?.keyTag ?? '', 1);
    });
    try {
      const result = await this.#committer.submit({ kind: 'envelopes', envelopes });
      if (!('ids' in result)) throw new Error('commit returned no envelope ids');
      return result.ids;
    } catch (error) {
      states.forEach((state, i) => {
        state.depth -= 1;
        countTag(state, envelopes[i]?.keyTag ?? '', -1);
      });
      throw error;
    }
  }

  /**
   * Writes one batch of requests, in order, as one LevelDB batch: synced when it carries an
   * envelope or a group entry, not when it only moves cursors. Group cursors that requests touch
   * are read first, then updated in memory request by request, so each request sees what the
   * ones before it in the batch did. Listeners are told only after the batch is written.
   */
  async #commitWrites(requests: readonly WriteRequest[]): Promise<WriteResult[]> {
    const ops: BatchOperation[] = [];
    let sync = false;
    const cursors = await this.#readCursors(requests);
    const changedCursors = new Set<string>();
    const heads = new Map<GroupHeadState, GroupHead>();
    const appendedEnvelopes = new Map<string, StoredEnvelope[]>();
    const appendedEntries = new Map<string, StoredGroupEntry[]>();
    const memberships: { address: string; group: string }[] = [];
    const setCursor = (group: string, address: string, cursor: GroupCursor | undefined): void => {
      const key = cursorKey(group, address);
      cursors.set(key, { group, address, cursor });
      changedCursors.add(key);
    };
    const results: WriteResult[] = [];
    for (const request of requests) {
      switch (request.kind) {
        case 'envelopes': {
          sync = true;
          results.push({ ids: this.#stageEnvelopes(request.envelopes, ops, appendedEnvelopes) });
          break;
        }
        case 'group': {
          const { entry, state } = request;
          const head = heads.get(state) ?? state.head;
          const conflict = groupConflict(entry, head.operations);
          if (conflict !== undefined) {
            results.push({ conflict: new GroupAppendConflictError(conflict) });
            break;
          }
          sync = true;
          const index = head.lastIndex + 1;
          const stored: StoredGroupEntry = {
            index,
            kind: entry.kind,
            bytes: entry.bytes,
            receivedAt: entry.receivedAt,
          };
          ops.push(
            put(
              entryKey(state.key, index),
              encodeGroupEntryValue(entry.kind, entry.receivedAt, entry.bytes),
            ),
          );
          let operations = head.operations;
          if (entry.kind === 'operation') {
            if (entry.disappearingMs !== undefined) {
              ops.push(
                entry.disappearingMs > 0
                  ? put(disappearingKey(state.key), float64Bytes(entry.disappearingMs))
                  : { type: 'del', key: disappearingKey(state.key) },
              );
            }
            ops.push(put(operationKey(state.key, operations), encodeGroupIndex(index)));
            operations += 1;
            for (const address of entry.joined) {
              setCursor(state.key, address, { acked: index - 1 });
              memberships.push({ address, group: state.key });
            }
            for (const address of entry.left) {
              const cursor = cursors.get(cursorKey(state.key, address))?.cursor;
              if (cursor === undefined) continue;
              setCursor(state.key, address, { acked: cursor.acked, readUntil: index });
              memberships.push({ address, group: state.key });
            }
          }
          heads.set(state, { lastIndex: index, operations });
          let list = appendedEntries.get(state.key);
          if (list === undefined) {
            list = [];
            appendedEntries.set(state.key, list);
          }
          list.push(stored);
          results.push({ entry: stored });
          break;
        }
        case 'ack': {
          const { state, address, index } = request;
          const cursor = cursors.get(cursorKey(state.key, address))?.cursor;
          if (cursor === undefined) {
            results.push({ cursor: undefined });
            break;
          }
          const lastIndex = (heads.get(state) ?? state.head).lastIndex;
          const moved = advancedCursor(cursor, index, lastIndex);
          const ended = moved.readUntil !== undefined && moved.acked >= moved.readUntil;
          if (ended) setCursor(state.key, address, undefined);
          else if (moved.acked !== cursor.acked) setCursor(state.key, address, moved);
          results.push({ cursor: ended ? undefined : moved });
          break;
        }
        case 'dropCursor': {
          const cursor = cursors.get(cursorKey(request.group, request.address))?.cursor;
          // Only the ended membership it was asked about: not a member who has since rejoined.
          const drop = cursor?.readUntil === request.readUntil;
          if (drop) setCursor(request.group, request.address, undefined);
          results.push({ cursor: drop ? undefined : cursor });
          break;
        }
        default:
          throw missingCaseError(request);
      }
    }
    for (const [state, head] of heads) ops.push(put(headKey(state.key), encodeGroupHead(head)));
    for (const key of changedCursors) {
      const change = cursors.get(key);
      if (change === undefined) continue;
      const byAddress = memberKey(change.address, change.group);
      if (change.cursor === undefined) {
        ops.push({ type: 'del', key }, { type: 'del', key: byAddress });
      } else {
        const value = encodeGroupCursor(change.cursor);
        ops.push(put(key, value), put(byAddress, value));
      }
    }
    // Ids taken by a failed batch are never reused: ids only have to increase, not be dense.
    // Cursor moves alone are not synced: after a crash, entries acknowledged in the last moment
    // are delivered again, and clients deduplicate.
    await writeBatch(this.#db, ops, sync);
    for (const [state, head] of heads) state.head = head;
    for (const [address, envelopes] of appendedEnvelopes) this.#signals.notify(address, envelopes);
    for (const { address, group } of memberships) {
      this.#memberGroupSignals.notify(address, groupIdFromKey(group));
    }
    for (const [group, entries] of appendedEntries) this.#groupSignals.notify(group, entries);
    return results;
  }

  #stageEnvelopes(
    envelopes: readonly NewEnvelope[],
    ops: BatchOperation[],
    appended: Map<string, StoredEnvelope[]>,
  ): bigint[] {
    const ids: bigint[] = [];
    for (const envelope of envelopes) {
      const state = this.#mailboxes.get(envelope.recipient);
      if (state === undefined) throw new Error('mailbox state missing');
      if (state.lastId >= MAX_ENVELOPE_ID) throw new Error('mailbox id space exhausted');
      state.lastId += 1n;
      ids.push(state.lastId);
      const keyTag = envelope.keyTag ?? '';
      if (keyTag !== '') state.tags.set(state.lastId, keyTag);
      let list = appended.get(envelope.recipient);
      if (list === undefined) {
        list = [];
        appended.set(envelope.recipient, list);
      }
      list.push({ id: state.lastId, sealed: envelope.sealed, receivedAt: envelope.receivedAt });
      ops.push(
        put(
          envelopeKey(envelope.recipient, state.lastId),
          encodeEnvelopeValue(envelope.receivedAt, envelope.sealed, keyTag),
        ),
      );
      if (envelope.expiresAt !== undefined) {
        ops.push(put(dueKey(envelope.expiresAt, envelope.recipient, state.lastId), EMPTY));
      }
    }
    return ids;
  }

  /** The cursors a batch of requests reads, in one read. */
  async #readCursors(requests: readonly WriteRequest[]): Promise<Map<string, CursorRecord>> {
    const wanted = new Map<string, { group: string; address: string }>();
    const want = (group: string, address: string): void => {
      wanted.set(cursorKey(group, address), { group, address });
    };
    for (const request of requests) {
      if (request.kind === 'ack') want(request.state.key, request.address);
      else if (request.kind === 'dropCursor') want(request.group, request.address);
      else if (request.kind === 'group' && request.entry.kind === 'operation') {
        for (const address of request.entry.left) want(request.state.key, address);
      }
    }
    const cursors = new Map<string, CursorRecord>();
    if (wanted.size === 0) return cursors;
    const keys = [...wanted.keys()];
    const values = await this.#db.getMany(keys);
    keys.forEach((key, i) => {
      const where = wanted.get(key);
      const value = values[i];
      if (where === undefined) return;
      cursors.set(key, {
        ...where,
        cursor: value === undefined ? undefined : decodeGroupCursor(value),
      });
    });
    return cursors;
  }

  async #readMailboxNow(
    address: string,
    afterId: bigint,
    limit: number,
  ): Promise<StoredEnvelope[]> {
    if (limit <= 0) return [];
    const entries = await this.#db
      .iterator({ gt: envelopeKey(address, afterId), lt: `e!${address}"`, limit })
      .all();
    return entries.map(([key, value]) => {
      const { receivedAt, sealed } = decodeEnvelopeValue(value);
      return { id: envelopeIdFromKey(key), receivedAt, sealed };
    });
  }

  async #deleteEnvelopesNow(address: string, ids: readonly bigint[]): Promise<void> {
    if (ids.length === 0) return;
    const state = this.#mailboxes.get(address) ?? (await this.#mailbox(address));
    await this.#removals.submit({ kind: 'ids', address, state, ids });
  }

  async #mailboxDepthNow(address: string): Promise<number> {
    return (this.#mailboxes.get(address) ?? (await this.#mailbox(address))).depth;
  }

  /** One pass over the envelope keys (values are not read), counting runs of one address. */
  async #mailboxDepthsNow(): Promise<number[]> {
    const depths: number[] = [];
    let current: string | undefined;
    let depth = 0;
    for await (const key of this.#db.keys({ gt: 'e!', lt: 'e"' })) {
      const address = key.slice(2, key.lastIndexOf('!'));
      if (address !== current) {
        if (depth > 0) depths.push(depth);
        current = address;
        depth = 0;
      }
      depth += 1;
    }
    if (depth > 0) depths.push(depth);
    return depths;
  }

  async #expireEnvelopesNow(cutoff: number): Promise<number> {
    let expired = 0;
    let lowerBound = 'e!';
    for (;;) {
      const next = await this.#db.keys({ gt: lowerBound, lt: 'e"', limit: 1 }).all();
      const firstKey = next[0];
      if (firstKey === undefined) return expired;
      const address = firstKey.slice(2, firstKey.lastIndexOf('!'));
      expired += await this.#expireMailbox(address, cutoff);
      lowerBound = `e!${address}"`;
    }
  }

  async #expireMailbox(address: string, cutoff: number): Promise<number> {
    const state = this.#mailboxes.get(address) ?? (await this.#mailbox(address));
    return this.#removals.submit({ kind: 'expire', address, state, cutoff });
  }

  /**
   * Removes envelopes, for every mailbox at once: acknowledgements arriving while a removal is
   * being written are gathered into the next one, so recipients acknowledging envelopes one by one
   * cost one read and one write per batch, not per envelope, and not per mailbox either (each
   * LevelDB call has a fixed cost on the event loop that dominated the ack path when every mailbox
   * committed on its own). Only keys that exist are deleted and counted, so the in-memory depths
   * stay exact: removals run one batch at a time, so no two can count the same key.
   */
  async #commitRemovals(requests: readonly Removal[]): Promise<number[]> {
    const results = requests.map(() => 0);
    /** Each key to delete, with the mailbox whose depth it counts against. */
    const doomed = new Map<string, MailboxState>();
    for (const [index, request] of requests.entries()) {
      if (request.kind !== 'expire') continue;
      // Ids follow arrival, so the first envelope young enough ends the sweep of this mailbox.
      for await (const [key, value] of this.#db.iterator({
        gt: `e!${request.address}!`,
        lt: `e!${request.address}"`,
      })) {
        if (envelopeReceivedAt(value) >= request.cutoff) break;
        if (!doomed.has(key)) results[index] = (results[index] ?? 0) + 1;
        doomed.set(key, request.state);
      }
    }
    const acknowledged = new Map<string, MailboxState>();
    /** Keys a 'due' request asked for, with that request's position (its count). */
    const due = new Map<string, number>();
    for (const [index, request] of requests.entries()) {
      if (request.kind !== 'ids' && request.kind !== 'due') continue;
      for (const id of request.ids) {
        const key = envelopeKey(request.address, id);
        if (!doomed.has(key)) acknowledged.set(key, request.state);
        if (request.kind === 'due') due.set(key, index);
      }
    }
    if (acknowledged.size > 0) {
      const keys = [...acknowledged.keys()];
      const present = await this.#db.hasMany(keys);
      keys.forEach((key, index) => {
        const state = acknowledged.get(key);
        if (present[index] !== true || state === undefined) return;
        doomed.set(key, state);
        const asker = due.get(key);
        if (asker !== undefined) results[asker] = (results[asker] ?? 0) + 1;
      });
    }
    if (doomed.size === 0) return results;
    // Not synced: after a crash an acknowledged envelope may come again, and clients
    // deduplicate by message id; a send acknowledgement, by contrast, is always durable.
    await writeBatch(
      this.#db,
      [...doomed.keys()].map((key): BatchOperation => ({ type: 'del', key })),
      false,
    );
    for (const [key, state] of doomed) {
      state.depth -= 1;
      const id = envelopeIdFromKey(key);
      countTag(state, state.tags.get(id) ?? '', -1);
      state.tags.delete(id);
    }
    return results;
  }

  /**
   * Envelopes whose own expiry has come (through the `t!` index, so envelopes without one cost
   * nothing), and group messages older than their group's timer. Deleting is the point of a
   * timer, so the ciphertexts must leave the folder's files now, not at LevelDB's leisure: every
   * range that holds something due is compacted before the delete and again after it. Why twice:
   * LevelDB's compactRange never rewrites the deepest level holding the range, and a value still
   * in the memtable is flushed together with its tombstone into exactly such a file (a flush
   * keeps both). The first pass flushes the values into tables; the tombstones then land above
   * them, and the second pass merges them down, dropping the values.
   */
  async #expireDueNow(now: number): Promise<number> {
    const dueKeys = await this.#db.keys({ gt: 't!', lt: `t!${hex16(now + 1)}` }).all();
    const byAddress = new Map<string, bigint[]>();
    for (const key of dueKeys) {
      const [, , address, id] = key.split('!');
      if (address === undefined || id === undefined) continue;
      let ids = byAddress.get(address);
      if (ids === undefined) {
        ids = [];
        byAddress.set(address, ids);
      }
      ids.push(BigInt(`0x${id}`));
    }
    const doomedEntries: BatchOperation[] = [];
    const touched: [string, string][] = [...byAddress.keys()].map((address) => [
      `e!${address}!`,
      `e!${address}"`,
    ]);
    const timers = await this.#db.iterator({ gt: 'd!', lt: 'd"' }).all();
    for (const [key, value] of timers) {
      const group = key.slice(2);
      const cutoff = now - readFloat64(value);
      let any = false;
      // Entries follow arrival, so the first young one ends the sweep of this group.
      for await (const [entry, row] of this.#db.iterator({
        gt: `g!${group}!e!`,
        lt: `g!${group}!e"`,
      })) {
        const { kind, receivedAt } = decodeGroupEntryValue(row);
        if (receivedAt > cutoff) break;
        if (kind !== 'message') continue;
        doomedEntries.push({ type: 'del', key: entry });
        any = true;
      }
      if (any) touched.push([`g!${group}!e!`, `g!${group}!e"`]);
    }
    if (touched.length === 0) {
      if (dueKeys.length > 0) await this.#deleteKeys(dueKeys);
      return 0;
    }
    const db = compactable(this.#db);
    for (const [start, end] of touched) await db.compactRange(start, end);
    let deleted = 0;
    for (const [address, ids] of byAddress) {
      const state = this.#mailboxes.get(address) ?? (await this.#mailbox(address));
      deleted += await this.#removals.submit({ kind: 'due', address, state, ids });
    }
    if (doomedEntries.length > 0) {
      // Not synced, like pruned messages: a deleted one that survives a crash goes next sweep.
      await this.#db.batch(doomedEntries);
      deleted += doomedEntries.length;
    }
    await this.#deleteKeys(dueKeys);
    for (const [start, end] of touched) await db.compactRange(start, end);
    await db.compactRange('t!', 't"');
    return deleted;
  }

  async #deleteKeys(keys: readonly string[]): Promise<void> {
    await this.#db.batch(keys.map((key): BatchOperation => ({ type: 'del', key })));
  }

  /** The mailbox's in-memory counters, loaded once from the folder: last id and depth. */
  #mailbox(address: string): Promise<MailboxState> {
    const known = this.#mailboxes.get(address);
    if (known !== undefined) return Promise.resolve(known);
    let loading = this.#loadingMailboxes.get(address);
    if (loading === undefined) {
      loading = this.#loadMailbox(address).finally(() => {
        this.#loadingMailboxes.delete(address);
      });
      this.#loadingMailboxes.set(address, loading);
    }
    return loading;
  }

  async #loadMailbox(address: string): Promise<MailboxState> {
    const [last] = await this.#db
      .keys({ gt: `e!${address}!`, lt: `e!${address}"`, reverse: true, limit: 1 })
      .all();
    const state: MailboxState = {
      lastId: last === undefined ? 0n : envelopeIdFromKey(last),
      depth: 0,
      tags: new Map(),
      byTag: new Map(),
    };
    // Read once per mailbox per process: the depth and each delivery key's share of it.
    const prefix = `e!${address}!`;
    for await (const [key, value] of this.#db.iterator({ gt: prefix, lt: rangeEnd(prefix) })) {
      state.depth += 1;
      const keyTag = envelopeKeyTag(value);
      countTag(state, keyTag, 1);
      if (keyTag !== '') state.tags.set(envelopeIdFromKey(key), keyTag);
    }
    this.#mailboxes.set(address, state);
    return state;
  }

  // ---- groups ------------------------------------------------------------------------------

  async #appendGroupEntryNow(entry: NewGroupEntry): Promise<StoredGroupEntry> {
    const state = await this.#group(groupKey(entry.groupId));
    const result = await this.#holdingGroup(state, () =>
      this.#committer.submit({ kind: 'group', entry, state }),
    );
    if ('conflict' in result) throw result.conflict;
    if (!('entry' in result)) throw new Error('commit returned no group entry');
    return result.entry;
  }

  async #readGroupOperationsNow(
    group: string,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    if (limit <= 0) return [];
    const indexes = await this.#db
      .values({
        gte: operationKey(group, fromSequence),
        lt: `g!${group}!o"`,
        limit,
      })
      .all();
    if (indexes.length === 0) return [];
    // level 10 resolves undefined for missing keys; its typings predate that.
    const values: (Uint8Array | undefined)[] = await this.#db.getMany(
      indexes.map((value) => entryKey(group, decodeGroupIndex(value))),
    );
    return values.map((value) => {
      if (value === undefined) throw new Error('group operation entry missing');
      return new Uint8Array(decodeGroupEntryValue(value).bytes);
    });
  }

  async #readMemberEntriesNow(
    group: string,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined> {
    // One snapshot for the cursor and the entries, so an entry appended after the operation that
    // ended this membership can never be read together with a cursor that predates it.
    const snapshot = this.#db.snapshot();
    try {
      // level 10 resolves undefined for a missing key; its typings predate that.
      const value = await this.#db.get<string, Uint8Array | undefined>(cursorKey(group, address), {
        snapshot,
      });
      if (value === undefined) return undefined;
      const cursor = decodeGroupCursor(value);
      if (limit <= 0) return { cursor, entries: [] };
      const after = Math.max(afterIndex ?? 0, cursor.acked);
      const upper =
        cursor.readUntil === undefined
          ? { lt: `g!${group}!e"` }
          : { lte: entryKey(group, cursor.readUntil) };
      const rows = await this.#db
        .iterator({ gt: entryKey(group, after), ...upper, limit, snapshot })
        .all();
      const entries = rows.map(([key, row]): StoredGroupEntry => {
        const { kind, receivedAt, bytes } = decodeGroupEntryValue(row);
        return { index: indexFromKey(key), kind, receivedAt, bytes };
      });
      return { cursor, entries };
    } finally {
      await snapshot.close();
    }
  }

  async #ackGroupNow(
    group: string,
    address: string,
    index: number,
  ): Promise<GroupCursor | undefined> {
    const state = await this.#group(group);
    const result = await this.#holdingGroup(state, () =>
      this.#committer.submit({ kind: 'ack', state, address, index }),
    );
    if (!('cursor' in result)) throw new Error('commit returned no cursor');
    return result.cursor;
  }

  async #listMemberGroupsNow(address: string): Promise<GroupMembership[]> {
    const rows = await this.#db.iterator({ gt: `a!${address}!`, lt: `a!${address}"` }).all();
    return rows.map(([key, value]) => ({
      groupId: groupIdFromKey(key.slice(key.lastIndexOf('!') + 1)),
      ...decodeGroupCursor(value),
    }));
  }

  async #pruneGroupsNow(cutoff: number): Promise<number> {
    let pruned = 0;
    let lowerBound = 'g!';
    for (;;) {
      const [firstKey] = await this.#db.keys({ gt: lowerBound, lt: 'g"', limit: 1 }).all();
      if (firstKey === undefined) return pruned;
      const group = firstKey.slice(2, firstKey.indexOf('!', 2));
      pruned += await this.#pruneGroup(group, cutoff);
      lowerBound = `g!${group}"`;
    }
  }

  async #pruneGroup(group: string, cutoff: number): Promise<number> {
    const rows = await this.#db.iterator({ gt: `g!${group}!c!`, lt: `g!${group}!c"` }).all();
    const cursors: GroupCursor[] = [];
    for (const [key, value] of rows) {
      const cursor = decodeGroupCursor(value);
      if (cursor.readUntil !== undefined && (await this.#endedBefore(group, cursor, cutoff))) {
        const address = key.slice(key.lastIndexOf('!') + 1);
        const result = await this.#committer.submit({
          kind: 'dropCursor',
          group,
          address,
          readUntil: cursor.readUntil,
        });
        // A member who rejoined in the meantime keeps its (new) cursor.
        if ('cursor' in result && result.cursor !== undefined) cursors.push(result.cursor);
        continue;
      }
      cursors.push(cursor);
    }
    // Cursors only move forward, and new members start at the stream's end, so entries no cursor
    // needed when they were read stay unneeded.
    const needed = neededEntries(cursors);
    const doomed: BatchOperation[] = [];
    for await (const [key, value] of this.#db.iterator({
      gt: `g!${group}!e!`,
      lt: `g!${group}!e"`,
    })) {
      const entry = decodeGroupEntryValue(value);
      if (entry.kind !== 'message') continue;
      if (entry.receivedAt < cutoff || !needed(indexFromKey(key)))
        doomed.push({ type: 'del', key });
    }
    // Not synced, like acknowledged envelopes: a pruned message that survives a crash is pruned
    // again by the next sweep.
    if (doomed.length > 0) await this.#db.batch(doomed);
    return doomed.length;
  }

  /** Whether the operation that ended a former member's membership was received before `cutoff`. */
  async #endedBefore(group: string, cursor: GroupCursor, cutoff: number): Promise<boolean> {
    if (cursor.readUntil === undefined) return false;
    const value = await this.#get(entryKey(group, cursor.readUntil));
    return value === undefined || decodeGroupEntryValue(value).receivedAt < cutoff;
  }

  /**
   * The group's head in memory, loaded from the folder when it is not there. Every write to a
   * group goes through this one state object (its batch updates it after the head is on disk),
   * so it is dropped only when idle: no write in flight, unused for groupHeadIdleMs.
   */
  #group(group: string): Promise<GroupHeadState> {
    const known = this.#groups.get(group);
    if (known !== undefined) {
      known.usedAt = Date.now();
      // Most recently used last: the Map's order is the eviction order.
      this.#groups.delete(group);
      this.#groups.set(group, known);
      return Promise.resolve(known);
    }
    let loading = this.#loadingGroups.get(group);
    if (loading === undefined) {
      loading = this.#get(headKey(group))
        .then((value) => {
          const state: GroupHeadState = {
            key: group,
            head: value === undefined ? { lastIndex: 0, operations: 0 } : decodeGroupHead(value),
            writers: 0,
            usedAt: Date.now(),
          };
          this.#groups.set(group, state);
          this.#evictIdleGroupHeads();
          return state;
        })
        .finally(() => {
          this.#loadingGroups.delete(group);
        });
      this.#loadingGroups.set(group, loading);
    }
    return loading;
  }

  /** Drops the least recently used idle heads while the table is over its size. */
  #evictIdleGroupHeads(): void {
    const idleBefore = Date.now() - this.#groupHeadIdleMs;
    for (const [group, state] of this.#groups) {
      if (this.#groups.size <= this.#maxCachedGroupHeads) return;
      if (state.writers === 0 && state.usedAt <= idleBefore) this.#groups.delete(group);
    }
  }

  /** How many group heads are in memory (for tests and metrics). */
  get cachedGroupHeads(): number {
    return this.#groups.size;
  }

  /** Runs a write that holds `state`, which stays cached until it is done. */
  async #holdingGroup<T>(state: GroupHeadState, write: () => Promise<T>): Promise<T> {
    state.writers += 1;
    try {
      return await write();
    } finally {
      state.writers -= 1;
    }
  }

  // ---- invite tokens and settings ----------------------------------------------------------

  #consumeInviteTokenNow(id: Uint8Array, maxUses: number): Promise<boolean> {
    const key = `i!${Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex')}`;
    return this.#locks.run(key, async () => {
      const stored = await this.#get(key);
      const uses = stored === undefined ? 0 : readUint32(stored);
      if (uses >= maxUses) return false;
      await this.#db.put(key, uint32Bytes(uses + 1), { sync: true });
      return true;
    });
  }

  async #getSettingNow(name: string): Promise<Uint8Array | undefined> {
    return this.#get(`s!${name}`);
  }

  async #putSettingNow(name: string, value: Uint8Array): Promise<void> {
    await this.#db.put(`s!${name}`, value, { sync: true });
  }

  /** Under the setting's lock, so two claims in this process see each other. */
  #claimSettingNow(name: string, value: Uint8Array): Promise<Uint8Array> {
    const key = `s!${name}`;
    return this.#locks.run(key, async () => {
      const kept = await this.#get(key);
      if (kept !== undefined) return kept;
      await this.#db.put(key, value, { sync: true });
      return new Uint8Array(value);
    });
  }

  // ---- helpers -----------------------------------------------------------------------------

  async #get(key: string): Promise<Uint8Array | undefined> {
    // level 10 resolves undefined for a missing key; its typings predate that.
    const value = (await this.#db.get(key)) as Uint8Array | undefined;
    return value === undefined ? undefined : asPlainBytes(value);
  }

  async #first(prefix: string): Promise<{ key: string; value: Uint8Array } | undefined> {
    const [entry] = await this.#db.iterator({ gt: prefix, lt: rangeEnd(prefix), limit: 1 }).all();
    return entry === undefined ? undefined : { key: entry[0], value: entry[1] };
  }

  async #countKeys(prefix: string): Promise<number> {
    const keys = this.#db.keys({ gt: prefix, lt: rangeEnd(prefix) });
    let count = 0;
    try {
      for (;;) {
        const page = await keys.nextv(1000);
        if (page.length === 0) return count;
        count += page.length;
      }
    } finally {
      await keys.close();
    }
  }
}

interface MailboxState {
  lastId: bigint;
  depth: number;
  /** The key tag of each stored envelope that has one (ids without one are tagged ''). */
  readonly tags: Map<bigint, string>;
  /** Envelopes per key tag, queued ones included. */
  readonly byTag: Map<string, number>;
}

function countTag(state: MailboxState, tag: string, change: number): void {
  const count = (state.byTag.get(tag) ?? 0) + change;
  if (count <= 0) state.byTag.delete(tag);
  else state.byTag.set(tag, count);
}

function deliveryKeyKey(address: string, hashHex: string): string {
  return `x!${address}!${hashHex}`;
}

/** A group's head as last committed; only the committer changes it. */
interface GroupHeadState {
  readonly key: string;
  head: GroupHead;
  /** Writes in flight that hold this state: while any is, it must stay the group's one state. */
  writers: number;
  /** When it was last handed out (ms). */
  usedAt: number;
}

interface CursorRecord {
  readonly group: string;
  readonly address: string;
  readonly cursor: GroupCursor | undefined;
}

type WriteRequest =
  | { readonly kind: 'envelopes'; readonly envelopes: readonly NewEnvelope[] }
  | { readonly kind: 'group'; readonly entry: NewGroupEntry; readonly state: GroupHeadState }
  | {
      readonly kind: 'ack';
      readonly state: GroupHeadState;
      readonly address: string;
      readonly index: number;
    }
  | {
      readonly kind: 'dropCursor';
      readonly group: string;
      readonly address: string;
      readonly readUntil: number;
    };

type WriteResult =
  | { readonly ids: bigint[] }
  | { readonly entry: StoredGroupEntry }
  | { readonly conflict: GroupAppendConflictError }
  | { readonly cursor: GroupCursor | undefined };

/**
 * What one removal request asks of one mailbox: delete these ids, or everything received before
 * `cutoff`.
 */
type Removal = { readonly address: string; readonly state: MailboxState } & (
  | { readonly kind: 'ids'; readonly ids: readonly bigint[] }
  | { readonly kind: 'expire'; readonly cutoff: number }
  | { readonly kind: 'due'; readonly ids: readonly bigint[] }
);

function put(key: string, value: Uint8Array): BatchOperation {
  return { type: 'put', key, value };
}

function preKeyKey(address: string, kind: 'o' | 'q', id: number): string {
  return `k!${address}!${kind}!${id.toString(16).padStart(8, '0')}`;
}

const EMPTY = new Uint8Array(0);

/** What `level` is in Node (classic-level) offers beyond the typings `level` declares. */
interface Compactable {
  compactRange(start: string, end: string): Promise<void>;
}

function compactable(db: Db): Compactable {
  const candidate: Partial<Compactable> = db as Partial<Compactable>;
  if (typeof candidate.compactRange !== 'function') {
    throw new Error('this LevelDB binding cannot compact, so deleted data would stay on disk');
  }
  return candidate as Compactable;
}

function hex16(value: number): string {
  return Math.max(0, Math.floor(value)).toString(16).padStart(16, '0');
}

function dueKey(expiresAt: number, address: string, id: bigint): string {
  return `t!${hex16(expiresAt)}!${address}!${id.toString(16).padStart(MAILBOX_ID_DIGITS, '0')}`;
}

function disappearingKey(group: string): string {
  return `d!${group}`;
}

function envelopeKey(address: string, id: bigint): string {
  return `e!${address}!${id.toString(16).padStart(MAILBOX_ID_DIGITS, '0')}`;
}

function headKey(group: string): string {
  return `g!${group}!h`;
}

function snapshotKey(group: string): string {
  return `g!${group}!s`;
}

function encodeSnapshot(snapshot: StoredGroupSnapshot): Uint8Array {
  const value = new Uint8Array(SNAPSHOT_LENGTH_BYTES + snapshot.bytes.length);
  new DataView(value.buffer).setFloat64(0, snapshot.length);
  value.set(snapshot.bytes, SNAPSHOT_LENGTH_BYTES);
  return value;
}

/** A value that is too short to hold a snapshot reads as none (the group is replayed). */
function decodeSnapshot(value: Uint8Array): StoredGroupSnapshot | undefined {
  if (value.length < SNAPSHOT_LENGTH_BYTES) return undefined;
  const length = new DataView(value.buffer, value.byteOffset, value.byteLength).getFloat64(0);
  return { length, bytes: new Uint8Array(value.subarray(SNAPSHOT_LENGTH_BYTES)) };
}

function entryKey(group: string, index: number): string {
  return `g!${group}!e!${index.toString(16).padStart(GROUP_INDEX_DIGITS, '0')}`;
}

function operationKey(group: string, sequence: number): string {
  return `g!${group}!o!${sequence.toString(16).padStart(GROUP_INDEX_DIGITS, '0')}`;
}

function cursorKey(group: string, address: string): string {
  return `g!${group}!c!${address}`;
}

function memberKey(address: string, group: string): string {
  return `a!${address}!${group}`;
}

function indexFromKey(key: string): number {
  return Number.parseInt(key.slice(key.length - GROUP_INDEX_DIGITS), 16);
}

function envelopeIdFromKey(key: string): bigint {
  return BigInt(`0x${key.slice(key.length - MAILBOX_ID_DIGITS)}`);
}

/** The smallest key above every key starting with `prefix` (which ends in '!'). */
function rangeEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}"`;
}

/** LevelDB hands back Buffers; the rest of the relay speaks plain Uint8Array views. */
function asPlainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
