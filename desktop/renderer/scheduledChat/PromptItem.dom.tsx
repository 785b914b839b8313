import type { AskedPromptView } from '../../shared/scheduledChatViews.std.js';
import { formatFullTime, formatMessageTime, isoTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { promptKey } from './useScheduledPrompts.dom.js';

/** A space between two inline parts (kept out of JSX text, which is for translated words). */
const SPACE = ' ';

/**
 * A scheduled chat's prompt in the group's messages, at the instant it was asked: a highlighted
 * host message ("Q2 · Ana · host"), its lead read first by screen readers so it is never taken
 * for an ordinary member's message.
 */
export function PromptItem({ prompt }: { prompt: AskedPromptView }) {
  const text = useText();
  const headingId = `prompt-${promptKey(prompt).replaceAll('/', '-')}`;
  return (
    <li className="message scheduled-prompt">
      <article className="scheduled-prompt-bubble" aria-labelledby={headingId}>
        <header className="message-meta">
          <h3 id={headingId} className="scheduled-prompt-heading">
            <span className="visually-hidden">
              {text('scheduledChat.promptLead', { number: prompt.number, title: prompt.title })}
              {SPACE}
            </span>
            <span className="scheduled-prompt-badge" aria-hidden="true">
              {text('scheduledChat.promptBadge', { number: prompt.number })}
            </span>
            <span className="scheduled-prompt-host">
              {prompt.hostPseudonym === ''
                ? text('scheduledChat.someHost')
                : text('scheduledChat.host', { host: prompt.hostPseudonym })}
            </span>
          </h3>
          <time
            className="message-time"
            dateTime={isoTime(prompt.askedAt)}
            title={formatFullTime(prompt.askedAt)}
          >
            {formatMessageTime(prompt.askedAt)}
          </time>
          <span className="scheduled-prompt-title">{prompt.title}</span>
        </header>
        <p className="scheduled-prompt-text" dir="auto">
          {prompt.text}
        </p>
      </article>
    </li>
  );
}
