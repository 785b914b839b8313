import type { ContactView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { CheckboxField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { describeError, useAnnounce, useApi } from '../kindredContext.dom.js';

const REFUSED_WORDS: Record<NonNullable<ContactView['refused']>, MessageId> = {
  'used-up': 'contacts.refusedUsedUp',
  expired: 'contacts.refusedExpired',
  unknown: 'contacts.refusedUnknown',
};

/** A contact who refused our introduction: nothing we write can reach them. */
export function RefusedTag({ contact }: { contact: ContactView }) {
  const text = useText();
  if (contact.refused === undefined) return null;
  return <span className="tag tag-blocked">{text(REFUSED_WORDS[contact.refused])}</span>;
}

/** Read receipts for one person: off by default; on, they see "Read" on what you have seen. */
export function ReadReceiptsToggle({ contact, name }: { contact: ContactView; name: string }) {
  const api = useApi();
  const announce = useAnnounce();
  const text = useText();
  if (contact.blocked || contact.refused !== undefined) return null;
  return (
    <CheckboxField
      label={text('contacts.sendReadReceipts', { name })}
      checked={contact.readReceipts}
      onChange={(on) => {
        api.call('contacts.setReadReceipts', { conversationId: contact.conversationId, on }).then(
          () => {
            announce(
              on
                ? text('contacts.readReceiptsOn', { name })
                : text('contacts.readReceiptsOff', { name }),
            );
          },
          (error: unknown) => {
            announce(describeError(error));
          },
        );
      }}
    />
  );
}
