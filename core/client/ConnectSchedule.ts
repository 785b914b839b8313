import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * When a persona that is not in front of the user connects, at start and after a lost connection.
 * Each such persona draws its own delay: `minimumMs` plus an exponentially distributed wait of
 * mean `meanMs`, cut off at `maximumMs`. The exponential draw is memoryless: seeing one persona
 * connect tells an observer nothing about when the next will.
 *
 * The persona the user is looking at (or acting as) does not wait: it connects at once, so the
 * app never feels slow, and every other persona comes at least `minimumMs` after it.
 */
export interface ConnectScheduleOptions {
  /** The shortest delay. Default 5 s. */
  readonly minimumMs?: number;
  /** Mean of the exponential part. Default 30 s. */
  readonly meanMs?: number;
  /** The longest delay (minimum included). Default 3 min. */
  readonly maximumMs?: number;
}

export const DEFAULT_CONNECT_MINIMUM_MS = 5_000;
export const DEFAULT_CONNECT_MEAN_MS = 30_000;
export const DEFAULT_CONNECT_MAXIMUM_MS = 180_000;

/** A schedule that does not wait at all: for tests and tools, never the default. */
export const IMMEDIATE_CONNECT_SCHEDULE: ConnectScheduleOptions = {
  minimumMs: 0,
  meanMs: 0,
  maximumMs: 0,
};

/** A checked schedule; draws delays. */
export class ConnectSchedule {
  readonly minimumMs: number;
  readonly meanMs: number;
  readonly maximumMs: number;
  readonly #random: () => number;

  /** CORE_INVALID_INPUT for a negative, non-finite or inconsistent schedule. */
  constructor(options: ConnectScheduleOptions = {}, random: () => number = Math.random) {
    const minimumMs = options.minimumMs ?? DEFAULT_CONNECT_MINIMUM_MS;
    const meanMs = options.meanMs ?? DEFAULT_CONNECT_MEAN_MS;
    const maximumMs = options.maximumMs ?? Math.max(DEFAULT_CONNECT_MAXIMUM_MS, minimumMs);
    for (const value of [minimumMs, meanMs, maximumMs]) {
      if (!Number.isFinite(value) || value < 0) {
        throw new CoreError(CoreErrorCode.InvalidInput, 'connect delays are non-negative numbers');
      }
    }
    if (maximumMs < minimumMs) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        'the longest connect delay is below the shortest',
      );
    }
    this.minimumMs = minimumMs;
    this.meanMs = meanMs;
    this.maximumMs = maximumMs;
    this.#random = random;
  }

  /** True when no persona ever waits. */
  get isImmediate(): boolean {
    return this.maximumMs === 0;
  }

  /** One persona's delay, in ms, drawn afresh on every call. */
  nextDelayMs(): number {
    // 1 - random() lies in (0, 1]: the logarithm is finite.
    const exponential = -this.meanMs * Math.log(1 - this.#random());
    return Math.round(Math.min(this.maximumMs, this.minimumMs + exponential));
  }
}
