import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { RelayErrorCode } from '../core/index.js';
import { RelayError } from './RelayError.js';

export interface StorageGaugeOptions {
  /** The store's folder; undefined for a store the relay was given (nothing to measure). */
  readonly folder: string | undefined;
  /** Size of the folder beyond which writes are refused; 0: no limit. */
  readonly maxStorageBytes: number;
  /** Free space on the folder's disk below which writes are refused; 0: no check. */
  readonly minFreeDiskBytes: number;
  readonly now?: () => number;
}

/**
 * Measuring the folder on every write would stat it thousands of times a second; in between
 * measurements, the bytes admitted since count as written, so a burst cannot overshoot by more
 * than one interval's worth of compaction slack.
 */
const MEASURE_INTERVAL_MS = 1000;

/**
 * The relay's global disk quota: everything it stores (mailboxes, groups, prekeys) lives in one
 * LevelDB folder, which must stay under `maxStorageBytes` and leave `minFreeDiskBytes` free on its
 * disk. A write beyond either is refused with RELAY_STORAGE_FULL; reads, acknowledgements and
 * deletions go on (they are what frees space).
 */
export class StorageGauge {
  readonly #options: StorageGaugeOptions;
  readonly #now: () => number;
  #used = 0;
  #free = Number.POSITIVE_INFINITY;
  /** Bytes admitted since the last measurement. */
  #since = 0;
  #measuredAt = Number.NEGATIVE_INFINITY;
  #measuring: Promise<void> | undefined;

  constructor(options: StorageGaugeOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Admits a write of about `bytes`, or throws RELAY_STORAGE_FULL. */
  async admit(bytes: number): Promise<void> {
    const { folder, maxStorageBytes, minFreeDiskBytes } = this.#options;
    if (folder === undefined || (maxStorageBytes === 0 && minFreeDiskBytes === 0)) return;
    if (this.#now() - this.#measuredAt >= MEASURE_INTERVAL_MS) {
      this.#measuring ??= this.#measure(folder).finally(() => {
        this.#measuring = undefined;
      });
      await this.#measuring;
    }
    const after = this.#since + bytes;
    if (
      (maxStorageBytes > 0 && this.#used + after > maxStorageBytes) ||
      (minFreeDiskBytes > 0 && this.#free - after < minFreeDiskBytes)
    ) {
      throw new RelayError(RelayErrorCode.StorageFull, 'the relay is out of storage space');
    }
    this.#since = after;
  }

  async #measure(folder: string): Promise<void> {
    let used = 0;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      try {
        used += (await stat(join(folder, entry.name))).size;
      } catch {
        // Compaction deleted it between the listing and the stat: it no longer takes space.
      }
    }
    const disk = await statfs(folder);
    this.#used = used;
    this.#free = disk.bavail * disk.bsize;
    this.#since = 0;
    this.#measuredAt = this.#now();
  }
}
