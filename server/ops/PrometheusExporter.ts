import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayMetrics } from '../RelayMetrics.js';

/** Buckets of the mailbox-depth distribution: how many envelopes wait in one mailbox. */
const MAILBOX_DEPTH_BUCKETS = [1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000];

export interface ExporterSources {
  readonly metrics: RelayMetrics;
  /** Open connections right now, by kind. */
  connections(): { readonly anonymous: number; readonly authenticated: number };
  /** The depth of every non-empty mailbox, without whose (the store's one pass over its keys). */
  mailboxDepths(): Promise<number[]>;
  /** The longest a measured mailbox-depth distribution is shown before it is measured again. */
  readonly mailboxScanIntervalMs: number;
}

/**
 * The relay's state in the Prometheus text format, for the operator's listener. Every series is
 * an aggregate: the only labels are a connection kind, a frame type and an error code, so no
 * scrape can name a persona, a group or an address (tests/server/opsListener.test.ts scans one).
 *
 * The relay's counters are plain numbers on the hot path (RelayMetrics); each exported counter
 * reads its number when scraped. prom-client adds the process's own metrics: resident memory,
 * heap, event-loop lag, garbage collection.
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  readonly #sources: ExporterSources;
  #depths: { readonly at: number; readonly depths: Promise<number[]> } | undefined;

  constructor(sources: ExporterSources) {
    this.#sources = sources;
    const { metrics } = sources;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    for (const [name, help, read] of counterTable(metrics)) {
      new Counter({
        name: `kindred_${name}_total`,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    }
    new Counter({
      name: 'kindred_frames_received_total',
      help: 'Frames received from clients, by frame type (malformed: did not decode)',
      labelNames: ['type'],
      registers,
      collect() {
        mirror(this, 'type', metrics.frames);
      },
    });
    new Counter({
      name: 'kindred_errors_total',
      help: 'Error answers sent, by code (RELAY_RATE_LIMITED counts rate-limit refusals)',
      labelNames: ['code'],
      registers,
      collect() {
        mirror(this, 'code', metrics.errors);
      },
    });
    new Gauge({
      name: 'kindred_connections',
      help: 'Open WebSocket connections, anonymous or authenticated',
      labelNames: ['kind'],
      registers,
      collect() {
        const { anonymous, authenticated } = sources.connections();
        this.set({ kind: 'anonymous' }, anonymous);
        this.set({ kind: 'authenticated' }, authenticated);
      },
    });
    const measuredDepths = (): Promise<number[]> => this.#mailboxDepths();
    new Histogram({
      name: 'kindred_mailbox_depth',
      help: 'Envelopes waiting per non-empty mailbox (measured every mailbox-scan-interval)',
      buckets: MAILBOX_DEPTH_BUCKETS,
      registers,
      async collect() {
        const depths = await measuredDepths();
        this.reset();
        // All buckets at 0 rather than no series when every mailbox is empty.
        this.zero({});
        for (const depth of depths) this.observe(depth);
      },
    });
    for (const histogram of [
      metrics.deliveryAge,
      metrics.syncedBatchSize,
      metrics.syncedBatchSeconds,
    ]) {
      this.registry.registerMetric(histogram);
    }
  }

  /** The scrape: every metric in the Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The last measured distribution, measured anew once it is older than the scan interval. */
  #mailboxDepths(): Promise<number[]> {
    const now = Date.now();
    if (
      this.#depths === undefined ||
      now - this.#depths.at >= this.#sources.mailboxScanIntervalMs
    ) {
      const depths = this.#sources.mailboxDepths();
      // A failed scan is tried again at the next scrape, not shown for a whole interval.
      depths.catch(() => {
        this.#depths = undefined;
      });
      this.#depths = { at: now, depths };
    }
    return this.#depths.depths;
  }
}

/** Sets a labelled counter to the counts in `counts`. */
function mirror(counter: Counter, label: string, counts: ReadonlyMap<string, number>): void {
  counter.reset();
  for (const [value, count] of counts) counter.inc({ [label]: value }, count);
}

/** Each cumulative counter of RelayMetrics: exported name (without kindred_ and _total), help. */
function counterTable(metrics: RelayMetrics): [string, string, () => number][] {
  return [
    ['connections_opened', 'WebSocket connections accepted', () => metrics.connectionsOpened],
    ['connections_closed', 'WebSocket connections closed', () => metrics.connectionsClosed],
    [
      'connections_refused',
      'Connections refused (over a per-address or total cap)',
      () => metrics.connectionsRefused,
    ],
    ['upgrades_dropped', 'Connections dropped before their upgrade', () => metrics.upgradesDropped],
    ['authentications', 'Successful authentications', () => metrics.authenticated],
    ['registrations', 'Personas registered', () => metrics.registered],
    ['envelopes_stored', 'Envelopes stored in mailboxes', () => metrics.envelopesStored],
    ['envelopes_delivered', 'Envelopes delivered', () => metrics.envelopesDelivered],
    ['envelopes_acknowledged', 'Envelopes acknowledged', () => metrics.envelopesAcknowledged],
    [
      'envelopes_expired',
      'Envelopes deleted undelivered (retention or disappearing timers)',
      () => metrics.envelopesExpired,
    ],
    ['prekey_bundles_served', 'Prekey bundles handed out', () => metrics.preKeyBundlesServed],
    ['group_operations_stored', 'Group operations appended', () => metrics.groupOperationsStored],
    ['group_messages_stored', 'Group messages (posts) appended', () => metrics.groupMessagesStored],
    [
      'group_entries_delivered',
      'Group stream entries delivered',
      () => metrics.groupEntriesDelivered,
    ],
    ['group_acks', 'Group acknowledgements', () => metrics.groupAcks],
    [
      'group_messages_pruned',
      'Group messages pruned by retention',
      () => metrics.groupMessagesPruned,
    ],
    ['group_log_pages_served', 'Group log pages served', () => metrics.groupLogPagesServed],
    [
      'group_operations_replayed',
      'Group operations replayed to rebuild group states',
      () => metrics.groupOperationsReplayed,
    ],
    [
      'group_snapshots_written',
      'Group state snapshots written',
      () => metrics.groupSnapshotsWritten,
    ],
    [
      'slow_consumers_dropped',
      'Connections dropped for not reading their deliveries',
      () => metrics.slowConsumersDropped,
    ],
    [
      'heartbeat_timeouts',
      'Connections dropped for missing heartbeats',
      () => metrics.heartbeatTimeouts,
    ],
    ['store_errors', 'Requests that failed in the store', () => metrics.storeErrors],
  ];
}
