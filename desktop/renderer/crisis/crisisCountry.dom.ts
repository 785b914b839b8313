/**
 * The country whose crisis lines the panel shows. Chosen in the panel and kept in the page's
 * localStorage, like the language, so the first-run and unlock screens know it too (the vault is
 * not open there). Until one is chosen: the region of the browser's language ("en-GB": GB), else
 * of the system's locale as main reads it.
 */
import { useCallback, useState } from 'react';

const STORAGE_KEY = 'kindred.crisisCountry';
const COUNTRY = /^[A-Z]{2}$/u;

function storedCountry(): string | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored !== null && COUNTRY.test(stored)) return stored;
  } catch {
    // Storage refused: the default below still works.
  }
  return undefined;
}

/** The region a language tag names outright ("en-GB": GB; "en": none, no guessing). */
export function regionOfTag(tag: string): string | undefined {
  try {
    const region = new Intl.Locale(tag).region;
    return region !== undefined && COUNTRY.test(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

function browserCountry(): string | undefined {
  for (const tag of navigator.languages) {
    const region = regionOfTag(tag);
    if (region !== undefined) return region;
  }
  return undefined;
}

/** [the chosen or default country (undefined: none known), choose another]. */
export function useCrisisCountry(
  systemCountry: string | null | undefined,
): [string | undefined, (next: string) => void] {
  const [chosen, setChosen] = useState(storedCountry);
  const choose = useCallback((next: string) => {
    setChosen(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Kept for this session only.
    }
  }, []);
  return [chosen ?? browserCountry() ?? systemCountry ?? undefined, choose];
}
