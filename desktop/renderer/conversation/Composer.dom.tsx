import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type SubmitEvent,
} from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { ApiCallError } from '../bridge.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { useOpenLayer } from '../components/openLayers.dom.js';
import { ContentWarningChip, ContentWarningMenu } from './ContentWarningDraft.dom.js';
import type { ChosenFiles, TransferTracker } from './attachmentTransfers.dom.js';
import {
  AttachButton,
  ChosenFileList,
  UncleanedFilesDialog,
  useChosenFiles,
} from './ComposerFiles.dom.js';
import { warningToSend, warningWords } from '../../shared/i18n/warningWords.std.js';
import { MAX_MESSAGE_LENGTH } from '../../shared/messageLimits.std.js';
import { CrisisLanguageNotice } from '../crisis/CrisisLanguageNotice.dom.js';
import type { ScheduleAnswerTagView } from '../../shared/scheduledChatViews.std.js';

/** Between the keys line and the pane's hint (kept out of JSX text, which is for words). */
const SPACE = ' ';

export interface ComposerProps {
  readonly conversationId: ConversationId;
  readonly recipient: string;
  readonly replyTo: MessageView | undefined;
  readonly onCancelReply: () => void;
  /** A short line under the field ("Slow mode: one message every 30 seconds"). */
  readonly hint?: string | undefined;
  readonly onSent: () => void;
  /** The files chosen for the next message (the pane also takes dropped files into it). */
  readonly files: ChosenFiles;
  readonly transfers: TransferTracker;
  /** In a group: the topic it posts into (hex id; '' General) and the thread, if any. */
  readonly topic?: string | undefined;
  readonly thread?: string | undefined;
  /** The scheduled-chat prompt the message answers, and where it is chosen (scheduledChat/). */
  readonly answer?: ScheduleAnswerTagView | undefined;
  readonly answerPicker?: ReactNode;
}

