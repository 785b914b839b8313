import { useLayoutEffect } from 'react';
import type { ApiErrorDetails } from '../../shared/api.std.js';
import { MESSAGES, type MessageId } from '../../shared/i18n/messages.std.js';
import type { TextOf } from './LanguageProvider.dom.js';

/**
 * The words of an error in the window's language, by its code (errors.std.ts).
 *
 * describeError is a plain function called from dozens of places, many of them outside a
 * component's render (load and action callbacks, effects), where no hook can reach react-intl.
 * So the LanguageProvider registers its formatter here whenever the language changes, and
 * describeError reads the one in force: its signature, and so all its callers, stay as they were.
 */
let current: TextOf | undefined;

/** Makes `text` the formatter errors are worded with (undefined: main's words as they came). */
export function setErrorFormatter(text: TextOf | undefined): void {
  current = text;
}

/** Called inside the IntlProvider: keeps its formatter as the one errors are worded with. */
export function useErrorWordsFormatter(text: TextOf): void {
  // A layout effect runs before any passive effect of the same commit, so a load that fails in
  // the first effects already finds the formatter.
  useLayoutEffect(() => {
    setErrorFormatter(text);
  }, [text]);
}

/**
 * The catalogue id of an error code (ids are camel case): CORE_GROUP_FULL → errors.coreGroupFull,
 * and with `area` 'named', errors.named.coreGroupFull.
 */
export function errorId(code: string, area?: 'named'): string {
  const [first = '', ...rest] = code.toLowerCase().split('_');
  const name = first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return area === undefined ? `errors.${name}` : `errors.${area}.${name}`;
}

/** Has the catalogue words for `id`? (ids come from main, so they are checked, not assumed). */
function known(id: string): id is MessageId {
  return Object.hasOwn(MESSAGES.en, id);
}

/**
 * The message for an error that came with `code` and `details` from main; `fallback` (main's
 * English) for a code the catalogue does not know, or before any language is registered.
 */
export function wordError(code: string, details: ApiErrorDetails, fallback: string): string {
  const text = current;
  if (text === undefined) return fallback;
  if (details.name !== undefined) {
    const named = errorId(code, 'named');
    if (known(named)) return text(named, { name: details.name });
  }
  if (details.relayCode !== undefined) {
    const relay = errorId(details.relayCode);
    if (known(relay)) return text(relay);
    return text('errors.relayRefused', { relayCode: details.relayCode });
  }
  const plain = errorId(code);
  return known(plain) ? text(plain) : fallback;
}

/** The words for a failure that is not an API error at all. */
export function wordUnknownError(): string {
  return current === undefined ? MESSAGES.en['errors.unknown'] : current('errors.unknown');
}
