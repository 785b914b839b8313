import type { MessageView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { formatFullTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

/** Between the warning's kind and its words (kept out of JSX text, which is for words). */
const SPACE = ' ';

/**
 * A message under a content warning, covered: the warning and a Reveal button. The view holds no
 * text (the main process withholds it until revealed), so there is nothing else to show.
 */
export function MessageCover({
  message,
  onReveal,
}: {
  message: MessageView;
  onReveal: (message: MessageView) => void;
}) {
  const text = useText();
  return (
    <div className="message-cover">
      <Icon name="warning" />
      <p className="message-cover-text">
        <span className="message-cover-kind">{text('delivery.warningKind')}</span>
        {SPACE}
        <span className="message-cover-label">{warningWords(text, message.warning ?? '')}</span>
      </p>
      <button
        type="button"
        className="button message-cover-reveal"
        onClick={() => {
          onReveal(message);
        }}
      >
        {text('delivery.reveal')}
      </button>
    </div>
  );
}

/** On a revealed message: which warning it had, and a way to cover it again. */
export function RevealedWarning({
  message,
  onCover,
}: {
  message: MessageView;
  onCover: (message: MessageView) => void;
}) {
  const text = useText();
  return (
    <p className="message-revealed">
      <Icon name="warning" />
      <span>
        {text('delivery.revealedWarning', { warning: warningWords(text, message.warning ?? '') })}
      </span>
      <button
        type="button"
        className="button button-quiet message-cover-again"
        onClick={() => {
          onCover(message);
        }}
      >
        {text('delivery.coverAgain')}
      </button>
    </p>
  );
}

/** The small mark on a message under a disappearing timer: when it leaves this device. */
export function TimerMark({ expiresAt }: { expiresAt: number }) {
  const text = useText();
  const when = text('delivery.disappears', { time: formatFullTime(expiresAt) });
  return (
    <span className="tag tag-timer" title={when}>
      <Icon name="timer" />
      <span className="visually-hidden">{when}</span>
    </span>
  );
}
