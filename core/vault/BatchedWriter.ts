import type { Level } from 'level';

/**
 * Applies a vault's record writes to LevelDB in order, batching everything queued while the
 * previous batch was being written into one atomic LevelDB batch.
 *
 * Why: libsignal awaits a store write several times per message, and one LevelDB round trip on
 * the thread pool costs more than the whole ratchet step. Writes queued here are visible at once
 * through `pending` (the vault reads it before the database), reach the LevelDB log within a
 * moment, and `flush()` waits until everything queued so far is written. Batches are applied in
 * order and each is atomic, so the database always holds a prefix of the writes, never a mix.
 */
export class BatchedWriter {
  readonly #db: Level<string, Uint8Array>;
  /** Queued, not yet handed to LevelDB: stored key → sealed record, or null for a delete. */
  #queued = new Map<string, Uint8Array | null>();
  /** Handed to LevelDB, not yet confirmed. */
  #writing = new Map<string, Uint8Array | null>();
  #running: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(db: Level<string, Uint8Array>) {
    this.#db = db;
  }

  /** Queues writes that must land together. */
  enqueue(writes: Iterable<readonly [string, Uint8Array | null]>): void {
    this.#throwIfFailed();
    for (const [key, value] of writes) this.#queued.set(key, value);
    this.#running ??= this.#run();
  }

  /** The newest queued or in-flight value for a stored key: a record, null (deleted), or
   * undefined when nothing is pending and the database has the truth. */
  pending(key: string): Uint8Array | null | undefined {
    const queued = this.#queued.get(key);
    if (queued !== undefined) return queued;
    return this.#writing.get(key);
  }

  /** Resolves once everything queued before the call is in the LevelDB log. */
  async flush(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
    this.#throwIfFailed();
  }

  async #run(): Promise<void> {
    // Let the current turn of the event loop queue more writes into the same batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#queued.size > 0) {
        this.#writing = this.#queued;
        this.#queued = new Map();
        await this.#db.batch(
          [...this.#writing].map(([key, value]) =>
            value === null ? { type: 'del' as const, key } : { type: 'put' as const, key, value },
          ),
        );
        this.#writing = new Map();
      }
    } catch (error) {
      // Keep what failed visible to reads, and refuse further writes: the vault is unusable.
      this.#failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#running = undefined;
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
