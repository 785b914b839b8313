import { fromUtf8, utf8 } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueOperation, KeyValueStore } from '../../storage/KeyValueStore.js';

/**
 * The index's records. Postings are binary (they are most of the index and are read on every
 * search); the rest is small JSON. The vault authenticates every record, so anything unexpected
 * here is our own bug or an old format: CORE_VAULT_CORRUPT.
 */

/** One message in a term's day bucket. */
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

/** A term's head: the days (since the epoch, UTC) that have a bucket, ascending. */
export function encodeDays(days: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(days.length * 4);
  const view = new DataView(bytes.buffer);
  days.forEach((day, i) => {
    view.setUint32(i * 4, day);
  });
  return bytes;
}

export function decodeDays(bytes: Uint8Array): number[] {
  if (bytes.length % 4 !== 0) throw corrupt('term head');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const days: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) days.push(view.getUint32(offset));
  return days;
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
 * earlier writes and lands as one atomic batch.
 */
export class StagedWrites {
  readonly #store: KeyValueStore;
  readonly #writes = new Map<string, Uint8Array | null>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const staged = this.#writes.get(key);
    if (staged !== undefined) return staged ?? undefined;
    return this.#store.get(key);
  }

  put(key: string, value: Uint8Array): void {
    this.#writes.set(key, value);
  }

  delete(key: string): void {
    this.#writes.set(key, null);
  }

  /** Writes everything staged as one batch. */
  async commit(): Promise<void> {
    if (this.#writes.size === 0) return;
    const operations: KeyValueOperation[] = [...this.#writes].map(([key, value]) =>
      value === null ? { type: 'delete', key } : { type: 'put', key, value },
    );
    this.#writes.clear();
    await this.#store.batch(operations);
  }
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
