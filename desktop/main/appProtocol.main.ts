import { protocol } from 'electron';
import { pageHeaders } from './contentSecurity.std.js';
import { readRendererFile } from './rendererFiles.main.js';

/** The window is served from `app://kindred/`: a scheme of our own, never file:// or http. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kindred';
export const APP_ORIGIN_URL = `${APP_SCHEME}://${APP_HOST}/`;

/**
 * Declares the scheme standard and secure (so the page has an origin, CSP and fetch work as on
 * https). Electron requires this before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer build under app://kindred/, with the CSP and the page headers. */
export function serveRenderer(rendererDir: string): void {
  const headers = pageHeaders();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') {
      return new Response(null, { status: 404, headers });
    }
    const file = await readRendererFile(rendererDir, url.pathname);
    if (file === undefined) return new Response(null, { status: 404, headers });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType },
    });
  });
}

/** Whether a URL is a page of ours (the only place calls may come from). */
export function isAppUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
