/**
 * A minimal typed event emitter. Listeners run synchronously in registration order; one that
 * throws does not stop the others or the code that emitted (a listener's bug must not break the
 * connection or the receive loop that reports to it).
 */
export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(value: never) => void>>();

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (value: Events[K]) => void)(value);
      } catch {
        // Deliberately ignored: see the class comment.
      }
    }
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
