import type { ListingAudience } from '../../directory/index.js';
import {
  conditionIdsFor,
  conditionLabel,
  conditionTerm,
  foldCondition,
} from '../../directory/conditionVocabulary.js';
import type { DirectoryListingView } from './listingView.js';

/** What a directory search asks for; every part optional. Nothing of it leaves the device. */
export interface DirectoryQuery {
  /** Words, each matched as the start of a word of the name, description, conditions (with the
   * vocabulary's synonyms) or rhythm. */
  readonly text?: string;
  /** A vocabulary id (`c:als`), one of its names or synonyms, or free text as a listing has it. */
  readonly condition?: string;
  /** A language tag: `en` finds `en` and `en-GB` listings. */
  readonly language?: string;
  /** Listings for these people, or for anyone. */
  readonly audience?: ListingAudience;
  /** `GB` finds listings for GB, any part of GB and anywhere; `GB-SCT` finds GB-SCT, GB and anywhere. */
  readonly region?: string;
  readonly limit?: number;
}

export interface DirectoryHit {
  readonly listing: DirectoryListingView;
  readonly score: number;
}

export const DEFAULT_DIRECTORY_RESULTS = 50;

/** Weights of a word by where it is: a name says more than a description. */
const WEIGHT = { name: 4, condition: 3, rhythm: 1, description: 1 } as const;

interface Posting {
  readonly doc: number;
  readonly weight: number;
}

/**
 * The on-device search over every followed directory's listings: an inverted index from folded
 * words to listings, searched by word prefix with binary search over the sorted words. Built
 * whole from the listings (on load, after each sync): 10,000 listings take tens of ms.
 */
export class DirectoryIndex {
  readonly #docs: DirectoryListingView[];
  readonly #postings = new Map<string, Posting[]>();
  readonly #words: string[];
  /** Per listing, the vocabulary ids and folded free texts of its conditions. */
  readonly #conditions: ReadonlySet<string>[];
  #byGroupId: Map<string, DirectoryListingView> | undefined;

  constructor(listings: Iterable<DirectoryListingView>) {
    this.#docs = [...listings];
    this.#conditions = this.#docs.map(
      (listing) =>
        new Set(listing.conditions.map((c) => (conditionTerm(c) ? c : foldCondition(c)))),
    );
    this.#docs.forEach((listing, doc) => {
      const weights = new Map<string, number>();
      const add = (text: string, weight: number): void => {
        for (const word of words(text)) {
          if ((weights.get(word) ?? 0) < weight) weights.set(word, weight);
        }
      };
      add(listing.name, WEIGHT.name);
      for (const condition of listing.conditions) {
        const known = conditionTerm(condition);
        add(conditionLabel(condition), WEIGHT.condition);
        for (const synonym of known?.synonyms ?? []) add(synonym, WEIGHT.condition);
      }
      add(listing.rhythm, WEIGHT.rhythm);
      add(listing.description, WEIGHT.description);
      for (const [word, weight] of weights) {
        let list = this.#postings.get(word);
        if (list === undefined) {
          list = [];
          this.#postings.set(word, list);
        }
        list.push({ doc, weight });
      }
    });
    this.#words = [...this.#postings.keys()].sort();
  }

  get size(): number {
    return this.#docs.length;
  }

  /** The listing of a group (hex id), if kept. */
  byGroupId(groupId: string): DirectoryListingView | undefined {
    this.#byGroupId ??= new Map(this.#docs.map((listing) => [listing.groupId, listing]));
    return this.#byGroupId.get(groupId);
  }

  /** Best first (then by name); with no text, every listing the filters let through, by name. */
  search(query: DirectoryQuery): DirectoryHit[] {
    const limit = query.limit ?? DEFAULT_DIRECTORY_RESULTS;
    const terms = words(query.text ?? '');
    let scores: Map<number, number>;
    if (terms.length === 0) {
      scores = new Map(this.#docs.map((_, doc) => [doc, 0]));
    } else {
      scores = this.#matchTerm(terms[0] ?? '');
      for (const term of terms.slice(1)) {
        const next = this.#matchTerm(term);
        for (const [doc, score] of scores) {
          const more = next.get(doc);
          if (more === undefined) scores.delete(doc);
          else scores.set(doc, score + more);
        }
      }
    }
    const keep = this.#filter(query);
    const hits: DirectoryHit[] = [];
    for (const [doc, score] of scores) {
      const listing = this.#docs[doc];
      if (listing !== undefined && keep(doc, listing)) hits.push({ listing, score });
    }
    hits.sort((a, b) => b.score - a.score || a.listing.name.localeCompare(b.listing.name));
    return hits.slice(0, limit);
  }

  /** Listings with a word starting with `prefix`, each scored by its best such word. */
  #matchTerm(prefix: string): Map<number, number> {
    const found = new Map<number, number>();
    for (let at = lowerBound(this.#words, prefix); at < this.#words.length; at += 1) {
      const word = this.#words[at] ?? '';
      if (!word.startsWith(prefix)) break;
      // A whole word counts more than a word it only starts.
      const bonus = word === prefix ? 1 : 0;
      for (const { doc, weight } of this.#postings.get(word) ?? []) {
        const score = weight + bonus;
        if ((found.get(doc) ?? 0) < score) found.set(doc, score);
      }
    }
    return found;
  }

  #filter(query: DirectoryQuery): (doc: number, listing: DirectoryListingView) => boolean {
    const checks: ((doc: number, listing: DirectoryListingView) => boolean)[] = [];
    if (query.condition !== undefined && query.condition.trim() !== '') {
      const wanted = new Set([...conditionIdsFor(query.condition), foldCondition(query.condition)]);
      checks.push((doc) => [...wanted].some((c) => this.#conditions[doc]?.has(c) === true));
    }
    if (query.language !== undefined && query.language !== '') {
      const language = query.language.toLowerCase();
      checks.push((_, listing) =>
        listing.languages.some((tag) => {
          const lower = tag.toLowerCase();
          return (
            lower === language ||
            lower.startsWith(`${language}-`) ||
            language.startsWith(`${lower}-`)
          );
        }),
      );
    }
    if (query.audience !== undefined) {
      const audience = query.audience;
      checks.push(
        (_, listing) =>
          listing.audiences.includes(audience) || listing.audiences.includes('anyone'),
      );
    }
    if (query.region !== undefined && query.region !== '') {
      const region = query.region.toUpperCase();
      const country = region.split('-')[0] ?? region;
      checks.push(
        (_, listing) =>
          listing.region === '' ||
          listing.region === region ||
          listing.region === country ||
          (region === country && listing.region.startsWith(`${country}-`)),
      );
    }
    return (doc, listing) => checks.every((check) => check(doc, listing));
  }
}

/** The folded words of `text` (see foldCondition), each once. */
function words(text: string): string[] {
  const folded = foldCondition(text);
  return folded === '' ? [] : [...new Set(folded.split(' '))];
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
