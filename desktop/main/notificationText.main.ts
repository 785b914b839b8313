import { createIntl, createIntlCache } from 'react-intl';
import type { NotificationAbout } from '../shared/api.std.js';
import type { Locale } from '../shared/i18n/locales.std.js';
import { MESSAGES } from '../shared/i18n/messages.std.js';
import {
  notificationWords,
  type NotificationText,
  type Words,
} from '../shared/i18n/notificationWords.std.js';

const cache = createIntlCache();

/**
 * The window's messages formatted in `locale` outside React, by the same formatter the window
 * uses (react-intl's, without its components: ICU plurals and all).
 */
export function wordsIn(locale: Locale): Words {
  const intl = createIntl({ locale, messages: MESSAGES[locale] }, cache);
  return (id, values) => intl.formatMessage({ id }, values);
}

/**
 * A native notification's words in `locale`, from the window's catalogue; one that shows nothing
 * of the message says "New message".
 */
export function nativeNotificationText(about: NotificationAbout, locale: Locale): NotificationText {
  const words = wordsIn(locale);
  const text = notificationWords(words, about);
  // A reminder's title says what it is; a message's needs a body to say more than its sender.
  if (text.body !== '' || about.kind === 'schedule-reminder') return text;
  return { ...text, body: words('notifications.newMessage') };
}
