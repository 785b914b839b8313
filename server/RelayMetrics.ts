/**
 * Counters the relay logs periodically: how much happened, never to whom. Nothing here is keyed
 * by persona, connection or remote address.
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
  readonly errors = new Map<string, number>();

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
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
      errors: Object.fromEntries(this.errors),
    };
  }
}
