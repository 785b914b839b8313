import { fromUtf8, utf8 } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueOperation, KeyValueStore } from '../../storage/KeyValueStore.js';

/**
 * The index's records. Postings are binary (they are most of the index and are read on every
 * search); the rest is small JSON. The vault authenticates every record, so anything unexpected
 * here is our own bug or an old format: CORE_VAULT_CORRUPT.
 */

/** One message in a term's week bucket. */
export interface Posting {
  readonly sentAt: number;
  readonly doc: number;
}

const POSTING_BYTES = 12;

/** Newest first; equal times by document number, highest first. */
export function comparePostings(a: Posting, b: Posting): number {
  return b.sentAt - a.sentAt || b.doc - a.doc;
}

export function encodePostings(postings: readonly Posting[]): Uint8Array {
  const bytes = new Uint8Array(postings.length * POSTING_BYTES);
  const view = new DataView(bytes.buffer);
  postings.forEach((posting, i) => {
    view.setFloat64(i * POSTING_BYTES, posting.sentAt);
    view.setUint32(i * POSTING_BYTES + 8, posting.doc);
  });
  return bytes;
}

export function decodePostings(bytes: Uint8Array): Posting[] {
  if (bytes.length % POSTING_BYTES !== 0) throw corrupt('posting bucket');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const postings: Posting[] = [];
  for (let offset = 0; offset < bytes.length; offset += POSTING_BYTES) {
    postings.push({ sentAt: view.getFloat64(offset), doc: view.getUint32(offset + 8) });
  }
  return postings;
}

/**
 * Whether `bytes` (a bucket, encoded by encodePostings) holds `posting`: a binary search over the
 * encoded postings, so checking a few candidates against a large bucket decodes none of it.
 */
export function bucketHas(bytes: Uint8Array, posting: Posting): boolean {
  if (bytes.length % POSTING_BYTES !== 0) throw corrupt('posting bucket');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let low = 0;
  let high = bytes.length / POSTING_BYTES;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = middle * POSTING_BYTES;
    const order = comparePostings(
      { sentAt: view.getFloat64(at), doc: view.getUint32(at + 8) },
      posting,
    );
    if (order === 0) return true;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return false;
}

/**
 * A term's head. A term with few postings keeps them all here (`inline`, newest first, no
 * buckets): a rare word is one read. Past INLINE_POSTINGS they move to week buckets and the head
 * lists the weeks that have one, each with the size class of its bucket (the largest power of two
 * not above its postings), which a search uses to pick the cheapest way to intersect.
 */
export type TermHead =
  | { readonly kind: 'inline'; readonly postings: Posting[] }
  | { readonly kind: 'weeks'; readonly weeks: Map<number, number> };

/** Most postings kept in a head before they move to week buckets. */
export const INLINE_POSTINGS = 256;
const INLINE_TAG = 1;
const WEEKS_TAG = 2;

/** The largest power of two not above `count` (at least 1): a bucket's size class. */
export function sizeClass(count: number): number {
  return count < 1 ? 1 : 2 ** Math.floor(Math.log2(count));
}

export function encodeHead(head: TermHead): Uint8Array {
  if (head.kind === 'inline') {
    const postings = encodePostings(head.postings);
    const bytes = new Uint8Array(1 + postings.length);
    bytes[0] = INLINE_TAG;
    bytes.set(postings, 1);
    return bytes;
  }
  const weeks = [...head.weeks].sort((a, b) => a[0] - b[0]);
  const bytes = new Uint8Array(1 + weeks.length * 8);
  bytes[0] = WEEKS_TAG;
  const view = new DataView(bytes.buffer);
  weeks.forEach(([week, count], i) => {
    view.setUint32(1 + i * 8, week);
    view.setUint32(5 + i * 8, count);
  });
  return bytes;
}

export function decodeHead(bytes: Uint8Array): TermHead {
  const body = bytes.subarray(1);
  if (bytes[0] === INLINE_TAG) return { kind: 'inline', postings: decodePostings(body) };
  if (bytes[0] !== WEEKS_TAG || body.length % 8 !== 0) throw corrupt('term head');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const weeks = new Map<number, number>();
  for (let offset = 0; offset < body.length; offset += 8) {
    weeks.set(view.getUint32(offset), view.getUint32(offset + 4));
  }
  return { kind: 'weeks', weeks };
}

