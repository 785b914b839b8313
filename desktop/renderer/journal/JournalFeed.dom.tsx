import { useState, type SubmitEvent } from 'react';
import type { FeedUpdateView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
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

/**
 * The follower's side: the journals followed, then their updates newest first, as a feed (not a
 * chat): each update with a heart and a support message only its author sees.
 */
export function JournalFeed() {
  const api = useApi();
  const text = useText();
  const revision = useListsRevision();
  const following = useLoad('journal-following', revision, () => api.call('journal.following', {}));
  const feed = useLoad('journal-feed', revision, () => api.call('journal.feed', {}));
  if (following.data?.length === 0) return null;
  return (
    <section className="card" aria-labelledby="journal-feed-title">
      <h2 id="journal-feed-title">{text('journal.feedTitle')}</h2>
      <p className="hint">
        {text('journal.followingList', {
          titles: (following.data ?? []).map((journal) => journal.title).join(', '),
        })}
      </p>
      <ErrorText error={following.error ?? feed.error} />
      {feed.data?.length === 0 && <p className="hint">{text('journal.feedEmpty')}</p>}
      {feed.data !== undefined && feed.data.length > 0 && (
        <ol className="journal-updates" aria-label={text('journal.feedTitle')}>
          {[...feed.data].reverse().map((update) => (
            <FeedItem key={update.updateId} update={update} />
          ))}
        </ol>
      )}
    </section>
  );
}

function FeedItem({ update }: { update: FeedUpdateView }) {
  const api = useApi();
  const text = useText();
  const format = useFormatting();
  const announce = useAnnounce();
  const action = useAction();
  const [revealed, setRevealed] = useState(false);
  const [support, setSupport] = useState('');
  const covered = update.warning !== undefined && !revealed;
  const sendSupport = (event: SubmitEvent) => {
    event.preventDefault();
    if (support.trim() === '') return;
    action.run(async () => {
      await api.call('journal.support', { updateId: update.updateId, text: support.trim() });
      setSupport('');
      announce(text('journal.supportSent'));
    });
  };
  return (
    <li className="journal-update" aria-label={text('journal.updateFrom', { title: update.title })}>
      <p className="hint">
        <strong>{update.title}</strong>
        <span className="journal-when">
          <time dateTime={new Date(update.sentAt).toISOString()}>
            {format.fullTime(update.sentAt)}
          </time>
        </span>
      </p>
      {update.deletedByAuthor ? (
        <p className="hint">{text('journal.deletedByAuthor')}</p>
      ) : (
        <>
          {update.warning !== undefined && (
            <p className="status-line">
              <Icon name="warning" />
              {text('journal.warningShown', { warning: update.warning })}
              {covered && (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setRevealed(true);
                  }}
                >
                  {text('journal.reveal')}
                </button>
              )}
            </p>
          )}
          {!covered && update.text.trim() !== '' && <p className="journal-text">{update.text}</p>}
          {!covered && (
            <JournalFiles
              count={update.attachments}
              {...(update.files === undefined ? {} : { files: update.files })}
            />
          )}
          <button
            type="button"
            className={update.hearted ? 'button button-primary' : 'button'}
            aria-pressed={update.hearted}
            disabled={action.busy}
            onClick={() => {
              action.run(async () => {
                await api.call('journal.heart', { updateId: update.updateId, on: !update.hearted });
                announce(text(update.hearted ? 'journal.heartTaken' : 'journal.heartSent'));
              });
            }}
          >
            {text(update.hearted ? 'journal.hearted' : 'journal.heart')}
          </button>
          {update.support.length > 0 && (
            <ul className="journal-support" aria-label={text('journal.yourSupport')}>
              {update.support.map((sent) => (
                <li key={sent.sentAt}>{sent.text}</li>
              ))}
            </ul>
          )}
          <form className="form" onSubmit={sendSupport}>
            <TextAreaField
              label={text('journal.supportField')}
              hint={text('journal.supportHint', { title: update.title })}
              value={support}
              onChange={setSupport}
              rows={2}
            />
            <ErrorText error={action.error} />
            <button type="submit" className="button" disabled={action.busy}>
              {text('journal.sendSupport')}
            </button>
          </form>
        </>
      )}
    </li>
  );
}
