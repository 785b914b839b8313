// `npm start` (scripts/start.mjs) when the relay's port 8787 is taken: it says so in one line and
// the relay listens on a free port, whose address it hands on (here, with --relay-only, to a real
// client that registers there); a port chosen with KINDRED_RELAY_PORT that is taken stops it
// with one line naming the variable. Real processes, a real relay, a real LevelDB folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs, newClient } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const START = path.join(ROOT, 'scripts', 'start.mjs');
const DEFAULT_PORT = 8787;

const dirs = new TempDirs();
/** Our own listener on 8787, unless something else already holds it (taken either way). */
let occupier: Server | undefined;
const started: ChildProcess[] = [];

beforeAll(async () => {
  occupier = await new Promise<Server | undefined>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    server.listen({ port: DEFAULT_PORT, host: '127.0.0.1', exclusive: true }, () => {
      resolve(server);
    });
  });
});

afterAll(async () => {
  await Promise.all(
    started.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await new Promise<void>((resolve) => {
    if (occupier === undefined) resolve();
    else
      occupier.close(() => {
        resolve();
      });
  });
  await dirs.cleanup();
});

/** Runs the start script with only the relay; `env` is laid over ours, without KINDRED_RELAY_PORT. */
async function startScript(env: Record<string, string>) {
  const base = { ...process.env };
  delete base.KINDRED_RELAY_PORT;
  const child = spawn(process.execPath, [START, '--relay-only'], {
    cwd: ROOT,
    env: { ...base, KINDRED_RELAY_DATA: await dirs.make('start-relay'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  return { child, stdout, stderr, exited };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start with port 8787 taken', () => {
  it('says so in one line and runs the relay on a free port that works', async () => {
    const run = await startScript({});
    const taken =
      /^Port 8787 is taken, so the relay listens on (ws:\/\/127\.0\.0\.1:(\d+)) instead \(set KINDRED_RELAY_PORT to choose a port\)\.$/u;
    await until(
      () => run.stdout.some((line) => taken.test(line)) || run.child.exitCode !== null,
      45_000,
      'the relay to listen',
    );
    const lines = run.stdout.filter((line) => line.includes('8787'));
    expect(lines).toHaveLength(1);
    const match = taken.exec(lines[0] ?? '');
    const url = match?.[1] ?? '';
    expect(Number(match?.[2])).not.toBe(DEFAULT_PORT);
    expect(run.stderr.join('\n')).not.toMatch(/relay stopped/u);
    // The address it printed (and hands to the window) is a working relay: a persona registers.
    // (printed just after the line above: it may come in a later chunk of the pipe)
    await until(
      () => run.stdout.join('\n').includes(`--server ${url}`),
      15_000,
      'the CLI example with the relay address',
    );
    const client = await newClient(dirs, url, 'Ada');
    expect(client.whoami().relayUrl).toBe(url);
    await client.close();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 90_000);

  it('keeps a port chosen with KINDRED_RELAY_PORT, and says in one line it is taken', async () => {
    const run = await startScript({ KINDRED_RELAY_PORT: String(DEFAULT_PORT) });
    expect(await run.exited).toBe(1);
    expect(run.stderr).toStrictEqual([
      'Port 8787 is taken, so the relay cannot start there: choose another with KINDRED_RELAY_PORT=N (0: any free port).',
    ]);
    expect(run.stdout).toStrictEqual([]);
  }, 30_000);
});
