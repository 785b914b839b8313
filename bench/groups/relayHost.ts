/**
 * Child process for the group suite: the real relay (startRelay on LevelDB in DATA_DIR,
 * registration open, 127.0.0.1) alone in its process, so `process.cpuUsage()` here is the relay's
 * CPU and nothing else's.
 *
 *   relayHost.ts DATA_DIR
 *
 * Started by bench/suites/groups.ts through bench/relay/rpc.ts; serves `usage` and `stop`.
 */
import { join } from 'node:path';
import { LevelRelayStore, STORE_FOLDER, startRelay } from '../../server/index.js';
import type { RelayOptions } from '../../server/index.js';
import { serveRpc } from '../relay/rpc.js';

/** What `usage` returns. */
export interface RelayUsage {
  /** process.cpuUsage(): user and system CPU of the whole process (every thread), µs. */
  readonly userMicros: number;
  readonly systemMicros: number;
  readonly rssBytes: number;
  /** Synced LevelDB batches so far, and the writes (appends, acks, registrations) they carried. */
  readonly commits: { readonly batches: number; readonly requests: number };
}

export interface RelayReady {
  readonly url: string;
}

/**
 * Defaults, except the limits meant against one abusive client, which the benchmark's clients
 * (hundreds of connections from one address, one sender posting back to back) would hit. The
 * rate limiters stay switched on with a bound never reached, so their cost is measured. The same
 * choices as the relay suite's (bench/relay/host.ts), plus group posts.
 */
export const GROUP_BENCH_RELAY_OPTIONS = {
  host: '127.0.0.1',
  port: 0,
  registration: 'open',
  maxConnectionsPerAddress: 1000,
  maxFramesPerSecond: 1_000_000,
  maxSendsPerSecond: 1_000_000,
  maxGroupPostsPerSecond: 1_000_000,
  // Every bench client comes from 127.0.0.1: the per-address bounds would measure themselves.
  addressRateFactor: 1_000_000,
  maxAnonymousConnections: 1_000_000,
  maxPendingUpgrades: 1_000_000,
  maxPendingUpgradesPerAddress: 1_000_000,
  statsIntervalMs: 0,
} as const satisfies RelayOptions;

async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  if (dataDir === undefined) throw new Error('usage: relayHost.ts DATA_DIR');
  // The store is opened here (not by startRelay) only to read its group-commit counters.
  const store = await LevelRelayStore.open(join(dataDir, STORE_FOLDER));
  const relay = await startRelay({ ...GROUP_BENCH_RELAY_OPTIONS, dataDir, store });
  serveRpc(
    {
      usage: (): RelayUsage => {
        const cpu = process.cpuUsage();
        return {
          userMicros: cpu.user,
          systemMicros: cpu.system,
          rssBytes: process.memoryUsage.rss(),
          commits: store.commitStats,
        };
      },
    },
    { url: relay.url } satisfies RelayReady,
    async () => {
      await relay.close();
      await store.close();
    },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
