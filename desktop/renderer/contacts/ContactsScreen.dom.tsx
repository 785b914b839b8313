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
import { initialOf, useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { SafetyNumberDialog } from './SafetyNumberDialog.dom.js';
import { ApiCallError } from '../bridge.dom.js';
import { isFollowLink } from '../journal/followLinkShape.dom.js';

/** How a group invite link begins (core's link format). */
const GROUP_LINK_PREFIX = 'kindred:group/';

/** What an invite link looks like, as a hint in the empty field. */
const LINK_SHAPE = 'kindred:contact/…';
const SPACE = ' ';

/** People you talk to one to one: invite someone, add someone, and check safety numbers. */
export function ContactsScreen() {
  const api = useApi();
  const revision = useListsRevision();
  const contacts = useLoad('contacts', revision, () => api.call('contacts.list', {}));
  const [safetyFor, setSafetyFor] = useState<ContactView | undefined>(undefined);
  const [blockFor, setBlockFor] = useState<ContactView | undefined>(undefined);
  const text = useText();

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{text('shell.contacts')}</h1>
        <p className="lead">{text('contacts.lead')}</p>
      </header>
      <div className="screen-columns">
        <CreateInviteSection />
        <AddContactSection />
      </div>
      <section className="card" aria-labelledby="contacts-list-title">
        <h2 id="contacts-list-title">{text('contacts.yours')}</h2>
        <ErrorText error={contacts.error} />
        {contacts.data?.length === 0 && <p className="hint">{text('contacts.none')}</p>}
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
  const text = useText();
  const name = contactName(contact);
  const blocking = !contact.blocked;
  return (
    <ConfirmDialog
      title={text(blocking ? 'contacts.blockTitle' : 'contacts.unblockTitle', { name })}
      confirmLabel={text(blocking ? 'contacts.block' : 'contacts.unblock')}
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
          announce(text(blocking ? 'contacts.blocked' : 'contacts.unblocked', { name }));
          onClose();
        });
      }}
    >
      <p>{text(blocking ? 'contacts.blockExplained' : 'contacts.unblockExplained', { name })}</p>
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
  const text = useText();
  const formatting = useFormatting();
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
            <span className="row-aside">
              {SPACE}
              {text('contacts.pseudonymAside', { pseudonym: contact.pseudonym })}
            </span>
          )}
        </span>
        <span className="row-sub">
          {contact.verified ? (
            <span className="tag tag-good">
              <Icon name="verified" />
              {text('contacts.verified')}
            </span>
          ) : (
            <span className="tag">{text('contacts.notVerified')}</span>
          )}
          {SPACE}
          {contact.blocked && (
            <span className="tag tag-blocked">{text('contacts.blockedTag')}</span>
          )}
          {SPACE}
          <RefusedTag contact={contact} />
          {SPACE}
          {text('contacts.added', { time: formatting.fullTime(contact.addedAt) })}
        </span>
      </div>
      <div className="row-actions">
        <OpenChatButton
          conversationId={contact.conversationId}
          label={text('contacts.openChat', { name })}
        />
        <ReadReceiptsToggle contact={contact} name={name} />
        <button
          type="button"
          className="button"
          aria-label={text('contacts.safetyNumberWith', { name })}
          onClick={onSafetyNumber}
        >
          <Icon name="verified" />
          {text('contacts.safetyNumber')}
        </button>
        <button
          type="button"
          className={contact.blocked ? 'button' : 'button button-danger'}
          aria-label={text(contact.blocked ? 'contacts.unblockNamed' : 'contacts.blockNamed', {
            name,
          })}
          onClick={onBlock}
        >
          {text(contact.blocked ? 'contacts.unblock' : 'contacts.block')}
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
  const text = useText();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      setInvite(await api.call('contacts.createInvite', options));
    });
  };

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{text('contacts.inviteTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">{text('contacts.inviteHint')}</p>
        <InviteOptions value={options} onChange={setOptions} />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('contacts.createInvite')}
        </button>
      </form>
      {invite !== undefined && (
        <InviteLinkPanel
          label={text('contacts.yourInvite')}
          qrLabel={text('contacts.inviteQr')}
          link={invite.link}
          expiresAt={invite.expiresAt}
          note={text('contacts.inviteUses', { uses: options.maxUses })}
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
  const text = useText();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (link.trim() === '') return;
    setAdded(undefined);
    if (isFollowLink(link.trim())) {
      // A journal's follow link: following is a choice made on the Journal screen.
      announce(text('journal.followLinkHere'));
      navigate({ kind: 'journal', followLink: link.trim() });
      return;
    }
    action.run(async () => {
      if (link.trim().startsWith(GROUP_LINK_PREFIX)) {
        // A group's link pasted here: say where it goes (core would only call it invalid).
        throw new ApiCallError(
          { code: 'CORE_INVALID_INVITE_LINK', message: text('contacts.groupLink') },
          { worded: true },
        );
      }
      const contact = await api.call('contacts.add', {
        link: link.trim(),
        ...(alias.trim() === '' ? {} : { alias: alias.trim() }),
      });
      setAdded(contact);
      setLink('');
      setAlias('');
      announce(text('contacts.isNowContact', { name: contactName(contact) }));
    });
  };

  return (
    <section className="card" aria-labelledby="add-contact-title">
      <h2 id="add-contact-title">{text('contacts.addTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <TextAreaField
          label={text('contacts.linkReceived')}
          mono
          rows={3}
          value={link}
          spellCheck={false}
          placeholder={LINK_SHAPE}
          onChange={setLink}
        />
        <TextField
          label={text('contacts.alias')}
          value={alias}
          maxLength={64}
          hint={text('contacts.aliasHint')}
          onChange={setAlias}
        />
        <ErrorText error={action.error} />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || link.trim() === ''}
        >
          {text('contacts.add')}
        </button>
      </form>
      {added !== undefined && (
        <div className="success-box" role="status">
          <Icon name="check" />
          <span>{text('contacts.isNowContact', { name: contactName(added) })}</span>
          <button
            type="button"
            className="button"
            onClick={() => {
              navigate({ kind: 'conversation', id: added.conversationId });
            }}
          >
            {text('contacts.writeTo', { name: contactName(added) })}
          </button>
        </div>
      )}
    </section>
  );
}
