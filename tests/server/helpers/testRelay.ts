// Real relays on 127.0.0.1 with real LevelDB folders in temporary directories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../../../server/index.js';
import type { RelayOptions, RunningRelay } from '../../../server/index.js';

export interface TestRelay {
  relay: RunningRelay;
  readonly dataDir: string;
  readonly url: string;
  /** Closes the relay and starts a new one on the same data folder (and the same port). */
  restart(overrides?: Partial<RelayOptions>): Promise<void>;
  /** Closes the relay and deletes its folder. */
  dispose(): Promise<void>;
}

/** Small proof of work and generous rates, so tests exercise logic rather than limits. */
export const TEST_RELAY_DEFAULTS: Partial<RelayOptions> = {
  host: '127.0.0.1',
  port: 0,
  registration: 'pow',
  powDifficulty: 6,
  statsIntervalMs: 0,
};

export async function makeTempDir(prefix = 'kindred-relay-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestRelay(options: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const dataDir = await makeTempDir();
  let current: Partial<RelayOptions> = { ...TEST_RELAY_DEFAULTS, ...options, dataDir };
  let relay = await startRelay(current);
  const state: TestRelay = {
    relay,
    dataDir,
    url: relay.url,
    async restart(overrides = {}) {
      await relay.close();
      current = { ...current, ...overrides, port: relay.port };
      relay = await startRelay(current);
      state.relay = relay;
    },
    async dispose() {
      await relay.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return state;
}
