import { ZxcvbnFactory, type TranslationKeys } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { measurePassphrase } from '../../desktop/renderer/passphraseStrength.dom.js';
import { LOCALES, type Locale } from '../../desktop/shared/i18n/locales.std.js';
import { MESSAGES, type MessageId } from '../../desktop/shared/i18n/messages.std.js';

const english = createIntl({ locale: 'en', messages: MESSAGES.en });
const say = (id: MessageId, values?: Record<string, number>): string =>
  english.formatMessage({ id }, values);

/**
 * zxcvbn worded in English the way the window worded it before its words moved to the catalogue
 * (the feedback's English is the catalogue's; times as zxcvbn builds them from "{base} seconds").
 */
function englishZxcvbn(): ZxcvbnFactory {
  const byText = (group: 'warnings' | 'suggestions', key: string): string => {
    const id = `passphrase.${group === 'warnings' ? 'warning' : 'suggestion'}.${key === 'l33t' ? 'leet' : key}`;
    return (MESSAGES.en as Readonly<Record<string, string>>)[id] ?? `missing ${id}`;
  };
  const keys = (group: 'warnings' | 'suggestions', names: string[]) =>
    Object.fromEntries(names.map((name) => [name, byText(group, name)]));
  const translations: TranslationKeys = {
    warnings: keys('warnings', [
      'straightRow',
      'keyPattern',
      'simpleRepeat',
      'extendedRepeat',
      'sequences',
      'recentYears',
      'dates',
      'topTen',
      'topHundred',
      'common',
      'similarToCommon',
      'wordByItself',
      'namesByThemselves',
      'commonNames',
      'userInputs',
      'pwned',
    ]) as TranslationKeys['warnings'],
    suggestions: keys('suggestions', [
      'l33t',
      'reverseWords',
      'allUppercase',
      'capitalization',
      'dates',
      'recentYears',
      'associatedYears',
      'sequences',
      'repeated',
      'longerKeyboardPattern',
      'anotherWord',
      'useWords',
      'noNeed',
      'pwned',
    ]) as TranslationKeys['suggestions'],
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
  return new ZxcvbnFactory({
    translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary },
  });
}

/** Passphrases that draw each kind of advice: keyboard rows, repeats, years, names, words. */
const SAMPLES = [
  'password',
  'qwertyuiop',
  'zxcvfr',
  'aaaaaaaa',
  'abcabcabcabc',
  'abcdefg',
  '2019',
  '13.05.1987',
  'Password1',
  'PASSWORD',
  'drowssap',
  'p@ssw0rd',
  'smith',
  'johnsmith',
  'kindred alice',
  'monkey',
  'Tr0ub4dor&3',
  'correct horse battery staple',
  'x7#Lq!92mZ',
  'this is a long but simple sentence',
];

describe('the passphrase meter’s words', () => {
  it('says in the catalogue’s English exactly what zxcvbn says in English', async () => {
    const zxcvbn = englishZxcvbn();
    const seenWarnings = new Set<string>();
    for (const sample of SAMPLES) {
      const expected = zxcvbn.check(sample, ['alice', 'kindred']);
      const measured = await measurePassphrase(sample, ['alice', 'kindred']);
      expect(measured.score, sample).toBe(expected.score);
      const warning = measured.warning === undefined ? '' : say(measured.warning);
      expect(warning, sample).toBe(expected.feedback.warning ?? '');
      if (warning !== '') seenWarnings.add(warning);
      expect(
        measured.suggestions.map((id) => say(id)),
        sample,
      ).toEqual([...new Set(expected.feedback.suggestions)]);
      expect(say(measured.crackTime.id, { count: measured.crackTime.count }), sample).toBe(
        expected.crackTimes.offlineSlowHashingXPerSecond.display,
      );
    }
    // The samples reach several kinds of advice, not only one.
    expect(seenWarnings.size).toBeGreaterThan(5);
  });

  it('words every rating, warning, suggestion and time in every language', async () => {
    const strength = await measurePassphrase('qwertyuiop');
    for (const locale of Object.keys(LOCALES) as Locale[]) {
      const intl = createIntl({ locale, messages: MESSAGES[locale] });
      const ids = [strength.label, strength.warning, ...strength.suggestions].filter(
        (id): id is MessageId => id !== undefined,
      );
      for (const id of ids) expect(intl.formatMessage({ id }), `${locale} ${id}`).not.toBe(id);
      expect(
        intl.formatMessage({ id: strength.crackTime.id }, { count: strength.crackTime.count }),
      ).not.toBe(strength.crackTime.id);
    }
    expect(strength.warning).toBe('passphrase.warning.topHundred');
  });
});
