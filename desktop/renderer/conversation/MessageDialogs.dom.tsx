import { useState } from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import type { MessageModeration } from './MessageItem.dom.js';

function QuotedMessage({ message }: { message: MessageView }) {
  return (
    <blockquote className="quote quote-large">
      <span className="quote-author">{message.author.self ? 'You' : message.author.name}</span>
      <span className="quote-text">
        {message.covered === true ? `Covered: ${message.warning ?? ''}` : message.text}
      </span>
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
  const [reason, setReason] = useState('');
  const action = useAction();

  const submit = () => {
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
    <FormDialog
      title="Report this message"
      submitLabel="Send report"
      submitDisabled={action.busy || reason.trim() === ''}
      error={action.error}
      onSubmit={submit}
      onClose={onClose}
    >
      <QuotedMessage message={message} />
      <p className="hint">
        Your report goes only to this group’s moderators, with this message and the few before it.
        The relay cannot tell it is a report.
      </p>
      <TextAreaField
        label="What is wrong with it?"
        rows={3}
        maxLength={500}
        value={reason}
        required
        onChange={setReason}
      />
    </FormDialog>
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
  action,
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
  const words = MODERATION_WORDS[action];
  return (
    <ReasonDialog
      title={words.title}
      confirmLabel={words.confirm}
      danger={action === 'delete'}
      reasonHint="Optional. Every member can read it in the moderation log, with your pseudonym."
      onClose={onClose}
      onConfirm={async (reason) => {
        await api.call('groups.moderateMessage', {
          conversationId,
          action,
          messageId: message.id,
          ...reason,
        });
        onDone(words.done);
      }}
    >
      <QuotedMessage message={message} />
    </ReasonDialog>
  );
}
