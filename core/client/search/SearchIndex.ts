import { SerialQueue } from '../../concurrency/SerialQueue.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { IndexedDoc, Posting } from './searchRecords.js';
import {
  INLINE_POSTINGS,
  StagedWrites,
  bucketHas,
  comparePostings,
  decodeDoc,
  decodeHead,
  decodeNumber,
  decodePostings,
  decodeTerms,
  encodeDoc,
  encodeHead,
  encodeNumber,
  encodePostings,
  encodeTerms,
  sizeClass,
} from './searchRecords.js';
import { distinctTerms, leadingCodePoints, textWords } from './searchTerms.js';

/** A message as the index names it: its conversation and its id in that conversation. */
export interface SearchRef {
  /** E.g. `direct:<address>` or `group:<hex id>`: whatever the message stores call it. */
  readonly conversation: string;
  /** The message's id (hex), unique within its conversation. */
  readonly messageId: string;
}

/** A message that matched, with a short piece of its text around the first word that matched. */
export interface SearchHit extends SearchRef {
  readonly sentAt: number;
  readonly snippet: string;
}

export interface SearchOptions {
  /** At most this many hits (1 to `maxResults`, default `defaultResults`). */
  readonly limit?: number;
  /** Only this conversation's messages. */
  readonly conversation?: string;
}

/** One message to index. */
export interface SearchEntry {
  readonly ref: SearchRef;
  readonly text: string;
  /** The sender's clock, ms since the epoch: results come newest first by it. */
  readonly sentAt: number;
}

/** Every bound of the index. Each is an option; the defaults are documented in docs/search.md. */
export interface SearchLimits {
  /** Longest query, in UTF-16 code units (longer: CORE_INVALID_INPUT). */
  readonly maxQueryLength: number;
  /** Most words in a query (more: CORE_INVALID_INPUT). */
  readonly maxQueryWords: number;
  /** Most hits one search may ask for. */
  readonly maxResults: number;
  /** Hits when the caller does not say. */
  readonly defaultResults: number;
  /** How many terms the last query word may stand for as a prefix (shortest first). */
  readonly maxPrefixExpansion: number;
  /** Distinct words indexed per message (the rest of a very long message is not indexed). */
  readonly maxTermsPerMessage: number;
  /** Terms listed in one prefix table (beyond it, new terms are found whole, not by prefix). */
  readonly maxPrefixTableTerms: number;
  /** Records one search may read (buckets and documents); past it, it returns what it found. */
  readonly maxRecordReads: number;
  /** Messages one `addMany` call may index. */
  readonly maxBulkEntries: number;
  /**
   * Postings a word's head holds itself before they move to week buckets (a rare word is then one
   * read). Indexes written with different values read alike: each head says which it is.
   */
  readonly maxInlinePostings: number;
}

export const SEARCH_LIMIT_DEFAULTS: SearchLimits = {
  maxQueryLength: 512,
  maxQueryWords: 8,
  maxResults: 200,
  defaultResults: 20,
  maxPrefixExpansion: 16,
  maxTermsPerMessage: 512,
  maxPrefixTableTerms: 20_000,
  maxRecordReads: 4096,
  maxBulkEntries: 5000,
  maxInlinePostings: INLINE_POSTINGS,
};

/** Longest conversation or message id accepted in a ref (they become key segments). */
export const MAX_REF_PART_LENGTH = 200;
/**
 * A bucket holds one term's postings of one week (since the epoch): coarse enough that a common
 * word's year is ~50 records, fine enough that a live add rewrites small buckets.
 */
const WEEK_MS = 7 * 86_400_000;
/** Characters of a message kept for snippets. */
const SNIPPET_SOURCE_LENGTH = 600;
const SNIPPET_BEFORE = 30;
const SNIPPET_LENGTH = 120;
/** Words of a stored text looked at to place a snippet. */
const SNIPPET_WORDS = 200;
/** The last query word is a prefix once it has this many code points (prefix tables' key). */
export const PREFIX_TABLE_CODE_POINTS = 2;
/** Latest sentAt accepted: the last millisecond a Date can hold. */
export const MAX_SENT_AT = 8.64e15;

