import { NO_CLUSTER_PRESENCE } from './cluster/ClusterPresence.js';
import type { ClusterPresence } from './cluster/ClusterPresence.js';

/** What the registry needs from an authenticated connection. */
export interface PersonaSession {
  /** Closes this connection because a newer one authenticated as the same persona. */
  replace(): void;
  /** Tells the persona its one-time prekeys are running low. */
  notifyPreKeysLow(): void;
}

/**
 * Which connection speaks for which persona: one at a time, the newest wins, in this process and
 * (through the cluster presence) across relay nodes. It holds persona addresses only for routing
 * and never logs them.
 */
export class ConnectionRegistry {
  readonly #sessions = new Map<string, PersonaSession>();
  readonly #presence: ClusterPresence;

  constructor(presence: ClusterPresence = NO_CLUSTER_PRESENCE) {
    this.#presence = presence;
  }

  /**
   * Makes `session` the persona's connection and closes the one it replaces, at once in this
   * process; resolves once other relay nodes have been told to close theirs.
   */
  async claim(address: string, session: PersonaSession): Promise<void> {
    const previous = this.#sessions.get(address);
    this.#sessions.set(address, session);
    if (previous !== undefined && previous !== session) previous.replace();
    await this.#presence.claim(address, session);
  }

  /** Forgets `session` if it is still the persona's connection. */
  release(address: string, session: PersonaSession): void {
    if (this.#sessions.get(address) === session) this.#sessions.delete(address);
    this.#presence.release(address, session);
  }

  get(address: string): PersonaSession | undefined {
    return this.#sessions.get(address);
  }

  get size(): number {
    return this.#sessions.size;
  }
}
