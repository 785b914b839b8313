import { timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { fromBinary } from '@bufbuild/protobuf';
import {
  CoreError,
  CoreErrorCode,
  GROUP_ID_BYTES,
  RelayErrorCode,
  decodeGroupStateSnapshot,
  encodeGroupStateSnapshot,
  groupOperationHash,
  isInviteLive,
  logKeyHash,
  wire,
} from '../core/index.js';
import type { GroupRules, GroupState } from '../core/index.js';
import type { SharedPostClock } from './cluster/SharedPostClock.js';
import { RelayError } from './RelayError.js';
import type { RelayMetrics } from './RelayMetrics.js';
import type { RelayRateLimits } from './RelayRateLimits.js';
import { GroupAppendConflictError } from './store/GroupAppendConflictError.js';
import { groupKey } from './store/groupStream.js';
import { KeyedMutex } from './store/KeyedMutex.js';
import type { RelayStore } from './store/RelayStore.js';
import { saturatingNumber } from './wireNumbers.js';

export interface GroupRegistryOptions {
  readonly store: RelayStore;
  readonly rules: GroupRules;
  readonly limits: RelayRateLimits;
  readonly metrics: RelayMetrics;
  readonly maxGroupMembers: number;
  readonly maxGroupsPerPersona: number;
  readonly maxGroupMessageBytes: number;
  readonly groupLogPageSize: number;
  /** A GroupLogPage is kept below this many bytes (the frame limit clients apply too). */
  readonly maxPageBytes: number;
  readonly maxCachedGroups: number;
  /** A state snapshot is stored every this many operations (and after a long replay). */
  readonly groupSnapshotInterval: number;
  /** Caps per group; growing past one gets RELAY_GROUP_CAP_REACHED. */
  readonly maxGroupOperations: number;
  readonly maxGroupDeletedMessages: number;
  readonly maxGroupOpenInvites: number;
  readonly maxGroupJoinRequests: number;
  /** The shortest disappearing timer the rules accept (RelayLimits.minDisappearingSeconds). */
  readonly minDisappearingSeconds?: number;
  readonly now?: () => number;
  /**
   * Slow mode's clock shared with other relay nodes (on Redis); without it the clock is this
   * node's group cache alone.
   */
  readonly sharedPostClock?: SharedPostClock;
  /**
   * Called after an operation that changed who is a member is stored, with the group's member
   * count (the directory's bucket follows it). Never awaited: it handles its own failures.
   */
  readonly onMembersChanged?: (groupId: Uint8Array, members: number) => void;
}

/**
 * Runs after the group rules accepted an operation and before it is appended (in the group's
 * turn): the relay's own conditions on who submits it and how much may be stored. Rejects with a
 * RelayError to refuse it.
 */
export type OperationGate = (before: GroupState | undefined) => Promise<void>;

/** An admitted group write: `durable` resolves with its stream index once it is on disk. */
export interface AdmittedGroupEntry {
  readonly durable: Promise<number>;
}

/** A page of a group's log, as a GroupLogPage carries it. */
export interface GroupLogPage {
  readonly operations: Uint8Array[];
  readonly logLength: number;
}

/** Operations read per store call while rebuilding a group's state. */
const REPLAY_PAGE = 256;
/**
 * A replay works in slices of this long and pauses as long after each, so a cache miss on a long
 * log (which an anonymous fetch can cause) delays other clients' frames by a few milliseconds,
 * not seconds. Pausing (rather than only yielding) keeps the process from being CPU-bound for the
 * whole replay, which on a busy machine lets the OS schedule it promptly when a frame arrives. A
 * replay of the tail after a snapshot is short (groupSnapshotInterval operations at most), so the
 * doubled wall time only shows on a whole-log replay (a relay upgraded from before snapshots).
 */
const REPLAY_SLICE_MS = 5;
/** Protobuf framing of one operation inside a GroupLogPage, at most (tag + length varint). */
const PAGE_ENTRY_OVERHEAD = 6;
/** Room for the rest of a GroupLogPage frame (request id, log length, framing). */
const PAGE_FRAME_OVERHEAD = 64;

/**
 * The relay's view of groups: each group's state (rebuilt from its stored log with the group rules
 * on first use, then kept in a bounded cache), the rules applied before anything is appended, and
 * the slow-mode clock. Operations of one group are applied one at a time, each only after the one
 * before it is durable; messages are checked against the state as it is and appended on the
 * condition that the log has not moved since, which the store enforces, so a relay node whose
 * cache is behind can refuse a write but never misplace one.
 *
 * It never logs: group ids, addresses and the bytes it handles stay out of the relay's logs.
 */
export class GroupRegistry {
  readonly #options: GroupRegistryOptions;
  readonly #now: () => number;
  /** Least recently used first. */
  readonly #cache = new Map<string, CachedGroup>();
  readonly #loading = new Map<string, Promise<CachedGroup | undefined>>();
  readonly #operations = new KeyedMutex();
  readonly #ruleContext: { readonly minDisappearingSeconds?: number };

  constructor(options: GroupRegistryOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ruleContext =
      options.minDisappearingSeconds === undefined
        ? {}
        : { minDisappearingSeconds: options.minDisappearingSeconds };
  }

  /**
   * Takes a SignedGroupOperation. Resolves once the operation is queued behind earlier ones of its
   * group (so operations from one connection keep their order); the returned `durable` resolves
   * with its index once the rules accepted it and it is on disk, or rejects with a RelayError.
   */
  async admitOperation(
    signed: Uint8Array,
    connectionKey: string,
    gate?: OperationGate,
  ): Promise<AdmittedGroupEntry> {
    await this.#options.limits.consume('groupOperations', connectionKey);
    const { groupId, isCreate } = peekOperation(signed);
    const key = groupKey(groupId);
    const durable = this.#operations.run(key, () =>
      this.#applyOperation(key, groupId, isCreate, signed, gate),
    );
    return { durable };
  }

  /**
   * The group's current state (with what other relay nodes appended), in the group's turn;
   * undefined when there is no such group. For the directory: who owns it, how many members.
   */
  async currentState(groupId: Uint8Array): Promise<GroupState | undefined> {
    const key = groupKey(groupId);
    return this.#operations.run(key, async () => {
      let group = await this.#group(key, groupId);
      if (
        group !== undefined &&
        (await this.#options.store.groupLogLength(groupId)) !== group.state.length
      ) {
        this.#forget(key, group);
        group = await this.#group(key, groupId);
      }
      return group?.state;
    });
  }

  /**
   * Takes a group message from `address`. Resolves once it passed the checks (membership, mute,
   * who may post, slow mode, log length, size) and is queued for the disk; `durable` resolves
   * with its index. The poster is never stored with the message.
   */
  async admitPost(
    address: string,
    post: wire.PostGroupMessage,
    connectionKey: string,
  ): Promise<AdmittedGroupEntry> {
    const { limits, rules, store, metrics, maxGroupMessageBytes } = this.#options;
    await limits.consume('groupPosts', connectionKey);
    if (post.envelope.length > maxGroupMessageBytes) {
      throw new RelayError(RelayErrorCode.GroupMessageTooLarge, 'group message too large');
    }
    const key = groupKey(post.groupId);
    const logLength = saturatingNumber(post.logLength);
    let group = await this.#group(key, post.groupId);
    // The poster may have seen an operation this node's cache has not (another node appended
    // it): rebuild, but only when the store says so, or a client could force replays at will.
    if (
      group !== undefined &&
      logLength > group.state.length &&
      (await store.groupLogLength(post.groupId)) > group.state.length
    ) {
      this.#forget(key, group);
      group = await this.#group(key, post.groupId);
    }
    if (group === undefined) throw notFound();
    const now = this.#now();
    // A reaction adds no line to the conversation, so slow mode (which paces the conversation)
    // does not apply to it, nor does it start the member's interval; membership, mute and who may
    // post do. Members' clients check every text against slow mode by its receive time, so a text
    // passed off as a reaction gets past the relay only.
    const paced = !post.reaction;
    const lastPostAt = paced ? group.lastPostAt.get(address) : undefined;
    try {
      rules.checkPost(group.state, address, now, lastPostAt);
    } catch (error) {
      if (CoreError.is(error, CoreErrorCode.GroupSlowMode)) {
        throw new RelayError(RelayErrorCode.GroupSlowMode, 'slow mode: wait before posting', {
          retryAfterMs: Math.max(1, rules.slowModeWaitMs(group.state, lastPostAt, now)),
        });
      }
      throw relayErrorFor(error);
    }
    if (logLength !== group.state.length) {
      throw new RelayError(RelayErrorCode.GroupStale, 'the group log has moved on; fetch it');
    }
    const shared = paced
      ? await this.#claimSharedClock(post.groupId, group.state, address, now)
      : false;
    // Counted from admission, so a burst cannot slip under slow mode before its first write.
    if (paced) group.lastPostAt.set(address, now);
    const durable = store
      .appendGroupEntry({
        kind: 'message',
        groupId: post.groupId,
        bytes: post.envelope,
        receivedAt: now,
        logLength,
      })
      .then(
        (entry) => {
          metrics.groupMessagesStored += 1;
          return entry.index;
        },
        (error: unknown) => {
          if (paced && group.lastPostAt.get(address) === now) {
            if (lastPostAt === undefined) group.lastPostAt.delete(address);
            else group.lastPostAt.set(address, lastPostAt);
          }
          if (shared) this.#releaseSharedClock(post.groupId, address, now);
          if (!GroupAppendConflictError.is(error)) throw error;
          // An operation got in first (perhaps the one that removed or muted the poster).
          this.#forget(key, group);
          throw error.reason === 'missing'
            ? notFound()
            : new RelayError(RelayErrorCode.GroupStale, 'the group log has moved on; fetch it');
        },
      );
    return { durable };
  }

  /**
   * Slow mode across relay nodes: takes the member's turn on the shared clock, or throws
   * RELAY_GROUP_SLOW_MODE when another node (or this one, before a restart) saw its last post
   * less than the interval ago. True when a turn was taken (to give back if the post fails).
   */
  async #claimSharedClock(
    groupId: Uint8Array,
    state: GroupState,
    address: string,
    now: number,
  ): Promise<boolean> {
    const clock = this.#options.sharedPostClock;
    const intervalMs = state.policy.slowModeSeconds * 1000;
    // Moderators are not paced (the rules say so); nor is anyone when slow mode is off.
    if (clock === undefined || intervalMs === 0 || state.members.get(address)?.role !== 'member') {
      return false;
    }
    const earlier = await clock.claim(groupId, address, now, intervalMs);
    if (earlier === undefined) return true;
    throw new RelayError(RelayErrorCode.GroupSlowMode, 'slow mode: wait before posting', {
      retryAfterMs: Math.max(1, this.#options.rules.slowModeWaitMs(state, earlier, now)),
    });
  }

  #releaseSharedClock(groupId: Uint8Array, address: string, at: number): void {
    this.#options.sharedPostClock?.release(groupId, address, at).catch(() => {
      // The turn then stays taken until the interval ends: the member waits once more.
    });
  }

  /**
   * A page of the group's operations for whoever holds a log key: the current epoch's key, or a
   * live invite's read key, reads the whole log; an older epoch's key reads up to and including
   * the operation that ended its epoch, nothing after (a banned member sees its ban and the
   * rotation, no more); anything else, nothing.
   */
  async fetchLog(request: wire.FetchGroupLog, connectionKey: string): Promise<GroupLogPage> {
    const { limits, store, metrics, groupLogPageSize, maxPageBytes } = this.#options;
    await limits.consume('groupLogFetches', connectionKey);
    const key = groupKey(request.groupId);
    const group = await this.#group(key, request.groupId);
    if (group === undefined) throw notFound();
    const end = this.#readableLength(group.state, logKeyHash(request.logKey));
    if (end === undefined) {
      throw new RelayError(RelayErrorCode.GroupLogKey, 'wrong log key for this group');
    }
    const from = saturatingNumber(request.fromSequence);
    const limit = end === Infinity ? groupLogPageSize : Math.min(groupLogPageSize, end - from);
    if (end !== Infinity && limit <= 0) {
      metrics.groupLogPagesServed += 1;
      return { operations: [], logLength: end };
    }
    const read = await store.readGroupOperations(request.groupId, from, limit);
    const operations: Uint8Array[] = [];
    let bytes = PAGE_FRAME_OVERHEAD;
    for (const operation of read) {
      bytes += operation.length + PAGE_ENTRY_OVERHEAD;
      // Always at least one: a single operation fits, since it once came in a client frame.
      if (operations.length > 0 && bytes > maxPageBytes) break;
      operations.push(operation);
    }
    metrics.groupLogPagesServed += 1;
    // An older epoch's key is told its epoch's end is the end of the log.
    if (end !== Infinity) return { operations, logLength: end };
    // The store may already hold an operation this cache has not applied yet.
    return { operations, logLength: Math.max(group.state.length, from + operations.length) };
  }

  /**
   * How much of the log the key whose hash is `hash` may read: Infinity for the whole log, a
   * length for an older epoch, undefined for nothing. Every known hash is compared in constant
   * time, and all of them are compared whatever matches, so the time taken does not tell which.
   */
  #readableLength(state: GroupState, hash: Uint8Array): number | undefined {
    let readable: number | undefined;
    for (const epoch of state.epochs) {
      if (!sameHash(hash, epoch.logKeyHash)) continue;
      const next = state.epochs[epoch.epoch + 1];
      readable = next === undefined ? Infinity : next.startSequence + 1;
    }
    const now = this.#now();
    for (const invite of state.invites.values()) {
      if (invite.readKeyHash.length === 0 || !sameHash(hash, invite.readKeyHash)) continue;
      if (isInviteLive(state, invite, now)) readable = Infinity;
    }
    return readable;
  }

  async #applyOperation(
    key: string,
    groupId: Uint8Array,
    isCreate: boolean,
    signed: Uint8Array,
    gate: OperationGate | undefined,
  ): Promise<number> {
    const { rules, store, metrics } = this.#options;
    let group = await this.#group(key, groupId);
    // Another relay node sharing the store may have appended since this cache was filled; the
    // check is cheap and operations are few, so look every time rather than refuse a valid one.
    if (group !== undefined && (await store.groupLogLength(groupId)) !== group.state.length) {
      this.#forget(key, group);
      group = await this.#group(key, groupId);
    }
    if (isCreate && group !== undefined) {
      throw new RelayError(RelayErrorCode.GroupExists, 'a group with this id exists');
    }
    const before = group?.state;
    let after: GroupState;
    try {
      after = rules.apply(before, signed, { now: this.#now(), ...this.#ruleContext }).state;
    } catch (error) {
      throw relayErrorFor(error);
    }
    // After the rules, so a refused operation gets the rules' own code whoever submits it.
    await gate?.(before);
    this.#checkCaps(before, after);
    const joined = [...after.members.keys()].filter(
      (address) => before?.members.has(address) !== true,
    );
    const left =
      before === undefined ? [] : [...before.members.keys()].filter((a) => !after.members.has(a));
    await this.#checkLimits(after, joined);
    let index: number;
    try {
      ({ index } = await store.appendGroupEntry({
        kind: 'operation',
        groupId,
        bytes: signed,
        receivedAt: this.#now(),
        sequence: before?.length ?? 0,
        joined,
        left,
        // The store deletes messages by the timer in the relay's own validated log.
        ...(before?.policy.disappearingSeconds === after.policy.disappearingSeconds
          ? {}
          : { disappearingMs: after.policy.disappearingSeconds * 1000 }),
      }));
    } catch (error) {
      if (!GroupAppendConflictError.is(error)) throw error;
      // Another node appended first: this cache is behind. The client refetches and retries.
      this.#forget(key, group);
      throw error.reason === 'exists'
        ? new RelayError(RelayErrorCode.GroupExists, 'a group with this id exists')
        : new RelayError(RelayErrorCode.GroupConflict, 'the group log has moved on; fetch it');
    }
    metrics.groupOperationsStored += 1;
    if (joined.length > 0 || left.length > 0) {
      this.#options.onMembersChanged?.(groupId, after.members.size);
    }
    if (after.length % this.#options.groupSnapshotInterval === 0)
      this.#saveSnapshot(groupId, after);
    const current = this.#cache.get(key);
    if (group === undefined) {
      this.#remember(key, { state: after, lastPostAt: new Map() });
    } else if (current === group) {
      group.state = after;
    } else {
      // Evicted (and perhaps reloaded from before this write) meanwhile: load afresh next time.
      this.#cache.delete(key);
    }
    return index;
  }

  /**
   * The per-group caps. Each refuses only growth past it, so a group already beyond a cap that an
   * operator lowered can still remove, unpin, deny and so on.
   */
  #checkCaps(before: GroupState | undefined, after: GroupState): void {
    const { maxGroupOperations, maxGroupDeletedMessages, maxGroupOpenInvites } = this.#options;
    const grew = (size: (state: GroupState) => number, cap: number): boolean =>
      size(after) > cap && size(after) > (before === undefined ? 0 : size(before));
    if (after.length > maxGroupOperations) {
      throw capReached('the group log holds as many operations as it may');
    }
    if (grew((state) => state.deleted.size, maxGroupDeletedMessages)) {
      throw capReached('the group has as many deleted messages as it may');
    }
    if (grew((state) => state.requests.size, this.#options.maxGroupJoinRequests)) {
      throw capReached('the group has as many pending join requests as it may');
    }
    // Only an invite operation adds an invite; counting open ones is a scan, so only then.
    if (before !== undefined && after.invites.size > before.invites.size) {
      const now = this.#now();
      let open = 0;
      for (const invite of after.invites.values()) {
        if (invite.uses < invite.maxUses && invite.expiresAt > now) open += 1;
      }
      if (open > maxGroupOpenInvites) {
        throw capReached('the group has as many open invites as it may');
      }
    }
  }

  async #checkLimits(after: GroupState, joined: readonly string[]): Promise<void> {
    if (joined.length === 0) return;
    const { store, maxGroupMembers, maxGroupsPerPersona } = this.#options;
    if (after.members.size > maxGroupMembers) {
      throw new RelayError(RelayErrorCode.GroupFull, 'the group has as many members as it may');
    }
    for (const address of joined) {
      const memberships = await store.listMemberGroups(address);
      const current = memberships.filter((membership) => membership.readUntil === undefined);
      if (current.length >= maxGroupsPerPersona) {
        throw new RelayError(
          RelayErrorCode.TooManyGroups,
          'a persona is in as many groups as it may',
        );
      }
    }
  }

  /** The group's state, from the cache or rebuilt from its log; undefined if it does not exist. */
  async #group(key: string, groupId: Uint8Array): Promise<CachedGroup | undefined> {
    const cached = this.#cache.get(key);
    if (cached !== undefined) {
      // Most recently used last.
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = this.#replay(groupId)
        .then((state) => {
          if (state === undefined) return undefined;
          const group: CachedGroup = { state, lastPostAt: new Map() };
          this.#remember(key, group);
          return group;
        })
        .finally(() => {
          this.#loading.delete(key);
        });
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /**
   * Rebuilds a group's state: from its stored snapshot when there is a usable one, then the
   * operations after it, handing the event loop back every REPLAY_SLICE_MS. A replay of at least
   * `groupSnapshotInterval` operations stores a new snapshot, so the next one is short.
   */
  async #replay(groupId: Uint8Array): Promise<GroupState | undefined> {
    const { store, rules, metrics, groupSnapshotInterval } = this.#options;
    let state = await this.#loadSnapshot(groupId);
    const start = state?.length ?? 0;
    let sliceStart = performance.now();
    for (let from = start; ;) {
      const page = await store.readGroupOperations(groupId, from, REPLAY_PAGE);
      for (const signed of page) {
        if (performance.now() - sliceStart > REPLAY_SLICE_MS) {
          await pause(REPLAY_SLICE_MS);
          sliceStart = performance.now();
        }
        try {
          // No clock: operations are checked against the time they arrived, not today.
          state = rules.apply(state, signed, this.#ruleContext).state;
        } catch (error) {
          throw new GroupLogReplayError(error);
        }
      }
      from += page.length;
      metrics.groupOperationsReplayed += page.length;
      if (page.length < REPLAY_PAGE) {
        if (state !== undefined && from - start >= groupSnapshotInterval) {
          this.#saveSnapshot(groupId, state);
        }
        return state;
      }
    }
  }

  /**
   * The group's stored snapshot, when it is one this build can use and it ends where the stored
   * log says it does (its head is the hash of the operation before its length); else undefined.
   */
  async #loadSnapshot(groupId: Uint8Array): Promise<GroupState | undefined> {
    const { store } = this.#options;
    const stored = await store.getGroupSnapshot(groupId);
    if (stored === undefined) return undefined;
    let state: GroupState | undefined;
    try {
      state = decodeGroupStateSnapshot(stored.bytes);
    } catch {
      // Damaged: the log is the truth, replay it.
      return undefined;
    }
    if (state?.length !== stored.length) return undefined;
    const [last] = await store.readGroupOperations(groupId, state.length - 1, 1);
    if (last === undefined || !sameHash(groupOperationHash(last), state.head)) return undefined;
    return state;
  }

  /** Stores a snapshot of `state` in the background: a failure only means a longer replay. */
  #saveSnapshot(groupId: Uint8Array, state: GroupState): void {
    const { store, metrics } = this.#options;
    const bytes = encodeGroupStateSnapshot(state);
    store.putGroupSnapshot(groupId, { length: state.length, bytes }).then(
      () => {
        metrics.groupSnapshotsWritten += 1;
      },
      () => {
        // A closed or failing store; the next replay is longer, nothing else (and nothing to log).
      },
    );
  }

  #remember(key: string, group: CachedGroup): void {
    this.#cache.delete(key);
    this.#cache.set(key, group);
    while (this.#cache.size > this.#options.maxCachedGroups) {
      const oldest: string | undefined = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }

  /** Drops `group` from the cache if it is still the cached one. */
  #forget(key: string, group: CachedGroup | undefined): void {
    if (group === undefined || this.#cache.get(key) === group) this.#cache.delete(key);
  }
}

