import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorNameOf } from '../errorFacts.js';
import type { RelayMetrics } from '../RelayMetrics.js';
import type { ResolvedRelayOptions } from '../RelayOptions.js';
import { LevelRelayStore } from './LevelRelayStore.js';
import { RedisRelayStore } from './redis/RedisRelayStore.js';
import type { RelayStore } from './RelayStore.js';

/** The LevelDB folder inside the data folder. */
export const STORE_FOLDER = 'relay.db';

/** The store a relay opened for itself, and what other relay parts may share of it. */
export interface OpenedRelayStore {
  readonly store: RelayStore;
  /** Set when the store is Redis: the connection and key prefix the cluster's shared state uses. */
  readonly redis: RedisRelayStore | undefined;
  /** Set when the store is LevelDB in the data folder: the folder the storage gauge measures. */
  readonly folder: string | undefined;
}

/**
 * Opens the store the options ask for: Redis (a standalone server or a Redis Cluster) when
 * `redis` is given, else LevelDB in the data folder.
 */
export async function openRelayStore(
  options: ResolvedRelayOptions,
  logger: Logger,
  metrics: RelayMetrics,
): Promise<OpenedRelayStore> {
  const onListenerError = (error: unknown): void => {
    logger.error({ event: 'listener-failed', errorName: errorNameOf(error) }, 'listener failed');
  };
  if (options.redis !== undefined) {
    const store = await RedisRelayStore.open({
      ...(options.nodeName === undefined ? {} : { connectionName: options.nodeName }),
      ...options.redis,
      onListenerError: options.redis.onListenerError ?? onListenerError,
      onConnectionError:
        options.redis.onConnectionError ??
        ((error: unknown) => {
          // The clients reconnect by themselves; the operator sees that it happened.
          logger.warn(
            { event: 'redis-error', errorName: errorNameOf(error) },
            'redis connection error',
          );
        }),
    });
    return { store, redis: store, folder: undefined };
  }
  if (options.dataDir === undefined) throw new Error('dataDir is required');
  const folder = join(options.dataDir, STORE_FOLDER);
  const store = await LevelRelayStore.open(folder, {
    onSyncedBatch: (requests, ms) => {
      metrics.observeSyncedBatch(requests, ms);
    },
    onListenerError,
  });
  return { store, redis: undefined, folder };
}
