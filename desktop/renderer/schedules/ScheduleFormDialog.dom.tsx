import { useId, useRef, useState } from 'react';
import type { ConversationId, ScheduledChatItemView } from '../../shared/api.std.js';
import { SCHEDULE_LIMITS } from '../../shared/scheduleViews.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import {
  checkDraft,
  draftOf,
  newDraft,
  type DraftProblem,
  type PromptDraft,
  type ScheduleDraft,
} from './scheduleDraft.dom.js';
import { useScheduleTimes } from './scheduleTimes.dom.js';

/**
 * A moderator's form for a new chat, or for rescheduling `chat` (filled with its next date): title,
 * local date and start time, length, how many weekly dates, and the numbered questions with their
 * minutes. A problem shows under its field once the person tried to send; core's coded errors
 * (CORE_SCHEDULE_INVALID, CORE_GROUP_FORBIDDEN…) show above the buttons in the error words.
 */
export function ScheduleFormDialog({
  conversationId,
  chat,
  onClose,
  onDone,
}: {
  conversationId: ConversationId;
  chat?: ScheduledChatItemView | undefined;
  onClose: () => void;
  /** What to tell the person once it is saved. */
  onDone: (words: string) => void;
}) {
  const api = useApi();
  const text = useText();
  const times = useScheduleTimes();
  const id = useId();
  const action = useAction();
  const [draft, setDraft] = useState<ScheduleDraft>(() =>
    chat === undefined ? newDraft(Date.now()) : draftOf(chat),
  );
  const [tried, setTried] = useState(false);
  const nextKey = useRef(draft.prompts.length);
  const next = chat?.next.occurrence ?? 1;
  const outcome = checkDraft(draft, { now: Date.now(), next });
  const problem = tried && !outcome.ok ? outcome.problem : undefined;

  const change = (fields: Partial<ScheduleDraft>) => {
    setDraft((previous) => ({ ...previous, ...fields }));
  };
  const changePrompt = (key: number, fields: Partial<PromptDraft>) => {
    setDraft((previous) => ({
      ...previous,
      prompts: previous.prompts.map((p) => (p.key === key ? { ...p, ...fields } : p)),
    }));
  };
  /** The ids and state a field with a problem carries, so the problem is read with it. */
  const invalid = (field: DraftProblem['field']) =>
    problem?.field === field
      ? { 'aria-invalid': true, 'aria-describedby': `${id}-problem` }
      : { 'aria-invalid': false };
  const problemHere = (field: DraftProblem['field']) =>
    problem?.field === field ? (
      <p id={`${id}-problem`} className="field-problem" role="alert">
        {text(problem.id, problem.values)}
      </p>
    ) : null;

  return (
    <FormDialog
      title={
        chat === undefined
          ? text('schedules.new')
          : text('schedules.form.rescheduleTitle', { title: chat.title })
      }
      submitLabel={
        chat === undefined ? text('schedules.form.submitNew') : text('schedules.form.submitSave')
      }
      submitDisabled={action.busy}
      error={action.error}
      size="wide"
      onClose={onClose}
      onSubmit={() => {
        setTried(true);
        if (!outcome.ok) return;
        const details = outcome.details;
        action.run(async () => {
          if (chat === undefined) {
            await api.call('schedules.create', { conversationId, ...details });
            onDone(text('schedules.created', { title: details.title }));
          } else {
            await api.call('schedules.reschedule', {
              conversationId,
              chatId: chat.chatId,
              ...details,
            });
            onDone(text('schedules.rescheduled', { title: details.title }));
          }
        });
      }}
    >
      {chat !== undefined && <p className="hint">{text('schedules.form.rescheduleHint')}</p>}
      <div className="field-group">
        <TextField
          label={text('schedules.form.title')}
          value={draft.title}
          maxLength={SCHEDULE_LIMITS.titleLength}
          autoFocus
          onChange={(title) => {
            change({ title });
          }}
          {...invalid('title')}
        />
        {problemHere('title')}
      </div>
      <div className="field-group">
        <div className="field-row">
          <TextField
            label={text('schedules.form.date')}
            type="date"
            value={draft.date}
            hint={text('schedules.form.zoneHint', { zone: times.zone })}
            onChange={(date) => {
              change({ date });
            }}
            {...invalid('start')}
          />
          <TextField
            label={text('schedules.form.start')}
            type="time"
            value={draft.time}
            onChange={(time) => {
              change({ time });
            }}
            {...invalid('start')}
          />
        </div>
        {problemHere('start')}
      </div>
      <div className="field-group">
        <div className="field-row">
          <TextField
            label={text('schedules.form.duration')}
            type="number"
            inputMode="numeric"
            min={1}
            max={SCHEDULE_LIMITS.durationMinutes}
            value={draft.duration}
            onChange={(duration) => {
              change({ duration });
            }}
            {...invalid('duration')}
          />
          <TextField
            label={text('schedules.form.times')}
            type="number"
            inputMode="numeric"
            min={next}
            max={SCHEDULE_LIMITS.occurrences}
            value={draft.times}
            hint={text('schedules.form.timesHint')}
            onChange={(count) => {
              change({ times: count });
            }}
            {...invalid('times')}
          />
        </div>
        {problemHere('duration')}
        {problemHere('times')}
      </div>
      <fieldset className="fieldset" aria-describedby={`${id}-questions-hint`}>
        <legend className="field-label">{text('schedules.form.questions')}</legend>
        <p id={`${id}-questions-hint`} className="hint">
          {text('schedules.form.questionsHint')}
        </p>
        <ol className="schedule-question-rows">
          {draft.prompts.map((prompt, index) => {
            const number = index + 1;
            return (
              <li key={prompt.key} className="schedule-question-row">
                <div className="field-row">
                  <TextField
                    label={text('schedules.form.questionOffset', { number })}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    value={prompt.offset}
                    onChange={(offset) => {
                      changePrompt(prompt.key, { offset });
                    }}
                    {...invalid(`prompt-${index}`)}
                  />
                  <TextField
                    label={text('schedules.form.questionText', { number })}
                    value={prompt.text}
                    maxLength={SCHEDULE_LIMITS.promptLength}
                    layout="grow"
                    onChange={(value) => {
                      changePrompt(prompt.key, { text: value });
                    }}
                    {...invalid(`prompt-${index}`)}
                  />
                  <button
                    type="button"
                    className="icon-button schedule-question-remove"
                    aria-label={text('schedules.form.removeQuestion', { number })}
                    onClick={() => {
                      setDraft((previous) => ({
                        ...previous,
                        prompts: previous.prompts.filter((p) => p.key !== prompt.key),
                      }));
                    }}
                  >
                    <Icon name="close" />
                  </button>
                </div>
                {problemHere(`prompt-${index}`)}
              </li>
            );
          })}
        </ol>
        {draft.prompts.length < SCHEDULE_LIMITS.prompts && (
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft((previous) => {
                  const last = previous.prompts.at(-1);
                  // The next question ten minutes after the last, as hosts usually pace them.
                  const lastOffset = Number(last?.offset ?? Number.NaN);
                  const offset = Number.isFinite(lastOffset) ? String(lastOffset + 10) : '0';
                  const key = nextKey.current;
                  nextKey.current += 1;
                  return {
                    ...previous,
                    prompts: [...previous.prompts, { key, text: '', offset }],
                  };
                });
              }}
            >
              {text('schedules.form.addQuestion')}
            </button>
          </div>
        )}
      </fieldset>
    </FormDialog>
  );
}