/** What the index keeps about one message. */
export interface IndexedDoc {
  readonly conversation: string;
  readonly messageId: string;
  readonly sentAt: number;
  /** The distinct terms posted for it: what removing it must undo. */
  readonly terms: readonly string[];
  /** The start of its text, for snippets. */
  readonly text: string;
}

export function encodeDoc(doc: IndexedDoc): Uint8Array {
  return utf8(
    JSON.stringify({
      c: doc.conversation,
      m: doc.messageId,
      t: doc.sentAt,
      w: doc.terms,
      x: doc.text,
    }),
  );
}

export function decodeDoc(bytes: Uint8Array): IndexedDoc {
  const parsed = parseJson(bytes, 'search document');
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('c' in parsed && 'm' in parsed && 't' in parsed && 'w' in parsed && 'x' in parsed)
  ) {
    throw corrupt('search document');
  }
  const { c, m, t, w, x } = parsed;
  if (
    typeof c !== 'string' ||
    typeof m !== 'string' ||
    typeof t !== 'number' ||
    typeof x !== 'string' ||
    !isStringArray(w)
  ) {
    throw corrupt('search document');
  }
  return { conversation: c, messageId: m, sentAt: t, terms: w, text: x };
}

/** Document numbers: the next one to hand out. */
export function encodeNumber(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value);
  return bytes;
}

export function decodeNumber(bytes: Uint8Array, what: string): number {
  if (bytes.length !== 8) throw corrupt(what);
  const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0);
  if (!Number.isSafeInteger(value) || value < 0) throw corrupt(what);
  return value;
}

/** A prefix table: the terms that start with its prefix, sorted. */
export function encodeTerms(terms: readonly string[]): Uint8Array {
  return utf8(JSON.stringify(terms));
}

export function decodeTerms(bytes: Uint8Array): string[] {
  const parsed = parseJson(bytes, 'prefix table');
  if (!isStringArray(parsed)) throw corrupt('prefix table');
  return parsed;
}

/**
 * Reads through to a store and collects writes, so one `add` (or one bulk add) reads its own
 * earlier writes and lands as one atomic batch. Records are kept decoded until the commit, so a
 * bulk add that touches a record a thousand times decodes and encodes it once. Each key holds one
 * type of record (the caller passes the same codec for a key every time); callers must `write`
 * any value they change.
 */
export class StagedWrites {
  readonly #store: KeyValueStore;
  /** Decoded records: written (with their encoder), read, or null when deleted. */
  readonly #records = new Map<string, StagedRecord | null>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async read<T>(key: string, decode: (bytes: Uint8Array) => T): Promise<T | undefined> {
    const staged = this.#records.get(key);
    if (staged === null) return undefined;
    // The key's codec is always the same T (see above).
    if (staged !== undefined) return staged.value as T;
    const bytes = await this.#store.get(key);
    if (bytes === undefined) return undefined;
    const value = decode(bytes);
    this.#records.set(key, { value, encode: undefined });
    return value;
  }

  write<T>(key: string, value: T, encode: (value: T) => Uint8Array): void {
    this.#records.set(key, { value, encode: (staged) => encode(staged as T) });
  }

  delete(key: string): void {
    this.#records.set(key, null);
  }

  /** Writes everything changed as one batch. */
  async commit(): Promise<void> {
    const operations: KeyValueOperation[] = [];
    for (const [key, record] of this.#records) {
      if (record === null) operations.push({ type: 'delete', key });
      else if (record.encode !== undefined) {
        operations.push({ type: 'put', key, value: record.encode(record.value) });
      }
    }
    this.#records.clear();
    if (operations.length > 0) await this.#store.batch(operations);
  }
}

interface StagedRecord {
  readonly value: unknown;
  /** Undefined for a record only read. */
  readonly encode: ((value: unknown) => Uint8Array) | undefined;
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(fromUtf8(bytes)) as unknown;
  } catch (error) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, `${what} record unreadable`, { cause: error });
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function corrupt(what: string): CoreError {
  return new CoreError(CoreErrorCode.VaultCorrupt, `${what} record malformed`);
}
