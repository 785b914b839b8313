/**
 * The only links the window hands to the system (main's `shell.openExternal`): a number to call
 * (`tel:`), a number to text (`sms:`) and an https page, as the Get help now panel and a group's
 * pinned resources offer them. Anything else (file:, javascript:, http:, a custom scheme that could
 * start another program) is refused. Pure, so it is tested without Electron.
 */
const MAX_EXTERNAL_LINK_LENGTH = 2048;
const DIAL = /^\+?[0-9]{3,15}$/u;

export function isOpenableExternally(link: string): boolean {
  if (link.length > MAX_EXTERNAL_LINK_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  switch (url.protocol) {
    case 'tel:':
      return DIAL.test(url.pathname);
    case 'sms:':
      // RFC 5724: a number, optionally ?body=… (a crisis line's keyword).
      return DIAL.test(url.pathname) && [...url.searchParams.keys()].every((key) => key === 'body');
    case 'https:':
      return url.hostname !== '' && url.username === '' && url.password === '';
    default:
      return false;
  }
}
