/** Turns result rows into the Markdown table (printed and saved) and the JSON record. */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { BenchUnit, ResultRow, Stats } from './types.js';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly libsignal: string;
  readonly date: string;
  /** 1-minute load average when the run started: other work on the machine skews figures. */
  readonly loadAverage: number;
  /** The git commit measured, with `+dirty` when the working tree had changes. */
  readonly revision: string;
}

export interface RunSettings {
  readonly quick: boolean;
  readonly repetitions: number;
  readonly targetSeconds: number;
  /** The sustain suite's load duration, in seconds. */
  readonly sustainSeconds: number;
  readonly only: readonly string[];
}

export async function machineInfo(): Promise<MachineInfo> {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    platform: platform(),
    arch: arch(),
    osRelease: release(),
    totalMemoryBytes: totalmem(),
    node: process.version,
    libsignal: await packageVersion('@signalapp/libsignal-client'),
    date: new Date().toISOString(),
    loadAverage: loadavg()[0] ?? 0,
    revision: await gitRevision(),
  };
}

async function gitRevision(): Promise<string> {
  const git = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)('git', args, { cwd: new URL('..', import.meta.url) })).stdout.trim();
  try {
    const commit = await git('rev-parse', '--short', 'HEAD');
    return (await git('status', '--porcelain')) === '' ? commit : `${commit}+dirty`;
  } catch {
    return 'unknown';
  }
}

async function packageVersion(name: string): Promise<string> {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    const parsed = JSON.parse(await readFile(url, 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const COLUMNS = [
  'Benchmark',
  'Unit',
  'Kindred median',
  'Kindred min–max',
  'Raw median',
  'Raw min–max',
  'Kindred/raw',
  'Note',
] as const;

/** A Markdown table, padded so it also reads well in a terminal. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((row) => [
    `${row.suite}: ${row.name}`,
    row.unit,
    figure(row.kindred.median, row.unit),
    range(row.kindred, row.unit),
    row.baseline === undefined ? '–' : figure(row.baseline.median, row.unit),
    row.baseline === undefined ? '–' : range(row.baseline, row.unit),
    row.ratio === undefined || !Number.isFinite(row.ratio) ? '–' : row.ratio.toFixed(2),
    row.note,
  ]);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  // Figures are right-aligned, text left-aligned.
  const numeric = (column: number): boolean => column >= 2 && column <= 6;
  const format = (line: readonly string[]): string =>
    `| ${line
      .map((cell, column) =>
        numeric(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  const rule = `|${widths
    .map((width, column) => (numeric(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2)))
    .join('|')}|`;
  return [format(COLUMNS), rule, ...cells.map(format)].join('\n');
}

export function machineLine(machine: MachineInfo, settings: RunSettings): string {
  const memory = `${Math.round(machine.totalMemoryBytes / 2 ** 30)} GiB`;
  const mode = settings.quick ? 'quick' : 'full';
  return (
    `${machine.date} · ${machine.cpus} × ${machine.cpuModel} · ${memory} · ` +
    `${machine.platform} ${machine.arch} · Node ${machine.node} · libsignal ${machine.libsignal} · ` +
    `git ${machine.revision} · ` +
    `load ${machine.loadAverage.toFixed(2)} · ` +
    `${mode} run: median of ${settings.repetitions} runs of ~${settings.targetSeconds} s · ` +
    `sustain ${settings.sustainSeconds} s`
  );
}

export async function writeResults(
  directory: URL,
  machine: MachineInfo,
  settings: RunSettings,
  rows: readonly ResultRow[],
): Promise<{ json: URL; markdown: URL }> {
  await mkdir(directory, { recursive: true });
  const json = new URL('latest.json', directory);
  const markdown = new URL('latest.md', directory);
  await writeFile(json, `${JSON.stringify({ machine, settings, rows }, null, 2)}\n`);
  await writeFile(
    markdown,
    [
      '# Kindred benchmark results',
      '',
      machineLine(machine, settings),
      '',
      markdownTable(rows),
      '',
      'Kindred/raw is the ratio of the medians. For ops/s higher is better (target ≥ 0.70), and',
      'for MiB/s; for ms, KiB and MiB lower is better. See bench/README.md for what each row measures.',
      '',
    ].join('\n'),
  );
  return { json, markdown };
}

function figure(value: number, unit: BenchUnit): string {
  // A skipped row (its note says why) or a missing figure.
  if (!Number.isFinite(value)) return '–';
  const digits = unit === 'ms' || value < 100 ? 1 : 0;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function range(stats: Stats, unit: BenchUnit): string {
  if (stats.runs.length === 0) return '–';
  return `${figure(stats.min, unit)}–${figure(stats.max, unit)}`;
}
