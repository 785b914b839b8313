import { useIntl } from 'react-intl';
import type { ListingCardView } from '../../shared/api.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { Icon } from '../components/Icon.dom.js';
import {
  audienceWords,
  hostedWords,
  languageList,
  memberWords,
  regionName,
} from './listingWords.dom.js';

/**
 * One search result: the group's name (a button opening its page), its conditions in words, who
 * it is for, languages, region, rhythm, size, how joining goes and which relay hosts it.
 */
export function ListingCard({
  listing,
  onOpen,
}: {
  listing: ListingCardView;
  onOpen: (groupId: string) => void;
}) {
  const text = useText();
  const intl = useIntl();
  const headingId = `listing-${listing.groupId}`;
  return (
    <article className="listing-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="listing-card-name">
        <button
          type="button"
          className="link-button"
          dir="auto"
          onClick={() => {
            onOpen(listing.groupId);
          }}
        >
          {listing.name}
        </button>
      </h2>
      <ul className="listing-conditions" aria-label={text('directory.page.conditions')}>
        {listing.conditions.map((condition) => (
          <li key={condition.id === '' ? `text:${condition.name}` : condition.id} dir="auto">
            {condition.name}
          </li>
        ))}
      </ul>
      <p className="listing-facts">
        <span>
          {text('directory.card.for', { audiences: audienceWords(text, intl, listing.audiences) })}
        </span>
        <span>
          {text('directory.card.languages', { languages: languageList(intl, listing.languages) })}
        </span>
        <span>
          {listing.region === ''
            ? text('directory.card.anywhere')
            : regionName(intl.locale, listing.region)}
        </span>
        <span>{memberWords(text, listing.members)}</span>
      </p>
      {listing.rhythm !== '' && (
        <p className="listing-rhythm" dir="auto">
          <Icon name="clock" />
          {listing.rhythm}
        </p>
      )}
      <p className="listing-tags">
        <JoinTag listing={listing} />
        <span className="listing-relay">{hostedWords(text, listing)}</span>
      </p>
    </article>
  );
}

/** "Asks to join", "Open", or "Not open to join now". */
export function JoinTag({ listing }: { listing: ListingCardView }) {
  const text = useText();
  if (!listing.joinable)
    return <span className="tag tag-muted">{text('directory.card.closed')}</span>;
  return listing.joinByApproval ? (
    <span className="tag tag-role">{text('directory.card.asks')}</span>
  ) : (
    <span className="tag tag-good">{text('directory.card.open')}</span>
  );
}
