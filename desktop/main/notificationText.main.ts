import { IntlMessageFormat } from 'intl-messageformat';
import type { NotificationAbout } from '../shared/api.std.js';
import type { Locale } from '../shared/i18n/locales.std.js';
import { MESSAGES } from '../shared/i18n/messages.std.js';
import {
  notificationWords,
  type NotificationText,
  type Words,
} from '../shared/i18n/notificationWords.std.js';

/** The window's messages formatted in `locale` outside React (ICU plurals and all). */
export function wordsIn(locale: Locale): Words {
  return (id, values) => {
    const formatted = new IntlMessageFormat(MESSAGES[locale][id], locale).format(values);
    return typeof formatted === 'string' ? formatted : [formatted].flat().join('');
  };
}

/**
 * A native notification's words in `locale`, from the window's catalogue; one that shows nothing
 * of the message says "New message".
 */
export function nativeNotificationText(about: NotificationAbout, locale: Locale): NotificationText {
  const words = wordsIn(locale);
  const text = notificationWords(words, about);
  return text.body === '' ? { ...text, body: words('notifications.newMessage') } : text;
}
