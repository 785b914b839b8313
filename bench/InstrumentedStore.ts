import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from '../core/index.js';

export interface CallTally {
  calls: number;
  ms: number;
  bytes: number;
}

/** Counts and times every call PersonaCipher makes on its store, by kind and namespace. */
export class InstrumentedStore implements KeyValueStore {
  readonly #inner: KeyValueStore;
  readonly #tallies: Map<string, CallTally>;

  constructor(inner: KeyValueStore, tallies: Map<string, CallTally>) {
    this.#inner = inner;
    this.#tallies = tallies;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.#time(
      'get',
      key,
      () => this.#inner.get(key),
      (value) => value?.length ?? 0,
    );
  }

  put(key: string, value: Uint8Array): Promise<void> {
    return this.#time(
      'put',
      key,
      () => this.#inner.put(key, value),
      () => value.length,
    );
  }

  delete(key: string): Promise<void> {
    return this.#time(
      'delete',
      key,
      () => this.#inner.delete(key),
      () => 0,
    );
  }

  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    return this.#time(
      'batch',
      'batch',
      () => this.#inner.batch(operations),
      () => 0,
    );
  }

  list(prefix: string): Promise<KeyValueEntry[]> {
    return this.#time(
      'list',
      prefix,
      () => this.#inner.list(prefix),
      (entries) => entries.length,
    );
  }

  deleteTree(prefix: string): Promise<void> {
    return this.#time(
      'deleteTree',
      prefix,
      () => this.#inner.deleteTree(prefix),
      () => 0,
    );
  }

  flush(): Promise<void> {
    return this.#time(
      'flush',
      '(all)',
      () => this.#inner.flush(),
      () => 0,
    );
  }

  async #time<T>(
    kind: string,
    key: string,
    call: () => Promise<T>,
    size: (result: T) => number,
  ): Promise<T> {
    const start = performance.now();
    const result = await call();
    const name = `${kind} ${key.split('/')[0] ?? key}`;
    const tally = this.#tallies.get(name) ?? { calls: 0, ms: 0, bytes: 0 };
    tally.calls++;
    tally.ms += performance.now() - start;
    tally.bytes += size(result);
    this.#tallies.set(name, tally);
    return result;
  }
}