/**
 * A full-text index of one persona's messages, kept in a KeyValueStore (in the app, the persona's
 * part of the Vault, so every record is sealed and every key segment hashed).
 *
 * Layout, below `root` (default `search`):
 * - `head/<term>`: the term's postings, (sentAt, document number) newest first, while it has at
 *   most `maxInlinePostings`; past that, the weeks (UTC) that have a bucket, each with its size
 *   class (searchRecords.ts, TermHead);
 * - `post/<term>/<week>`: that week's postings of a bucketed term, newest first;
 * - `doc/<n>`: document n: its ref, sentAt, its distinct terms (what removing it undoes) and the
 *   start of its text (snippets); `ref/<conversation>/<message id>`: its document number;
 * - `prefix/<first two code points>`: every term starting with them (prefix lookup);
 * - `meta`: the next document number.
 *
 * Searching starts from the query word with the fewest postings and walks its weeks newest first
 * (each a disjoint slice of time, so results come out in order without sorting everything); per
 * week the other words narrow its postings down (inline postings, a binary search in a bucket,
 * or the candidates' documents, whichever reads least). A rare word costs its head and its hits'
 * documents; 20 hits of a common word, one head, one or two buckets and 20 documents. One `add`
 * is one atomic batch: its document, its ref, and per distinct word its head (inline) or one
 * bucket (and the head when the bucket is new or changes size class), the prefix table when the
 * word is new. What this reveals to someone holding the folder is in docs/search.md.
 *
 * Writes run one at a time; searches do not wait for them (a search sees each batch whole or not
 * at all, and skips a document removed under it).
 */
export class SearchIndex {
  readonly #store: KeyValueStore;
  readonly #root: string;
  readonly #limits: SearchLimits;
  readonly #writes = new SerialQueue();

  constructor(
    store: KeyValueStore,
    options: { readonly root?: string; readonly limits?: Partial<SearchLimits> } = {},
  ) {
    this.#store = store;
    this.#root = options.root ?? 'search';
    this.#limits = { ...SEARCH_LIMIT_DEFAULTS, ...options.limits };
  }

  /** Indexes one message (or re-indexes it: an edit replaces what was indexed before). */
  add(ref: SearchRef, text: string, sentAt: number): Promise<void> {
    return this.addMany([{ ref, text, sentAt }]);
  }

  /**
   * Indexes many messages in one batch (back-filling a history, a restore): each touched record is
   * written once. At most `maxBulkEntries` per call.
   */
  addMany(entries: readonly SearchEntry[]): Promise<void> {
    try {
      const list: unknown = entries;
      if (!Array.isArray(list) || entries.length > this.#limits.maxBulkEntries) {
        throw invalid(`index at most ${this.#limits.maxBulkEntries} messages per call`);
      }
      for (const entry of entries) checkEntry(entry);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.#writes.run(async () => {
      const staged = new StagedWrites(this.#store);
      for (const entry of entries) {
        await this.#removeStaged(staged, entry.ref);
        await this.#addStaged(staged, entry);
      }
      await staged.commit();
    });
  }

  /** Forgets a message (deleted, expired). Unknown refs are ignored. */
  remove(ref: SearchRef): Promise<void> {
    try {
      checkRef(ref);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.#writes.run(async () => {
      const staged = new StagedWrites(this.#store);
      await this.#removeStaged(staged, ref);
      await staged.commit();
    });
  }

  /** Forgets every message of a conversation (the conversation was deleted). */
  removeConversation(conversation: string): Promise<void> {
    try {
      checkRefPart(conversation);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.#writes.run(async () => {
      const staged = new StagedWrites(this.#store);
      const refs = await this.#store.list(`${this.#root}/ref/${segment(conversation)}`);
      for (const entry of refs) {
        await this.#removeDoc(staged, decodeRef(entry.value));
        staged.delete(entry.key);
      }
      await staged.commit();
    });
  }

