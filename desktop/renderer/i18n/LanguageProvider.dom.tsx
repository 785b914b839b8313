import { useCallback, useEffect, type ReactNode } from 'react';
import { IntlProvider, useIntl, type PrimitiveType } from 'react-intl';
import { LOCALES, SOURCE_LOCALE } from '../../shared/i18n/locales.std.js';
import { MESSAGES, type MessageId } from '../../shared/i18n/messages.std.js';
import { useErrorWordsFormatter } from './errorWords.dom.js';
import { setFormattingLocale } from '../formatting.dom.js';
import { useLocale } from './languageChoice.dom.js';

/**
 * Speaks the language in force (the system's, or the one chosen in Settings) to everything below it (react-intl, so plurals, numbers and dates follow that
 * language's rules) and turns the page to it: `<html lang dir>`, which screen readers use to pick
 * a voice and the layout uses to run right to left.
 */
export function LanguageProvider({ children }: { children: ReactNode }) {
  const locale = useLocale();
  // Before the children render, so their dates and durations read in this language too.
  setFormattingLocale(locale);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = LOCALES[locale].direction;
  }, [locale]);
  return (
    <IntlProvider
      locale={locale}
      defaultLocale={SOURCE_LOCALE}
      messages={MESSAGES[locale]}
      onError={reportError}
    >
      <ErrorWords />
      {children}
    </IntlProvider>
  );
}

/** Fills a message's placeholders ({name}, {count, plural, …}). */
export type MessageValues = Readonly<Record<string, PrimitiveType>>;

/** Formats the window's messages in the current language: `text('search.title')`. */
export type TextOf = (id: MessageId, values?: MessageValues) => string;

export function useText(): TextOf {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}

/** Lends the current formatter to describeError, which is no hook (errorWords.dom.ts says why). */
function ErrorWords() {
  useErrorWordsFormatter(useText());
  return null;
}
