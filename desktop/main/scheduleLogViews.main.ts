import type { GroupHandle, GroupLogEntry } from '../../core/client/index.js';
import type { LogEntryView } from '../shared/api.std.js';

/** The log's words for a chat operation ("chat HEX" or "chat HEX, occurrence N", GroupLog.entry). */
const CHAT_DETAIL = /^chat ([0-9a-f]{32})(?:, occurrence (\d+))?$/u;

/**
 * The moderation log's scheduled-chat operations in words the window can say: which chat (its
 * title, sealed in the schedule; '' once a chat cancelled as a whole is gone from the group), and
 * whether a schedule was new or replaced an earlier one ("rescheduleChat"). Other entries pass
 * through unchanged. `entries` and `views` are the same log, in the same order.
 */
export async function withScheduleWords(
  handle: GroupHandle,
  entries: readonly GroupLogEntry[],
  views: readonly LogEntryView[],
): Promise<LogEntryView[]> {
  if (!entries.some((entry) => chatFacts(entry) !== undefined)) return [...views];
  const titles = new Map(
    (await handle.schedules.list({ includePast: true })).map((chat) => [chat.chatId, chat.title]),
  );
  const scheduledBefore = new Set<string>();
  const ordered = [...entries.keys()].sort(
    (a, b) => (entries[a]?.sequence ?? 0) - (entries[b]?.sequence ?? 0),
  );
  const worded = [...views];
  for (const index of ordered) {
    const entry = entries[index];
    const view = views[index];
    const facts = entry === undefined ? undefined : chatFacts(entry);
    if (entry === undefined || view === undefined || facts === undefined) continue;
    const again = entry.action === 'scheduleChat' && scheduledBefore.has(facts.chatId);
    if (entry.action === 'scheduleChat') scheduledBefore.add(facts.chatId);
    worded[index] = {
      ...view,
      action: again ? 'rescheduleChat' : entry.action,
      scheduledChat: {
        title: titles.get(facts.chatId) ?? '',
        ...(facts.occurrence === undefined ? {} : { occurrence: facts.occurrence }),
      },
    };
  }
  return worded;
}

function chatFacts(entry: GroupLogEntry): { chatId: string; occurrence?: number } | undefined {
  if (entry.action !== 'scheduleChat' && entry.action !== 'cancelScheduledChat') return undefined;
  const match = CHAT_DETAIL.exec(entry.detail ?? '');
  if (match?.[1] === undefined) return undefined;
  return {
    chatId: match[1],
    ...(match[2] === undefined ? {} : { occurrence: Number(match[2]) }),
  };
}
