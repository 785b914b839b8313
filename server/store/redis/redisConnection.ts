import { Cluster, Redis } from 'ioredis';

/**
 * Where a relay finds its Redis: one standalone server (`url`, redis:// or rediss:// for TLS), or
 * a Redis/Valkey Cluster (`cluster`: seed nodes as host:port; the client learns the rest).
 * Exactly one of the two. docs/running-a-cluster.md says which to use when.
 */
export interface RedisConnectionOptions {
  readonly url?: string;
  readonly cluster?: readonly string[];
  /** TLS to every cluster node (a standalone server takes it from a rediss:// url). */
  readonly tls?: boolean;
  /** AUTH for cluster nodes (a standalone server takes it from the url). */
  readonly username?: string;
  readonly password?: string;
  /**
   * Names this client's connections (CLIENT SETNAME), so an operator's `CLIENT LIST` shows which
   * relay node holds which connection.
   */
  readonly connectionName?: string;
}

/** A standalone client or a cluster client: the commands the relay uses exist on both. */
export type RedisClient = Redis | Cluster;

/**
 * Opens a client as the options say. `subscriber`: a client that will SSUBSCRIBE (sharded pub/sub
 * needs one subscriber connection per primary in a cluster).
 */
export function connectRedis(
  options: RedisConnectionOptions,
  { subscriber = false }: { subscriber?: boolean } = {},
): RedisClient {
  const { url, cluster } = options;
  if ((url === undefined) === (cluster === undefined || cluster.length === 0)) {
    throw new TypeError('give exactly one of a Redis url and a list of cluster nodes');
  }
  if (url !== undefined) {
    return new Redis(url, {
      ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
      // Commands wait for a reconnect instead of failing at once: a relay rides out a Redis
      // restart or failover, and what it could not write in time is refused to the client
      // (which retries), never acknowledged.
      enableOfflineQueue: true,
      maxRetriesPerRequest: 20,
    });
  }
  const nodes = (cluster ?? []).map(parseHostPort);
  return new Cluster(nodes, {
    shardedSubscribers: subscriber,
    enableOfflineQueue: true,
    redisOptions: {
      ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.tls === true ? { tls: {} } : {}),
      maxRetriesPerRequest: 20,
    },
  });
}

/** `host:port` (IPv6 in brackets: `[::1]:7000`) → the parts; throws TypeError on anything else. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new TypeError(`not a host:port: ${JSON.stringify(text)}`);
  }
  return { host: match[1] ?? match[2] ?? '', port };
}
