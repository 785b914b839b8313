import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * The relay answered a request with an Error frame. `relayCode` is the relay's stable code
 * (RELAY_RATE_LIMITED, RELAY_ACCESS_DENIED, ...); `retryAfterMs` is its hint, 0 when it gave none.
 */
export class RelayRejectedError extends CoreError {
  constructor(
    readonly relayCode: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(CoreErrorCode.RelayRejected, `the relay refused the request (${relayCode})`, options);
  }

  /** True when `error` is a RelayRejectedError, and when `relayCode` is given, one with it. */
  static isRelayRejection(error: unknown, relayCode?: string): error is RelayRejectedError {
    return (
      error instanceof RelayRejectedError &&
      (relayCode === undefined || error.relayCode === relayCode)
    );
  }
}
