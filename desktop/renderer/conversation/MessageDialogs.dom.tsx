import { useState } from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import type { MessageModeration } from './MessageItem.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

function QuotedMessage({ message }: { message: MessageView }) {
  const text = useText();
  return (
    <blockquote className="quote quote-large">
      <span className="quote-author">
        {message.author.self ? text('common.you') : message.author.name}
      </span>
      <span className="quote-text">
        {message.covered === true
          ? text('conversation.covered', { warning: warningWords(text, message.warning ?? '') })
          : message.text}
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
  const text = useText();

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
      title={text('messageActions.reportTitle')}
      submitLabel={text('messageActions.reportSubmit')}
      submitDisabled={action.busy || reason.trim() === ''}
      error={action.error}
      onSubmit={submit}
      onClose={onClose}
    >
      <QuotedMessage message={message} />
      <p className="hint">{text('messageActions.reportHint')}</p>
      <TextAreaField
        label={text('messageActions.reportReason')}
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
  Record<MessageModeration, { title: MessageId; confirm: MessageId; done: MessageId }>
> = {
  delete: {
    title: 'messageActions.deleteTitle',
    confirm: 'message.deleteForEveryone',
    done: 'messageActions.deleted',
  },
  pin: {
    title: 'messageActions.pinTitle',
    confirm: 'messageActions.pinConfirm',
    done: 'messageActions.pinned',
  },
  unpin: {
    title: 'messageActions.unpinTitle',
    confirm: 'messageActions.unpinConfirm',
    done: 'messageActions.unpinned',
  },
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
  const text = useText();
  const words = MODERATION_WORDS[action];
  return (
    <ReasonDialog
      title={text(words.title)}
      confirmLabel={text(words.confirm)}
      danger={action === 'delete'}
      reasonHint={text('messageActions.reasonHint')}
      onClose={onClose}
      onConfirm={async (reason) => {
        await api.call('groups.moderateMessage', {
          conversationId,
          action,
          messageId: message.id,
          ...reason,
        });
        onDone(text(words.done));
      }}
    >
      <QuotedMessage message={message} />
    </ReasonDialog>
  );
}
