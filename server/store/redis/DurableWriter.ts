import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redisConnection.js';
import { StoreNotReplicatedError } from './StoreNotReplicatedError.js';

/**
 * Runs commands on one slot and resolves only once Redis has them: the servers run with AOF
 * `appendfsync always` (a write's reply comes after its fsync), and with `minReplicas` > 0 a
 * `WAIT minReplicas timeoutMs` follows in the same pipeline, so ioredis sends it on the same
 * connection to the same primary right after the write. Fewer acknowledgements reject the write
 * with StoreNotReplicatedError; it is never resolved.
 *
 * (A script the server forgot (SCRIPT FLUSH) is resent by ioredis outside the pipeline, after the
 * WAIT: only then can a write be acknowledged before its replicas have it.)
 */
export class DurableWriter {
  readonly #redis: RedisClient;

  constructor(
    redis: RedisClient,
    readonly minReplicas: number,
    readonly timeoutMs: number,
  ) {
    this.#redis = redis;
  }

  /** Queues what `build` queues (keys of one slot only), then WAIT; resolves with their replies. */
  async write(build: (pipeline: ChainableCommander) => void): Promise<unknown[]> {
    const pipeline = this.#redis.pipeline();
    build(pipeline);
    const commands = pipeline.length;
    if (this.minReplicas > 0) pipeline.wait(this.minReplicas, this.timeoutMs);
    const replies = await runPipeline(pipeline);
    if (this.minReplicas > 0) {
      const acknowledged = replies[commands];
      if (typeof acknowledged !== 'number' || acknowledged < this.minReplicas) {
        throw new StoreNotReplicatedError(Number(acknowledged ?? 0), this.minReplicas);
      }
    }
    return replies.slice(0, commands);
  }

  /** Reads (or writes that need not be durable) on one slot, in one round trip. */
  read(build: (pipeline: ChainableCommander) => void): Promise<unknown[]> {
    const pipeline = this.#redis.pipeline();
    build(pipeline);
    return runPipeline(pipeline);
  }
}

async function runPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('redis pipeline was discarded');
  return results.map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}
