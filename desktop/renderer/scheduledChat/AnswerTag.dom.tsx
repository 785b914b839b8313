import type { ScheduleAnswerTagView } from '../../shared/scheduledChatViews.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

/** The "A2" mark of a message that answers a scheduled chat's prompt, shown to every member. */
export function AnswerTag({ answer }: { answer: ScheduleAnswerTagView | undefined }) {
  const text = useText();
  if (answer === undefined) return null;
  return (
    <span className="tag tag-answer">
      <span aria-hidden="true">{text('scheduledChat.answerTag', { number: answer.prompt })}</span>
      <span className="visually-hidden">
        {text('scheduledChat.answerTagLabel', { number: answer.prompt })}
      </span>
    </span>
  );
}
