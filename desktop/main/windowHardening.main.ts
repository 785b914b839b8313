import type { Session, WebContents } from 'electron';
import { shell } from 'electron';
import { isOpenableExternally } from '../shared/externalLinks.std.js';
import { isAppUrl } from './appProtocol.main.js';

/** Schemes a page of ours may load from: itself, and images it made (QR codes). */
const ALLOWED_REQUEST = /^(?:app:\/\/kindred\/|data:|blob:|devtools:)/u;

/**
 * The session the window runs in asks for nothing and fetches nothing from outside: every
 * permission (camera, notifications from the page, geolocation, …) is refused, every request that
 * is not to the app itself is cancelled, and downloads never start.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !ALLOWED_REQUEST.test(details.url) });
  });
  session.on('will-download', (event) => {
    event.preventDefault();
  });
}

/**
 * A page of ours may not go anywhere else: no navigation away, no redirects, no new windows, no
 * webviews. Applied to every web contents the app ever makes.
 */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openChecked(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openChecked(url);
    return { action: 'deny' };
  });
}

/** A crisis line's tel:/sms:/https link goes to the system, never into the window. */
function openChecked(url: string): void {
  if (!isOpenableExternally(url)) return;
  shell.openExternal(url).catch(() => undefined);
}
