/**
 * Group send (issue #4): one sender posting to groups of 100 and 500 members through a real relay
 * on LevelDB, next to baselines measured in the same run: a 1:1 sealed-sender message for the
 * sender's cost, a group of one member for the fan-out latency and throughput.
 *
 * Three child processes (bench/groups/): the relay (startRelay on a temporary LevelDB folder,
 * registration open, 127.0.0.1), the sender (one persona, core's RelayConnection, posting as
 * the client's GroupPoster does), and the members (500 personas, each with its own
 * authenticated WebSocket, joined with real signed join operations and a real invite link,
 * acknowledging what they read; a few per group decrypt everything they read, after each run).
 * Each runs alone in its process, so the sender's process.cpuUsage() is its own cost and the
 * relay's is the fan-out's. The children exit when the suite ends, fails or is interrupted, and
 * the folder is deleted.
 *
 * Rows: the sender's CPU per message (ratio against the 1:1 message: a group send costs the
 * sender the same whatever the group's size), the time until the last member has read a message
 * (p50 and p99, ratio against a group of one), and the messages per second every member receives
 * when the sender posts back to back (ratio against a group of one).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BurstRun, OneMessage } from '../groups/GroupBench.js';
import { BASELINE_SIZE, GroupBench, SIZES, STOP_TIMEOUT_MS, WINDOW } from '../groups/GroupBench.js';
import { formatCount, mean, percentile, pooled, statsOf } from '../measure.js';
import type { ChildRpc } from '../relay/rpc.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

export const cases = ['send', 'throughput', 'latency'] as const;
type CaseName = (typeof cases)[number];

/** A sender using this much CPU during a burst is what limits it. */
const SENDER_BOUND_CORES = 0.85;

interface Counts {
  /** Messages sent one at a time per target (sender cost, latency), all chunks together. */
  readonly latencyMessages: number;
  /** Messages per throughput burst. */
  readonly burstMessages: number;
  /** Untimed messages per target before anything is measured. */
  readonly warmupMessages: number;
}

