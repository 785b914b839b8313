import { useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import type { DirectoryOverviewView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { DirectoryFollows } from './DirectoryFollows.dom.js';
import { DirectorySearchForm } from './DirectorySearchForm.dom.js';
import {
  EMPTY_QUERY,
  isEmptyQuery,
  searchArgs,
  type DirectoryQuery,
} from './directoryQuery.dom.js';
import { ListingCard } from './ListingCard.dom.js';
import { agoWords } from './listingWords.dom.js';
import { wordError } from '../i18n/errorWords.dom.js';

/** How often "Updated 2 minutes ago" is worded again. */
const CLOCK_TICK_MS = 30_000;

/**
 * "Find a community": search the directories this vault follows, on this device, and open a
 * listing. The first visit fetches them (anonymously); after that, Refresh does.
 */
export function FindCommunityScreen({
  initialQuery = EMPTY_QUERY,
}: {
  initialQuery?: DirectoryQuery | undefined;
}) {
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const listsRevision = useListsRevision();
  const [query, setQuery] = useState(initialQuery);
  // A refresh's own answer shows at once; the next load keeps it current.
  const [revision, setRevision] = useState(0);
  const overview = useLoad('directory-overview', revision + listsRevision, () =>
    api.call('directory.overview', {}),
  );
  const [refreshed, setRefreshed] = useState<DirectoryOverviewView | undefined>(undefined);
  const shown = refreshed ?? overview.data;
  const vocabulary = shown?.vocabulary;
  const args = vocabulary === undefined ? undefined : searchArgs(query, vocabulary);
  const results = useLoad(
    args === undefined ? undefined : `directory-search:${JSON.stringify(args)}`,
    revision,
    () => api.call('directory.search', args ?? { text: '' }),
  );
  const refresh = useAction();
  const runRefresh = (say: boolean) => {
    refresh.run(async () => {
      const next = await api.call('directory.refresh', {});
      setRefreshed(next);
      setRevision((count) => count + 1);
      if (say) announce(text('directory.refreshed'));
    });
  };
  // A directory never fetched is fetched on the first visit: a newcomer has nothing else to see.
  const fetchedOnce = useRef(false);
  useEffect(() => {
    if (fetchedOnce.current || shown === undefined) return;
    fetchedOnce.current = true;
    if (shown.follows.some((follow) => follow.refreshedAt === null)) runRefresh(false);
  }, [shown]);

  const found = results.data;
  const nothingListed = shown?.follows.every((follow) => follow.listings === 0) === true;
  return (
    <div className="screen directory-screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{text('directory.title')}</h1>
        <p className="lead">{text('directory.lead')}</p>
        <p className="hint directory-privacy">
          <Icon name="lock" />
          {text('directory.privacy')}
        </p>
      </header>
      <DirectorySearchForm query={query} overview={shown} onChange={setQuery} />
      <RefreshLine
        overview={shown}
        busy={refresh.busy}
        onRefresh={() => {
          runRefresh(true);
        }}
      />
      <ErrorText error={overview.error ?? refresh.error ?? results.error} />
      <section className="directory-results" aria-labelledby="directory-results-title">
        <h2 id="directory-results-title" className="visually-hidden">
          {text('directory.results')}
        </h2>
        <p className="hint" role="status">
          {found === undefined
            ? text('directory.searching')
            : text('directory.resultCount', { count: found.length })}
        </p>
        {found?.length === 0 && (
          <p className="directory-empty">
            {nothingListed && isEmptyQuery(query)
              ? text('directory.emptyDirectory')
              : text('directory.empty')}
          </p>
        )}
        {found !== undefined && found.length > 0 && (
          <ul className="listing-list" aria-label={text('directory.results')}>
            {found.map((listing) => (
              <li key={listing.groupId}>
                <ListingCard
                  listing={listing}
                  onOpen={(groupId) => {
                    navigate({ kind: 'listing', groupId, query });
                  }}
                />
              </li>
            ))}
          </ul>
        )}
        {query !== EMPTY_QUERY && !isEmptyQuery(query) && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setQuery(EMPTY_QUERY);
            }}
          >
            {text('directory.filter.clear')}
          </button>
        )}
      </section>
      {shown !== undefined && (
        <DirectoryFollows
          overview={shown}
          onChanged={(next) => {
            setRefreshed(next);
            setRevision((count) => count + 1);
          }}
        />
      )}
    </div>
  );
}

/** "Updated 2 minutes ago", the Refresh button, and what the last refresh could not check. */
function RefreshLine({
  overview,
  busy,
  onRefresh,
}: {
  overview: DirectoryOverviewView | undefined;
  busy: boolean;
  onRefresh: () => void;
}) {
  const text = useText();
  const intl = useIntl();
  const now = useNow();
  const times = (overview?.follows ?? [])
    .map((follow) => follow.refreshedAt)
    .filter((at) => at !== null);
  // The oldest fetch is what the page may be behind by.
  const oldest = times.length === 0 ? undefined : Math.min(...times);
  const refused = (overview?.follows ?? []).reduce((sum, follow) => sum + follow.refused, 0);
  const failure = overview?.follows.find((follow) => follow.failure !== null)?.failure ?? null;
  return (
    <div className="directory-refresh">
      <p className="hint" role="status">
        {busy
          ? text('directory.refreshing')
          : oldest === undefined
            ? text('directory.neverUpdated')
            : text('directory.updated', { ago: agoWords(intl, oldest, now) })}
      </p>
      <button type="button" className="button button-quiet" disabled={busy} onClick={onRefresh}>
        {text('directory.refresh')}
      </button>
      {failure !== null && !busy && (
        <p className="directory-refused" role="alert">
          <Icon name="warning" />
          {wordError(failure, {}, text('directory.refreshFailed'))}
        </p>
      )}
      {refused > 0 && (
        <p className="directory-refused">
          <Icon name="warning" />
          {text('directory.refused', { count: refused })}
        </p>
      )}
    </div>
  );
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, CLOCK_TICK_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}
