/**
 * What the window shows of a group's scheduled host-led chats and their local reminders
 * (docs/groups.md "Scheduled host-led chats", "Reminders"). Instants are UTC milliseconds: the
 * window writes them in the person's own zone. Plain JSON.
 */

export interface ScheduledPromptItemView {
  /** 1 = Q1. */
  readonly number: number;
  readonly offsetMinutes: number;
  readonly text: string;
}

export interface ScheduledChatItemView {
  /** 32 hex characters. */
  readonly chatId: string;
  readonly title: string;
  readonly hostPseudonym: string;
  readonly durationMinutes: number;
  /** In all, weekly (1: no repeat). */
  readonly occurrences: number;
  readonly prompts: readonly ScheduledPromptItemView[];
  /** The running occurrence, or else the next. */
  readonly next: {
    readonly occurrence: number;
    readonly startsAt: number;
    readonly endsAt: number;
    readonly running: boolean;
  };
  /** Minutes before each occurrence this device reminds; null: no reminder. */
  readonly remindMinutesBefore: number | null;
}

/** A reminder whose moment has come, for a notification (once per occurrence). */
export interface ScheduleReminderDueView {
  readonly conversationId: string;
  readonly chatId: string;
  readonly title: string;
  readonly occurrence: number;
  readonly startsAt: number;
  readonly minutesBefore: number;
}
