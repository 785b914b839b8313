import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  DEFAULT_REMINDER_MINUTES,
  ScheduleReminders,
  WEEK_MS,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { GroupTestClients } from './groupHelpers.js';
import { TempDirs, startTestRelay } from './helpers.js';

/**
 * "Remind me" for scheduled chats (docs/groups.md "Reminders"): local to the vault, fired by the
 * clock the caller passes, once per occurrence, remembered when the vault is opened again.
 */

const MINUTE = 60_000;
const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('scheduled chat reminders', () => {
  it('fire once per occurrence at their minutes before, survive reopening the vault, and end with the chat', async () => {
    const clients = new GroupTestClients(dirs, relay.url, { timeZone: 'Europe/Paris' });
    try {
      const olive = await clients.add('Olive');
      const group = await olive.createGroup({ name: 'Rest circle', description: '', rules: '' });
      const start = Date.now() + 2 * 60 * MINUTE;
      const chatId = await group.schedules.create({
        title: 'Evening rest chat',
        startsAt: start,
        durationMinutes: 30,
        occurrences: 2,
        prompts: [{ offsetMinutes: 0, text: 'How was today?' }],
      });
      const reminders = new ScheduleReminders(olive.localData);

      // Bad minutes and unknown chats are refused with their codes; nothing is stored.
      await expect(reminders.set(group, chatId, -1)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      await expect(reminders.set(group, chatId, 24 * 60 + 1)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      await expect(reminders.set(group, 'ffffffff')).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotFound,
      });
      expect(await reminders.list()).toStrictEqual([]);

      // The default is ten minutes before; set by a unique start of the id.
      const set = await reminders.set(group, chatId.slice(0, 6));
      expect(set).toStrictEqual({
        groupId: group.id,
        chatId,
        minutesBefore: DEFAULT_REMINDER_MINUTES,
        remindedThrough: 0,
      });

      // Not yet eleven minutes before; then due exactly at ten, once only.
      expect(await reminders.due(group, start - 11 * MINUTE)).toStrictEqual([]);
      const [first, ...more] = await reminders.due(group, start - 10 * MINUTE);
      expect(more).toStrictEqual([]);
      expect(first).toMatchObject({
        groupId: group.id,
        occurrence: 1,
        startsAt: start,
        minutesBefore: 10,
      });
      expect(first?.chat.title).toBe('Evening rest chat');
      expect(await reminders.due(group, start - 5 * MINUTE)).toStrictEqual([]);
      expect(await reminders.due(group, start + 5 * MINUTE)).toStrictEqual([]);

      // Remembered in the vault: reopened, it knows occurrence 1 was reminded of.
      await clients.close(olive);
      const back = await clients.reopen(olive, { start: false });
      const again = new ScheduleReminders(back.localData);
      const backGroup = await back.group(group.id);
      expect(await again.of(backGroup, chatId)).toMatchObject({ remindedThrough: 1 });
      expect(await again.due(backGroup, start + 5 * MINUTE)).toStrictEqual([]);

      // The weekly repeat is reminded of in its turn, even when the app opens late (mid-chat).
      expect(await again.due(backGroup, start + WEEK_MS - 11 * MINUTE)).toStrictEqual([]);
      const [second] = await again.due(backGroup, start + WEEK_MS + MINUTE);
      expect(second).toMatchObject({ occurrence: 2, startsAt: start + WEEK_MS });

      // Changing the minutes replaces the reminder; clearing it stops it.
      await again.set(backGroup, chatId, 30);
      expect(await again.list()).toHaveLength(1);
      await expect(again.clear(backGroup, '')).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotFound,
      });
      expect(await again.list()).toHaveLength(1);
      await again.clear(backGroup, chatId);
      expect(await again.list()).toStrictEqual([]);
    } finally {
      await clients.closeAll();
    }
  });

  it('are dropped when the chat is cancelled', async () => {
    const clients = new GroupTestClients(dirs, relay.url);
    try {
      const olive = await clients.add('Olive');
      const group = await olive.createGroup({ name: 'Grief circle', description: '', rules: '' });
      const start = Date.now() + 60 * MINUTE;
      const chatId = await group.schedules.create({
        title: 'Grief chat',
        startsAt: start,
        durationMinutes: 20,
        prompts: [],
      });
      const reminders = new ScheduleReminders(olive.localData);
      await reminders.set(group, chatId, 15);
      await group.schedules.cancel(chatId);
      expect(await reminders.due(group, start - 10 * MINUTE)).toStrictEqual([]);
      expect(await reminders.list()).toStrictEqual([]);
    } finally {
      await clients.closeAll();
    }
  });
});
