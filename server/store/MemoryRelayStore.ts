import { GroupAppendConflictError } from './GroupAppendConflictError.js';
import { GroupCommitter } from './GroupCommitter.js';
import {
  advancedCursor,
  groupConflict,
  groupIdFromKey,
  groupKey,
  neededEntries,
  snapshotFits,
} from './groupStream.js';
import { KeyedMutex } from './KeyedMutex.js';
import { MemoryBlobRecords } from './blobRecords.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredListingRequest,
} from './directoryRecords.js';
import { MemoryDirectoryRecords } from './MemoryDirectoryRecords.js';
import type { BlobTotals, CountedBlobFetch } from './blobRecords.js';
import type { BlobRecord } from '../blobs/BlobStore.js';
import { StoreClosedError } from './StoreClosedError.js';
import { StoreSignals } from './StoreSignals.js';
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
 * Everything in memory: for tests and throwaway relays. It keeps the same semantics as the LevelDB
 * store (group commit, increasing ids, notifications after the commit, atomic prekey takes), so
 * it passes the same contract suite; "durable" here only means "committed".
 */
export class MemoryRelayStore implements RelayStore {
  readonly #personas = new Map<string, StoredPersona>();
  readonly #preKeys = new Map<string, PreKeySet>();
  readonly #deliveryKeys = new Map<string, DeliveryKeySet>();
  readonly #mailboxes = new Map<string, Mailbox>();
  readonly #inviteUses = new Map<string, number>();
  readonly #settings = new Map<string, Uint8Array>();
  readonly #blobs = new MemoryBlobRecords();
  readonly #directory = new MemoryDirectoryRecords();
  readonly #groups = new Map<string, MemoryGroup>();
  /** address → hex ids of the groups it has a cursor in. */
  readonly #memberGroups = new Map<string, Set<string>>();
  readonly #signals: StoreSignals<readonly StoredEnvelope[] | undefined>;
  readonly #groupSignals: StoreSignals<readonly StoredGroupEntry[] | undefined>;
  readonly #memberGroupSignals: StoreSignals<Uint8Array>;
  readonly #locks = new KeyedMutex();
  readonly #committer: GroupCommitter<readonly NewEnvelope[], bigint[]>;
  readonly #groupCommitter: GroupCommitter<
    NewGroupEntry,
    StoredGroupEntry | GroupAppendConflictError
  >;
  #closed = false;

  constructor(options: { readonly onListenerError?: (error: unknown) => void } = {}) {
    this.#signals = new StoreSignals(options.onListenerError);
    this.#groupSignals = new StoreSignals(options.onListenerError);
    this.#memberGroupSignals = new StoreSignals(options.onListenerError);
    this.#committer = new GroupCommitter((requests) => Promise.resolve(this.#commit(requests)));
    this.#groupCommitter = new GroupCommitter((requests) =>
      Promise.resolve(this.#commitGroupEntries(requests)),
    );
  }

  getPersona(address: string): Promise<StoredPersona | undefined> {
    return this.#open(() => this.#personas.get(address));
  }

