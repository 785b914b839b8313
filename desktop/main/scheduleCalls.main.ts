import type { ScheduledChatView } from '../../core/client/index.js';
import { ScheduleReminders } from '../../core/client/index.js';
import type { ScheduledChatItemView } from '../shared/scheduleViews.std.js';
import { dueReminders } from './ReminderPoller.main.js';
import type { ApiHandlers } from './callRouter.main.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type ScheduleMethod =
  | 'schedules.upcoming'
  | 'schedules.remind'
  | 'schedules.dueReminders'
  | 'schedules.create'
  | 'schedules.cancel'
  | 'schedules.reschedule';

/**
 * Scheduled chats in the window: scheduling, rescheduling and cancelling (moderators; the rules refuse
 * others with CORE_GROUP_FORBIDDEN), a group's upcoming chats with this device's reminder for each,
 * setting or clearing a reminder (kept in the vault, never sent), and the reminders due now
 * across every group of the vault, each returned once per occurrence (for a notification).
 * Times are judged by the client's schedule clock (KindredClientOptions.scheduleClock: a test's,
 * in the dev host).
 */
export function scheduleHandlers(vault: () => UnlockedVault): Pick<ApiHandlers, ScheduleMethod> {
  return {
    'schedules.upcoming': async (args) => {
      const { client } = vault();
      const { handle } = await resolveGroup(client, args.conversationId);
      const reminders = new ScheduleReminders(client.localData);
      const mine = (await reminders.list()).filter((r) => r.groupId === handle.id);
      const views: ScheduledChatItemView[] = [];
      for (const chat of await handle.schedules.list()) {
        const reminder = mine.find((r) => r.chatId === chat.chatId);
        const view = chatItemView(chat, reminder?.minutesBefore ?? null);
        if (view !== undefined) views.push(view);
      }
      return views;
    },
    'schedules.remind': async (args) => {
      const { client } = vault();
      const { handle } = await resolveGroup(client, args.conversationId);
      const reminders = new ScheduleReminders(client.localData);
      if (args.minutesBefore === null) await reminders.clear(handle, args.chatId);
      else await reminders.set(handle, args.chatId, args.minutesBefore);
      return null;
    },
    'schedules.dueReminders': async () => dueReminders(vault().client),
    'schedules.create': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      const { title, startsAt, durationMinutes, occurrences, prompts } = args;
      const chatId = await handle.schedules.create({
        title,
        startsAt,
        durationMinutes,
        occurrences,
        prompts,
      });
      return { chatId };
    },
    'schedules.reschedule': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      const { title, startsAt, durationMinutes, occurrences, prompts } = args;
      await handle.schedules.reschedule(args.chatId, {
        title,
        startsAt,
        durationMinutes,
        occurrences,
        prompts,
      });
      return null;
    },
    'schedules.cancel': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.schedules.cancel(args.chatId, args.occurrence);
      return null;
    },
  };
}

function chatItemView(
  chat: ScheduledChatView,
  remindMinutesBefore: number | null,
): ScheduledChatItemView | undefined {
  if (chat.next === undefined) return undefined;
  return {
    chatId: chat.chatId,
    title: chat.title,
    hostPseudonym: chat.hostPseudonym,
    durationMinutes: chat.durationMinutes,
    occurrences: chat.occurrences,
    prompts: chat.prompts.map((p, i) => ({
      number: i + 1,
      offsetMinutes: p.offsetMinutes,
      text: p.text,
    })),
    next: {
      occurrence: chat.next.occurrence,
      startsAt: chat.next.startsAt,
      endsAt: chat.next.endsAt,
      running: chat.next.running,
    },
    remindMinutesBefore,
  };
}
