/**
 * The relay under load (issue #3), next to a bare WebSocket forwarder measured in the same run
 * with the same load generator.
 *
 * Three child processes (bench/relay/): the relay (startRelay on a temporary LevelDB folder,
 * registration open), the bare forwarder, and the load generator: 50 anonymous senders pipelining
 * 1 KiB SendEnvelopes to 50 authenticated recipients that acknowledge what they are delivered.
 * Each server runs alone in its process, so its process.cpuUsage() is its own CPU. Everything
 * listens on 127.0.0.1; the children exit when the suite ends, fails or is interrupted, and the
 * temporary folder is deleted.
 *
 * Rows: saturation throughput (ratio relay/bare against the issue's ≥ 0.40 target), the server's
 * CPU per message, and p50/p99 latency (send → SendAck, send → delivery) at two fixed offered
 * loads: 5,000/s and 20,000/s, or less when the relay cannot sustain 20,000/s on this machine.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostReady, HostUsage } from '../relay/host.js';
import type {
  ConnectParams,
  RateParams,
  RateResult,
  SaturateParams,
  SaturateResult,
  TargetName,
} from '../relay/loadgen.js';
import { ChildRpc } from '../relay/rpc.js';
import { statsOf } from '../measure.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

export const cases = ['throughput', 'latency'] as const;
type CaseName = (typeof cases)[number];

const SENDERS = 50;
const RECIPIENTS = 50;
/** Envelopes each sender keeps in flight at saturation (the relay stops reading a connection
 * with 256 unanswered). */
const WINDOW = 32;
const LOW_RATE = 5000;
const HIGH_RATE = 20_000;
/**
 * When the relay cannot sustain HIGH_RATE, the high load is this share of its saturation rate; when
 * it cannot even sustain LOW_RATE (a slow or busy machine), that share is the only load, so the
 * latency rows still describe a relay that keeps up rather than a queue that grows.
 */
const HEADROOM = 0.8;
/** The lowest load the latency rows use, however slow the relay is here. */
const MIN_RATE = 500;
/** A sender skips its turn with this many envelopes unacknowledged (the load is then not
 * sustained). */
const MAX_IN_FLIGHT = 2000;
/** The target: the relay keeps at least this share of the bare forwarder's throughput. */
const THROUGHPUT_TARGET = 0.4;
/** A load generator using this much CPU during the bare runs is what limits them. */
const LOADGEN_BOUND_CORES = 0.85;

/** When set, the relay process writes a V8 CPU profile into this folder as it exits. */
const PROFILE_VARIABLE = 'KINDRED_BENCH_RELAY_CPU_PROFILE';
const HOST_SCRIPT = new URL('../relay/host.ts', import.meta.url);
const LOADGEN_SCRIPT = new URL('../relay/loadgen.ts', import.meta.url);
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** Beyond a phase's own length: the load generator waits up to 30 s for it to drain. */
const PHASE_SLACK_MS = 45_000;

interface Timing {
  /** Saturation: untimed warm-up, then the timed window. */
  readonly warmupMs: number;
  readonly measureMs: number;
  /** Fixed rate: sent before the timed window (not sampled), then the timed window. */
  readonly rampMs: number;
  readonly latencyMs: number;
}

