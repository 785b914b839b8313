import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from './KeyValueStore.js';
import { keySegments } from './KeyValueStore.js';

/** A view of another store below a fixed prefix, so a persona's stores cannot touch another's. */
export class ScopedKeyValueStore implements KeyValueStore {
  readonly #inner: KeyValueStore;
  readonly #prefix: string;

  constructor(inner: KeyValueStore, prefix: string) {
    this.#inner = inner;
    this.#prefix = `${keySegments(prefix).join('/')}/`;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.#inner.get(this.#prefix + key);
  }

  put(key: string, value: Uint8Array): Promise<void> {
    return this.#inner.put(this.#prefix + key, value);
  }

  delete(key: string): Promise<void> {
    return this.#inner.delete(this.#prefix + key);
  }

  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    return this.#inner.batch(
      operations.map((operation) => ({ ...operation, key: this.#prefix + operation.key })),
    );
  }

  async list(prefix: string): Promise<KeyValueEntry[]> {
    const entries = await this.#inner.list(this.#prefix + prefix);
    return entries.map((entry) => ({
      key: entry.key.slice(this.#prefix.length),
      value: entry.value,
    }));
  }

  deleteTree(prefix: string): Promise<void> {
    return this.#inner.deleteTree(this.#prefix + prefix);
  }

  flush(): Promise<void> {
    return this.#inner.flush();
  }
}
