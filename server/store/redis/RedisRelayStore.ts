import { Cluster, Redis } from 'ioredis';
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
  StoredPersona,
  StoredPreKeyBundle,
  StoredPreKeyUpload,
} from '../RelayStore.js';
import { StoreClosedError } from '../StoreClosedError.js';
import { StoreUnreachableError } from './StoreUnreachableError.js';
import { asBuffer, optionalBuffer, plainBytes } from './bytes.js';
import { DurableWriter } from './DurableWriter.js';
import { callScript, defineScripts } from './luaScripts.js';
import { connectRedis } from './redisConnection.js';
import type { RedisClient, RedisConnectionOptions } from './redisConnection.js';
import { RedisGroupLog } from './RedisGroupLog.js';
import { RedisBlobRecords } from './redisBlobs.js';
import { RedisDirectoryRecords } from './redisDirectory.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredListingRequest,
} from '../directoryRecords.js';
import type { BlobTotals, CountedBlobFetch } from '../blobRecords.js';
import type { BlobRecord } from '../../blobs/BlobStore.js';
import { RedisKeys } from './redisKeys.js';
import { RedisMailboxes } from './RedisMailboxes.js';
import { RedisMemberGroups } from './RedisMemberGroups.js';
import { RedisPersonas } from './RedisPersonas.js';
import { RedisWakeups } from './RedisWakeups.js';
import { rewriteAppendOnlyFiles } from './rewriteAppendOnlyFiles.js';
import type { NodeConnector } from './rewriteAppendOnlyFiles.js';

/**
 * The relay's store on Redis (one standalone server) or a Redis/Valkey Cluster, so several relay
 * nodes share one store. It passes the same contract suite as the embedded stores
 * (tests/server/relayStoreRedis.test.ts). The design, in rules (docs/running-a-cluster.md, "How
 * the Redis store lays out its keys", says the same for operators):
 *
 * - Slots. Every key of one persona (record, delivery keys, prekeys, mailbox, list of groups,
 *   wake-up channels) carries the hash tag `{a:ADDRESS}`; every key of one group `{g:ID}`
 *   (redisKeys.ts). Each atomic step touches one slot, so nothing needs a cross-slot transaction.
 * - Atomic steps are Lua scripts (luaScripts.ts): the one-time prekey take, a mailbox append (ids
 *   from a per-mailbox counter, never reused; per-key-tag counts), the group append with its head
 *   check and the joined/left cursors, acknowledgements, invite-token uses, setting claims. A
 *   group append whose condition fails rejects with GroupAppendConflictError and writes nothing.
 * - The one index that spans slots, a persona's list of groups, is a superset checked on read: a
 *   group goes into the list BEFORE the operation that admits the persona is appended, and a read
 *   keeps only groups where the persona has a cursor, removing an entry only once it is provably
 *   stale (RedisMemberGroups.ts). A crash between the two writes can never lose or invent a
 *   membership.
 * - Relay-wide sweeps (expiry, pruning, mailbox depths) SCAN every primary for this store's key
 *   pattern; they run rarely.
 * - Durability: a write resolves only once Redis has it: the servers must run AOF with
 *   `appendfsync always`, and `WAIT minReplicas replicaTimeoutMs` follows each write on the same
 *   connection (DurableWriter.ts). Fewer replicas reject the write (StoreNotReplicatedError).
 *   Writes to one primary made while its last pipeline is out share the next pipeline and WAIT.
 * - Disappearing messages: when `expireDue` deleted anything, every node's append-only file is
 *   rewritten before it resolves (rewriteAppendOnlyFiles.ts), so no deleted bytes stay on disk.
 * - Wake-ups are sharded pub/sub in the slot of the data they announce, published after the write
 *   is durable, never carrying content (RedisWakeups.ts); one subscriber client serves them all.
 */
export class RedisRelayStore implements RelayStore {
  /** The command connection, for other relay parts on the same Redis (keys under keyPrefix). */
  readonly redis: RedisClient;
  readonly keyPrefix: string;
  readonly #subscriber: RedisClient;
  readonly #keys: RedisKeys;
  readonly #writer: DurableWriter;
  readonly #personas: RedisPersonas;
  readonly #mailboxes: RedisMailboxes;
  readonly #groups: RedisGroupLog;
  readonly #memberGroups: RedisMemberGroups;
  readonly #connectNode: NodeConnector;
  readonly #blobs: RedisBlobRecords;
  readonly #directory: RedisDirectoryRecords;
  #closing = false;
  #inFlight = 0;
  #onIdle: (() => void) | undefined;
  #closed: Promise<void> | undefined;

