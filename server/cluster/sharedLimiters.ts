import { createHmac } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../store/redis/redisConnection.js';
import { LeasedRateLimiter } from './LeasedRateLimiter.js';
import { MemoryWindowLimiter } from './MemoryWindowLimiter.js';

/**
 * Makes the fixed-window limiters behind the relay's rates and daily quotas: in memory for one
 * node, in Redis when several share it (a client that spreads its requests over nodes spends one
 * budget).
 */
export interface LimiterFactory {
  /** A limiter of `points` per `seconds`; `name` keeps its counters apart from the others'. */
  create(name: string, points: number, seconds: number): RateLimiterAbstract;
  /** The key a remote address is counted under. */
  addressKey(address: string): string;
  /**
   * A limiter of `points` per `seconds` for a window shorter than SHARED_WINDOW_MIN_SECONDS.
   * `onePerRelay`: what it counts holds at most one connection in the whole relay (a persona), so
   * the node holding that connection can count it alone.
   */
  createShort(name: string, points: number, seconds: number, onePerRelay: boolean): ShortLimiter;
}

/** What the relay asks of a per-second limiter (rate-limiter-flexible's, or a leased one). */
export interface ShortLimiter {
  /**
   * Resolves when admitted; rejects when not with a RateLimiterRes or a RELAY_RATE_LIMITED
   * RelayError, either saying when to retry.
   */
  consume(key: string, amount?: number): Promise<unknown>;
}

/** The single-node limiters: counters in this process. */
export const memoryLimiters: LimiterFactory = {
  create: (_name, points, seconds) => new RateLimiterMemory({ points, duration: seconds }),
  addressKey: (address) => address,
  createShort: (_name, points, seconds) => new MemoryWindowLimiter({ points, seconds }),
};

export interface RedisLimitersOptions {
  readonly redis: RedisClient;
  /** The store's key prefix; the counters live under `${keyPrefix}rl:`. */
  readonly keyPrefix: string;
  /**
   * A secret every node shares (kept in the store's settings): remote addresses reach Redis only
   * as an HMAC under it, never as they are.
   */
  readonly addressSecret: Uint8Array;
}

/**
 * Windows shorter than this are not counted event by event in Redis. A counter in Redis is a
 * write, and the relay's Redis syncs every write to disk (`appendfsync always`): counting every
 * frame there measured 10,000 frames/s down to under 200 on one connection. So the per-second
 * rates (frames, sends, group posts) are counted on the node, in memory, for a persona (it holds
 * one connection in the whole relay: ClusterPresence), and through leases for an address
 * (LeasedRateLimiter: a node takes a tenth of the window's budget from Redis at a time), so an
 * address spreading connections over nodes still gets the rate once, not once per node.
 * Per-minute rates and daily quotas are counted in Redis per event.
 */
export const SHARED_WINDOW_MIN_SECONDS = 60;

/**
 * Limiters whose counters live in Redis (rate-limiter-flexible's RateLimiterRedis, one Lua
 * INCRBY-with-TTL per request on one key, which Redis Cluster routes to the key's slot), for
 * windows of at least SHARED_WINDOW_MIN_SECONDS. While Redis cannot be reached each falls back to
 * an in-memory limiter of the same budget on this node (its insurance limiter), so an outage
 * loosens the limits to per node rather than failing every request.
 */
export function redisLimiters(options: RedisLimitersOptions): LimiterFactory {
  const { redis, keyPrefix, addressSecret } = options;
  return {
    create: (name, points, seconds) =>
      seconds < SHARED_WINDOW_MIN_SECONDS
        ? memoryLimiters.create(name, points, seconds)
        : new RateLimiterRedis({
            storeClient: redis,
            // ioredis, not node-redis: the package's calling convention for it.
            useRedisPackage: false,
            keyPrefix: `${keyPrefix}rl:${name}`,
            points,
            duration: seconds,
            insuranceLimiter: new RateLimiterMemory({ points, duration: seconds }),
          }),
    addressKey: (address) =>
      createHmac('sha256', addressSecret).update(address).digest('base64url').slice(0, 22),
    createShort: (name, points, seconds, onePerRelay) =>
      onePerRelay
        ? memoryLimiters.createShort(name, points, seconds, onePerRelay)
        : new LeasedRateLimiter({ redis, keyPrefix: `${keyPrefix}rl:${name}:`, points, seconds }),
  };
}