  /**
   * The messages containing every word of `query` (the last one also as a prefix: "metho" finds
   * "methotrexate"), newest first. Case and accents do not matter. A query with no words gives no
   * hits; one longer than `maxQueryLength` or with more than `maxQueryWords` words is
   * CORE_INVALID_INPUT.
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limits = this.#limits;
    if (typeof query !== 'string' || query.length > limits.maxQueryLength) {
      throw invalid(`a query is a string of at most ${limits.maxQueryLength} characters`);
    }
    const limit = options.limit ?? limits.defaultResults;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > limits.maxResults) {
      throw invalid(`a search returns 1 to ${limits.maxResults} hits`);
    }
    if (options.conversation !== undefined) checkRefPart(options.conversation);
    const words = distinctTerms(query.toWellFormed(), limits.maxQueryWords + 1);
    if (words.length === 0) return [];
    if (words.length > limits.maxQueryWords) {
      throw invalid(`a query has at most ${limits.maxQueryWords} words`);
    }
    const groups: QueryGroup[] = [];
    for (const [i, word] of words.entries()) {
      const prefix =
        i === words.length - 1 &&
        leadingCodePoints(word, PREFIX_TABLE_CODE_POINTS - 1).length < word.length;
      const terms = prefix ? await this.#expand(word) : [word];
      const group = await this.#group(word, prefix, terms);
      if (group.weeks.size === 0) return [];
      groups.push(group);
    }
    // The group with the fewest postings drives: its postings are the candidates, the others
    // only narrow them down.
    groups.sort((a, b) => a.total - b.total);
    const [driver, ...others] = groups;
    if (driver === undefined) return [];
    const weeks = [...driver.weeks]
      .filter((week) => others.every((group) => group.weeks.has(week)))
      .sort((a, b) => b - a);
    const documents = others.some((group) => group.terms.some((term) => term.inline === undefined))
      ? await this.#store.get(`${this.#root}/meta`)
      : undefined;
    const documentCount = documents === undefined ? 1 : Math.max(1, decodeMeta(documents));

    const hits: SearchHit[] = [];
    let reads = 0;
    for (const week of weeks) {
      const candidates = new Map<number, number>();
      for (const term of driver.terms) {
        if (!term.weeks.has(week)) continue;
        if (term.inline !== undefined) {
          for (const posting of term.inline.get(week) ?? []) {
            candidates.set(posting.doc, posting.sentAt);
          }
          continue;
        }
        reads += 1;
        const bucket = await this.#store.get(this.#bucketKey(term.term, week));
        if (bucket === undefined) continue;
        for (const posting of decodePostings(bucket)) candidates.set(posting.doc, posting.sentAt);
      }
      // Each other word narrows the candidates: from its head when its postings are inline, from
      // its buckets of the week, or, when that would read more records than it saves (a few
      // candidates, a word most messages have), from the candidates' documents, which a hit
      // reads anyway.
      const checkDocs: QueryGroup[] = [];
      for (const group of others) {
        if (candidates.size === 0) break;
        const bucketed = group.terms.filter(
          (term) => term.inline === undefined && term.weeks.has(week),
        );
        const likely = Math.min(1, group.total / documentCount);
        if (bucketed.length > 0 && candidates.size * (1 - likely) <= bucketed.length) {
          checkDocs.push(group);
          continue;
        }
        const buckets: Uint8Array[] = [];
        for (const term of bucketed) {
          reads += 1;
          const bucket = await this.#store.get(this.#bucketKey(term.term, week));
          if (bucket !== undefined) buckets.push(bucket);
        }
        for (const [doc, sentAt] of candidates) {
          const posting = { sentAt, doc };
          const held =
            group.terms.some((term) => term.inlineDocs?.has(doc) === true) ||
            buckets.some((bucket) => bucketHas(bucket, posting));
          if (!held) candidates.delete(doc);
        }
      }
      if (candidates.size === 0) {
        if (reads >= limits.maxRecordReads) break;
        continue;
      }
      const ordered = [...candidates]
        .map(([doc, sentAt]) => ({ doc, sentAt }))
        .sort(comparePostings);
      for (const posting of ordered) {
        reads += 1;
        const bytes = await this.#store.get(this.#docKey(posting.doc));
        if (bytes === undefined) continue;
        const doc = decodeDoc(bytes);
        const matches =
          checkDocs.every((group) => group.terms.some((term) => doc.terms.includes(term.term))) &&
          (options.conversation === undefined || doc.conversation === options.conversation);
        if (matches) {
          hits.push({
            conversation: doc.conversation,
            messageId: doc.messageId,
            sentAt: doc.sentAt,
            snippet: snippetOf(doc, groups),
          });
        }
        if (hits.length >= limit || reads >= limits.maxRecordReads) return hits;
      }
      if (reads >= limits.maxRecordReads) break;
    }
    return hits;
  }

  /** Forgets everything indexed. */
  async clear(): Promise<void> {
    await this.#writes.run(() => this.#store.deleteTree(this.#root));
  }

