import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from './KeyValueStore.js';
import { keySegments } from './KeyValueStore.js';

/** An in-memory KeyValueStore: the baseline the vault is measured against, and a test double-free
 * way to run the signal stores without disk. Values are copied in and out so callers cannot
 * mutate what is stored. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, Uint8Array>();

  get(key: string): Promise<Uint8Array | undefined> {
    keySegments(key);
    const value = this.#entries.get(key);
    return Promise.resolve(value === undefined ? undefined : value.slice());
  }

  put(key: string, value: Uint8Array): Promise<void> {
    keySegments(key);
    this.#entries.set(key, value.slice());
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    keySegments(key);
    this.#entries.delete(key);
    return Promise.resolve();
  }

  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    for (const operation of operations) keySegments(operation.key);
    for (const operation of operations) {
      if (operation.type === 'put') this.#entries.set(operation.key, operation.value.slice());
      else this.#entries.delete(operation.key);
    }
    return Promise.resolve();
  }

  list(prefix: string): Promise<KeyValueEntry[]> {
    const base = `${keySegments(prefix).join('/')}/`;
    const out: KeyValueEntry[] = [];
    for (const [key, value] of this.#entries) {
      if (key.startsWith(base)) out.push({ key, value: value.slice() });
    }
    return Promise.resolve(out);
  }

  deleteTree(prefix: string): Promise<void> {
    const base = `${keySegments(prefix).join('/')}/`;
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith(base)) this.#entries.delete(key);
    }
    return Promise.resolve();
  }
}
