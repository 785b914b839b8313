type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `message` with `reactor`'s reaction set to `emoji`, or taken back when `emoji` is ''. One
 * reaction per reactor: a new one replaces theirs. `reactions` is left out when none remain, so a
 * message nobody reacted to looks as it did before reactions existed.
 */
export function withReaction<T extends { readonly reactions?: Readonly<Record<string, string>> }>(
  message: T,
  reactor: string,
  emoji: string,
): T {
  const reactions: Record<string, string> = Object.fromEntries(
    Object.entries(message.reactions ?? {}).filter(([who]) => who !== reactor),
  );
  if (emoji !== '') reactions[reactor] = emoji;
  const updated: Mutable<T> = { ...message, reactions };
  if (Object.keys(reactions).length === 0) delete updated.reactions;
  return updated;
}
