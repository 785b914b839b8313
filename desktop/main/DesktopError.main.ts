import { DesktopErrorCode } from '../shared/api.std.js';

/**
 * A failure of the desktop layer itself, with a stable code (see {@link DesktopErrorCode}) and a
 * message in plain words that carries no user data, so it can be shown and logged as it is.
 */
export class DesktopError extends Error {
  override readonly name = 'DesktopError';

  constructor(
    readonly code: DesktopErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `error` is a DesktopError, and when `code` is given, one with that code. */
  static is(error: unknown, code?: DesktopErrorCode): error is DesktopError {
    return error instanceof DesktopError && (code === undefined || error.code === code);
  }

  static locked(): DesktopError {
    return new DesktopError(DesktopErrorCode.Locked, 'Unlock Kindred first.');
  }

  static noSuchConversation(): DesktopError {
    return new DesktopError(DesktopErrorCode.NoSuchConversation, 'That conversation is not here.');
  }
}
