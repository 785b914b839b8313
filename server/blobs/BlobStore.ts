import type { Readable, Writable } from 'node:stream';

/** What the relay knows of one blob. No persona: the relay does not keep who uploaded what. */
export interface BlobRecord {
  /** The blob id, lower-case hex. */
  readonly id: string;
  /** The padded size, exactly what the upload must deliver. */
  readonly size: number;
  /** SHA-256 of the upload token, hex (the token itself is never stored). */
  readonly tokenHash: string;
  /** Whole downloads after which the blob is deleted. */
  readonly expectedFetches: number;
  /** Whole downloads so far. */
  readonly fetches: number;
  /** The upload must be complete by then (ms since the epoch). */
  readonly uploadExpiresAt: number;
  /** Deleted by then whatever happens (ms since the epoch). */
  readonly expiresAt: number;
  /** All `size` bytes received and the file in its final place. */
  readonly complete: boolean;
}

/**
 * Where the relay keeps blobs: their bytes and their records. One interface so the relay's logic
 * does not care where they live: FileBlobStore keeps both in the blob folder (a relay on its own
 * LevelDB), SharedBlobStore keeps the bytes there and the records in the relay's store, so every
 * node of a relay cluster serves every blob (the folder then shared by all nodes).
 */
export interface BlobStore {
  get(id: string): Promise<BlobRecord | undefined>;
  /** How many blobs are stored (complete or arriving), and the sum of their sizes. */
  totals(): Promise<{ readonly count: number; readonly bytes: number }>;
  /** Records a new, empty, incomplete blob. */
  create(record: BlobRecord): Promise<void>;
  /** How many bytes of an incomplete blob are held (all of them for a complete one). */
  received(id: string): Promise<number>;
  /** A stream writing an incomplete blob's bytes from `offset` (what lay beyond is dropped). */
  openWrite(id: string, offset: number): Promise<Writable>;
  /** Makes an incomplete blob whose bytes are all held complete (durably). */
  complete(id: string): Promise<BlobRecord>;
  /** A stream of a complete blob's bytes `start`..`end` (inclusive). */
  openRead(id: string, start: number, end: number): Promise<Readable>;
  /**
   * Counts one whole download; returns the updated record. The count that reaches the expected
   * fetches may delete the blob at once (a shared store does, in the same step).
   */
  countFetch(id: string): Promise<BlobRecord>;
  /** Deletes a blob's bytes and record (nothing when it is already gone). */
  delete(id: string): Promise<void>;
  /**
   * Deletes every blob expired by `now` (past its expiry, or incomplete past its upload window)
   * and returns how many; a blob that could not be deleted is reported to `onError`.
   */
  expire(now: number, onError: (error: unknown) => void): Promise<number>;
  close(): Promise<void>;
}
