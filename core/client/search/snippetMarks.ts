import { PREFIX_TABLE_CODE_POINTS } from './SearchIndex.js';
import { leadingCodePoints, textWords } from './searchTerms.js';

/** A piece of a snippet: the words a query matched are `marked`, the text between them is not. */
export interface SnippetPart {
  readonly text: string;
  readonly marked: boolean;
}

/** Words of a snippet looked at: a snippet is short (SearchIndex keeps ~160 characters). */
const MAX_SNIPPET_WORDS = 200;

/**
 * `snippet` cut into pieces, with every word `query` matches marked the way SearchIndex.search
 * matches them: case and accents folded, the last query word (two code points or more) also as
 * the start of a word. Joined, the pieces are the snippet again.
 */
export function markSnippet(snippet: string, query: string): SnippetPart[] {
  const words = textWords(query, MAX_SNIPPET_WORDS).map((word) => word.term);
  const last = words.at(-1);
  // As SearchIndex.search: the last word is a prefix once it has two code points or more.
  const prefix =
    last !== undefined && leadingCodePoints(last, PREFIX_TABLE_CODE_POINTS - 1).length < last.length
      ? last
      : undefined;
  const exact = new Set(words);
  const matches = (term: string): boolean =>
    exact.has(term) || (prefix !== undefined && term.startsWith(prefix));
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const word of textWords(snippet, MAX_SNIPPET_WORDS)) {
    if (!matches(word.term)) continue;
    if (word.index > at) parts.push({ text: snippet.slice(at, word.index), marked: false });
    parts.push({ text: snippet.slice(word.index, word.index + word.length), marked: true });
    at = word.index + word.length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), marked: false });
  return parts;
}
