import { useState } from 'react';
import type { ConversationId, MessageView, TopicView } from '../../shared/api.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { SelectField, TextField } from '../components/FormFields.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import type { TopicAction } from './TopicBar.dom.js';
import { topicName } from './topicMessages.dom.js';

/** Longest topic name (core's MAX_TOPIC_NAME_LENGTH). */
const MAX_TOPIC_NAME = 64;

/**
 * A moderator's topic action from the bar: a name for a new or renamed topic, or a reason
 * (optional, kept in the log) for closing or reopening one. `onDone` gets what to tell the
 * person, and the topic to open (a new topic opens at once).
 */
export function TopicActionDialog({
  conversationId,
  action,
  topic,
  onClose,
  onDone,
}: {
  conversationId: ConversationId;
  action: TopicAction;
  /** The open topic (rename, close, reopen). */
  topic: TopicView | undefined;
  onClose: () => void;
  onDone: (words: string, open?: string) => void;
}) {
  const api = useApi();
  const text = useText();
  const [name, setName] = useState(action === 'rename' ? (topic?.name ?? '') : '');
  const busy = useAction();
  if (action === 'create' || action === 'rename') {
    const trimmed = name.trim();
    return (
      <FormDialog
        title={action === 'create' ? text('topics.new') : text('topics.rename')}
        submitLabel={action === 'create' ? text('topics.create') : text('topics.save')}
        submitDisabled={busy.busy || trimmed === ''}
        error={busy.error}
        onClose={onClose}
        onSubmit={() => {
          busy.run(async () => {
            if (action === 'create') {
              const { id } = await api.call('topics.create', { conversationId, name: trimmed });
              onDone(text('topics.created', { topic: trimmed }), id);
            } else if (topic !== undefined) {
              await api.call('topics.rename', { conversationId, topic: topic.id, name: trimmed });
              onDone(text('topics.renamedDone', { topic: trimmed }));
            }
          });
        }}
      >
        <TextField
          label={text('topics.nameLabel')}
          value={name}
          maxLength={MAX_TOPIC_NAME}
          onChange={setName}
          autoFocus
        />
      </FormDialog>
    );
  }
  const closing = action === 'close';
  return (
    <ReasonDialog
      title={closing ? text('topics.close') : text('topics.reopen')}
      confirmLabel={closing ? text('topics.close') : text('topics.reopen')}
      danger={closing}
      reasonHint={text('messageActions.reasonHint')}
      onClose={onClose}
      onConfirm={async (reason) => {
        if (topic === undefined) return;
        await api.call(closing ? 'topics.close' : 'topics.reopen', {
          conversationId,
          topic: topic.id,
          ...reason,
        });
        const words = closing ? 'topics.closedDone' : 'topics.reopenedDone';
        onDone(text(words, { topic: topicName(text, topic) }));
      }}
    />
  );
}

/** A moderator moves a message into another topic, with a reason every member can read. */
export function MoveMessageDialog({
  conversationId,
  message,
  topics,
  onClose,
  onDone,
}: {
  conversationId: ConversationId;
  message: MessageView;
  topics: readonly TopicView[];
  onClose: () => void;
  onDone: (words: string) => void;
}) {
  const api = useApi();
  const text = useText();
  const choices = topics.filter((topic) => topic.id !== (message.topic ?? '') && !topic.closed);
  const [target, setTarget] = useState(choices[0]?.id ?? '');
  return (
    <ReasonDialog
      title={text('topics.moveHeading')}
      confirmLabel={text('topics.move')}
      danger={false}
      reasonHint={text('messageActions.reasonHint')}
      onClose={onClose}
      onConfirm={async (reason) => {
        const chosen = choices.find((topic) => topic.id === target);
        if (chosen === undefined) return;
        await api.call('topics.move', {
          conversationId,
          messageId: message.id,
          topic: chosen.id,
          ...reason,
        });
        onDone(text('topics.moved', { topic: topicName(text, chosen) }));
      }}
    >
      <SelectField label={text('topics.moveLabel')} value={target} onChange={setTarget}>
        {choices.map((topic) => (
          <option key={topic.id === '' ? 'general' : topic.id} value={topic.id}>
            {topicName(text, topic)}
          </option>
        ))}
      </SelectField>
    </ReasonDialog>
  );
}
