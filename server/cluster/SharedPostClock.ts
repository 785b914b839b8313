import type { RedisClient } from '../store/redis/redisConnection.js';
import type { RedisKeys } from '../store/redis/redisKeys.js';

/**
 * Slow mode's per-member clock, shared by every relay node: when a member last posted in a group.
 * A single node keeps it in its group cache (GroupRegistry); nodes on one Redis keep it here too,
 * so a member cannot post twice within the interval by using two nodes.
 */
export interface SharedPostClock {
  /**
   * Records `now` as the member's last post in the group unless one was recorded less than
   * `intervalMs` ago, atomically; returns that earlier time when it refuses, else undefined.
   */
  claim(
    groupId: Uint8Array,
    address: string,
    now: number,
    intervalMs: number,
  ): Promise<number | undefined>;
  /** Takes back a claim made at `at` (its post was not stored), if it is still the last one. */
  release(groupId: Uint8Array, address: string, at: number): Promise<void>;
}

/** Deletes the key only if it still holds the claim being taken back. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The clock in Redis: one key per member and group, in the group's slot, set with
 * `SET key now PX interval NX GET` (Redis 7): it exists exactly while the member must wait, and
 * setting it is the check.
 */
export class RedisPostClock implements SharedPostClock {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;

  /** `keys`: the store's; the clock lives under the group's base, in the group's slot. */
  constructor(options: { readonly redis: RedisClient; readonly keys: RedisKeys }) {
    this.#redis = options.redis;
    this.#keys = options.keys;
  }

  async claim(
    groupId: Uint8Array,
    address: string,
    now: number,
    intervalMs: number,
  ): Promise<number | undefined> {
    const previous = await this.#redis.call(
      'SET',
      this.#key(groupId, address),
      String(now),
      'PX',
      String(Math.max(1, intervalMs)),
      'NX',
      'GET',
    );
    if (previous === null || previous === undefined) return undefined;
    const at = Number(previous);
    // Unreadable (written by something else): count the post as just made.
    return Number.isSafeInteger(at) ? at : now;
  }

  async release(groupId: Uint8Array, address: string, at: number): Promise<void> {
    await this.#redis.eval(RELEASE_SCRIPT, 1, this.#key(groupId, address), String(at));
  }

  #key(groupId: Uint8Array, address: string): string {
    return `${this.#keys.groupBase(groupId)}:slow:${address}`;
  }
}
