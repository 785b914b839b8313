/**
 * The relay cluster (issue #14): 1, 2 and 3 relay nodes on one Redis Cluster (3 primaries, 3
 * replicas, AOF `appendfsync always`, on loopback), next to the single-node LevelDB relay in the
 * same run, driven by the relay suite's load generator (bench/relay/loadgen.ts): 50 anonymous
 * senders pipelining 1 KiB envelopes to 50 authenticated recipients, their connections spread
 * round robin over the nodes (so most envelopes cross from one node to another through Redis).
 *
 * Every relay is `bin/kindred-server.js` in a process of its own, as an operator runs it; its CPU
 * comes from its /metrics (`process_cpu_*_seconds_total`), Redis's from `INFO cpu` of each
 * redis-server. On a machine with fewer cores than processes the nodes share CPUs, so the
 * measured throughput of N nodes says little about N machines; the CPU each node spends per
 * message does, and gives the model row: N nodes, each on a core of its own, carry
 * 1e6 / (the busiest node's µs per message) messages per second, until Redis is what limits.
 *
 * Rows per N: saturation throughput, relay CPU per 1,000 messages (all nodes, and per node),
 * send→delivered p50/p99 at one fixed rate (the same for every deployment), and the model;
 * baseline: the LevelDB relay.
 */
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisCluster } from '../../tests/server/helpers/redisServers.js';
import type { RunningRedis } from '../../tests/server/helpers/redisServers.js';
import { statsOf } from '../measure.js';
import { RelayNodeProcess } from '../relay/RelayNodeProcess.js';
import type {
  ConnectParams,
  RateParams,
  RateResult,
  SaturateParams,
  SaturateResult,
} from '../relay/loadgen.js';
import { ChildRpc } from '../relay/rpc.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

const SENDERS = 50;
const RECIPIENTS = 50;
/** Envelopes each sender keeps in flight at saturation (as the relay suite). */
const WINDOW = 32;
/** The most relay nodes measured. */
const MAX_NODES = 3;
/** The fixed rate of the latency rows: this share of the slowest deployment's saturation rate. */
const RATE_SHARE = 0.6;
const MIN_RATE = 200;
/** How long the nodes' idle CPU is measured, ms. */
const IDLE_MS = 1000;
const MAX_IN_FLIGHT = 2000;
/** The issue's aim: each added node adds at least this share of one node's capacity. */
const SCALING_TARGET = 0.8;
const LOADGEN_SCRIPT = new URL('../relay/loadgen.ts', import.meta.url);
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
/** Beyond a phase's own length: the load generator waits up to 30 s for it to drain. */
const PHASE_SLACK_MS = 45_000;

interface Timing {
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly rampMs: number;
  readonly latencyMs: number;
}

function timingFor(options: BenchOptions): Timing {
  return options.quick
    ? { warmupMs: 300, measureMs: 700, rampMs: 200, latencyMs: 700 }
    : { warmupMs: 500, measureMs: 2000 * options.targetSeconds, rampMs: 300, latencyMs: 2000 };
}

/** One way of running the relay: the LevelDB relay, or the first N nodes of the cluster. */
interface Deployment {
  readonly label: string;
  readonly nodes: readonly RelayNodeProcess[];
  /** Redis CPU counts towards it (the cluster deployments). */
  readonly redis: boolean;
}

/** What one phase cost, per process. */
interface Cost {
  /** Each node's CPU per message, µs (its CPU ÷ every message of the phase). */
  readonly perNode: readonly number[];
  /** Every node together, µs per message. */
  readonly total: number;
  /** Every redis-server together, µs per message (0 for LevelDB). */
  readonly redis: number;
  /** Cores used on average over the phase: relay nodes, Redis. */
  readonly nodeCores: number;
  readonly redisCores: number;
}

interface SaturationRun extends Cost {
  readonly rate: number;
  readonly loadgenCores: number;
  /** Each node's CPU while connected and idle (heartbeats, shared-state upkeep), in cores. */
  readonly idleCores: readonly number[];
  /** Each node's CPU per message beyond its idle CPU over the run, µs. */
  readonly perNodeMarginal: readonly number[];
}

