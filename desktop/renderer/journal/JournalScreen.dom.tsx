import { useState, type SubmitEvent } from 'react';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { JournalAuthor } from './JournalAuthor.dom.js';
import { JournalFeed } from './JournalFeed.dom.js';

/**
 * Journals (docs/journal.md): the author's journal (or a form to start one), then the journals
 * this vault follows and their feed. A follow link opened from "Add someone" arrives as
 * `followLink`, filled in for the person to confirm.
 */
export function JournalScreen({ followLink }: { followLink?: string | undefined }) {
  const api = useApi();
  const revision = useListsRevision();
  const text = useText();
  const mine = useLoad('journal-mine', revision, () => api.call('journal.mine', {}));
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{text('journal.title')}</h1>
        <p className="lead">{text('journal.lead')}</p>
      </header>
      <ErrorText error={mine.error} />
      {mine.data === null && <CreateJournal />}
      {mine.data !== undefined && mine.data !== null && <JournalAuthor journal={mine.data} />}
      <JournalFeed />
      <FollowSection key={followLink ?? ''} initialLink={followLink ?? ''} />
    </div>
  );
}

function CreateJournal() {
  const api = useApi();
  const announce = useAnnounce();
  const text = useText();
  const action = useAction();
  const [title, setTitle] = useState('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (title.trim() === '') return;
    action.run(async () => {
      const journal = await api.call('journal.create', { title: title.trim() });
      announce(text('journal.created', { title: journal.title }));
    });
  };
  return (
    <section className="card" aria-labelledby="journal-create-title">
      <h2 id="journal-create-title">{text('journal.createTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">{text('journal.createHint')}</p>
        <TextField
          label={text('journal.titleField')}
          value={title}
          onChange={setTitle}
          maxLength={64}
          required
        />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('journal.create')}
        </button>
      </form>
    </section>
  );
}

function FollowSection({ initialLink }: { initialLink: string }) {
  const api = useApi();
  const announce = useAnnounce();
  const text = useText();
  const action = useAction();
  const [link, setLink] = useState(initialLink);
  const [pseudonym, setPseudonym] = useState('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (link.trim() === '') return;
    action.run(async () => {
      const followed = await api.call('journal.follow', {
        link: link.trim(),
        ...(pseudonym.trim() === '' ? {} : { pseudonym: pseudonym.trim() }),
      });
      setLink('');
      setPseudonym('');
      announce(text('journal.followed', { title: followed.title }));
    });
  };
  return (
    <section className="card" aria-labelledby="journal-follow-title">
      <h2 id="journal-follow-title">{text('journal.followTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">{text('journal.followHint')}</p>
        <TextField
          label={text('journal.followLink')}
          value={link}
          onChange={setLink}
          mono
          placeholder={FOLLOW_LINK_SHAPE}
          required
        />
        <TextField
          label={text('journal.followAs')}
          hint={text('journal.followAsHint')}
          value={pseudonym}
          onChange={setPseudonym}
          maxLength={64}
        />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('journal.follow')}
        </button>
      </form>
    </section>
  );
}

/** What a follow link looks like, as a hint in the empty field (core's format, not words). */
const FOLLOW_LINK_SHAPE = 'kindred:follow/…';
