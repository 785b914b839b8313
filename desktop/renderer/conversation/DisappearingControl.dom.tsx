import { useId, useState } from 'react';
import { useIntl } from 'react-intl';
import type { ConversationId } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { timerParts, timerWords } from '../i18n/timerWords.dom.js';
import { describeError, useApi, useLoad } from '../kindredContext.dom.js';

/**
 * The header's "Disappearing messages" control, the same for 1:1 chats and groups: a choice of
 * Off and 5 minutes .. 4 weeks for whoever may change it (either side of a 1:1 chat, a group's
 * moderators), the current timer in words for everyone else. The change shows in the timeline.
 */
export function DisappearingControl({
  conversationId,
  revision,
  onNotice,
}: {
  conversationId: ConversationId;
  revision: number;
  /** A sentence for the pane to show: what changed, or why it could not. */
  onNotice: (text: string, error: boolean) => void;
}) {
  const api = useApi();
  const text = useText();
  const intl = useIntl();
  const id = useId();
  const timer = useLoad(`timer:${conversationId}`, revision, () =>
    api.call('conversations.timer', { conversationId }),
  );
  const [busy, setBusy] = useState(false);
  const current = timer.data;
  if (current === undefined) return null;

  if (!current.canChange) {
    return (
      <p className="timer-control" aria-live="polite">
        <Icon name="timer" />
        <span>
          {intl.formatMessage(
            { id: 'timers.current' },
            { timer: <strong key="timer">{timerWords(text, current.seconds)}</strong> },
          )}
        </span>
      </p>
    );
  }

  const choose = (seconds: number) => {
    if (seconds === current.seconds) return;
    setBusy(true);
    api.call('conversations.setTimer', { conversationId, seconds }).then(
      (set) => {
        setBusy(false);
        timer.reload();
        onNotice(
          set.seconds === 0
            ? text('timers.turnedOff')
            : text('timers.set', timerParts(set.seconds)),
          false,
        );
      },
      (error: unknown) => {
        setBusy(false);
        onNotice(describeError(error), true);
      },
    );
  };

  return (
    <div className="timer-control">
      <Icon name="timer" />
      <label htmlFor={id}>{text('timers.label')}</label>
      <select
        id={id}
        className="input timer-select"
        value={current.seconds}
        disabled={busy}
        onChange={(event) => {
          choose(Number(event.target.value));
        }}
      >
        {current.choices.map((choice) => (
          <option key={choice.seconds} value={choice.seconds}>
            {timerWords(text, choice.seconds)}
          </option>
        ))}
      </select>
    </div>
  );
}