  private constructor(
    redis: RedisClient,
    subscriber: RedisClient,
    options: RedisRelayStoreOptions,
    minReplicas: number,
  ) {
    this.redis = redis;
    this.#subscriber = subscriber;
    this.#connectNode = nodeConnector(options);
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#keys = new RedisKeys(this.keyPrefix);
    this.#writer = new DurableWriter(
      redis,
      minReplicas,
      options.replicaTimeoutMs ?? DEFAULT_REPLICA_TIMEOUT_MS,
    );
    const wakeups = new RedisWakeups(
      subscriber,
      redis,
      options.onListenerError ?? (() => undefined),
    );
    this.#personas = new RedisPersonas(redis, this.#keys, this.#writer);
    this.#mailboxes = new RedisMailboxes(redis, this.#keys, this.#writer, wakeups);
    this.#memberGroups = new RedisMemberGroups(redis, this.#keys, this.#writer);
    this.#groups = new RedisGroupLog(redis, this.#keys, this.#writer, wakeups, this.#memberGroups);
    this.#blobs = new RedisBlobRecords(redis, this.keyPrefix, this.#writer);
    this.#directory = new RedisDirectoryRecords(redis, this.keyPrefix, this.#writer);
  }

  /** Connects (a command client and a subscriber client) and checks both answer. */
  static async open(options: RedisRelayStoreOptions): Promise<RedisRelayStore> {
    const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    if (/[{}]/.test(keyPrefix) || keyPrefix.length > 200) {
      throw new TypeError('keyPrefix may not hold { or } (hash tags) nor exceed 200 characters');
    }
    const minReplicas = options.minReplicas ?? (options.cluster === undefined ? 0 : 1);
    if (!Number.isSafeInteger(minReplicas) || minReplicas < 0) {
      throw new TypeError('minReplicas must be a whole number, 0 or more');
    }
    const timeout = options.replicaTimeoutMs ?? DEFAULT_REPLICA_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeout) || timeout < 1) {
      throw new TypeError('replicaTimeoutMs must be a whole number of milliseconds, 1 or more');
    }
    const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (!Number.isSafeInteger(connectTimeout) || connectTimeout < 1) {
      throw new TypeError('connectTimeoutMs must be a whole number of milliseconds, 1 or more');
    }
    const redis = connectRedis(options);
    const subscriber = connectRedis(options, { subscriber: true });
    if (options.onConnectionError !== undefined) {
      redis.on('error', options.onConnectionError);
      subscriber.on('error', options.onConnectionError);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      defineScripts(redis);
      // A cluster client retries unreachable seed nodes for ever: bounded here, so a relay
      // pointed at the wrong place fails to start with a clear error instead of hanging.
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new StoreUnreachableError(`redis did not answer within ${connectTimeout} ms`));
        }, connectTimeout);
      });
      await Promise.race([Promise.all([redis.ping(), subscriber.ping()]), timedOut]);
    } catch (error) {
      redis.disconnect();
      subscriber.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new RedisRelayStore(redis, subscriber, options, minReplicas);
  }

  /** Pipelines sent with writes, and the writes they carried (group commit per primary). */
  get commitStats(): { readonly batches: number; readonly requests: number } {
    const { batches, writes } = this.#writer.stats;
    return { batches, requests: writes };
  }

  /** How many replicas each write waits for (WAIT), as opened. */
  get minReplicas(): number {
    return this.#writer.minReplicas;
  }

  getPersona(address: string): Promise<StoredPersona | undefined> {
    return this.#run(() => this.#personas.getPersona(address));
  }

  putPersona(persona: StoredPersona): Promise<void> {
    return this.#run(() => this.#personas.putPersona(persona));
  }

  getDeliveryKeys(address: string): Promise<DeliveryKeySet> {
    return this.#run(() => this.#personas.getDeliveryKeys(address));
  }

  putDeliveryKey(address: string, hashHex: string, expiresAt: number): Promise<void> {
    return this.#run(() => this.#personas.putDeliveryKey(address, hashHex, expiresAt));
  }

  deleteDeliveryKeys(address: string, hashesHex: readonly string[]): Promise<void> {
    return this.#run(() => this.#personas.deleteDeliveryKeys(address, hashesHex));
  }

  putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void> {
    return this.#run(() => this.#personas.putPreKeys(address, upload));
  }

  takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined> {
    return this.#run(() => this.#personas.takePreKeyBundle(address));
  }

  countPreKeys(address: string): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    return this.#run(() => this.#personas.countPreKeys(address));
  }

  appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    if (envelopes.length === 0) return this.#run(() => Promise.resolve([]));
    return this.#run(() => this.#mailboxes.appendEnvelopes(envelopes));
  }

  readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]> {
    return this.#run(() => this.#mailboxes.readMailbox(address, afterId, limit));
  }

  deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void> {
    return this.#run(() => this.#mailboxes.deleteEnvelopes(address, ids));
  }

  mailboxDepth(address: string): Promise<number> {
    return this.#run(() => this.#mailboxes.mailboxDepth(address));
  }

  mailboxDepths(): Promise<number[]> {
    return this.#run(() => this.#mailboxes.mailboxDepths());
  }

  mailboxKeyDepth(address: string, keyTag: string): Promise<number> {
    return this.#run(() => this.#mailboxes.mailboxKeyDepth(address, keyTag));
  }

  expireEnvelopes(cutoff: number): Promise<number> {
    return this.#run(() => this.#mailboxes.expireEnvelopes(cutoff));
  }

  /**
   * When it deleted anything, it also rewrites every node's append-only file before it resolves
   * (rewriteAppendOnlyFiles.ts), so the deleted bytes are gone from Redis's files too.
   */
  expireDue(now: number): Promise<number> {
    return this.#run(async () => {
      const [envelopes, messages] = await Promise.all([
        this.#mailboxes.expireDueEnvelopes(now),
        this.#groups.expireDue(now),
      ]);
      const deleted = envelopes + messages;
      if (deleted > 0) {
        const primaries = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
        await rewriteAppendOnlyFiles(primaries, this.#connectNode, AOF_REWRITE_TIMEOUT_MS);
      }
      return deleted;
    });
  }

  subscribeMailbox(address: string, listener: MailboxListener): () => void {
    return this.#mailboxes.subscribeMailbox(address, listener);
  }

  appendGroupEntry(entry: NewGroupEntry): Promise<StoredGroupEntry> {
    return this.#run(() => this.#groups.append(entry));
  }

  readGroupOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    return this.#run(() => this.#groups.readOperations(groupId, fromSequence, limit));
  }

  groupLogLength(groupId: Uint8Array): Promise<number> {
    return this.#run(() => this.#groups.logLength(groupId));
  }

  readMemberEntries(
    groupId: Uint8Array,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined> {
    return this.#run(() => this.#groups.readMemberEntries(groupId, address, afterIndex, limit));
  }

  getGroupCursor(groupId: Uint8Array, address: string): Promise<GroupCursor | undefined> {
    return this.#run(() => this.#groups.getCursor(groupId, address));
  }

  ackGroup(groupId: Uint8Array, address: string, index: number): Promise<GroupCursor | undefined> {
    return this.#run(() => this.#groups.ack(groupId, address, index));
  }

  listMemberGroups(address: string): Promise<GroupMembership[]> {
    return this.#run(() => this.#memberGroups.list(address));
  }

  pruneGroups(cutoff: number): Promise<number> {
    return this.#run(() => this.#groups.prune(cutoff));
  }

  getGroupSnapshot(groupId: Uint8Array): Promise<StoredGroupSnapshot | undefined> {
    return this.#run(() => this.#groups.getSnapshot(groupId));
  }

  putGroupSnapshot(groupId: Uint8Array, snapshot: StoredGroupSnapshot): Promise<void> {
    return this.#run(() => this.#groups.putSnapshot(groupId, snapshot));
  }

  subscribeGroup(groupId: Uint8Array, listener: GroupListener): () => void {
    return this.#groups.subscribe(groupId, listener);
  }

  subscribeMemberGroups(address: string, listener: MemberGroupsListener): () => void {
    return this.#groups.subscribeMemberGroups(address, listener);
  }

  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean> {
    return this.#run(async () => {
      const key = this.#keys.invite(id);
      const limit = Number.isNaN(maxUses) ? 0 : maxUses;
      const [counted] = await this.#writer.write(key, (pipeline) => {
        callScript(pipeline, 'kindredConsumeInviteToken', [key], [String(limit)]);
      });
      return Number(counted) === 1;
    });
  }

  getSetting(name: string): Promise<Uint8Array | undefined> {
    return this.#run(async () => {
      const value = await this.redis.getBuffer(this.#keys.setting(name));
      return value === null ? undefined : plainBytes(value);
    });
  }

  putSetting(name: string, value: Uint8Array): Promise<void> {
    return this.#run(async () => {
      const key = this.#keys.setting(name);
      const bytes = asBuffer(plainBytes(value));
      await this.#writer.write(key, (pipeline) => pipeline.set(key, bytes));
    });
  }

  claimSetting(name: string, value: Uint8Array): Promise<Uint8Array> {
    return this.#run(async () => {
      const key = this.#keys.setting(name);
      const bytes = asBuffer(plainBytes(value));
      const [kept] = await this.#writer.write(key, (pipeline) => {
        callScript(pipeline, 'kindredClaimSetting', [key], [bytes], true);
      });
      const buffer = optionalBuffer(kept);
      if (buffer === undefined) throw new TypeError('setting claim returned nothing');
      return plainBytes(buffer);
    });
  }

  /** Finishes every call already started, then closes both connections. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#onIdle = resolve;
      });
    }
    await Promise.allSettled([this.redis.quit(), this.#subscriber.quit()]);
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

  #run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new StoreClosedError('relay store is closed'));
    this.#inFlight += 1;
    const running = operation();
    const settled = (): void => {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#onIdle?.();
    };
    running.then(settled, settled);
    return running;
  }
}

/** RedisRelayStore's options: where Redis is, and how writes are made durable. */
export interface RedisRelayStoreOptions extends RedisConnectionOptions {
  /** Every key and channel starts with it (several relays or tests can share one Redis). */
  readonly keyPrefix?: string;
  /** Replicas that must acknowledge each write (WAIT); default 1 with `cluster`, 0 with `url`. */
  readonly minReplicas?: number;
  /** How long a write waits for them (ms); default 2000. */
  readonly replicaTimeoutMs?: number;
  /** Hears a listener that threw, and a wake-up that could not be published or subscribed. */
  readonly onListenerError?: (error: unknown) => void;
  /** How long `open` waits for Redis to answer (ms); default 10000. */
  readonly connectTimeoutMs?: number;
  /**
   * Hears the clients' connection errors (they reconnect on their own; commands wait for it).
   * Without it, ioredis reports them itself.
   */
  readonly onConnectionError?: (error: unknown) => void;
}

const DEFAULT_KEY_PREFIX = 'kindred:';
const DEFAULT_REPLICA_TIMEOUT_MS = 2000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long expireDue waits for the nodes' append-only file rewrites. */
const AOF_REWRITE_TIMEOUT_MS = 60_000;

/**
 * Connections to single nodes (replicas, for AOF rewrites) with the store's credentials: from
 * the url of a standalone server, or the cluster options.
 */
function nodeConnector(options: RedisRelayStoreOptions): NodeConnector {
  const fromUrl = options.url === undefined ? undefined : new URL(options.url);
  const username =
    fromUrl === undefined ? options.username : decodeURIComponent(fromUrl.username) || undefined;
  const password =
    fromUrl === undefined ? options.password : decodeURIComponent(fromUrl.password) || undefined;
  const tls = fromUrl === undefined ? options.tls === true : fromUrl.protocol === 'rediss:';
  return (host, port) => {
    const node = new Redis({
      host,
      port,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(tls ? { tls: {} } : {}),
      ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
      maxRetriesPerRequest: 3,
    });
    // Its failures reach the caller as rejected commands; the event is for the relay's log.
    node.on('error', options.onConnectionError ?? (() => undefined));
    return node;
  };
}
