/**
 * Passphrase strength with zxcvbn-ts, loaded on demand (its dictionaries are large and only the
 * first-run and change-passphrase forms need them). Feedback is in plain English: the library's
 * own texts are translation keys, and no English language pack is installed.
 */
import type { Score, TranslationKeys, ZxcvbnFactory } from '@zxcvbn-ts/core';

/** zxcvbn's 0–4 score; 3 is the least we accept without an explicit "use it anyway". */
export type StrengthScore = Score;
export const GOOD_ENOUGH_SCORE: StrengthScore = 3;

export interface PassphraseStrength {
  readonly score: StrengthScore;
  /** "Very weak" … "Very strong". */
  readonly label: string;
  readonly warning: string;
  readonly suggestions: readonly string[];
  /** How long a fast offline attack would take, in words ("3 centuries"). */
  readonly crackTime: string;
}

const LABELS: readonly string[] = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

export function strengthLabel(score: StrengthScore): string {
  return LABELS[score] ?? '';
}

const ENGLISH: TranslationKeys = {
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'There should not be any personal or page-related data.',
    pwned: 'This password appeared in a data breach elsewhere.',
  },
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalise some, but not all letters.',
    capitalization: 'Capitalise more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern:
      'Use longer keyboard patterns and change typing direction several times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use several words, but avoid common phrases.',
    noNeed: 'You can make strong passphrases without symbols, numbers or capital letters.',
    pwned: 'If you use this password elsewhere, change it there.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};

let factory: Promise<ZxcvbnFactory> | undefined;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        translations: ENGLISH,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary },
      }),
  );
  return factory;
}

/** Scores `passphrase`; `personal` (the pseudonym, say) counts as easy to guess. */
export async function measurePassphrase(
  passphrase: string,
  personal: readonly string[] = [],
): Promise<PassphraseStrength> {
  const zxcvbn = await loadFactory();
  const result = zxcvbn.check(
    passphrase,
    personal.filter((word) => word !== ''),
  );
  const score = result.score;
  return {
    score,
    label: strengthLabel(score),
    warning: result.feedback.warning ?? '',
    suggestions: result.feedback.suggestions,
    crackTime: result.crackTimes.offlineSlowHashingXPerSecond.display,
  };
}
