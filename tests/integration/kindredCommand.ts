import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { kindredCommand } from '../commands/commandPaths.js';
import type { TempDirs } from './helpers.js';
import { PASSPHRASE } from './helpers.js';

/** What one run of the `kindred` command left behind. */
export interface KindredRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines. */
  readonly records: Record<string, unknown>[];
}

/**
 * Runs the kindred command as a user would, with a bounded time. With `closeStdout`, the reader of
 * its output goes away at once (as `kindred … | head -n 0` would); `stdin` is piped in (without
 * it, standard input is empty).
 */
export function kindred(
  args: readonly string[],
  env: Record<string, string | undefined> = { KINDRED_PASSPHRASE: PASSPHRASE },
  options: { closeStdout?: boolean; stdin?: string } = {},
): Promise<KindredRun> {
  return new Promise((resolve, reject) => {
    const child = spawnKindred(args, env);
    // A command that exits without reading its input closes the pipe: nothing to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '', 'utf8');
    let stdout = '';
    let stderr = '';
    if (options.closeStdout === true) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // Wide: on a loaded machine a command's start alone can take tens of seconds.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kindred ${args.join(' ')} timed out`));
    }, 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const records = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, stdout, stderr, records });
    });
  });
}

/**
 * Starts the kindred command as a user would and hands back the process, for a test that stops it
 * on its own terms (a crash: SIGKILL). Output is piped; nobody reads it unless the caller does.
 */
export function spawnKindred(
  args: readonly string[],
  env: Record<string, string | undefined> = { KINDRED_PASSPHRASE: PASSPHRASE },
): ChildProcessWithoutNullStreams {
  // The run's bundle of the command (see tests/commands/buildCommands.ts): no tsx at each spawn.
  return spawn(process.execPath, [kindredCommand(), ...args], {
    // Personas connect without random delays (see CLIENT_OPTIONS in cli/commandClient.ts), and
    // test vaults may use the fastest KDF (an env value undefined is left out).
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KINDRED_CONNECT_SCHEDULE: 'immediate',
      KINDRED_TEST_INSECURE_KDF: '1',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A failed command: non-zero, and exactly one line on stderr naming the code. */
export function expectFailure(run: KindredRun, code: string): void {
  expect(run.code, run.stderr).not.toBe(0);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^kindred: ${code}: \\S`));
}

/** Every line of --json output is one JSON object; fails on anything else, and on a failed run. */
export function jsonLines(run: KindredRun): Record<string, unknown>[] {
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A home made by `kindred init`: its folder, the `--home` arguments, and the persona's address. */
export interface CliHome {
  readonly dir: string;
  readonly args: string[];
  readonly address: string;
}

/**
 * `kindred init` of a new home named `name` (in a fresh folder of `dirs`) registered on
 * `relayUrl`, with the test KDF.
 */
export async function initHome(dirs: TempDirs, relayUrl: string, name: string): Promise<CliHome> {
  const dir = path.join(await dirs.make('cli-home'), name);
  const init = jsonLines(
    await kindred([
      'init',
      '--name',
      name,
      '--server',
      relayUrl,
      '--kdf',
      'insecure-fast',
      '--home',
      dir,
      '--json',
    ]),
  );
  return { dir, args: ['--home', dir], address: String(init[0]?.address) };
}
