import { GroupAppendConflictError } from '../GroupAppendConflictError.js';
import type { GroupAppendConflict } from '../GroupAppendConflictError.js';
import { groupKey } from '../groupStream.js';
import { decodeGroupEntryValue, encodeGroupEntryValue, RecordFormatError } from '../records.js';
import type {
  GroupCursor,
  GroupListener,
  MemberEntries,
  MemberGroupsListener,
  NewGroupEntry,
  StoredGroupEntry,
  StoredGroupSnapshot,
} from '../RelayStore.js';
import { asBuffer, optionalBuffer, plainBytes, replyList } from './bytes.js';
import type { DurableWriter } from './DurableWriter.js';
import { callScript } from './luaScripts.js';
import type { RedisClient } from './redisConnection.js';
import { groupKeyList, groupKeys } from './redisKeys.js';
import type { RedisKeys } from './redisKeys.js';
import { parseCursor } from './RedisMemberGroups.js';
import type { RedisMemberGroups } from './RedisMemberGroups.js';
import type { RedisWakeups } from './RedisWakeups.js';
import { sweepPrimaries } from './scanPrimaries.js';

const CONFLICTS: ReadonlySet<string> = new Set<GroupAppendConflict>(['exists', 'missing', 'moved']);

/**
 * Group streams: every key of one group in the group's slot, so the conditional append (the head
 * check, the entry, the cursors of members who joined or left) is one script, as are
 * acknowledgements, pruning and expiry.
 */
export class RedisGroupLog {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #writer: DurableWriter;
  readonly #wakeups: RedisWakeups;
  readonly #members: RedisMemberGroups;

  constructor(
    redis: RedisClient,
    keys: RedisKeys,
    writer: DurableWriter,
    wakeups: RedisWakeups,
    members: RedisMemberGroups,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#writer = writer;
    this.#wakeups = wakeups;
    this.#members = members;
  }

  async append(entry: NewGroupEntry): Promise<StoredGroupEntry> {
    // Everything taken from the caller's buffers before the first await.
    const bytes = plainBytes(entry.bytes);
    const keys = groupKeyList(this.#keys.group(entry.groupId));
    const hex = groupKey(entry.groupId);
    const args =
      entry.kind === 'operation'
        ? [
            'o',
            entry.sequence,
            asBuffer(encodeGroupEntryValue('operation', entry.receivedAt, bytes)),
            String(entry.receivedAt),
            entry.disappearingMs === undefined ? '' : String(entry.disappearingMs),
            entry.joined.length,
            ...entry.joined,
            entry.left.length,
            ...entry.left,
          ]
        : [
            'm',
            entry.logLength,
            asBuffer(encodeGroupEntryValue('message', entry.receivedAt, bytes)),
            String(entry.receivedAt),
          ];
    if (entry.kind === 'operation' && entry.joined.length > 0) {
      await this.#members.announceJoins(entry.groupId, entry.sequence, entry.joined);
    }
    const [reply] = await this.#writer.write(keys[0] ?? '', (pipeline) => {
      callScript(pipeline, 'kindredAppendGroupEntry', keys, args);
    });
    const [status, index, ...changed] = replyList(reply).map(String);
    if (status === 'conflict') {
      if (index === undefined || !CONFLICTS.has(index)) {
        throw new RecordFormatError('unexpected group append reply');
      }
      throw new GroupAppendConflictError(index as GroupAppendConflict);
    }
    // Membership changes first, then the group's own channel (as the embedded stores signal).
    await this.#wakeups.publish([
      ...changed.map((address) => [this.#keys.persona(address).groupsChannel, hex] as const),
      [this.#keys.group(entry.groupId).channel, ''],
    ]);
    return { index: Number(index), kind: entry.kind, bytes, receivedAt: entry.receivedAt };
  }

