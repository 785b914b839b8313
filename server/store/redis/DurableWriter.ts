import { Cluster } from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { clusterSlot } from './clusterSlot.js';
import type { RedisClient } from './redisConnection.js';
import { StoreNotReplicatedError } from './StoreNotReplicatedError.js';

/**
 * Runs writes and resolves each only once Redis has it: the servers run with AOF `appendfsync
 * always` (a write's reply comes after its fsync), and with `minReplicas` > 0 a `WAIT minReplicas
 * timeoutMs` follows in the same pipeline, so ioredis sends it on the same connection to the same
 * primary right after the writes. Fewer acknowledgements reject every write the WAIT covered with
 * StoreNotReplicatedError; none is resolved.
 *
 * WAIT blocks its connection until the replicas answer, so writes to one primary would wait for
 * each other one replica round trip at a time. Instead they are group-committed: while one
 * pipeline is out to a primary, the writes for that primary gather, and go next in one pipeline
 * with one WAIT, in the order they were made.
 *
 * (A script the server forgot (SCRIPT FLUSH) is resent by ioredis outside the pipeline, after the
 * WAIT: only then can a write be acknowledged before its replicas have it.)
 */
export class DurableWriter {
  readonly #redis: RedisClient;
  /** Writes waiting for their primary's pipeline in flight, by primary. */
  readonly #queues = new Map<string, PendingWrite[]>();
  readonly #busy = new Set<string>();
  #batches = 0;
  #writes = 0;

  constructor(
    redis: RedisClient,
    readonly minReplicas: number,
    readonly timeoutMs: number,
  ) {
    this.#redis = redis;
  }

  /** Pipelines sent and writes they carried (each write counts once). */
  get stats(): { batches: number; writes: number } {
    return { batches: this.#batches, writes: this.#writes };
  }

  /**
   * Queues what `build` queues (commands on `key`'s slot only), then makes it durable; resolves
   * with their replies.
   */
  write(key: string, build: Build): Promise<unknown[]> {
    const target = this.minReplicas > 0 ? this.#primaryOf(key) : undefined;
    if (target === undefined) {
      // Without WAIT nothing blocks the connection: each write goes at once (still in order).
      return this.#commitAlone(build);
    }
    return new Promise<unknown[]>((resolve, reject) => {
      let queue = this.#queues.get(target);
      if (queue === undefined) {
        queue = [];
        this.#queues.set(target, queue);
      }
      queue.push({ build, resolve, reject });
      if (!this.#busy.has(target)) void this.#drain(target);
    });
  }

  /** Reads (or writes that need not be durable) on one slot, in one round trip. */
  async read(build: Build): Promise<unknown[]> {
    const pipeline = this.#redis.pipeline();
    build(pipeline);
    return repliesOf(await execPipeline(pipeline), 0, pipeline.length);
  }

  async #drain(target: string): Promise<void> {
    this.#busy.add(target);
    try {
      for (;;) {
        const batch = this.#queues.get(target);
        if (batch === undefined || batch.length === 0) break;
        this.#queues.delete(target);
        try {
          await this.#commit(batch);
        } catch (error) {
          // #commit settles every write itself; this is for a build that threw.
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#busy.delete(target);
    }
  }

  async #commit(batch: readonly PendingWrite[]): Promise<void> {
    const pipeline = this.#redis.pipeline();
    const spans = batch.map((pending) => {
      const start = pipeline.length;
      pending.build(pipeline);
      return { start, end: pipeline.length };
    });
    const end = pipeline.length;
    pipeline.wait(this.minReplicas, this.timeoutMs);
    let results: PipelineResults;
    try {
      results = await execPipeline(pipeline);
    } catch (error) {
      if (batch.length > 1 && isSlotGroupError(error)) {
        // The slots moved between grouping and sending (nothing was sent): each on its own.
        await Promise.all(
          batch.map((pending) =>
            this.#commitAlone(pending.build).then(pending.resolve, pending.reject),
          ),
        );
        return;
      }
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.#count(batch.length);
    const replicated = this.#replicated(results, end);
    batch.forEach((pending, i) => {
      const span = spans[i] ?? { start: 0, end: 0 };
      try {
        const replies = repliesOf(results, span.start, span.end);
        if (replicated !== undefined) throw replicated;
        pending.resolve(replies);
      } catch (error) {
        pending.reject(error);
      }
    });
  }

  async #commitAlone(build: Build): Promise<unknown[]> {
    const pipeline = this.#redis.pipeline();
    build(pipeline);
    const end = pipeline.length;
    if (this.minReplicas > 0) pipeline.wait(this.minReplicas, this.timeoutMs);
    const results = await execPipeline(pipeline);
    this.#count(1);
    const replies = repliesOf(results, 0, end);
    const replicated = this.#replicated(results, end);
    if (replicated !== undefined) throw replicated;
    return replies;
  }

  /** The error to reject with when the WAIT at `at` fell short; undefined when it did not. */
  #replicated(results: PipelineResults, at: number): Error | undefined {
    if (this.minReplicas === 0) return undefined;
    const [error, acknowledged] = results[at] ?? [null, undefined];
    if (error !== null) return error;
    if (typeof acknowledged === 'number' && acknowledged >= this.minReplicas) return undefined;
    return new StoreNotReplicatedError(Number(acknowledged ?? 0), this.minReplicas);
  }

  #count(writes: number): void {
    this.#batches += 1;
    this.#writes += writes;
  }

  /** Which primary serves `key` now (its node group), or undefined when the client cannot say. */
  #primaryOf(key: string): string | undefined {
    if (!(this.#redis instanceof Cluster)) return 'standalone';
    return this.#redis.slots[clusterSlot(key)]?.join(';');
  }
}

type Build = (pipeline: ChainableCommander) => void;

interface PendingWrite {
  readonly build: Build;
  readonly resolve: (replies: unknown[]) => void;
  readonly reject: (error: unknown) => void;
}

type PipelineResults = readonly (readonly [error: Error | null, reply: unknown])[];

async function execPipeline(pipeline: ChainableCommander): Promise<PipelineResults> {
  const results = await pipeline.exec();
  if (results === null) throw new Error('redis pipeline was discarded');
  return results;
}

/** The replies of commands start..end-1; throws the first error among them. */
function repliesOf(results: PipelineResults, start: number, end: number): unknown[] {
  return results.slice(start, end).map(([error, reply]) => {
    if (error !== null) throw error;
    return reply;
  });
}

/** ioredis refuses, before sending anything, a pipeline whose keys its nodes no longer group. */
function isSlotGroupError(error: unknown): boolean {
  return (
    error instanceof Error && /slots? allocation group|belong to the same slot/.test(error.message)
  );
}
