import type { MessageView } from '../../shared/api.std.js';
import type { AskedPromptView } from '../../shared/scheduledChatViews.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/** What a conversation's list shows, in order: day lines, messages, and asked prompts. */
export type ListEntry =
  | { readonly kind: 'day'; readonly label: string }
  | { readonly kind: 'message'; readonly message: MessageView }
  | { readonly kind: 'prompt'; readonly prompt: AskedPromptView };

/**
 * Messages and the prompts asked among them, each prompt before the first message sent after
 * it, with a quiet "Today" / "Monday 3 March" line where the day changes.
 */
export function withDayDividers(
  messages: readonly MessageView[],
  text: TextOf,
  locale: string,
  prompts: readonly AskedPromptView[] = [],
): ListEntry[] {
  const dayFormat = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });
  const entries: ListEntry[] = [];
  let lastDay = '';
  const today = new Date().toDateString();
  const yesterday = new Date(Date.now() - 86_400_000).toDateString();
  const push = (entry: Exclude<ListEntry, { kind: 'day' }>, at: number) => {
    const day = new Date(at).toDateString();
    if (day !== lastDay) {
      lastDay = day;
      const label =
        day === today
          ? text('conversation.today')
          : day === yesterday
            ? text('conversation.yesterday')
            : dayFormat.format(at);
      entries.push({ kind: 'day', label });
    }
    entries.push(entry);
  };
  let next = 0;
  for (const message of messages) {
    for (; next < prompts.length && (prompts[next]?.askedAt ?? 0) <= message.sentAt; next++) {
      const prompt = prompts[next];
      if (prompt !== undefined) push({ kind: 'prompt', prompt }, prompt.askedAt);
    }
    push({ kind: 'message', message }, message.sentAt);
  }
  for (const prompt of prompts.slice(next)) push({ kind: 'prompt', prompt }, prompt.askedAt);
  return entries;
}
