import { useRef, useState, type SubmitEvent } from 'react';
import type {
  FollowLinkView,
  JournalFollowerView,
  JournalView,
  PostedUpdateView,
} from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { TextAreaField, TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { InviteOptions, type InviteOptionsValue } from '../components/InviteOptions.dom.js';
import { stageFile } from '../conversation/attachmentTransfers.dom.js';
import { useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { JournalFiles } from './JournalFiles.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';

/** The author's side: follow links, writing an update, followers, and the updates posted. */
export function JournalAuthor({ journal }: { journal: JournalView }) {
  const text = useText();
  return (
    <>
      <section className="card" aria-labelledby="journal-mine-title">
        <h2 id="journal-mine-title">{journal.title}</h2>
        <p className="hint">
          {text('journal.summary', { followers: journal.followers, updates: journal.updates })}
        </p>
      </section>
      <div className="screen-columns">
        <PostUpdate />
        <FollowLinks />
      </div>
      <Followers />
      <PostedUpdates />
    </>
  );
}

function FollowLinks() {
  const api = useApi();
  const text = useText();
  const format = useFormatting();
  const announce = useAnnounce();
  const revision = useListsRevision();
  const action = useAction();
  const [options, setOptions] = useState<InviteOptionsValue>({
    maxUses: 10,
    expiresInHours: 24 * 7,
  });
  const [fresh, setFresh] = useState<FollowLinkView | undefined>(undefined);
  const links = useLoad('journal-links', revision, () => api.call('journal.links', {}));
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      setFresh(await api.call('journal.createLink', options));
    });
  };
  const copy = (link: string) => {
    void navigator.clipboard.writeText(link).then(
      () => {
        announce(text('journal.linkCopied'));
      },
      () => {
        announce(text('journal.copyFailed'));
      },
    );
  };
  const live = (links.data ?? []).filter(
    (link) => link.uses < link.maxUses && link.expiresAt > Date.now(),
  );
  return (
    <section className="card" aria-labelledby="journal-links-title">
      <h2 id="journal-links-title">{text('journal.linksTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">{text('journal.linksHint')}</p>
        <InviteOptions value={options} onChange={setOptions} />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('journal.createLink')}
        </button>
      </form>
      {fresh !== undefined && (
        <div className="invite-panel">
          <TextField
            label={text('journal.yourLink')}
            value={fresh.link}
            onChange={() => undefined}
            readOnly
            mono
          />
          <p className="hint">
            {text('journal.linkNote', {
              uses: fresh.maxUses,
              expires: format.fullTime(fresh.expiresAt),
            })}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              copy(fresh.link);
            }}
          >
            <Icon name="copy" />
            {text('journal.copyLink')}
          </button>
        </div>
      )}
      <ErrorText error={links.error} />
      {live.length > 0 && (
        <ul className="rows" aria-label={text('journal.liveLinks')}>
          {live.map((link) => (
            <li key={link.inviteId} className="row">
              <span>
                {text('journal.linkUses', {
                  uses: link.uses,
                  maxUses: link.maxUses,
                  expires: format.fullTime(link.expiresAt),
                })}
              </span>
              <button
                type="button"
                className="button button-danger"
                disabled={action.busy}
                onClick={() => {
                  action.run(async () => {
                    await api.call('journal.revokeLink', { inviteId: link.inviteId });
                    if (fresh?.inviteId === link.inviteId) setFresh(undefined);
                    announce(text('journal.linkRevoked'));
                  });
                }}
              >
                {text('journal.revokeLink')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PostUpdate() {
  const api = useApi();
  const text = useText();
  const announce = useAnnounce();
  const action = useAction();
  const [words, setWords] = useState('');
  const [warning, setWarning] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (words.trim() === '' && photos.length === 0) return;
    action.run(async () => {
      const staged = [];
      for (const photo of photos) staged.push(await stageFile(api, photo, () => undefined));
      const posted = await api.call('journal.post', {
        text: words.trim() === '' ? '' : words,
        ...(staged.length === 0 ? {} : { attachments: staged.map((file) => file.stagingId) }),
        ...(warning.trim() === '' ? {} : { warning: warning.trim() }),
      });
      setWords('');
      setWarning('');
      setPhotos([]);
      if (fileInput.current !== null) fileInput.current.value = '';
      announce(text('journal.posted', { followers: posted.sentTo }));
    });
  };
  return (
    <section className="card" aria-labelledby="journal-post-title">
      <h2 id="journal-post-title">{text('journal.postTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <TextAreaField
          label={text('journal.updateText')}
          value={words}
          onChange={setWords}
          rows={4}
        />
        <div className="field">
          <label className="field-label" htmlFor="journal-photos">
            {text('journal.photos')}
          </label>
          <input
            id="journal-photos"
            ref={fileInput}
            type="file"
            accept="image/*"
            multiple
            onChange={(event) => {
              setPhotos([...(event.target.files ?? [])]);
            }}
          />
        </div>
        <TextField
          label={text('journal.warning')}
          hint={text('journal.warningHint')}
          value={warning}
          onChange={setWarning}
          maxLength={100}
        />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('journal.post')}
        </button>
      </form>
    </section>
  );
}

function Followers() {
  const api = useApi();
  const text = useText();
  const format = useFormatting();
  const revision = useListsRevision();
  const followers = useLoad('journal-followers', revision, () => api.call('journal.followers', {}));
  const [removing, setRemoving] = useState<JournalFollowerView | undefined>(undefined);
  return (
    <section className="card" aria-labelledby="journal-followers-title">
      <h2 id="journal-followers-title">{text('journal.followersTitle')}</h2>
      <p className="hint">{text('journal.followersHint')}</p>
      <ErrorText error={followers.error} />
      {followers.data?.length === 0 && <p className="hint">{text('journal.noFollowers')}</p>}
      {followers.data !== undefined && followers.data.length > 0 && (
        <ul className="rows">
          {followers.data.map((follower) => (
            <li key={follower.address} className="row">
              <span className="journal-follower">
                <strong>{follower.pseudonym}</strong>
                <span className="hint">
                  {text('journal.followingSince', { date: format.fullTime(follower.followedAt) })}
                </span>
              </span>
              <button
                type="button"
                className="button button-danger"
                aria-label={text('journal.removeNamed', { name: follower.pseudonym })}
                onClick={() => {
                  setRemoving(follower);
                }}
              >
                {text('journal.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {removing !== undefined && (
        <RemoveFollowerDialog
          follower={removing}
          onClose={() => {
            setRemoving(undefined);
          }}
        />
      )}
    </section>
  );
}

function RemoveFollowerDialog({
  follower,
  onClose,
}: {
  follower: JournalFollowerView;
  onClose: () => void;
}) {
  const api = useApi();
  const text = useText();
  const announce = useAnnounce();
  const action = useAction();
  return (
    <ConfirmDialog
      title={text('journal.removeTitle', { name: follower.pseudonym })}
      confirmLabel={text('journal.remove')}
      danger
      busy={action.busy}
      error={action.error}
      onCancel={onClose}
      onConfirm={() => {
        action.run(async () => {
          await api.call('journal.removeFollower', { follower: follower.address });
          announce(text('journal.removed', { name: follower.pseudonym }));
          onClose();
        });
      }}
    >
      <p>{text('journal.removeExplained', { name: follower.pseudonym })}</p>
    </ConfirmDialog>
  );
}

function PostedUpdates() {
  const api = useApi();
  const text = useText();
  const revision = useListsRevision();
  const updates = useLoad('journal-updates', revision, () => api.call('journal.updates', {}));
  return (
    <section className="card" aria-labelledby="journal-updates-title">
      <h2 id="journal-updates-title">{text('journal.updatesTitle')}</h2>
      <ErrorText error={updates.error} />
      {updates.data?.length === 0 && <p className="hint">{text('journal.noUpdates')}</p>}
      {updates.data !== undefined && updates.data.length > 0 && (
        <ol className="journal-updates">
          {[...updates.data].reverse().map((update) => (
            <PostedUpdateItem key={update.updateId} update={update} />
          ))}
        </ol>
      )}
    </section>
  );
}

function PostedUpdateItem({ update }: { update: PostedUpdateView }) {
  const text = useText();
  const format = useFormatting();
  return (
    <li className="journal-update">
      <p className="hint">
        {text('journal.postedLine', {
          when: format.fullTime(update.postedAt),
          followers: update.sentTo,
        })}
      </p>
      {update.warning !== undefined && (
        <p className="status-line">
          <Icon name="warning" />
          {text('journal.warningShown', { warning: update.warning })}
        </p>
      )}
      {update.text.trim() !== '' && <p className="journal-text">{update.text}</p>}
      <JournalFiles
        count={update.attachments}
        {...(update.files === undefined ? {} : { files: update.files })}
      />
      <p className="journal-hearts">{text('journal.hearts', { count: update.hearts })}</p>
      {update.support.length > 0 && (
        <ul className="journal-support" aria-label={text('journal.supportReceived')}>
          {update.support.map((support) => (
            <li key={`${support.follower}-${String(support.sentAt)}`}>
              {text('journal.supportLine', { name: support.pseudonym, text: support.text })}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
