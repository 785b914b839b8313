import type { IntlShape } from 'react-intl';
import type {
  ListingAudienceView,
  ListingCardView,
  MemberBucketView,
} from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/**
 * A listing's fields in the person's language: member buckets and audiences from the catalogue,
 * language and country names from the browser's own tables (Intl.DisplayNames), so "pt-BR" reads
 * "Brazilian Portuguese" in English and "portugués de Brasil" in Spanish.
 */

const BUCKET_WORDS: Readonly<Record<MemberBucketView, MessageId>> = {
  '1-10': 'directory.members.upToTen',
  '11-50': 'directory.members.upToFifty',
  '51-200': 'directory.members.upToTwoHundred',
  'over-200': 'directory.members.overTwoHundred',
};

const AUDIENCE_WORDS: Readonly<Record<ListingAudienceView, MessageId>> = {
  patients: 'directory.audience.patients',
  caregivers: 'directory.audience.caregivers',
  family: 'directory.audience.family',
  anyone: 'directory.audience.anyone',
};

/** Capitalised, for a choice on its own ("Caregivers"). */
export const AUDIENCE_CHOICES: Readonly<Record<ListingAudienceView, MessageId>> = {
  patients: 'directory.audienceChoice.patients',
  caregivers: 'directory.audienceChoice.caregivers',
  family: 'directory.audienceChoice.family',
  anyone: 'directory.audienceChoice.anyone',
};

export function memberWords(text: TextOf, bucket: MemberBucketView): string {
  return text(BUCKET_WORDS[bucket]);
}

/** "patients and caregivers", mid-sentence. */
export function audienceWords(
  text: TextOf,
  intl: IntlShape,
  audiences: readonly ListingAudienceView[],
): string {
  return intl.formatList(audiences.map((audience) => text(AUDIENCE_WORDS[audience])));
}

/** A BCP 47 tag's name in `locale`; the tag itself when the browser has no name for it. */
export function languageName(locale: string, tag: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export function languageList(intl: IntlShape, tags: readonly string[]): string {
  return intl.formatList(tags.map((tag) => languageName(intl.locale, tag)));
}

/**
 * "United Kingdom", or for a subdivision "United Kingdom (GB-SCT)": browsers name countries but
 * not their parts, so the part keeps its code.
 */
export function regionName(locale: string, code: string): string {
  const [country = code, part] = code.split('-');
  let name = country;
  try {
    name =
      new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }).of(country) ?? country;
  } catch {
    // An odd code is shown as it is.
  }
  return part === undefined ? name : `${name} (${code})`;
}

/** A relay's address without its scheme, as people read it: "relay.example.org". */
export function relayName(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname);
  } catch {
    return url;
  }
}

/** "Hosted by your relay" or "Hosted by relay.example.org". */
export function hostedWords(text: TextOf, listing: ListingCardView): string {
  return listing.homeRelay
    ? text('directory.card.hostedHere')
    : text('directory.card.hostedBy', { relay: relayName(listing.relayUrl) });
}

const UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: 'day', ms: 86_400_000 },
  { unit: 'hour', ms: 3_600_000 },
  { unit: 'minute', ms: 60_000 },
];

/** "2 minutes ago", "yesterday", "now": how long ago `at` was, in the window's language. */
export function agoWords(intl: IntlShape, at: number, now: number): string {
  const elapsed = Math.max(0, now - at);
  for (const { unit, ms } of UNITS) {
    if (elapsed >= ms) {
      return intl.formatRelativeTime(-Math.floor(elapsed / ms), unit, { numeric: 'auto' });
    }
  }
  return intl.formatRelativeTime(0, 'second', { numeric: 'auto' });
}
