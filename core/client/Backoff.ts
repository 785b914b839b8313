/** Limits of a retry schedule. Defaults: 250 ms doubling up to 30 s. */
export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
}

/**
 * Exponential backoff with "equal jitter": each delay is drawn between half and all of the current
 * step, so many clients that lost the same relay at once do not come back in lockstep, yet none
 * retries sooner than half the step.
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}, random: () => number = Math.random) {
    this.#initialMs = options.initialMs ?? 250;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#random = random;
  }

  /** The next delay in ms; each call lengthens the step until it reaches the maximum. */
  next(): number {
    const step = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    if (step < this.#maxMs) this.#attempt++;
    return Math.round(step / 2 + (this.#random() * step) / 2);
  }

  /** After a success: the next failure starts from the shortest delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}
