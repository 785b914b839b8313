export { MAX_REF_PART_LENGTH, SEARCH_LIMIT_DEFAULTS, SearchIndex } from './SearchIndex.js';
export type {
  SearchEntry,
  SearchHit,
  SearchLimits,
  SearchOptions,
  SearchRef,
} from './SearchIndex.js';
export { MAX_TERM_LENGTH, normalizeWord } from './searchTerms.js';
export { directConversation, groupConversation, indexText, searchEntry } from './messageRefs.js';
export { SEARCH_BACKFILL_MARKER, SEARCH_INDEX_VERSION, backfillSearchIndex } from './backfill.js';
export { markSnippet } from './snippetMarks.js';
export type { SnippetPart } from './snippetMarks.js';
