import { Histogram } from 'prom-client';

/** Seconds from a store to its delivery: from at once to a recipient away for weeks. */
const DELIVERY_AGE_BUCKETS = [
  0.005,
  0.025,
  0.1,
  0.5,
  2,
  10,
  60,
  600,
  3_600,
  6 * 3_600,
  86_400,
  7 * 86_400,
  28 * 86_400,
];
/** Requests carried by one batched write (group commit). */
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
/** Seconds one batched write takes. */
const BATCH_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * What the relay counts and measures: how much happened, never to whom. Nothing here is keyed by
 * persona, group, connection or remote address; the only labels are frame types and error codes.
 * The counters are plain numbers (they sit on the hot path) that the periodic log line and the
 * Prometheus endpoint (server/ops/PrometheusExporter.ts) both read; the histograms are
 * prom-client's, registered by the exporter.
 */
export class RelayMetrics {
  connectionsOpened = 0;
  connectionsClosed = 0;
  connectionsRefused = 0;
  authenticated = 0;
  registered = 0;
  envelopesStored = 0;
  envelopesDelivered = 0;
  envelopesAcknowledged = 0;
  envelopesExpired = 0;
  preKeyBundlesServed = 0;
  groupOperationsStored = 0;
  groupMessagesStored = 0;
  groupEntriesDelivered = 0;
  groupAcks = 0;
  groupMessagesPruned = 0;
  groupLogPagesServed = 0;
  /** Operations applied while rebuilding group states (cache misses and restarts). */
  groupOperationsReplayed = 0;
  groupSnapshotsWritten = 0;
  slowConsumersDropped = 0;
  heartbeatTimeouts = 0;
  /** Connections dropped before completing their upgrade request (over a cap or too slow). */
  upgradesDropped = 0;
  /** Failures of the store (a write or read that threw), whatever the request was. */
  storeErrors = 0;
  /** Error answers, by RELAY_* code (rate-limit refusals are RELAY_RATE_LIMITED). */
  readonly errors = new Map<string, number>();
  /** Frames received, by type (the ClientFrame body case, or `malformed`). */
  readonly frames = new Map<string, number>();

  /** From an envelope or group entry reaching the store to its delivery, in seconds. */
  readonly deliveryAge = new Histogram({
    name: 'kindred_delivery_age_seconds',
    help: 'Time from the relay storing an envelope or group entry to delivering it (includes time the recipient was offline)',
    buckets: DELIVERY_AGE_BUCKETS,
    registers: [],
  });
  /** Requests carried by each batched write of the store (group commit). */
  readonly syncedBatchSize = new Histogram({
    name: 'kindred_store_synced_batch_requests',
    help: 'Requests carried by one batched write of the store (group commit of sends and group posts)',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [],
  });
  readonly syncedBatchSeconds = new Histogram({
    name: 'kindred_store_synced_batch_seconds',
    help: 'Duration of one batched write of the store (synced when it carries a durable write)',
    buckets: BATCH_SECONDS_BUCKETS,
    registers: [],
  });

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  countFrame(type: string): void {
    this.frames.set(type, (this.frames.get(type) ?? 0) + 1);
  }

  /** Records one delivery of something the store received at `receivedAt` (ms). */
  observeDelivery(receivedAt: number): void {
    this.deliveryAge.observe(Math.max(0, Date.now() - receivedAt) / 1000);
  }

  /** Records one batched write of `requests` requests that took `ms`. */
  observeSyncedBatch(requests: number, ms: number): void {
    this.syncedBatchSize.observe(requests);
    this.syncedBatchSeconds.observe(ms / 1000);
  }

  /** A plain object for the log line; every counter is cumulative since start. */
  snapshot(openConnections: number): Record<string, unknown> {
    return {
      openConnections,
      connectionsOpened: this.connectionsOpened,
      connectionsClosed: this.connectionsClosed,
      connectionsRefused: this.connectionsRefused,
      authenticated: this.authenticated,
      registered: this.registered,
      envelopesStored: this.envelopesStored,
      envelopesDelivered: this.envelopesDelivered,
      envelopesAcknowledged: this.envelopesAcknowledged,
      envelopesExpired: this.envelopesExpired,
      preKeyBundlesServed: this.preKeyBundlesServed,
      groupOperationsStored: this.groupOperationsStored,
      groupMessagesStored: this.groupMessagesStored,
      groupEntriesDelivered: this.groupEntriesDelivered,
      groupAcks: this.groupAcks,
      groupMessagesPruned: this.groupMessagesPruned,
      groupLogPagesServed: this.groupLogPagesServed,
      groupOperationsReplayed: this.groupOperationsReplayed,
      groupSnapshotsWritten: this.groupSnapshotsWritten,
      slowConsumersDropped: this.slowConsumersDropped,
      heartbeatTimeouts: this.heartbeatTimeouts,
      upgradesDropped: this.upgradesDropped,
      storeErrors: this.storeErrors,
      errors: Object.fromEntries(this.errors),
    };
  }
}
