import type { ConversationId } from '../../shared/api.std.js';
import { MoveMessageDialog, TopicActionDialog } from './TopicDialogs.dom.js';
import type { GroupTopics } from './useGroupTopics.dom.js';

/** The topic dialog open over a group chat, if any; `tell` says what was done. */
export function TopicPaneDialogs({
  conversationId,
  topics,
  tell,
  onChanged,
}: {
  conversationId: ConversationId;
  topics: GroupTopics;
  tell: (words: string) => void;
  onChanged: () => void;
}) {
  const dialog = topics.dialog;
  if (dialog === undefined) return null;
  const close = () => {
    topics.ask(undefined);
  };
  if (dialog.kind === 'move') {
    return (
      <MoveMessageDialog
        conversationId={conversationId}
        message={dialog.message}
        topics={topics.list}
        onClose={close}
        onDone={(words) => {
          close();
          tell(words);
          onChanged();
        }}
      />
    );
  }
  return (
    <TopicActionDialog
      conversationId={conversationId}
      action={dialog.action}
      topic={topics.current}
      onClose={close}
      onDone={(words, open) => {
        close();
        tell(words);
        if (open !== undefined) topics.openTopic(open);
        onChanged();
      }}
    />
  );
}
