import { useEffect, useSyncExternalStore } from 'react';

/**
 * Which group is open on screen, if any, so the Get help now panel (which lives above every
 * screen) can add that group's pinned resources. Kept in memory only; cleared when the group's
 * screen closes, so a locked window or another conversation shows none.
 */
let openGroup: string | undefined;
const listeners = new Set<() => void>();

function setOpenGroup(conversationId: string | undefined): void {
  openGroup = conversationId;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Marks a group open while the calling screen shows it (undefined: not a group). */
export function useMarkOpenGroup(conversationId: string | undefined): void {
  useEffect(() => {
    if (conversationId === undefined) return undefined;
    setOpenGroup(conversationId);
    return () => {
      if (openGroup === conversationId) setOpenGroup(undefined);
    };
  }, [conversationId]);
}

/** The conversation id of the group open on screen, or undefined. */
export function useOpenGroup(): string | undefined {
  return useSyncExternalStore(subscribe, () => openGroup);
}
