import { useState } from 'react';
import type { ContactView } from '../../shared/api.std.js';
import { ConfirmDialog } from '../components/Dialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';

/**
 * A contact row's "Remove" button and the question it asks first, saying exactly what leaves
 * this device (the contact, the whole conversation, its files) and that they are not told.
 */
export function RemoveContactButton({ contact, name }: { contact: ContactView; name: string }) {
  const [asking, setAsking] = useState(false);
  const text = useText();
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        aria-label={text('contacts.removeNamed', { name })}
        onClick={() => {
          setAsking(true);
        }}
      >
        {text('contacts.remove')}
      </button>
      {asking && (
        <RemoveContactDialog
          contact={contact}
          name={name}
          onClose={() => {
            setAsking(false);
          }}
        />
      )}
    </>
  );
}

function RemoveContactDialog({
  contact,
  name,
  onClose,
}: {
  contact: ContactView;
  name: string;
  onClose: () => void;
}) {
  const api = useApi();
  const announce = useAnnounce();
  const action = useAction();
  const text = useText();
  return (
    <ConfirmDialog
      title={text('contacts.removeTitle', { name })}
      confirmLabel={text('contacts.removeNamed', { name })}
      danger
      busy={action.busy}
      error={action.error}
      onCancel={onClose}
      onConfirm={() => {
        action.run(async () => {
          const { messages } = await api.call('contacts.remove', {
            conversationId: contact.conversationId,
          });
          announce(text('contacts.removed', { name, messages }));
          onClose();
        });
      }}
    >
      <p>{text('contacts.removeWhat', { name })}</p>
      <p>{text('contacts.removeAfter')}</p>
    </ConfirmDialog>
  );
}
