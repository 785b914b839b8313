import type { RedisClient } from './redisConnection.js';

const SETTLE_WAIT_MS = 1000;

/**
 * Wake-ups between relay nodes over sharded pub/sub: each channel lives in the slot of the data it
 * announces (redisKeys.ts), so SPUBLISH goes to that slot's primary and only the nodes subscribed
 * there hear it. One subscriber client serves every subscription of the store; a channel is
 * subscribed once, when its first local listener comes, and unsubscribed when its last one leaves.
 *
 * A message never carries content beyond what the store holds: for a mailbox, the envelopes
 * just appended as stored (mailboxWake.ts; empty when too large, and readers read the store),
 * empty for a group, a group id for a persona's membership change (the listener's argument).
 */
export class RedisWakeups {
  readonly #subscriber: RedisClient;
  readonly #publisher: RedisClient;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Map<string, Set<(message: Buffer) => void>>();
  /** SSUBSCRIBE/SUNSUBSCRIBE commands not yet answered. */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(subscriber: RedisClient, publisher: RedisClient, onError: (error: unknown) => void) {
    this.#subscriber = subscriber;
    this.#publisher = publisher;
    this.#onError = onError;
    // As bytes: a mailbox's wake-up carries envelopes, which a string would garble and copy.
    subscriber.on('smessageBuffer', (channel: Buffer, message: Buffer | null) => {
      this.#dispatch(channel.toString(), message ?? Buffer.alloc(0));
    });
  }

  subscribe(channel: string, listener: (message: Buffer) => void): () => void {
    let set = this.#listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(channel, set);
      this.#track(this.#subscriber.ssubscribe(channel));
    }
    // Wrapped, so one listener subscribed twice holds two independent subscriptions.
    const entry = (message: Buffer): void => {
      listener(message);
    };
    set.add(entry);
    return () => {
      const current = this.#listeners.get(channel);
      if (current?.delete(entry) !== true || current.size > 0) return;
      this.#listeners.delete(channel);
      this.#track(this.#subscriber.sunsubscribe(channel));
    };
  }

  /**
   * Publishes each message, after every subscription this store made so far is in place (so a
   * listener subscribed before a write hears of it). Call it after the write is durable. A
   * failure is reported, not thrown: the write it announces stands. `ordered`: each is published
   * once the one before was (channels in different slots go to different servers); otherwise
   * all go at once, in one write per server (auto-pipelining).
   */
  async publish(
    messages: readonly (readonly [channel: string, message: string | Buffer])[],
    ordered = true,
  ): Promise<void> {
    try {
      await this.settled();
      if (ordered) {
        for (const [channel, message] of messages) await this.#publisher.spublish(channel, message);
      } else {
        await Promise.all(
          messages.map(([channel, message]) => this.#publisher.spublish(channel, message)),
        );
      }
    } catch (error) {
      this.#onError(error);
    }
  }

  /**
   * Resolves once every SSUBSCRIBE/SUNSUBSCRIBE sent so far has been answered, or after
   * SETTLE_WAIT_MS (a subscriber that is reconnecting must not hold up the writes it announces).
   */
  async settled(): Promise<void> {
    if (this.#pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#pending]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SETTLE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  #track(command: Promise<unknown>): void {
    const tracked = command.then(
      () => undefined,
      (error: unknown) => {
        this.#onError(error);
      },
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  #dispatch(channel: string, message: Buffer): void {
    const set = this.#listeners.get(channel);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(message);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
