import { useState } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import { MAX_MESSAGE_LENGTH } from '../../shared/messageLimits.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/**
 * A small composer for a first private message to a fellow member, where the group's policy
 * allows it. Unless they are a contact already it goes as a request: it says so before sending,
 * and after sending opens the conversation, where it shows as "Sent as a request".
 */
export function WritePrivatelyDialog({
  groupConversationId,
  member,
  onClose,
}: {
  groupConversationId: ConversationId;
  member: { readonly address: string; readonly pseudonym: string };
  onClose: () => void;
}) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const action = useAction();
  const [message, setMessage] = useState('');
  return (
    <FormDialog
      title={text('requests.write.title', { name: member.pseudonym })}
      submitLabel={text('requests.write.send')}
      submitDisabled={action.busy || message.trim() === ''}
      error={action.error}
      onClose={onClose}
      onSubmit={() => {
        action.run(async () => {
          const { conversationId } = await api.call('requests.writePrivately', {
            conversationId: groupConversationId,
            member: member.address,
            text: message,
          });
          announce(text('requests.write.sent', { name: member.pseudonym }));
          onClose();
          navigate({ kind: 'conversation', id: conversationId });
        });
      }}
    >
      <p>{text('requests.write.hint', { name: member.pseudonym })}</p>
      <TextAreaField
        label={text('requests.write.label')}
        rows={4}
        maxLength={MAX_MESSAGE_LENGTH}
        value={message}
        onChange={setMessage}
      />
    </FormDialog>
  );
}