type RateRun = RateResult & Cost;

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const timing = timingFor(options);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-cluster-'));
  const processes = new Set<ChildProcess>();
  let redis: RunningRedis | undefined;
  let loadgen: ChildRpc | undefined;
  const nodes: RelayNodeProcess[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of processes) child.kill('SIGKILL');
    loadgen?.killNow();
    for (const node of redis?.nodes ?? []) node.process.kill('SIGKILL');
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    options.log(
      'cluster: starting a Redis Cluster (3 primaries, 3 replicas) and the load generator',
    );
    const loadgenStarting = ChildRpc.start('load generator', LOADGEN_SCRIPT, [], START_TIMEOUT_MS);
    redis = await startRedisCluster(3, 1);
    loadgen = (await loadgenStarting).child;
    const running = redis;
    const track = (child: ChildProcess): void => {
      processes.add(child);
    };
    options.log(`cluster: starting the LevelDB relay and ${MAX_NODES} relay nodes on the cluster`);
    const level = await RelayNodeProcess.start(
      'LevelDB relay',
      ['--data', join(root, 'level')],
      track,
    );
    nodes.push(level);
    // All at once on the empty cluster, as an operator's first start. The folders exist first:
    // the node whose issuer claim wins writes the trust root's key into its folder at once.
    await Promise.all(
      Array.from({ length: MAX_NODES }, (_, i) => mkdir(join(root, `node-${i + 1}`))),
    );
    const clusterNodes = await Promise.all(
      Array.from({ length: MAX_NODES }, (_, i) =>
        RelayNodeProcess.start(
          `node ${i + 1}`,
          [
            ...['--data', join(root, `node-${i + 1}`), '--blob-dir', join(root, 'blobs')],
            ...['--store-cluster', running.addresses.join(',')],
            ...['--store-key-prefix', 'kindred-bench:', '--node-name', `bench-node-${i + 1}`],
          ],
          track,
        ),
      ),
    );
    nodes.push(...clusterNodes);
    const deployments: Deployment[] = [
      { label: 'LevelDB, 1 node', nodes: [level], redis: false },
      ...clusterNodes.map((_, i) => ({
        label: `Redis Cluster, ${i + 1} node${i === 0 ? '' : 's'}`,
        nodes: clusterNodes.slice(0, i + 1),
        redis: true,
      })),
    ];
    const bench = new ClusterBench(loadgen, running, timing, options);

    const saturation = new Map<Deployment, SaturationRun[]>();
    for (const deployment of deployments) {
      saturation.set(deployment, await bench.saturation(deployment));
    }
    const slowest = Math.min(
      ...deployments.map((d) => statsOf((saturation.get(d) ?? []).map((r) => r.rate)).median),
    );
    const rate = Math.max(MIN_RATE, Math.floor((slowest * RATE_SHARE) / 100) * 100);
    const latency = new Map<Deployment, RateRun[]>();
    for (const deployment of deployments) {
      latency.set(deployment, await bench.fixedRate(deployment, rate));
    }
    return rowsOf(deployments, saturation, latency, rate);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await loadgen?.stop(STOP_TIMEOUT_MS);
    await Promise.allSettled(nodes.map((node) => node.stop()));
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await redis?.stop();
    await rm(root, { recursive: true, force: true });
  }
}

class ClusterBench {
  readonly #loadgen: ChildRpc;
  readonly #redis: RunningRedis;
  readonly #timing: Timing;
  readonly #options: BenchOptions;

  constructor(loadgen: ChildRpc, redis: RunningRedis, timing: Timing, options: BenchOptions) {
    this.#loadgen = loadgen;
    this.#redis = redis;
    this.#timing = timing;
    this.#options = options;
  }

