import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { POW_DIFFICULTY } from './helpers.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/kindred-server.js');

/** A relay running as its own process, as an operator runs it. */
export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Ends the process (SIGKILL: no goodbye, no flush) and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts bin/kindred-server.js and waits for its `listening` line. */
export async function spawnRelay(options: {
  dataDir: string;
  port?: number;
  extraArgs?: readonly string[];
}): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--data',
      options.dataDir,
      '--port',
      String(options.port ?? 0),
      '--host',
      '127.0.0.1',
      '--registration',
      'pow',
      '--pow-difficulty',
      String(POW_DIFFICULTY),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const listening = await new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`relay did not start: ${stderr}`));
    }, 20_000);
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'listening' && typeof event.url === 'string') {
          clearTimeout(timer);
          resolve({ url: event.url });
        }
      } catch {
        // Not a JSON line: ignore.
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${String(code)}: ${stderr}`));
    });
  });
  const port = Number(new URL(listening.url).port);
  return {
    url: listening.url,
    port,
    child,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