interface CachedGroup {
  state: GroupState;
  /**
   * When each member last posted, for slow mode. In memory, per relay node: a restart or an
   * eviction forgets it, which at worst lets a member post once early. Nodes on Redis also keep
   * it in the shared clock, which holds across nodes and restarts.
   */
  readonly lastPostAt: Map<string, number>;
}

/** A stored log the group rules no longer accept: a bug or a damaged store, never the client's. */
export class GroupLogReplayError extends Error {
  override readonly name = 'GroupLogReplayError';
  readonly code = 'RELAY_GROUP_LOG_CORRUPT';

  constructor(cause: unknown) {
    super('a stored group log does not replay', { cause });
  }
}

/** The group id and kind of an operation, read without checking anything else (the rules do). */
function peekOperation(signed: Uint8Array): { groupId: Uint8Array; isCreate: boolean } {
  let operation: wire.GroupOperation;
  try {
    const envelope = fromBinary(wire.SignedGroupOperationSchema, signed);
    operation = fromBinary(wire.GroupOperationSchema, envelope.operation);
  } catch (error) {
    throw new RelayError(RelayErrorCode.GroupInvalid, 'malformed group operation', {
      cause: error,
    });
  }
  if (operation.groupId.length !== GROUP_ID_BYTES) {
    throw new RelayError(RelayErrorCode.GroupInvalid, 'malformed group operation');
  }
  return { groupId: operation.groupId, isCreate: operation.action.case === 'create' };
}

