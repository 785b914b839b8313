import { RelayErrorCode } from '../../core/index.js';
import { RelayError } from '../RelayError.js';
import type { ShortLimiter } from './sharedLimiters.js';

/** Settled once and shared: an admitted event allocates nothing. */
const ADMITTED: Promise<void> = Promise.resolve();

export interface MemoryWindowLimiterOptions {
  /** Events per window and key. */
  readonly points: number;
  readonly seconds: number;
  /** The clock, ms (tests inject one). */
  readonly now?: () => number;
}

/** One key's window: when it ends and what it has admitted. */
interface KeyWindow {
  readonly endsAt: number;
  used: number;
}

/**
 * A per-second rate counted in this process, with rate-limiter-flexible's fixed windows: a key's
 * window opens at its first event and lasts `seconds`, admitting at most `points` events. Refusals
 * are RELAY_RATE_LIMITED with the time until the key's window ends.
 *
 * Why not RateLimiterMemory itself, as the longer windows use: the frame and send rates are
 * consumed for every envelope, and each of its calls built a result object, a prefixed key and a
 * promise, and armed a timer per key and window to forget it. Here an admitted event is a map
 * lookup, a counter and one shared settled promise. Forgetting costs no timer: windows live in two
 * maps, swapped every `seconds`; a window opened before a swap has ended by the next one, so the
 * older map is dropped whole then, and memory stays bounded by the keys active in two windows.
 */
export class MemoryWindowLimiter implements ShortLimiter {
  readonly #points: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #current = new Map<string, KeyWindow>();
  #previous = new Map<string, KeyWindow>();
  #swapAt = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryWindowLimiterOptions) {
    if (!Number.isInteger(options.points) || options.points < 1) {
      throw new RangeError('points must be a positive integer');
    }
    if (!(options.seconds > 0)) throw new RangeError('seconds must be positive');
    this.#points = options.points;
    this.#windowMs = options.seconds * 1000;
    this.#now = options.now ?? Date.now;
  }

  consume(key: string, amount = 1): Promise<void> {
    const now = this.#now();
    if (now >= this.#swapAt) {
      // Every window in #previous opened before the last swap, so it has ended by now.
      this.#previous =
        now >= this.#swapAt + this.#windowMs ? new Map<string, KeyWindow>() : this.#current;
      this.#current = new Map<string, KeyWindow>();
      this.#swapAt = now + this.#windowMs;
    }
    let window = this.#current.get(key) ?? this.#previous.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { endsAt: now + this.#windowMs, used: 0 };
      this.#current.set(key, window);
    }
    window.used += amount;
    if (window.used <= this.#points) return ADMITTED;
    const retryAfterMs = Math.max(1, Math.ceil(window.endsAt - now));
    return Promise.reject(
      new RelayError(RelayErrorCode.RateLimited, 'rate limit exceeded', { retryAfterMs }),
    );
  }
}
