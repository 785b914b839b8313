import { useId, useState, type SubmitEvent } from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { Dialog, ErrorText } from '../components/Dialog.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import type { MessageModeration } from './MessageItem.dom.js';

function QuotedMessage({ message }: { message: MessageView }) {
  return (
    <blockquote className="quote quote-large">
      <span className="quote-author">{message.author.self ? 'You' : message.author.name}</span>
      <span className="quote-text">{message.text}</span>
    </blockquote>
  );
}

/** A member reports a message: it goes, sealed, to this group's moderators only. */
export function ReportDialog({
  conversationId,
  message,
  onClose,
  onReported,
}: {
  conversationId: ConversationId;
  message: MessageView;
  onClose: () => void;
  onReported: (sentTo: number) => void;
}) {
  const api = useApi();
  const id = useId();
  const [reason, setReason] = useState('');
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (reason.trim() === '') return;
    action.run(async () => {
      const { sentTo } = await api.call('groups.report', {
        conversationId,
        messageId: message.id,
        reason: reason.trim(),
      });
      onReported(sentTo);
    });
  };

  return (
    <Dialog title="Report this message" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <QuotedMessage message={message} />
        <p className="hint">
          Your report goes only to this group’s moderators, with this message and the few before it.
          The relay cannot tell it is a report.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-reason`}>
            What is wrong with it?
          </label>
          <textarea
            id={`${id}-reason`}
            className="input"
            rows={3}
            maxLength={500}
            value={reason}
            required
            onChange={(event) => {
              setReason(event.target.value);
            }}
          />
        </div>
        <ErrorText error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || reason.trim() === ''}
          >
            Send report
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const MODERATION_WORDS: Readonly<
  Record<MessageModeration, { title: string; confirm: string; done: string }>
> = {
  delete: {
    title: 'Delete this message for everyone?',
    confirm: 'Delete for everyone',
    done: 'Message deleted for everyone.',
  },
  pin: { title: 'Pin this message?', confirm: 'Pin message', done: 'Message pinned.' },
  unpin: { title: 'Unpin this message?', confirm: 'Unpin message', done: 'Message unpinned.' },
};

/** A moderator deletes, pins or unpins a message, with a reason every member can read. */
export function ModerateMessageDialog({
  conversationId,
  message,
  action: moderation,
  onClose,
  onDone,
}: {
  conversationId: ConversationId;
  message: MessageView;
  action: MessageModeration;
  onClose: () => void;
  onDone: (words: string) => void;
}) {
  const api = useApi();
  const id = useId();
  const [reason, setReason] = useState('');
  const action = useAction();
  const words = MODERATION_WORDS[moderation];

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      await api.call('groups.moderateMessage', {
        conversationId,
        action: moderation,
        messageId: message.id,
        ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
      });
      onDone(words.done);
    });
  };

  return (
    <Dialog title={words.title} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <QuotedMessage message={message} />
        <div className="field">
          <label className="field-label" htmlFor={`${id}-reason`}>
            Reason
          </label>
          <textarea
            id={`${id}-reason`}
            className="input"
            rows={2}
            maxLength={500}
            value={reason}
            aria-describedby={`${id}-hint`}
            onChange={(event) => {
              setReason(event.target.value);
            }}
          />
          <p id={`${id}-hint`} className="hint">
            Optional. Every member can read it in the moderation log, with your pseudonym.
          </p>
        </div>
        <ErrorText error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={moderation === 'delete' ? 'button button-danger' : 'button button-primary'}
            disabled={action.busy}
          >
            {words.confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
