/**
 * The relay's memory under a long, steady load: 1,000 clients sending 200 messages per second in
 * total for 10 minutes (`--sustain-seconds`, 30 s with --quick), then idle, next to the bare
 * forwarder carrying the same load at the same time.
 *
 * Four child processes: the relay (startRelay on a temporary LevelDB store, host.ts), the bare
 * forwarder, and one load generator (loadgen.ts) per server, so each server's load is generated
 * alike and neither waits on the other. 200 messages per second cost either server a few per cent
 * of a core, so running both at once does not skew the memory figures, and saves repeating the
 * whole load.
 *
 * Each client is a persona with two connections, as core's client holds them: an authenticated one
 * that receives its mailbox and acknowledges every delivery, and an anonymous one it sends sealed
 * envelopes (1 KiB) on. Messages leave at a fixed total rate, round robin over the clients (each
 * sends one every 5 s), client i's n-th message to client (i + n) mod 1,000.
 *
 * Each server's memory (process.memoryUsage()) is sampled every 500 ms from before the load to the
 * end of the idle period. One run: the min–max of a figure are over its samples, not over runs.
 */
import { join } from 'node:path';
import { ChildGroup, sleep } from '../relay/ChildGroup.js';
import type { StartedServer } from '../relay/ChildGroup.js';
import { FILE_HEADROOM, descriptorsFor, fileLimits } from '../relay/fileLimits.js';
import type { HostMemory } from '../relay/host.js';
import type { ConnectParams, RateParams, RateResult, TargetName } from '../relay/loadgen.js';
import type { ChildRpc, ChildSettings } from '../relay/rpc.js';
import { formatCount, statsOf } from '../measure.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

export const CLIENTS = 1000;
/** Messages per second, all clients together. */
export const RATE = 200;
const SAMPLE_MS = 500;
/** Sampled before the load starts, with every client connected. */
const START_WINDOW_MS = 5000;
/** The "end" and "after idle" figures: the samples in the last this-many ms of each period. */
const END_WINDOW_MS = 5000;
/**
 * How long the clients stay connected with nothing to send after the load. Below the relay's
 * anonymous idle timeout (60 s by default), so the sending connections are still open at the end.
 */
const IDLE_MS = { full: 45_000, quick: 15_000 } as const;
/** A sender skips its turn with this many envelopes unacknowledged (the run then did not sustain
 * its load, and the note says so). */
const MAX_IN_FLIGHT = 2000;
const LOADGEN_SCRIPT = new URL('../relay/loadgen.ts', import.meta.url);
const CONNECT_TIMEOUT_MS = 10 * 60 * 1000;
const CALL_TIMEOUT_MS = 30_000;
/** Beyond the load itself: the load generator waits up to 30 s for the last envelopes. */
const LOAD_SLACK_MS = 2 * 60 * 1000;

const SIDES = ['relay', 'bare'] as const satisfies readonly TargetName[];
type Side = (typeof SIDES)[number];

