/**
 * A bounded cache of opened (decrypted) vault records, by logical key, so the records libsignal
 * reads on every message (sessions, identities, sender keys) are not fetched and decrypted each
 * time. Least recently used entries go first. Values are copied in and out so callers cannot
 * alter what is cached. Cleared (and zeroed) when the vault locks.
 */
export class RecordCache {
  readonly #limit: number;
  /** Map order is recency order: the first entry is the least recently used. */
  readonly #entries = new Map<string, Uint8Array | null>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A copy of the cached value, null for a key known to be absent, undefined when not cached. */
  get(key: string): Uint8Array | null | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value === null ? null : value.slice();
  }

  set(key: string, value: Uint8Array | null): void {
    this.#entries.delete(key);
    this.#entries.set(key, value === null ? null : value.slice());
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#forget(oldest.value);
    }
  }

  /** Forgets every key below `prefix` (whole segments). */
  forgetTree(prefix: string): void {
    const base = `${prefix}/`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(base)) this.#forget(key);
  }

  clear(): void {
    for (const key of [...this.#entries.keys()]) this.#forget(key);
  }

  #forget(key: string): void {
    this.#entries.get(key)?.fill(0);
    this.#entries.delete(key);
  }
}