  /** The terms a prefix stands for: itself, then the shortest others listed with it. */
  async #expand(prefix: string): Promise<string[]> {
    const table = await this.#store.get(this.#prefixKey(prefix));
    if (table === undefined) return [prefix];
    const longer = decodeTerms(table).filter((term) => term.startsWith(prefix) && term !== prefix);
    longer.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    return [prefix, ...longer.slice(0, this.#limits.maxPrefixExpansion - 1)];
  }

  async #group(word: string, prefix: boolean, terms: readonly string[]): Promise<QueryGroup> {
    const group: QueryGroup = { word, prefix, terms: [], weeks: new Set(), total: 0 };
    for (const term of terms) {
      const bytes = await this.#store.get(this.#headKey(term));
      if (bytes === undefined) continue;
      const head = decodeHead(bytes);
      const weeks = new Map<number, number>();
      if (head.kind === 'inline') {
        const byWeek = new Map<number, Posting[]>();
        for (const posting of head.postings) {
          const week = weekOf(posting.sentAt);
          weeks.set(week, (weeks.get(week) ?? 0) + 1);
          byWeek.set(week, [...(byWeek.get(week) ?? []), posting]);
        }
        group.terms.push({
          term,
          inline: byWeek,
          inlineDocs: new Set(head.postings.map((posting) => posting.doc)),
          weeks,
        });
        group.total += head.postings.length;
      } else {
        group.terms.push({ term, inline: undefined, inlineDocs: undefined, weeks: head.weeks });
        for (const count of head.weeks.values()) group.total += count;
      }
      for (const week of (head.kind === 'inline' ? weeks : head.weeks).keys()) {
        group.weeks.add(week);
      }
    }
    return group;
  }

