import type { KindredClient } from '../../core/client/index.js';
import { CoreError, ScheduleReminders } from '../../core/client/index.js';
import type { ScheduleReminderDueView } from '../shared/scheduleViews.std.js';
import { groupConversationId } from './conversationId.std.js';
import type { DesktopLogger } from './logger.main.js';

/** How often main asks for reminders that came due: a reminder is at most this late. */
export const REMINDER_POLL_MS = 30_000;

/**
 * The reminders due now across every active group of the vault, each returned once per
 * occurrence (ScheduleReminders marks it fired), judged by the client's schedule clock.
 */
export async function dueReminders(client: KindredClient): Promise<ScheduleReminderDueView[]> {
  const reminders = new ScheduleReminders(client.localData);
  const groupIds = new Set((await reminders.list()).map((r) => r.groupId));
  const due: ScheduleReminderDueView[] = [];
  for (const summary of await client.groups()) {
    if (!groupIds.has(summary.groupId) || summary.status !== 'active') continue;
    const handle = await client.group(summary.groupId);
    for (const reminder of await reminders.due(handle, handle.schedules.now())) {
      due.push({
        conversationId: groupConversationId(reminder.groupId),
        chatId: reminder.chat.chatId,
        title: reminder.chat.title,
        occurrence: reminder.occurrence,
        startsAt: reminder.startsAt,
        minutesBefore: reminder.minutesBefore,
      });
    }
  }
  return due;
}

export interface ReminderPollerOptions {
  readonly client: KindredClient;
  /** Whether notifications are on: while off nothing is asked, and reminders wait. */
  readonly enabled: () => boolean;
  readonly notify: (reminder: ScheduleReminderDueView) => void;
  readonly logger: DesktopLogger;
  readonly pollMs?: number;
}

/**
 * "Remind me" while the vault is open: main asks for due reminders at once and every
 * {@link REMINDER_POLL_MS}, and hands each to the event feed as a notification, so Electron shows
 * it natively and the dev host's window as a browser notification, by the one path messages take.
 */
export class ReminderPoller {
  readonly #options: ReminderPollerOptions;
  readonly #timer: NodeJS.Timeout;
  #checking = false;
  #stopped = false;

  constructor(options: ReminderPollerOptions) {
    this.#options = options;
    this.#timer = setInterval(() => {
      this.#check();
    }, options.pollMs ?? REMINDER_POLL_MS);
    this.#timer.unref();
    this.#check();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  #check(): void {
    if (this.#stopped || this.#checking || !this.#options.enabled()) return;
    this.#checking = true;
    dueReminders(this.#options.client)
      .then((due) => {
        if (this.#stopped) return;
        for (const reminder of due) this.#options.notify(reminder);
      })
      .catch((error: unknown) => {
        // Locked meanwhile, or the vault busy: the next round asks again.
        if (this.#stopped) return;
        const code = error instanceof CoreError ? error.code : 'unknown';
        this.#options.logger.warn({ code }, 'reminders could not be read');
      })
      .finally(() => {
        this.#checking = false;
      });
  }
}
