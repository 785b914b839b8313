import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from './KeyValueStore.js';
import { keySegments } from './KeyValueStore.js';

/** An in-memory KeyValueStore: the baseline the vault is measured against, and a way to run the signal stores without disk. Values are copied in and out so callers cannot
 * mutate what is stored. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, Uint8Array>();

  get(key: string): Promise<Uint8Array | undefined> {
    return settle(() => {
      keySegments(key);
      return this.#entries.get(key)?.slice();
    });
  }

  put(key: string, value: Uint8Array): Promise<void> {
    return settle(() => {
      keySegments(key);
      this.#entries.set(key, value.slice());
    });
  }

  delete(key: string): Promise<void> {
    return settle(() => {
      keySegments(key);
      this.#entries.delete(key);
    });
  }

  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    return settle(() => {
      for (const operation of operations) keySegments(operation.key);
      for (const operation of operations) {
        if (operation.type === 'put') this.#entries.set(operation.key, operation.value.slice());
        else this.#entries.delete(operation.key);
      }
    });
  }

  list(prefix: string): Promise<KeyValueEntry[]> {
    return settle(() => {
      const base = `${keySegments(prefix).join('/')}/`;
      const out: KeyValueEntry[] = [];
      for (const [key, value] of this.#entries) {
        if (key.startsWith(base)) out.push({ key, value: value.slice() });
      }
      return out;
    });
  }

  deleteTree(prefix: string): Promise<void> {
    return settle(() => {
      const base = `${keySegments(prefix).join('/')}/`;
      for (const key of [...this.#entries.keys()]) {
        if (key.startsWith(base)) this.#entries.delete(key);
      }
    });
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Runs synchronous work behind the async interface: a throw becomes a rejection, as on disk. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
