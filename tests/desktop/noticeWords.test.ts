/**
 * The words the main process no longer builds: gaps, renewed sessions, timer changes, group
 * operations, not-delivered reasons, alerts and notifications travel as facts and are worded from
 * the catalogues. English must read exactly as it did when main built it (the UI tests find
 * elements by these words); the other languages must read in their own words.
 */
import { describe, expect, it } from 'vitest';
import { wordsIn, nativeNotificationText } from '../../desktop/main/notificationText.main.js';
import { noticeWords } from '../../desktop/renderer/conversation/noticeWords.dom.js';
import { timerWords } from '../../desktop/renderer/i18n/timerWords.dom.js';
import type { TextOf } from '../../desktop/renderer/i18n/LanguageProvider.dom.js';
import type { NoticeView } from '../../desktop/shared/api.std.js';
import type { Locale } from '../../desktop/shared/i18n/locales.std.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';

/** The catalogue of `locale`, formatted the way react-intl does (ICU MessageFormat). */
function textIn(locale: Locale): TextOf {
  const words = wordsIn(locale);
  return (id, values) =>
    words(
      id,
      values === undefined
        ? undefined
        : Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)])),
    );
}

/** `noticeWords` in `locale`. */
function worded(locale: Locale, notice: NoticeView): string {
  return noticeWords(textIn(locale), notice);
}

describe('notices in words', () => {
  it('read in English exactly as the main process used to build them', () => {
    const cases: readonly [NoticeView, string][] = [
      [{ kind: 'gap', missing: 0 }, 'Some messages arrived late; they are shown further down.'],
      [{ kind: 'gap', missing: 1 }, '1 message has not arrived.'],
      [{ kind: 'gap', missing: 3 }, '3 messages have not arrived.'],
      [{ kind: 'renewed' }, 'Secure session renewed (restored from a backup).'],
      [{ kind: 'renewed', who: 'you' }, 'Secure session renewed (you restored from a backup).'],
      [
        { kind: 'renewed', who: 'member', name: 'Ada in the circle' },
        'Secure session renewed (Ada in the circle restored from a backup).',
      ],
      [
        { kind: 'renewed', who: 'member' },
        'Secure session renewed (a member restored from a backup).',
      ],
      [
        { kind: 'timer', self: true, actor: 'Rowan', seconds: 300 },
        'You set disappearing messages to 5 minutes.',
      ],
      [
        { kind: 'timer', self: false, actor: 'Sky', seconds: 3 },
        'Sky set disappearing messages to 3 seconds.',
      ],
      [
        { kind: 'timer', self: false, actor: 'Sky', seconds: 5400 },
        'Sky set disappearing messages to 90 minutes.',
      ],
      [
        { kind: 'timer', self: false, actor: 'Sky', seconds: 1_209_600 },
        'Sky set disappearing messages to 2 weeks.',
      ],
      [
        { kind: 'timer', self: true, actor: 'Rowan', seconds: 0 },
        'You turned off disappearing messages.',
      ],
      [
        { kind: 'operation', action: 'create', actor: 'Ada in circle', reason: '' },
        'Ada in circle created the group.',
      ],
      [
        { kind: 'operation', action: 'mute', actor: 'Ada', target: 'Bo', reason: 'cool down' },
        'Ada muted Bo. Reason: cool down',
      ],
      [
        { kind: 'operation', action: 'ban', actor: '', target: '', reason: '' },
        'Someone banned someone.',
      ],
      [
        { kind: 'operation', action: 'timer', actor: 'Ana', reason: '', seconds: 86_400 },
        'Ana set disappearing messages to 1 day.',
      ],
      [
        { kind: 'operation', action: 'timer', actor: 'Ana', reason: '', seconds: 0 },
        'Ana turned off disappearing messages.',
      ],
      [{ kind: 'operation', action: 'request', actor: 'Cy', reason: '' }, 'Cy asked to join.'],
      [
        { kind: 'operation', action: 'unmute', actor: 'Ada', target: 'Bo', reason: '' },
        'Ada unmuted Bo.',
      ],
    ];
    for (const [notice, english] of cases) expect(worded('en', notice)).toBe(english);
  });

  it('read in Spanish, French, German and Arabic in their own words and plurals', () => {
    expect(worded('es', { kind: 'gap', missing: 3 })).toBe('3 mensajes no han llegado.');
    expect(worded('es', { kind: 'timer', self: false, actor: 'Sky', seconds: 300 })).toBe(
      'Sky puso los mensajes temporales en 5 minutos.',
    );
    expect(
      worded('es', {
        kind: 'operation',
        action: 'mute',
        actor: 'Ada',
        target: 'Bo',
        reason: 'calma',
      }),
    ).toBe('Ada silenció a Bo. Motivo: calma');
    expect(worded('fr', { kind: 'renewed', who: 'you' })).toContain('Session sécurisée renouvelée');
    expect(worded('de', { kind: 'gap', missing: 1 })).toBe('1 Nachricht ist nicht angekommen.');
    expect(timerWords(textIn('de'), 604_800)).toBe('1 Woche');
    expect(worded('ar', { kind: 'gap', missing: 2 })).toBe('لم تصل رسالتان.');
  });

  it('notifications word a group’s without its name, in the language asked for', () => {
    const en = wordsIn('en');
    expect(
      notificationWords(en, { kind: 'group-message', from: 'Ada', warning: 'Hard news' }),
    ).toStrictEqual({ title: 'New group message', body: 'Ada: Content warning: Hard news' });
    expect(notificationWords(en, { kind: 'group-report', text: 'spam' })).toStrictEqual({
      title: 'New group message',
      body: 'A message was reported: spam',
    });
    expect(notificationWords(en, { kind: 'message', from: 'Fay' })).toStrictEqual({
      title: 'Fay',
      body: '',
    });
    // A native notification that shows nothing of the message still says something.
    expect(nativeNotificationText({ kind: 'message', from: 'Fay' }, 'en').body).toBe('New message');
    expect(
      nativeNotificationText({ kind: 'group-message', from: 'Ada', text: 'hola' }, 'es'),
    ).toStrictEqual({ title: 'Nuevo mensaje en un grupo', body: 'Ada: hola' });
  });
});
