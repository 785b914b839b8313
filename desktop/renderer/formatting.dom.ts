/**
 * How times, durations and counts read in the window: in the window's language (the one chosen in
 * Settings, or the system's), with the system's regional habits when they are that language's
 * (en-GB's "7 Dec", not en-US's "Dec 7").
 */
import { useIntl } from 'react-intl';
import { SOURCE_LOCALE, isLocale, type Locale } from '../shared/i18n/locales.std.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The formatters of one language. */
export interface Formatting {
  /** A message's time: the hour today, the weekday this week, else the date. */
  messageTime(ms: number, now?: number): string;
  /** The chat list's "last activity": like {@link Formatting.messageTime}, empty for none. */
  activity(ms: number, now?: number): string;
  fullTime(ms: number): string;
  /** "30 seconds", "5 minutes", "2 hours", "1 day" (in the language's own words and plurals). */
  duration(seconds: number): string;
  /** The first letter (or emoji) of a name, for an avatar; "?" for an empty name. */
  initialOf(name: string): string;
}

/**
 * The BCP 47 tag to format `locale` with: the first of the system's preferred languages in that
 * language (so its region's habits stay), else the bare language.
 */
export function formattingTag(locale: Locale, preferred: readonly string[]): string {
  for (const tag of preferred) {
    if (tag.trim().toLowerCase().split(/[-_]/u)[0] === locale) {
      try {
        return Intl.getCanonicalLocales(tag.trim())[0] ?? locale;
      } catch {
        // Not a well-formed tag: try the next.
      }
    }
  }
  return locale;
}

function createFormatting(tag: string): Formatting {
  const timeOfDay = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit' });
  const weekdayTime = new Intl.DateTimeFormat(tag, {
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
  const shortDate = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short' });
  const fullDateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const units = new Map<string, Intl.NumberFormat>();
  const unit = (count: number, name: 'second' | 'minute' | 'hour' | 'day'): string => {
    let format = units.get(name);
    if (format === undefined) {
      format = new Intl.NumberFormat(tag, { style: 'unit', unit: name, unitDisplay: 'long' });
      units.set(name, format);
    }
    return format.format(count);
  };
  const graphemes = new Intl.Segmenter(tag, { granularity: 'grapheme' });
  const messageTime = (ms: number, now: number = Date.now()): string => {
    const then = new Date(ms);
    if (then.toDateString() === new Date(now).toDateString()) return timeOfDay.format(then);
    if (now - ms < 6 * DAY_MS) return weekdayTime.format(then);
    return shortDate.format(then);
  };
  return {
    messageTime,
    activity: (ms, now = Date.now()) => (ms <= 0 ? '' : messageTime(ms, now)),
    fullTime: (ms) => fullDateTime.format(new Date(ms)),
    duration: (seconds) => {
      if (seconds < 60) return unit(seconds, 'second');
      if (seconds < 3600) return unit(Math.round(seconds / 60), 'minute');
      if (seconds < 86_400) return unit(Math.round(seconds / 3600), 'hour');
      return unit(Math.round(seconds / 86_400), 'day');
    },
    initialOf: (name) => {
      for (const { segment } of graphemes.segment(name.trim()))
        return segment.toLocaleUpperCase(tag);
      return '?';
    },
  };
}

const byTag = new Map<string, Formatting>();

/** The formatters for `locale` (made once per language and region). */
export function formattingFor(locale: Locale): Formatting {
  const tag = formattingTag(locale, typeof navigator === 'undefined' ? [] : navigator.languages);
  let formatting = byTag.get(tag);
  if (formatting === undefined) {
    formatting = createFormatting(tag);
    byTag.set(tag, formatting);
  }
  return formatting;
}

/** The formatters of the window's language, re-rendering when it changes. */
export function useFormatting(): Formatting {
  const { locale } = useIntl();
  return formattingFor(isLocale(locale) ? locale : SOURCE_LOCALE);
}

/**
 * The language the free functions below format in: LanguageProvider sets it as it renders, so
 * parts of the window not yet moved to {@link useFormatting} follow the chosen language too.
 */
let current: Locale = SOURCE_LOCALE;

export function setFormattingLocale(locale: Locale): void {
  current = locale;
}

export function formatMessageTime(ms: number, now: number = Date.now()): string {
  return formattingFor(current).messageTime(ms, now);
}

export function formatActivity(ms: number, now: number = Date.now()): string {
  return formattingFor(current).activity(ms, now);
}

export function formatFullTime(ms: number): string {
  return formattingFor(current).fullTime(ms);
}

export function formatDuration(seconds: number): string {
  return formattingFor(current).duration(seconds);
}

export function initialOf(name: string): string {
  return formattingFor(current).initialOf(name);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
