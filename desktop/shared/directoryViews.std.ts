/**
 * What the window shows of the directory of listed groups (docs/directory.md): listings as cards
 * and pages, the directories this vault follows, and what an owner sends to be listed. Plain
 * JSON; ids are lowercase hex, times ms since the epoch. The window never sees a listing that
 * failed its checks (core refuses it), only how many were refused.
 */

/** Who a group is for (core's ListingAudience). */
export const LISTING_AUDIENCES = ['patients', 'caregivers', 'family', 'anyone'] as const;
export type ListingAudienceView = (typeof LISTING_AUDIENCES)[number];

/** The relay's coarse member count (core's MemberBucket). */
export type MemberBucketView = '1-10' | '11-50' | '51-200' | 'over-200';

/**
 * Core's LISTING_LIMITS, and the introduction's length: the window may not import core, so
 * tests/desktop/directoryCalls.test.ts keeps them equal.
 */
export const LISTING_FORM_LIMITS = {
  nameLength: 100,
  descriptionLength: 600,
  conditions: 10,
  conditionLength: 60,
  languages: 10,
  rhythmLength: 200,
  introductionLength: 500,
} as const;

/** A condition of a listing: a vocabulary entry (`id` like `c:als`), or free text (`id` ''). */
export interface ListingConditionView {
  readonly id: string;
  /** The vocabulary's name ("Amyotrophic lateral sclerosis (ALS)"), or the free text as typed. */
  readonly name: string;
}

/** One entry of the condition vocabulary, for the filters and the owner's form. */
export interface VocabularyConditionView {
  readonly id: string;
  readonly name: string;
  /** Other names it is found by ("motor neurone disease"). */
  readonly synonyms: readonly string[];
}

/** A listing as a search result shows it. */
export interface ListingCardView {
  /** The group's id, 32 hex characters. */
  readonly groupId: string;
  readonly name: string;
  readonly conditions: readonly ListingConditionView[];
  readonly audiences: readonly ListingAudienceView[];
  /** BCP 47 tags. */
  readonly languages: readonly string[];
  /** '' (anywhere) or ISO 3166 ("GB", "GB-SCT"). */
  readonly region: string;
  readonly rhythm: string;
  readonly members: MemberBucketView;
  /** "Asks to join" (a moderator decides) rather than "Open". */
  readonly joinByApproval: boolean;
  /** False when the listing's join link has expired: "not open to join now". */
  readonly joinable: boolean;
  /** The relay that hosts the group, as its URL. */
  readonly relayUrl: string;
  /** Whether that relay is this vault's own. */
  readonly homeRelay: boolean;
}

/** A facilitator whose credential checked out: a badge with the operator's role title. */
export interface FacilitatorBadgeView {
  readonly roleTitle: string;
}

/** Where this vault stands with a listed group. */
export type ListingStandingView =
  | { readonly kind: 'none' }
  /** Asked to join: a moderator will decide. */
  | { readonly kind: 'requested'; readonly conversationId: string }
  | { readonly kind: 'member'; readonly conversationId: string };

/** A persona of this vault that lives on the listing's relay (it could ask to join as itself). */
export interface ListingPersonaView {
  readonly address: string;
  readonly pseudonym: string;
}

/** A listing's page: every field. */
export interface ListingPageView extends ListingCardView {
  readonly description: string;
  readonly facilitators: readonly FacilitatorBadgeView[];
  /** Facilitator credentials that did not check out (expired, revoked, forged): no badge. */
  readonly uncheckedFacilitators: number;
  readonly approvedAt: number;
  readonly standing: ListingStandingView;
  readonly personasOnRelay: readonly ListingPersonaView[];
}

/** A directory this vault follows: its own relay's (always) or another relay's, by address. */
export interface DirectoryFollowView {
  readonly relayUrl: string;
  readonly homeRelay: boolean;
  /** Listings kept from it. */
  readonly listings: number;
  /** When it was last fetched, or null before the first refresh. */
  readonly refreshedAt: number | null;
  /** Entries of the last refresh that failed their checks and are not shown. */
  readonly refused: number;
  /** Why the last refresh of it failed (a core code, such as CORE_RELAY_UNREACHABLE), or null. */
  readonly failure: string | null;
}

/** The Find page's frame: the follows, the vocabulary, and the filters' choices. */
export interface DirectoryOverviewView {
  readonly follows: readonly DirectoryFollowView[];
  readonly vocabulary: readonly VocabularyConditionView[];
  /** Languages and regions of the listings kept, for the filters. */
  readonly languages: readonly string[];
  readonly regions: readonly string[];
}

/** An owner's listing request as the relay keeps it. */
export interface ListingRequestView {
  readonly sentAt: number;
}
