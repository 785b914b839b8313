import type { RedisClient } from '../store/redis/redisConnection.js';

/**
 * Open connections per remote address across every relay node, so that `maxConnectionsPerAddress`
 * bounds what one address holds from the whole relay, not from each node. A single node counts in
 * memory alone (RelayServer).
 */
export interface SharedConnectionCounts {
  /**
   * Whether this node may hold `ownAfter` connections from `address` (its count with the new one)
   * while the other nodes hold theirs, within `limit`; records `ownAfter` when it may.
   */
  admit(address: string, ownAfter: number, limit: number): Promise<boolean>;
  /** Records this node's count from `address` (after a connection closed; 0 forgets it). */
  update(address: string, own: number): void;
  /** Records every count again, so other nodes keep seeing them as fresh. */
  refresh(counts: Iterable<readonly [string, number]>): Promise<void>;
}

/**
 * How often a node records its counts again; a node's counts older than three of these are
 * not counted (it crashed or lost Redis), and a whole address's key goes after six.
 */
export const CONNECTION_COUNT_REFRESH_MS = 10_000;
const STALE_AFTER_MS = 3 * CONNECTION_COUNT_REFRESH_MS;
const KEY_TTL_MS = 6 * CONNECTION_COUNT_REFRESH_MS;

/** Redis's own clock (TIME), in ms: one clock for every node. */
const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/** Sums the other nodes' fresh counts; sets this node's if the total stays within the limit. */
const ADMIT_SCRIPT = `${NOW}
local fields = redis.call('HGETALL', KEYS[1])
local total = tonumber(ARGV[2])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    local count, at = string.match(fields[i + 1], '^(%d+):(%d+)$')
    if count and now - tonumber(at) <= tonumber(ARGV[4]) then total = total + tonumber(count) end
  end
end
if total > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** Sets (or, at 0, deletes) this node's count. */
const UPDATE_SCRIPT = `${NOW}
if tonumber(ARGV[2]) == 0 then return redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * The counts in Redis: one hash per remote address (the address as a keyed hash, never as it is),
 * a field per node holding `count:time`. A node that stops refreshing (crashed, cut off from
 * Redis) stops counting after STALE_AFTER_MS, so its connections, gone with it, do not hold the
 * address's budget for long.
 */
export class RedisConnectionCounts implements SharedConnectionCounts {
  readonly #redis: RedisClient;
  readonly #keyPrefix: string;
  readonly #nodeId: string;
  readonly #addressKey: (address: string) => string;
  readonly #onError: (error: unknown) => void;

  constructor(options: {
    readonly redis: RedisClient;
    readonly keyPrefix: string;
    readonly nodeId: string;
    readonly addressKey: (address: string) => string;
    readonly onError: (error: unknown) => void;
  }) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix;
    this.#nodeId = options.nodeId;
    this.#addressKey = options.addressKey;
    this.#onError = options.onError;
  }

  async admit(address: string, ownAfter: number, limit: number): Promise<boolean> {
    const admitted = await this.#redis.eval(
      ADMIT_SCRIPT,
      1,
      this.#key(address),
      this.#nodeId,
      String(ownAfter),
      String(limit),
      String(STALE_AFTER_MS),
      String(KEY_TTL_MS),
    );
    return admitted === 1;
  }

  update(address: string, own: number): void {
    this.#set(address, own).catch(this.#onError);
  }

  async refresh(counts: Iterable<readonly [string, number]>): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const [address, own] of counts) writes.push(this.#set(address, own));
    await Promise.all(writes);
  }

  async #set(address: string, own: number): Promise<unknown> {
    return this.#redis.eval(
      UPDATE_SCRIPT,
      1,
      this.#key(address),
      this.#nodeId,
      String(own),
      String(KEY_TTL_MS),
    );
  }

  #key(address: string): string {
    return `${this.#keyPrefix}conns:${this.#addressKey(address)}`;
  }
}
