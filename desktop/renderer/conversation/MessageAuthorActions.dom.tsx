import { useEffect, useId, useRef, useState } from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { useOpenLayer } from '../components/openLayers.dom.js';
import { Icon } from '../components/Icon.dom.js';
import type { MenuItem } from '../components/Menu.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';
import { MAX_MESSAGE_LENGTH } from '../../shared/messageLimits.std.js';

/** What the author may do to a message of theirs from its menu. */
export interface AuthorActionHandlers {
  readonly onEdit: (message: MessageView) => void;
  readonly onDeleteForEveryone: (message: MessageView) => void;
}

/** "Edit" and "Delete for everyone" for one of our own messages that is still there. */
/** A menu item's icon and words (a component, so the menu's items speak the window's language). */
function ItemLabel({ icon, id }: { icon: 'edit' | 'close'; id: MessageId }) {
  const text = useText();
  return (
    <>
      <Icon name={icon} />
      {text(id)}
    </>
  );
}

export function authorMenuItems(message: MessageView, handlers: AuthorActionHandlers): MenuItem[] {
  const items: MenuItem[] = [];
  // A message that carries only files has no words to edit.
  if (message.text !== '' && message.covered !== true) {
    items.push({
      label: <ItemLabel icon="edit" id="messageActions.edit" />,
      onSelect: () => {
        handlers.onEdit(message);
      },
    });
  }
  items.push({
    label: <ItemLabel icon="close" id="message.deleteForEveryone" />,
    danger: true,
    onSelect: () => {
      handlers.onDeleteForEveryone(message);
    },
  });
  return items;
}

/**
 * Edits one of our messages in place of its text: Enter saves, Shift+Enter starts a new line,
 * Escape (or Cancel) leaves it as it was. Its content warning stays unless unticked.
 */
export function InlineMessageEditor({
  conversationId,
  message,
  onDone,
}: {
  conversationId: ConversationId;
  message: MessageView;
  onDone: () => void;
}) {
  const api = useApi();
  const announce = useAnnounce();
  const action = useAction();
  const words = useText();
  const [text, setText] = useState(message.text);
  const [keepWarning, setKeepWarning] = useState(message.warning !== undefined);
  const fieldId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  // An edit in progress is closed by Escape, like a reply: that Escape never starts a quick exit.
  useOpenLayer(true);

  useEffect(() => {
    const field = ref.current;
    if (field === null) return;
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }, []);

  const unchanged = text === message.text && keepWarning === (message.warning !== undefined);
  const save = () => {
    if (text.trim() === '' || unchanged) {
      if (unchanged) onDone();
      return;
    }
    action.run(async () => {
      await api.call('conversations.edit', {
        conversationId,
        messageId: message.id,
        text,
        ...(keepWarning && message.warning !== undefined ? { warning: message.warning } : {}),
      });
      announce(words('messageActions.edited'));
      onDone();
    });
  };

  return (
    <form
      className="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label htmlFor={fieldId} className="visually-hidden">
        {words('messageActions.editLabel')}
      </label>
      <textarea
        id={fieldId}
        ref={ref}
        className="input message-editor-input"
        value={text}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        maxLength={MAX_MESSAGE_LENGTH}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onDone();
          } else if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            save();
          }
        }}
      />
      {message.warning !== undefined && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={keepWarning}
            onChange={(event) => {
              setKeepWarning(event.target.checked);
            }}
          />
          {words('messageActions.keepWarning', { warning: warningWords(words, message.warning) })}
        </label>
      )}
      <ErrorText error={action.error} />
      <div className="message-editor-actions">
        <button type="button" className="button" onClick={onDone}>
          {words('messageActions.cancel')}
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || text.trim() === ''}
        >
          {words('messageActions.save')}
        </button>
      </div>
    </form>
  );
}

/** Asks before deleting one of our messages for everyone, saying exactly what happens. */
export function DeleteForEveryoneDialog({
  conversationId,
  message,
  onClose,
}: {
  conversationId: ConversationId;
  message: MessageView;
  onClose: () => void;
}) {
  const api = useApi();
  const announce = useAnnounce();
  const action = useAction();
  const text = useText();
  return (
    <ConfirmDialog
      title={text('messageActions.deleteTitle')}
      confirmLabel={text('message.deleteForEveryone')}
      danger
      busy={action.busy}
      error={action.error}
      onCancel={onClose}
      onConfirm={() => {
        action.run(async () => {
          await api.call('conversations.deleteForEveryone', {
            conversationId,
            messageId: message.id,
          });
          announce(text('messageActions.deleted'));
          onClose();
        });
      }}
    >
      <p>
        {text('messageActions.deleteExplained', {
          files: message.attachments === undefined ? 'no' : 'yes',
        })}
      </p>
    </ConfirmDialog>
  );
}
