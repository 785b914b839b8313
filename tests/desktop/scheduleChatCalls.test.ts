import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { RunningRelay } from '../../server/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs, startTestRelay } from '../integration/helpers.js';
import { EventLog, PASSPHRASE, call, callError } from './desktopHelpers.js';

/**
 * A scheduled chat through the desktop service while it runs and after, on a real relay, with a
 * schedule clock the test moves: the prompts asked so far and whether they are open, answers
 * tagged through conversations.send (refused for a prompt not asked yet, another occurrence), the tag in the message views, core's transcript, and the log's schedule words.
 */

const MINUTE = 60_000;
const dirs = new TempDirs();
let relay: RunningRelay;
let ada: DesktopService | undefined;
let now = Date.now();

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await ada?.close();
  await relay.close();
  await dirs.cleanup();
});

describe('a scheduled chat through the desktop service', () => {
  it('lists prompts as the clock passes them, tags answers, refuses early ones, transcribes', async () => {
    ada = new DesktopService({
      home: await dirs.make('schedchat'),
      defaultRelayUrl: relay.url,
      kdf: 'insecure-fast',
      clientOptions: { ...TEST_CLIENT_OPTIONS, scheduleClock: () => now },
    });
    const events = new EventLog(ada);
    await call(ada, 'app.create', {
      pseudonym: 'Ada',
      passphrase: PASSPHRASE,
      relayUrl: relay.url,
    });
    await events.waitFor('online', (e) => e.type === 'connection' && e.online);
    const { conversationId } = await call(ada, 'groups.create', {
      name: 'Evening circle',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada',
    });
    const startsAt = now + 10 * MINUTE;
    const { chatId } = await call(ada, 'schedules.create', {
      conversationId,
      title: 'Thursday check-in',
      startsAt,
      durationMinutes: 30,
      occurrences: 2,
      prompts: [
        { offsetMinutes: 0, text: 'How was the week?' },
        { offsetMinutes: 10, text: 'What helped?' },
      ],
    });
    expect(await call(ada, 'scheduledChat.prompts', { conversationId })).toStrictEqual([]);

    // Past the start: Q1 is asked and open; an answer to Q2 is refused, to Q1 tagged.
    now = startsAt + MINUTE;
    const first = await call(ada, 'scheduledChat.prompts', { conversationId });
    expect(first).toStrictEqual([
      {
        chatId,
        title: 'Thursday check-in',
        occurrence: 1,
        number: 1,
        text: 'How was the week?',
        askedAt: startsAt,
        hostPseudonym: 'Ada',
        open: true,
      },
    ]);
    const early = await callError(ada, {
      method: 'conversations.send',
      args: { conversationId, text: 'Early', answer: { chatId, occurrence: 1, prompt: 2 } },
    });
    expect(early.code).toBe('CORE_SCHEDULE_NOT_RUNNING');
    const otherOccurrence = await callError(ada, {
      method: 'conversations.send',
      args: { conversationId, text: 'Wrong week', answer: { chatId, occurrence: 2, prompt: 1 } },
    });
    expect(otherOccurrence.code).toBe('CORE_SCHEDULE_NOT_RUNNING');
    const a1 = await call(ada, 'conversations.send', {
      conversationId,
      text: 'Long, but good',
      answer: { chatId, occurrence: 1, prompt: 1 },
    });
    expect(a1.answer).toStrictEqual({ chatId, occurrence: 1, prompt: 1 });
    await call(ada, 'conversations.send', { conversationId, text: 'Hello all' });
    const listed = await call(ada, 'conversations.messages', { conversationId });
    expect(listed.find((m) => m.text === 'Long, but good')?.answer?.prompt).toBe(1);
    expect(listed.find((m) => m.text === 'Hello all')?.answer).toBeUndefined();

    // After the occurrence: both prompts listed, no longer open; answers are refused.
    now = startsAt + 31 * MINUTE;
    const after = await call(ada, 'scheduledChat.prompts', { conversationId });
    expect(after.map((p) => [p.number, p.open])).toStrictEqual([
      [1, false],
      [2, false],
    ]);
    const late = await callError(ada, {
      method: 'conversations.send',
      args: { conversationId, text: 'Late', answer: { chatId, occurrence: 1, prompt: 2 } },
    });
    expect(late.code).toBe('CORE_SCHEDULE_NOT_RUNNING');

    // The transcript groups by prompt; Q2 has none. Messages sent outside the chat's window (by
    // this injected clock, the real-time sends are before it) are not counted as untagged.
    const transcript = await call(ada, 'scheduledChat.transcript', { conversationId, chatId });
    expect(transcript).toMatchObject({ chatId, occurrence: 1, startsAt, untagged: 0 });
    expect(
      transcript.sections.map((s) => [s.number, s.answers.map((a) => [a.author, a.text])]),
    ).toStrictEqual([
      [1, [['Ada', 'Long, but good']]],
      [2, []],
    ]);
    // The next week's has nothing yet; a third week does not exist.
    const next = await call(ada, 'scheduledChat.transcript', {
      conversationId,
      chatId,
      occurrence: 2,
    });
    expect(next.sections.every((s) => s.answers.length === 0)).toBe(true);
    const none = await callError(ada, {
      method: 'scheduledChat.transcript',
      args: { conversationId, chatId, occurrence: 3 },
    });
    expect(none.code).toBe('CORE_SCHEDULE_NOT_FOUND');

    // The log: scheduled, rescheduled (same chat again), one occurrence cancelled, then all.
    await call(ada, 'schedules.reschedule', {
      conversationId,
      chatId,
      title: 'Thursday check-in, later',
      startsAt: now + 60 * MINUTE,
      durationMinutes: 30,
      occurrences: 2,
      prompts: [],
    });
    await call(ada, 'schedules.cancel', { conversationId, chatId, occurrence: 2 });
    const logged = await call(ada, 'groups.log', { conversationId });
    expect(
      logged
        .filter((e) => e.scheduledChat !== undefined)
        .sort((a, b) => a.sequence - b.sequence)
        .map((e) => [e.action, e.scheduledChat]),
    ).toStrictEqual([
      ['scheduleChat', { title: 'Thursday check-in, later' }],
      ['rescheduleChat', { title: 'Thursday check-in, later' }],
      ['cancelScheduledChat', { title: 'Thursday check-in, later', occurrence: 2 }],
    ]);
    await call(ada, 'schedules.cancel', { conversationId, chatId });
    const last = (await call(ada, 'groups.log', { conversationId }))
      .filter((e) => e.scheduledChat !== undefined)
      .sort((a, b) => b.sequence - a.sequence)[0];
    expect([last?.action, last?.scheduledChat]).toStrictEqual([
      'cancelScheduledChat',
      { title: '' },
    ]);
  });
});