/** The relay's answer to a refusal by the group rules. */
function relayErrorFor(error: unknown): unknown {
  if (!CoreError.is(error)) return error;
  const mapped = GROUP_ERRORS[error.code];
  if (mapped === undefined) return error;
  return new RelayError(mapped.code, mapped.message, { cause: error });
}

const GROUP_ERRORS: Partial<
  Record<CoreErrorCode, { readonly code: RelayErrorCode; readonly message: string }>
> = {
  [CoreErrorCode.GroupOperationInvalid]: {
    code: RelayErrorCode.GroupInvalid,
    message: 'invalid group operation',
  },
  [CoreErrorCode.GroupConflict]: {
    code: RelayErrorCode.GroupConflict,
    message: 'the group log has moved on; fetch it',
  },
  [CoreErrorCode.GroupForbidden]: {
    code: RelayErrorCode.GroupForbidden,
    message: 'the actor may not do this',
  },
  [CoreErrorCode.GroupBadTarget]: {
    code: RelayErrorCode.GroupBadTarget,
    message: 'the target is not in a state this operation applies to',
  },
  [CoreErrorCode.GroupInviteInvalid]: {
    code: RelayErrorCode.GroupInviteInvalid,
    message: 'unknown, expired or used-up invite',
  },
  [CoreErrorCode.GroupBanned]: {
    code: RelayErrorCode.GroupBanned,
    message: 'banned from this group',
  },
  [CoreErrorCode.GroupNotFound]: { code: RelayErrorCode.GroupNotFound, message: 'no such group' },
  [CoreErrorCode.GroupNotMember]: {
    code: RelayErrorCode.GroupNotMember,
    message: 'only members may post',
  },
  [CoreErrorCode.GroupMuted]: { code: RelayErrorCode.GroupMuted, message: 'muted in this group' },
  [CoreErrorCode.GroupPostingRestricted]: {
    code: RelayErrorCode.GroupPostingRestricted,
    message: 'only moderators may post in this group',
  },
  [CoreErrorCode.GroupRotationDue]: {
    code: RelayErrorCode.GroupRotationDue,
    message: 'the group secret must be rotated first',
  },
  [CoreErrorCode.GroupSlowMode]: {
    code: RelayErrorCode.GroupSlowMode,
    message: 'slow mode: wait before posting',
  },
  [CoreErrorCode.TopicNotFound]: {
    code: RelayErrorCode.GroupBadTarget,
    message: 'no such topic in this group',
  },
};

function capReached(message: string): RelayError {
  return new RelayError(RelayErrorCode.GroupCapReached, message);
}

function notFound(): RelayError {
  return new RelayError(RelayErrorCode.GroupNotFound, 'no such group');
}

/** Constant-time comparison of two hashes. */
function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
