import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RelayErrorCode } from '../../core/index.js';
import { RelayError } from '../RelayError.js';
import type { RedisClient } from '../store/redis/redisConnection.js';

/**
 * Into how many leases one window's budget is cut: a node takes a tenth of the budget from Redis
 * at a time, so a busy key costs at most about ten Redis writes per window per node, and a node
 * holding an unused lease keeps at most a tenth of the budget from the others.
 */
export const LEASES_PER_WINDOW = 10;

/**
 * One Redis step per lease: adds the lease to the window's counter (the key lives exactly as long
 * as its window) and answers the counter and the window's remaining time.
 */
const LEASE_SCRIPT = `
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {used, ttl}`;

export interface LeasedRateLimiterOptions {
  readonly redis: RedisClient;
  /** The counters' key prefix (the key counted is appended). */
  readonly keyPrefix: string;
  /** Events per window, across every node. */
  readonly points: number;
  readonly seconds: number;
}

/** What this node holds of one key's current window. */
interface Lease {
  /** Events this node may still admit in the window. */
  tokens: number;
  /** Local time by which the window has surely ended on Redis, ms. */
  readonly endsAt: number;
  /** Redis answered that the window's budget is spent. */
  readonly spent: boolean;
}

/**
 * A fixed-window rate shared by every node without a Redis write per event: a node leases a
 * tenth of a window's budget at a time from one counter in Redis and spends it locally. The
 * counter's key expires with its window, so the leases of one window never add up to more than
 * its budget: across the whole relay a key admits at most `points` events per window, however
 * many nodes it spreads over. A node's lease ends at (when it asked + the window's remaining
 * time Redis answered), which is before the window ends on Redis, so no token outlives its window.
 * The price: tokens a node leased and did not use are lost to the others, so a key spread over N
 * nodes may be refused after `points - (N-1) × lease` events in a window.
 *
 * While Redis cannot be reached (a lease fails), this node counts the key in memory with the whole
 * budget, as the other shared limiters' insurance does: an outage loosens the rate to per node.
 */
export class LeasedRateLimiter {
  readonly #redis: RedisClient;
  readonly #keyPrefix: string;
  readonly #points: number;
  readonly #windowMs: number;
  readonly #leaseSize: number;
  readonly #leases = new Map<string, Lease>();
  readonly #asking = new Map<string, Promise<void>>();
  readonly #insurance: RateLimiterMemory;
  /** The map size at which expired leases are next swept out. */
  #sweepAt = 1024;

  constructor(options: LeasedRateLimiterOptions) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix;
    this.#points = options.points;
    this.#windowMs = options.seconds * 1000;
    this.#leaseSize = Math.max(1, Math.ceil(options.points / LEASES_PER_WINDOW));
    this.#insurance = new RateLimiterMemory({ points: options.points, duration: options.seconds });
  }

  /**
   * Admits `amount` events of `key`, or rejects with RELAY_RATE_LIMITED saying when to retry (or,
   * while Redis is unreachable, with the in-memory limiter's RateLimiterRes).
   */
  async consume(key: string, amount = 1): Promise<void> {
    if (amount > this.#points) throw refusal(this.#windowMs);
    for (;;) {
      const now = Date.now();
      const lease = this.#leases.get(key);
      if (lease !== undefined && now < lease.endsAt) {
        if (lease.tokens >= amount) {
          lease.tokens -= amount;
          return;
        }
        if (lease.spent) throw refusal(lease.endsAt - now);
      }
      let asking = this.#asking.get(key);
      if (asking === undefined) {
        asking = this.#lease(key);
        this.#asking.set(key, asking);
        // Both outcomes handled here: a lease that fails (Redis failing over) must not become an
        // unhandled rejection, which would end the whole node.
        const lease = asking;
        const forget = (): void => {
          if (this.#asking.get(key) === lease) this.#asking.delete(key);
        };
        lease.then(forget, forget);
      }
      try {
        await withinLeaseTimeout(asking);
      } catch {
        // Redis failed or is slow (a failover, a dropped connection): never hold frames on it.
        if (this.#asking.get(key) === asking) this.#asking.delete(key);
        await this.#insurance.consume(key, amount);
        return;
      }
    }
  }

  /**
   * Takes the next lease of `key`'s window from Redis. What is left of an older lease (fewer
   * tokens than an event needs) is dropped: the window may have turned in between.
   */
  async #lease(key: string): Promise<void> {
    const askedAt = Date.now();
    const reply = (await this.#redis.eval(
      LEASE_SCRIPT,
      1,
      `${this.#keyPrefix}${key}`,
      this.#leaseSize,
      this.#windowMs,
    )) as [number, number];
    const [used, ttl] = reply;
    // The counter was at `used - leaseSize` before: what remained of the budget is ours, up to it.
    const granted = Math.max(0, Math.min(this.#leaseSize, this.#points - (used - this.#leaseSize)));
    const endsAt = askedAt + Math.min(ttl, this.#windowMs);
    this.#leases.set(key, { tokens: granted, endsAt, spent: granted < this.#leaseSize });
    if (this.#leases.size >= this.#sweepAt) this.#sweep(askedAt);
  }

  #sweep(now: number): void {
    for (const [key, lease] of this.#leases) if (lease.endsAt <= now) this.#leases.delete(key);
    this.#sweepAt = Math.max(1024, this.#leases.size * 2);
  }
}

function refusal(retryAfterMs: number): RelayError {
  return new RelayError(RelayErrorCode.RateLimited, 'rate limit exceeded', {
    retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)),
  });
}

/** How long a frame waits for a lease before this node counts it in memory instead, ms. */
export const LEASE_TIMEOUT_MS = 1000;

async function withinLeaseTimeout(lease: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      lease,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new Error('lease timed out'));
        }, LEASE_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
