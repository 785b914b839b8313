/** Thrown by a RelayStore call made after close(); the relay answers it with RELAY_UNAVAILABLE. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  readonly code = 'RELAY_STORE_CLOSED';
}
