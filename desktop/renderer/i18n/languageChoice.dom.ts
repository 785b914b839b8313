/**
 * The window's language: the system's (the default: the first of `navigator.languages` the window
 * speaks) or one chosen in Settings. Like the theme, a preference of this app on this computer,
 * kept in the page's localStorage so the unlock screen speaks it too.
 */
import { useSyncExternalStore } from 'react';
import { isLocale, matchLocale, type Locale } from '../../shared/i18n/locales.std.js';

export type LanguageChoice = 'system' | Locale;

const STORAGE_KEY = 'kindred.language';

const listeners = new Set<() => void>();
let choice: LanguageChoice = storedChoice();

function storedChoice(): LanguageChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored !== null && isLocale(stored)) return stored;
  } catch {
    // Storage refused (a locked-down browser): the system's language still works.
  }
  return 'system';
}

/** The language the system asks for, among those the window speaks. */
export function systemLocale(): Locale {
  return matchLocale(navigator.languages);
}

/** Speaks `next` at once (no restart) and keeps it for the next start. */
export function chooseLanguage(next: LanguageChoice): void {
  choice = next;
  try {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Spoken for this session only.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // The system's languages can change while the window is open.
  addEventListener('languagechange', listener);
  return () => {
    listeners.delete(listener);
    removeEventListener('languagechange', listener);
  };
}

/** The choice in Settings, re-rendering when it changes. */
export function useLanguageChoice(): LanguageChoice {
  return useSyncExternalStore(subscribe, () => choice);
}

/** The language in force: the chosen one, or the system's. */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, () => (choice === 'system' ? systemLocale() : choice));
}
