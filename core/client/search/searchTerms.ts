/**
 * How text becomes search terms, the same way for messages and for queries: words as
 * Intl.Segmenter finds them (word granularity, so scripts without spaces split too), compatibility
 * decomposed (NFKD) with their combining marks stripped, then lower-cased. "Méthotrexate" and
 * "METHOTREXATE" both become "methotrexate"; "ﬁbrose" (a ligature) becomes "fibrose".
 */

/** A term longer than this (in UTF-16 code units) is cut to it: keys stay short. */
export const MAX_TERM_LENGTH = 64;

const SEGMENTER = new Intl.Segmenter(undefined, { granularity: 'word' });
const MARKS = /\p{M}+/gu;

/** One word as the index keeps it, or '' when nothing of it is left. */
export function normalizeWord(word: string): string {
  const folded = word.normalize('NFKD').replace(MARKS, '').toLowerCase().normalize('NFC');
  if (folded.length <= MAX_TERM_LENGTH) return folded;
  // Never cut a surrogate pair in half: keys must be well-formed.
  let cut = MAX_TERM_LENGTH;
  const last = folded.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return folded.slice(0, cut);
}

/** A word of `text` with where it starts, as the segmenter found it. */
export interface TextWord {
  readonly term: string;
  readonly index: number;
  readonly length: number;
}

/** The words of `text` in order, normalised, repeats kept. Stops after `max` words. */
export function textWords(text: string, max: number): TextWord[] {
  const words: TextWord[] = [];
  for (const segment of SEGMENTER.segment(text)) {
    if (segment.isWordLike !== true) continue;
    const term = normalizeWord(segment.segment);
    if (term.length === 0) continue;
    words.push({ term, index: segment.index, length: segment.segment.length });
    if (words.length >= max) break;
  }
  return words;
}

/** The distinct terms of `text`, in order of first appearance, at most `max` of them. */
export function distinctTerms(text: string, max: number): string[] {
  const terms = new Set<string>();
  for (const segment of SEGMENTER.segment(text)) {
    if (segment.isWordLike !== true) continue;
    const term = normalizeWord(segment.segment);
    if (term.length === 0) continue;
    terms.add(term);
    if (terms.size >= max) break;
  }
  return [...terms];
}

/** The first `count` code points of a term: the name of the prefix table it is listed in. */
export function leadingCodePoints(term: string, count: number): string {
  let end = 0;
  for (let seen = 0; seen < count && end < term.length; seen += 1) {
    const code = term.codePointAt(end) ?? 0;
    end += code > 0xffff ? 2 : 1;
  }
  return term.slice(0, end);
}
