/**
 * A recipient coming back to 10,000 queued envelopes: how long the relay takes to hand them all
 * over (delivered, acknowledged, deleted), next to the store doing the same reads and deletes with
 * no relay in between.
 *
 * Two child processes: the relay (startRelay on a temporary LevelDB store, host.ts), and the client
 * (clients.ts). Each run queues 10,000 envelopes of 1 KiB for a persona that is offline, straight
 * into the relay's store (untimed), then:
 * - relay: the persona connects, authenticates and reads its mailbox to the end, acknowledging
 *   what each turn of its event loop read in one AckEnvelopes, as core's client does; timed from
 *   its AuthResponse to the relay's answer to its last acknowledgement (by then every envelope is
 *   deleted);
 * - raw: in the relay's process, through the same store object, readMailbox in pages of the
 *   relay's delivery window (100), each page deleted once read; timed from the first read to the
 *   last delete.
 * Every run gets a mailbox of its own (a persona never drained before), so no run reads past
 * another's deleted keys. Runs alternate, swapping which goes first.
 */
import { join } from 'node:path';
import { RELAY_LIMIT_DEFAULTS } from '../../server/index.js';
import { ChildGroup } from '../relay/ChildGroup.js';
import type { StartedServer } from '../relay/ChildGroup.js';
import type {
  AddressesParams,
  DrainParams,
  DrainResult,
  OpenIdleParams,
} from '../relay/clients.js';
import type { DrainStoreParams, DrainStoreResult, FillMailboxParams } from '../relay/host.js';
import type { ChildRpc } from '../relay/rpc.js';
import { formatCount, statsOf } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

/** Envelopes queued for each drain. */
export const QUEUED = 10_000;
const SEALED_BYTES = 1024;
/** The relay reads a mailbox at most this many envelopes at a time (its delivery window). */
const PAGE_SIZE = RELAY_LIMIT_DEFAULTS.maxUnackedDeliveries;
const CLIENTS_SCRIPT = new URL('../relay/clients.ts', import.meta.url);
const CALL_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 5 * 60 * 1000;
/** Baseline mailboxes belong to personas numbered from here (never connected: the store alone). */
const BASELINE_FIRST = 1000;

interface RelayRun extends DrainResult {
  readonly ms: number;
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const group = await ChildGroup.create('kindred-bench-drain-');
  let clients: ChildRpc | undefined;
  try {
    options.log('drain: starting the relay and the client');
    const relay = await group.startServer('relay', {}, { dataDir: join(group.root, 'relay') });
    clients = (await group.start('clients', CLIENTS_SCRIPT, [])).child;
    const bench = new DrainBench(relay, clients);
    // One warm-up of each side, then the timed runs.
    const runs = options.repetitions + 1;
    await bench.register(runs);
    options.log(
      `drain: ${options.repetitions} runs per side (after one untimed) of ${formatCount(QUEUED)} ` +
        `queued ${SEALED_BYTES}-byte envelopes`,
    );
    const relayRuns: RelayRun[] = [];
    const storeRuns: DrainStoreResult[] = [];
    for (let rep = 0; rep < runs; rep++) {
      const relaySide = async (): Promise<void> => {
        const result = await bench.relayDrain(rep);
        options.log(
          `drain: relay ${(result.ms / 1000).toFixed(2)} s (${formatCount(rate(result.ms))}/s; ` +
            `AuthOk after ${result.authOkMs.toFixed(1)} ms, last delivery at ` +
            `${result.lastDeliverMs.toFixed(0)} ms, ${result.ackFrames} AckEnvelopes)` +
            (rep === 0 ? ' (warm-up)' : ''),
        );
        if (rep > 0) relayRuns.push(result);
      };
      const storeSide = async (): Promise<void> => {
        const result = await bench.storeDrain(rep);
        options.log(
          `drain: store ${(result.totalMs / 1000).toFixed(2)} s ` +
            `(${formatCount(rate(result.totalMs))}/s; reads ${result.readMs.toFixed(0)} ms)` +
            (rep === 0 ? ' (warm-up)' : ''),
        );
        if (rep > 0) storeRuns.push(result);
      };
      if (rep % 2 === 0) {
        await storeSide();
        await relaySide();
      } else {
        await relaySide();
        await storeSide();
      }
    }
    return rows(relayRuns, storeRuns);
  } finally {
    await group.close(clients === undefined ? [] : [clients]);
  }
}

class DrainBench {
  readonly #relay: StartedServer;
  readonly #clients: ChildRpc;
  #recipients: readonly string[] = [];
  #baselines: readonly string[] = [];

