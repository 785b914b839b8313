import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/** Longest relay URL accepted anywhere (links, settings, the command line). */
export const MAX_RELAY_URL_LENGTH = 2048;

/**
 * Parses a relay URL and refuses what would be unsafe to dial: anything but ws:// or wss://, URLs
 * carrying credentials, and plain ws:// to a host other than the loopback interface unless the
 * caller explicitly allows insecure transport (a test rig, a relay behind a local TLS proxy).
 */
export function checkRelayUrl(
  url: string,
  options: { allowInsecureTransport?: boolean } = {},
): URL {
  let parsed: URL;
  try {
    if (url.length > MAX_RELAY_URL_LENGTH) throw new RangeError('relay URL too long');
    parsed = new URL(url);
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the relay URL is not a valid URL', {
      cause: error,
    });
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a relay URL starts with ws:// or wss://');
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.hash !== '') {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'a relay URL carries no credentials or fragment',
    );
  }
  if (
    parsed.protocol === 'ws:' &&
    options.allowInsecureTransport !== true &&
    !isLoopbackHost(parsed.hostname)
  ) {
    throw new CoreError(
      CoreErrorCode.InsecureRelayUrl,
      'plain ws:// is only allowed to this machine; use wss:// for a remote relay',
    );
  }
  return parsed;
}

/** localhost, 127.0.0.0/8 or ::1, as the WHATWG URL parser normalises them. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
