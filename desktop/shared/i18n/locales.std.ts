/**
 * The languages the window speaks. English is the source: every other catalogue has exactly its
 * message ids (the compiler checks it; tests/desktop/catalogues.test.ts checks the wording's
 * placeholders). A locale is named here once, with the name people look for it by (its own
 * language's name) and the direction its text runs.
 */
export const LOCALES = {
  en: { name: 'English', direction: 'ltr' },
  es: { name: 'Español', direction: 'ltr' },
  fr: { name: 'Français', direction: 'ltr' },
  de: { name: 'Deutsch', direction: 'ltr' },
  ar: { name: 'العربية', direction: 'rtl' },
} as const;

export type Locale = keyof typeof LOCALES;

export const SOURCE_LOCALE: Locale = 'en';

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(LOCALES, value);
}

/**
 * The first of the person's preferred languages (BCP 47 tags, most wanted first, like
 * `navigator.languages`) that the window speaks, by its language subtag: `es-MX` → `es`. English
 * when none is spoken here.
 */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.trim().toLowerCase().split(/[-_]/u)[0] ?? '';
    if (isLocale(language)) return language;
  }
  return SOURCE_LOCALE;
}

/** The product's name, the same in every language. */
export const PRODUCT_NAME = 'Kindred';
