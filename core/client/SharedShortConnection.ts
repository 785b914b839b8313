import type { RelayConnection } from './RelayConnection.js';

/** A connection lent out until its borrower calls `release`. */
export interface LentConnection {
  readonly connection: RelayConnection;
  readonly release: () => void;
}

/**
 * One short authenticated connection shared by whoever needs it at the same time: the relay
 * keeps one authenticated connection per persona and closes the older when another
 * authenticates, so two of our own (a submit and a certificate fetch, say) would cut each other
 * off. Opened on first use, closed when its last user releases it.
 */
export class SharedShortConnection {
  readonly #open: () => Promise<RelayConnection>;
  /** The short authenticated connection shared while anyone uses it. */
  #shortConnection: { readonly connection: Promise<RelayConnection>; users: number } | undefined;

  constructor(open: () => Promise<RelayConnection>) {
    this.#open = open;
  }

  /** The shared connection, opened if nobody holds it; call `release` when done with it. */
  async borrow(): Promise<LentConnection> {
    let shared = this.#shortConnection;
    if (shared === undefined) {
      const opening = this.#open();
      shared = { connection: opening, users: 0 };
      this.#shortConnection = shared;
      opening.catch(() => {
        if (this.#shortConnection === shared) this.#shortConnection = undefined;
      });
    }
    const entry = shared;
    entry.users += 1;
    let connection: RelayConnection;
    try {
      connection = await entry.connection;
    } catch (error) {
      entry.users -= 1;
      throw error;
    }
    let released = false;
    return {
      connection,
      release: () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0) return;
        if (this.#shortConnection === entry) this.#shortConnection = undefined;
        connection.close();
      },
    };
  }
}
