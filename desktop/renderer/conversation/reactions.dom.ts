import type { MessageId } from '../../shared/i18n/messages.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/** The small, gentle set of reactions offered (others' clients may send any emoji). */
export const REACTIONS: readonly { readonly emoji: string; readonly name: MessageId }[] = [
  { emoji: '❤️', name: 'message.reactionHeart' },
  { emoji: '🤗', name: 'message.reactionHug' },
  { emoji: '🙏', name: 'message.reactionThanks' },
  { emoji: '👍', name: 'message.reactionThumbsUp' },
  { emoji: '💪', name: 'message.reactionStrength' },
  { emoji: '😢', name: 'message.reactionSad' },
];

/** A reaction's name for screen readers; an emoji from outside the set is read as itself. */
export function reactionName(text: TextOf, emoji: string): string {
  const name = REACTIONS.find((reaction) => reaction.emoji === emoji)?.name;
  return name === undefined ? emoji : text(name);
}
