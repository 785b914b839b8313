import type { BenchOptions, Stats } from './types.js';

/** Median, min and max of a list of figures (the median of an even count is the mean of the
 * middle two). */
export function statsOf(runs: readonly number[]): Stats {
  if (runs.length === 0) throw new RangeError('no runs to summarise');
  const sorted = [...runs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? Number.NaN)
      : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    runs: [...runs],
  };
}

/** A figure for each side of one comparison, measured over the same repetitions. */
export interface PairStats {
  readonly kindred: Stats;
  readonly baseline: Stats;
}

/**
 * Runs both sides `repetitions` times, alternating which goes first so slow drift (thermal
 * throttling, a neighbour's load, LevelDB compaction) does not always land on the same side.
 */
export async function measurePair(
  kindred: () => Promise<number>,
  baseline: () => Promise<number>,
  repetitions: number,
): Promise<PairStats> {
  const kindredRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    if (rep % 2 === 0) {
      baselineRuns.push(await baseline());
      kindredRuns.push(await kindred());
    } else {
      kindredRuns.push(await kindred());
      baselineRuns.push(await baseline());
    }
  }
  return { kindred: statsOf(kindredRuns), baseline: statsOf(baselineRuns) };
}

/** One timed run of `count` operations, prepared outside the timer. */
export interface PreparedRun {
  /** The timed work; `index` counts from 0 to count - 1. Operations run one after another. */
  readonly operation: (index: number) => Promise<void>;
  /**
   * Timed, after the last operation: whatever the run still owes. Kindred sides flush their
   * vaults here, since the Vault defers and batches writes: a run is not over until its writes
   * are in the LevelDB log.
   */
  readonly finish?: () => Promise<void>;
  /** Untimed check after the timer stops (that the last plaintext came back intact, say). */
  readonly verify?: () => Promise<void> | void;
}

/** One side of a throughput comparison: makes everything a run needs (leaving no deferred work
 * behind), then times only the ops and `finish`. */
export interface ThroughputSide {
  prepare(count: number): Promise<PreparedRun>;
}

/** Times one run and returns its rate in operations per second. */
export async function timeRun(side: ThroughputSide, count: number): Promise<number> {
  const run = await side.prepare(count);
  const start = performance.now();
  for (let i = 0; i < count; i++) await run.operation(i);
  await run.finish?.();
  const seconds = (performance.now() - start) / 1000;
  await run.verify?.();
  return count / seconds;
}

const MIN_OPERATIONS = 16;
const FIRST_CALIBRATION_COUNT = 4;

/**
 * How many operations fill one timed run of about `targetSeconds`: doubles a short run until it
 * lasts a quarter of the target, which also warms up the JIT and the native module.
 */
export async function calibrate(side: ThroughputSide, targetSeconds: number): Promise<number> {
  const calibrationSeconds = targetSeconds / 4;
  let count = FIRST_CALIBRATION_COUNT;
  for (;;) {
    const rate = await timeRun(side, count);
    if (count / rate >= calibrationSeconds) {
      return Math.max(MIN_OPERATIONS, Math.round(rate * targetSeconds));
    }
    count *= 2;
  }
}

/** Operations per second for both sides; each side gets its own count so each run lasts about
 * `targetSeconds`, whatever its speed. */
export async function measureThroughput(
  kindred: ThroughputSide,
  baseline: ThroughputSide,
  options: BenchOptions,
): Promise<PairStats & { readonly counts: { kindred: number; baseline: number } }> {
  const baselineCount = await calibrate(baseline, options.targetSeconds);
  const kindredCount = await calibrate(kindred, options.targetSeconds);
  const stats = await measurePair(
    () => timeRun(kindred, kindredCount),
    () => timeRun(baseline, baselineCount),
    options.repetitions,
  );
  return { ...stats, counts: { kindred: kindredCount, baseline: baselineCount } };
}

/** Wall-clock milliseconds of one call. */
export async function timeMs(operation: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await operation();
  return performance.now() - start;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Nearest-rank percentile, `q` from 0 to 1 (0.99 for p99); NaN for no values. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
  );
}

/**
 * The percentile over every sample of every chunk as the figure; min and max over the chunks'
 * own percentiles, to show the spread.
 */
export function pooled(chunks: readonly (readonly number[])[], q: number): Stats {
  const perChunk = chunks.map((chunk) => percentile(chunk, q));
  const spread = statsOf(perChunk);
  return { median: percentile(chunks.flat(), q), min: spread.min, max: spread.max, runs: perChunk };
}

/** A count for a row's note: rounded, with thousands separators ("12,345"). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
