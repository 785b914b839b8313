// A relay cluster on loopback for the cluster suites: a Redis Cluster of 3 primaries and 3
// replicas, three relay nodes as real `bin/kindred-server.js` processes on it (so SIGKILL and
// SIGSTOP are real), each with a data folder of its own and one blob folder they share, and a
// TCP load balancer in front of them whose address is the only relay URL clients know. Faults
// are done to real processes and real connections; `stop()` tears everything down.
import { Cluster, Redis } from 'ioredis';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TempDirs } from '../integration/helpers.js';
import { startRedisCluster } from '../server/helpers/redisServers.js';
import type { RedisNode, RunningRedis } from '../server/helpers/redisServers.js';
import { RestartableRelay, waitUntil } from './crashHelpers.js';
import { TcpBalancer } from './TcpBalancer.js';

/** One relay node of the cluster. */
export interface ClusterNode {
  /** --node-name: in the node's logs and in its Redis connections' names (CLIENT SETNAME). */
  readonly name: string;
  readonly relay: RestartableRelay;
}

export interface RelayClusterOptions {
  /** Relay nodes (default 3), named node-a, node-b, ... */
  readonly nodes?: number;
  /** More kindred-server flags for every node. */
  readonly extraArgs?: readonly string[];
}

/** The key prefix the test relays write under, so a scan can tell their keys apart. */
export const CLUSTER_KEY_PREFIX = 'kindred-test:';
/**
 * WebSocket ping interval of the test nodes: a node paused longer than this is past its
 * heartbeat (its peers, and the clients, have had time to notice).
 */
export const NODE_HEARTBEAT_MS = 2000;
/** Generous: two cores shared with other suites. */
const FAILOVER_TIMEOUT_MS = 60_000;

export class RelayCluster {
  readonly redis: RunningRedis;
  readonly nodes: readonly ClusterNode[];
  readonly balancer: TcpBalancer;
  /** The folder every node keeps blob bytes in (--blob-dir). */
  readonly blobDir: string;

  private constructor(
    redis: RunningRedis,
    nodes: readonly ClusterNode[],
    balancer: TcpBalancer,
    blobDir: string,
  ) {
    this.redis = redis;
    this.nodes = nodes;
    this.balancer = balancer;
    this.blobDir = blobDir;
  }

  /**
   * Starts the Redis Cluster, then every node at once on it (so they race to claim the relay's
   * id and certificate issuer on an empty cluster, as an operator's first start does), then the
   * balancer. `track` gets each part's stop as soon as the part is up, so a start that failed
   * or timed out is still torn down by the caller's afterAll (stop them all, newest first).
   */
  static async start(
    dirs: TempDirs,
    track: (stop: () => Promise<void>) => void,
    options: RelayClusterOptions = {},
  ): Promise<RelayCluster> {
    const redis = await startRedisCluster(3, 1);
    track(() => redis.stop());
    const blobDir = await dirs.make('cluster-blobs');
    const count = options.nodes ?? 3;
    const names = Array.from({ length: count }, (_, i) => `node-${String.fromCharCode(97 + i)}`);
    const starting = names.map(async (name): Promise<ClusterNode> => {
      const dataDir = await dirs.make(`cluster-${name}`);
      await mkdir(path.join(blobDir), { recursive: true });
      const relay = await RestartableRelay.start(dataDir, [
        ...['--store-cluster', redis.addresses.join(',')],
        ...['--store-key-prefix', CLUSTER_KEY_PREFIX],
        ...['--blob-dir', blobDir, '--node-name', name, '--metrics-port', '0'],
        ...['--heartbeat-interval', `${NODE_HEARTBEAT_MS}ms`],
        ...(options.extraArgs ?? []),
      ]);
      track(() => relay.stop());
      return { name, relay };
    });
    const settled = await Promise.allSettled(starting);
    const nodes: ClusterNode[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason;
      nodes.push(result.value);
    }
    const balancer = await TcpBalancer.start(
      nodes.map(({ name, relay }) => ({
        name,
        port: relay.port,
        healthPort: healthPortOf(relay),
      })),
    );
    track(() => balancer.close());
    return new RelayCluster(redis, nodes, balancer, blobDir);
  }

