/**
 * What an idle connection costs the relay in memory: 10,000 authenticated WebSocket connections
 * held open, next to the bare forwarder holding the same 10,000.
 *
 * Each run starts a fresh server process (the relay on the suite's LevelDB store, or the bare
 * forwarder), warms it up with a few connections opened and closed, reads its memory after a full
 * garbage collection, opens the 10,000 connections from a separate client process (bench/relay/
 * clients.ts: each a persona authenticating over the real handshake), lets them settle, and reads
 * the memory again. The figure is the difference divided by the number of connections. Runs
 * alternate relay and bare, swapping which goes first.
 *
 * Every process holding the connections needs a file descriptor per socket: when the soft limit
 * (`ulimit -n`) is too low, the children are started through a shell that raises it; when the hard
 * limit is too low, the suite is skipped and its rows say so.
 */
import { join } from 'node:path';
import { ChildGroup, sleep } from '../relay/ChildGroup.js';
import type { StartedServer } from '../relay/ChildGroup.js';
import type { OpenIdleParams, OpenIdleResult } from '../relay/clients.js';
import { FILE_HEADROOM, descriptorsFor, fileLimits } from '../relay/fileLimits.js';
import type { HostMemory, HostLimitOverrides } from '../relay/host.js';
import type { ChildRpc, ChildSettings } from '../relay/rpc.js';
import { formatCount, statsOf } from '../measure.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

/** Connections held open in each run. */
export const IDLE_CONNECTIONS = 10_000;
/** Opened and closed before the first reading, so code paths are warm on both sides. */
const WARMUP_CONNECTIONS = 200;
/** Handshakes in progress at once while opening. */
const CONCURRENCY = 64;
/** Pause after the connections are open, before reading the memory. */
const SETTLE_MS = 1000;
const CLIENTS_SCRIPT = new URL('../relay/clients.ts', import.meta.url);
const OPEN_TIMEOUT_MS = 5 * 60 * 1000;
const CALL_TIMEOUT_MS = 30_000;
const CLIENTS_LIFETIME_MS = 60 * 60 * 1000;

type Side = 'relay' | 'bare';

interface SideRun {
  readonly before: HostMemory;
  readonly after: HostMemory;
  /** Once every connection has closed again (what stays: caches, fragmentation). */
  readonly closed: HostMemory;
  readonly openMs: number;
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const total = IDLE_CONNECTIONS + WARMUP_CONNECTIONS;
  const limits = await fileLimits();
  const descriptors = descriptorsFor(limits, total);
  if (descriptors === undefined) {
    const why =
      `SKIPPED: ${formatCount(total)} sockets per process need ` +
      `${formatCount(total + FILE_HEADROOM)} file descriptors, above the hard limit here ` +
      `(ulimit -Hn ${limits.hard}); raise it and run again`;
    options.log(`connections: ${why}`);
    return skippedRows(why);
  }
  if (descriptors.maxOpenFiles !== undefined) {
    options.log(
      `connections: raising the children's file-descriptor limit from ${limits.soft} to ` +
        `${descriptors.maxOpenFiles} (ulimit -Sn in a child shell; hard limit ${limits.hard})`,
    );
  }
  const group = await ChildGroup.create('kindred-bench-connections-');
  let clients: ChildRpc | undefined;
  try {
    // The client process lives through every run (minutes on a busy machine): past the default
    // 10-minute bound if need be, never past this one.
    clients = (
      await group.start('clients', CLIENTS_SCRIPT, [], {
        ...descriptors,
        lifetimeMs: CLIENTS_LIFETIME_MS,
      })
    ).child;
    const bench = new IdleBench(group, clients, { ...descriptors, nodeOptions: ['--expose-gc'] });
    options.log(
      `connections: registering ${formatCount(total)} personas on the relay (untimed: each ` +
        `registration is a synced write)`,
    );
    const registration = await bench.register(total);
    options.log(`connections: registered in ${(registration / 1000).toFixed(1)} s`);

    const runs = { relay: [] as SideRun[], bare: [] as SideRun[] };
    for (let rep = 0; rep < options.repetitions; rep++) {
      const order: Side[] = rep % 2 === 0 ? ['bare', 'relay'] : ['relay', 'bare'];
      for (const side of order) {
        const result = await bench.measure(side);
        runs[side].push(result);
        options.log(
          `connections: ${side.padEnd(5)} ${formatCount(IDLE_CONNECTIONS)} opened in ` +
            `${(result.openMs / 1000).toFixed(1)} s; RSS ${mib(result.before.rssBytes)} → ` +
            `${mib(result.after.rssBytes)} MiB, heap ${mib(result.before.heapUsedBytes)} → ` +
            `${mib(result.after.heapUsedBytes)} MiB; ` +
            `${kib(perConnection(result, (m) => m.rssBytes))} KiB RSS per connection`,
        );
      }
    }
    return rows(runs, descriptors.maxOpenFiles);
  } finally {
    await group.close(clients === undefined ? [] : [clients]);
  }
}

