import type { BlobRecord } from '../blobs/BlobStore.js';

/** A whole download counted (RelayStore.countBlobFetch): the record after it, and whether it went. */
export interface CountedBlobFetch {
  readonly record: BlobRecord;
  /** The count reached the blob's expected fetches: its record was deleted in the same step. */
  readonly deleted: boolean;
}

/** How many blob records a store holds and their sizes' sum (the relay-wide blob space). */
export interface BlobTotals {
  readonly count: number;
  readonly bytes: number;
}

/** Gone for clients: past its expiry, or still incomplete when its upload window closed. */
export function isBlobExpired(record: BlobRecord, now: number): boolean {
  return now >= record.expiresAt || (!record.complete && now >= record.uploadExpiresAt);
}

const NUMBER_FIELDS = [
  'size',
  'expectedFetches',
  'fetches',
  'uploadExpiresAt',
  'expiresAt',
] as const;

/** A blob record as the embedded store keeps it: JSON, the same fields as BlobRecord. */
export function encodeBlobRecord(record: BlobRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(blobRecordFields(record)));
}

/** The record of `id` from its JSON text; undefined when the text is not a whole, sane record. */
export function decodeBlobRecord(id: string, text: string): BlobRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  for (const key of NUMBER_FIELDS) {
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

/** A plain copy holding the record's fields only (a caller's object may carry more). */
export function blobRecordFields(record: BlobRecord): BlobRecord {
  return {
    id: record.id,
    size: record.size,
    tokenHash: record.tokenHash,
    expectedFetches: record.expectedFetches,
    fetches: record.fetches,
    uploadExpiresAt: record.uploadExpiresAt,
    expiresAt: record.expiresAt,
    complete: record.complete,
  };
}

/**
 * Blob records in a Map: the in-memory store's, and the step logic the others follow (each
 * method is one atomic step).
 */
export class MemoryBlobRecords {
  readonly #records = new Map<string, BlobRecord>();

  create(record: BlobRecord): boolean {
    if (this.#records.has(record.id)) return false;
    this.#records.set(record.id, blobRecordFields(record));
    return true;
  }

  get(id: string): BlobRecord | undefined {
    return this.#records.get(id);
  }

  complete(id: string): BlobRecord | undefined {
    const record = this.#records.get(id);
    if (record === undefined) return undefined;
    const done = { ...record, complete: true };
    this.#records.set(id, done);
    return done;
  }

  countFetch(id: string): CountedBlobFetch | undefined {
    const record = this.#records.get(id);
    if (record === undefined) return undefined;
    const counted = { ...record, fetches: record.fetches + 1 };
    const deleted = counted.fetches >= counted.expectedFetches;
    if (deleted) this.#records.delete(id);
    else this.#records.set(id, counted);
    return { record: counted, deleted };
  }

  delete(id: string): BlobRecord | undefined {
    const record = this.#records.get(id);
    this.#records.delete(id);
    return record;
  }

  expire(now: number): BlobRecord[] {
    const expired = [...this.#records.values()].filter((record) => isBlobExpired(record, now));
    for (const record of expired) this.#records.delete(record.id);
    return expired;
  }

  totals(): BlobTotals {
    let bytes = 0;
    for (const record of this.#records.values()) bytes += record.size;
    return { count: this.#records.size, bytes };
  }
}
