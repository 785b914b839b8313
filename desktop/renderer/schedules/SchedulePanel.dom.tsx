import { useEffect, useId, useState } from 'react';
import type { GroupView, ScheduledChatItemView } from '../../shared/api.std.js';
import { REMINDER_CHOICES } from '../../shared/scheduleViews.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useConversationRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { CancelScheduleDialog } from './CancelScheduleDialog.dom.js';
import { ScheduleFormDialog } from './ScheduleFormDialog.dom.js';
import { useScheduleTimes, type ScheduleTimes } from './scheduleTimes.dom.js';

const SPACE = ' ';

/** How often the list is read again, so "now" and the next date follow the clock. */
const REFRESH_MS = 60_000;

type PanelDialog =
  | { readonly kind: 'new' }
  | { readonly kind: 'reschedule'; readonly chat: ScheduledChatItemView }
  | { readonly kind: 'cancel'; readonly chat: ScheduledChatItemView };

/**
 * A group's scheduled chats on its page (docs/groups.md "Scheduled chats"): each upcoming one
 * with its host, its next date in the viewer's zone, its questions and this device's "Remind me";
 * moderators also schedule, reschedule and cancel here.
 */
export function SchedulePanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const times = useScheduleTimes();
  const conversationId = group.conversationId;
  const revision = useConversationRevision(conversationId);
  const chats = useLoad(`schedules:${conversationId}`, revision, () =>
    api.call('schedules.upcoming', { conversationId }),
  );
  const [dialog, setDialog] = useState<PanelDialog | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  // As GroupScreen's moderates(), which this panel cannot import (GroupScreen imports it).
  const canModerate =
    group.status === 'active' && (group.role === 'owner' || group.role === 'moderator');

  const reload = chats.reload;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [reload]);

  const done = (words: string) => {
    setDialog(undefined);
    setNotice(words);
    announce(words);
    reload();
  };

  return (
    <section aria-labelledby="schedules-title" className="schedule-panel">
      <h2 id="schedules-title" className="panel-title">
        {text('schedules.tab')}
      </h2>
      <p className="hint">{text('schedules.intro', { zone: times.zone })}</p>
      {canModerate && (
        <div className="panel-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDialog({ kind: 'new' });
            }}
          >
            {text('schedules.new')}
          </button>
        </div>
      )}
      {notice !== undefined && <p className="status-line">{notice}</p>}
      <ErrorText error={chats.error} />
      {chats.data === undefined && chats.error === undefined && (
        <p className="hint">{text('schedules.loading')}</p>
      )}
      {chats.data?.length === 0 && <p className="hint">{text('schedules.none')}</p>}
      {chats.data !== undefined && chats.data.length > 0 && (
        <>
          <p className="hint">{text('schedules.remindHint')}</p>
          <ul className="rows schedule-list" aria-label={text('schedules.listLabel')}>
            {chats.data.map((chat) => (
              <ScheduledChatRow
                key={chat.chatId}
                conversationId={conversationId}
                chat={chat}
                times={times}
                canModerate={canModerate}
                onNotice={(words) => {
                  setNotice(words);
                  announce(words);
                  reload();
                }}
                onReschedule={() => {
                  setDialog({ kind: 'reschedule', chat });
                }}
                onCancel={() => {
                  setDialog({ kind: 'cancel', chat });
                }}
              />
            ))}
          </ul>
        </>
      )}
      {dialog?.kind === 'new' && (
        <ScheduleFormDialog
          conversationId={conversationId}
          onClose={() => {
            setDialog(undefined);
          }}
          onDone={done}
        />
      )}
      {dialog?.kind === 'reschedule' && (
        <ScheduleFormDialog
          conversationId={conversationId}
          chat={dialog.chat}
          onClose={() => {
            setDialog(undefined);
          }}
          onDone={done}
        />
      )}
      {dialog?.kind === 'cancel' && (
        <CancelScheduleDialog
          conversationId={conversationId}
          chat={dialog.chat}
          onClose={() => {
            setDialog(undefined);
          }}
          onDone={done}
        />
      )}
    </section>
  );
}

