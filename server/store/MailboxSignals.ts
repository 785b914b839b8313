import type { MailboxListener, StoredEnvelope } from './RelayStore.js';

/**
 * In-process wake-up signals for mailboxes: the embedded stores' implementation of
 * `RelayStore.subscribeMailbox`. A listener that throws is isolated from the others and from the
 * writer that triggered it.
 */
export class MailboxSignals {
  readonly #listeners = new Map<string, Set<MailboxListener>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  subscribe(address: string, listener: MailboxListener): () => void {
    let set = this.#listeners.get(address);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(address, set);
    }
    // Wrap so one listener subscribed twice gets two independent subscriptions.
    const entry: MailboxListener = (appended) => {
      listener(appended);
    };
    set.add(entry);
    return () => {
      const current = this.#listeners.get(address);
      if (current === undefined) return;
      current.delete(entry);
      if (current.size === 0) this.#listeners.delete(address);
    };
  }

  notify(address: string, appended?: readonly StoredEnvelope[]): void {
    const set = this.#listeners.get(address);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(appended);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
