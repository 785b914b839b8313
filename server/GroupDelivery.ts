import type { DeliverySink } from './DeliverySink.js';
import { groupKey } from './store/groupStream.js';
import type { RelayStore, StoredGroupEntry } from './store/RelayStore.js';

export interface GroupDeliveryOptions {
  readonly store: RelayStore;
  readonly address: string;
  /** Entries in flight (delivered, not acknowledged) per group. */
  readonly maxUnacked: number;
  /**
   * Its deliverGroupEntry sends one GroupDeliver frame and returns false when the connection's
   * send buffer is high: delivery then pauses until the connection calls `wake()`.
   */
  readonly sink: DeliverySink;
}

/**
 * Delivers every group stream a persona has a cursor in, over one connection: each group from its
 * stored cursor, then live, each with its own window of `maxUnacked` entries in flight, so a busy
 * group neither starves the others nor the mailbox (whose window is separate too). Groups the
 * persona joins while connected are picked up when the store signals the membership; a former
 * member receives up to the operation that ended its membership, and its stream ends once it has
 * acknowledged that.
 */
export class GroupDelivery {
  readonly #options: GroupDeliveryOptions;
  /** By group key; made when the first stream starts (most personas are in no group). */
  #streams: Map<string, GroupStream> | undefined;
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(options: GroupDeliveryOptions) {
    this.#options = options;
  }

  /** Subscribes to membership changes, then starts a stream for every group with a cursor. */
  start(): void {
    const { store, address } = this.#options;
    // Subscribe before listing, so a group joined in between is not missed.
    this.#unsubscribe = store.subscribeMemberGroups(address, (groupId) => {
      this.#membershipChanged(groupId);
    });
    store.listMemberGroups(address).then(
      (memberships) => {
        for (const membership of memberships) this.#stream(membership.groupId)?.wake();
      },
      (error: unknown) => {
        this.#options.sink.deliveryFailed(error);
      },
    );
  }

  /** The socket drained (or something else may have freed room): every stream may go on. */
  wake(): void {
    if (this.#streams === undefined) return;
    for (const stream of this.#streams.values()) stream.wake();
  }

  /**
   * Moves the persona's cursor in the group to `index` and frees the window up to it. Resolves
   * when the cursor is stored. A group without a stream (or cursor) is ignored.
   */
  async acknowledge(groupId: Uint8Array, index: number): Promise<void> {
    const stream = this.#streams?.get(groupKey(groupId));
    stream?.acknowledged(index);
    const cursor = await this.#options.store.ackGroup(groupId, this.#options.address, index);
    // No cursor any more: a former member has read everything it may.
    if (cursor === undefined && stream !== undefined) this.#end(stream);
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const stream of this.#streams?.values() ?? []) stream.stop();
    this.#streams?.clear();
  }

  #membershipChanged(groupId: Uint8Array): void {
    this.#stream(groupId)?.membershipChanged();
  }

  /** The group's stream, started on first use; undefined once delivery has stopped. */
  #stream(groupId: Uint8Array): GroupStream | undefined {
    if (this.#stopped) return undefined;
    const key = groupKey(groupId);
    const streams = (this.#streams ??= new Map<string, GroupStream>());
    let stream = streams.get(key);
    if (stream === undefined) {
      stream = new GroupStream(groupId, this.#options, (ended) => {
        this.#end(ended);
      });
      streams.set(key, stream);
      stream.start();
    }
    return stream;
  }

  #end(stream: GroupStream): void {
    stream.stop();
    if (this.#streams?.get(stream.key) === stream) this.#streams.delete(stream.key);
  }
}

/**
 * One group's stream over one connection, shaped like MailboxDelivery: reads from the persona's
 * cursor, pushes live entries without reading them back once caught up, and pauses when its
 * window is full or the socket is.
 */
