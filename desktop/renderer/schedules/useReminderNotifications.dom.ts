import { useEffect, useRef } from 'react';
import type { AppState, ConversationId, ScheduleReminderDueView } from '../../shared/api.std.js';
import type { Words } from '../../shared/i18n/notificationWords.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useApi } from '../kindredContext.dom.js';
import { showBrowserNotification } from '../notifications.dom.js';
import { useScheduleTimes, type ScheduleTimes } from './scheduleTimes.dom.js';

/** How often the window asks for reminders that came due: a reminder is at most this late. */
export const REMINDER_POLL_MS = 30_000;

/**
 * A due reminder in words. Like a message notification it says nothing of the chat (no title, no
 * group) unless the person let notifications show text (Settings → Notifications).
 */
export function reminderNotificationWords(
  text: Words,
  times: ScheduleTimes,
  reminder: ScheduleReminderDueView,
  showText: boolean,
): { title: string; body: string } {
  return {
    title: text('schedules.notify.title'),
    body: showText
      ? text('schedules.notify.body', {
          title: reminder.title,
          time: times.time(reminder.startsAt),
        })
      : '',
  };
}

/**
 * While the vault is open (the shell is mounted): asks main for the reminders due now, at once and
 * then every {@link REMINDER_POLL_MS}, and shows each as a browser notification that opens its
 * group. Main hands each occurrence out once, so nothing is shown twice. Notifications off: the
 * window does not ask, and the reminders wait. Inside Electron the page may not show
 * notifications (windowHardening refuses the permission), so the window does not ask either.
 */
export function useReminderNotifications(
  state: AppState,
  openGroup: (conversationId: ConversationId) => void,
): void {
  const api = useApi();
  const text = useText();
  const times = useScheduleTimes();
  // The words, setting and target in force when a reminder comes, not when polling began.
  const current = useRef({ state, text, times, openGroup });
  current.current = { state, text, times, openGroup };
  const enabled = state.notifications.enabled && !api.inElectron;

  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    const check = () => {
      api.call('schedules.dueReminders', {}).then(
        (due) => {
          if (!live) return;
          const now = current.current;
          for (const reminder of due) {
            const { title, body } = reminderNotificationWords(
              now.text,
              now.times,
              reminder,
              now.state.notifications.showText,
            );
            showBrowserNotification(
              title,
              body,
              `schedule-${reminder.chatId}-${String(reminder.occurrence)}`,
              () => {
                current.current.openGroup(reminder.conversationId);
              },
            );
          }
        },
        // Locked meanwhile, or main busy: the next round asks again.
        () => undefined,
      );
    };
    check();
    const timer = setInterval(check, REMINDER_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, enabled]);
}
