import type { NotificationAbout } from '../api.std.js';
import type { MessageId } from './messages.std.js';
import { warningWords } from './warningWords.std.js';

/** Formats one of the window's messages in some language (react-intl's, or intl-messageformat's). */
export type Words = (id: MessageId, values?: Readonly<Record<string, string | number>>) => string;

/** A notification's title and body; the body is '' when it shows nothing of the message. */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

/**
 * A notification in words: a 1:1 one titled with the contact's name, a group's with the same
 * words for every group (it never names the group). The window words its own (notifications in a
 * browser); Electron's main process words the native ones with the same catalogue.
 */
export function notificationWords(words: Words, about: NotificationAbout): NotificationText {
  switch (about.kind) {
    case 'message':
      return { title: about.from, body: glanceWords(words, about.text, about.warning) };
    case 'group-message': {
      const glance = glanceWords(words, about.text, about.warning);
      return {
        title: words('notifications.groupTitle'),
        body: glance === '' ? '' : words('notifications.groupBody', { name: about.from, glance }),
      };
    }
    case 'message-request': {
      const glance = glanceWords(words, about.text, about.warning);
      return {
        title: words('requests.notify.title', { name: about.from }),
        body: glance,
      };
    }
    case 'group-report':
      return {
        title: words('notifications.groupTitle'),
        body:
          about.text === undefined ? '' : words('notifications.reported', { reason: about.text }),
      };
    case 'schedule-reminder':
      return {
        title: words('schedules.notify.title'),
        body:
          about.title === undefined || about.startsAt === undefined
            ? ''
            : words('schedules.notify.body', { title: about.title, time: about.startsAt }),
      };
  }
}

/** A message's text, or its content warning instead; '' when neither may be shown. */
function glanceWords(words: Words, text: string | undefined, warning: string | undefined): string {
  if (warning !== undefined) {
    return words('notifications.warned', { warning: warningWords(words, warning) });
  }
  return text ?? '';
}
