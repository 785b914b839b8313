/**
 * Runs tasks one at a time per key (tasks on different keys run concurrently). Used where a
 * read-then-write must not interleave with another on the same record: taking a one-time prekey,
 * counting an invite token's uses, deleting from a mailbox whose depth is counted in memory.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
