/** How a journal's follow link begins (core's `FOLLOW_LINK_PREFIX`; the window bundles no core). */
const FOLLOW_LINK_PREFIX = 'kindred:follow/';

/** Whether `link` is a journal's follow link (it goes to the Journal screen, not a contact). */
export function isFollowLink(link: string): boolean {
  return link.startsWith(FOLLOW_LINK_PREFIX);
}