  putPersona(persona: StoredPersona): Promise<void> {
    return this.#open(() => {
      this.#personas.set(persona.address, {
        ...persona,
        identityKey: copyBytes(persona.identityKey),
        accessKeyHash: copyBytes(persona.accessKeyHash),
      });
    });
  }

  getDeliveryKeys(address: string): Promise<DeliveryKeySet> {
    return this.#open(() => this.#deliveryKeys.get(address) ?? NO_DELIVERY_KEYS);
  }

  putDeliveryKey(address: string, hashHex: string, expiresAt: number): Promise<void> {
    return this.#open(() => {
      const next = new Map(this.#deliveryKeys.get(address));
      next.set(hashHex, expiresAt);
      this.#deliveryKeys.set(address, next);
    });
  }

  deleteDeliveryKeys(address: string, hashesHex: readonly string[]): Promise<void> {
    return this.#open(() => {
      const current = this.#deliveryKeys.get(address);
      if (current === undefined || !hashesHex.some((hash) => current.has(hash))) return;
      const next = new Map(current);
      for (const hash of hashesHex) next.delete(hash);
      if (next.size === 0) this.#deliveryKeys.delete(address);
      else this.#deliveryKeys.set(address, next);
    });
  }

  putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void> {
    return this.#open(() => {
      const set = this.#preKeySet(address);
      if (upload.replaceOneTime === true) {
        set.oneTime.clear();
        set.oneTimeKyber.clear();
      }
      if (upload.signedPreKey !== undefined) set.signed = copySigned(upload.signedPreKey);
      if (upload.lastResortKyberPreKey !== undefined) {
        set.lastResort = copySigned(upload.lastResortKyberPreKey);
      }
      for (const key of upload.oneTimePreKeys) {
        set.oneTime.set(key.id, { id: key.id, publicKey: copyBytes(key.publicKey) });
      }
      for (const key of upload.oneTimeKyberPreKeys) set.oneTimeKyber.set(key.id, copySigned(key));
    });
  }

  takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined> {
    // Synchronous inside, so already atomic; the lock keeps the same shape as LevelRelayStore.
    return this.#locks.run(address, () =>
      this.#open(() => {
        const set = this.#preKeys.get(address);
        if (set?.signed === undefined || set.lastResort === undefined) return undefined;
        const preKey = takeLowest(set.oneTime);
        const kyberPreKey = takeLowest(set.oneTimeKyber) ?? set.lastResort;
        return preKey === undefined
          ? { signedPreKey: set.signed, kyberPreKey }
          : { signedPreKey: set.signed, kyberPreKey, preKey };
      }),
    );
  }

  countPreKeys(address: string): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    return this.#open(() => {
      const set = this.#preKeys.get(address);
      return {
        oneTimePreKeys: set?.oneTime.size ?? 0,
        oneTimeKyberPreKeys: set?.oneTimeKyber.size ?? 0,
      };
    });
  }

  async appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    this.#assertOpen();
    if (envelopes.length === 0) return [];
    for (const envelope of envelopes) {
      const mailbox = this.#mailbox(envelope.recipient);
      mailbox.pending += 1;
      // Counted from the moment it is queued, as the depth is, so a key's share holds too.
      countTag(mailbox, envelope.keyTag ?? '', 1);
    }
    let committed = false;
    try {
      const ids = await this.#committer.submit(
        envelopes.map((envelope) => ({ ...envelope, sealed: copyBytes(envelope.sealed) })),
      );
      committed = true;
      return ids;
    } finally {
      for (const envelope of envelopes) {
        const mailbox = this.#mailbox(envelope.recipient);
        mailbox.pending -= 1;
        if (!committed) countTag(mailbox, envelope.keyTag ?? '', -1);
      }
    }
  }

  #commit(requests: readonly (readonly NewEnvelope[])[]): bigint[][] {
    const appended = new Map<string, StoredEnvelope[]>();
    const results = requests.map((envelopes) =>
      envelopes.map((envelope) => {
        const mailbox = this.#mailbox(envelope.recipient);
        mailbox.lastId += 1n;
        const stored = {
          id: mailbox.lastId,
          sealed: envelope.sealed,
          receivedAt: envelope.receivedAt,
        };
        mailbox.envelopes.set(mailbox.lastId, stored);
        mailbox.tags.set(mailbox.lastId, envelope.keyTag ?? '');
        if (envelope.expiresAt !== undefined) {
          mailbox.expiries.set(mailbox.lastId, envelope.expiresAt);
        }
        const list = appended.get(envelope.recipient) ?? [];
        list.push(stored);
        appended.set(envelope.recipient, list);
        return mailbox.lastId;
      }),
    );
    // Listeners run after this commit has settled, as with a real backend.
    queueMicrotask(() => {
      for (const [address, envelopes] of appended) this.#signals.notify(address, envelopes);
    });
    return results;
  }

  readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]> {
    return this.#open(() => {
      const out: StoredEnvelope[] = [];
      if (limit <= 0) return out;
      const mailbox = this.#mailboxes.get(address);
      if (mailbox === undefined) return out;
      for (const envelope of mailbox.envelopes.values()) {
        if (envelope.id <= afterId) continue;
        out.push(envelope);
        if (out.length >= limit) break;
      }
      return out;
    });
  }

  deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void> {
    return this.#open(() => {
      const mailbox = this.#mailboxes.get(address);
      if (mailbox === undefined) return;
      for (const id of ids) removeEnvelope(mailbox, id);
    });
  }

  mailboxDepth(address: string): Promise<number> {
    return this.#open(() => {
      const mailbox = this.#mailboxes.get(address);
      return mailbox === undefined ? 0 : mailbox.envelopes.size + mailbox.pending;
    });
  }

  mailboxDepths(): Promise<number[]> {
    return this.#open(() =>
      [...this.#mailboxes.values()]
        .map((mailbox) => mailbox.envelopes.size + mailbox.pending)
        .filter((depth) => depth > 0),
    );
  }

  mailboxKeyDepth(address: string, keyTag: string): Promise<number> {
    return this.#open(() => this.#mailboxes.get(address)?.byTag.get(keyTag) ?? 0);
  }

  expireEnvelopes(cutoff: number): Promise<number> {
    return this.#open(() => {
      let expired = 0;
      for (const mailbox of this.#mailboxes.values()) {
        for (const envelope of mailbox.envelopes.values()) {
          if (envelope.receivedAt >= cutoff) break;
          removeEnvelope(mailbox, envelope.id);
          expired += 1;
        }
      }
      return expired;
    });
  }

  expireDue(now: number): Promise<number> {
    return this.#open(() => {
      let deleted = 0;
      for (const mailbox of this.#mailboxes.values()) {
        for (const [id, expiresAt] of mailbox.expiries) {
          if (expiresAt > now) continue;
          if (mailbox.envelopes.has(id)) deleted += 1;
          removeEnvelope(mailbox, id);
        }
      }
      for (const group of this.#groups.values()) {
        if (group.disappearingMs === 0) continue;
        const cutoff = now - group.disappearingMs;
        for (const entry of group.entries.values()) {
          if (entry.receivedAt > cutoff) break;
          if (entry.kind !== 'message') continue;
          group.entries.delete(entry.index);
          deleted += 1;
        }
      }
      return deleted;
    });
  }

  subscribeMailbox(address: string, listener: MailboxListener): () => void {
    return this.#signals.subscribe(address, listener);
  }

  // ---- groups ------------------------------------------------------------------------------

  async appendGroupEntry(entry: NewGroupEntry): Promise<StoredGroupEntry> {
    this.#assertOpen();
    const copy: NewGroupEntry =
      entry.kind === 'operation'
        ? {
            ...entry,
            groupId: copyBytes(entry.groupId),
            bytes: copyBytes(entry.bytes),
            joined: [...entry.joined],
            left: [...entry.left],
          }
        : { ...entry, groupId: copyBytes(entry.groupId), bytes: copyBytes(entry.bytes) };
    const result = await this.#groupCommitter.submit(copy);
    if (result instanceof GroupAppendConflictError) throw result;
    return result;
  }

  /** Checks each entry's condition against the log as the entries before it in the batch left it. */
  #commitGroupEntries(
    requests: readonly NewGroupEntry[],
  ): (StoredGroupEntry | GroupAppendConflictError)[] {
    const appended = new Map<string, StoredGroupEntry[]>();
    const memberships: { address: string; groupId: Uint8Array }[] = [];
    const results = requests.map((entry) => {
      const key = groupKey(entry.groupId);
      const conflict = groupConflict(entry, this.#groups.get(key)?.operations.length ?? 0);
      if (conflict !== undefined) return new GroupAppendConflictError(conflict);
      const group = this.#group(key);
      group.lastIndex += 1;
      const index = group.lastIndex;
      const stored: StoredGroupEntry = {
        index,
        kind: entry.kind,
        bytes: entry.bytes,
        receivedAt: entry.receivedAt,
      };
      group.entries.set(index, stored);
      if (entry.kind === 'operation') {
        if (entry.disappearingMs !== undefined) group.disappearingMs = entry.disappearingMs;
        group.operations.push(index);
        for (const address of entry.joined) {
          group.cursors.set(address, { acked: index - 1 });
          this.#indexMember(address, key, true);
          memberships.push({ address, groupId: entry.groupId });
        }
        for (const address of entry.left) {
          const cursor = group.cursors.get(address);
          if (cursor === undefined) continue;
          group.cursors.set(address, { acked: cursor.acked, readUntil: index });
          memberships.push({ address, groupId: entry.groupId });
        }
      }
      const list = appended.get(key) ?? [];
      list.push(stored);
      appended.set(key, list);
      return stored;
    });
    // Listeners run after this commit has settled, as with a real backend; membership first.
    queueMicrotask(() => {
      for (const { address, groupId } of memberships) {
        this.#memberGroupSignals.notify(address, groupId);
      }
      for (const [key, entries] of appended) this.#groupSignals.notify(key, entries);
    });
    return results;
  }

  readGroupOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    return this.#open(() => {
      const group = this.#groups.get(groupKey(groupId));
      if (group === undefined || limit <= 0) return [];
      return group.operations
        .slice(fromSequence, fromSequence + limit)
        .flatMap((index) => group.entries.get(index)?.bytes ?? []);
    });
  }

  groupLogLength(groupId: Uint8Array): Promise<number> {
    return this.#open(() => this.#groups.get(groupKey(groupId))?.operations.length ?? 0);
  }

  getGroupSnapshot(groupId: Uint8Array): Promise<StoredGroupSnapshot | undefined> {
    return this.#open(() => {
      const kept = this.#groups.get(groupKey(groupId))?.snapshot;
      return kept === undefined ? undefined : { length: kept.length, bytes: copyBytes(kept.bytes) };
    });
  }

  putGroupSnapshot(groupId: Uint8Array, snapshot: StoredGroupSnapshot): Promise<void> {
    return this.#open(() => {
      const group = this.#groups.get(groupKey(groupId));
      if (group === undefined || !snapshotFits(snapshot, group.operations.length, group.snapshot)) {
        return;
      }
      group.snapshot = { length: snapshot.length, bytes: copyBytes(snapshot.bytes) };
    });
  }

  readMemberEntries(
    groupId: Uint8Array,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined> {
    return this.#open(() => {
      const group = this.#groups.get(groupKey(groupId));
      const cursor = group?.cursors.get(address);
      if (group === undefined || cursor === undefined) return undefined;
      const after = Math.max(afterIndex ?? 0, cursor.acked);
      const until = cursor.readUntil ?? Number.POSITIVE_INFINITY;
      const entries: StoredGroupEntry[] = [];
      if (limit > 0) {
        for (const entry of group.entries.values()) {
          if (entry.index <= after) continue;
          if (entry.index > until) break;
          entries.push(entry);
          if (entries.length >= limit) break;
        }
      }
      return { cursor: { ...cursor }, entries };
    });
  }

  getGroupCursor(groupId: Uint8Array, address: string): Promise<GroupCursor | undefined> {
    return this.#open(() => {
      const cursor = this.#groups.get(groupKey(groupId))?.cursors.get(address);
      return cursor === undefined ? undefined : { ...cursor };
    });
  }

  ackGroup(groupId: Uint8Array, address: string, index: number): Promise<GroupCursor | undefined> {
    return this.#open(() => {
      const key = groupKey(groupId);
      const group = this.#groups.get(key);
      const cursor = group?.cursors.get(address);
      if (group === undefined || cursor === undefined) return undefined;
      const acked = advancedCursor(cursor, index, group.lastIndex);
      if (acked.readUntil !== undefined && acked.acked >= acked.readUntil) {
        group.cursors.delete(address);
        this.#indexMember(address, key, false);
        return undefined;
      }
      group.cursors.set(address, acked);
      return { ...acked };
    });
  }

  listMemberGroups(address: string): Promise<GroupMembership[]> {
    return this.#open(() =>
      [...(this.#memberGroups.get(address) ?? [])].flatMap((key) => {
        const cursor = this.#groups.get(key)?.cursors.get(address);
        return cursor === undefined ? [] : [{ groupId: groupIdFromKey(key), ...cursor }];
      }),
    );
  }

  pruneGroups(cutoff: number): Promise<number> {
    return this.#open(() => {
      let pruned = 0;
      for (const [key, group] of this.#groups) {
        for (const [address, cursor] of group.cursors) {
          if (cursor.readUntil === undefined) continue;
          const ended = group.entries.get(cursor.readUntil)?.receivedAt ?? 0;
          if (ended < cutoff) {
            group.cursors.delete(address);
            this.#indexMember(address, key, false);
          }
        }
        const needed = neededEntries(group.cursors.values());
        for (const entry of group.entries.values()) {
          if (entry.kind !== 'message') continue;
          if (entry.receivedAt < cutoff || !needed(entry.index)) {
            group.entries.delete(entry.index);
            pruned += 1;
          }
        }
      }
      return pruned;
    });
  }

  subscribeGroup(groupId: Uint8Array, listener: GroupListener): () => void {
    return this.#groupSignals.subscribe(groupKey(groupId), listener);
  }

  subscribeMemberGroups(address: string, listener: MemberGroupsListener): () => void {
    return this.#memberGroupSignals.subscribe(address, listener);
  }

  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean> {
    return this.#open(() => {
      const key = Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
      const uses = this.#inviteUses.get(key) ?? 0;
      if (uses >= maxUses) return false;
      this.#inviteUses.set(key, uses + 1);
      return true;
    });
  }

  getSetting(name: string): Promise<Uint8Array | undefined> {
    return this.#open(() => {
      const value = this.#settings.get(name);
      return value === undefined ? undefined : copyBytes(value);
    });
  }

  putSetting(name: string, value: Uint8Array): Promise<void> {
    return this.#open(() => {
      this.#settings.set(name, copyBytes(value));
    });
  }

  claimSetting(name: string, value: Uint8Array): Promise<Uint8Array> {
    return this.#open(() => {
      const kept = this.#settings.get(name) ?? copyBytes(value);
      this.#settings.set(name, kept);
      return copyBytes(kept);
    });
  }

  async close(): Promise<void> {
    await this.#committer.drain();
    await this.#groupCommitter.drain();
    this.#closed = true;
  }

  putListingRequest(request: StoredListingRequest): Promise<void> {
    return this.#open(() => {
      this.#directory.putListingRequest(request);
    });
  }

  listingRequests(): Promise<StoredListingRequest[]> {
    return this.#open(() => this.#directory.listingRequests());
  }

  deleteListingRequest(groupId: Uint8Array): Promise<StoredListingRequest | undefined> {
    return this.#open(() => this.#directory.deleteListingRequest(groupId));
  }

  listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): Promise<number> {
    return this.#open(() => this.#directory.listDirectoryEntry(groupId, entry));
  }

  unlistDirectoryEntry(groupId: Uint8Array): Promise<number | undefined> {
    return this.#open(() => this.#directory.unlistDirectoryEntry(groupId));
  }

  putDirectoryRevocations(list: Uint8Array): Promise<number> {
    return this.#open(() => this.#directory.putDirectoryRevocations(list));
  }

  directoryVersion(): Promise<number> {
    return this.#open(() => this.#directory.directoryVersion());
  }

  readDirectory(): Promise<StoredDirectory> {
    return this.#open(() => this.#directory.readDirectory());
  }

  putIssuedCredential(credential: StoredCredential): Promise<void> {
    return this.#open(() => {
      this.#directory.putIssuedCredential(credential);
    });
  }

  issuedCredentials(): Promise<StoredCredential[]> {
    return this.#open(() => this.#directory.issuedCredentials());
  }

  createBlob(record: BlobRecord): Promise<boolean> {
    return this.#open(() => this.#blobs.create(record));
  }

  getBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#open(() => this.#blobs.get(id));
  }

  completeBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#open(() => this.#blobs.complete(id));
  }

  countBlobFetch(id: string): Promise<CountedBlobFetch | undefined> {
    return this.#open(() => this.#blobs.countFetch(id));
  }

  deleteBlob(id: string): Promise<BlobRecord | undefined> {
    return this.#open(() => this.#blobs.delete(id));
  }

  expireBlobs(now: number): Promise<BlobRecord[]> {
    return this.#open(() => this.#blobs.expire(now));
  }

  blobTotals(): Promise<BlobTotals> {
    return this.#open(() => this.#blobs.totals());
  }

  #group(key: string): MemoryGroup {
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = {
        lastIndex: 0,
        entries: new Map(),
        operations: [],
        cursors: new Map(),
        disappearingMs: 0,
      };
      this.#groups.set(key, group);
    }
    return group;
  }

  #indexMember(address: string, key: string, present: boolean): void {
    let set = this.#memberGroups.get(address);
    if (present) {
      if (set === undefined) {
        set = new Set();
        this.#memberGroups.set(address, set);
      }
      set.add(key);
      return;
    }
    set?.delete(key);
    if (set?.size === 0) this.#memberGroups.delete(address);
  }

  #mailbox(address: string): Mailbox {
    let mailbox = this.#mailboxes.get(address);
    if (mailbox === undefined) {
      mailbox = {
        lastId: 0n,
        envelopes: new Map(),
        pending: 0,
        tags: new Map(),
        byTag: new Map(),
        expiries: new Map(),
      };
      this.#mailboxes.set(address, mailbox);
    }
    return mailbox;
  }

  #preKeySet(address: string): PreKeySet {
    let set = this.#preKeys.get(address);
    if (set === undefined) {
      set = { oneTime: new Map(), oneTimeKyber: new Map() };
      this.#preKeys.set(address, set);
    }
    return set;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('relay store is closed');
  }

  #open<T>(read: () => T): Promise<T> {
    try {
      this.#assertOpen();
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

interface Mailbox {
  lastId: bigint;
  /** Ids only grow, so insertion order is mailbox order. */
  readonly envelopes: Map<bigint, StoredEnvelope>;
  /** Appends queued but not yet committed: counted in the depth, as in LevelRelayStore. */
  pending: number;
  /** The key tag each stored envelope was appended with. */
  readonly tags: Map<bigint, string>;
  /** Envelopes per key tag, queued ones included. */
  readonly byTag: Map<string, number>;
  /** Each stored envelope's own expiry, for those that have one. */
  readonly expiries: Map<bigint, number>;
}

const NO_DELIVERY_KEYS: DeliveryKeySet = new Map();

function countTag(mailbox: Mailbox, tag: string, change: number): void {
  const count = (mailbox.byTag.get(tag) ?? 0) + change;
  if (count <= 0) mailbox.byTag.delete(tag);
  else mailbox.byTag.set(tag, count);
}

function removeEnvelope(mailbox: Mailbox, id: bigint): void {
  mailbox.expiries.delete(id);
  if (!mailbox.envelopes.delete(id)) return;
  const tag = mailbox.tags.get(id) ?? '';
  mailbox.tags.delete(id);
  countTag(mailbox, tag, -1);
}

interface MemoryGroup {
  lastIndex: number;
  /** Indexes only grow, so insertion order is stream order. */
  readonly entries: Map<number, StoredGroupEntry>;
  /** Stream index of each operation, by sequence. */
  readonly operations: number[];
  readonly cursors: Map<string, GroupCursor>;
  snapshot?: StoredGroupSnapshot;
  /** The disappearing timer (ms; 0 off). */
  disappearingMs: number;
}

interface PreKeySet {
  signed?: StoredSignedPreKey;
  lastResort?: StoredSignedPreKey;
  readonly oneTime: Map<number, StoredOneTimePreKey>;
  readonly oneTimeKyber: Map<number, StoredSignedPreKey>;
}

function copySigned(key: StoredSignedPreKey): StoredSignedPreKey {
  return { id: key.id, publicKey: copyBytes(key.publicKey), signature: copyBytes(key.signature) };
}

function takeLowest<T>(keys: Map<number, T>): T | undefined {
  let lowest: number | undefined;
  for (const id of keys.keys()) if (lowest === undefined || id < lowest) lowest = id;
  if (lowest === undefined) return undefined;
  const key = keys.get(lowest);
  keys.delete(lowest);
  return key;
}

/** A plain, unshared copy (Buffer's slice() would share memory with the caller's buffer). */
function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
