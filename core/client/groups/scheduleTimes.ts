import type { ScheduleDetailsData } from './scheduleCodec.js';

/**
 * When a scheduled chat's occurrences and prompts fall, worked out from its details and a clock
 * the caller passes in: every member's client derives the same prompts at the same instants, so
 * no one (neither the host nor the relay) has to be online to post them. Pure functions.
 *
 * A schedule is in UTC instants: "weekly" is exactly 7 × 24 hours later, so a chat keeps its
 * instant across daylight-saving changes and its local hour may move by one where a zone changes.
 */

export const MINUTE_MS = 60_000;
export const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;

export interface ScheduledOccurrence {
  /** 1 = the first. */
  readonly occurrence: number;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly cancelled: boolean;
}

export interface AskedPrompt {
  /** 1 = Q1. */
  readonly number: number;
  readonly text: string;
  /** When it is asked: the occurrence's start plus its offset. */
  readonly askedAt: number;
}

export function occurrencesOf(
  details: ScheduleDetailsData,
  cancelled: readonly number[],
): ScheduledOccurrence[] {
  const all: ScheduledOccurrence[] = [];
  for (let n = 1; n <= details.occurrences; n++) {
    const startsAt = details.startsAt + (n - 1) * WEEK_MS;
    all.push({
      occurrence: n,
      startsAt,
      endsAt: startsAt + details.durationMinutes * MINUTE_MS,
      cancelled: cancelled.includes(n),
    });
  }
  return all;
}

/** The occurrence running at `now` (start included, end excluded), if one is. */
export function runningOccurrence(
  details: ScheduleDetailsData,
  cancelled: readonly number[],
  now: number,
): ScheduledOccurrence | undefined {
  return occurrencesOf(details, cancelled).find(
    (o) => !o.cancelled && o.startsAt <= now && now < o.endsAt,
  );
}

/** The running occurrence or else the next one to start; undefined once all are over. */
export function nextOccurrence(
  details: ScheduleDetailsData,
  cancelled: readonly number[],
  now: number,
): ScheduledOccurrence | undefined {
  return occurrencesOf(details, cancelled).find((o) => !o.cancelled && now < o.endsAt);
}

/** Every prompt of an occurrence with its instant, asked or not. */
export function promptsOf(details: ScheduleDetailsData, startsAt: number): AskedPrompt[] {
  return details.prompts.map((prompt, index) => ({
    number: index + 1,
    text: prompt.text,
    askedAt: startsAt + prompt.offsetMinutes * MINUTE_MS,
  }));
}

/** The prompts of an occurrence asked by `now` (all of them once it is over). */
export function promptsAskedBy(
  details: ScheduleDetailsData,
  startsAt: number,
  now: number,
): AskedPrompt[] {
  return promptsOf(details, startsAt).filter((prompt) => prompt.askedAt <= now);
}

/**
 * An instant as a member reads it in `timeZone` (an IANA name such as "Europe/Paris"; the
 * client's own when absent): "Mon, Dec 7, 2026, 6:00 PM CET". CORE_INVALID_INPUT is the caller's
 * to raise: an unknown zone throws a RangeError here.
 */
export function formatInZone(at: number, timeZone: string | undefined, locale = 'en'): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).format(new Date(at));
}
