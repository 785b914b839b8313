/**
 * In-process wake-up signals keyed by a string (a mailbox's address, a group's id): the embedded
 * stores' implementation of `subscribeMailbox`, `subscribeGroup` and `subscribeMemberGroups`. A
 * listener that throws is isolated from the others and from the writer that triggered it.
 *
 * Every authenticated connection holds two subscriptions for as long as it is open, almost always
 * the only ones on their key, so a key with one subscriber keeps it as it is and only a key with
 * several gets a Set (a Set per key and a wrapper closure per subscription were ~1 KiB of every
 * idle connection's heap: see docs/performance.md).
 */
export class StoreSignals<Payload> {
  readonly #listeners = new Map<string, Subscription<Payload> | Set<Subscription<Payload>>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  subscribe(key: string, listener: (payload: Payload) => void): () => void {
    // An object per subscription, so one listener subscribed twice gets two independent ones.
    const subscription = new Subscription(listener);
    const current = this.#listeners.get(key);
    if (current === undefined) this.#listeners.set(key, subscription);
    else if (current instanceof Set) current.add(subscription);
    else this.#listeners.set(key, new Set([current, subscription]));
    return () => {
      this.#unsubscribe(key, subscription);
    };
  }

  notify(key: string, payload: Payload): void {
    const current = this.#listeners.get(key);
    if (current === undefined) return;
    if (current instanceof Set) {
      for (const subscription of [...current]) this.#call(subscription, payload);
    } else {
      this.#call(current, payload);
    }
  }

  #unsubscribe(key: string, subscription: Subscription<Payload>): void {
    const current = this.#listeners.get(key);
    if (current === subscription) {
      this.#listeners.delete(key);
    } else if (current instanceof Set) {
      current.delete(subscription);
      if (current.size === 0) this.#listeners.delete(key);
    }
  }

  #call(subscription: Subscription<Payload>, payload: Payload): void {
    try {
      subscription.listener(payload);
    } catch (error) {
      this.#onListenerError(error);
    }
  }
}

class Subscription<Payload> {
  readonly listener: (payload: Payload) => void;

  constructor(listener: (payload: Payload) => void) {
    this.listener = listener;
  }
}
