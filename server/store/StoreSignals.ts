/**
 * In-process wake-up signals keyed by a string (a mailbox's address, a group's id): the embedded
 * stores' implementation of `subscribeMailbox`, `subscribeGroup` and `subscribeMemberGroups`. A
 * listener that throws is isolated from the others and from the writer that triggered it.
 */
export class StoreSignals<Payload> {
  readonly #listeners = new Map<string, Set<(payload: Payload) => void>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  subscribe(key: string, listener: (payload: Payload) => void): () => void {
    let set = this.#listeners.get(key);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    // Wrap so one listener subscribed twice gets two independent subscriptions.
    const entry = (payload: Payload): void => {
      listener(payload);
    };
    set.add(entry);
    return () => {
      const current = this.#listeners.get(key);
      if (current === undefined) return;
      current.delete(entry);
      if (current.size === 0) this.#listeners.delete(key);
    };
  }

  notify(key: string, payload: Payload): void {
    const set = this.#listeners.get(key);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
