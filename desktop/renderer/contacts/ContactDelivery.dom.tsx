import type { ContactView } from '../../shared/api.std.js';
import { CheckboxField } from '../components/FormFields.dom.js';
import { describeError, useAnnounce, useApi } from '../kindredContext.dom.js';

const REFUSED_WORDS: Record<NonNullable<ContactView['refused']>, string> = {
  'used-up': 'Not connected — link already used',
  expired: 'Not connected — link expired',
  unknown: 'Not connected — link not recognised',
};

/** A contact who refused our introduction: nothing we write can reach them. */
export function RefusedTag({ contact }: { contact: ContactView }) {
  if (contact.refused === undefined) return null;
  return <span className="tag tag-blocked">{REFUSED_WORDS[contact.refused]}</span>;
}

/** Read receipts for one person: off by default; on, they see "Read" on what you have seen. */
export function ReadReceiptsToggle({ contact, name }: { contact: ContactView; name: string }) {
  const api = useApi();
  const announce = useAnnounce();
  if (contact.blocked || contact.refused !== undefined) return null;
  return (
    <CheckboxField
      label={`Send read receipts to ${name}`}
      checked={contact.readReceipts}
      onChange={(on) => {
        api.call('contacts.setReadReceipts', { conversationId: contact.conversationId, on }).then(
          () => {
            announce(on ? `${name} will see when you have read.` : `Read receipts to ${name} off.`);
          },
          (error: unknown) => {
            announce(describeError(error));
          },
        );
      }}
    />
  );
}
