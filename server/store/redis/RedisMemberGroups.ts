import { groupIdFromKey, groupKey } from '../groupStream.js';
import { RecordFormatError } from '../records.js';
import type { GroupCursor, GroupMembership } from '../RelayStore.js';
import type { DurableWriter } from './DurableWriter.js';
import { callScript } from './luaScripts.js';
import type { RedisClient } from './redisConnection.js';
import type { RedisKeys } from './redisKeys.js';

/**
 * A persona's list of groups (`listMemberGroups`). It lives in the persona's slot while a cursor
 * lives in its group's slot, so no one write can keep both: the list is kept a SUPERSET instead,
 * checked against the cursors on every read.
 * - Before an operation that admits the persona is appended, the group goes into the list
 *   (durably), scored with that operation's sequence (ZADD GT: the score only grows). A crash
 *   between the two writes leaves an entry without a cursor, never a cursor without an entry.
 * - A read keeps the groups where the persona has a cursor. An entry without one is stale only
 *   once the group's log holds more operations than its score: the operation it announced was
 *   then appended (and its cursor since deleted) or refused, for good. Only then is it removed,
 *   and only if its score is still the one read, so a join that raced the read is never lost. An
 *   entry whose operation may still be in flight is skipped and kept.
 */
export class RedisMemberGroups {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #writer: DurableWriter;

  constructor(redis: RedisClient, keys: RedisKeys, writer: DurableWriter) {
    this.#redis = redis;
    this.#keys = keys;
    this.#writer = writer;
  }

  /** Records, durably, that the operation at `sequence` is about to admit each address. */
  async announceJoins(
    groupId: Uint8Array,
    sequence: number,
    addresses: readonly string[],
  ): Promise<void> {
    const member = groupKey(groupId);
    await Promise.all(
      [...new Set(addresses)].map((address) => {
        const key = this.#keys.persona(address).groups;
        return this.#writer.write(key, (pipeline) => pipeline.zadd(key, 'GT', sequence, member));
      }),
    );
  }

  async list(address: string): Promise<GroupMembership[]> {
    const key = this.#keys.persona(address).groups;
    const flat = await this.#redis.zrange(key, 0, -1, 'WITHSCORES');
    const listed: { hex: string; score: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      listed.push({ hex: flat[i] ?? '', score: flat[i + 1] ?? '' });
    }
    const checked = await Promise.all(
      listed.map(async ({ hex, score }) => {
        const groupId = groupIdFromKey(hex);
        const keys = this.#keys.group(groupId);
        const [cursor, operations] = await this.#writer.read((pipeline) =>
          pipeline.hget(keys.cursors, address).hget(keys.head, 'ops'),
        );
        if (typeof cursor === 'string') return { groupId, ...parseCursor(cursor) };
        if (Number(operations ?? 0) > Number(score)) {
          await this.#writer.write(key, (pipeline) => {
            callScript(pipeline, 'kindredForgetMemberGroup', [key], [hex, score]);
          });
        }
        return undefined;
      }),
    );
    return checked.filter((membership) => membership !== undefined);
  }
}

/** `acked,readUntil` (readUntil 0: still a member) → the cursor. */
export function parseCursor(text: string): GroupCursor {
  const [acked, readUntil] = text.split(',').map(Number);
  if (acked === undefined || readUntil === undefined || Number.isNaN(acked + readUntil)) {
    throw new RecordFormatError('group cursor malformed');
  }
  return readUntil === 0 ? { acked } : { acked, readUntil };
}
