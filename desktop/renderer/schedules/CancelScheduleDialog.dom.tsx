import { useId, useState } from 'react';
import type { ConversationId, ScheduledChatItemView } from '../../shared/api.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { useScheduleTimes } from './scheduleTimes.dom.js';

/**
 * A moderator cancels a chat: a repeating one asks whether only its next (or running) date goes
 * or every date; a single one just asks to confirm.
 */
export function CancelScheduleDialog({
  conversationId,
  chat,
  onClose,
  onDone,
}: {
  conversationId: ConversationId;
  chat: ScheduledChatItemView;
  onClose: () => void;
  onDone: (words: string) => void;
}) {
  const api = useApi();
  const text = useText();
  const times = useScheduleTimes();
  const id = useId();
  const action = useAction();
  const repeats = chat.occurrences > 1;
  const [onlyNext, setOnlyNext] = useState(repeats);
  const when = times.start(chat.next.startsAt);

  return (
    <FormDialog
      title={text('schedules.cancel.title', { title: chat.title })}
      submitLabel={text('schedules.cancelChat')}
      submitDisabled={action.busy}
      error={action.error}
      danger
      onClose={onClose}
      onSubmit={() => {
        action.run(async () => {
          await api.call('schedules.cancel', {
            conversationId,
            chatId: chat.chatId,
            ...(onlyNext ? { occurrence: chat.next.occurrence } : {}),
          });
          onDone(
            onlyNext
              ? text('schedules.cancelledOne', { when })
              : text('schedules.cancelled', { title: chat.title }),
          );
        });
      }}
    >
      {repeats && (
        <fieldset className="fieldset">
          <legend className="field-label">{text('schedules.cancel.which')}</legend>
          <label className="check">
            <input
              type="radio"
              name={`${id}-which`}
              checked={onlyNext}
              onChange={() => {
                setOnlyNext(true);
              }}
            />
            {text('schedules.cancel.one', { when })}
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${id}-which`}
              checked={!onlyNext}
              onChange={() => {
                setOnlyNext(false);
              }}
            />
            {text('schedules.cancel.all')}
          </label>
        </fieldset>
      )}
      <p className="hint">{text('schedules.cancel.body')}</p>
    </FormDialog>
  );
}
