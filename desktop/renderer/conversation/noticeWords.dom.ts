import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { NoticeView, OperationAction } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';

/** Each group operation's sentence (`timer` is worded like a 1:1 timer change). */
const OPERATION_WORDS: Readonly<Record<Exclude<OperationAction, 'timer'>, MessageId>> = {
  create: 'notices.create',
  join: 'notices.join',
  request: 'notices.request',
  approve: 'notices.approve',
  deny: 'notices.deny',
  leave: 'notices.leave',
  remove: 'notices.remove',
  ban: 'notices.ban',
  unban: 'notices.unban',
  promote: 'notices.promote',
  demote: 'notices.demote',
  transferOwnership: 'notices.transferOwnership',
  mute: 'notices.mute',
  unmute: 'notices.unmute',
  pin: 'notices.pin',
  unpin: 'notices.unpin',
  deleteMessage: 'notices.deleteMessage',
  setInfo: 'notices.setInfo',
  setPolicy: 'notices.setPolicy',
};

/** A timer's length by the largest unit that divides it ("1 week", "90 minutes"), like core's. */
const TIMER_UNITS = [
  [7 * 86_400, 'week'],
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
] as const;

export function timerDuration(seconds: number, locale: string): string {
  const [size, unit] = TIMER_UNITS.find(([length]) => seconds % length === 0) ?? [1, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(
    seconds / size,
  );
}

/** A gap's or a notice's line in `text`'s language, from the facts main sent. */
export function noticeWords(text: TextOf, locale: string, notice: NoticeView): string {
  switch (notice.kind) {
    case 'gap':
      return notice.missing === 0
        ? text('notices.arrivedLate')
        : text('notices.notArrived', { count: notice.missing });
    case 'renewed':
      if (notice.who === undefined) return text('notices.renewed');
      if (notice.who === 'you') return text('notices.renewedYou');
      return notice.name === undefined
        ? text('notices.renewedSomeone')
        : text('notices.renewedMember', { name: notice.name });
    case 'timer':
      if (notice.self) {
        return notice.seconds === 0
          ? text('notices.timerOffYou')
          : text('notices.timerYou', { duration: timerDuration(notice.seconds, locale) });
      }
      return timerSentence(text, locale, notice.actor, notice.seconds);
    case 'operation': {
      const actor = notice.actor === '' ? text('notices.someoneActor') : notice.actor;
      const target =
        notice.target === undefined
          ? ''
          : notice.target === ''
            ? text('notices.someoneTarget')
            : notice.target;
      const sentence =
        notice.action === 'timer'
          ? timerSentence(text, locale, actor, notice.seconds ?? 0)
          : text(OPERATION_WORDS[notice.action], { actor, target });
      return notice.reason === ''
        ? sentence
        : text('notices.withReason', { sentence, reason: notice.reason });
    }
  }
}

function timerSentence(text: TextOf, locale: string, actor: string, seconds: number): string {
  return seconds === 0
    ? text('notices.timerOff', { actor })
    : text('notices.timer', { actor, duration: timerDuration(seconds, locale) });
}

/** {@link noticeWords} in the window's language. */
export function useNoticeWords(): (notice: NoticeView) => string {
  const text = useText();
  const { locale } = useIntl();
  return useCallback((notice) => noticeWords(text, locale, notice), [text, locale]);
}
