import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from '../integration/helpers.js';
import { EventLog, call, callError, onlineService } from './desktopHelpers.js';

/**
 * The window's scheduled-chat calls on a real service and relay: schedule, list upcoming with
 * this device's reminder, remind, due reminders once per occurrence (by the real clock), cancel;
 * and main's own poll turning a due reminder into one notification, worded as the setting says.
 */

const MINUTE = 60_000;
const dirs = new TempDirs();
let relay: RunningRelay;
let ada: DesktopService | undefined;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await ada?.close();
  await relay.close();
  await dirs.cleanup();
});

describe('scheduled chats through the desktop service', () => {
  it('schedules, lists with reminders, reports a due reminder once, and cancels', async () => {
    ada = await onlineService(dirs, relay.url, 'Ada');
    // Main's own poll would take the due reminder first: with notifications off it does not ask.
    await call(ada, 'settings.update', { notifications: { enabled: false, showText: false } });
    const group = await call(ada, 'groups.create', {
      name: 'Evening circle',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
    });
    const conversationId = group.conversationId;
    // Soon starts in five minutes (a reminder 10 min before is due now); later in two hours.
    const soonAt = Date.now() + 5 * MINUTE;
    const { chatId: soon } = await call(ada, 'schedules.create', {
      conversationId,
      title: 'Soon chat',
      startsAt: soonAt,
      durationMinutes: 30,
      occurrences: 2,
      prompts: [
        { offsetMinutes: 0, text: 'How was the week?' },
        { offsetMinutes: 10, text: 'What helps you sleep?' },
      ],
    });
    const { chatId: later } = await call(ada, 'schedules.create', {
      conversationId,
      title: 'Later chat',
      startsAt: Date.now() + 120 * MINUTE,
      durationMinutes: 30,
      occurrences: 1,
      prompts: [],
    });
    // Bad details are coded, not thrown.
    expect(
      (
        await callError(ada, {
          method: 'schedules.create',
          args: {
            conversationId,
            title: 'Past',
            startsAt: Date.now() - 120 * MINUTE,
            durationMinutes: 30,
            occurrences: 1,
            prompts: [],
          },
        })
      ).code,
    ).toBe('CORE_SCHEDULE_INVALID');

    await call(ada, 'schedules.remind', { conversationId, chatId: soon, minutesBefore: 10 });
    await call(ada, 'schedules.remind', { conversationId, chatId: later, minutesBefore: 10 });
    const upcoming = await call(ada, 'schedules.upcoming', { conversationId });
    expect(upcoming.map((c) => [c.title, c.remindMinutesBefore])).toStrictEqual([
      ['Soon chat', 10],
      ['Later chat', 10],
    ]);
    expect(upcoming[0]?.prompts).toStrictEqual([
      { number: 1, offsetMinutes: 0, text: 'How was the week?' },
      { number: 2, offsetMinutes: 10, text: 'What helps you sleep?' },
    ]);
    expect(upcoming[0]?.next).toMatchObject({ occurrence: 1, startsAt: soonAt, running: false });

    // Only the soon chat is due, once.
    const due = await call(ada, 'schedules.dueReminders', {});
    expect(due).toStrictEqual([
      {
        conversationId,
        chatId: soon,
        title: 'Soon chat',
        occurrence: 1,
        startsAt: soonAt,
        minutesBefore: 10,
      },
    ]);
    expect(await call(ada, 'schedules.dueReminders', {})).toStrictEqual([]);

    // Clearing a reminder; out-of-range minutes are refused by the call's schema.
    await call(ada, 'schedules.remind', { conversationId, chatId: later, minutesBefore: null });
    expect(
      (
        await callError(ada, {
          method: 'schedules.remind',
          args: { conversationId, chatId: later, minutesBefore: 1441 },
        })
      ).code,
    ).toBe('DESKTOP_INVALID_ARGS');

    // Rescheduled by a moderator: the new title and start are what the list shows.
    const laterAt = Date.now() + 180 * MINUTE;
    await call(ada, 'schedules.reschedule', {
      conversationId,
      chatId: later,
      title: 'Later chat, moved',
      startsAt: laterAt,
      durationMinutes: 45,
      occurrences: 1,
      prompts: [{ offsetMinutes: 5, text: 'Anything new?' }],
    });
    await call(ada, 'schedules.cancel', { conversationId, chatId: soon });
    const left = await call(ada, 'schedules.upcoming', { conversationId });
    expect(left.map((c) => [c.title, c.remindMinutesBefore, c.next.startsAt])).toStrictEqual([
      ['Later chat, moved', null, laterAt],
    ]);
  });

  it('main notifies a due reminder once, naming the chat only when text may show', async () => {
    const cleo = await onlineService(dirs, relay.url, 'Cleo', { reminderPollMs: 100 });
    try {
      const events = new EventLog(cleo);
      const { conversationId } = await call(cleo, 'groups.create', {
        name: 'Morning circle',
        description: '',
        rules: '',
        joinByApproval: false,
        slowModeSeconds: 0,
        persona: 'fresh',
      });
      const startsAt = Date.now() + 5 * MINUTE;
      const schedule = async (title: string): Promise<string> =>
        (
          await call(cleo, 'schedules.create', {
            conversationId,
            title,
            startsAt,
            durationMinutes: 30,
            occurrences: 1,
            prompts: [],
          })
        ).chatId;
      const first = await schedule('Quiet chat');
      const second = await schedule('Wordy chat');

      // Text off (the default): the kind alone, nothing of the chat.
      await call(cleo, 'schedules.remind', { conversationId, chatId: first, minutesBefore: 10 });
      const hidden = await events.waitFor('the first reminder', (e) => e.type === 'notify');
      expect(hidden).toStrictEqual({
        type: 'notify',
        conversationId,
        about: { kind: 'schedule-reminder' },
      });
      // Text on: its title and start.
      await call(cleo, 'settings.update', { notifications: { enabled: true, showText: true } });
      await call(cleo, 'schedules.remind', { conversationId, chatId: second, minutesBefore: 10 });
      const shown = await events.waitFor(
        'the second reminder',
        (e) => e.type === 'notify' && e !== hidden,
      );
      expect(shown).toStrictEqual({
        type: 'notify',
        conversationId,
        about: { kind: 'schedule-reminder', title: 'Wordy chat', startsAt },
      });
      // Each occurrence once: many polls later, still two.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(events.events.filter((e) => e.type === 'notify')).toHaveLength(2);
      expect(await call(cleo, 'schedules.dueReminders', {})).toStrictEqual([]);
      events.stop();
    } finally {
      await cleo.close();
    }
  });
});
