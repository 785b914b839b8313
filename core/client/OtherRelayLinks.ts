import { bytesEqual, toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { AnonymousPurpose } from './AnonymousLinks.js';
import { AnonymousLinks } from './AnonymousLinks.js';
import type { BackoffOptions } from './Backoff.js';
import type { KindredClientOptions } from './clientOptions.js';
import { connectionTimeouts } from './clientOptions.js';
import type { LinkedRelay } from './personaRelays.js';
import { RelayConnection } from './RelayConnection.js';
import { checkRelayUrl } from './relayUrl.js';
import { newProxySetting, socksProxyFor } from './SocksProxy.js';

/** How a connection to another relay is made: the vault's own settings, read at each opening. */
export interface OtherRelayLinksOptions {
  /** Plain ws:// to another machine is refused unless the main persona allows it. */
  readonly allowInsecureTransport: () => boolean;
  /** The proxy the main persona uses (`socks5://host:port`), if any: each connection gets fresh credentials. */
  readonly proxyUrl: () => string | undefined;
  readonly options: KindredClientOptions;
  readonly idleCloseMs?: number;
  readonly backoff?: BackoffOptions;
}

/**
 * Anonymous connections to relays no persona of this vault is registered with yet: what a
 * group link of another relay is previewed over before anyone joins. One set of links per relay
 * (by its trust root and address), each purpose on its own connection as a persona's
 * (AnonymousLinks), so no connection ever serves two relays or two purposes; each connection
 * must present the trust root the link names (CORE_RELAY_MISMATCH otherwise). Idle ones close.
 */
export class OtherRelayLinks {
  readonly #options: OtherRelayLinksOptions;
  readonly #relays = new Map<string, AnonymousLinks>();
  #stopped = false;

  constructor(options: OtherRelayLinksOptions) {
    this.#options = options;
  }

  /** A live anonymous connection to `relay` for `purpose`, opened when there is none. */
  connection(relay: LinkedRelay, purpose: AnonymousPurpose): Promise<RelayConnection> {
    if (this.#stopped) {
      return Promise.reject(new CoreError(CoreErrorCode.RelayUnreachable, 'the link is stopped'));
    }
    const key = `${toHex(relay.trustRoot)} ${relay.relayUrl}`;
    let links = this.#relays.get(key);
    if (links === undefined) {
      links = new AnonymousLinks({
        connect: () => this.#open(relay),
        ...(this.#options.idleCloseMs === undefined
          ? {}
          : { idleCloseMs: this.#options.idleCloseMs }),
        ...(this.#options.backoff === undefined ? {} : { backoff: this.#options.backoff }),
      });
      this.#relays.set(key, links);
    }
    return links.connection(purpose);
  }

  stop(): void {
    this.#stopped = true;
    for (const links of this.#relays.values()) links.stop();
    this.#relays.clear();
  }

  async #open(relay: LinkedRelay): Promise<RelayConnection> {
    const allowInsecureTransport = this.#options.allowInsecureTransport();
    checkRelayUrl(relay.relayUrl, { allowInsecureTransport });
    const proxyUrl = this.#options.proxyUrl();
    const connection = await RelayConnection.open({
      url: relay.relayUrl,
      allowInsecureTransport,
      ...(proxyUrl === undefined ? {} : { proxy: socksProxyFor(newProxySetting(proxyUrl)) }),
      ...connectionTimeouts(this.#options.options),
    });
    if (!bytesEqual(connection.challenge.trustRoot, relay.trustRoot)) {
      connection.close();
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'the relay at that address is not the one the link names',
      );
    }
    return connection;
  }
}