class IdleBench {
  readonly #group: ChildGroup;
  readonly #clients: ChildRpc;
  readonly #settings: ChildSettings;
  readonly #dataDir: string;
  /** The relay must accept every connection from one address (the defaults are 10,000 in all
   * and 100 per address, limits against abuse). */
  readonly #overrides: HostLimitOverrides = {
    maxConnections: IDLE_CONNECTIONS + WARMUP_CONNECTIONS + 100,
    maxConnectionsPerAddress: IDLE_CONNECTIONS + WARMUP_CONNECTIONS + 100,
  };

  constructor(group: ChildGroup, clients: ChildRpc, settings: ChildSettings) {
    this.#group = group;
    this.#clients = clients;
    this.#settings = settings;
    this.#dataDir = join(group.root, 'relay');
  }

  /** Opens a connection for every persona once, so the timed runs only authenticate. */
  async register(count: number): Promise<number> {
    const server = await this.#start('relay');
    try {
      const opened = await this.#open(server, 0, count);
      await this.#closeAll();
      return opened.ms;
    } finally {
      await this.#group.stop(server.child);
    }
  }

  /** One run on a fresh server process. */
  async measure(side: Side): Promise<SideRun> {
    const server = await this.#start(side);
    try {
      // Warm-up: the personas after the measured ones.
      await this.#open(server, IDLE_CONNECTIONS, WARMUP_CONNECTIONS);
      await this.#closeAll();
      await sleep(SETTLE_MS);
      const before = await this.#memory(server);
      const opened = await this.#open(server, 0, IDLE_CONNECTIONS);
      await sleep(SETTLE_MS);
      const after = await this.#memory(server);
      if (!before.collected || !after.collected) {
        throw new Error('the server host was started without --expose-gc');
      }
      await this.#closeAll();
      await sleep(SETTLE_MS);
      const closed = await this.#memory(server);
      return { before, after, closed, openMs: opened.ms };
    } finally {
      await this.#group.stop(server.child);
    }
  }

  #start(side: Side): Promise<StartedServer> {
    return this.#group.startServer(
      side,
      this.#settings,
      side === 'relay' ? { dataDir: this.#dataDir, overrides: this.#overrides } : undefined,
    );
  }

  async #open(server: StartedServer, from: number, count: number): Promise<OpenIdleResult> {
    const params: OpenIdleParams = { url: server.url, from, count, concurrency: CONCURRENCY };
    const opened = await this.#clients.call<OpenIdleResult>('openIdle', params, OPEN_TIMEOUT_MS);
    if (opened.opened !== count) {
      throw new Error(`opened ${opened.opened} connections, expected ${count}`);
    }
    return opened;
  }

  async #closeAll(): Promise<void> {
    const closed = await this.#clients.call<{ failure: string | null }>(
      'closeIdle',
      null,
      OPEN_TIMEOUT_MS,
    );
    if (closed.failure !== null) throw new Error(`an idle connection failed: ${closed.failure}`);
  }

  #memory(server: StartedServer): Promise<HostMemory> {
    return server.child.call<HostMemory>('memory', { gc: true }, CALL_TIMEOUT_MS);
  }
}

