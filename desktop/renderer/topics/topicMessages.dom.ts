import type { MessageView, TopicView } from '../../shared/api.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/**
 * Which of a group's messages the open topic shows: those in it now that start no thread reply
 * (replies live in their thread's panel). Notices of the moderation log are shown in General.
 */
export function messagesInTopic(messages: readonly MessageView[], topic: string): MessageView[] {
  return messages.filter((message) =>
    message.kind === 'message'
      ? message.threadRoot === undefined && (message.topic ?? '') === topic
      : topic === '',
  );
}

/** How many replies each thread root has (hex id → count). */
export function replyCounts(messages: readonly MessageView[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.threadRoot === undefined) continue;
    counts.set(message.threadRoot, (counts.get(message.threadRoot) ?? 0) + 1);
  }
  return counts;
}

/** A thread's replies in the order they were stored (the order the list already has). */
export function repliesTo(messages: readonly MessageView[], root: string): MessageView[] {
  return messages.filter((message) => message.threadRoot === root);
}

/** A topic's name as the window shows it: General translated, a name we cannot open vague. */
export function topicName(text: TextOf, topic: TopicView): string {
  if (topic.general) return text('topics.general');
  return topic.name === '' ? text('topics.unnamed') : topic.name;
}
