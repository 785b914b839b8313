import { useState } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce } from '../kindredContext.dom.js';
import { ListGroupDialog } from './ListGroupDialog.dom.js';

/**
 * For the owner, in the group's About: "List this group in the directory", and once sent,
 * "Sent to the relay's operator for approval". Only the owner persona can sign a listing.
 */
export function ListGroupSection({ group }: { group: GroupView }) {
  const text = useText();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  if (group.role !== 'owner' || group.status !== 'active') return null;
  return (
    <section className="card" aria-labelledby="list-group-title">
      <h2 id="list-group-title">{text('directoryListing.section')}</h2>
      <p className="hint">{text('directoryListing.intro')}</p>
      {sent && (
        <p className="status-line status-good" role="status">
          {text('directoryListing.sent')}
        </p>
      )}
      <button
        type="button"
        className="button"
        onClick={() => {
          setOpen(true);
        }}
      >
        {text('directoryListing.open')}
      </button>
      {open && (
        <ListGroupDialog
          group={group}
          onClose={() => {
            setOpen(false);
          }}
          onSent={() => {
            setOpen(false);
            setSent(true);
            announce(text('directoryListing.sent'));
          }}
        />
      )}
    </section>
  );
}
