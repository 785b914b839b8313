/**
 * One relay as an operator runs it: `bin/kindred-server.js` in a process of its own (the cluster
 * suite runs LevelDB and Redis Cluster nodes alike this way), with its /metrics listener, whose
 * `process_cpu_*_seconds_total` give the process's own CPU (every thread).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const RELAY_BIN = fileURLToPath(new URL('../../bin/kindred-server.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The relay's command-line flags for the benchmark, as BENCH_RELAY_OPTIONS (bench/relay/host.ts):
 * registration open, and the bounds against one abusive client lifted, because the load generator
 * is a few connections from one address sending far more than any person would.
 */
export const BENCH_RELAY_FLAGS: readonly string[] = [
  ...['--host', '127.0.0.1', '--port', '0', '--registration', 'open'],
  ...['--max-connections-per-address', '1000', '--max-frames-per-second', '1000000'],
  ...['--max-sends-per-second', '1000000', '--address-rate-factor', '1000000'],
  ...['--max-anonymous-connections', '1000000', '--max-pending-upgrades', '1000000'],
  ...['--max-pending-upgrades-per-address', '1000000', '--metrics-port', '0'],
  ...['--log-level', 'warn'],
];

export class RelayNodeProcess {
  readonly name: string;
  readonly url: string;
  readonly #metricsPort: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;

  private constructor(
    name: string,
    url: string,
    metricsPort: number,
    child: ChildProcess,
    exited: Promise<void>,
  ) {
    this.name = name;
    this.url = url;
    this.#metricsPort = metricsPort;
    this.#child = child;
    this.#exited = exited;
  }

  /**
   * Starts the relay with `args` (after BENCH_RELAY_FLAGS) and resolves once it printed its
   * `listening` line; `track` gets it at once, so an interrupted run can kill it.
   */
  static async start(
    name: string,
    args: readonly string[],
    track: (child: ChildProcess) => void,
  ): Promise<RelayNodeProcess> {
    const child = spawn(process.execPath, [RELAY_BIN, ...BENCH_RELAY_FLAGS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout });
    try {
      const ready = await new Promise<{ url: string; metricsPort: number }>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${name} did not start in ${START_TIMEOUT_MS} ms: ${stderr}`));
        }, START_TIMEOUT_MS);
        lines.on('line', (line) => {
          let event: { event?: unknown; url?: unknown; metricsPort?: unknown };
          try {
            event = JSON.parse(line) as typeof event;
          } catch {
            return;
          }
          if (
            event.event === 'listening' &&
            typeof event.url === 'string' &&
            typeof event.metricsPort === 'number'
          ) {
            clearTimeout(timer);
            resolve({ url: event.url, metricsPort: event.metricsPort });
          }
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} exited with ${String(child.exitCode)}: ${stderr}`));
        });
      });
      return new RelayNodeProcess(name, ready.url, ready.metricsPort, child, exited);
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      throw error;
    }
  }

  /** The process's CPU so far (user + system, every thread), µs, from its /metrics. */
  async cpuMicros(): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.#metricsPort}/metrics`);
    const text = await response.text();
    const seconds = (name: string): number => {
      const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
      if (match?.[1] === undefined) throw new Error(`${this.name}'s /metrics has no ${name}`);
      return Number(match[1]);
    };
    return (
      (seconds('process_cpu_user_seconds_total') + seconds('process_cpu_system_seconds_total')) *
      1e6
    );
  }

  /** SIGTERM (a drain), then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}
