import { describe, expect, it } from 'vitest';
import {
  MAX_SCHEDULE_DURATION_MINUTES,
  MAX_SCHEDULE_OCCURRENCES,
  MAX_SCHEDULE_PROMPTS,
  MAX_SCHEDULE_TITLE_LENGTH,
} from '../../core/client/index.js';
import { nativeNotificationText, wordsIn } from '../../desktop/main/notificationText.main.js';
import {
  checkDraft,
  draftOf,
  localFields,
  localInstant,
  newDraft,
  type ScheduleDraft,
} from '../../desktop/renderer/schedules/scheduleDraft.dom.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';
import type { ScheduledChatItemView } from '../../desktop/shared/api.std.js';
import { SCHEDULE_LIMITS } from '../../desktop/shared/scheduleViews.std.js';

/**
 * The schedule form's rules without a window: the typed fields to the details the API takes,
 * each problem as the catalogue words it, the reschedule form keeping date numbers, the limits
 * equal to core's, and the reminder's notification naming nothing unless text is allowed.
 */

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
// A fixed "now" in the process's own zone: the form reads dates in the zone it runs in.
const NOW = new Date(2030, 0, 15, 12, 0).getTime();

function filled(fields: Partial<ScheduleDraft> = {}): ScheduleDraft {
  return {
    title: ' Tuesday check-in ',
    date: '2030-01-16',
    time: '18:00',
    duration: '60',
    times: '3',
    prompts: [
      { key: 0, text: 'How was your week?', offset: '0' },
      { key: 1, text: 'What helped?', offset: '10' },
    ],
    ...fields,
  };
}

function problemOf(draft: ScheduleDraft, next = 1): string {
  const outcome = checkDraft(draft, { now: NOW, next });
  return outcome.ok ? 'ok' : `${outcome.problem.id} ${outcome.problem.field}`;
}

describe('the schedule form’s draft', () => {
  it('turns a filled form into the details the API takes', () => {
    const outcome = checkDraft(filled(), { now: NOW });
    expect(outcome).toStrictEqual({
      ok: true,
      details: {
        title: 'Tuesday check-in',
        startsAt: new Date(2030, 0, 16, 18, 0).getTime(),
        durationMinutes: 60,
        occurrences: 3,
        prompts: [
          { offsetMinutes: 0, text: 'How was your week?' },
          { offsetMinutes: 10, text: 'What helped?' },
        ],
      },
    });
  });

  it('names the first problem and the field to fix', () => {
    expect(problemOf(filled({ title: '  ' }))).toBe('schedules.invalid.title title');
    expect(problemOf(filled({ date: '2030-02-31' }))).toBe('schedules.invalid.start start');
    expect(problemOf(filled({ time: '' }))).toBe('schedules.invalid.start start');
    expect(problemOf(filled({ date: '2030-01-15', time: '11:59' }))).toBe(
      'schedules.invalid.past start',
    );
    expect(problemOf(filled({ duration: '0' }))).toBe('schedules.invalid.duration duration');
    expect(problemOf(filled({ duration: '1441' }))).toBe('schedules.invalid.duration duration');
    expect(problemOf(filled({ times: '105' }))).toBe('schedules.invalid.times times');
    expect(problemOf(filled({ times: '1.5' }))).toBe('schedules.invalid.times times');
    const q1 = { key: 0, text: 'How was your week?', offset: '0' };
    const q2 = { key: 1, text: 'What helped?', offset: '10' };
    expect(problemOf(filled({ prompts: [q1, { ...q2, text: ' ' }] }))).toBe(
      'schedules.invalid.questionText prompt-1',
    );
    // At or past the end, or before the question above it.
    expect(problemOf(filled({ prompts: [{ ...q1, offset: '60' }] }))).toBe(
      'schedules.invalid.questionOffset prompt-0',
    );
    expect(problemOf(filled({ prompts: [{ ...q1, offset: '20' }, q2] }))).toBe(
      'schedules.invalid.questionOffset prompt-1',
    );
    expect(problemOf(filled({ prompts: [] }))).toBe('ok');
  });

  it('starts a new chat tomorrow and reschedules from the next date, keeping its number', () => {
    const fresh = newDraft(NOW);
    expect([fresh.date, fresh.time, fresh.times]).toStrictEqual(['2030-01-16', '18:00', '1']);
    expect(localInstant(fresh.date, fresh.time)).toBe(new Date(2030, 0, 16, 18).getTime());
    const at = new Date(2030, 0, 22, 18, 30).getTime();
    expect(localFields(at)).toStrictEqual({ date: '2030-01-22', time: '18:30' });

    // The chat's third date is next: the form shows it; saving starts the series two weeks back,
    // so the dates keep their numbers, and may keep a start that has passed (it runs now).
    const chat: ScheduledChatItemView = {
      chatId: 'a'.repeat(32),
      title: 'Tuesday check-in',
      hostPseudonym: 'Ana',
      durationMinutes: 60,
      occurrences: 3,
      prompts: [{ number: 1, offsetMinutes: 0, text: 'How was your week?' }],
      next: { occurrence: 3, startsAt: at, endsAt: at + 60 * MINUTE, running: true },
      remindMinutesBefore: null,
    };
    const draft = draftOf(chat);
    expect([draft.date, draft.time, draft.times]).toStrictEqual(['2030-01-22', '18:30', '3']);
    const outcome = checkDraft(draft, { now: at + 5 * MINUTE, next: 3 });
    expect(outcome.ok && outcome.details.startsAt).toBe(at - 2 * WEEK);
    // Fewer dates than the one shown would drop it.
    expect(problemOf({ ...draft, times: '2' }, 3)).toBe('schedules.invalid.times times');
  });

  it('allows what core allows', () => {
    expect(SCHEDULE_LIMITS.titleLength).toBe(MAX_SCHEDULE_TITLE_LENGTH);
    expect(SCHEDULE_LIMITS.durationMinutes).toBe(MAX_SCHEDULE_DURATION_MINUTES);
    expect(SCHEDULE_LIMITS.occurrences).toBe(MAX_SCHEDULE_OCCURRENCES);
    expect(SCHEDULE_LIMITS.prompts).toBe(MAX_SCHEDULE_PROMPTS);
  });
});

describe('a reminder’s notification', () => {
  const startsAt = Date.UTC(2030, 0, 16, 18, 0);

  it('says only that a chat starts soon, unless notifications may show text', () => {
    // Main strips the title and start (AppEventFeed's withoutText) when text is off: the kind alone.
    expect(notificationWords(wordsIn('en'), { kind: 'schedule-reminder' })).toStrictEqual({
      title: 'A scheduled chat starts soon',
      body: '',
    });
    // Electron's native words add no "New message" body to a reminder.
    expect(nativeNotificationText({ kind: 'schedule-reminder' }, 'en').body).toBe('');
    const shown = notificationWords(wordsIn('en'), {
      kind: 'schedule-reminder',
      title: 'Tuesday check-in',
      startsAt,
    });
    expect(shown.title).toBe('A scheduled chat starts soon');
    expect(shown.body).toMatch(/^“Tuesday check-in” at \d{1,2}:00/u);
    const french = notificationWords(wordsIn('fr'), {
      kind: 'schedule-reminder',
      title: 'Tuesday check-in',
      startsAt,
    });
    expect(french.body).toMatch(/^« Tuesday check-in » à \d{2}:00/u);
  });
});
