import type { LogEntryView } from '../../shared/api.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/**
 * A scheduled chat's operation in the moderation log, after its actor: "scheduled “Thursday
 * check-in”", "rescheduled …", "cancelled …", "cancelled occurrence 2 of …"; undefined for any
 * other entry.
 */
export function scheduleLogWords(entry: LogEntryView, text: TextOf): string | undefined {
  const chat = entry.scheduledChat;
  if (chat === undefined) return undefined;
  const title = chat.title === '' ? text('scheduledChat.log.someChat') : chat.title;
  switch (entry.action) {
    case 'scheduleChat':
      return text('scheduledChat.log.schedule', { title });
    case 'rescheduleChat':
      return text('scheduledChat.log.reschedule', { title });
    case 'cancelScheduledChat':
      return chat.occurrence === undefined
        ? text('scheduledChat.log.cancel', { title })
        : text('scheduledChat.log.cancelOccurrence', { title, occurrence: chat.occurrence });
    default:
      return undefined;
  }
}
