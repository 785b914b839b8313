import type { RedisClient } from '../store/redis/redisConnection.js';

/**
 * Who runs a relay-wide background job (expiry, pruning, disappearing messages). One node runs
 * each at a time; a single node always holds every lease.
 */
export interface JobLease {
  /** Whether this node holds the job's lease now, taking or renewing it for `ttlMs`. */
  hold(job: string, ttlMs: number): Promise<boolean>;
}

export const SOLE_NODE_LEASE: JobLease = { hold: () => Promise.resolve(true) };

/** Renews the lease if this node holds it, else takes it if nobody does. */
const HOLD_SCRIPT = `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Leases in Redis: a key per job holding the node id, with a time to live. The holder renews it
 * each time the job comes round; when it stops (crashed, drained), the lease runs out and the
 * next node whose turn comes takes it. Within a lease's time to live only its holder sweeps, so
 * N nodes do the work of one; a node that loses Redis sweeps nothing until it holds a lease again.
 */
export class RedisJobLease implements JobLease {
  readonly #redis: RedisClient;
  readonly #keyPrefix: string;
  readonly #nodeId: string;

  constructor(options: { redis: RedisClient; keyPrefix: string; nodeId: string }) {
    this.#redis = options.redis;
    this.#keyPrefix = options.keyPrefix;
    this.#nodeId = options.nodeId;
  }

  async hold(job: string, ttlMs: number): Promise<boolean> {
    const held = await this.#redis.eval(
      HOLD_SCRIPT,
      1,
      `${this.#keyPrefix}lease:${job}`,
      this.#nodeId,
      String(Math.max(1, ttlMs)),
    );
    return held === 1;
  }
}