  async #addStaged(staged: StagedWrites, entry: SearchEntry): Promise<void> {
    const text = entry.text.toWellFormed();
    const terms = distinctTerms(text, this.#limits.maxTermsPerMessage);
    if (terms.length === 0) return;
    const metaKey = `${this.#root}/meta`;
    const doc = (await staged.read(metaKey, decodeMeta)) ?? 0;
    staged.write(metaKey, doc + 1, encodeNumber);
    const week = weekOf(entry.sentAt);
    const posting: Posting = { sentAt: entry.sentAt, doc };
    for (const term of terms) {
      const headKey = this.#headKey(term);
      const head = await staged.read(headKey, decodeHead);
      if (head === undefined || head.kind === 'inline') {
        if (head === undefined) await this.#listTerm(staged, term);
        const inline = head ?? { kind: 'inline', postings: [] };
        insertSorted(inline.postings, posting, comparePostings);
        if (inline.postings.length <= this.#limits.maxInlinePostings) {
          staged.write(headKey, inline, encodeHead);
        } else {
          await this.#spill(staged, term, inline.postings);
        }
        continue;
      }
      const bucketKey = this.#bucketKey(term, week);
      const postings = (await staged.read(bucketKey, decodePostings)) ?? [];
      insertSorted(postings, posting, comparePostings);
      staged.write(bucketKey, postings, encodePostings);
      // The head changes only when the bucket is new or changes size class: most adds leave it.
      const size = sizeClass(postings.length);
      if (head.weeks.get(week) !== size) {
        head.weeks.set(week, size);
        staged.write(headKey, head, encodeHead);
      }
    }
    const record: IndexedDoc = {
      conversation: entry.ref.conversation,
      messageId: entry.ref.messageId,
      sentAt: entry.sentAt,
      terms,
      text: cutText(text, SNIPPET_SOURCE_LENGTH),
    };
    staged.write(this.#docKey(doc), record, encodeDoc);
    staged.write(this.#refKey(entry.ref), doc, encodeNumber);
  }

  async #removeStaged(staged: StagedWrites, ref: SearchRef): Promise<void> {
    const refKey = this.#refKey(ref);
    const doc = await staged.read(refKey, decodeRef);
    if (doc === undefined) return;
    await this.#removeDoc(staged, doc);
    staged.delete(refKey);
  }

  async #removeDoc(staged: StagedWrites, doc: number): Promise<void> {
    const docKey = this.#docKey(doc);
    const record = await staged.read(docKey, decodeDoc);
    if (record === undefined) return;
    const week = weekOf(record.sentAt);
    for (const term of record.terms) {
      const headKey = this.#headKey(term);
      const head = await staged.read(headKey, decodeHead);
      if (head === undefined) continue;
      if (head.kind === 'inline') {
        const left = head.postings.filter((posting) => posting.doc !== doc);
        if (left.length > 0) {
          staged.write(headKey, { kind: 'inline', postings: left }, encodeHead);
        } else {
          staged.delete(headKey);
          await this.#unlistTerm(staged, term);
        }
        continue;
      }
      const bucketKey = this.#bucketKey(term, week);
      const postings = (await staged.read(bucketKey, decodePostings)) ?? [];
      const left = postings.filter((posting) => posting.doc !== doc);
      if (left.length > 0) {
        staged.write(bucketKey, left, encodePostings);
        const size = sizeClass(left.length);
        if (head.weeks.get(week) !== size) {
          head.weeks.set(week, size);
          staged.write(headKey, head, encodeHead);
        }
        continue;
      }
      staged.delete(bucketKey);
      head.weeks.delete(week);
      if (head.weeks.size > 0) {
        staged.write(headKey, head, encodeHead);
      } else {
        staged.delete(headKey);
        await this.#unlistTerm(staged, term);
      }
    }
    staged.delete(docKey);
  }

  /** Moves a term's postings from its head to week buckets: it has passed INLINE_POSTINGS. */
  async #spill(staged: StagedWrites, term: string, postings: readonly Posting[]): Promise<void> {
    const weeks = new Map<number, number>();
    const byWeek = new Map<number, Posting[]>();
    for (const posting of postings) {
      const week = weekOf(posting.sentAt);
      const list = byWeek.get(week) ?? [];
      list.push(posting);
      byWeek.set(week, list);
    }
    for (const [week, list] of byWeek) {
      const bucketKey = this.#bucketKey(term, week);
      const bucket = (await staged.read(bucketKey, decodePostings)) ?? [];
      for (const posting of list) insertSorted(bucket, posting, comparePostings);
      staged.write(bucketKey, bucket, encodePostings);
      weeks.set(week, sizeClass(bucket.length));
    }
    staged.write(this.#headKey(term), { kind: 'weeks', weeks }, encodeHead);
  }

  async #listTerm(staged: StagedWrites, term: string): Promise<void> {
    const key = this.#prefixKey(term);
    const terms = (await staged.read(key, decodeTerms)) ?? [];
    if (terms.length >= this.#limits.maxPrefixTableTerms) return;
    if (insertSorted(terms, term, (a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      staged.write(key, terms, encodeTerms);
    }
  }

  async #unlistTerm(staged: StagedWrites, term: string): Promise<void> {
    const key = this.#prefixKey(term);
    const table = await staged.read(key, decodeTerms);
    if (table === undefined) return;
    const terms = table.filter((listed) => listed !== term);
    if (terms.length > 0) staged.write(key, terms, encodeTerms);
    else staged.delete(key);
  }

  #headKey(term: string): string {
    return `${this.#root}/head/${segment(term)}`;
  }

