/** The shapes every benchmark suite shares with the runner. */

/** Median, min and max of one figure over repeated timed runs, plus every run's value. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

/** One line of the results table: Kindred's figure next to its raw baseline, when it has one. */
export interface BenchRow {
  readonly name: string;
  /** `ops/s` and `MiB/s` (higher is better), `ms`, `KiB` or `MiB` (lower is better). */
  readonly unit: BenchUnit;
  /** Empty `runs` (and NaN figures) when the row was skipped; the note says why. */
  readonly kindred: Stats;
  readonly baseline?: Stats;
  /** kindred.median / baseline.median. */
  readonly ratio?: number;
  readonly note: string;
}

/** A row as the runner records it: tagged with the suite that produced it. */
export interface ResultRow extends BenchRow {
  readonly suite: string;
}

export type BenchUnit = 'ops/s' | 'MiB/s' | 'ms' | 'KiB' | 'MiB';

export interface BenchOptions {
  /** Fewer and shorter runs, for smoke tests. */
  readonly quick: boolean;
  /** Timed runs per figure (5, or 3 with --quick). */
  readonly repetitions: number;
  /** How long one timed throughput run should last, in seconds. */
  readonly targetSeconds: number;
  /** How long the `sustain` suite keeps its load up (600 s, 30 s with --quick, or
   * --sustain-seconds). */
  readonly sustainSeconds: number;
  /** How many messages the `search` suite indexes (--search-messages; default 100,000). */
  readonly searchMessages?: number;
  /** When set, only these cases of the suite run (from `--only suite/case`). */
  readonly cases?: ReadonlySet<string>;
  /** Progress lines go here (stderr), so stdout carries only the table. */
  readonly log: (line: string) => void;
}

/** What a suite module exports. */
export type SuiteRun = (options: BenchOptions) => Promise<BenchRow[]>;

export interface SuiteModule {
  readonly run: SuiteRun;
  /** The case names `--only suite/case` accepts, for suites that have several. */
  readonly cases?: readonly string[];
}
