import { CoreError } from '../../errors/CoreError.js';

/**
 * libsignal turns any error a store callback throws into a generic error carrying only its text,
 * so a store's CoreError (vault locked, record corrupt, last-resort key reused …) would reach the
 * caller as "decrypt failed". The stores of one persona share one StoreFailures: each callback runs
 * through `guard`, which remembers the CoreError it threw, and PersonaCipher reports that one.
 */
export class StoreFailures {
  #last: CoreError | undefined;

  async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (CoreError.is(error)) this.#last = error;
      throw error;
    }
  }

  /** The CoreError a store threw since the last call, if any; clears it. */
  take(): CoreError | undefined {
    const last = this.#last;
    this.#last = undefined;
    return last;
  }
}
