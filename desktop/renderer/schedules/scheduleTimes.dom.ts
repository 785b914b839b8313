/**
 * A scheduled chat's times as the viewer reads them: in the window's language with the system's
 * regional habits (formattingTag), and always in this browser's own time zone, which is named
 * beside them so nobody has to guess whose evening "18:00" is.
 */
import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { SOURCE_LOCALE, isLocale } from '../../shared/i18n/locales.std.js';
import { formattingTag } from '../formatting.dom.js';

export interface ScheduleTimes {
  /** "Tue 8 Dec, 18:00 – 19:00" (or across days when it runs past midnight). */
  span(startsAt: number, endsAt: number): string;
  /** "Tue 8 Dec, 18:00". */
  start(ms: number): string;
  /** "19:00". */
  time(ms: number): string;
  /** The zone those are in, in words ("India Standard Time"), else its id ("Asia/Calcutta"). */
  readonly zone: string;
}

export function scheduleTimesIn(tag: string): ScheduleTimes {
  const dayAndTime = new Intl.DateTimeFormat(tag, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
  // timeStyle, not hour 'numeric': en-GB's "00:30" as in the span, not "0:30".
  const timeOnly = new Intl.DateTimeFormat(tag, { timeStyle: 'short' });
  const zoneName = new Intl.DateTimeFormat(tag, { timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((part) => part.type === 'timeZoneName')?.value;
  return {
    span: (startsAt, endsAt) => dayAndTime.formatRange(new Date(startsAt), new Date(endsAt)),
    start: (ms) => dayAndTime.format(new Date(ms)),
    time: (ms) => timeOnly.format(new Date(ms)),
    zone: zoneName ?? dayAndTime.resolvedOptions().timeZone,
  };
}

/** The formatters of the window's language, in this browser's zone. */
export function useScheduleTimes(): ScheduleTimes {
  const { locale } = useIntl();
  return useMemo(
    () =>
      scheduleTimesIn(
        formattingTag(
          isLocale(locale) ? locale : SOURCE_LOCALE,
          typeof navigator === 'undefined' ? [] : navigator.languages,
        ),
      ),
    [locale],
  );
}