function timingFor(options: BenchOptions): Timing {
  return options.quick
    ? { warmupMs: 250, measureMs: 500, rampMs: 200, latencyMs: 500 }
    : { warmupMs: 500, measureMs: 2000 * options.targetSeconds, rampMs: 250, latencyMs: 1500 };
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const wanted = (name: CaseName): boolean => options.cases?.has(name) ?? true;
  const timing = timingFor(options);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-relay-'));
  const children = new Set<ChildRpc>();
  // Interrupted (Ctrl-C): kill the children, delete the folder, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) child.killNow();
    rmSync(root, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let bench: RelayBench | undefined;
  try {
    options.log('relay: starting the relay, the bare forwarder and the load generator');
    bench = await RelayBench.start(root, children, options);
    options.log('relay: warming up both sides (one untimed saturation run each)');
    const warmup = { warmupMs: timing.warmupMs, measureMs: timing.warmupMs };
    await bench.saturate('bare', warmup);
    const probe = await bench.saturate('relay', warmup);

    const rows: BenchRow[] = [];
    let relayCapacity = probe.rate;
    if (wanted('throughput')) {
      const throughput = await throughputRows(bench, timing, options);
      rows.push(...throughput.rows);
      relayCapacity = throughput.relayRate;
    }
    if (wanted('latency')) {
      // The latency runs start from an empty store, so their figures do not depend on which runs
      // came before (deleted envelopes slow LevelDB down until it compacts them), and warm up at
      // the lower rate.
      options.log('relay/latency: a fresh relay (empty store), warmed up at the lower rate');
      await bench.freshRelay();
      const warmupRate = latencyRates(relayCapacity).rates[0] ?? LOW_RATE;
      await bench.rate('relay', warmupRate, { ...timing, latencyMs: timing.warmupMs });
      rows.push(...(await latencyRows(bench, timing, relayCapacity, options)));
    }
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The load generator first, so the servers see their clients leave rather than vanish.
    await bench?.loadgen.stop(STOP_TIMEOUT_MS);
    for (const child of children) await child.stop(STOP_TIMEOUT_MS);
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The processes, and one run of each kind

/** What one phase cost the server process (every thread), from its process.cpuUsage(). */
interface ServerCost {
  /** CPU per message, µs. */
  readonly cpuMicrosPerMessage: number;
  /** CPU cores used on average over the phase. */
  readonly cores: number;
  /** Relay only: envelopes per synced LevelDB batch. */
  readonly envelopesPerCommit: number | undefined;
}

interface SaturationRun extends ServerCost {
  readonly rate: number;
  readonly loadgenCores: number;
}

type RateRun = RateResult & ServerCost;

/** The three child processes, the load generator connected to both servers. */
class RelayBench {
  readonly #root: string;
  readonly #children: Set<ChildRpc>;
  readonly #profile: readonly string[];
  readonly loadgen: ChildRpc;
  readonly #hosts: Record<TargetName, ChildRpc>;
  #relays = 1;

  private constructor(
    root: string,
    children: Set<ChildRpc>,
    profile: readonly string[],
    loadgen: ChildRpc,
    hosts: Record<TargetName, ChildRpc>,
  ) {
    this.#root = root;
    this.#children = children;
    this.#profile = profile;
    this.loadgen = loadgen;
    this.#hosts = hosts;
  }

  /**
   * Starts the children in parallel, each added to `children` as soon as it is up (so the caller
   * can stop it even if another failed), and connects the load generator to both servers.
   */
  static async start(
    root: string,
    children: Set<ChildRpc>,
    options: BenchOptions,
  ): Promise<RelayBench> {
    const profileDir = process.env[PROFILE_VARIABLE];
    const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    if (profileDir !== undefined) {
      options.log(`relay: each relay process writes a CPU profile to ${profileDir} as it exits`);
    }
    const track = async (
      starting: Promise<{ child: ChildRpc; ready: unknown }>,
    ): Promise<{ child: ChildRpc; ready: unknown }> => {
      const started = await starting;
      children.add(started.child);
      return started;
    };
    const starting = [
      track(startRelayHost(join(root, 'relay-1'), profile)),
      track(ChildRpc.start('bare forwarder', HOST_SCRIPT, ['bare'], START_TIMEOUT_MS)),
      track(ChildRpc.start('load generator', LOADGEN_SCRIPT, [], START_TIMEOUT_MS)),
    ] as const;
    await Promise.allSettled(starting);
    const relay = await starting[0];
    const bare = await starting[1];
    const loadgen = (await starting[2]).child;
    const bench = new RelayBench(root, children, profile, loadgen, {
      relay: relay.child,
      bare: bare.child,
    });
    await bench.#connect('relay', relay.ready);
    await bench.#connect('bare', bare.ready);
    return bench;
  }

  /** Replaces the relay with a new one on an empty store (the old folder is deleted). */
  async freshRelay(): Promise<void> {
    await this.loadgen.call('disconnect', { target: 'relay' }, STOP_TIMEOUT_MS);
    const old = this.#hosts.relay;
    await old.stop(STOP_TIMEOUT_MS);
    this.#children.delete(old);
    await rm(join(this.#root, `relay-${this.#relays}`), { recursive: true, force: true });
    this.#relays += 1;
    const relay = await startRelayHost(join(this.#root, `relay-${this.#relays}`), this.#profile);
    this.#children.add(relay.child);
    this.#hosts.relay = relay.child;
    await this.#connect('relay', relay.ready);
  }

  async #connect(target: TargetName, ready: unknown): Promise<void> {
    const params: ConnectParams = {
      target,
      url: urlOf(ready),
      senders: SENDERS,
      recipients: RECIPIENTS,
    };
    await this.loadgen.call('connect', params, START_TIMEOUT_MS);
  }

  async saturate(
    target: TargetName,
    timing: { readonly warmupMs: number; readonly measureMs: number },
  ): Promise<SaturationRun> {
    const params: SaturateParams = { target, window: WINDOW, ...timing };
    const result = await this.#measured(target, () =>
      this.loadgen.call<SaturateResult>(
        'saturate',
        params,
        timing.warmupMs + timing.measureMs + PHASE_SLACK_MS,
      ),
    );
    return { ...result, loadgenCores: result.cpuMicros / (result.wallMs * 1000) };
  }

  rate(target: TargetName, rate: number, timing: Timing): Promise<RateRun> {
    const params: RateParams = {
      target,
      rate,
      rampMs: timing.rampMs,
      measureMs: timing.latencyMs,
      maxInFlight: MAX_IN_FLIGHT,
    };
    return this.#measured(target, () =>
      this.loadgen.call<RateResult>(
        'rate',
        params,
        timing.rampMs + timing.latencyMs + PHASE_SLACK_MS,
      ),
    );
  }

  /** Runs a phase between two readings of the server's CPU. */
  async #measured<Result extends { readonly messages: number; readonly wallMs: number }>(
    target: TargetName,
    phase: () => Promise<Result>,
  ): Promise<Result & ServerCost> {
    const host = this.#hosts[target];
    const before = await host.call<HostUsage>('usage', null, CALL_TIMEOUT_MS);
    const result = await phase();
    const after = await host.call<HostUsage>('usage', null, CALL_TIMEOUT_MS);
    const cpuMicros =
      after.userMicros + after.systemMicros - (before.userMicros + before.systemMicros);
    const batches = (after.commits?.batches ?? 0) - (before.commits?.batches ?? 0);
    const appended = (after.commits?.requests ?? 0) - (before.commits?.requests ?? 0);
    return {
      ...result,
      cpuMicrosPerMessage: cpuMicros / result.messages,
      cores: cpuMicros / (result.wallMs * 1000),
      envelopesPerCommit: batches > 0 ? appended / batches : undefined,
    };
  }
}

function startRelayHost(
  dataDir: string,
  nodeOptions: readonly string[],
): Promise<{ child: ChildRpc; ready: unknown }> {
  return ChildRpc.start('relay', HOST_SCRIPT, ['relay', dataDir], START_TIMEOUT_MS, nodeOptions);
}

/**
 * `repetitions` runs of each side, alternating which goes first (as measurePair does), so drift
 * does not always land on one side.
 */
async function alternate<T>(
  repetitions: number,
  relay: () => Promise<T>,
  bare: () => Promise<T>,
): Promise<{ relay: T[]; bare: T[] }> {
  const runs = { relay: [] as T[], bare: [] as T[] };
  for (let rep = 0; rep < repetitions; rep++) {
    if (rep % 2 === 0) {
      runs.bare.push(await bare());
      runs.relay.push(await relay());
    } else {
      runs.relay.push(await relay());
      runs.bare.push(await bare());
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Rows

async function throughputRows(
  bench: RelayBench,
  timing: Timing,
  options: BenchOptions,
): Promise<{ rows: BenchRow[]; relayRate: number }> {
  options.log(
    `relay/throughput: saturation, ${SENDERS} senders × ${WINDOW} in flight → ${RECIPIENTS} ` +
      `recipients; ${options.repetitions} runs of ${timing.measureMs / 1000} s per side`,
  );
  const window = { warmupMs: timing.warmupMs, measureMs: timing.measureMs };
  const logged = (target: TargetName) => async (): Promise<SaturationRun> => {
    const run = await bench.saturate(target, window);
    options.log(
      `relay/throughput: ${target.padEnd(5)} ${formatRate(run.rate)}/s, ` +
        `${run.cpuMicrosPerMessage.toFixed(1)} µs CPU per message, server ${run.cores.toFixed(2)} ` +
        `cores, load generator ${run.loadgenCores.toFixed(2)}`,
    );
    return run;
  };
  const runs = await alternate(options.repetitions, logged('relay'), logged('bare'));
  const rate = pair(runs, (run) => run.rate);
  const cpu = pair(runs, (run) => run.cpuMicrosPerMessage);
  const cores = pair(runs, (run) => run.cores);
  const loadgenCores = pair(runs, (run) => run.loadgenCores);
  const ratio = rate.relay.median / rate.bare.median;
  const verdict = ratio >= THROUGHPUT_TARGET ? 'meets' : 'BELOW';
  // The load generator near a full core: the baseline measured the CPUs, not the forwarder.
  const bareBound =
    loadgenCores.bare.median >= LOADGEN_BOUND_CORES
      ? " (bare bound by the load generator's core: the ratio flatters the relay)"
      : '';
  return {
    relayRate: rate.relay.median,
    rows: [
      {
        name: '1:1 throughput, 100 clients',
        unit: 'ops/s',
        kindred: rate.relay,
        baseline: rate.bare,
        ratio,
        note:
          `op = one 1 KiB envelope sent, synced (relay), SendAck'd, delivered, acknowledged; ` +
          `${SENDERS} anonymous senders × ${WINDOW} in flight → ${RECIPIENTS} recipients` +
          `${commitNote(runs.relay)}; CPU cores: relay ${cores.relay.median.toFixed(2)}, ` +
          `bare ${cores.bare.median.toFixed(2)}, load generator ` +
          `${loadgenCores.relay.median.toFixed(2)} / ${loadgenCores.bare.median.toFixed(2)}` +
          `${bareBound}; ` +
          `${verdict} the ≥ ${THROUGHPUT_TARGET.toFixed(2)} target`,
      },
      {
        name: 'relay CPU per 1,000 messages',
        unit: 'ms',
        kindred: cpu.relay,
        baseline: cpu.bare,
        ratio: cpu.relay.median / cpu.bare.median,
        note:
          'process.cpuUsage() of the server process (all threads) over a saturation run ÷ its ' +
          'messages; = µs per message; lower is better',
      },
    ],
  };
}

/**
 * The offered loads of the latency rows: LOW_RATE and HIGH_RATE when the relay sustains them
 * here, HEADROOM of its saturation rate in place of the one it cannot, and `capped`, the note
 * that says so (for the last rate).
 */
function latencyRates(relayCapacity: number): { rates: number[]; capped: string } {
  const share = relayCapacity * HEADROOM;
  const beyond = (rate: number): string =>
    `; ${formatRate(rate)}/s is beyond the relay here (it saturates at ` +
    `~${formatRate(relayCapacity)}/s)`;
  const instead = `, so ${Math.round(HEADROOM * 100)} % of that instead`;
  if (share < LOW_RATE) {
    const only = Math.max(MIN_RATE, Math.floor(share / 100) * 100);
    return { rates: [only], capped: `${beyond(LOW_RATE)}${instead}` };
  }
  const high = Math.min(HIGH_RATE, Math.floor(share / 1000) * 1000);
  if (high >= HIGH_RATE) return { rates: [LOW_RATE, HIGH_RATE], capped: '' };
  return high > LOW_RATE
    ? { rates: [LOW_RATE, high], capped: `${beyond(HIGH_RATE)}${instead}` }
    : { rates: [LOW_RATE], capped: beyond(HIGH_RATE) };
}

async function latencyRows(
  bench: RelayBench,
  timing: Timing,
  relayCapacity: number,
  options: BenchOptions,
): Promise<BenchRow[]> {
  const { rates, capped } = latencyRates(relayCapacity);
  const rows: BenchRow[] = [];
  for (const rate of rates) {
    options.log(
      `relay/latency: ${formatRate(rate)}/s offered; ${options.repetitions} runs of ` +
        `${timing.latencyMs / 1000} s per side`,
    );
    const runs = await alternate(
      options.repetitions,
      () => bench.rate('relay', rate, timing),
      () => bench.rate('bare', rate, timing),
    );
    let notSustained = '';
    for (const side of ['relay', 'bare'] as const) {
      const short = runs[side].filter((run) => !run.sustained);
      if (short.length === 0) continue;
      options.log(
        `relay/latency: ${side} did not sustain ${formatRate(rate)}/s in ${short.length} of ` +
          `${runs[side].length} runs (delivered ` +
          `${short.map((run) => formatRate(run.delivered)).join(', ')}/s)`,
      );
      notSustained += `; ${side} NOT sustained in ${short.length}/${runs[side].length} runs`;
    }
    const relayCpu = statsOf(runs.relay.map((run) => run.cpuMicrosPerMessage)).median;
    const samples = statsOf(runs.relay.map((run) => run.deliver.samples)).median;
    const note =
      `${formatRate(rate)}/s offered${rate === rates[rates.length - 1] ? capped : ''}; ` +
      `~${formatRate(samples)} samples per run; relay: ${relayCpu.toFixed(0)} µs CPU per ` +
      `message${commitNote(runs.relay)}${notSustained}; lower is better`;
    const metrics = [
      ['send→SendAck', (run: RateRun) => run.sendAck],
      ['send→delivered', (run: RateRun) => run.deliver],
    ] as const;
    for (const [what, pick] of metrics) {
      for (const percentile of ['p50', 'p99'] as const) {
        const stats = pair(runs, (run) => pick(run)[percentile]);
        rows.push({
          name: `${what} ${percentile} @ ${formatRate(rate)}/s`,
          unit: 'ms',
          kindred: stats.relay,
          baseline: stats.bare,
          ratio: stats.relay.median / stats.bare.median,
          note,
        });
      }
    }
  }
  return rows;
}

/** The url a host's ready message carries. */
function urlOf(ready: unknown): string {
  const url = (ready as Partial<HostReady> | null)?.url;
  if (typeof url !== 'string' || !url.startsWith('ws://127.0.0.1:')) {
    throw new Error('a server did not report a ws://127.0.0.1 url');
  }
  return url;
}

function pair<T>(
  runs: { readonly relay: readonly T[]; readonly bare: readonly T[] },
  figure: (run: T) => number,
): { relay: Stats; bare: Stats } {
  return { relay: statsOf(runs.relay.map(figure)), bare: statsOf(runs.bare.map(figure)) };
}

/** "~N envelopes per synced write", from the relay's group-commit counters. */
function commitNote(runs: readonly ServerCost[]): string {
  const perCommit = runs
    .map((run) => run.envelopesPerCommit)
    .filter((value): value is number => value !== undefined);
  if (perCommit.length === 0) return '';
  return `; ~${formatRate(statsOf(perCommit).median)} envelopes per synced write`;
}

function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
