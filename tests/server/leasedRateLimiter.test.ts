import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeasedRateLimiter } from '../../server/cluster/LeasedRateLimiter.js';
import { connectRedis } from '../../server/store/redis/redisConnection.js';
import type { RedisClient } from '../../server/store/redis/redisConnection.js';
import { redisAvailable, startRedis } from './helpers/redisServers.js';
import type { RunningRedis } from './helpers/redisServers.js';

/**
 * A relay node's per-second rates lean on Redis for their leases. When Redis goes away (a
 * primary killed, a failover) the node must go on counting in memory: a failed lease may never
 * surface as an unhandled rejection, which ends the whole node (clusterFaults once lost two
 * nodes that way when a primary was killed).
 */
describe.skipIf(!redisAvailable() && process.env.CI === undefined)(
  'leased per-second rates when Redis fails',
  () => {
    let redis: RunningRedis;
    let client: RedisClient;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };

    beforeAll(async () => {
      redis = await startRedis();
      client = connectRedis({ url: `redis://${redis.addresses[0] ?? ''}` });
      process.on('unhandledRejection', onUnhandled);
    });

    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      client.disconnect();
      await redis.stop();
    });

    it(
      'counts in memory, with no unhandled rejection, once Redis is gone',
      { timeout: 30_000 },
      async () => {
        const limiter = new LeasedRateLimiter({
          redis: client,
          keyPrefix: 'test:rate:',
          points: 20,
          seconds: 1,
        });
        // With Redis up: leases from the shared counter.
        for (let i = 0; i < 5; i += 1) await limiter.consume('address-a');
        expect(Number(redis.cli(Number(redis.nodes[0]?.port), 'GET', 'test:rate:address-a'))).toBe(
          6, // three leases of 2 (a tenth of 20) for 5 events
        );

        redis.kill(Number(redis.nodes[0]?.port));
        // Every new key asks Redis for a lease, which fails or times out: each is admitted from
        // memory, never held waiting on Redis beyond the lease timeout.
        for (let i = 0; i < 3; i += 1) await limiter.consume(`address-${String(i)}`);
        // Give failed leases time to settle, then: none unhandled.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(unhandled).toStrictEqual([]);
      },
    );
  },
);
