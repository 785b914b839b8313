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

/**
 * What the window lets a moderator fill in: core's limits (MAX_SCHEDULE_TITLE_LENGTH,
 * MAX_SCHEDULE_DURATION_MINUTES, MAX_SCHEDULE_OCCURRENCES, MAX_SCHEDULE_PROMPTS), and the API's
 * tighter prompt length. The window may not import core; tests/desktop/scheduleDraft.test.ts
 * keeps them equal.
 */
export const SCHEDULE_LIMITS = {
  titleLength: 200,
  durationMinutes: 24 * 60,
  occurrences: 104,
  prompts: 50,
  promptLength: 1000,
} as const;

/** The reminder choices the window offers, in minutes before a chat (0: as it starts). */
export const REMINDER_CHOICES = [0, 5, 15, 60] as const;
