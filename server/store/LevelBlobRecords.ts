import type { Level } from 'level';
import type { BlobRecord } from '../blobs/BlobStore.js';
import {
  blobRecordFields,
  decodeBlobRecord,
  encodeBlobRecord,
  isBlobExpired,
} from './blobRecords.js';
import type { BlobTotals, CountedBlobFetch } from './blobRecords.js';
import { KeyedMutex } from './KeyedMutex.js';

/** Blob records live under `b!ID`, one JSON value each. */
const PREFIX = 'b!';
const END = 'b"';
/** Every step runs under this one lock: LevelDB is one process, and blob steps are rare. */
const LOCK = 'blobs';

/**
 * The embedded store's blob records (RelayStore's blob methods): one key per blob, each step a
 * read and a synced write under one in-process lock, so it is atomic against the others.
 */
export class LevelBlobRecords {
  readonly #db: Level<string, Uint8Array>;
  readonly #lock = new KeyedMutex();

  constructor(db: Level<string, Uint8Array>) {
    this.#db = db;
  }

  create(record: BlobRecord): Promise<boolean> {
    return this.#lock.run(LOCK, async () => {
      if ((await this.#read(record.id)) !== undefined) return false;
      await this.#write(blobRecordFields(record));
      return true;
    });
  }

  get(id: string): Promise<BlobRecord | undefined> {
    return this.#read(id);
  }

  complete(id: string): Promise<BlobRecord | undefined> {
    return this.#lock.run(LOCK, async () => {
      const record = await this.#read(id);
      if (record === undefined) return undefined;
      const done = { ...record, complete: true };
      await this.#write(done);
      return done;
    });
  }

  countFetch(id: string): Promise<CountedBlobFetch | undefined> {
    return this.#lock.run(LOCK, async () => {
      const record = await this.#read(id);
      if (record === undefined) return undefined;
      const counted = { ...record, fetches: record.fetches + 1 };
      const deleted = counted.fetches >= counted.expectedFetches;
      if (deleted) await this.#db.del(PREFIX + id, { sync: true });
      else await this.#write(counted);
      return { record: counted, deleted };
    });
  }

  delete(id: string): Promise<BlobRecord | undefined> {
    return this.#lock.run(LOCK, async () => {
      const record = await this.#read(id);
      if (record !== undefined) await this.#db.del(PREFIX + id, { sync: true });
      return record;
    });
  }

  expire(now: number): Promise<BlobRecord[]> {
    return this.#lock.run(LOCK, async () => {
      const expired = (await this.#all()).filter((record) => isBlobExpired(record, now));
      if (expired.length > 0) {
        await this.#db.batch(
          expired.map((record) => ({ type: 'del' as const, key: PREFIX + record.id })),
          { sync: true },
        );
      }
      return expired;
    });
  }

  async totals(): Promise<BlobTotals> {
    let count = 0;
    let bytes = 0;
    for (const record of await this.#all()) {
      count += 1;
      bytes += record.size;
    }
    return { count, bytes };
  }

  async #all(): Promise<BlobRecord[]> {
    const rows = await this.#db.iterator({ gt: PREFIX, lt: END }).all();
    const records: BlobRecord[] = [];
    for (const [key, value] of rows) {
      const record = decodeBlobRecord(key.slice(PREFIX.length), new TextDecoder().decode(value));
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  async #read(id: string): Promise<BlobRecord | undefined> {
    // level 10 resolves undefined for a missing key; its typings predate that.
    const value = (await this.#db.get(PREFIX + id)) as Uint8Array | undefined;
    return value === undefined ? undefined : decodeBlobRecord(id, new TextDecoder().decode(value));
  }

  async #write(record: BlobRecord): Promise<void> {
    await this.#db.put(PREFIX + record.id, encodeBlobRecord(record), { sync: true });
  }
}