  /** The relay URL clients know: the balancer's. */
  get url(): string {
    return this.balancer.url;
  }

  node(name: string): ClusterNode {
    const found = this.nodes.find((node) => node.name === name);
    if (found === undefined) throw new Error(`no relay node ${name}`);
    return found;
  }

  /** SIGKILLs relay node `name`: its connections drop and the balancer takes it out. */
  async killNode(name: string): Promise<void> {
    await this.node(name).relay.kill();
  }

  /**
   * Starts relay node `name` again on its folder and port, and waits until the balancer sends
   * it new connections.
   */
  async restartNode(name: string): Promise<void> {
    const { relay } = this.node(name);
    await relay.restart();
    this.balancer.replace({ name, port: relay.port, healthPort: healthPortOf(relay) });
    await this.whenLive(name);
  }

  /** Waits until the balancer sends new connections to `name` again (after a restart). */
  async whenLive(name: string, timeoutMs = FAILOVER_TIMEOUT_MS): Promise<void> {
    await waitUntil(() => this.balancer.isLive(name), timeoutMs, `${name} to be live again`);
  }

  /** The Redis nodes that are primaries now (a failover changes which). */
  primaries(): RedisNode[] {
    return this.#running().filter((node) => this.redis.cli(node.port, 'role').startsWith('master'));
  }

  /**
   * SIGKILLs the Redis primary on `port`, waits until one of its replicas took over its slots
   * and the cluster is ok again, then starts the killed one again on its folder (it rejoins as a
   * replica of the new primary) and waits until it has caught up, so the next fault again finds
   * every primary with a replica. Returns how long the failover took.
   */
  async killRedisPrimary(port: number): Promise<{ failoverMs: number; promoted: number }> {
    const replicas = [...this.redis.cli(port, 'info', 'replication').matchAll(/port=(\d+)/g)].map(
      (match) => Number(match[1]),
    );
    if (replicas.length === 0) throw new Error(`the primary on ${port} has no replica`);
    const killedAt = Date.now();
    this.redis.kill(port);
    let promoted = 0;
    await waitUntil(
      () => {
        const found = replicas.find((replica) =>
          this.redis.cli(replica, 'role').startsWith('master'),
        );
        if (found === undefined) return false;
        promoted = found;
        return this.redis.cli(found, 'cluster', 'info').includes('cluster_state:ok');
      },
      FAILOVER_TIMEOUT_MS,
      `a replica of ${port} to take over`,
    );
    const failoverMs = Date.now() - killedAt;
    await this.redis.restart(port);
    await waitUntil(
      () => {
        const info = this.redis.cli(port, 'info', 'replication');
        return info.includes('role:slave') && info.includes('master_link_status:up');
      },
      FAILOVER_TIMEOUT_MS,
      `the old primary on ${port} to rejoin as a replica`,
    );
    return { failoverMs, promoted };
  }

  /**
   * Drops every Redis connection of relay node `name`, on every Redis node (CLIENT LIST, then
   * CLIENT KILL ID for each connection whose name carries the node's name): the node's client
   * must reconnect and carry on. Returns how many connections were killed.
   */
  dropRedisConnections(name: string): number {
    let killed = 0;
    for (const node of this.#running()) {
      const list = this.redis.cli(node.port, 'client', 'list');
      for (const line of list.split('\n')) {
        const id = /\bid=(\d+)/.exec(line)?.[1];
        const connectionName = /\bname=(\S*)/.exec(line)?.[1] ?? '';
        if (id === undefined || !connectionName.includes(name)) continue;
        if (this.redis.cli(node.port, 'client', 'kill', 'id', id) === '1') killed++;
      }
    }
    return killed;
  }

  /** How many Redis connections relay node `name` holds now, over every Redis node. */
  redisConnectionsOf(name: string): number {
    let count = 0;
    for (const node of this.#running()) {
      for (const line of this.redis.cli(node.port, 'client', 'list').split('\n')) {
        if ((/\bname=(\S*)/.exec(line)?.[1] ?? '').includes(name)) count++;
      }
    }
    return count;
  }

