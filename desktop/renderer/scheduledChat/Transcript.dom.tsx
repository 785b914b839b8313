import { useState } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import type {
  AskedPromptView,
  TranscriptAnswerView,
  TranscriptSectionView,
} from '../../shared/scheduledChatViews.std.js';
import { Dialog, ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { formatFullTime, formatMessageTime, isoTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

/** One occurrence of a chat that has started (its prompts were asked). */
interface StartedOccurrence {
  readonly key: string;
  readonly chatId: string;
  readonly occurrence: number;
  readonly title: string;
  readonly firstAskedAt: number;
}

/** The occurrences the prompts come from, in the order they started. */
function startedOccurrences(prompts: readonly AskedPromptView[]): StartedOccurrence[] {
  const found = new Map<string, StartedOccurrence>();
  for (const prompt of prompts) {
    const key = `${prompt.chatId}/${String(prompt.occurrence)}`;
    if (found.has(key)) continue;
    found.set(key, {
      key,
      chatId: prompt.chatId,
      occurrence: prompt.occurrence,
      title: prompt.title,
      firstAskedAt: prompt.askedAt,
    });
  }
  return [...found.values()].sort((a, b) => a.firstAskedAt - b.firstAskedAt);
}

/**
 * The group header's "Transcript" button, once a scheduled chat has asked something: it opens the
 * transcript of the latest occurrence, and the others from a list in it.
 */
export function TranscriptButton({
  conversationId,
  prompts,
}: {
  conversationId: ConversationId;
  prompts: readonly AskedPromptView[];
}) {
  const text = useText();
  const [open, setOpen] = useState(false);
  const occurrences = startedOccurrences(prompts);
  if (occurrences.length === 0) return null;
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() => {
          setOpen(true);
        }}
      >
        <Icon name="info" />
        {text('scheduledChat.transcript')}
      </button>
      {open && (
        <TranscriptDialog
          conversationId={conversationId}
          occurrences={occurrences}
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

function TranscriptDialog({
  conversationId,
  occurrences,
  onClose,
}: {
  conversationId: ConversationId;
  occurrences: readonly StartedOccurrence[];
  onClose: () => void;
}) {
  const text = useText();
  const api = useApi();
  const revision = useConversationRevision(conversationId);
  const [picked, setPicked] = useState(occurrences.at(-1)?.key ?? '');
  const shown = occurrences.find((o) => o.key === picked) ?? occurrences.at(-1);
  const transcript = useLoad(
    shown === undefined ? undefined : `transcript:${conversationId}:${shown.key}`,
    revision,
    () =>
      api.call('scheduledChat.transcript', {
        conversationId,
        chatId: shown?.chatId ?? '',
        occurrence: shown?.occurrence ?? 1,
      }),
  );
  const data = transcript.data;
  const answered = data?.sections.some((section) => section.answers.length > 0) ?? false;
  return (
    <Dialog
      title={text('scheduledChat.transcriptTitle', { title: shown?.title ?? '' })}
      onClose={onClose}
      size="wide"
    >
      {occurrences.length > 1 && (
        <SelectField
          label={text('scheduledChat.occurrenceLabel')}
          value={picked}
          onChange={setPicked}
        >
          {occurrences.map((o) => (
            <option key={o.key} value={o.key}>
              {text('scheduledChat.occurrenceOption', {
                title: o.title,
                date: formatFullTime(o.firstAskedAt),
              })}
            </option>
          ))}
        </SelectField>
      )}
      <ErrorText error={transcript.error} />
      {data !== undefined && (
        <div className="transcript">
          {!answered && <p className="hint">{text('scheduledChat.noAnswersAtAll')}</p>}
          {data.sections.map((section) => (
            <TranscriptSection key={section.number} section={section} />
          ))}
          {data.untagged > 0 && (
            <p className="hint">{text('scheduledChat.untagged', { count: data.untagged })}</p>
          )}
        </div>
      )}
    </Dialog>
  );
}

function TranscriptSection({ section }: { section: TranscriptSectionView }) {
  const text = useText();
  const headingId = `transcript-q${String(section.number)}`;
  return (
    <section className="transcript-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="transcript-prompt">
        {text('scheduledChat.sectionHeading', { number: section.number, text: section.text })}
      </h3>
      {section.answers.length === 0 ? (
        <p className="hint">{text('scheduledChat.noAnswers')}</p>
      ) : (
        <ol className="transcript-answers">
          {section.answers.map((answer) => (
            <TranscriptAnswer key={answer.id} answer={answer} />
          ))}
        </ol>
      )}
    </section>
  );
}

function TranscriptAnswer({ answer }: { answer: TranscriptAnswerView }) {
  const text = useText();
  return (
    <li className="transcript-answer">
      <p className="transcript-answer-meta">
        <strong>{answer.self ? text('scheduledChat.you') : answer.author}</strong>
        <time dateTime={isoTime(answer.sentAt)} title={formatFullTime(answer.sentAt)}>
          {formatMessageTime(answer.sentAt)}
        </time>
      </p>
      <p className="transcript-answer-text" dir="auto">
        {answer.warning === undefined
          ? answer.text
          : text('scheduledChat.covered', { warning: warningWords(text, answer.warning) })}
      </p>
    </li>
  );
}
