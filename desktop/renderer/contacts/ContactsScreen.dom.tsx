import { ReadReceiptsToggle, RefusedTag } from './ContactDelivery.dom.js';
import { useState, type SubmitEvent } from 'react';
import { RemoveContactButton } from './RemoveContact.dom.js';
import type { ContactView } from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { TextAreaField, TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { InviteLinkPanel } from '../components/InviteLinkPanel.dom.js';
import { InviteOptions, type InviteOptionsValue } from '../components/InviteOptions.dom.js';
import { OpenChatButton } from '../components/OpenChatButton.dom.js';
import { formatFullTime, initialOf } from '../formatting.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { SafetyNumberDialog } from './SafetyNumberDialog.dom.js';

/** People you talk to one to one: invite someone, add someone, and check safety numbers. */
export function ContactsScreen() {
  const api = useApi();
  const revision = useListsRevision();
  const contacts = useLoad('contacts', revision, () => api.call('contacts.list', {}));
  const [safetyFor, setSafetyFor] = useState<ContactView | undefined>(undefined);
  const [blockFor, setBlockFor] = useState<ContactView | undefined>(undefined);

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Contacts</h1>
        <p className="lead">
          A contact is someone you invited with a link, or whose link you opened. Nobody can find
          you by searching.
        </p>
      </header>
      <div className="screen-columns">
        <CreateInviteSection />
        <AddContactSection />
      </div>
      <section className="card" aria-labelledby="contacts-list-title">
        <h2 id="contacts-list-title">Your contacts</h2>
        <ErrorText error={contacts.error} />
        {contacts.data?.length === 0 && (
          <p className="hint">No contacts yet. Share an invite link with someone you trust.</p>
        )}
        {contacts.data !== undefined && contacts.data.length > 0 && (
          <ul className="rows">
            {contacts.data.map((contact) => (
              <ContactRow
                key={contact.conversationId}
                contact={contact}
                onSafetyNumber={() => {
                  setSafetyFor(contact);
                }}
                onBlock={() => {
                  setBlockFor(contact);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      {blockFor !== undefined && (
        <BlockDialog
          contact={blockFor}
          onClose={() => {
            setBlockFor(undefined);
          }}
        />
      )}
      {safetyFor !== undefined && (
        <SafetyNumberDialog
          conversationId={safetyFor.conversationId}
          name={contactName(safetyFor)}
          onClose={() => {
            setSafetyFor(undefined);
          }}
        />
      )}
    </div>
  );
}

function contactName(contact: ContactView): string {
  return contact.alias ?? contact.pseudonym;
}

/** Blocking asks first; unblocking too (it hands them a fresh key to write with). */
function BlockDialog({ contact, onClose }: { contact: ContactView; onClose: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const action = useAction();
  const name = contactName(contact);
  const blocking = !contact.blocked;
  return (
    <ConfirmDialog
      title={blocking ? `Block ${name}?` : `Unblock ${name}?`}
      confirmLabel={blocking ? 'Block' : 'Unblock'}
      danger={blocking}
      busy={action.busy}
      error={action.error}
      onCancel={onClose}
      onConfirm={() => {
        action.run(async () => {
          await api.call('contacts.setBlocked', {
            conversationId: contact.conversationId,
            blocked: blocking,
          });
          announce(blocking ? `${name} is blocked.` : `${name} is unblocked.`);
          onClose();
        });
      }}
    >
      {blocking ? (
        <p>
          The relay will refuse anything {name} sends you from now on, and you will not write to
          them. If you share a group, they can still see your posts there.
        </p>
      ) : (
        <p>{name} gets a new key to write to you with. What they sent while blocked is gone.</p>
      )}
    </ConfirmDialog>
  );
}

function ContactRow({
  contact,
  onSafetyNumber,
  onBlock,
}: {
  contact: ContactView;
  onSafetyNumber: () => void;
  onBlock: () => void;
}) {
  const name = contactName(contact);
  return (
    <li className="row">
      <span className="avatar" aria-hidden="true">
        {initialOf(name)}
      </span>
      <div className="row-main">
        <span className="row-title">
          {name}
          {contact.alias !== undefined && contact.alias !== contact.pseudonym && (
            <span className="row-aside"> ({contact.pseudonym})</span>
          )}
        </span>
        <span className="row-sub">
          {contact.verified ? (
            <span className="tag tag-good">
              <Icon name="verified" />
              Verified
            </span>
          ) : (
            <span className="tag">Not verified</span>
          )}{' '}
          {contact.blocked && <span className="tag tag-blocked">Blocked</span>}{' '}
          <RefusedTag contact={contact} /> Added {formatFullTime(contact.addedAt)}
        </span>
      </div>
      <div className="row-actions">
        <OpenChatButton conversationId={contact.conversationId} label={`Open chat with ${name}`} />
        <ReadReceiptsToggle contact={contact} name={name} />
        <button
          type="button"
          className="button"
          aria-label={`Safety number with ${name}`}
          onClick={onSafetyNumber}
        >
          <Icon name="verified" />
          Safety number
        </button>
        <button
          type="button"
          className={contact.blocked ? 'button' : 'button button-danger'}
          aria-label={contact.blocked ? `Unblock ${name}` : `Block ${name}`}
          onClick={onBlock}
        >
          {contact.blocked ? 'Unblock' : 'Block'}
        </button>
        <RemoveContactButton contact={contact} name={name} />
      </div>
    </li>
  );
}

function CreateInviteSection() {
  const api = useApi();
  const [options, setOptions] = useState<InviteOptionsValue>({ maxUses: 1, expiresInHours: 24 });
  const [invite, setInvite] = useState<{ link: string; expiresAt: number } | undefined>(undefined);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      setInvite(await api.call('contacts.createInvite', options));
    });
  };

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">
          Send the link through a channel you trust, or let them scan the code. Whoever opens it
          becomes your contact.
        </p>
        <InviteOptions value={options} onChange={setOptions} />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          Create invite link
        </button>
      </form>
      {invite !== undefined && (
        <InviteLinkPanel
          label="Your invite link"
          qrLabel="QR code for adding you as a contact"
          link={invite.link}
          expiresAt={invite.expiresAt}
          note={`It works ${options.maxUses === 1 ? 'once' : `${options.maxUses} times`}.`}
        />
      )}
    </section>
  );
}

function AddContactSection() {
  const api = useApi();
  const announce = useAnnounce();
  const navigate = useNavigate();
  const [link, setLink] = useState('');
  const [alias, setAlias] = useState('');
  const [added, setAdded] = useState<ContactView | undefined>(undefined);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (link.trim() === '') return;
    action.run(async () => {
      const contact = await api.call('contacts.add', {
        link: link.trim(),
        ...(alias.trim() === '' ? {} : { alias: alias.trim() }),
      });
      setAdded(contact);
      setLink('');
      setAlias('');
      announce(`${contactName(contact)} is now a contact.`);
    });
  };

  return (
    <section className="card" aria-labelledby="add-contact-title">
      <h2 id="add-contact-title">Add a contact</h2>
      <form className="form" onSubmit={submit}>
        <TextAreaField
          label="Link you received"
          mono
          rows={3}
          value={link}
          spellCheck={false}
          placeholder="kindred:contact/…"
          onChange={setLink}
        />
        <TextField
          label="Alias (optional)"
          value={alias}
          maxLength={64}
          hint="A name only you see for this contact."
          onChange={setAlias}
        />
        <ErrorText error={action.error} />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || link.trim() === ''}
        >
          Add contact
        </button>
      </form>
      {added !== undefined && (
        <div className="success-box" role="status">
          <Icon name="check" />
          <span>{contactName(added)} is now a contact.</span>
          <button
            type="button"
            className="button"
            onClick={() => {
              navigate({ kind: 'conversation', id: added.conversationId });
            }}
          >
            Write to {contactName(added)}
          </button>
        </div>
      )}
    </section>
  );
}
