import type { DeliverySink } from './DeliverySink.js';
import type { RelayStore, StoredEnvelope } from './store/RelayStore.js';

export interface MailboxDeliveryOptions {
  readonly store: RelayStore;
  readonly address: string;
  readonly maxUnacked: number;
  /**
   * Its deliverEnvelope sends one Deliver frame and returns false when the connection's send
   * buffer is high: delivery then pauses until the connection calls `wake()` again.
   */
  readonly sink: DeliverySink;
}

/**
 * Delivers one persona's mailbox over one connection: queued envelopes first, in mailbox order,
 * then new ones as the store signals them, never more than `maxUnacked` unacknowledged at once.
 * The cursor lives only in this connection: whatever is not acknowledged when the connection ends
 * stays in the mailbox and is delivered again, from the start, on the next one.
 */
export class MailboxDelivery {
  readonly #options: MailboxDeliveryOptions;
  /** Delivered, not yet acknowledged; made on the first delivery (most connections idle). */
  #outstanding: Set<bigint> | undefined;
  #cursor = 0n;
  #started = false;
  #stopped = false;
  #pumping = false;
  #again = false;
  /** The last pass stopped because the unacked window was full: only acks can restart it. */
  #windowFull = false;
  /**
   * The last pass read the mailbox to its end and delivered everything: the next envelopes the
   * store announces are exactly the next ones in the mailbox, so they can go out as announced.
   */
  #caughtUp = false;

  constructor(options: MailboxDeliveryOptions) {
    this.#options = options;
  }

  /** Begins delivering (after AuthOk has been sent). */
  start(): void {
    this.#started = true;
    this.wake();
  }

  /** Something may be deliverable: the mailbox changed, acks made room, or the buffer drained. */
  wake(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#pump();
  }

  /**
   * Frees the acknowledged envelopes' window slots at once (delivery continues if the window was
   * full) and deletes them from the mailbox; the promise settles when they are deleted. If the
   * delete fails they stay in the mailbox and come again on the next connection.
   */
  acknowledge(ids: readonly bigint[]): Promise<void> {
    let freed = 0;
    const outstanding = this.#outstanding;
    if (outstanding !== undefined) for (const id of ids) if (outstanding.delete(id)) freed += 1;
    // Otherwise the pump is idle only because the mailbox is drained: nothing to read.
    if (freed > 0 && this.#windowFull) this.wake();
    return this.#options.store.deleteEnvelopes(this.#options.address, ids);
  }

  /**
   * Envelopes the store just committed to this mailbox, in id order. When delivery is caught up
   * they go out directly, saving a read of what was just written; otherwise this is a wake().
   */
  offer(appended: readonly StoredEnvelope[]): void {
    if (!this.#started || this.#stopped) return;
    if (this.#pumping || !this.#caughtUp) {
      this.wake();
      return;
    }
    for (const envelope of appended) {
      if (envelope.id <= this.#cursor) continue;
      const outstanding = this.#unacked();
      if (outstanding.size >= this.#options.maxUnacked) {
        // The rest stays in the mailbox; acks restart a pass that reads it.
        this.#caughtUp = false;
        this.#windowFull = true;
        return;
      }
      this.#cursor = envelope.id;
      outstanding.add(envelope.id);
      if (!this.#options.sink.deliverEnvelope(envelope)) {
        this.#caughtUp = false;
        return;
      }
    }
  }

  stop(): void {
    this.#stopped = true;
  }

  #unacked(): Set<bigint> {
    return (this.#outstanding ??= new Set<bigint>());
  }

  /** A method, not a field read: stop() may run while the pump awaits the store. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  /** Whether a wake-up arrived during the last pass (and clears it). */
  #takeAgain(): boolean {
    const again = this.#again;
    this.#again = false;
    return again;
  }

  async #pump(): Promise<void> {
    const { store, address, maxUnacked, sink } = this.#options;
    this.#pumping = true;
    this.#again = false;
    try {
      do {
        // Only a pass that ends by reading the mailbox dry may declare delivery caught up.
        this.#caughtUp = false;
        for (;;) {
          const room = maxUnacked - (this.#outstanding?.size ?? 0);
          this.#windowFull = room <= 0;
          if (room <= 0 || this.#isStopped()) break;
          const envelopes = await store.readMailbox(address, this.#cursor, room);
          if (this.#isStopped()) break;
          if (envelopes.length === 0) {
            this.#caughtUp = true;
            break;
          }
          const outstanding = this.#unacked();
          for (const envelope of envelopes) {
            this.#cursor = envelope.id;
            outstanding.add(envelope.id);
            if (!sink.deliverEnvelope(envelope)) return;
          }
        }
      } while (this.#takeAgain() && !this.#isStopped());
    } catch (error) {
      this.#options.sink.deliveryFailed(error);
    } finally {
      this.#pumping = false;
    }
  }
}
