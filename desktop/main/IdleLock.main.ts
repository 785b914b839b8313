/** Tunables of the idle lock. */
export interface IdleLockOptions {
  /** Minutes without input before locking; 0 never locks. */
  readonly minutes: number;
  /** How long one "minute" is: 60 000 ms, shorter only in tests. */
  readonly minuteMs: number;
  /** Called once when the time runs out. */
  readonly onIdle: () => void;
}

/**
 * Locks the vault after a quiet while: each input in the window (`touch`) restarts the clock. A
 * laptop left open in a waiting room should not stay readable.
 */
export class IdleLock {
  readonly #minuteMs: number;
  readonly #onIdle: () => void;
  #minutes: number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: IdleLockOptions) {
    this.#minutes = options.minutes;
    this.#minuteMs = options.minuteMs;
    this.#onIdle = options.onIdle;
    this.touch();
  }

  /** Input happened: start counting again. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.#minutes === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#onIdle();
    }, this.#minutes * this.#minuteMs);
    // An idle lock never keeps a process alive on its own.
    this.#timer.unref();
  }

  setMinutes(minutes: number): void {
    this.#minutes = minutes;
    this.touch();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
