import { describe, expect, it } from 'vitest';
import {
  CRISIS_LINES,
  callUri,
  countryOfLocale,
  crisisDirectoryProblems,
  crisisHelpFor,
  countryFromInput,
  isCountryCode,
  systemCountry,
  textUri,
  type CrisisCountry,
} from '../../../core/client/index.js';

describe('the crisis-line directory shipped with the app', () => {
  it('validates: every entry has an https source and a date, numbers and codes are well formed, no duplicates', () => {
    expect(crisisDirectoryProblems(CRISIS_LINES)).toEqual([]);
    for (const entry of CRISIS_LINES) {
      expect(entry.emergency.source).toMatch(/^https:\/\//u);
      expect(entry.emergency.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
      for (const line of entry.lines) {
        expect(line.source).toMatch(/^https:\/\//u);
        expect(line.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
      }
    }
  });

  it('holds the national lines the docs name', () => {
    const numbers = (country: string) =>
      crisisHelpFor(country)?.lines.flatMap((line) =>
        line.reach.map((reach) => (reach.kind === 'chat' ? reach.url : reach.number)),
      );
    expect(numbers('US')).toContain('988');
    expect(numbers('CA')).toContain('988');
    expect(numbers('GB')).toContain('116 123');
    expect(numbers('IE')).toContain('116 123');
    expect(numbers('FR')).toContain('3114');
    expect(numbers('ES')).toContain('024');
    expect(numbers('AU')).toContain('13 11 14');
    expect(numbers('NZ')).toContain('1737');
    expect(crisisHelpFor('gb')?.emergency.number).toBe('999');
    expect(crisisHelpFor('AQ')).toBeUndefined();
  });

  it('catches each kind of bad entry', () => {
    const good = CRISIS_LINES[0];
    if (good === undefined) throw new Error('empty directory');
    const line = good.lines[0];
    if (line === undefined) throw new Error('no line');
    const bad: CrisisCountry[] = [
      good,
      { ...good, country: 'UK' },
      { ...good, country: 'US' },
      {
        ...good,
        country: 'FR',
        emergency: { number: '11-2', source: 'http://example.org', recorded: '2026-02-30' },
        lines: [
          { ...line, source: 'ftp://x.org', recorded: '2999-01-01' },
          { ...line, reach: [{ kind: 'call', number: '12' }], languages: ['English'] },
          {
            ...line,
            name: 'Twice',
            reach: [
              { kind: 'text', number: '85 258', keyword: 'hello there' },
              { kind: 'text', number: '85258' },
              { kind: 'chat', url: 'javascript:alert(1)' },
            ],
          },
        ],
      },
    ];
    const problems = crisisDirectoryProblems(bad, new Date('2026-12-07T12:00:00Z'));
    const expected = [
      'UK: not an ISO 3166 country code',
      'US: listed twice',
      'FR emergency: number "11-2" is not well formed',
      'FR emergency: source "http://example.org" is not https',
      'FR emergency: recorded "2026-02-30" is not a YYYY-MM-DD date',
      `FR ${line.name}: source "ftp://x.org" is not https`,
      `FR ${line.name}: recorded "2999-01-01" is in the future`,
      `FR ${line.name}: listed twice`,
      `FR ${line.name}: number "12" is not well formed`,
      `FR ${line.name}: language "English" is not a code`,
      'FR Twice: keyword "hello there" is not a short upper-case word',
      'FR Twice: text 85258 listed twice',
      'FR Twice: chat "javascript:alert(1)" is not https',
    ];
    for (const problem of expected) expect(problems).toContain(problem);
  });

  it('knows country codes, and reads the country from a locale without guessing', () => {
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('UK')).toBe(false);
    expect(isCountryCode('gb')).toBe(false);
    expect(isCountryCode('XX')).toBe(false);
    expect(countryFromInput(' uk ')).toBe('GB');
    expect(countryFromInput('gb')).toBe('GB');
    expect(countryFromInput('SU')).toBeUndefined();
    expect(countryFromInput('XX')).toBeUndefined();
    expect(countryOfLocale('en_GB.UTF-8')).toBe('GB');
    expect(countryOfLocale('fr-CA')).toBe('CA');
    expect(countryOfLocale('zh-Hant-TW')).toBe('TW');
    expect(countryOfLocale('de_DE@euro')).toBe('DE');
    expect(countryOfLocale('en')).toBeUndefined();
    expect(countryOfLocale('C')).toBeUndefined();
    expect(systemCountry({ LANG: 'es_ES.UTF-8' }, 'en-US')).toBe('ES');
    expect(systemCountry({ LC_ALL: 'C', LANG: 'es_ES.UTF-8' }, 'en-US')).toBeUndefined();
    expect(systemCountry({}, 'en-NZ')).toBe('NZ');
  });

  it('makes tel: and sms: links from the numbers as written', () => {
    expect(callUri('0800 111 0 111')).toBe('tel:08001110111');
    expect(textUri('741741', 'HOME')).toBe('sms:741741?body=HOME');
    expect(textUri('988')).toBe('sms:988');
  });
});
