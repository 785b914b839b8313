import type {
  ApiArgs,
  ListingAudienceView,
  VocabularyConditionView,
} from '../../shared/api.std.js';
import { LISTING_FORM_LIMITS } from '../../shared/directoryViews.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import type { MessageValues } from '../i18n/LanguageProvider.dom.js';

/**
 * The owner's listing form as typed, and its checks: the same bounds core puts on a listing
 * (core/directory/directoryListing.ts checkDraft), so a problem shows under its field before
 * anything is sent. Core checks again and has the last word (CORE_LISTING_INVALID).
 */
export interface ListingDraftInput {
  readonly description: string;
  /** Vocabulary ids, or the owner's own words. */
  readonly conditions: readonly string[];
  readonly audiences: readonly ListingAudienceView[];
  /** As typed: "en, es". */
  readonly languages: string;
  readonly region: string;
  readonly rhythm: string;
}

export type DraftField =
  'description' | 'conditions' | 'audiences' | 'languages' | 'region' | 'rhythm';

export interface DraftProblem {
  readonly field: DraftField;
  readonly id: MessageId;
  readonly values?: MessageValues;
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/u;
const REGION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/u;
/** Characters as core counts them (code points), so an emoji is one. */
export function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    // A surrogate pair's second half does not start a character.
    const unit = text.charCodeAt(index);
    if (unit < 0xdc00 || unit > 0xdfff) count += 1;
  }
  return count;
}

/** A C0 control character (a line break, a tab): one-line fields refuse them, as core does. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 0x20) return true;
  }
  return false;
}

export function languageTags(typed: string): string[] {
  return typed
    .split(/[,\s]+/u)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** The first problem of each field, in the form's order. */
export function draftProblems(draft: ListingDraftInput): DraftProblem[] {
  const limits = LISTING_FORM_LIMITS;
  const problems: DraftProblem[] = [];
  if (codePoints(draft.description.replace(/\n/gu, ' ')) > limits.descriptionLength) {
    problems.push({
      field: 'description',
      id: 'directoryListing.invalid.description',
      values: { max: limits.descriptionLength },
    });
  }
  if (draft.conditions.length === 0) {
    problems.push({ field: 'conditions', id: 'directoryListing.invalid.conditions' });
  } else if (draft.conditions.length > limits.conditions) {
    problems.push({
      field: 'conditions',
      id: 'directoryListing.invalid.tooManyConditions',
      values: { max: limits.conditions },
    });
  }
  if (draft.audiences.length === 0) {
    problems.push({ field: 'audiences', id: 'directoryListing.invalid.audiences' });
  }
  const tags = languageTags(draft.languages);
  const wrongTag = tags.find((tag) => !LANGUAGE.test(tag));
  if (tags.length === 0 || tags.length > limits.languages) {
    problems.push({ field: 'languages', id: 'directoryListing.invalid.languages' });
  } else if (wrongTag !== undefined) {
    problems.push({
      field: 'languages',
      id: 'directoryListing.invalid.language',
      values: { tag: wrongTag },
    });
  }
  const region = draft.region.trim().toUpperCase();
  if (region !== '' && !REGION.test(region)) {
    problems.push({ field: 'region', id: 'directoryListing.invalid.region' });
  }
  if (codePoints(draft.rhythm) > limits.rhythmLength || hasControlCharacter(draft.rhythm)) {
    problems.push({
      field: 'rhythm',
      id: 'directoryListing.invalid.rhythm',
      values: { max: limits.rhythmLength },
    });
  }
  return problems;
}

/** A condition's words for its chip: the vocabulary's name for an id, else as written. */
export function conditionName(
  condition: string,
  vocabulary: readonly VocabularyConditionView[],
): string {
  return vocabulary.find((entry) => entry.id === condition)?.name ?? condition;
}

/** The call's args once the draft has no problem. */
export function requestArgs(
  conversationId: string,
  draft: ListingDraftInput,
): ApiArgs<'groups.requestListing'> {
  return {
    conversationId,
    description: draft.description.trim(),
    conditions: [...draft.conditions],
    audiences: [...draft.audiences],
    languages: languageTags(draft.languages),
    region: draft.region.trim().toUpperCase(),
    rhythm: draft.rhythm.trim(),
  };
}