function countsFor(options: BenchOptions): Counts {
  return options.quick
    ? { latencyMessages: 50, burstMessages: 40, warmupMessages: 20 }
    : { latencyMessages: 200, burstMessages: 100, warmupMessages: 40 };
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const wanted = (name: CaseName): boolean => options.cases?.has(name) ?? true;
  const counts = countsFor(options);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-groups-'));
  const children = new Set<ChildRpc>();
  // Interrupted (Ctrl-C): kill the children, delete the folder, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) child.killNow();
    rmSync(root, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let bench: GroupBench | undefined;
  try {
    options.log('groups: starting the relay, the sender and the members');
    bench = await GroupBench.start(root, children, options);
    await bench.setUp(wanted('send'), options);
    await bench.warmUp(counts.warmupMessages, wanted('send'), options);
    const rows: BenchRow[] = [];
    if (wanted('send') || wanted('latency')) {
      const pass = await oneAtATime(bench, counts, wanted('send'), options);
      if (wanted('send')) rows.push(...sendRows(pass));
      if (wanted('latency')) rows.push(...latencyRows(pass));
    }
    if (wanted('throughput')) rows.push(...(await throughputRows(bench, counts, options)));
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Clients first, so the relay sees them leave rather than vanish.
    await bench?.members.stop(STOP_TIMEOUT_MS);
    await bench?.sender.stop(STOP_TIMEOUT_MS);
    for (const child of children) await child.stop(STOP_TIMEOUT_MS);
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

type Target = 'oneToOne' | number;

function targetName(target: Target): string {
  return target === 'oneToOne' ? '1:1' : `group of ${target}`;
}

/**
 * `repetitions` runs per target, rotating which goes first so drift (thermal, other processes,
 * LevelDB compaction) does not always land on the same one.
 */
async function rotate(
  targets: readonly Target[],
  repetitions: number,
  one: (target: Target) => Promise<BurstRun>,
): Promise<(target: Target) => BurstRun[]> {
  const runs = new Map<Target, BurstRun[]>(targets.map((target) => [target, []]));
  for (let rep = 0; rep < repetitions; rep++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const target = targets[(rep + turn) % targets.length] ?? 'oneToOne';
      runs.get(target)?.push(await one(target));
    }
  }
  return (target) => runs.get(target) ?? [];
}

/** Messages per second every member receives when the sender posts back to back. */
async function throughputRows(
  bench: GroupBench,
  counts: Counts,
  options: BenchOptions,
): Promise<BenchRow[]> {
  const count = counts.burstMessages;
  options.log(
    `groups/throughput: ${options.repetitions} bursts of ${count} messages (${WINDOW} in ` +
      `flight) per group of ${[BASELINE_SIZE, ...SIZES].join(', ')}`,
  );
  const of = await rotate([BASELINE_SIZE, ...SIZES], options.repetitions, async (target) => {
    const size = typeof target === 'number' ? target : BASELINE_SIZE;
    const result = await bench.burst(size, count, WINDOW);
    options.log(
      `groups/throughput: group of ${size}: ${result.rate.toFixed(0)} messages/s to every ` +
        `member; relay ${result.relayMicrosPerDelivery.toFixed(1)} µs CPU per copy delivered; ` +
        `cores: relay ${result.relayCores.toFixed(2)}, members ${result.membersCores.toFixed(2)}` +
        `, sender ${result.senderCores.toFixed(2)}`,
    );
    return result;
  });
  const figure = (target: Target, pick: (run: BurstRun) => number): Stats =>
    statsOf(of(target).map(pick));
  const median = (target: Target, pick: (run: BurstRun) => number): number =>
    figure(target, pick).median;
  const baseline = figure(BASELINE_SIZE, (run) => run.rate);
  // The sender near a full core: the group of 1 measured the sender, not the relay.
  const baselineBound =
    median(BASELINE_SIZE, (run) => run.senderCores) >= SENDER_BOUND_CORES
      ? " (the group of 1 is bound by the sender's core: the ratio flatters the larger groups)"
      : '';
  return SIZES.map((size) => {
    const rate = figure(size, (run) => run.rate);
    const commits = of(size)
      .map((run) => run.writesPerCommit)
      .filter((value): value is number => value !== undefined);
    return {
      name: `group throughput, ${size} members`,
      unit: 'ops/s',
      kindred: rate,
      baseline,
      ratio: rate.median / baseline.median,
      note:
        `op = one message read by every member (first post → last member reads the last of ` +
        `${count}, ${WINDOW} in flight); raw = a group of 1${baselineBound}; ` +
        `${formatCount(rate.median * size)} copies/s to members; relay ` +
        `${median(size, (run) => run.relayMicrosPerDelivery).toFixed(1)} µs CPU per copy ` +
        `delivered (the sender's own included), ` +
        `${formatCount(median(size, (run) => run.relayMicrosPerMessage))} µs per message ` +
        `(group of 1: ${formatCount(median(BASELINE_SIZE, (run) => run.relayMicrosPerMessage))}` +
        `); CPU cores: relay ${median(size, (run) => run.relayCores).toFixed(2)}, members ` +
        `${median(size, (run) => run.membersCores).toFixed(2)}, sender ` +
        median(size, (run) => run.senderCores).toFixed(2) +
        (commits.length > 0
          ? `; ~${formatCount(statsOf(commits).median)} writes per synced LevelDB batch`
          : ''),
    };
  });
}

/** What the one-at-a-time pass measured, per target and per chunk. */
interface OneAtATime {
  readonly chunks: number;
  readonly perChunk: number;
  /** Per chunk: every message's figures. */
  readonly runs: (target: Target) => OneMessage[][];
}

/**
 * Messages one at a time, each on a quiet relay, in `repetitions` chunks per target, the targets
 * interleaved chunk by chunk (rotating which goes first). Gives the sender's cost (every target)
 * and the fan-out latency (groups).
 */
async function oneAtATime(
  bench: GroupBench,
  counts: Counts,
  withOneToOne: boolean,
  options: BenchOptions,
): Promise<OneAtATime> {
  const targets: Target[] = [
    ...(withOneToOne ? ['oneToOne' as const] : []),
    BASELINE_SIZE,
    ...SIZES,
  ];
  const chunks = options.repetitions;
  const perChunk = Math.ceil(counts.latencyMessages / chunks);
  options.log(
    `groups/one at a time: ${perChunk * chunks} messages per target in ${chunks} chunks of ` +
      `${perChunk}, interleaved: ${targets.map(targetName).join(', ')}`,
  );
  const runs = new Map<Target, OneMessage[][]>(targets.map((target) => [target, []]));
  for (let chunk = 0; chunk < chunks; chunk++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const target = targets[(chunk + turn) % targets.length] ?? BASELINE_SIZE;
      const messages: OneMessage[] = [];
      for (let message = 0; message < perChunk; message++) {
        messages.push(
          target === 'oneToOne' ? await bench.oneToOneMessage() : await bench.oneMessage(target),
        );
      }
      if (target === 'oneToOne') await bench.verifyOneToOne(perChunk);
      else await bench.verifyGroup(target, perChunk);
      runs.get(target)?.push(messages);
      const latencies = messages.map((one) => one.lastMs);
      options.log(
        `groups/one at a time: ${targetName(target)}: sender ` +
          `${mean(messages.map((one) => one.senderCpuMs)).toFixed(3)} ms CPU per message ` +
          `(${mean(messages.map((one) => one.answeredCpuMs)).toFixed(3)} ms to the answer, ` +
          `building ${percentile(
            messages.map((one) => one.buildMs),
            0.5,
          ).toFixed(3)} ms)` +
          (target === 'oneToOne'
            ? ''
            : `; last member p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ` +
              `${percentile(latencies, 0.99).toFixed(2)} ms`),
      );
    }
  }
  return { chunks, perChunk, runs: (target) => runs.get(target) ?? [] };
}

/** The sender's CPU per message against a 1:1 message's. */
function sendRows(pass: OneAtATime): BenchRow[] {
  const cpu = (target: Target): Stats =>
    statsOf(pass.runs(target).map((chunk) => mean(chunk.map((one) => one.senderCpuMs))));
  const answered = (target: Target): string =>
    mean(pass.runs(target).flatMap((chunk) => chunk.map((one) => one.answeredCpuMs))).toFixed(3);
  const build = (target: Target): string =>
    percentile(
      pass.runs(target).flatMap((chunk) => chunk.map((one) => one.buildMs)),
      0.5,
    ).toFixed(3);
  const oneToOne = cpu('oneToOne');
  return SIZES.map((size) => {
    const group = cpu(size);
    return {
      name: `group send: sender CPU per message, ${size} members`,
      unit: 'ms',
      kindred: group,
      baseline: oneToOne,
      ratio: group.median / oneToOne.median,
      note:
        `sender process CPU (all threads), one message at a time on a quiet relay: ` +
        `GroupContent, sender-key encrypt, sealed sender address, PostGroupMessage, ` +
        `GroupAppended, its own copy read and acked; raw = one 1:1 sealed-sender message ` +
        `(Content, seal, SendEnvelope, SendAck); up to the relay's answer ${answered(size)} ms ` +
        `vs ${answered('oneToOne')} ms; building alone (median wall time) ${build(size)} ms vs ` +
        `${build('oneToOne')} ms; group of 1: ${cpu(BASELINE_SIZE).median.toFixed(3)} ms; ` +
        `mean of ${pass.perChunk} messages per run, ${pass.chunks} runs; lower is better`,
    };
  });
}

/** p50 and p99 from the post to the last member's reading. */
function latencyRows(pass: OneAtATime): BenchRow[] {
  const chunksOf = (size: number, pick: (one: OneMessage) => number): number[][] =>
    pass.runs(size).map((chunk) => chunk.map(pick));
  const baseline = chunksOf(BASELINE_SIZE, (one) => one.lastMs);
  const rows: BenchRow[] = [];
  for (const size of SIZES) {
    const measured = chunksOf(size, (one) => one.lastMs);
    const first = chunksOf(size, (one) => one.firstMs).flat();
    for (const q of [0.5, 0.99]) {
      const kindred = pooled(measured, q);
      const raw = pooled(baseline, q);
      rows.push({
        name: `fan-out to last member p${Math.round(q * 100)}, ${size} members`,
        unit: 'ms',
        kindred,
        baseline: raw,
        ratio: kindred.median / raw.median,
        note:
          `one message at a time on a quiet relay: post → the last of ${size} members reads it ` +
          `(the first: ${percentile(first, q).toFixed(1)} ms); figure over all ` +
          `${pass.perChunk * pass.chunks} messages, min–max over ${pass.chunks} runs of ` +
          `${pass.perChunk}; raw = a group of 1; lower is better`,
      });
    }
  }
  return rows;
}
