import { useState } from 'react';
import { useIntl } from 'react-intl';
import type { ListingPageView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { AskToJoinDialog } from './AskToJoinDialog.dom.js';
import type { DirectoryQuery } from './directoryQuery.dom.js';
import { JoinTag } from './ListingCard.dom.js';
import {
  audienceWords,
  languageList,
  memberWords,
  regionName,
  relayName,
} from './listingWords.dom.js';

/**
 * A listing's page: every field of the listing, the facilitators whose credentials checked out
 * (a badge with the operator's role title), and "Ask to join" (or "Join group" for an open one).
 * Opening it asks main for the vault's copy: nothing reaches a relay until the person asks.
 */
export function ListingScreen({
  groupId,
  query,
}: {
  groupId: string;
  query?: DirectoryQuery | undefined;
}) {
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const revision = useListsRevision();
  const page = useLoad(`listing:${groupId}`, revision, () =>
    api.call('directory.listing', { groupId }),
  );
  const listing = page.data;
  return (
    <div className="screen directory-screen">
      <header className="screen-header">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            navigate(query === undefined ? { kind: 'directory' } : { kind: 'directory', query });
          }}
        >
          {text('directory.page.back')}
        </button>
        <h1 tabIndex={-1} dir="auto">
          {listing?.name ?? text('directory.page.loading')}
        </h1>
        {listing !== undefined && (
          <p className="listing-tags">
            <JoinTag listing={listing} />
          </p>
        )}
      </header>
      <ErrorText error={page.error} />
      {listing !== undefined && <ListingBody listing={listing} />}
    </div>
  );
}

function ListingBody({ listing }: { listing: ListingPageView }) {
  const text = useText();
  const intl = useIntl();
  return (
    <div className="panel-stack">
      <JoinCard listing={listing} />
      <section className="card" aria-labelledby="listing-about-title">
        <h2 id="listing-about-title">{text('directory.page.about')}</h2>
        <p className="prewrap" dir="auto">
          {listing.description === '' ? text('directory.page.noDescription') : listing.description}
        </p>
        <h3>{text('directory.page.details')}</h3>
        <dl className="listing-fields">
          <dt>{text('directory.page.conditions')}</dt>
          <dd>
            <ul className="listing-conditions">
              {listing.conditions.map((condition) => (
                <li key={condition.id === '' ? `text:${condition.name}` : condition.id} dir="auto">
                  {condition.name}
                </li>
              ))}
            </ul>
          </dd>
          <dt>{text('directory.page.for')}</dt>
          <dd>{audienceWords(text, intl, listing.audiences)}</dd>
          <dt>{text('directory.page.languages')}</dt>
          <dd>{languageList(intl, listing.languages)}</dd>
          <dt>{text('directory.page.region')}</dt>
          <dd>
            {listing.region === ''
              ? text('directory.card.anywhere')
              : regionName(intl.locale, listing.region)}
          </dd>
          <dt>{text('directory.page.rhythm')}</dt>
          <dd dir="auto">
            {listing.rhythm === '' ? text('directory.page.noRhythm') : listing.rhythm}
          </dd>
          <dt>{text('directory.page.size')}</dt>
          <dd>{memberWords(text, listing.members)}</dd>
          <dt>{text('directory.page.joining')}</dt>
          <dd>
            {listing.joinByApproval
              ? text('directory.page.byApproval')
              : text('directory.page.open')}
          </dd>
          <dt>{text('directory.page.relay')}</dt>
          <dd className="mono" dir="ltr">
            {relayName(listing.relayUrl)}
          </dd>
        </dl>
        <p className="hint">
          {text('directory.page.approved', {
            date: intl.formatDate(listing.approvedAt, { dateStyle: 'long' }),
          })}
        </p>
      </section>
      <FacilitatorsCard listing={listing} />
    </div>
  );
}

function FacilitatorsCard({ listing }: { listing: ListingPageView }) {
  const text = useText();
  return (
    <section className="card" aria-labelledby="listing-facilitators-title">
      <h2 id="listing-facilitators-title">{text('directory.page.facilitators')}</h2>
      {listing.facilitators.length === 0 ? (
        <p className="hint">{text('directory.page.noFacilitators')}</p>
      ) : (
        <ul className="listing-badges">
          {listing.facilitators.map((badge, index) => (
            <li key={`${badge.roleTitle}-${String(index)}`}>
              <span className="facilitator-badge" dir="auto">
                <Icon name="verified" />
                {badge.roleTitle}
              </span>
            </li>
          ))}
        </ul>
      )}
      {listing.facilitators.length > 0 && (
        <p className="hint">{text('directory.page.badgeHint')}</p>
      )}
      {listing.uncheckedFacilitators > 0 && (
        <p className="hint">
          {text('directory.page.uncheckedFacilitators', { count: listing.uncheckedFacilitators })}
        </p>
      )}
    </section>
  );
}

/** Where the person stands: a button to ask, "Asked to join — a moderator will decide", or in. */
function JoinCard({ listing }: { listing: ListingPageView }) {
  const text = useText();
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const { standing } = listing;
  return (
    <section className="card listing-join" aria-label={text('directory.page.joining')}>
      {standing.kind === 'none' && listing.joinable && (
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setAsking(true);
          }}
        >
          {listing.joinByApproval ? text('directory.page.askToJoin') : text('directory.page.join')}
        </button>
      )}
      {standing.kind === 'none' && !listing.joinable && <p>{text('directory.page.notJoinable')}</p>}
      {standing.kind !== 'none' && (
        <>
          <p className="status-line" role="status">
            <Icon name={standing.kind === 'member' ? 'check' : 'clock'} />
            {standing.kind === 'member'
              ? text('directory.page.member')
              : text('directory.page.requested')}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              navigate({ kind: 'conversation', id: standing.conversationId });
            }}
          >
            <Icon name="chat" />
            {text('directory.page.openGroup')}
          </button>
        </>
      )}
      {asking && (
        <AskToJoinDialog
          listing={listing}
          onClose={() => {
            setAsking(false);
          }}
        />
      )}
    </section>
  );
}
