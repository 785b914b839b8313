import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { BackoffOptions } from './Backoff.js';
import type { RelayConnection } from './RelayConnection.js';
import { RelayLink } from './RelayLink.js';

/**
 * What an anonymous connection is for. Each purpose gets connections of its own, so the relay
 * never sees one connection both name a group and carry a sealed envelope:
 * - `send`: sealed envelopes, and the prekey bundles of group members written to for the first
 *   time (the envelope names that recipient anyway);
 * - `lookup`: a new contact's prekey bundle;
 * - `group:<id>`: one group's log (fetches and submitted operations name it). A group id alone
 *   (no id: `group`) is for callers that do not say which group.
 */
export type AnonymousPurpose = 'send' | 'lookup' | 'group' | `group:${string}`;

export interface AnonymousLinksOptions {
  /** Opens a fresh anonymous connection (through the persona's proxy, if it has one). */
  readonly connect: () => Promise<RelayConnection>;
  /** An idle connection is closed after this long. Default 5 s. */
  readonly idleCloseMs?: number;
  readonly backoff?: BackoffOptions;
}

export const DEFAULT_ANONYMOUS_IDLE_CLOSE_MS = 5_000;

/**
 * A persona's anonymous connections to the relay, one on-demand link per purpose, each closed
 * once idle: short-lived, and never shared between purposes.
 */
export class AnonymousLinks {
  readonly #options: AnonymousLinksOptions;
  readonly #links = new Map<AnonymousPurpose, RelayLink>();
  #stopped = false;

  constructor(options: AnonymousLinksOptions) {
    this.#options = options;
  }

  /** The link for `purpose`, made on first use. */
  link(purpose: AnonymousPurpose): RelayLink {
    let link = this.#links.get(purpose);
    if (link === undefined) {
      link = new RelayLink({
        persistent: false,
        connect: this.#options.connect,
        idleCloseMs: this.#options.idleCloseMs ?? DEFAULT_ANONYMOUS_IDLE_CLOSE_MS,
        ...(this.#options.backoff === undefined ? {} : { backoff: this.#options.backoff }),
      });
      if (this.#stopped) link.stop();
      this.#links.set(purpose, link);
    }
    return link;
  }

  /** A live connection for `purpose`, opened when there is none. */
  connection(purpose: AnonymousPurpose): Promise<RelayConnection> {
    if (this.#stopped) {
      return Promise.reject(new CoreError(CoreErrorCode.RelayUnreachable, 'the link is stopped'));
    }
    return this.link(purpose).connection();
  }

  /** Lets go of every connection: the next request of each purpose opens a new one. */
  reconnect(): void {
    for (const link of this.#links.values()) link.reconnect();
  }

  stop(): void {
    this.#stopped = true;
    for (const link of this.#links.values()) link.stop();
  }
}
