/**
 * Whether the relay should be sent new connections (/readyz): it is not draining, and its store
 * takes a synced write. The probe writes one settings record; its answer is kept for a second,
 * so a load balancer polling often costs at most one write a second.
 */
export type NotReadyReason = 'draining' | 'store-unwritable' | 'storage-full';

export interface ReadinessProbe {
  /** Writes something durable to the store; throws when it cannot. */
  writeProbe(): Promise<void>;
  /** Whether the storage quota or the disk's free space leaves no room for writes. */
  storageFull(): Promise<boolean>;
}

export type ReadinessAnswer =
  { readonly ready: true } | { readonly ready: false; readonly reason: NotReadyReason };

const PROBE_CACHE_MS = 1000;

export class Readiness {
  readonly #probe: ReadinessProbe;
  #draining = false;
  #last: { readonly at: number; readonly answer: Promise<ReadinessAnswer> } | undefined;

  constructor(probe: ReadinessProbe) {
    this.#probe = probe;
  }

  /** From now on the relay is not ready (it is draining and will exit). */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  check(): Promise<ReadinessAnswer> {
    if (this.#draining) return Promise.resolve({ ready: false, reason: 'draining' });
    const now = Date.now();
    if (this.#last === undefined || now - this.#last.at >= PROBE_CACHE_MS) {
      this.#last = { at: now, answer: this.#measure() };
    }
    return this.#last.answer;
  }

  async #measure(): Promise<ReadinessAnswer> {
    try {
      await this.#probe.writeProbe();
    } catch {
      return { ready: false, reason: 'store-unwritable' };
    }
    if (await this.#probe.storageFull()) return { ready: false, reason: 'storage-full' };
    return { ready: true };
  }
}
