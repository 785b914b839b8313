/**
 * The benchmark entry point: `npm run bench [-- --quick] [-- --only NAME] [-- --sustain-seconds N]`.
 *
 * Runs the registered suites, prints one table to stdout (progress goes to stderr) and writes
 * bench/results/latest.json and latest.md. A suite is a module exporting
 * `run(options): Promise<BenchRow[]>`; add one by registering it in SUITES.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo, machineLine, markdownTable, writeResults } from './report.js';
import type { RunSettings } from './report.js';
import type { BenchOptions, ResultRow, SuiteModule } from './types.js';

/** Every suite, in the order they run. Loaded lazily so `--only` skips the others' imports. */
const SUITES: Readonly<Record<string, () => Promise<SuiteModule>>> = {
  crypto: () => import('./suites/crypto.js'),
  relay: () => import('./suites/relay.js'),
  groups: () => import('./suites/groups.js'),
  connections: () => import('./suites/connections.js'),
  drain: () => import('./suites/drain.js'),
  sustain: () => import('./suites/sustain.js'),
  replay: () => import('./suites/replay.js'),
  attachments: () => import('./suites/attachments.js'),
  blobs: () => import('./suites/blobs.js'),
  search: () => import('./suites/search.js'),
  backup: () => import('./suites/backup.js'),
  cluster: () => import('./suites/cluster.js'),
  directory: () => import('./suites/directory.js'),
};

const FULL = { repetitions: 5, targetSeconds: 1, sustainSeconds: 600 } as const;
const QUICK = { repetitions: 3, targetSeconds: 0.25, sustainSeconds: 30 } as const;
/** Bounds on --sustain-seconds: long enough to sample, short enough to stop within the day. */
const SUSTAIN_SECONDS = { min: 5, max: 3600 } as const;

const USAGE = `usage: npm run bench -- [--quick] [--only SUITE[/CASE]]... [--sustain-seconds N]
  --quick               ${QUICK.repetitions} runs of ~${QUICK.targetSeconds} s per figure instead of ${FULL.repetitions} of ~${FULL.targetSeconds} s,
                        and a ${QUICK.sustainSeconds} s sustained load instead of ${FULL.sustainSeconds} s
  --only NAME           run one suite (e.g. crypto) or one case of it (e.g. crypto/session); repeatable
  --search-messages N   messages the search suite indexes (1000–1000000; default 100000)
  --sustain-seconds N   how long the sustain suite keeps its load up (${SUSTAIN_SECONDS.min}–${SUSTAIN_SECONDS.max}; default ${FULL.sustainSeconds}, ${QUICK.sustainSeconds} with --quick)
suites: ${Object.keys(SUITES).join(', ')}`;

interface Selection {
  readonly suite: string;
  /** undefined: every case of the suite. */
  readonly cases: Set<string> | undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      'sustain-seconds': { type: 'string' },
      'search-messages': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const only = values.only ?? [];
  const selections = await select(only);
  const profile = values.quick ? QUICK : FULL;
  const sustainSeconds = parseSustainSeconds(values['sustain-seconds']) ?? profile.sustainSeconds;
  const searchMessages = parseSearchMessages(values['search-messages']);
  const settings: RunSettings = { quick: values.quick, ...profile, sustainSeconds, only };
  const machine = await machineInfo();
  const log = (line: string): void => {
    console.error(`[bench] ${line}`);
  };

  log(machineLine(machine, settings));
  if (machine.loadAverage > machine.cpus / 2) {
    log(
      `warning: load average ${machine.loadAverage.toFixed(2)} on ${machine.cpus} CPUs; ` +
        'other work will make the figures noisy',
    );
  }
  const started = performance.now();
  const rows: ResultRow[] = [];
  for (const selection of selections) {
    const load = SUITES[selection.suite];
    if (load === undefined) continue;
    const suite = await load();
    const options: BenchOptions = {
      quick: settings.quick,
      repetitions: settings.repetitions,
      targetSeconds: settings.targetSeconds,
      sustainSeconds: settings.sustainSeconds,
      ...(searchMessages === undefined ? {} : { searchMessages }),
      log,
      ...(selection.cases === undefined ? {} : { cases: selection.cases }),
    };
    for (const row of await suite.run(options)) rows.push({ suite: selection.suite, ...row });
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const written = await writeResults(
    new URL('./results/', import.meta.url),
    machine,
    settings,
    rows,
  );
  console.log(machineLine(machine, settings));
  console.log('');
  console.log(markdownTable(rows));
  console.log('');
  console.log(`Wrote ${fileURLToPath(written.json)} and ${fileURLToPath(written.markdown)}`);
}

/** Which suites (and cases) `--only` asks for, checked against what the suites offer. */
async function select(only: readonly string[]): Promise<Selection[]> {
  if (only.length === 0) {
    return Object.keys(SUITES).map((suite) => ({ suite, cases: undefined }));
  }
  const bySuite = new Map<string, Set<string> | undefined>();
  for (const name of only) {
    const [suite = '', testCase] = name.split('/', 2);
    const load = SUITES[suite];
    if (load === undefined) {
      throw new UsageError(`unknown suite "${suite}"; suites: ${Object.keys(SUITES).join(', ')}`);
    }
    if (testCase === undefined) {
      bySuite.set(suite, undefined);
      continue;
    }
    const known = (await load()).cases ?? [];
    if (!known.includes(testCase)) {
      throw new UsageError(
        `unknown case "${testCase}" in ${suite}; cases: ${known.join(', ') || 'none'}`,
      );
    }
    if (bySuite.has(suite) && bySuite.get(suite) === undefined) continue;
    const cases = bySuite.get(suite) ?? new Set<string>();
    cases.add(testCase);
    bySuite.set(suite, cases);
  }
  // Keep the registry's order, whatever order --only came in.
  return Object.keys(SUITES)
    .filter((suite) => bySuite.has(suite))
    .map((suite) => ({ suite, cases: bySuite.get(suite) }));
}

function parseSustainSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (
    !Number.isInteger(seconds) ||
    seconds < SUSTAIN_SECONDS.min ||
    seconds > SUSTAIN_SECONDS.max
  ) {
    throw new UsageError(
      `--sustain-seconds must be a whole number from ${SUSTAIN_SECONDS.min} to ${SUSTAIN_SECONDS.max}`,
    );
  }
  return seconds;
}

function parseSearchMessages(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1000 || count > 1_000_000) {
    throw new UsageError('--search-messages must be a whole number from 1000 to 1000000');
  }
  return count;
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || isParseArgsError(error)) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}
