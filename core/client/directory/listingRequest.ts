import { fromHex } from '../../bytes/bytes.js';
import type { ListingAudience, ListingDraft } from '../../directory/index.js';
import { LISTING_LIMITS, signListing } from '../../directory/index.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { MAX_INVITE_USES } from '../../groups/GroupRules.js';
import type { GroupSession } from '../groups/GroupSession.js';

/** What an owner says about a group to list it; name and description default to the group's. */
export interface ListingRequest {
  readonly conditions: readonly string[];
  readonly audiences: readonly ListingAudience[];
  readonly languages: readonly string[];
  readonly region?: string;
  readonly rhythm?: string;
  readonly name?: string;
  readonly description?: string;
}

export interface ListingRequested {
  readonly groupId: string;
  /** The many-use link made for the listing: what "Ask to join" uses. */
  readonly joinLink: string;
  readonly joinLinkExpiresAt: number;
}

/**
 * How long a listing's join link lives: a year, so a listing stays joinable between the owner's
 * renewals (a new request makes a new link; "Reset invite links" ends it early).
 */
export const LISTING_LINK_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Asks the relay to list the group `groupId` (hex), owned by the session's persona: a new
 * many-use group link for the listing (MAX_INVITE_USES uses, a year), the listing signed by the
 * owner persona, and RequestListing on its authenticated connection. The operator approves it
 * before anyone sees it. CORE_GROUP_FORBIDDEN when this persona is not the group's owner;
 * CORE_LISTING_INVALID (with the reason) for a field out of bounds, before anything is sent.
 */
export async function requestListing(
  session: GroupSession,
  groupId: string,
  request: ListingRequest,
  now: number = Date.now(),
): Promise<ListingRequested> {
  const details = await session.reading.details(groupId);
  if (details.role !== 'owner') {
    throw new CoreError(CoreErrorCode.GroupForbidden, 'only the group’s owner may list it');
  }
  const groupIdBytes = fromHex(groupId);
  if (groupIdBytes === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'no such group');
  // The owner's and moderators' credentials that verify now: the listing shows their badges.
  const facilitators = (await session.credentials.ofModerators(groupIdBytes)).slice(
    0,
    LISTING_LIMITS.facilitators,
  );
  const draftFor = (joinLink: string, relayId: Uint8Array, relayUrl: string): ListingDraft => ({
    groupId: groupIdBytes,
    relayUrl,
    relayId,
    name: request.name ?? details.name,
    description: request.description ?? details.description,
    conditions: request.conditions,
    audiences: request.audiences,
    languages: request.languages,
    region: request.region ?? '',
    rhythm: request.rhythm ?? '',
    joinByApproval: details.policy.joinByApproval,
    joinLink,
    facilitators,
  });
  // A field out of bounds is found when signing, after the link is made: that link stays
  // unused in the group's log (moderators can reset links).
  const joinLinkExpiresAt = now + LISTING_LINK_LIFETIME_MS;
  const joinLink = await session.invite(groupId, {
    maxUses: MAX_INVITE_USES,
    expiresAt: joinLinkExpiresAt,
  });
  await session.submitListing((persona, relayId, relayUrl) =>
    signListing(persona, draftFor(joinLink, relayId, relayUrl), now),
  );
  return { groupId, joinLink, joinLinkExpiresAt };
}
