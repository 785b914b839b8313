import { useCallback } from 'react';
import type { NoticeView, OperationAction } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { timerWords } from '../i18n/timerWords.dom.js';

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
  topicCreate: 'topics.noticeCreate',
  topicRename: 'topics.noticeRename',
  topicClose: 'topics.noticeClose',
  topicReopen: 'topics.noticeReopen',
  topicMove: 'topics.noticeMove',
};

/** A gap's or a notice's line in `text`'s language, from the facts main sent. */
export function noticeWords(text: TextOf, notice: NoticeView): string {
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
          : text('notices.timerYou', { duration: timerWords(text, notice.seconds) });
      }
      return timerSentence(text, notice.actor, notice.seconds);
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
          ? timerSentence(text, actor, notice.seconds ?? 0)
          : text(OPERATION_WORDS[notice.action], {
              actor,
              target,
              topic: topicWords(text, notice),
            });
      return notice.reason === ''
        ? sentence
        : text('notices.withReason', { sentence, reason: notice.reason });
    }
  }
}

/** A topic operation's topic as the reader sees it: General translated, an unknown one vague. */
function topicWords(text: TextOf, notice: { topic?: string; general?: boolean }): string {
  if (notice.general === true) return text('topics.general');
  return notice.topic === undefined || notice.topic === ''
    ? text('topics.noticeSomeTopic')
    : notice.topic;
}

function timerSentence(text: TextOf, actor: string, seconds: number): string {
  return seconds === 0
    ? text('notices.timerOff', { actor })
    : text('notices.timer', { actor, duration: timerWords(text, seconds) });
}

/** {@link noticeWords} in the window's language. */
export function useNoticeWords(): (notice: NoticeView) => string {
  const text = useText();
  return useCallback((notice) => noticeWords(text, notice), [text]);
}