  #bucketKey(term: string, week: number): string {
    return `${this.#root}/post/${segment(term)}/${week}`;
  }

  #docKey(doc: number): string {
    return `${this.#root}/doc/${doc}`;
  }

  #refKey(ref: SearchRef): string {
    return `${this.#root}/ref/${segment(ref.conversation)}/${segment(ref.messageId)}`;
  }

  #prefixKey(term: string): string {
    return `${this.#root}/prefix/${segment(leadingCodePoints(term, PREFIX_TABLE_CODE_POINTS))}`;
  }
}

interface QueryTerm {
  readonly term: string;
  /** Its postings by week when its head holds them all, else undefined. */
  readonly inline: ReadonlyMap<number, readonly Posting[]> | undefined;
  readonly inlineDocs: ReadonlySet<number> | undefined;
  /** The weeks it has postings in, each with about how many (its bucket's size class). */
  readonly weeks: ReadonlyMap<number, number>;
}

interface QueryGroup {
  readonly word: string;
  readonly prefix: boolean;
  readonly terms: QueryTerm[];
  /** Every week any of the terms has postings in. */
  readonly weeks: Set<number>;
  /** About how many postings its terms have together (what orders the intersection). */
  total: number;
}

function weekOf(sentAt: number): number {
  return Math.floor(sentAt / WEEK_MS);
}

function decodeMeta(bytes: Uint8Array): number {
  return decodeNumber(bytes, 'search meta');
}

function decodeRef(bytes: Uint8Array): number {
  return decodeNumber(bytes, 'search ref');
}

/** Inserts `value` in order unless an equal one is there; true when it was inserted. */
function insertSorted<T>(items: T[], value: T, compare: (a: T, b: T) => number): boolean {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compare(items[middle] as T, value);
    if (order === 0) return false;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  items.splice(low, 0, value);
  return true;
}

/** A key segment: any string, with '/' and everything else escaped. */
function segment(value: string): string {
  return encodeURIComponent(value);
}

function checkEntry(entry: SearchEntry): void {
  const value: unknown = entry;
  if (typeof value !== 'object' || value === null) throw invalid('an entry is an object');
  checkRef(entry.ref);
  if (typeof entry.text !== 'string') throw invalid('a message text is a string');
  if (
    typeof entry.sentAt !== 'number' ||
    !Number.isFinite(entry.sentAt) ||
    entry.sentAt < 0 ||
    entry.sentAt > MAX_SENT_AT
  ) {
    throw invalid('sentAt is a time in ms since the epoch');
  }
}

function checkRef(ref: SearchRef): void {
  const value: unknown = ref;
  if (typeof value !== 'object' || value === null) throw invalid('a message ref is an object');
  checkRefPart(ref.conversation);
  checkRefPart(ref.messageId);
}

function checkRefPart(part: unknown): void {
  if (
    typeof part !== 'string' ||
    part.length === 0 ||
    part.length > MAX_REF_PART_LENGTH ||
    !part.isWellFormed()
  ) {
    throw invalid(`conversation and message ids are 1 to ${MAX_REF_PART_LENGTH} characters`);
  }
}

function invalid(message: string): CoreError {
  return new CoreError(CoreErrorCode.InvalidInput, message);
}

/** The first `length` code units of `text`, never ending inside a surrogate pair. */
function cutText(text: string, length: number): string {
  if (text.length <= length) return text;
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/** A piece of the message around the first word that matched the query. */
function snippetOf(doc: IndexedDoc, groups: readonly QueryGroup[]): string {
  const matches = (term: string): boolean =>
    groups.some((group) => (group.prefix ? term.startsWith(group.word) : term === group.word));
  const hit = textWords(doc.text, SNIPPET_WORDS).find((word) => matches(word.term));
  let start = hit === undefined ? 0 : Math.max(0, hit.index - SNIPPET_BEFORE);
  const first = doc.text.charCodeAt(start);
  if (first >= 0xdc00 && first <= 0xdfff) start += 1;
  const piece = cutText(doc.text.slice(start), SNIPPET_LENGTH).replace(/\s+/gu, ' ').trim();
  const before = start > 0 ? '…' : '';
  const after = start + SNIPPET_LENGTH < doc.text.length ? '…' : '';
  return `${before}${piece}${after}`;
}
