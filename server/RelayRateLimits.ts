import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RelayErrorCode } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayLimits } from './RelayOptions.js';

type RateName =
  | 'frames'
  | 'sends'
  | 'fetches'
  | 'fetchTargets'
  | 'groupOperations'
  | 'groupPosts'
  | 'groupLogFetches';

/**
 * The relay's rate limits (fixed windows, in memory, per process). Keys are connection ids, or a
 * persona address for fetches of that persona's prekeys: never a remote address.
 */
export class RelayRateLimits {
  readonly #limiters: Readonly<Record<RateName, RateLimiterMemory | undefined>>;

  constructor(limits: RelayLimits) {
    this.#limiters = {
      frames: limiter(limits.maxFramesPerSecond, 1),
      sends: limiter(limits.maxSendsPerSecond, 1),
      fetches: limiter(limits.maxFetchesPerMinute, 60),
      fetchTargets: limiter(limits.maxFetchesPerTargetPerMinute, 60),
      groupOperations: limiter(limits.maxGroupOperationsPerMinute, 60),
      groupPosts: limiter(limits.maxGroupPostsPerSecond, 1),
      groupLogFetches: limiter(limits.maxGroupLogFetchesPerMinute, 60),
    };
  }

  /** Counts one event; throws RELAY_RATE_LIMITED (with retry_after_ms) when over the limit. */
  async consume(name: RateName, key: string): Promise<void> {
    const rate = this.#limiters[name];
    if (rate === undefined) return;
    try {
      await rate.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RelayError(RelayErrorCode.RateLimited, 'rate limit exceeded', {
          retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)),
        });
      }
      throw rejection;
    }
  }
}

function limiter(points: number, durationSeconds: number): RateLimiterMemory | undefined {
  return points === 0 ? undefined : new RateLimiterMemory({ points, duration: durationSeconds });
}
