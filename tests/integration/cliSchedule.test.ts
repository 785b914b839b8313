// `kindred group schedule …` and `kindred group send --answer N` against a real relay.
import { describe, expect, it } from 'vitest';
import { useTestRelay } from './helpers.js';
import { expectFailure, initHome, kindred } from './kindredCommand.js';

const relay = useTestRelay();

/** An instant as --start takes it (to the minute, UTC). */
function iso(at: number): string {
  return new Date(at).toISOString().slice(0, 16) + 'Z';
}

describe('kindred group schedule', () => {
  it(
    'schedules a chat, lists it in a given zone, tags an answer, shows the transcript and cancels; bad input is coded',
    { timeout: 180_000 },
    async () => {
      const home = await initHome(relay.dirs, relay.url, 'Hana Host');
      const host = [...home.args, '--json'];
      const created = await kindred(['group', 'create', 'Scheduled circle', ...host]);
      expect(created.code, created.stderr).toBe(0);
      const groupId = String(created.records[0]?.group);

      // Started a minute ago (to the minute), so Q1 (+0) is asked and Q2 (+20) is not yet.
      const start = Math.floor((Date.now() - 60_000) / 60_000) * 60_000;
      const details = ['--title', 'Fatigue chat', '--start', iso(start), '--duration', '30'];
      const scheduled = await kindred([
        'group',
        'schedule',
        'create',
        groupId,
        ...details,
        '--weekly',
        '2',
        '--prompt',
        '0:What drains you most?',
        '--prompt',
        '20:What gives energy back?',
        ...host,
      ]);
      expect(scheduled.code, scheduled.stderr).toBe(0);
      const chat = String(scheduled.records[0]?.chat);
      expect(chat).toMatch(/^[0-9a-f]{32}$/);

      // Remind me (kept in the vault): the list shows it; bad minutes are a usage error.
      const reminded = await kindred([
        'group',
        'schedule',
        'remind',
        groupId,
        chat.slice(0, 8),
        '--minutes',
        '15',
        ...host,
      ]);
      expect(reminded.code, reminded.stderr).toBe(0);
      expect(reminded.records[0]).toMatchObject({
        event: 'group-schedule-reminder',
        action: 'on',
        chatId: chat,
        minutesBefore: 15,
      });
      expectFailure(
        await kindred([
          'group',
          'schedule',
          'remind',
          groupId,
          chat,
          '--minutes',
          '-5',
          ...home.args,
        ]),
        'CLI_USAGE',
      );

      const listed = await kindred([
        'group',
        'schedule',
        'list',
        groupId,
        '--time-zone',
        'Asia/Tokyo',
        ...host,
      ]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.records[0]).toMatchObject({
        event: 'group-scheduled-chat',
        chatId: chat,
        title: 'Fatigue chat',
        occurrences: 2,
        timeZone: 'Asia/Tokyo',
        next: { occurrence: 1, running: true, startsAt: start },
        remindMinutesBefore: 15,
      });
      expect(String((listed.records[0]?.next as { localStart?: string }).localStart)).toContain(
        'GMT+9',
      );

      const answered = await kindred([
        'group',
        'send',
        groupId,
        'Stairs',
        '--answer',
        '1',
        ...host,
      ]);
      expect(answered.code, answered.stderr).toBe(0);
      expectFailure(
        await kindred(['group', 'send', groupId, 'Too soon', '--answer', '2', ...home.args]),
        'CORE_SCHEDULE_NOT_RUNNING',
      );

      const transcript = await kindred(['group', 'schedule', 'transcript', groupId, chat, ...host]);
      expect(transcript.code, transcript.stderr).toBe(0);
      expect(
        transcript.records.map((r) => [r.event, r.prompt ?? null, r.text ?? null]),
      ).toStrictEqual([
        ['group-transcript', null, null],
        ['group-transcript-prompt', 1, 'What drains you most?'],
        ['group-transcript-answer', 1, 'Stairs'],
        ['group-transcript-prompt', 2, 'What gives energy back?'],
      ]);

      // A prompt past the end of the chat, and a start without its zone.
      expectFailure(
        await kindred([
          'group',
          'schedule',
          'create',
          groupId,
          ...details,
          '--prompt',
          '30:Too late',
          ...home.args,
        ]),
        'CORE_SCHEDULE_INVALID',
      );
      expectFailure(
        await kindred([
          'group',
          'schedule',
          'create',
          groupId,
          '--title',
          'x',
          '--start',
          '2030-01-31 18:00',
          '--duration',
          '30',
          ...home.args,
        ]),
        'CLI_USAGE',
      );

      const cancelled = await kindred(['group', 'schedule', 'cancel', groupId, chat, ...host]);
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.records[0]).toMatchObject({ event: 'group-schedule', action: 'cancel' });
    },
  );
});
