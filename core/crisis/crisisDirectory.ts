import type { CrisisCountry, CrisisLine, CrisisReach } from './CrisisLine.js';
import { CRISIS_LINES } from './crisisLines.js';

/** Digits, with single spaces between groups for reading: '116 123', '0800 111 0 111', '988'. */
const PHONE_NUMBER = /^[0-9]+(?: [0-9]+)*$/u;
/** Shortest and longest numbers we accept, in digits (3-digit short codes to full numbers). */
const MIN_DIGITS = 3;
const MAX_DIGITS = 15;
const RECORDED_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const COUNTRY_CODE = /^[A-Z]{2}$/u;
const LANGUAGE_CODE = /^[a-z]{2,3}$/u;
const KEYWORD = /^[A-Z0-9]{1,20}$/u;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** Codes ISO leaves for private use (AA, QM–QZ, XA–XZ, ZZ) and Unicode's groupings (EU, EZ, UN). */
const NOT_COUNTRIES = /^(?:AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/u;

/**
 * An ISO 3166-1 alpha-2 code the platform knows as a country ('GB' yes; 'UK', 'XX', 'gb', 'EU'
 * no). Intl's region data is ICU's copy of ISO 3166, which Node and Chromium both ship; an alias
 * ('UK', 'DD') canonicalizes to another code and is refused, so one country has one code.
 */
export function isCountryCode(code: string): boolean {
  if (!COUNTRY_CODE.test(code) || NOT_COUNTRIES.test(code)) return false;
  return new Intl.Locale(`und-${code}`).region === code && regionNames.of(code) !== code;
}

/**
 * ISO 3166's "exceptionally reserved" codes people type for a country whose code is another:
 * 'UK' for the United Kingdom (GB). Only these, not ICU's historic aliases (SU, YU, DD), which
 * name countries that no longer exist.
 */
const RESERVED_ALIASES: Readonly<Record<string, string>> = { UK: 'GB' };

/**
 * The country code a person typed ('gb', ' GB ', 'UK' → 'GB'), or undefined when it is not one
 * (isCountryCode decides; the directory and the window keep one code per country).
 */
export function countryFromInput(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  const code = RESERVED_ALIASES[upper] ?? upper;
  return isCountryCode(code) ? code : undefined;
}

/** The digits of a number as written in the directory, ready for a `tel:` or `sms:` link. */
export function dialDigits(number: string): string {
  return number.replaceAll(' ', '');
}

/** A link a phone or desktop dialer opens: `tel:116123`. */
export function callUri(number: string): string {
  return `tel:${dialDigits(number)}`;
}

/** A link that opens a text to the service, with its keyword as the body (RFC 5724). */
export function textUri(number: string, keyword?: string): string {
  const body = keyword === undefined ? '' : `?body=${encodeURIComponent(keyword)}`;
  return `sms:${dialDigits(number)}${body}`;
}

/** The entry for `country` (ISO code, any case), or undefined when none is recorded. */
export function crisisHelpFor(
  country: string,
  directory: readonly CrisisCountry[] = CRISIS_LINES,
): CrisisCountry | undefined {
  const code = country.toUpperCase();
  return directory.find((entry) => entry.country === code);
}

/** The countries with an entry, in the directory's order. */
export function crisisCountries(directory: readonly CrisisCountry[] = CRISIS_LINES): string[] {
  return directory.map((entry) => entry.country);
}

/**
 * The region of a locale as the system spells it ('en-GB', 'en_GB.UTF-8', 'fr_FR@euro'), upper
 * case, or undefined when it names none ('en', 'C', 'POSIX'). No guessing from the language: a
 * French speaker may live anywhere, so the panel's picker asks instead.
 */
export function countryOfLocale(locale: string | undefined): string | undefined {
  if (locale === undefined) return undefined;
  const tag = locale.split(/[.@]/u)[0]?.replaceAll('_', '-') ?? '';
  const parts = tag.split('-').slice(1);
  const region = parts.find((part) => /^[A-Za-z]{2}$/u.test(part))?.toUpperCase();
  return region !== undefined && isCountryCode(region) ? region : undefined;
}

/** The system's country from its locale settings (LC_ALL, LC_MESSAGES, LANG, then Intl's). */
export function systemCountry(
  env: Readonly<Record<string, string | undefined>>,
  intlLocale: string = Intl.DateTimeFormat().resolvedOptions().locale,
): string | undefined {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value !== undefined && value !== '') return countryOfLocale(value);
  }
  return countryOfLocale(intlLocale);
}

