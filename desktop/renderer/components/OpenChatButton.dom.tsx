import type { ConversationId } from '../../shared/api.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { Icon } from './Icon.dom.js';

/**
 * A list row's way into its chat. The visible words are the same on every row, so `label` names
 * the chat for screen readers ("Open chat with Ada").
 */
export function OpenChatButton({
  conversationId,
  label,
}: {
  conversationId: ConversationId;
  label: string;
}) {
  const navigate = useNavigate();
  const text = useText();
  return (
    <button
      type="button"
      className="button"
      aria-label={label}
      onClick={() => {
        navigate({ kind: 'conversation', id: conversationId });
      }}
    >
      <Icon name="chat" />
      {text('components.openChat')}
    </button>
  );
}