interface Sample {
  readonly at: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** The timeline of the run, in performance.now() ms. */
interface Timeline {
  readonly loadStart: number;
  readonly loadEnd: number;
  readonly idleEnd: number;
}

interface SideResult {
  readonly samples: readonly Sample[];
  readonly load: RateResult;
  /** After a full GC, just before the start window and after the idle period. */
  readonly collectedStart: HostMemory;
  readonly collectedEnd: HostMemory;
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const loadMs = options.sustainSeconds * 1000;
  const idleMs = options.quick ? IDLE_MS.quick : IDLE_MS.full;
  // Each server holds 2,000 sockets, and so does each load generator.
  const limits = await fileLimits();
  const descriptors = descriptorsFor(limits, 2 * CLIENTS);
  if (descriptors === undefined) {
    const why =
      `SKIPPED: ${formatCount(2 * CLIENTS)} sockets per process need ` +
      `${formatCount(2 * CLIENTS + FILE_HEADROOM)} file descriptors, above the hard limit here ` +
      `(ulimit -Hn ${limits.hard}); raise it and run again`;
    options.log(`sustain: ${why}`);
    return skippedRows(why, idleMs);
  }
  if (descriptors.maxOpenFiles !== undefined) {
    options.log(
      `sustain: raising the children's file-descriptor limit from ${limits.soft} to ` +
        `${descriptors.maxOpenFiles} (ulimit -Sn in a child shell; hard limit ${limits.hard})`,
    );
  }
  // Every child outlives the default 10-minute bound when the load is long.
  const settings: ChildSettings = {
    ...descriptors,
    lifetimeMs: loadMs + idleMs + CONNECT_TIMEOUT_MS + LOAD_SLACK_MS,
  };
  const group = await ChildGroup.create('kindred-bench-sustain-');
  const loadgens: ChildRpc[] = [];
  try {
    options.log('sustain: starting the relay, the bare forwarder and a load generator for each');
    const servers = {
      relay: await group.startServer(
        'relay',
        { ...settings, nodeOptions: ['--expose-gc'] },
        {
          dataDir: join(group.root, 'relay'),
          // 2,000 connections from one address; the default (100 per address) is against abuse.
          overrides: { maxConnectionsPerAddress: 2 * CLIENTS + 100 },
        },
      ),
      bare: await group.startServer(
        'bare',
        { ...settings, nodeOptions: ['--expose-gc'] },
        undefined,
      ),
    };
    for (const side of SIDES) {
      loadgens.push(
        (await group.start(`load generator (${side})`, LOADGEN_SCRIPT, [], settings)).child,
      );
    }
    const loadgen = (side: Side): ChildRpc => {
      const child = loadgens[SIDES.indexOf(side)];
      if (child === undefined) throw new Error(`no load generator for ${side}`);
      return child;
    };
    options.log(
      `sustain: connecting ${formatCount(CLIENTS)} clients to each (an authenticated ` +
        'connection that registers and receives, an anonymous one that sends)',
    );
    const connectStarted = performance.now();
    await Promise.all(
      SIDES.map((side) => {
        const params: ConnectParams = {
          target: side,
          url: servers[side].url,
          senders: CLIENTS,
          recipients: CLIENTS,
        };
        return loadgen(side).call('connect', params, CONNECT_TIMEOUT_MS);
      }),
    );
    options.log(
      `sustain: connected in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s`,
    );

    const collectedStart = await bothMemory(servers, true);
    const samplers = {
      relay: new MemorySampler(servers.relay),
      bare: new MemorySampler(servers.bare),
    };
    await sleep(START_WINDOW_MS);
    options.log(
      `sustain: ${RATE} messages/s for ${options.sustainSeconds} s to each server, then ` +
        `${idleMs / 1000} s idle`,
    );
    const loadStart = performance.now();
    const progress = setInterval(() => {
      const elapsed = (performance.now() - loadStart) / 1000;
      options.log(
        `sustain: ${elapsed.toFixed(0)} s; RSS relay ${mib(samplers.relay.latest())} MiB, bare ` +
          `${mib(samplers.bare.latest())} MiB`,
      );
    }, 60_000);
    let loads: RateResult[];
    try {
      loads = await Promise.all(
        SIDES.map((side) => {
          const params: RateParams = {
            target: side,
            rate: RATE,
            rampMs: 0,
            measureMs: loadMs,
            maxInFlight: MAX_IN_FLIGHT,
          };
          return loadgen(side).call<RateResult>('rate', params, loadMs + LOAD_SLACK_MS);
        }),
      );
    } finally {
      clearInterval(progress);
    }
    const loadEnd = performance.now();
    options.log(`sustain: load done; idle for ${idleMs / 1000} s`);
    await sleep(idleMs);
    const idleEnd = performance.now();
    const samples = { relay: await samplers.relay.stop(), bare: await samplers.bare.stop() };
    const collectedEnd = await bothMemory(servers, true);
    const result = (side: Side): SideResult => {
      const load = loads[SIDES.indexOf(side)];
      if (load === undefined) throw new Error(`no load result for ${side}`);
      return {
        samples: samples[side],
        load,
        collectedStart: collectedStart[side],
        collectedEnd: collectedEnd[side],
      };
    };
    return rows(
      { relay: result('relay'), bare: result('bare') },
      { loadStart, loadEnd, idleEnd },
      { loadSeconds: options.sustainSeconds, idleMs },
      options,
    );
  } finally {
    // The load generators first, so the servers see their clients leave rather than vanish.
    await group.close(loadgens);
  }
}

/** Polls one server's memory every SAMPLE_MS until stopped. */
class MemorySampler {
  readonly #server: StartedServer;
  readonly #samples: Sample[] = [];
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(server: StartedServer) {
    this.#server = server;
    this.#done = this.#loop();
  }

  latest(): number {
    return this.#samples[this.#samples.length - 1]?.rssBytes ?? Number.NaN;
  }

  async stop(): Promise<Sample[]> {
    this.#stopped = true;
    await this.#done;
    return this.#samples;
  }

  async #loop(): Promise<void> {
    let next = performance.now();
    while (!this.#stopped) {
      const memory = await this.#server.child.call<HostMemory>(
        'memory',
        { gc: false },
        CALL_TIMEOUT_MS,
      );
      this.#samples.push({
        at: performance.now(),
        rssBytes: memory.rssBytes,
        heapUsedBytes: memory.heapUsedBytes,
      });
      next += SAMPLE_MS;
      await sleep(Math.max(0, next - performance.now()));
    }
  }
}