  /** A warm-up, then `repetitions` timed saturation runs. */
  async saturation(deployment: Deployment): Promise<SaturationRun[]> {
    const { warmupMs, measureMs } = this.#timing;
    return this.#connected(deployment, async () => {
      await this.#saturate(deployment, { warmupMs, measureMs: warmupMs });
      // What the nodes spend with every client connected and nothing sent: a fixed cost that
      // adds to each per-message figure at a low rate.
      const idleBefore = await Promise.all(deployment.nodes.map((node) => node.cpuMicros()));
      const idleStarted = performance.now();
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      const idleAfter = await Promise.all(deployment.nodes.map((node) => node.cpuMicros()));
      const idleWallMicros = (performance.now() - idleStarted) * 1000;
      const idleCores = idleAfter.map(
        (after, i) => (after - (idleBefore[i] ?? after)) / idleWallMicros,
      );
      const runs: SaturationRun[] = [];
      for (let rep = 0; rep < this.#options.repetitions; rep++) {
        const measured = await this.#saturate(deployment, { warmupMs, measureMs });
        const run: SaturationRun = {
          ...measured,
          idleCores,
          perNodeMarginal: measured.perNode.map(
            (micros, i) =>
              micros - ((idleCores[i] ?? 0) * measured.wallMs * 1000) / measured.messages,
          ),
        };
        this.#options.log(
          `cluster/throughput: ${deployment.label}: ${formatRate(run.rate)}/s, relay ` +
            `${run.total.toFixed(0)} µs CPU per message (per node ` +
            `${run.perNode.map((µs) => µs.toFixed(0)).join(', ')}), Redis ${run.redis.toFixed(0)} ` +
            `µs; cores: relay ${run.nodeCores.toFixed(2)}, Redis ${run.redisCores.toFixed(2)}, ` +
            `load generator ${run.loadgenCores.toFixed(2)}`,
        );
        runs.push(run);
      }
      return runs;
    });
  }

  /** `repetitions` runs at `rate` envelopes per second, after a short untimed one. */
  async fixedRate(deployment: Deployment, rate: number): Promise<RateRun[]> {
    return this.#connected(deployment, async () => {
      await this.#rate(deployment, rate, this.#timing.warmupMs);
      const runs: RateRun[] = [];
      for (let rep = 0; rep < this.#options.repetitions; rep++) {
        const run = await this.#rate(deployment, rate, this.#timing.latencyMs);
        this.#options.log(
          `cluster/latency: ${deployment.label} @ ${formatRate(rate)}/s: send→delivered p50 ` +
            `${run.deliver.p50.toFixed(1)} ms, p99 ${run.deliver.p99.toFixed(1)} ms` +
            (run.sustained ? '' : ' (NOT sustained)'),
        );
        runs.push(run);
      }
      return runs;
    });
  }

  async #connected<T>(deployment: Deployment, body: () => Promise<T>): Promise<T> {
    const urls = deployment.nodes.map((node) => node.url);
    const params: ConnectParams = {
      target: 'relay',
      url: urls[0] ?? '',
      urls,
      senders: SENDERS,
      recipients: RECIPIENTS,
    };
    await this.#loadgen.call('connect', params, START_TIMEOUT_MS);
    try {
      return await body();
    } finally {
      await this.#loadgen.call('disconnect', { target: 'relay' }, STOP_TIMEOUT_MS);
    }
  }

  async #saturate(
    deployment: Deployment,
    window: { warmupMs: number; measureMs: number },
  ): Promise<Cost & SaturateResult & { readonly loadgenCores: number }> {
    const params: SaturateParams = { target: 'relay', window: WINDOW, ...window };
    const result = await this.#measured(deployment, () =>
      this.#loadgen.call<SaturateResult>(
        'saturate',
        params,
        window.warmupMs + window.measureMs + PHASE_SLACK_MS,
      ),
    );
    return { ...result, loadgenCores: result.cpuMicros / (result.wallMs * 1000) };
  }

  #rate(deployment: Deployment, rate: number, measureMs: number): Promise<RateRun> {
    const params: RateParams = {
      target: 'relay',
      rate,
      rampMs: this.#timing.rampMs,
      measureMs,
      maxInFlight: MAX_IN_FLIGHT,
    };
    return this.#measured(deployment, () =>
      this.#loadgen.call<RateResult>(
        'rate',
        params,
        this.#timing.rampMs + measureMs + PHASE_SLACK_MS,
      ),
    );
  }

  /** Runs a phase between two readings of every node's and every redis-server's CPU. */
  async #measured<Result extends { readonly messages: number; readonly wallMs: number }>(
    deployment: Deployment,
    phase: () => Promise<Result>,
  ): Promise<Result & Cost> {
    const nodesBefore = await Promise.all(deployment.nodes.map((node) => node.cpuMicros()));
    const redisBefore = deployment.redis ? this.#redisCpuMicros() : 0;
    const result = await phase();
    const nodesAfter = await Promise.all(deployment.nodes.map((node) => node.cpuMicros()));
    const redisAfter = deployment.redis ? this.#redisCpuMicros() : 0;
    const spent = nodesAfter.map((after, i) => after - (nodesBefore[i] ?? after));
    const nodeMicros = spent.reduce((sum, micros) => sum + micros, 0);
    const redisMicros = redisAfter - redisBefore;
    return {
      ...result,
      perNode: spent.map((micros) => micros / result.messages),
      total: nodeMicros / result.messages,
      redis: redisMicros / result.messages,
      nodeCores: nodeMicros / (result.wallMs * 1000),
      redisCores: redisMicros / (result.wallMs * 1000),
    };
  }

  /** Every redis-server's CPU so far (user + system, its main and background threads), µs. */
  #redisCpuMicros(): number {
    let micros = 0;
    for (const node of this.#redis.nodes) {
      const info = spawnSync(
        'redis-cli',
        ['-h', '127.0.0.1', '-p', String(node.port), 'info', 'cpu'],
        {
          encoding: 'utf8',
          timeout: 10_000,
        },
      ).stdout;
      for (const name of ['used_cpu_sys', 'used_cpu_user']) {
        const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
        if (match?.[1] === undefined) throw new Error(`redis on ${node.port}: no ${name}`);
        micros += Number(match[1]) * 1e6;
      }
    }
    return micros;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

