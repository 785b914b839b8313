import type {
  ApiArgs,
  ListingAudienceView,
  VocabularyConditionView,
} from '../../shared/api.std.js';

/** What the Find page searches for, as typed: kept in the view so "Back" finds it again. */
export interface DirectoryQuery {
  readonly text: string;
  /** A vocabulary name or synonym as chosen from the list, or the person's own words. */
  readonly condition: string;
  readonly language: string;
  readonly audience: ListingAudienceView | '';
  readonly region: string;
}

export const EMPTY_QUERY: DirectoryQuery = {
  text: '',
  condition: '',
  language: '',
  audience: '',
  region: '',
};

/** Compared as core's vocabulary compares names: case and spacing aside. */
function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * The vocabulary id a typed condition names (by its name or a synonym), or the words as typed:
 * free text is a condition too, searched as written.
 */
export function conditionOf(
  typed: string,
  vocabulary: readonly VocabularyConditionView[],
): string | undefined {
  const key = nameKey(typed);
  if (key === '') return undefined;
  const known = vocabulary.find(
    (entry) =>
      nameKey(entry.name) === key ||
      entry.id === typed.trim() ||
      entry.synonyms.some((synonym) => nameKey(synonym) === key),
  );
  return known?.id ?? typed.trim();
}

/** The search call's args for a query. */
export function searchArgs(
  query: DirectoryQuery,
  vocabulary: readonly VocabularyConditionView[],
): ApiArgs<'directory.search'> {
  const condition = conditionOf(query.condition, vocabulary);
  return {
    text: query.text.trim(),
    ...(condition === undefined ? {} : { condition }),
    ...(query.language === '' ? {} : { language: query.language }),
    ...(query.audience === '' ? {} : { audience: query.audience }),
    ...(query.region === '' ? {} : { region: query.region }),
  };
}

export function isEmptyQuery(query: DirectoryQuery): boolean {
  return (
    query.text.trim() === '' &&
    query.condition.trim() === '' &&
    query.language === '' &&
    query.audience === '' &&
    query.region === ''
  );
}
