import { useState } from 'react';
import type { DirectoryOverviewView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { relayName } from './listingWords.dom.js';

/** The scheme a relay's address starts with: not words, so not translated. */
const WSS = 'wss://';

/**
 * The directories this vault follows: its own relay's (always), and others added by address. A
 * new one's trust root is pinned on first use by core, over an anonymous connection.
 */
export function DirectoryFollows({
  overview,
  onChanged,
}: {
  overview: DirectoryOverviewView;
  onChanged: (next: DirectoryOverviewView) => void;
}) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const [address, setAddress] = useState('');
  const action = useAction();
  return (
    <section className="card directory-follows" aria-labelledby="directory-follows-title">
      <h2 id="directory-follows-title">{text('directoryListing.follows')}</h2>
      <ul className="rows">
        {overview.follows.map((follow) => {
          const relay = relayName(follow.relayUrl);
          return (
            <li key={follow.relayUrl} className="row">
              <span className="row-main">
                <span className="row-title" dir="ltr">
                  {follow.homeRelay ? text('directoryListing.homeRelay', { relay }) : relay}
                </span>
                <span className="hint">
                  {text('directoryListing.listingCount', { count: follow.listings })}
                </span>
              </span>
              {!follow.homeRelay && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={action.busy}
                  onClick={() => {
                    action.run(async () => {
                      onChanged(
                        await api.call('directory.unfollow', { relayUrl: follow.relayUrl }),
                      );
                      announce(text('directoryListing.unfollowed', { relay }));
                    });
                  }}
                >
                  {text('directoryListing.unfollow', { relay })}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form
        className="form form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          const relayUrl = address.trim();
          if (relayUrl === '') return;
          action.run(async () => {
            onChanged(await api.call('directory.follow', { relayUrl }));
            setAddress('');
            announce(text('directoryListing.followed', { relay: relayName(relayUrl) }));
          });
        }}
      >
        <TextField
          label={text('directoryListing.followLabel')}
          layout="grow"
          mono
          value={address}
          maxLength={2048}
          autoComplete="off"
          spellCheck={false}
          placeholder={WSS}
          hint={text('directoryListing.followHint')}
          onChange={setAddress}
        />
        <button type="submit" className="button" disabled={action.busy || address.trim() === ''}>
          {text('directoryListing.follow')}
        </button>
      </form>
      <ErrorText error={action.error} />
    </section>
  );
}
