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
  /** `enqueue` calls so far, and how many of them are in LevelDB: flush waits for its own. */
  #enqueued = 0;
  #written = 0;
  /** Settles when the batch being written ends (or the run stops). */
  #batchEnded: Promise<void> = Promise.resolve();
  #endBatch: () => void = () => undefined;

  constructor(db: Level<string, Uint8Array>) {
    this.#db = db;
  }

  /** Queues writes that must land together. */
  enqueue(writes: Iterable<readonly [string, Uint8Array | null]>): void {
    this.#throwIfFailed();
    for (const [key, value] of writes) this.#queued.set(key, value);
    this.#enqueued += 1;
    this.#running ??= this.#run();
  }

  /** The newest queued or in-flight value for a stored key: a record, null (deleted), or
   * undefined when nothing is pending and the database has the truth. */
  pending(key: string): Uint8Array | null | undefined {
    const queued = this.#queued.get(key);
    if (queued !== undefined) return queued;
    return this.#writing.get(key);
  }

  /**
   * Resolves once everything queued before the call is in the LevelDB log. Writes queued later
   * are not waited for, so a steady stream of writes cannot hold a flush (or a backup) forever.
   */
  async flush(): Promise<void> {
    const target = this.#enqueued;
    while (this.#written < target && this.#running !== undefined) await this.#batchEnded;
    this.#throwIfFailed();
  }

  async #run(): Promise<void> {
    this.#batchEnded = new Promise<void>((resolve) => {
      this.#endBatch = resolve;
    });
    // Let the current turn of the event loop queue more writes into the same batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#queued.size > 0) {
        const upTo = this.#enqueued;
        this.#writing = this.#queued;
        this.#queued = new Map();
        await this.#db.batch(
          [...this.#writing].map(([key, value]) =>
            value === null ? { type: 'del' as const, key } : { type: 'put' as const, key, value },
          ),
        );
        this.#writing = new Map();
        this.#written = upTo;
        const ended = this.#endBatch;
        this.#batchEnded = new Promise<void>((resolve) => {
          this.#endBatch = resolve;
        });
        ended();
      }
    } catch (error) {
      // Keep what failed visible to reads, and refuse further writes: the vault is unusable.
      this.#failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#running = undefined;
      this.#endBatch();
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}