/** Where a message is written. Enter sends; Shift+Enter starts a new line. */
export function Composer({
  conversationId,
  recipient,
  replyTo,
  onCancelReply,
  hint,
  onSent,
  files,
  transfers,
  topic,
  thread,
  answer,
  answerPicker,
}: ComposerProps) {
  const api = useApi();
  const words = useText();
  const id = useId();
  const [text, setText] = useState('');
  /** The draft's content warning (undefined: none); kept, like the text, if sending fails. */
  const [warning, setWarning] = useState<string | undefined>(undefined);
  const [draftError, setDraftError] = useState<string | undefined>(undefined);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const action = useAction();
  const chosen = useChosenFiles(files);
  const [askUncleaned, setAskUncleaned] = useState(false);
  const filesReady = chosen.every((file) => file.state === 'ready');
  // Never cut: a longer draft stays whole, is not sent, and the person is told.
  const tooLong = text.length > MAX_MESSAGE_LENGTH;
  const canSend = (text.trim() !== '' || chosen.length > 0) && filesReady && !tooLong;
  // A reply in progress is what Escape cancels (ConversationPane), not half of a quick exit.
  useOpenLayer(replyTo !== undefined);

  useEffect(() => {
    fieldRef.current?.focus();
  }, [replyTo, conversationId]);

  const send = (sendUncleaned = false) => {
    const body = text.trim();
    if (!canSend || action.busy) return;
    const label = warning?.trim();
    if (label === '') {
      setDraftError(words('message.writeWarning'));
      return;
    }
    const answering = replyTo;
    const stagingIds = chosen.flatMap((file) =>
      file.stagingId === undefined ? [] : [file.stagingId],
    );
    // The field empties at once; if the send fails the text comes back, nothing is lost. Files
    // stay listed (with their upload bars) until the message is stored.
    setText('');
    onCancelReply();
    if (stagingIds.length > 0) transfers.resetUploads(conversationId);
    action.run(async () => {
      try {
        await api.call('conversations.send', {
          conversationId,
          text: body,
          ...(answering === undefined ? {} : { replyTo: answering.id }),
          ...(label === undefined ? {} : { warning: warningToSend(words, label) }),
          ...(stagingIds.length === 0 ? {} : { attachments: stagingIds }),
          ...(sendUncleaned ? { sendUncleaned: true } : {}),
          ...(stagingIds.length > 0 && files.keepNames() ? { keepFileNames: true } : {}),
          ...(topic === undefined || topic === '' ? {} : { topic }),
          ...(thread === undefined ? {} : { thread }),
          ...(answer === undefined ? {} : { answer }),
        });
        setWarning(undefined);
        files.sent();
        onSent();
      } catch (error) {
        setText((current) => (current === '' ? body : `${body}\n${current}`));
        if (ApiCallError.is(error) && error.code === 'CORE_ATTACHMENT_NOT_CLEANED') {
          // Nothing went out: the person decides, in plain words, before anything does.
          setAskUncleaned(true);
          return;
        }
        throw error;
      }
    });
  };

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label={words('message.composer')}>
      {replyTo !== undefined && (
        <div className="composer-reply">
          <Icon name="reply" />
          <div className="composer-reply-text">
            <span className="quote-author">
              {replyTo.author.self
                ? words('message.replyingToYourself')
                : words('message.replyingTo', { name: replyTo.author.name })}
            </span>
            <span className="quote-text">
              {replyTo.covered === true
                ? words('conversation.covered', {
                    warning: warningWords(words, replyTo.warning ?? ''),
                  })
                : replyTo.text}
            </span>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={words('message.cancelReply')}
            onClick={onCancelReply}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      {warning !== undefined && (
        <ContentWarningChip
          id={`${id}-warning`}
          warning={warning}
          onChange={(words) => {
            setWarning(words);
            setDraftError(undefined);
            if (action.error !== undefined) action.clearError();
          }}
          onRemove={() => {
            setWarning(undefined);
            setDraftError(undefined);
            fieldRef.current?.focus();
          }}
        />
      )}
      <ErrorText
        error={
          draftError ??
          action.error ??
          (tooLong
            ? words('message.tooLong', { count: text.length, max: MAX_MESSAGE_LENGTH })
            : undefined)
        }
      />
      <CrisisLanguageNotice conversationId={conversationId} draft={text} />
      <ChosenFileList conversationId={conversationId} files={files} sending={action.busy} />
      {answerPicker}
      <div className="composer-row">
        <AttachButton files={files} disabled={action.busy} />
        <label htmlFor={`${id}-text`} className="visually-hidden">
          {words('message.writeLabel')}
        </label>
        <textarea
          ref={fieldRef}
          id={`${id}-text`}
          className="input composer-field"
          rows={1}
          placeholder={words('message.writeTo', { name: recipient })}
          value={text}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            setText(event.target.value);
            if (action.error !== undefined) action.clearError();
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            // Images (and files) from the clipboard join the message; text pastes as usual.
            const pasted = [...event.clipboardData.files];
            if (pasted.length === 0) return;
            event.preventDefault();
            files.add(pasted);
          }}
        />
        <ContentWarningMenu
          onChoose={(words) => {
            setWarning(words);
            setDraftError(undefined);
            if (action.error !== undefined) action.clearError();
          }}
        />
        <button
          type="submit"
          className="button button-primary composer-send"
          disabled={!canSend || action.busy}
        >
          <Icon name="send" />
          {words('message.send')}
        </button>
      </div>
      <p id={`${id}-hint`} className="hint composer-hint">
        {words('message.keys')}
        {hint !== undefined && SPACE + hint}
      </p>
      {askUncleaned && (
        <UncleanedFilesDialog
          onSendAnyway={() => {
            setAskUncleaned(false);
            send(true);
          }}
          onCancel={() => {
            setAskUncleaned(false);
          }}
        />
      )}
    </form>
  );
}
