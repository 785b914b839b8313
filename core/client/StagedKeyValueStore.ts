import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from '../storage/KeyValueStore.js';
import { keySegments } from '../storage/KeyValueStore.js';

/**
 * A store whose writes are held in memory until `commit()` writes them to the inner store in one
 * atomic batch; reads see the staged writes. The client runs each step that must land whole
 * (decrypting a message and storing it; sealing a message and advancing the ratchet) over this
 * store and commits once at the end, so a crash in between leaves the vault as it was before the
 * step, never half-way: a message either is stored with the ratchet that decrypted it, or the
 * relay delivers it again and it decrypts again.
 *
 * It is not safe for concurrent steps: the caller runs one step at a time.
 */
export class StagedKeyValueStore implements KeyValueStore {
  readonly #inner: KeyValueStore;
  /** Staged writes in order; `undefined` marks a staged delete. */
  readonly #staged = new Map<string, Uint8Array | undefined>();

  constructor(inner: KeyValueStore) {
    this.#inner = inner;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    keySegments(key);
    if (this.#staged.has(key)) return this.#staged.get(key)?.slice();
    return this.#inner.get(key);
  }

  put(key: string, value: Uint8Array): Promise<void> {
    keySegments(key);
    this.#staged.set(key, value.slice());
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    keySegments(key);
    this.#staged.set(key, undefined);
    return Promise.resolve();
  }

  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    for (const operation of operations) keySegments(operation.key);
    for (const operation of operations) {
      this.#staged.set(
        operation.key,
        operation.type === 'put' ? operation.value.slice() : undefined,
      );
    }
    return Promise.resolve();
  }

  async list(prefix: string): Promise<KeyValueEntry[]> {
    const base = `${keySegments(prefix).join('/')}/`;
    const merged = new Map<string, Uint8Array>();
    for (const entry of await this.#inner.list(prefix)) merged.set(entry.key, entry.value);
    for (const [key, value] of this.#staged) {
      if (!key.startsWith(base)) continue;
      if (value === undefined) merged.delete(key);
      else merged.set(key, value.slice());
    }
    return [...merged].map(([key, value]) => ({ key, value }));
  }

  /** Stages a delete of every key below `prefix` (staged or stored), so it commits atomically too. */
  async deleteTree(prefix: string): Promise<void> {
    for (const entry of await this.list(prefix)) this.#staged.set(entry.key, undefined);
  }

  /** Writes every staged change in one batch. On failure nothing is staged any more either. */
  async commit(): Promise<void> {
    if (this.#staged.size === 0) return;
    const operations: KeyValueOperation[] = [];
    for (const [key, value] of this.#staged) {
      operations.push(value === undefined ? { type: 'delete', key } : { type: 'put', key, value });
    }
    this.#staged.clear();
    await this.#inner.batch(operations);
  }

  /** Resolves once everything committed so far is durable in the inner store. */
  flush(): Promise<void> {
    return this.#inner.flush();
  }

  /** Forgets every staged change. */
  discard(): void {
    this.#staged.clear();
  }
}
