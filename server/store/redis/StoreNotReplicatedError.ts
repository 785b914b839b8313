/**
 * Thrown by a RedisRelayStore write that the primary took (and fsynced) but fewer than
 * `minReplicas` replicas acknowledged within `replicaTimeoutMs`: the write is NOT acknowledged
 * (it may survive or be lost in a failover), so the relay refuses the request and the client
 * retries.
 */
export class StoreNotReplicatedError extends Error {
  override readonly name = 'StoreNotReplicatedError';
  readonly code = 'RELAY_STORE_NOT_REPLICATED';

  constructor(
    readonly replicas: number,
    readonly required: number,
  ) {
    super(`write reached ${replicas} of the ${required} replicas required`);
  }

  static is(error: unknown): error is StoreNotReplicatedError {
    return error instanceof StoreNotReplicatedError;
  }
}
