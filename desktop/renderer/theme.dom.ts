/**
 * The window's theme: light, dark, or the system's (the default). The choice is a preference of
 * this app on this computer, not of a vault: it is kept in the page's localStorage, so the
 * unlock screen already wears it, and it says nothing about anyone. `<html data-theme>` carries
 * the theme in force ('light' or 'dark'); styles/base.css and styles/theme.css read it.
 */
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The choices in Settings, in the order shown. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'kindred.theme';
const SYSTEM_DARK = '(prefers-color-scheme: dark)';

let choice: ThemeChoice = 'system';
const listeners = new Set<() => void>();

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

function apply(): void {
  const dark = choice === 'dark' || (choice === 'system' && matchMedia(SYSTEM_DARK).matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/**
 * Reads the stored choice, applies it, and follows the system's changes while the choice is
 * "system". Called once, before the first render.
 */
export function startTheme(): void {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isThemeChoice(stored)) choice = stored;
  } catch {
    // Storage refused (a locked-down browser): the default, the system's theme, still works.
  }
  apply();
  matchMedia(SYSTEM_DARK).addEventListener('change', apply);
}

/** Applies a new choice at once (no restart) and keeps it for the next start. */
export function chooseTheme(next: ThemeChoice): void {
  choice = next;
  apply();
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Applied for this session only; nothing else depends on it being kept.
  }
  for (const listener of listeners) listener();
}

/** The current choice, re-rendering when it changes. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    () => choice,
  );
}
