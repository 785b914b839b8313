/** Clocks and waits the group suite's processes share. */

/**
 * Milliseconds since the epoch, with sub-millisecond resolution: `performance.timeOrigin` (the
 * wall clock when the process started) plus the monotonic clock since. The sender and the members
 * live in different processes, so a latency is one process's stamp minus another's; the suite
 * measures each child's offset from its own clock (`ClockProbe`) and corrects for it.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `done` every millisecond until it holds; throws `describe()` after `timeoutMs`. */
export async function waitUntil(
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
  failure: () => Error | undefined = () => undefined,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const failed = failure();
    if (failed !== undefined) throw failed;
    if (done()) return;
    if (performance.now() > deadline) {
      throw new Error(`not done within ${timeoutMs} ms: ${describe()}`);
    }
    await sleep(1);
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what} within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a child answers to `clock`: its epochNow(). */
export interface ClockReading {
  readonly now: number;
}
