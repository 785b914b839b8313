/**
 * Passphrase strength with zxcvbn-ts, loaded on demand (its dictionaries are large and only the
 * first-run and change-passphrase forms need them). zxcvbn words its feedback through the
 * translations it is given; it is given our message ids (the passphrase area), so what it says
 * reaches the window as ids the window words in its own language.
 */
import type { Score, TranslationKeys, ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { MessageId } from '../shared/i18n/messages.std.js';
import { passphraseMessages } from '../shared/i18n/messages/passphrase.std.js';

/** zxcvbn's 0–4 score; 3 is the least we accept without an explicit "use it anyway". */
export type StrengthScore = Score;
export const GOOD_ENOUGH_SCORE: StrengthScore = 3;

export interface PassphraseStrength {
  readonly score: StrengthScore;
  /** "Very weak" … "Very strong". */
  readonly label: MessageId;
  readonly warning: MessageId | undefined;
  readonly suggestions: readonly MessageId[];
  /** How long a fast offline attack would take ("3 centuries"): a message and its count. */
  readonly crackTime: { readonly id: MessageId; readonly count: number };
}

const LABELS: readonly MessageId[] = [
  'passphrase.veryWeak',
  'passphrase.weak',
  'passphrase.fair',
  'passphrase.strong',
  'passphrase.veryStrong',
];

export function strengthLabel(score: StrengthScore): MessageId {
  return LABELS[score] ?? 'passphrase.veryWeak';
}

/**
 * Every text zxcvbn can give, as the id of its message: the type asks for each of zxcvbn's keys
 * (a new one in an update is a compile error) and for ids the catalogue has. A time reads
 * "{base} seconds" in zxcvbn; here it is the unit's plural message, and the count is its `base`.
 */
const FEEDBACK_IDS: {
  readonly [Group in keyof TranslationKeys]: Readonly<
    Record<keyof TranslationKeys[Group], MessageId>
  >;
} = {
  warnings: {
    straightRow: 'passphrase.warning.straightRow',
    keyPattern: 'passphrase.warning.keyPattern',
    simpleRepeat: 'passphrase.warning.simpleRepeat',
    extendedRepeat: 'passphrase.warning.extendedRepeat',
    sequences: 'passphrase.warning.sequences',
    recentYears: 'passphrase.warning.recentYears',
    dates: 'passphrase.warning.dates',
    topTen: 'passphrase.warning.topTen',
    topHundred: 'passphrase.warning.topHundred',
    common: 'passphrase.warning.common',
    similarToCommon: 'passphrase.warning.similarToCommon',
    wordByItself: 'passphrase.warning.wordByItself',
    namesByThemselves: 'passphrase.warning.namesByThemselves',
    commonNames: 'passphrase.warning.commonNames',
    userInputs: 'passphrase.warning.userInputs',
    pwned: 'passphrase.warning.pwned',
  },
  suggestions: {
    l33t: 'passphrase.suggestion.leet',
    reverseWords: 'passphrase.suggestion.reverseWords',
    allUppercase: 'passphrase.suggestion.allUppercase',
    capitalization: 'passphrase.suggestion.capitalization',
    dates: 'passphrase.suggestion.dates',
    recentYears: 'passphrase.suggestion.recentYears',
    associatedYears: 'passphrase.suggestion.associatedYears',
    sequences: 'passphrase.suggestion.sequences',
    repeated: 'passphrase.suggestion.repeated',
    longerKeyboardPattern: 'passphrase.suggestion.longerKeyboardPattern',
    anotherWord: 'passphrase.suggestion.anotherWord',
    useWords: 'passphrase.suggestion.useWords',
    noNeed: 'passphrase.suggestion.noNeed',
    pwned: 'passphrase.suggestion.pwned',
  },
  timeEstimation: {
    ltSecond: 'passphrase.time.ltSecond',
    second: 'passphrase.time.seconds',
    seconds: 'passphrase.time.seconds',
    minute: 'passphrase.time.minutes',
    minutes: 'passphrase.time.minutes',
    hour: 'passphrase.time.hours',
    hours: 'passphrase.time.hours',
    day: 'passphrase.time.days',
    days: 'passphrase.time.days',
    month: 'passphrase.time.months',
    months: 'passphrase.time.months',
    year: 'passphrase.time.years',
    years: 'passphrase.time.years',
    centuries: 'passphrase.time.centuries',
  },
};

/** One of the passphrase area's ids (zxcvbn hands back what it was given, as a plain string). */
function passphraseId(text: string | null | undefined): MessageId | undefined {
  return text != null && Object.hasOwn(passphraseMessages.en, text)
    ? (text as MessageId)
    : undefined;
}

let factory: Promise<ZxcvbnFactory> | undefined;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        translations: FEEDBACK_IDS,
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
  const crackTime = result.crackTimes.offlineSlowHashingXPerSecond;
  const suggestions = result.feedback.suggestions
    .map(passphraseId)
    .filter((id): id is MessageId => id !== undefined);
  return {
    score,
    label: strengthLabel(score),
    warning: passphraseId(result.feedback.warning),
    suggestions: [...new Set(suggestions)],
    crackTime: {
      id: passphraseId(crackTime.display) ?? 'passphrase.time.centuries',
      count: crackTime.base ?? 0,
    },
  };
}