function ScheduledChatRow({
  conversationId,
  chat,
  times,
  canModerate,
  onNotice,
  onReschedule,
  onCancel,
}: {
  conversationId: string;
  chat: ScheduledChatItemView;
  times: ScheduleTimes;
  canModerate: boolean;
  onNotice: (words: string) => void;
  onReschedule: () => void;
  onCancel: () => void;
}) {
  const text = useText();
  const api = useApi();
  const id = useId();
  const remind = useAction();
  const { next } = chat;
  // A reminder set elsewhere (the CLI) to another number of minutes stays a choice.
  const choices = [...REMINDER_CHOICES] as number[];
  if (chat.remindMinutesBefore !== null && !choices.includes(chat.remindMinutesBefore)) {
    choices.push(chat.remindMinutesBefore);
    choices.sort((a, b) => a - b);
  }

  return (
    <li className="row schedule-item" aria-labelledby={`${id}-title`}>
      <div className="row-main">
        <h3 id={`${id}-title`} className="row-title" dir="auto">
          {chat.title}
        </h3>
        <p className="schedule-when">
          {next.running ? (
            <strong>{text('schedules.now', { time: times.time(next.endsAt) })}</strong>
          ) : (
            <time dateTime={new Date(next.startsAt).toISOString()}>
              {times.span(next.startsAt, next.endsAt)}
            </time>
          )}
        </p>
        <p className="row-sub">
          {[
            text('schedules.hostedBy', { host: chat.hostPseudonym }),
            ...(chat.occurrences > 1
              ? [
                  text('schedules.weekly', {
                    count: chat.occurrences,
                    occurrence: next.occurrence,
                  }),
                ]
              : []),
          ].join(' · ')}
        </p>
        {chat.prompts.length > 0 && (
          <div className="schedule-questions">
            <h4 className="visually-hidden">{text('schedules.questions')}</h4>
            <ol className="plain-list">
              {chat.prompts.map((prompt) => (
                <li key={prompt.number}>
                  <span className="schedule-question-at">
                    {text('schedules.promptAt', {
                      number: prompt.number,
                      offset: prompt.offsetMinutes,
                    })}
                  </span>
                  {SPACE}
                  <span dir="auto">{prompt.text}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
      <div className="schedule-item-actions">
        <SelectField
          label={text('schedules.remind')}
          value={chat.remindMinutesBefore ?? 'off'}
          disabled={remind.busy}
          onChange={(choice) => {
            const minutesBefore = choice === 'off' ? null : Number(choice);
            remind.run(async () => {
              await api.call('schedules.remind', {
                conversationId,
                chatId: chat.chatId,
                minutesBefore,
              });
              onNotice(
                minutesBefore === null
                  ? text('schedules.reminderCleared', { title: chat.title })
                  : text('schedules.reminderSet', { title: chat.title }),
              );
            });
          }}
        >
          <option value="off">{text('schedules.remindOff')}</option>
          {choices.map((minutes) => (
            <option key={minutes} value={minutes}>
              {reminderWords(text, minutes)}
            </option>
          ))}
        </SelectField>
        <ErrorText error={remind.error} />
        {canModerate && (
          <div className="schedule-moderation">
            <button
              type="button"
              className="button"
              aria-describedby={`${id}-title`}
              onClick={onReschedule}
            >
              {text('schedules.reschedule')}
            </button>
            <button
              type="button"
              className="button button-danger"
              aria-describedby={`${id}-title`}
              onClick={onCancel}
            >
              {text('schedules.cancelChat')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

function reminderWords(text: TextOf, minutes: number): string {
  return minutes === 0
    ? text('schedules.remindAtStart')
    : text('schedules.remindBefore', { minutes });
}
