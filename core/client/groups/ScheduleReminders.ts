import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { LocalData } from '../LocalData.js';
import type { GroupHandle } from './GroupHandle.js';
import type { ScheduledChatView } from './GroupSchedules.js';
import { MINUTE_MS } from './scheduleTimes.js';

/**
 * "Remind me" for scheduled host-led chats (docs/groups.md "Reminders"): a reminder is local to
 * this device and this vault (it is never sent, so no member, host or relay learns who wants
 * one), remembered in the vault's local data, per chat, with how many minutes before each
 * occurrence it fires. Whoever shows it (the window's notification, a CLI line) asks {@link due}
 * with its clock; each occurrence is reminded of once.
 */

/** A reminder fires at most this long before a chat starts (a day). */
export const MAX_REMINDER_MINUTES = 24 * 60;
/** The default: ten minutes before. */
export const DEFAULT_REMINDER_MINUTES = 10;

export interface ScheduleReminder {
  readonly groupId: string;
  /** The chat's full id (32 hex characters). */
  readonly chatId: string;
  readonly minutesBefore: number;
  /** The last occurrence already reminded of (0 = none yet). */
  readonly remindedThrough: number;
}

/** A reminder whose moment has come: the chat as the reader sees it, and which occurrence. */
export interface DueReminder {
  readonly groupId: string;
  readonly chat: ScheduledChatView;
  readonly occurrence: number;
  readonly startsAt: number;
  readonly minutesBefore: number;
}

/** One record holds every reminder of the vault: they are few (one per chat someone cares about). */
const REMINDERS_KEY = 'schedule/reminders';
/** Far more than anyone sets; keeps the record well under the local-data limit. */
const MAX_REMINDERS = 200;

export class ScheduleReminders {
  readonly #data: LocalData;

  constructor(data: LocalData) {
    this.#data = data;
  }

  /**
   * Reminds `minutesBefore` (0 .. {@link MAX_REMINDER_MINUTES}) before each coming occurrence of
   * chat `chatRef` (its id or a unique start of it) in `group`; replaces an earlier reminder for
   * it. CORE_INVALID_INPUT for bad minutes, CORE_SCHEDULE_NOT_FOUND for no such upcoming chat.
   */
  async set(
    group: GroupHandle,
    chatRef: string,
    minutesBefore: number = DEFAULT_REMINDER_MINUTES,
  ): Promise<ScheduleReminder> {
    if (
      !Number.isSafeInteger(minutesBefore) ||
      minutesBefore < 0 ||
      minutesBefore > MAX_REMINDER_MINUTES
    ) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        `a reminder is 0 to ${MAX_REMINDER_MINUTES} minutes before the chat`,
      );
    }
    const chat = findChat(await group.schedules.list(), chatRef);
    const all = (await this.list()).filter((r) => !sameChat(r, group.id, chat.chatId));
    if (all.length >= MAX_REMINDERS) {
      throw new CoreError(CoreErrorCode.InvalidInput, `at most ${MAX_REMINDERS} reminders`);
    }
    // Occurrences that already started are not reminded of: only the coming ones.
    const remindedThrough =
      chat.next === undefined ? 0 : chat.next.occurrence - (chat.next.running ? 0 : 1);
    const reminder = { groupId: group.id, chatId: chat.chatId, minutesBefore, remindedThrough };
    await this.#save([...all, reminder]);
    return reminder;
  }

  /**
   * Stops reminding of a chat (nothing happens when there was no reminder);
   * CORE_SCHEDULE_NOT_FOUND for a reference shorter than 4 characters or naming several.
   */
  async clear(group: GroupHandle, chatRef: string): Promise<void> {
    const all = await this.list();
    const wanted = chatRef.trim().toLowerCase();
    // As chats are named everywhere: a unique start of at least 4 characters, never "all".
    const matches = all.filter((r) => r.groupId === group.id && r.chatId.startsWith(wanted));
    if (wanted.length < 4 || matches.length > 1) {
      throw new CoreError(CoreErrorCode.ScheduleNotFound, 'name one chat by its id');
    }
    const kept = all.filter((r) => !matches.includes(r));
    if (kept.length !== all.length) await this.#save(kept);
  }

  /** Every reminder of the vault; an unreadable record reads as none. */
  async list(): Promise<ScheduleReminder[]> {
    const stored = await this.#data.get(REMINDERS_KEY);
    if (!Array.isArray(stored)) return [];
    return stored.filter(isReminder);
  }

  /** The reminder for a chat of `group` (its full id), if there is one. */
  async of(group: GroupHandle, chatId: string): Promise<ScheduleReminder | undefined> {
    return (await this.list()).find((r) => sameChat(r, group.id, chatId));
  }

  /**
   * The reminders of `group` due at `now` (the caller's clock: the window's, a test's): an
   * occurrence not yet reminded of, not cancelled, starting within its minutes and not over.
   * Each is recorded as reminded before this resolves, so it is returned once only. Reminders
   * of chats that are cancelled or over are dropped.
   */
  async due(group: GroupHandle, now: number): Promise<DueReminder[]> {
    const all = await this.list();
    const mine = all.filter((r) => r.groupId === group.id);
    if (mine.length === 0) return [];
    const chats = await group.schedules.list({ now });
    const due: DueReminder[] = [];
    const kept: ScheduleReminder[] = all.filter((r) => r.groupId !== group.id);
    for (const reminder of mine) {
      const chat = chats.find((c) => c.chatId === reminder.chatId);
      if (chat?.next === undefined) continue; // cancelled or over: forget it
      const next = chat.next;
      const firesAt = next.startsAt - reminder.minutesBefore * MINUTE_MS;
      if (next.occurrence > reminder.remindedThrough && now >= firesAt) {
        due.push({
          groupId: group.id,
          chat,
          occurrence: next.occurrence,
          startsAt: next.startsAt,
          minutesBefore: reminder.minutesBefore,
        });
        kept.push({ ...reminder, remindedThrough: next.occurrence });
      } else {
        kept.push(reminder);
      }
    }
    if (due.length > 0 || kept.length !== all.length) await this.#save(kept);
    return due;
  }

  async #save(reminders: readonly ScheduleReminder[]): Promise<void> {
    await this.#data.put(REMINDERS_KEY, reminders);
  }
}

function findChat(chats: readonly ScheduledChatView[], chatRef: string): ScheduledChatView {
  const wanted = chatRef.trim().toLowerCase();
  const matches = chats.filter((c) => wanted.length >= 4 && c.chatId.startsWith(wanted));
  const [only] = matches;
  if (only === undefined || matches.length > 1) {
    throw new CoreError(CoreErrorCode.ScheduleNotFound, 'no such upcoming chat in this group');
  }
  return only;
}

function sameChat(reminder: ScheduleReminder, groupId: string, chatId: string): boolean {
  return reminder.groupId === groupId && reminder.chatId === chatId;
}

function isReminder(value: unknown): value is ScheduleReminder {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.groupId === 'string' &&
    typeof r.chatId === 'string' &&
    Number.isSafeInteger(r.minutesBefore) &&
    Number.isSafeInteger(r.remindedThrough)
  );
}