class GroupStream {
  readonly key: string;
  readonly #groupId: Uint8Array;
  readonly #options: GroupDeliveryOptions;
  readonly #onEnded: (stream: GroupStream) => void;
  /** Indexes delivered and not yet acknowledged, ascending. */
  #outstanding: number[] = [];
  /** The last index delivered; undefined until the first read (which starts at the cursor). */
  #sent: number | undefined;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #stopped = false;
  #pumping = false;
  #again = false;
  #windowFull = false;
  /**
   * The last pass read the stream to its end while the persona was a member: entries the store
   * announces next are exactly the next ones, so they may go out as announced.
   */
  #caughtUp = false;

  constructor(
    groupId: Uint8Array,
    options: GroupDeliveryOptions,
    onEnded: (stream: GroupStream) => void,
  ) {
    this.#groupId = groupId;
    this.key = groupKey(groupId);
    this.#options = options;
    this.#onEnded = onEnded;
  }

  start(): void {
    // Subscribe before the first read, so nothing appended in between is missed.
    this.#unsubscribe = this.#options.store.subscribeGroup(this.#groupId, (appended) => {
      if (appended === undefined) this.wake();
      else this.#offer(appended);
    });
    this.#started = true;
    this.wake();
  }

  wake(): void {
    if (!this.#started || this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    void this.#pump();
  }

  /**
   * The persona joined, left, or was removed: entries may no longer be pushed as announced
   * until a read has looked at the cursor again. Embedded stores signal this before they
   * announce the entries of the same write, so nothing past a `readUntil` is ever pushed.
   */
  membershipChanged(): void {
    this.#caughtUp = false;
    this.wake();
  }

  acknowledged(index: number): void {
    const before = this.#outstanding.length;
    this.#outstanding = this.#outstanding.filter((sent) => sent > index);
    // Otherwise the pump is idle only because the stream is drained: nothing to read.
    if (this.#outstanding.length < before && this.#windowFull) this.wake();
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #offer(appended: readonly StoredGroupEntry[]): void {
    if (!this.#started || this.#stopped) return;
    if (this.#pumping || !this.#caughtUp) {
      this.wake();
      return;
    }
    for (const entry of appended) {
      if (this.#sent !== undefined && entry.index <= this.#sent) continue;
      if (this.#outstanding.length >= this.#options.maxUnacked) {
        // The rest stays in the stream; acks restart a pass that reads it.
        this.#caughtUp = false;
        this.#windowFull = true;
        return;
      }
      if (!this.#send(entry)) {
        this.#caughtUp = false;
        return;
      }
    }
  }

  #send(entry: StoredGroupEntry): boolean {
    this.#sent = entry.index;
    this.#outstanding.push(entry.index);
    return this.#options.sink.deliverGroupEntry(this.#groupId, entry);
  }

  /** A method, not a field read: stop() may run while the pump awaits the store. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  #takeAgain(): boolean {
    const again = this.#again;
    this.#again = false;
    return again;
  }

  async #pump(): Promise<void> {
    const { store, address, maxUnacked } = this.#options;
    this.#pumping = true;
    this.#again = false;
    try {
      do {
        this.#caughtUp = false;
        for (;;) {
          const room = maxUnacked - this.#outstanding.length;
          this.#windowFull = room <= 0;
          if (room <= 0 || this.#isStopped()) break;
          const read = await store.readMemberEntries(this.#groupId, address, this.#sent, room);
          if (this.#isStopped()) break;
          if (read === undefined) {
            // No cursor: not a member (any more), nothing to deliver.
            this.#onEnded(this);
            return;
          }
          const { cursor, entries } = read;
          // A member who rejoined starts again at its new cursor; what it had in flight from
          // before is settled by that cursor.
          if (this.#sent === undefined || cursor.acked > this.#sent) this.#sent = cursor.acked;
          this.#outstanding = this.#outstanding.filter((sent) => sent > cursor.acked);
          if (entries.length === 0) {
            // A former member gets nothing live: its stream ends at its readUntil.
            this.#caughtUp = cursor.readUntil === undefined;
            break;
          }
          for (const entry of entries) if (!this.#send(entry)) return;
        }
      } while (this.#takeAgain() && !this.#isStopped());
    } catch (error) {
      this.#options.sink.deliveryFailed(error);
    } finally {
      this.#pumping = false;
    }
  }
}
