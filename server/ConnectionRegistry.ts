/** What the registry needs from an authenticated connection. */
export interface PersonaSession {
  /** Closes this connection because a newer one authenticated as the same persona. */
  replace(): void;
  /** Tells the persona its one-time prekeys are running low. */
  notifyPreKeysLow(): void;
}

/**
 * Which connection speaks for which persona, in this process: one at a time, the newest wins.
 * It holds persona addresses only for routing and never logs them.
 */
export class ConnectionRegistry {
  readonly #sessions = new Map<string, PersonaSession>();

  /** Makes `session` the persona's connection and closes the one it replaces, if any. */
  claim(address: string, session: PersonaSession): void {
    const previous = this.#sessions.get(address);
    this.#sessions.set(address, session);
    if (previous !== undefined && previous !== session) previous.replace();
  }

  /** Forgets `session` if it is still the persona's connection. */
  release(address: string, session: PersonaSession): void {
    if (this.#sessions.get(address) === session) this.#sessions.delete(address);
  }

  get(address: string): PersonaSession | undefined {
    return this.#sessions.get(address);
  }

  get size(): number {
    return this.#sessions.size;
  }
}
