import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce } from '../kindredContext.dom.js';
import { EmojiPicker } from './EmojiPicker.dom.js';
import { DeleteForEveryoneDialog } from './MessageAuthorActions.dom.js';

/** The pane's dialogs for one message's author actions and the full emoji picker. */
export function MessageActionDialogs({
  conversationId,
  dialog,
  onClose,
  onReact,
}: {
  conversationId: ConversationId;
  dialog:
    | { readonly kind: 'deleteForEveryone' | 'pickReaction'; readonly message: MessageView }
    | undefined;
  onClose: () => void;
  onReact: (message: MessageView, emoji: string, remove: boolean) => void;
}) {
  const announce = useAnnounce();
  const text = useText();
  if (dialog === undefined) return null;
  const { message } = dialog;
  if (dialog.kind === 'deleteForEveryone') {
    return (
      <DeleteForEveryoneDialog
        conversationId={conversationId}
        message={message}
        onClose={onClose}
      />
    );
  }
  return (
    <EmojiPicker
      onClose={onClose}
      onPick={(emoji, label) => {
        onClose();
        onReact(message, emoji, false);
        announce(text('messageActions.reacted', { name: label }));
      }}
    />
  );
}
