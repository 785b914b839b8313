import { randomBytes } from 'node:crypto';
import { SocksProxyAgent } from 'socks-proxy-agent';
import type { Agent } from 'node:http';
import { toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

const PROXY_KEY = 'client/proxy';
const CREDENTIAL_BYTES = 16;

/**
 * A SOCKS5 proxy and the credentials one kind of connection presents to it. Tor (with
 * IsolateSOCKSAuth, its default) gives each distinct username/password its own circuit, so
 * distinct credentials mean distinct exit addresses at the relay.
 */
export interface SocksProxy {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

/** A persona's stored proxy setting: where the proxy is, and this persona's own credentials. */
export interface PersonaProxySetting {
  /** `socks5://host:port`, as the user gave it. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

/**
 * Parses `socks5://host:port` (or `socks5h://`): host names are resolved by the proxy, never
 * locally, so a Tor user leaks no DNS lookup. Credentials in the URL are refused: the client makes
 * its own for each persona. CORE_INVALID_INPUT for anything else.
 */
export function parseProxyUrl(url: string): { host: string; port: number; url: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the proxy is socks5://host:port', {
      cause: error,
    });
  }
  if (parsed.protocol !== 'socks5:' && parsed.protocol !== 'socks5h:') {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the proxy is socks5://host:port');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'leave credentials out of the proxy address: each persona gets its own',
    );
  }
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '') {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the proxy is socks5://host:port');
  }
  const port = Number(parsed.port);
  if (parsed.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the proxy needs a host and a port');
  }
  // URL keeps IPv6 hosts in brackets; the SOCKS client wants them bare.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, url: `socks5://${parsed.host}` };
}

/** Fresh random credentials: a circuit of their own behind Tor. */
export function freshCredentials(): { username: string; password: string } {
  return {
    username: toHex(new Uint8Array(randomBytes(CREDENTIAL_BYTES))),
    password: toHex(new Uint8Array(randomBytes(CREDENTIAL_BYTES))),
  };
}

/** A setting for `url` with credentials of its own (checks the URL). */
export function newProxySetting(url: string): PersonaProxySetting {
  return { url: parseProxyUrl(url).url, ...freshCredentials() };
}

/** The proxy with the given credentials (the persona's own, or fresh ones for one connection). */
export function socksProxyFor(
  setting: PersonaProxySetting,
  credentials: { username: string; password: string } = setting,
): SocksProxy {
  const { host, port } = parseProxyUrl(setting.url);
  return { host, port, username: credentials.username, password: credentials.password };
}

/** An HTTP agent that opens connections through the proxy (host names resolved by the proxy). */
export function socksAgent(proxy: SocksProxy): Agent {
  const host = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host;
  const user = `${encodeURIComponent(proxy.username)}:${encodeURIComponent(proxy.password)}`;
  return new SocksProxyAgent(`socks5h://${user}@${host}:${String(proxy.port)}`);
}

export async function readProxySetting(
  store: KeyValueStore,
): Promise<PersonaProxySetting | undefined> {
  const bytes = await store.get(PROXY_KEY);
  if (bytes === undefined) return undefined;
  const r = RecordReader.decode(bytes, 'proxy setting');
  return { url: r.string('url'), username: r.string('username'), password: r.string('password') };
}

/** Stores the setting, or removes it (`undefined`: connect directly). */
export async function writeProxySetting(
  store: KeyValueStore,
  setting: PersonaProxySetting | undefined,
): Promise<void> {
  if (setting === undefined) await store.delete(PROXY_KEY);
  else await store.put(PROXY_KEY, encodeRecord(setting));
}
