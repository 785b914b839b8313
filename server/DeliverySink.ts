import type { StoredEnvelope, StoredGroupEntry } from './store/RelayStore.js';

/**
 * Where a connection's mailbox and group deliveries go. An object with methods rather than
 * callbacks in the deliveries' options: callbacks were a closure each per connection (and under
 * tsx, which keeps function names, each named closure also carries a ~256-byte property
 * dictionary), a visible part of what an idle connection costs (docs/performance.md).
 */
export interface DeliverySink {
  /** Sends one Deliver; false when delivery should pause until the socket drains. */
  deliverEnvelope(envelope: StoredEnvelope): boolean;
  /** Sends one GroupDeliver; false when delivery should pause until the socket drains. */
  deliverGroupEntry(groupId: Uint8Array, entry: StoredGroupEntry): boolean;
  /** A delivery's store read failed (logged; the envelopes stay stored for the next connection). */
  deliveryFailed(error: unknown): void;
}