/**
 * Everything wrong with a directory, one line each (empty when it is sound): every entry has an
 * https source and a real date, numbers are well formed, country codes are ISO 3166, and no
 * country, service or number appears twice.
 */
export function crisisDirectoryProblems(
  directory: readonly CrisisCountry[],
  today: Date = new Date(),
): string[] {
  const problems: string[] = [];
  const countries = new Set<string>();
  for (const entry of directory) {
    const where = entry.country;
    if (!isCountryCode(entry.country)) problems.push(`${where}: not an ISO 3166 country code`);
    if (countries.has(entry.country)) problems.push(`${where}: listed twice`);
    countries.add(entry.country);
    checkNumber(entry.emergency.number, `${where} emergency`, problems);
    checkSourced(entry.emergency, `${where} emergency`, today, problems);
    if (entry.lines.length === 0) problems.push(`${where}: no lines`);
    const names = new Set<string>();
    for (const line of entry.lines) {
      const at = `${where} ${line.name}`;
      if (line.name.trim() === '') problems.push(`${where}: a line has no name`);
      if (names.has(line.name)) problems.push(`${at}: listed twice`);
      names.add(line.name);
      checkLine(line, at, today, problems);
    }
  }
  return problems;
}

function checkLine(line: CrisisLine, at: string, today: Date, problems: string[]): void {
  checkSourced(line, at, today, problems);
  if (line.hours.trim() === '') problems.push(`${at}: no hours`);
  if (line.languages.length === 0) problems.push(`${at}: no languages`);
  for (const language of line.languages) {
    if (!LANGUAGE_CODE.test(language)) problems.push(`${at}: language "${language}" is not a code`);
  }
  if (line.reach.length === 0) problems.push(`${at}: no way to reach it`);
  const ways = new Set<string>();
  for (const reach of line.reach) {
    const key = reachKey(reach);
    if (ways.has(key)) problems.push(`${at}: ${key} listed twice`);
    ways.add(key);
    switch (reach.kind) {
      case 'call':
        checkNumber(reach.number, at, problems);
        break;
      case 'text':
        checkNumber(reach.number, at, problems);
        if (reach.keyword !== undefined && !KEYWORD.test(reach.keyword)) {
          problems.push(`${at}: keyword "${reach.keyword}" is not a short upper-case word`);
        }
        break;
      case 'chat':
        if (!isHttpsUrl(reach.url)) problems.push(`${at}: chat "${reach.url}" is not https`);
        break;
    }
  }
}

function reachKey(reach: CrisisReach): string {
  return reach.kind === 'chat' ? `chat ${reach.url}` : `${reach.kind} ${dialDigits(reach.number)}`;
}

function checkNumber(number: string, at: string, problems: string[]): void {
  const digits = dialDigits(number).length;
  if (!PHONE_NUMBER.test(number) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    problems.push(`${at}: number "${number}" is not well formed`);
  }
}

function checkSourced(
  entry: { readonly source: string; readonly recorded: string },
  at: string,
  today: Date,
  problems: string[],
): void {
  if (!isHttpsUrl(entry.source)) problems.push(`${at}: source "${entry.source}" is not https`);
  const date = RECORDED_DATE.exec(entry.recorded);
  const parsed = new Date(`${entry.recorded}T00:00:00Z`);
  if (
    date === null ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== entry.recorded
  ) {
    problems.push(`${at}: recorded "${entry.recorded}" is not a YYYY-MM-DD date`);
  } else if (parsed.getTime() > today.getTime()) {
    problems.push(`${at}: recorded "${entry.recorded}" is in the future`);
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && url.username === '';
  } catch {
    return false;
  }
}
