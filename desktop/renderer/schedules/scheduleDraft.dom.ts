/**
 * The schedule form's fields as the person types them (a date and a start time in their own zone,
 * numbers as text), turned into the details the API takes, with the first problem found in words
 * the catalogue has. Pure: the clock and the zone (the browser's) come in from outside.
 */
import type { ScheduledChatItemView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { SCHEDULE_LIMITS } from '../../shared/scheduleViews.std.js';

const MINUTE_MS = 60_000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;

export interface PromptDraft {
  /** Keeps a row's inputs when rows above it go (React key); never sent. */
  readonly key: number;
  readonly text: string;
  /** Minutes after the start, as typed. */
  readonly offset: string;
}

export interface ScheduleDraft {
  readonly title: string;
  /** YYYY-MM-DD, as a date input gives it. */
  readonly date: string;
  /** HH:MM, as a time input gives it. */
  readonly time: string;
  readonly duration: string;
  /** How many times in all, a week apart. */
  readonly times: string;
  readonly prompts: readonly PromptDraft[];
}

/** The details a schedule call sends (api.std.ts scheduleDetails). */
export interface ScheduleDetails {
  readonly title: string;
  readonly startsAt: number;
  readonly durationMinutes: number;
  readonly occurrences: number;
  readonly prompts: { offsetMinutes: number; text: string }[];
}

/** What is wrong with a draft: a catalogue message and its values; `field` is the one to fix. */
export interface DraftProblem {
  readonly id: MessageId;
  readonly values?: Readonly<Record<string, string | number>>;
  readonly field: 'title' | 'start' | 'duration' | 'times' | `prompt-${number}`;
}

export type DraftOutcome =
  | { readonly ok: true; readonly details: ScheduleDetails }
  | { readonly ok: false; readonly problem: DraftProblem };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A local instant as the date and time inputs write it. */
export function localFields(ms: number): { date: string; time: string } {
  const at = new Date(ms);
  return {
    date: `${String(at.getFullYear())}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

/** The instant of a local date and time (the browser's zone), or undefined if either is not one. */
export function localInstant(date: string, time: string): number | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const clock = /^(\d{2}):(\d{2})$/u.exec(time);
  if (day === null || clock === null) return undefined;
  const [year, month, dayOfMonth] = day.slice(1).map(Number) as [number, number, number];
  const [hours, minutes] = clock.slice(1).map(Number) as [number, number];
  const at = new Date(year, month - 1, dayOfMonth, hours, minutes);
  // new Date rolls 31 February over into March: that is not the day typed.
  if (at.getMonth() !== month - 1 || at.getDate() !== dayOfMonth) return undefined;
  return at.getTime();
}

/** A new chat's form: tomorrow at 18:00 local, an hour, once, with an empty Q1 at the start. */
export function newDraft(now: number): ScheduleDraft {
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  return {
    title: '',
    date: localFields(tomorrow.getTime()).date,
    time: '18:00',
    duration: '60',
    times: '1',
    prompts: [{ key: 0, text: '', offset: '0' }],
  };
}

/**
 * A chat's form for rescheduling, at its next (or running) date: saving keeps each date's number
 * (answers and reminders name dates by number), so the series' first start is worked back from it.
 */
export function draftOf(chat: ScheduledChatItemView): ScheduleDraft {
  const { date, time } = localFields(chat.next.startsAt);
  return {
    title: chat.title,
    date,
    time,
    duration: String(chat.durationMinutes),
    times: String(chat.occurrences),
    prompts: chat.prompts.map((prompt, index) => ({
      key: index,
      text: prompt.text,
      offset: String(prompt.offsetMinutes),
    })),
  };
}

/** A whole number typed in a field, or undefined. */
function wholeNumber(typed: string): number | undefined {
  const trimmed = typed.trim();
  return /^\d{1,6}$/u.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * The details of a draft, or its first problem. `next` is the number of the date the form shows
 * (1 for a new chat): the series starts that many weeks earlier. A new chat must start after
 * `now`; a rescheduled one may keep a start that has passed while it runs (core refuses one
 * whose every date is over).
 */
export function checkDraft(
  draft: ScheduleDraft,
  { now, next = 1 }: { now: number; next?: number },
): DraftOutcome {
  const fail = (problem: DraftProblem): DraftOutcome => ({ ok: false, problem });
  const title = draft.title.trim();
  if (title === '') return fail({ id: 'schedules.invalid.title', field: 'title' });
  const shownStart = localInstant(draft.date, draft.time);
  if (shownStart === undefined) return fail({ id: 'schedules.invalid.start', field: 'start' });
  if (next === 1 && shownStart <= now) {
    return fail({ id: 'schedules.invalid.past', field: 'start' });
  }
  const duration = wholeNumber(draft.duration);
  if (duration === undefined || duration < 1 || duration > SCHEDULE_LIMITS.durationMinutes) {
    return fail({
      id: 'schedules.invalid.duration',
      values: { max: SCHEDULE_LIMITS.durationMinutes },
      field: 'duration',
    });
  }
  const times = wholeNumber(draft.times);
  if (times === undefined || times < next || times > SCHEDULE_LIMITS.occurrences) {
    return fail({
      id: 'schedules.invalid.times',
      values: { max: SCHEDULE_LIMITS.occurrences },
      field: 'times',
    });
  }
  const prompts: ScheduleDetails['prompts'] = [];
  let previous = 0;
  for (const [index, prompt] of draft.prompts.entries()) {
    const number = index + 1;
    const text = prompt.text.trim();
    if (text === '') {
      return fail({
        id: 'schedules.invalid.questionText',
        values: { number },
        field: `prompt-${index}`,
      });
    }
    const offset = wholeNumber(prompt.offset);
    if (offset === undefined || offset >= duration || offset < previous) {
      return fail({
        id: 'schedules.invalid.questionOffset',
        values: { number, max: duration - 1 },
        field: `prompt-${index}`,
      });
    }
    previous = offset;
    prompts.push({ offsetMinutes: offset, text });
  }
  return {
    ok: true,
    details: {
      title,
      startsAt: shownStart - (next - 1) * WEEK_MS,
      durationMinutes: duration,
      occurrences: times,
      prompts,
    },
  };
}
