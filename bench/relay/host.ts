/**
 * Child process for the relay suite: runs one server in a process of its own, so
 * `process.cpuUsage()` here is that server's CPU and nothing else's.
 *
 *   host.ts relay DATA_DIR   the real relay (startRelay on LevelDB in DATA_DIR, registration open)
 *   host.ts bare             the bare forwarder baseline (bareForwarder.ts)
 *
 * Started by bench/suites/relay.ts through rpc.ts; serves `usage` (CPU, memory, and for the relay
 * the group-commit counters) and `stop`.
 */
import { join } from 'node:path';
import { LevelRelayStore, STORE_FOLDER, startRelay } from '../../server/index.js';
import type { RelayOptions } from '../../server/index.js';
import { startBareForwarder } from './bareForwarder.js';
import { serveRpc } from './rpc.js';
import { checkWireCodec } from './wire.js';

/** What `usage` returns. */
export interface HostUsage {
  /** process.cpuUsage(): user and system CPU of the whole process (every thread), µs. */
  readonly userMicros: number;
  readonly systemMicros: number;
  readonly rssBytes: number;
  /** Relay only: synced LevelDB batches so far, and the append calls they carried. */
  readonly commits?: { readonly batches: number; readonly requests: number };
}

export interface HostReady {
  readonly url: string;
}

/**
 * The relay's configuration in the benchmark: defaults, except the limits that exist against
 * abuse by one client and that a load generator on one address with few connections would hit
 * (every connection here sends far more than one person would). The rate limiters stay switched
 * on with a bound that is never reached, so their cost is measured.
 */
export const BENCH_RELAY_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  registration: 'open',
  maxConnectionsPerAddress: 1000,
  maxFramesPerSecond: 1_000_000,
  maxSendsPerSecond: 1_000_000,
  statsIntervalMs: 0,
} as const satisfies RelayOptions;

async function main(): Promise<void> {
  checkWireCodec();
  const [mode, dataDir] = process.argv.slice(2);
  if (mode === 'relay') {
    if (dataDir === undefined) throw new Error('usage: host.ts relay DATA_DIR');
    // The store is opened here (not by startRelay) only to read its group-commit counters.
    const store = await LevelRelayStore.open(join(dataDir, STORE_FOLDER));
    const relay = await startRelay({ ...BENCH_RELAY_OPTIONS, dataDir, store });
    serveRpc(
      { usage: (): HostUsage => ({ ...processUsage(), commits: store.commitStats }) },
      { url: relay.url } satisfies HostReady,
      async () => {
        await relay.close();
        await store.close();
      },
    );
    return;
  }
  if (mode === 'bare') {
    const forwarder = await startBareForwarder();
    serveRpc(
      { usage: (): HostUsage => processUsage() },
      { url: forwarder.url } satisfies HostReady,
      () => forwarder.close(),
    );
    return;
  }
  throw new Error('usage: host.ts relay DATA_DIR | host.ts bare');
}

function processUsage(): HostUsage {
  const cpu = process.cpuUsage();
  return { userMicros: cpu.user, systemMicros: cpu.system, rssBytes: process.memoryUsage.rss() };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