  async readOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    if (!(limit > 0) || !(fromSequence >= 0)) return [];
    const keys = this.#keys.group(groupId);
    const reply = await callScript(
      this.#redis,
      'kindredReadGroupOperations',
      [keys.operations, keys.entries],
      [Math.floor(fromSequence), Math.floor(limit)],
      true,
    );
    return replyList(reply).flatMap((value) => {
      const buffer = optionalBuffer(value);
      return buffer === undefined ? [] : [plainBytes(decodeGroupEntryValue(buffer).bytes)];
    });
  }

  async logLength(groupId: Uint8Array): Promise<number> {
    const operations = await this.#redis.hget(this.#keys.group(groupId).head, 'ops');
    return operations === null ? 0 : Number(operations);
  }

  async readMemberEntries(
    groupId: Uint8Array,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined> {
    const keys = this.#keys.group(groupId);
    const after = afterIndex !== undefined && afterIndex > 0 ? afterIndex : 0;
    const reply = await callScript(
      this.#redis,
      'kindredReadMemberEntries',
      [keys.cursors, keys.entries, keys.indexes],
      [address, String(after), limit > 0 ? Math.floor(limit) : 0],
      true,
    );
    if (reply === null) return undefined;
    const [cursor, ...flat] = replyList(reply).map(optionalBuffer);
    if (cursor === undefined) throw new RecordFormatError('group cursor missing');
    const entries: StoredGroupEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const index = flat[i];
      const value = flat[i + 1];
      if (index === undefined || value === undefined) continue;
      const decoded = decodeGroupEntryValue(value);
      entries.push({
        index: Number(index.toString()),
        kind: decoded.kind,
        bytes: plainBytes(decoded.bytes),
        receivedAt: decoded.receivedAt,
      });
    }
    return { cursor: parseCursor(cursor.toString()), entries };
  }

  async getCursor(groupId: Uint8Array, address: string): Promise<GroupCursor | undefined> {
    const cursor = await this.#redis.hget(this.#keys.group(groupId).cursors, address);
    return cursor === null ? undefined : parseCursor(cursor);
  }

  async ack(groupId: Uint8Array, address: string, index: number): Promise<GroupCursor | undefined> {
    const keys = this.#keys.group(groupId);
    // NaN acknowledges nothing; anything else is clamped by the script.
    const target = Number.isNaN(index) ? '0' : String(index);
    const [reply] = await this.#writer.write(keys.head, (pipeline) => {
      callScript(pipeline, 'kindredAckGroup', [keys.head, keys.cursors], [address, target]);
    });
    if (reply === null) return undefined;
    if (typeof reply !== 'string') throw new RecordFormatError('unexpected group ack reply');
    return parseCursor(reply);
  }

  async getSnapshot(groupId: Uint8Array): Promise<StoredGroupSnapshot | undefined> {
    const [length, bytes] = await this.#redis.hmgetBuffer(
      this.#keys.group(groupId).snapshot,
      'len',
      'bytes',
    );
    if (length === null || length === undefined || bytes === null || bytes === undefined) {
      return undefined;
    }
    return { length: Number(length.toString()), bytes: plainBytes(bytes) };
  }

  /** Not made durable (no WAIT): a lost snapshot costs a longer replay, nothing else. */
  async putSnapshot(groupId: Uint8Array, snapshot: StoredGroupSnapshot): Promise<void> {
    if (!Number.isSafeInteger(snapshot.length) || snapshot.length < 1) return;
    const keys = this.#keys.group(groupId);
    const bytes = asBuffer(plainBytes(snapshot.bytes));
    await this.#writer.read((pipeline) => {
      callScript(
        pipeline,
        'kindredPutGroupSnapshot',
        [keys.head, keys.snapshot],
        [snapshot.length, bytes],
      );
    });
  }

  async prune(cutoff: number): Promise<number> {
    return this.#sweep('kindredPruneGroup', cutoff);
  }

  async expireDue(now: number): Promise<number> {
    return this.#sweep('kindredExpireGroup', now);
  }

  subscribe(groupId: Uint8Array, listener: GroupListener): () => void {
    return this.#wakeups.subscribe(this.#keys.group(groupId).channel, () => {
      listener();
    });
  }

  subscribeMemberGroups(address: string, listener: MemberGroupsListener): () => void {
    return this.#wakeups.subscribe(this.#keys.persona(address).groupsChannel, (message) => {
      listener(new Uint8Array(Buffer.from(message.toString(), 'hex')));
    });
  }

  async #sweep(script: 'kindredPruneGroup' | 'kindredExpireGroup', bound: number): Promise<number> {
    const bounded = Number.isNaN(bound)
      ? 0
      : Math.max(-Number.MAX_VALUE, Math.min(bound, Number.MAX_VALUE));
    const removed = await sweepPrimaries(
      this.#redis,
      this.#keys.patterns.groupHeads,
      async (base) => {
        const keys = groupKeyList(groupKeys(base));
        const [count] = await this.#writer.write(keys[0] ?? '', (pipeline) => {
          callScript(pipeline, script, keys, [String(bounded)]);
        });
        return Number(count);
      },
    );
    return removed.reduce((sum, count) => sum + count, 0);
  }
}