  constructor(relay: StartedServer, clients: ChildRpc) {
    this.#relay = relay;
    this.#clients = clients;
  }

  /** Registers one persona per run (connects it once, to an empty mailbox). */
  async register(runs: number): Promise<void> {
    const params: OpenIdleParams = { url: this.#relay.url, from: 0, count: runs, concurrency: 4 };
    await this.#clients.call('openIdle', params, CALL_TIMEOUT_MS);
    const closed = await this.#clients.call<{ failure: string | null }>(
      'closeIdle',
      null,
      CALL_TIMEOUT_MS,
    );
    if (closed.failure !== null) throw new Error(`a connection failed: ${closed.failure}`);
    this.#recipients = await this.#addresses({ from: 0, count: runs });
    this.#baselines = await this.#addresses({ from: BASELINE_FIRST, count: runs });
  }

  async relayDrain(run: number): Promise<RelayRun> {
    await this.#fill(this.#recipients, run);
    const params: DrainParams = {
      url: this.#relay.url,
      index: run,
      expected: QUEUED,
      timeoutMs: DRAIN_TIMEOUT_MS,
    };
    const result = await this.#clients.call<DrainResult>(
      'drain',
      params,
      DRAIN_TIMEOUT_MS + CALL_TIMEOUT_MS,
    );
    return { ...result, ms: result.doneMs };
  }

  async storeDrain(run: number): Promise<DrainStoreResult> {
    const recipient = await this.#fill(this.#baselines, run);
    const params: DrainStoreParams = { recipient, expected: QUEUED, pageSize: PAGE_SIZE };
    return this.#relay.child.call<DrainStoreResult>('drainStore', params, DRAIN_TIMEOUT_MS);
  }

  async #fill(addresses: readonly string[], run: number): Promise<string> {
    const recipient = addresses[run];
    if (recipient === undefined) throw new Error(`no mailbox for run ${run}`);
    const params: FillMailboxParams = { recipient, count: QUEUED, sealedBytes: SEALED_BYTES };
    await this.#relay.child.call('fillMailbox', params, DRAIN_TIMEOUT_MS);
    return recipient;
  }

  #addresses(params: AddressesParams): Promise<string[]> {
    return this.#clients.call<string[]>('addresses', params, CALL_TIMEOUT_MS);
  }
}

function rows(relay: readonly RelayRun[], store: readonly DrainStoreResult[]): BenchRow[] {
  const relayMs = statsOf(relay.map((one) => one.ms));
  const storeMs = statsOf(store.map((one) => one.totalMs));
  const relayRate = statsOf(relay.map((one) => rate(one.ms)));
  const storeRate = statsOf(store.map((one) => rate(one.totalMs)));
  const median = <T>(runs: readonly T[], pick: (one: T) => number): number =>
    statsOf(runs.map(pick)).median;
  const what =
    `${formatCount(QUEUED)} envelopes of ${formatCount(SEALED_BYTES)} bytes queued for an ` +
    `offline persona (LevelDB); relay: it connects, authenticates and reads them all over ` +
    `WebSocket, acknowledging each turn's deliveries (delivery window ${PAGE_SIZE}), until the ` +
    `last acknowledgement is answered (all deleted); raw = the same store object in the relay's ` +
    `process, readMailbox in pages of ${PAGE_SIZE}, each page deleted once read`;
  const detail =
    `relay: AuthOk after ${median(relay, (one) => one.authOkMs).toFixed(1)} ms, last delivery ` +
    `at ${median(relay, (one) => one.lastDeliverMs).toFixed(0)} ms, ` +
    `${formatCount(median(relay, (one) => one.ackFrames))} AckEnvelopes; store: reads alone ` +
    `${median(store, (one) => one.readMs).toFixed(0)} ms ` +
    `(${formatCount(QUEUED / (median(store, (one) => one.readMs) / 1000))}/s)`;
  return [
    {
      name: `recipient drains ${formatCount(QUEUED)} queued envelopes`,
      unit: 'ops/s',
      kindred: relayRate,
      baseline: storeRate,
      ratio: relayRate.median / storeRate.median,
      note: `op = one envelope; ${what}; ${detail}`,
    },
    {
      name: `recipient drains ${formatCount(QUEUED)} queued envelopes: time`,
      unit: 'ms',
      kindred: relayMs,
      baseline: storeMs,
      ratio: relayMs.median / storeMs.median,
      note: 'the same runs, as the time to empty the mailbox; lower is better',
    },
  ];
}

function rate(ms: number): number {
  return QUEUED / (ms / 1000);
}