function rowsOf(
  deployments: readonly Deployment[],
  saturation: ReadonlyMap<Deployment, readonly SaturationRun[]>,
  latency: ReadonlyMap<Deployment, readonly RateRun[]>,
  rate: number,
): BenchRow[] {
  const [level, ...clusters] = deployments;
  if (level === undefined) throw new Error('no LevelDB deployment');
  const sat = (d: Deployment): readonly SaturationRun[] => saturation.get(d) ?? [];
  const lat = (d: Deployment): readonly RateRun[] => latency.get(d) ?? [];
  const of = <T>(runs: readonly T[], figure: (run: T) => number): Stats =>
    statsOf(runs.map(figure));
  const levelRate = of(sat(level), (r) => r.rate);
  // µs per message is ms per 1,000 messages.
  const levelCpu = of(sat(level), (r) => r.total);
  // The model: each node on a core of its own carries messages until its busiest node is full.
  const modelled = (run: SaturationRun): number => 1e6 / Math.max(...run.perNode);
  const levelModel = of(sat(level), modelled);
  const oneNodeModel =
    clusters[0] === undefined ? Number.NaN : of(sat(clusters[0]), modelled).median;
  const rows: BenchRow[] = [];
  for (const [n, cluster] of clusters.entries()) {
    const nodes = n + 1;
    const runs = sat(cluster);
    const throughput = of(runs, (r) => r.rate);
    const cpu = of(runs, (r) => r.total);
    const perNode = cluster.nodes.map((_, i) => of(runs, (r) => r.perNode[i] ?? Number.NaN).median);
    const redisCpu = of(runs, (r) => r.redis).median;
    const cores = `relay ${of(runs, (r) => r.nodeCores).median.toFixed(2)}, Redis ${of(runs, (r) => r.redisCores).median.toFixed(2)}, load generator ${of(runs, (r) => r.loadgenCores).median.toFixed(2)}`;
    rows.push({
      name: `1:1 throughput, ${nodes} relay node${nodes === 1 ? '' : 's'} on Redis Cluster`,
      unit: 'ops/s',
      kindred: throughput,
      baseline: levelRate,
      ratio: throughput.median / levelRate.median,
      note:
        `baseline: the LevelDB relay (1 node) in the same run; op = one 1 KiB envelope sent, ` +
        `stored (AOF always + WAIT 1 replica), SendAck'd, delivered, acknowledged; ${SENDERS} ` +
        `senders × ${WINDOW} in flight → ${RECIPIENTS} recipients, connections round robin over ` +
        `the nodes; cores used: ${cores} (${availableCores()} on this machine, shared by all)`,
    });
    rows.push({
      name: `relay CPU per 1,000 messages, ${nodes} node${nodes === 1 ? '' : 's'} (sum)`,
      unit: 'ms',
      kindred: cpu,
      baseline: levelCpu,
      ratio: cpu.median / levelCpu.median,
      note:
        `every relay node's CPU (/metrics process_cpu_*) ÷ messages; per node: ` +
        `${perNode.map((µs) => `${µs.toFixed(1)} ms`).join(', ')}; Redis besides: ` +
        `${redisCpu.toFixed(1)} ms per 1,000 over its 6 processes; lower is better`,
    });
    rows.push({
      name: `relay CPU per 1,000 messages per node, ${nodes} node${nodes === 1 ? '' : 's'} (busiest)`,
      unit: 'ms',
      kindred: of(runs, (r) => Math.max(...r.perNode)),
      baseline: levelCpu,
      ratio: of(runs, (r) => Math.max(...r.perNode)).median / levelCpu.median,
      note:
        "the busiest node's CPU ÷ every message of the run: what one node spends on its share; " +
        'it bounds the cluster where each node has a core of its own',
    });
    const model = of(runs, modelled);
    const added =
      nodes === 1
        ? 1
        : (model.median - of(sat(clusters[n - 1] ?? cluster), modelled).median) / oneNodeModel;
    const redisBound = redisCpu > 0 ? (3 * 1e6) / redisCpu : Number.NaN;
    const marginal = (run: SaturationRun): number => 1e6 / Math.max(...run.perNodeMarginal);
    const marginalModel = of(runs, marginal).median;
    const marginalOne =
      clusters[0] === undefined ? Number.NaN : of(sat(clusters[0]), marginal).median;
    const idle = cluster.nodes.map((_, i) => of(runs, (r) => r.idleCores[i] ?? Number.NaN).median);
    rows.push({
      name: `modelled throughput, ${nodes} node${nodes === 1 ? '' : 's'} on a core each`,
      unit: 'ops/s',
      kindred: model,
      baseline: levelModel,
      ratio: model.median / levelModel.median,
      note:
        `1e6 ÷ the busiest node's µs per message; ` +
        (nodes === 1
          ? 'one node on one core'
          : `the ${ordinal(nodes)} node adds ${(added * 100).toFixed(0)} % of one node's capacity ` +
            `(aim ≥ ${(SCALING_TARGET * 100).toFixed(0)} %: ${added >= SCALING_TARGET ? 'meets' : 'BELOW'})`) +
        `; each node idle (clients connected, nothing sent) uses ` +
        `${idle.map((cores) => cores.toFixed(3)).join(', ')} cores; without it: ` +
        `~${formatRate(marginalModel)}/s (${(marginalModel / marginalOne).toFixed(2)} × one node)` +
        `; Redis at ${redisCpu.toFixed(0)} µs per message limits the cluster to ~` +
        `${formatRate(redisBound)}/s with its 3 primaries on a core each; measured here all ` +
        `processes share ${availableCores()} cores`,
    });
  }
  for (const deployment of clusters) {
    const runs = lat(deployment);
    const levelRuns = lat(level);
    const short = runs.filter((r) => !r.sustained).length;
    const levelShort = levelRuns.filter((r) => !r.sustained).length;
    for (const percentile of ['p50', 'p99'] as const) {
      const stats = of(runs, (r) => r.deliver[percentile]);
      const base = of(levelRuns, (r) => r.deliver[percentile]);
      rows.push({
        name: `send→delivered ${percentile} @ ${formatRate(rate)}/s, ${deployment.label}`,
        unit: 'ms',
        kindred: stats,
        baseline: base,
        ratio: stats.median / base.median,
        note:
          `${formatRate(rate)}/s offered to every deployment (${Math.round(RATE_SHARE * 100)} % ` +
          `of the slowest one's saturation rate); baseline: the LevelDB relay; send→SendAck ` +
          `${percentile} ${of(runs, (r) => r.sendAck[percentile]).median.toFixed(1)} ms` +
          (short > 0 ? `; NOT sustained in ${short}/${runs.length} runs` : '') +
          (levelShort > 0 ? `; LevelDB NOT sustained in ${levelShort}/${levelRuns.length}` : '') +
          '; lower is better',
      });
    }
  }
  return rows;
}

function availableCores(): number {
  return availableParallelism();
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
