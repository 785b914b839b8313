import { createWriteStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isBlobExpired } from '../store/blobRecords.js';
import { KeyedMutex } from '../store/KeyedMutex.js';
import type { BlobRecord, BlobStore } from './BlobStore.js';

/** A blob's bytes while they arrive, once complete, and its record. */
const PART = '.part';
const DONE = '.blob';
const RECORD = '.json';
const TEMP = '.tmp';
const ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Blobs as files in one folder: `<id>.part` while the upload arrives (its length is how much the
 * relay holds, so a restart resumes where the disk stands), renamed to `<id>.blob` once complete
 * and flushed; `<id>.json` holds the record, replaced by write-then-rename so a crash leaves the
 * old or the new one. The bytes exist once: no copy, no cache.
 */
export class FileBlobStore implements BlobStore {
  readonly #folder: string;
  readonly #records = new Map<string, BlobRecord>();
  readonly #mutex = new KeyedMutex();

  private constructor(folder: string) {
    this.#folder = folder;
  }

  /** Opens (creating) the folder, loads every record and removes files no record explains. */
  static async open(folder: string): Promise<FileBlobStore> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const store = new FileBlobStore(folder);
    await store.#load();
    return store;
  }

  async #load(): Promise<void> {
    const names = await readdir(this.#folder);
    for (const name of names) {
      if (!name.endsWith(RECORD)) continue;
      const id = name.slice(0, -RECORD.length);
      if (!ID_PATTERN.test(id)) continue;
      let record = parseRecord(id, await readFile(join(this.#folder, name), 'utf8'));
      if (record === undefined) continue;
      if (!record.complete && !(await exists(this.#path(id, PART)))) {
        // A crash between renaming the complete file and rewriting its record.
        record = { ...record, complete: true };
      }
      const file = this.#path(id, record.complete ? DONE : PART);
      if (!(await exists(file))) {
        // A crash between writing a record and the file it names: the record names nothing.
        await rm(join(this.#folder, name), { force: true });
        continue;
      }
      this.#records.set(id, record);
    }
    for (const name of names) {
      const id = name.split('.')[0] ?? '';
      if (!this.#records.has(id) || name.endsWith(TEMP)) {
        await rm(join(this.#folder, name), { force: true });
      }
    }
  }

  get(id: string): Promise<BlobRecord | undefined> {
    return Promise.resolve(this.#records.get(id));
  }

  totals(): Promise<{ count: number; bytes: number }> {
    let bytes = 0;
    for (const record of this.#records.values()) bytes += record.size;
    return Promise.resolve({ count: this.#records.size, bytes });
  }

  async expire(now: number, onError: (error: unknown) => void): Promise<number> {
    const expired = [...this.#records.values()].filter((record) => isBlobExpired(record, now));
    let deleted = 0;
    for (const record of expired) {
      try {
        await this.delete(record.id);
        deleted += 1;
      } catch (error) {
        onError(error);
      }
    }
    return deleted;
  }

  create(record: BlobRecord): Promise<void> {
    return this.#mutex.run(record.id, async () => {
      await (await open(this.#path(record.id, PART), 'wx', 0o600)).close();
      await this.#writeRecord(record);
      this.#records.set(record.id, record);
    });
  }

  async received(id: string): Promise<number> {
    const record = this.#require(id);
    if (record.complete) return record.size;
    return Math.min(record.size, (await stat(this.#path(id, PART))).size);
  }

  async openWrite(id: string, offset: number): Promise<Writable> {
    const record = this.#require(id);
    if (record.complete) throw new Error('blob already complete');
    const path = this.#path(id, PART);
    await truncate(path, offset);
    return createWriteStream(path, { flags: 'r+', start: offset });
  }

  complete(id: string): Promise<BlobRecord> {
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      if (record.complete) return record;
      const part = this.#path(id, PART);
      const handle = await open(part, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(part, this.#path(id, DONE));
      const done = { ...record, complete: true };
      await this.#writeRecord(done);
      this.#records.set(id, done);
      return done;
    });
  }

  async openRead(id: string, start: number, end: number): Promise<Readable> {
    this.#require(id);
    // Opened before the stream is returned, so a delete racing the download cannot cut it short
    // (the open file outlives its name).
    const handle = await open(this.#path(id, DONE), 'r');
    return handle.createReadStream({ start, end, autoClose: true });
  }

  countFetch(id: string): Promise<BlobRecord> {
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      const counted = { ...record, fetches: record.fetches + 1 };
      await this.#writeRecord(counted);
      this.#records.set(id, counted);
      return counted;
    });
  }

  delete(id: string): Promise<void> {
    return this.#mutex.run(id, async () => {
      this.#records.delete(id);
      // The record first: a crash half-way leaves a file without a record, which open() removes.
      await rm(this.#path(id, RECORD), { force: true });
      await rm(this.#path(id, PART), { force: true });
      await rm(this.#path(id, DONE), { force: true });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #require(id: string): BlobRecord {
    const record = this.#records.get(id);
    if (record === undefined) throw new Error('no such blob');
    return record;
  }

  #path(id: string, suffix: string): string {
    return join(this.#folder, `${id}${suffix}`);
  }

  async #writeRecord(record: BlobRecord): Promise<void> {
    const path = this.#path(record.id, RECORD);
    const temp = `${path}${TEMP}`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  }
}

function parseRecord(id: string, text: string): BlobRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const numbers = ['size', 'expectedFetches', 'fetches', 'uploadExpiresAt', 'expiresAt'] as const;
  for (const key of numbers) {
    if (!Number.isSafeInteger(v[key]) || (v[key] as number) < 0) return undefined;
  }
  if (v.id !== id || typeof v.tokenHash !== 'string' || typeof v.complete !== 'boolean') {
    return undefined;
  }
  return {
    id,
    size: v.size as number,
    tokenHash: v.tokenHash,
    expectedFetches: v.expectedFetches as number,
    fetches: v.fetches as number,
    uploadExpiresAt: v.uploadExpiresAt as number,
    expiresAt: v.expiresAt as number,
    complete: v.complete,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
