import { RelayErrorCode } from '../core/index.js';

/**
 * A failure the relay reports to a client as an Error frame. The message is fixed text chosen by
 * the relay, never user data, so it is safe both to send and to log.
 */
export class RelayError extends Error {
  override readonly name = 'RelayError';

  constructor(
    readonly code: RelayErrorCode,
    message: string,
    readonly options: { readonly retryAfterMs?: number; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }

  /** True when `error` is a RelayError, and when `code` is given, one with that code. */
  static is(error: unknown, code?: RelayErrorCode): error is RelayError {
    return error instanceof RelayError && (code === undefined || error.code === code);
  }
}

/** Problems with how the relay was started (options, data folder); never sent to clients. */
export class RelayConfigError extends Error {
  override readonly name = 'RelayConfigError';
  readonly code = 'RELAY_CONFIG_INVALID';

  static is(error: unknown): error is RelayConfigError {
    return error instanceof RelayConfigError;
  }
}

export { RelayErrorCode };
