/**
 * Child process for the relay benchmarks: runs one server in a process of its own, so
 * `process.cpuUsage()` and `process.memoryUsage()` here are that server's and nothing else's.
 *
 *   host.ts relay DATA_DIR [LIMITS_JSON]   the real relay (startRelay on LevelDB in DATA_DIR,
 *                                          registration open); LIMITS_JSON overrides some of
 *                                          BENCH_RELAY_OPTIONS (connection counts, say)
 *   host.ts bare                           the bare forwarder baseline (bareForwarder.ts)
 *
 * Started by the relay, connections, drain and sustain suites through rpc.ts; serves `usage`
 * (CPU, memory, and for the relay the group-commit counters), `memory` (after a full garbage
 * collection when asked and the child was started with --expose-gc), for the relay `fillMailbox`
 * and `drainStore` (the drain suite's queue and its baseline, straight on the store), and `stop`.
 */
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { LevelRelayStore, STORE_FOLDER, startRelay } from '../../server/index.js';
import type { RelayLimits, RelayOptions } from '../../server/index.js';
import { startBareForwarder } from './bareForwarder.js';
import { numberedSealed } from './drainPayload.js';
import { serveRpc } from './rpc.js';
import type { RpcHandler } from './rpc.js';
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

/** What `memory` returns: process.memoryUsage(), in bytes. */
export interface HostMemory {
  readonly rssBytes: number;
  readonly heapTotalBytes: number;
  readonly heapUsedBytes: number;
  /** Memory of C++ objects bound to JS ones, ArrayBuffers (socket buffers, frames) included. */
  readonly externalBytes: number;
  readonly arrayBuffersBytes: number;
  /** Whether a full garbage collection ran just before (it needs --expose-gc). */
  readonly collected: boolean;
}

export interface MemoryParams {
  /** Run a full garbage collection first (twice, a turn apart, so weak callbacks run too). */
  readonly gc: boolean;
}

export interface FillMailboxParams {
  readonly recipient: string;
  readonly count: number;
  /** Sealed bytes per envelope: the first 4 are the envelope's number (uint32 LE), from 0. */
  readonly sealedBytes: number;
}

export interface DrainStoreParams {
  readonly recipient: string;
  readonly expected: number;
  /** Envelopes per read, as the relay reads them (its delivery window). */
  readonly pageSize: number;
}

export interface DrainStoreResult {
  /** From the first read to the last delete settled, ms. */
  readonly totalMs: number;
  /** The reads alone, ms. */
  readonly readMs: number;
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
  // Every bench client comes from 127.0.0.1: the per-address bounds would measure themselves.
  addressRateFactor: 1_000_000,
  maxAnonymousConnections: 1_000_000,
  maxPendingUpgrades: 1_000_000,
  maxPendingUpgradesPerAddress: 1_000_000,
  statsIntervalMs: 0,
} as const satisfies RelayOptions;

/** The limits a suite may override on the command line (`LIMITS_JSON`). */
export type HostLimitOverrides = Partial<
  Pick<RelayLimits, 'maxConnections' | 'maxConnectionsPerAddress'>
>;

async function main(): Promise<void> {
  checkWireCodec();
  const [mode, dataDir, limitsJson] = process.argv.slice(2);
  const memory = (params: unknown): Promise<HostMemory> =>
    memoryNow((params as Partial<MemoryParams> | null)?.gc === true);
  if (mode === 'relay') {
    if (dataDir === undefined) throw new Error('usage: host.ts relay DATA_DIR [LIMITS_JSON]');
    const overrides = parseOverrides(limitsJson);
    // The store is opened here (not by startRelay) to read its group-commit counters, and for the
    // drain suite to fill a mailbox and read it back directly.
    const store = await LevelRelayStore.open(join(dataDir, STORE_FOLDER));
    const relay = await startRelay({ ...BENCH_RELAY_OPTIONS, ...overrides, dataDir, store });
    const handlers: Record<string, RpcHandler> = {
      usage: (): HostUsage => ({ ...processUsage(), commits: store.commitStats }),
      memory,
      fillMailbox: (params) => fillMailbox(store, params as FillMailboxParams),
      drainStore: (params) => drainStore(store, params as DrainStoreParams),
    };
    serveRpc(handlers, { url: relay.url } satisfies HostReady, async () => {
      await relay.close();
      await store.close();
    });
    return;
  }
  if (mode === 'bare') {
    const forwarder = await startBareForwarder();
    serveRpc(
      { usage: (): HostUsage => processUsage(), memory },
      { url: forwarder.url } satisfies HostReady,
      () => forwarder.close(),
    );
    return;
  }
  throw new Error('usage: host.ts relay DATA_DIR [LIMITS_JSON] | host.ts bare');
}

