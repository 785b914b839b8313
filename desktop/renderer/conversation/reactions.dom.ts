/** The small, gentle set of reactions offered (others' clients may send any emoji). */
export const REACTIONS: readonly { readonly emoji: string; readonly name: string }[] = [
  { emoji: '❤️', name: 'Heart' },
  { emoji: '🤗', name: 'Hug' },
  { emoji: '🙏', name: 'Thank you' },
  { emoji: '👍', name: 'Thumbs up' },
  { emoji: '💪', name: 'Strength' },
  { emoji: '😢', name: 'Sad' },
];

/** A reaction's name for screen readers; an emoji from outside the set is read as itself. */
export function reactionName(emoji: string): string {
  return REACTIONS.find((reaction) => reaction.emoji === emoji)?.name ?? emoji;
}
