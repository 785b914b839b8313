import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { errorNameOf } from '../errorFacts.js';
import type { RelayStore } from '../store/RelayStore.js';
import { connectRedis } from '../store/redis/redisConnection.js';
import type { RedisClient, RedisConnectionOptions } from '../store/redis/redisConnection.js';
import { RedisKeys } from '../store/redis/redisKeys.js';
import { NO_CLUSTER_PRESENCE, RedisPresence } from './ClusterPresence.js';
import type { ClusterPresence } from './ClusterPresence.js';
import { RedisJobLease, SOLE_NODE_LEASE } from './JobLease.js';
import type { JobLease } from './JobLease.js';
import { memoryLimiters, redisLimiters } from './sharedLimiters.js';
import type { LimiterFactory } from './sharedLimiters.js';
import { RedisConnectionCounts } from './SharedConnectionCounts.js';
import type { SharedConnectionCounts } from './SharedConnectionCounts.js';
import { RedisPostClock } from './SharedPostClock.js';
import type { SharedPostClock } from './SharedPostClock.js';

/** The setting holding the secret remote addresses are hashed under before they reach Redis. */
const ADDRESS_SECRET_SETTING = 'rate-address-secret';
const ADDRESS_SECRET_BYTES = 32;

/**
 * What relay nodes on one store share besides the store itself: who holds which persona's
 * connection, rate limits and quotas, slow mode's clock, and who runs the background jobs. A relay
 * on its own (LevelDB) gets the single-node parts, which keep everything in process.
 */
export interface RelayCluster {
  /** This process's random id (never its name): in presence messages and lease values. */
  readonly nodeId: string;
  readonly presence: ClusterPresence;
  readonly limiters: LimiterFactory;
  readonly postClock: SharedPostClock | undefined;
  readonly leases: JobLease;
  /** Open connections per remote address across nodes; undefined: this node's count alone. */
  readonly connectionCounts: SharedConnectionCounts | undefined;
  close(): Promise<void>;
}

export const SINGLE_NODE: RelayCluster = {
  nodeId: 'single',
  presence: NO_CLUSTER_PRESENCE,
  limiters: memoryLimiters,
  postClock: undefined,
  leases: SOLE_NODE_LEASE,
  connectionCounts: undefined,
  close: () => Promise.resolve(),
};

export interface RedisClusterOptions {
  readonly store: RelayStore;
  readonly redis: RedisClient;
  readonly keyPrefix: string;
  /** How to open this node's subscriber connection (the store's own connection options). */
  readonly connection: RedisConnectionOptions;
  readonly logger: Logger;
}

/** The shared parts on Redis: presence on sharded pub/sub, limits, slow mode and leases in keys. */
export async function joinRedisCluster(options: RedisClusterOptions): Promise<RelayCluster> {
  const { store, redis, keyPrefix, logger } = options;
  const nodeId = randomBytes(8).toString('hex');
  // The store's own key layout: a persona's and a group's shared state sit in their slots.
  const keys = new RedisKeys(keyPrefix);
  const addressSecret = await store.claimSetting(
    ADDRESS_SECRET_SETTING,
    new Uint8Array(randomBytes(ADDRESS_SECRET_BYTES)),
  );
  const subscriber = connectRedis(options.connection, { subscriber: true });
  // ioredis reconnects by itself; an 'error' event without a listener would end the process.
  subscriber.on('error', (error: unknown) => {
    logger.warn({ event: 'redis-error', errorName: errorNameOf(error) }, 'redis connection error');
  });
  const presence = new RedisPresence({
    redis,
    subscriber,
    keys,
    nodeId,
    onError: (error) => {
      logger.error(
        { event: 'presence-failed', errorName: errorNameOf(error) },
        'could not tell other nodes of a connection',
      );
    },
  });
  const limiters = redisLimiters({ redis, keyPrefix, addressSecret });
  return {
    nodeId,
    presence,
    limiters,
    postClock: new RedisPostClock({ redis, keys }),
    leases: new RedisJobLease({ redis, keyPrefix, nodeId }),
    connectionCounts: new RedisConnectionCounts({
      redis,
      keyPrefix,
      nodeId,
      addressKey: (address) => limiters.addressKey(address),
      onError: (error) => {
        logger.warn(
          { event: 'connection-count-failed', errorName: errorNameOf(error) },
          'could not count connections across nodes',
        );
      },
    }),
    async close() {
      await presence.close();
      subscriber.disconnect();
    },
  };
}
