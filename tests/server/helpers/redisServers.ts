// Real Redis servers on loopback for the tests: one standalone server, or a Redis Cluster of
// primaries with replicas, each in its own temporary folder, torn down (processes and folders) by
// `stop()`. Nothing here is a stand-in: the servers are Debian's `redis-server`, configured as
// docs/running-a-cluster.md tells an operator to (AOF with `appendfsync always`).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { makeTempDir } from './testRelay.js';

export interface RedisNode {
  readonly port: number;
  readonly dir: string;
  process: ChildProcess;
}

export interface RunningRedis {
  /** `host:port` of every node, primaries first (in a cluster: as `--cluster create` got them). */
  readonly addresses: readonly string[];
  readonly nodes: readonly RedisNode[];
  /** Sends a command to one node with redis-cli and returns its output (trimmed). */
  cli(port: number, ...args: string[]): string;
  /** SIGKILLs a node (a crash); `restart` brings it back on its folder and port. */
  kill(port: number): void;
  restart(port: number): Promise<void>;
  /** Stops every node and deletes their folders. */
  stop(): Promise<void>;
}

const REDIS_SERVER = 'redis-server';
const REDIS_CLI = 'redis-cli';
const HOST = '127.0.0.1';

/** Whether Debian's redis-server is installed (.ci/run installs it; a developer may not have it). */
export function redisAvailable(): boolean {
  return spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** One standalone Redis with AOF `appendfsync always`. */
export async function startRedis(): Promise<RunningRedis> {
  const [port] = await freePorts(1, false);
  return start([port ?? 0], false);
}

/**
 * A Redis Cluster of `primaries` primaries with `replicasPerPrimary` replicas each, created with
 * `redis-cli --cluster create` and waited for until every node says `cluster_state:ok`.
 */
export async function startRedisCluster(
  primaries = 3,
  replicasPerPrimary = 1,
): Promise<RunningRedis> {
  const ports = await freePorts(primaries * (1 + replicasPerPrimary), true);
  const running = await start(ports, true);
  try {
    const created = spawnSync(
      REDIS_CLI,
      [
        '--cluster',
        'create',
        ...running.addresses,
        '--cluster-replicas',
        String(replicasPerPrimary),
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (created.status !== 0) {
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    await waitFor(
      () =>
        ports.every((port) => running.cli(port, 'cluster', 'info').includes('cluster_state:ok')),
      30_000,
      'the cluster to be ok',
    );
    // Replicas attach asynchronously: wait until every primary has its replicas online, so a
    // test that kills a primary has a replica to fail over to.
    await waitFor(
      () =>
        running.addresses.slice(0, primaries).every((address) => {
          const port = Number(address.split(':')[1]);
          const info = running.cli(port, 'info', 'replication');
          return (
            info.includes('role:master') &&
            (info.match(/state=online/g)?.length ?? 0) >= replicasPerPrimary
          );
        }),
      30_000,
      'every primary to have its replicas online',
    );
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function start(ports: readonly number[], cluster: boolean): Promise<RunningRedis> {
  const nodes: RedisNode[] = [];
  const launch = (node: { port: number; dir: string }): ChildProcess => {
    const args = [
      '--port',
      String(node.port),
      '--bind',
      HOST,
      '--dir',
      node.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--protected-mode',
      'no',
      '--loglevel',
      'warning',
      ...(cluster
        ? [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            // Short, so a failover in the fault tests takes seconds; wide enough for a busy CI.
            '--cluster-node-timeout',
            '3000',
          ]
        : []),
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    return child;
  };
  const running: RunningRedis = {
    addresses: ports.map((port) => `${HOST}:${port}`),
    nodes,
    cli: (port, ...args) =>
      spawnSync(REDIS_CLI, ['-h', HOST, '-p', String(port), ...args], {
        encoding: 'utf8',
        timeout: 10_000,
      }).stdout.trim(),
    kill(port) {
      node(port).process.kill('SIGKILL');
    },
    async restart(port) {
      const found = node(port);
      found.process = launch(found);
      await waitFor(() => running.cli(port, 'ping') === 'PONG', 20_000, `redis on ${port}`);
    },
    async stop() {
      await Promise.all(nodes.map((each) => stopProcess(each.process)));
      await Promise.all(nodes.map((each) => rm(each.dir, { recursive: true, force: true })));
    },
  };
  const node = (port: number): RedisNode => {
    const found = nodes.find((each) => each.port === port);
    if (found === undefined) throw new Error(`no redis node on ${port}`);
    return found;
  };
  try {
    for (const port of ports) {
      const dir = await makeTempDir('kindred-redis-test-');
      const each: RedisNode = { port, dir, process: launch({ port, dir }) };
      nodes.push(each);
    }
    for (const port of ports) {
      await waitFor(() => running.cli(port, 'ping') === 'PONG', 20_000, `redis on ${port}`);
    }
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGKILL');
  await exited;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `count` distinct free loopback ports; with `withBus`, each port + 10000 is free too (a cluster
 * node's bus port).
 */
async function freePorts(count: number, withBus: boolean): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await anyFreePort();
    if (port > 55_000 || ports.includes(port)) continue;
    if (withBus && !(await portIsFree(port + 10_000))) continue;
    ports.push(port);
  }
  return ports;
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(true);
    });
  });
}