function parseOverrides(json: string | undefined): HostLimitOverrides {
  if (json === undefined) return {};
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const overrides: { -readonly [Name in keyof HostLimitOverrides]: number } = {};
  for (const name of ['maxConnections', 'maxConnectionsPerAddress'] as const) {
    const value = parsed[name];
    if (value === undefined) continue;
    if (typeof value !== 'number') throw new Error(`${name} must be a number`);
    overrides[name] = value;
  }
  return overrides;
}

function processUsage(): HostUsage {
  const cpu = process.cpuUsage();
  return { userMicros: cpu.user, systemMicros: cpu.system, rssBytes: process.memoryUsage.rss() };
}

async function memoryNow(collect: boolean): Promise<HostMemory> {
  // Present only with --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc;
  const collected = collect && gc !== undefined;
  if (collected) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const usage = process.memoryUsage();
  if (collected) writeSnapshotIfAsked();
  return {
    rssBytes: usage.rss,
    heapTotalBytes: usage.heapTotal,
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
    arrayBuffersBytes: usage.arrayBuffers,
    collected,
  };
}

/**
 * Diagnosis only: with KINDRED_BENCH_HEAP_SNAPSHOTS set to a folder, every `memory` reading
 * after a full collection also writes a heap snapshot there (after the reading, so the snapshot's own cost is not in it), to
 * see what the relay holds per connection (Chrome DevTools' Memory tab opens them).
 */
const SNAPSHOT_FOLDER = process.env.KINDRED_BENCH_HEAP_SNAPSHOTS;
let snapshotsWritten = 0;

function writeSnapshotIfAsked(): void {
  if (SNAPSHOT_FOLDER === undefined || SNAPSHOT_FOLDER === '') return;
  snapshotsWritten += 1;
  const name = `${process.argv[2] ?? 'host'}-${process.pid}-${snapshotsWritten}.heapsnapshot`;
  writeHeapSnapshot(join(SNAPSHOT_FOLDER, name));
}

/** Envelopes per appendEnvelopes call when filling a mailbox (one synced batch each). */
const FILL_BATCH = 500;

/** Queues `count` envelopes for `recipient` straight into the store (untimed set-up). */
async function fillMailbox(store: LevelRelayStore, params: FillMailboxParams): Promise<null> {
  const receivedAt = Date.now();
  for (let first = 0; first < params.count; first += FILL_BATCH) {
    const batch = [];
    for (let n = first; n < Math.min(params.count, first + FILL_BATCH); n++) {
      batch.push({
        recipient: params.recipient,
        sealed: numberedSealed(n, params.sealedBytes),
        receivedAt,
      });
    }
    await store.appendEnvelopes(batch);
  }
  const depth = await store.mailboxDepth(params.recipient);
  if (depth !== params.count) {
    throw new Error(`the mailbox holds ${depth} envelopes, expected ${params.count}`);
  }
  return null;
}

function numberOf(sealed: Uint8Array): number {
  return new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength).getUint32(0, true);
}

/**
 * The drain baseline: what the relay asks of its store to drain a mailbox, without the relay:
 * read it in pages of `pageSize`, delete each page once read. Checks every envelope's number.
 */
async function drainStore(
  store: LevelRelayStore,
  params: DrainStoreParams,
): Promise<DrainStoreResult> {
  let cursor = 0n;
  let read = 0;
  let readMs = 0;
  const started = performance.now();
  for (;;) {
    const readStarted = performance.now();
    const page = await store.readMailbox(params.recipient, cursor, params.pageSize);
    readMs += performance.now() - readStarted;
    if (page.length === 0) break;
    for (const envelope of page) {
      // Only the number, inside the timer (the client checks whole payloads in its own process).
      const number = numberOf(envelope.sealed);
      if (number !== read) throw new Error(`read envelope ${number}, expected ${read}`);
      read += 1;
      cursor = envelope.id;
    }
    await store.deleteEnvelopes(
      params.recipient,
      page.map((envelope) => envelope.id),
    );
  }
  const totalMs = performance.now() - started;
  if (read !== params.expected) {
    throw new Error(`read ${read} envelopes, expected ${params.expected}`);
  }
  return { totalMs, readMs };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
