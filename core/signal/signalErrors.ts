import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/** Turns whatever libsignal (or a store callback) threw into a CoreError with a stable code. */
export function toCoreError(error: unknown, fallback: CoreErrorCode, what: string): CoreError {
  if (CoreError.is(error)) return error;
  if (error instanceof LibSignalErrorBase) {
    switch (error.code) {
      case ErrorCode.DuplicatedMessage:
        return new CoreError(CoreErrorCode.DuplicateMessage, `${what}: message already processed`, {
          cause: error,
        });
      case ErrorCode.UntrustedIdentity:
        return new CoreError(CoreErrorCode.UntrustedIdentity, `${what}: identity key changed`, {
          cause: error,
        });
      case ErrorCode.InvalidSession:
        return new CoreError(CoreErrorCode.NoSession, `${what}: no session`, { cause: error });
      case ErrorCode.InvalidSenderKeySession:
        return new CoreError(CoreErrorCode.NoSenderKey, `${what}: no sender key`, { cause: error });
      default:
        break;
    }
  }
  return new CoreError(fallback, `${what} failed`, { cause: error });
}
