import type { BadgeProblem, FacilitatorBadge, HeldCredentialView } from '../core/client/index.js';
import type { Formatted } from './format.js';
import { printable } from './format.js';

/** Longest role title a human line shows in a badge; `--json` carries it whole. */
const BADGE_TITLE_CHARACTERS = 24;

/** The badge beside a pseudonym: `[Navigator, St James's…]`; '' without a badge. */
export function badgeLabel(badge: FacilitatorBadge | undefined): string {
  if (badge === undefined) return '';
  // Cut between graphemes, so an accented letter or an emoji is never split.
  const title = Array.from(
    new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(printable(badge.roleTitle)),
    (part) => part.segment,
  );
  const shown =
    title.length > BADGE_TITLE_CHARACTERS
      ? `${title.slice(0, BADGE_TITLE_CHARACTERS - 1).join('')}…`
      : title.join('');
  return ` [${shown}]`;
}

/** A badge in `--json` output (null without one). */
export function badgeRecord(badge: FacilitatorBadge | undefined): Record<string, unknown> | null {
  return badge === undefined
    ? null
    : { roleTitle: badge.roleTitle, credentialId: badge.credentialId, expiresAt: badge.expiresAt };
}

/** Why a member's facilitator credential shows no badge, for a person. */
export function describeCredentialProblem(problem: string): string {
  switch (problem as BadgeProblem) {
    case 'malformed':
      return 'a member shows a facilitator credential that cannot be read: no badge';
    case 'forged':
      return 'a member shows a facilitator credential the relay’s operator did not sign: no badge';
    case 'other-relay':
      return 'a member shows a facilitator credential issued for another relay: no badge';
    case 'other-persona':
      return 'a member shows a facilitator credential issued to someone else: no badge';
    case 'expired':
      return 'a member’s facilitator credential has expired: no badge';
    case 'revoked':
      return 'the operator revoked a member’s facilitator credential: no badge';
    case 'unverifiable':
      return 'a member’s facilitator credential cannot be checked: the relay shows no operator key its trust root endorses';
    default:
      return 'a member shows a facilitator credential that is not valid: no badge';
  }
}

/** One credential of `facilitator show` (and what `facilitator add` answers). */
export function formatOwnCredential(view: HeldCredentialView, now: number): Formatted {
  const standing = view.standing === 'valid' ? 'valid' : `no badge: ${view.standing}`;
  const expires = new Date(view.expiresAt).toISOString();
  return {
    record: {
      persona: view.persona,
      credentialId: view.credentialId,
      roleTitle: view.roleTitle,
      issuedAt: view.issuedAt,
      expiresAt: view.expiresAt,
      standing: view.standing,
      shown: view.shown,
    },
    human: `${view.credentialId}  ${printable(view.roleTitle)}  (${standing}; ${
      view.expiresAt > now ? 'expires' : 'expired'
    } ${expires})  persona ${view.persona}${view.shown ? ', shown in its groups' : ''}`,
  };
}