async function bothMemory(
  servers: Record<Side, StartedServer>,
  gc: boolean,
): Promise<Record<Side, HostMemory>> {
  const read = (side: Side): Promise<HostMemory> =>
    servers[side].child.call<HostMemory>('memory', { gc }, CALL_TIMEOUT_MS);
  return { relay: await read('relay'), bare: await read('bare') };
}

function rows(
  results: Record<Side, SideResult>,
  timeline: Timeline,
  settings: { readonly loadSeconds: number; readonly idleMs: number },
  options: BenchOptions,
): BenchRow[] {
  /** RSS in MiB over the samples taken in [from, to]. */
  const window = (side: Side, from: number, to: number): Stats => {
    const inWindow = results[side].samples.filter((one) => one.at >= from && one.at <= to);
    if (inWindow.length === 0) throw new Error(`no ${side} memory samples in a window`);
    return statsOf(inWindow.map((one) => one.rssBytes / 2 ** 20));
  };
  const peak = (side: Side): Stats => {
    const samples = results[side].samples.filter((one) => one.at <= timeline.idleEnd);
    const largest = Math.max(...samples.map((one) => one.rssBytes)) / 2 ** 20;
    return { median: largest, min: largest, max: largest, runs: [largest] };
  };
  const figures = {
    start: (side: Side) => window(side, timeline.loadStart - START_WINDOW_MS, timeline.loadStart),
    peak,
    end: (side: Side) => window(side, timeline.loadEnd - END_WINDOW_MS, timeline.loadEnd),
    idle: (side: Side) => window(side, timeline.idleEnd - END_WINDOW_MS, timeline.idleEnd),
  };
  const loadCount = results.relay.samples.filter(
    (one) => one.at >= timeline.loadStart && one.at <= timeline.loadEnd,
  ).length;
  const heap = (side: Side, which: 'collectedStart' | 'collectedEnd'): string =>
    mib(results[side][which].heapUsedBytes);
  const load = (side: Side): string => {
    const one = results[side].load;
    return (
      `${side} delivered ${formatCount(one.delivered)}/s, send→delivered p50 ` +
      `${one.deliver.p50.toFixed(1)} ms, p99 ${one.deliver.p99.toFixed(1)} ms` +
      (one.sustained ? '' : ' (NOT sustained)')
    );
  };
  for (const side of SIDES) {
    if (!results[side].load.sustained) {
      options.log(`sustain: the ${side} did not sustain ${RATE}/s (${load(side)})`);
    }
  }
  const setup =
    `${formatCount(CLIENTS)} clients (each: an authenticated connection receiving and acking, ` +
    `an anonymous one sending 1 KiB sealed envelopes), ${RATE} messages/s in total for ` +
    `${settings.loadSeconds} s; relay on LevelDB, SendAck after a synced write; raw = bare ws ` +
    `forwarder under the same load at the same time; one run`;
  const make = (name: string, pick: (side: Side) => Stats, note: string): BenchRow => {
    const kindred = pick('relay');
    const baseline = pick('bare');
    return {
      name,
      unit: 'MiB',
      kindred,
      baseline,
      ratio: kindred.median / baseline.median,
      note,
    };
  };
  return [
    make(
      'relay RSS at start',
      figures.start,
      `${setup}; every client connected, before the load: median, min, max of the samples ` +
        `(every ${SAMPLE_MS} ms) over ${START_WINDOW_MS / 1000} s; lower is better`,
    ),
    make(
      'relay RSS peak',
      figures.peak,
      `the largest of the samples (every ${SAMPLE_MS} ms) from the start to the end of the idle ` +
        `period; ${load('relay')}; ${load('bare')}; lower is better`,
    ),
    make(
      `relay RSS at end of the ${settings.loadSeconds} s load`,
      figures.end,
      `the samples over the load's last ${END_WINDOW_MS / 1000} s (${formatCount(loadCount)} ` +
        `samples in the whole load); lower is better`,
    ),
    make(
      `relay RSS after ${settings.idleMs / 1000} s idle`,
      figures.idle,
      `the samples over the last ${END_WINDOW_MS / 1000} s of ${settings.idleMs / 1000} s ` +
        `without traffic, every client still connected; JS heap after a full GC, before the ` +
        `load → after the idle period: relay ${heap('relay', 'collectedStart')} → ` +
        `${heap('relay', 'collectedEnd')} MiB, bare ${heap('bare', 'collectedStart')} → ` +
        `${heap('bare', 'collectedEnd')} MiB; lower is better`,
    ),
  ];
}

function skippedRows(why: string, idleMs: number): BenchRow[] {
  const none: Stats = { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [] };
  return [
    'relay RSS at start',
    'relay RSS peak',
    'relay RSS at end of the load',
    `relay RSS after ${idleMs / 1000} s idle`,
  ].map((name) => ({ name, unit: 'MiB', kindred: none, baseline: none, note: why }));
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
