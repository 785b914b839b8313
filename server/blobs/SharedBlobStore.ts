import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { RelayStore } from '../store/RelayStore.js';
import { KeyedMutex } from '../store/KeyedMutex.js';
import type { BlobRecord, BlobStore } from './BlobStore.js';

/** A blob's bytes while they arrive, and once complete (the same names FileBlobStore uses). */
const PART = '.part';
const DONE = '.blob';
const FILE_PATTERN = /^([0-9a-f]{32})\.(part|blob|json|json\.tmp)$/;

/**
 * How old a file whose blob has no record must be before the sweep removes it. A record is
 * written before its file and deleted before it, so such a file is normally one a node was about
 * to delete (it crashed, or the delete failed); the grace leaves alone a file some node is still
 * creating or writing over a filesystem whose listing lags (NFS attribute caches).
 */
export const ORPHAN_GRACE_MS = 10 * 60 * 1000;

export interface SharedBlobStoreOptions {
  /** The blob folder, the same one on every node (a shared filesystem: NFS, a mounted volume). */
  readonly folder: string;
  /** Where the records live: the relay's store, shared by every node. */
  readonly store: RelayStore;
  /** How old an unrecorded file must be before the sweep removes it (default ORPHAN_GRACE_MS). */
  readonly orphanGraceMs?: number;
  readonly now?: () => number;
}

/**
 * Blobs of a relay of several nodes: the records (size, token hash, fetches, expiry, whether the
 * upload is complete) in the relay's store, so every node sees every blob, counts its fetches
 * and expires it once; the bytes as files in one folder every node mounts. Upload state is the
 * `.part` file's length, on that shared folder, so an upload cut on one node resumes on another.
 *
 * No node deletes a file another may be writing: a node never sweeps the folder at start; the
 * sweep (one node at a time, under the cluster's lease) deletes the files of the records it
 * expired, and only those files whose blob has no record and that are older than the grace.
 */
export class SharedBlobStore implements BlobStore {
  readonly #folder: string;
  readonly #store: RelayStore;
  readonly #graceMs: number;
  readonly #now: () => number;
  readonly #mutex = new KeyedMutex();

  private constructor(options: SharedBlobStoreOptions) {
    this.#folder = options.folder;
    this.#store = options.store;
    this.#graceMs = options.orphanGraceMs ?? ORPHAN_GRACE_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Opens (creating) the folder; deletes nothing (other nodes may be writing in it). */
  static async open(options: SharedBlobStoreOptions): Promise<SharedBlobStore> {
    await mkdir(options.folder, { recursive: true, mode: 0o700 });
    return new SharedBlobStore(options);
  }

  get(id: string): Promise<BlobRecord | undefined> {
    return this.#store.getBlob(id);
  }

  totals(): Promise<{ count: number; bytes: number }> {
    return this.#store.blobTotals();
  }

  async create(record: BlobRecord): Promise<void> {
    // The record first: a file without a record is what the sweep may take for an orphan.
    if (!(await this.#store.createBlob(record))) throw new Error('blob id already recorded');
    try {
      await (await open(this.#path(record.id, PART), 'wx', 0o600)).close();
    } catch (error) {
      await this.#store.deleteBlob(record.id);
      throw error;
    }
  }

  async received(id: string): Promise<number> {
    const record = await this.#require(id);
    if (record.complete) return record.size;
    try {
      return Math.min(record.size, (await stat(this.#path(id, PART))).size);
    } catch (error) {
      // Completed by another node between the two reads (its file renamed), or a node crashed
      // between renaming the complete file and recording it: complete either way.
      if ((await this.#store.getBlob(id))?.complete === true) return record.size;
      await stat(this.#path(id, DONE)).catch(() => {
        throw error;
      });
      await this.#store.completeBlob(id);
      return record.size;
    }
  }

  async openWrite(id: string, offset: number): Promise<Writable> {
    const record = await this.#require(id);
    if (record.complete) throw new Error('blob already complete');
    const path = this.#path(id, PART);
    await truncate(path, offset);
    return createWriteStream(path, { flags: 'r+', start: offset });
  }

  complete(id: string): Promise<BlobRecord> {
    return this.#mutex.run(id, async () => {
      const record = await this.#require(id);
      if (record.complete) return record;
      const part = this.#path(id, PART);
      const handle = await open(part, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(part, this.#path(id, DONE));
      const done = await this.#store.completeBlob(id);
      if (done === undefined) {
        // Deleted meanwhile (expired, on another node): its bytes go too.
        await rm(this.#path(id, DONE), { force: true });
        throw new Error('no such blob');
      }
      return done;
    });
  }

  async openRead(id: string, start: number, end: number): Promise<Readable> {
    await this.#require(id);
    // Opened before the stream is returned, so a delete racing the download (on any node)
    // cannot cut it short: the open file outlives its name.
    const handle = await open(this.#path(id, DONE), 'r');
    return handle.createReadStream({ start, end, autoClose: true });
  }

  async countFetch(id: string): Promise<BlobRecord> {
    const counted = await this.#store.countBlobFetch(id);
    if (counted === undefined) throw new Error('no such blob');
    if (counted.deleted) await this.#removeFiles(id);
    return counted.record;
  }

  async delete(id: string): Promise<void> {
    await this.#store.deleteBlob(id);
    await this.#removeFiles(id);
  }

  async expire(now: number, onError: (error: unknown) => void): Promise<number> {
    const expired = await this.#store.expireBlobs(now);
    for (const record of expired) {
      try {
        await this.#removeFiles(record.id);
      } catch (error) {
        onError(error);
      }
    }
    await this.#removeOrphans(onError);
    return expired.length;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Removes files whose blob has no record, once older than the grace. */
  async #removeOrphans(onError: (error: unknown) => void): Promise<void> {
    const cutoff = this.#now() - this.#graceMs;
    for (const name of await readdir(this.#folder)) {
      const id = FILE_PATTERN.exec(name)?.[1];
      if (id === undefined) continue;
      try {
        const path = join(this.#folder, name);
        const { mtimeMs } = await stat(path);
        if (mtimeMs > cutoff) continue;
        if ((await this.#store.getBlob(id)) !== undefined) continue;
        await rm(path, { force: true });
      } catch (error) {
        // Removed meanwhile by the node that deleted its blob: nothing to do.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error);
      }
    }
  }

  async #removeFiles(id: string): Promise<void> {
    await rm(this.#path(id, PART), { force: true });
    await rm(this.#path(id, DONE), { force: true });
  }

  async #require(id: string): Promise<BlobRecord> {
    const record = await this.#store.getBlob(id);
    if (record === undefined) throw new Error('no such blob');
    return record;
  }

  #path(id: string, suffix: string): string {
    return join(this.#folder, `${id}${suffix}`);
  }
}
