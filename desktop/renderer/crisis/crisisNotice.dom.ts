/**
 * The optional crisis-language notice: off unless turned on in Settings (kept in the page's
 * localStorage, a preference of this app on this computer). When on, a draft holding one of
 * CRISIS_PHRASES gently offers the "Get help now" panel, once: after it is dismissed (or the
 * panel opened) it is not offered again in that conversation for REPEAT_AFTER_MS. Which
 * conversations were offered lives in memory only: nothing is logged, stored or sent.
 */
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'kindred.crisisNotice';
/** How long a dismissed offer stays quiet in its conversation. */
export const REPEAT_AFTER_MS = 12 * 60 * 60 * 1000;

const listeners = new Set<() => void>();
let on = storedChoice();
const quietUntil = new Map<string, number>();

function storedChoice(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function setCrisisNotice(next: boolean): void {
  on = next;
  try {
    if (next) localStorage.setItem(STORAGE_KEY, 'on');
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // On for this session only.
  }
  for (const listener of listeners) listener();
}

export function useCrisisNoticeOn(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => on,
  );
}

/** Whether the offer may show in this conversation now (not dismissed there lately). */
export function mayOffer(conversationId: string, now: number = Date.now()): boolean {
  return (quietUntil.get(conversationId) ?? 0) <= now;
}

export function quietOffer(conversationId: string, now: number = Date.now()): void {
  quietUntil.set(conversationId, now + REPEAT_AFTER_MS);
}
