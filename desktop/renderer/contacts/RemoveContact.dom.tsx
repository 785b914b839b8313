import { useState } from 'react';
import type { ContactView } from '../../shared/api.std.js';
import { ConfirmDialog } from '../components/Dialog.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';

/**
 * A contact row's "Remove" button and the question it asks first, saying exactly what leaves
 * this device (the contact, the whole conversation, its files) and that they are not told.
 */
export function RemoveContactButton({ contact, name }: { contact: ContactView; name: string }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        aria-label={`Remove ${name}`}
        onClick={() => {
          setAsking(true);
        }}
      >
        Remove
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
  return (
    <ConfirmDialog
      title={`Remove ${name}?`}
      confirmLabel={`Remove ${name}`}
      danger
      busy={action.busy}
      error={action.error}
      onCancel={onClose}
      onConfirm={() => {
        action.run(async () => {
          const { messages } = await api.call('contacts.remove', {
            conversationId: contact.conversationId,
          });
          announce(
            `${name} is removed, with ${messages} ${messages === 1 ? 'message' : 'messages'}.`,
          );
          onClose();
        });
      }}
    >
      <p>
        This deletes from this device: {name} as a contact, your whole conversation with them (every
        message, both sides’ reactions and the files sent in it) and its disappearing-messages
        setting. It cannot be undone.
      </p>
      <p>
        Their key to write to you is revoked at the relay, so nothing more from them arrives. They
        are not told, and what they keep on their own device stays with them. To talk again, one of
        you needs a new invite link.
      </p>
    </ConfirmDialog>
  );
}
