import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import { RelayRejectedError } from './RelayRejectedError.js';

/** A lost or busy relay: it goes away by itself, so it is retried, not reported. */
export function isPassingRelayFailure(error: unknown): boolean {
  if (RelayRejectedError.isRelayRejection(error)) {
    return (
      error.relayCode === RelayErrorCode.RateLimited ||
      error.relayCode === RelayErrorCode.Unavailable
    );
  }
  return (
    CoreError.is(error, CoreErrorCode.RelayUnreachable) ||
    CoreError.is(error, CoreErrorCode.RelayTimeout)
  );
}