  /**
   * Reads every key and every value on every Redis node (primaries and replicas) and returns the
   * keys scanned and each place one of `words` appears (case-insensitively). First proves the
   * scan finds what it looks for: a canary value written through the cluster must be found.
   */
  async scanForWords(words: readonly string[]): Promise<{ keys: number; hits: string[] }> {
    const canaryWord = 'kindredscancanary';
    const canaryKey = `scan-canary:{${canaryWord}}`;
    const cluster = new Cluster(
      this.redis.addresses.slice(0, 1).map((address) => {
        const [host = '', port = ''] = address.split(':');
        return { host, port: Number(port) };
      }),
    );
    try {
      // Found on its primary at least (its replica may not have it yet).
      await cluster.hset(canaryKey, 'field', `before ${canaryWord.toUpperCase()} after`);
      const scanned = await this.#scanNodes([...words, canaryWord]);
      if (!scanned.hits.some((hit) => hit.includes(canaryWord))) {
        throw new Error('the scan did not find its canary: it cannot be trusted');
      }
      return {
        keys: scanned.keys,
        hits: scanned.hits.filter((hit) => !hit.includes(canaryWord)),
      };
    } finally {
      await cluster.del(canaryKey).catch(() => undefined);
      cluster.disconnect();
    }
  }

  async #scanNodes(words: readonly string[]): Promise<{ keys: number; hits: string[] }> {
    const needles = words.map((word) => word.toLowerCase());
    let keys = 0;
    const hits: string[] = [];
    for (const node of this.#running()) {
      const redis = new Redis({ host: '127.0.0.1', port: node.port, maxRetriesPerRequest: 2 });
      try {
        // A replica serves reads of its primary's keys only when asked to.
        await redis.call('READONLY');
        let cursor = '0';
        do {
          const [next, found] = await redis.scanBuffer(cursor, 'COUNT', 500);
          cursor = next.toString('latin1');
          for (const key of found) {
            keys++;
            const values = await valuesOf(redis, key);
            for (const bytes of [key, ...values]) {
              const text = bytes.toString('latin1').toLowerCase();
              for (const word of needles) {
                if (text.includes(word)) {
                  hits.push(`${word} in ${key.toString('latin1')} on ${node.port}`);
                }
              }
            }
          }
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    }
    return { keys, hits };
  }

  /** Stops the balancer, every node and the Redis Cluster; safe to call more than once. */
  async stop(): Promise<void> {
    await this.balancer.close();
    await Promise.allSettled(this.nodes.map((node) => node.relay.stop()));
    await this.redis.stop();
  }

  #running(): RedisNode[] {
    return this.redis.nodes.filter(
      (node) => node.process.exitCode === null && node.process.signalCode === null,
    );
  }
}

function healthPortOf(relay: RestartableRelay): number {
  const port = relay.metricsPort;
  if (port === undefined) throw new Error('a cluster node runs with --metrics-port');
  return port;
}

/** Every byte string a key holds, whatever its type. */
async function valuesOf(redis: Redis, key: Buffer): Promise<Buffer[]> {
  const type = await redis.type(key);
  const read = (command: string, ...args: (string | Buffer)[]): Promise<unknown> =>
    redis.callBuffer(command, [key, ...args]);
  switch (type) {
    case 'string':
      return flatten(await read('GET'));
    case 'hash':
      return flatten(await read('HGETALL'));
    case 'list':
      return flatten(await read('LRANGE', '0', '-1'));
    case 'set':
      return flatten(await read('SMEMBERS'));
    case 'zset':
      return flatten(await read('ZRANGE', '0', '-1', 'WITHSCORES'));
    case 'stream':
      return flatten(await read('XRANGE', '-', '+'));
    case 'none':
      // Deleted between SCAN and TYPE.
      return [];
    default:
      throw new Error(`a key of type ${type}: the scan does not know how to read it`);
  }
}

function flatten(reply: unknown): Buffer[] {
  if (Buffer.isBuffer(reply)) return [reply];
  if (Array.isArray(reply)) return reply.flatMap(flatten);
  return [];
}

/** Runs the stops a start tracked, newest first, each even if another failed. */
export async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
}