function perConnection(run: SideRun, pick: (memory: HostMemory) => number): number {
  return (pick(run.after) - pick(run.before)) / IDLE_CONNECTIONS;
}

function rows(
  runs: { readonly relay: readonly SideRun[]; readonly bare: readonly SideRun[] },
  raisedTo: number | undefined,
): BenchRow[] {
  const figure = (side: Side, pick: (memory: HostMemory) => number): Stats =>
    statsOf(runs[side].map((run) => perConnection(run, pick) / 1024));
  const median = (side: Side, pick: (run: SideRun) => number): number =>
    statsOf(runs[side].map(pick)).median;
  const total = (side: Side, moment: 'before' | 'after'): string =>
    mib(median(side, (run) => run[moment].rssBytes));
  const openRate = (side: Side): string =>
    formatCount(median(side, (run) => IDLE_CONNECTIONS / (run.openMs / 1000)));
  const external = (side: Side): string =>
    kib(median(side, (run) => perConnection(run, (m) => m.externalBytes)));
  /** Per connection, what closing them all gave back (the rest is caches and fragmentation). */
  const released = (side: Side, pick: (memory: HostMemory) => number): string =>
    kib(median(side, (run) => (pick(run.after) - pick(run.closed)) / IDLE_CONNECTIONS));
  const limitNote =
    raisedTo === undefined ? '' : `; file-descriptor limit raised to ${raisedTo} in the children`;
  const common =
    `${formatCount(IDLE_CONNECTIONS)} authenticated WebSocket connections to 127.0.0.1 (each a ` +
    `registered persona; Challenge → signed AuthResponse → AuthOk), held open idle; fresh server ` +
    `process per run, after a full GC, (after − before) ÷ ${formatCount(IDLE_CONNECTIONS)}; ` +
    `raw = bare ws forwarder (no auth check, no store)`;
  const rss = {
    kindred: figure('relay', (m) => m.rssBytes),
    raw: figure('bare', (m) => m.rssBytes),
  };
  const heap = {
    kindred: figure('relay', (m) => m.heapUsedBytes),
    raw: figure('bare', (m) => m.heapUsedBytes),
  };
  return [
    {
      name: `RSS per idle connection, ${formatCount(IDLE_CONNECTIONS)} open`,
      unit: 'KiB',
      kindred: rss.kindred,
      baseline: rss.raw,
      ratio: rss.kindred.median / rss.raw.median,
      note:
        `${common}; RSS before → after: relay ${total('relay', 'before')} → ` +
        `${total('relay', 'after')} MiB, bare ${total('bare', 'before')} → ` +
        `${total('bare', 'after')} MiB; given back once they closed (after GC): relay ` +
        `${released('relay', (m) => m.rssBytes)}, bare ${released('bare', (m) => m.rssBytes)} ` +
        `KiB per connection; opened at ${openRate('relay')} / ${openRate('bare')} ` +
        `connections/s (relay / bare, ${CONCURRENCY} handshakes at a time)${limitNote}; ` +
        `lower is better`,
    },
    {
      name: `JS heap per idle connection, ${formatCount(IDLE_CONNECTIONS)} open`,
      unit: 'KiB',
      kindred: heap.kindred,
      baseline: heap.raw,
      ratio: heap.kindred.median / heap.raw.median,
      note:
        `heapUsed after a full GC, same runs; given back once they closed: relay ` +
        `${released('relay', (m) => m.heapUsedBytes)}, bare ` +
        `${released('bare', (m) => m.heapUsedBytes)} KiB per connection (the rest: caches such ` +
        `as the relay's persona records); external memory (socket buffers, native objects) ` +
        `per connection: relay ${external('relay')} KiB, bare ${external('bare')} KiB; lower is ` +
        `better`,
    },
  ];
}

function skippedRows(why: string): BenchRow[] {
  const none: Stats = { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [] };
  return ['RSS', 'JS heap'].map((what) => ({
    name: `${what} per idle connection, ${formatCount(IDLE_CONNECTIONS)} open`,
    unit: 'KiB',
    kindred: none,
    baseline: none,
    note: why,
  }));
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(2);
}
