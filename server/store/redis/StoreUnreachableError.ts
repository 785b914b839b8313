/** Thrown by RedisRelayStore.open when Redis did not answer within `connectTimeoutMs`. */
export class StoreUnreachableError extends Error {
  override readonly name = 'StoreUnreachableError';
  readonly code = 'RELAY_STORE_UNREACHABLE';

  static is(error: unknown): error is StoreUnreachableError {
    return error instanceof StoreUnreachableError;
  }
}
