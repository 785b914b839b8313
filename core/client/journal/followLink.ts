import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { CONTACT_LINK_PREFIX, MAX_CONTACT_LINK_LENGTH } from '../ContactInviteLink.js';

/**
 * A follow link is a contact link of the journal's own persona under a prefix of its own, so the
 * window's "open a link" and the CLI tell it from a contact link: `kindred:follow/<...>`, the
 * same signed invite (expiry, use limit) as `kindred:contact/<...>`. The prefix is not signed:
 * turning a contact link into a follow link only makes its holder treat that contact as a
 * journal, whose persona then drops all but updates from it (journalRules).
 */
export const FOLLOW_LINK_PREFIX = 'kindred:follow/';

/** The follow link for a contact link of a journal's persona. */
export function followLinkOf(contactLink: string): string {
  if (!contactLink.startsWith(CONTACT_LINK_PREFIX)) {
    throw new CoreError(CoreErrorCode.InvalidInviteLink, 'invite link is not a contact link');
  }
  return FOLLOW_LINK_PREFIX + contactLink.slice(CONTACT_LINK_PREFIX.length);
}

/** Whether `text` looks like a follow link (the window routes pasted links by it). */
export function isFollowLink(text: string): boolean {
  return text.trim().startsWith(FOLLOW_LINK_PREFIX);
}

/**
 * The contact link inside a follow link (then verified by parseContactInviteLink);
 * CORE_INVALID_INVITE_LINK for anything that is not a follow link.
 */
export function contactLinkOf(followLink: string): string {
  const text = typeof followLink === 'string' ? followLink.trim() : '';
  if (text.length > MAX_CONTACT_LINK_LENGTH || !text.startsWith(FOLLOW_LINK_PREFIX)) {
    throw new CoreError(CoreErrorCode.InvalidInviteLink, 'invite link is not a follow link');
  }
  return CONTACT_LINK_PREFIX + text.slice(FOLLOW_LINK_PREFIX.length);
}
