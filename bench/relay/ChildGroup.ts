/**
 * The child processes and the temporary folder of one suite run: whatever happens (a failure,
 * Ctrl-C), `close()` or the signal handler stops every child and deletes the folder, so a suite
 * leaves nothing running and nothing on disk.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostLimitOverrides, HostReady } from './host.js';
import { ChildRpc } from './rpc.js';
import type { ChildSettings } from './rpc.js';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const HOST_SCRIPT = new URL('./host.ts', import.meta.url);

/** A relay or bare-forwarder host (host.ts) and the url it listens on. */
export interface StartedServer {
  readonly child: ChildRpc;
  readonly url: string;
}

export class ChildGroup {
  /** The suite's temporary folder (under os.tmpdir(), which must be on a real disk). */
  readonly root: string;
  readonly #children = new Set<ChildRpc>();
  readonly #onSignal: (signal: NodeJS.Signals) => void;

  private constructor(root: string) {
    this.root = root;
    // Interrupted: kill the children, delete the folder, then die of the same signal.
    this.#onSignal = (signal) => {
      for (const child of this.#children) child.killNow();
      rmSync(root, { recursive: true, force: true });
      process.kill(process.pid, signal);
    };
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
  }

  static async create(prefix: string): Promise<ChildGroup> {
    return new ChildGroup(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** Starts a child script (see ChildRpc.start) and tracks it. */
  async start(
    name: string,
    script: URL,
    args: readonly string[],
    settings: ChildSettings = {},
  ): Promise<{ child: ChildRpc; ready: unknown }> {
    const started = await ChildRpc.start(name, script, args, START_TIMEOUT_MS, settings);
    this.#children.add(started.child);
    return started;
  }

  /**
   * Starts the real relay on LevelDB in `dataDir` (host.ts relay), with `overrides` of the
   * benchmark's relay options, or the bare forwarder.
   */
  async startServer(
    kind: 'relay' | 'bare',
    settings: ChildSettings,
    relay: { readonly dataDir: string; readonly overrides?: HostLimitOverrides } | undefined,
  ): Promise<StartedServer> {
    let args: string[];
    if (kind === 'relay') {
      if (relay === undefined) throw new Error('the relay needs a data folder');
      args = ['relay', relay.dataDir, JSON.stringify(relay.overrides ?? {})];
    } else {
      args = ['bare'];
    }
    const { child, ready } = await this.start(kind, HOST_SCRIPT, args, settings);
    const url = (ready as Partial<HostReady> | null)?.url;
    if (typeof url !== 'string' || !url.startsWith('ws://127.0.0.1:')) {
      await this.stop(child);
      throw new Error(`the ${kind} host did not report a ws://127.0.0.1 url`);
    }
    return { child, url };
  }

  /** Asks one child to stop (killing it if it does not) and forgets it. */
  async stop(child: ChildRpc): Promise<void> {
    await child.stop(STOP_TIMEOUT_MS);
    this.#children.delete(child);
  }

  /** Stops every child still running, in the order given first (clients before servers), then
   * the rest, and deletes the folder. */
  async close(first: readonly ChildRpc[] = []): Promise<void> {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    for (const child of first) if (this.#children.has(child)) await this.stop(child);
    for (const child of [...this.#children]) await this.stop(child);
    await rm(this.root, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
