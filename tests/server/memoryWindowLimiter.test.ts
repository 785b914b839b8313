import { describe, expect, it } from 'vitest';
import { RelayErrorCode } from '../../core/index.js';
import { MemoryWindowLimiter } from '../../server/cluster/MemoryWindowLimiter.js';
import { RelayError } from '../../server/RelayError.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

async function admitted(limiter: MemoryWindowLimiter, key: string, amount = 1): Promise<boolean> {
  try {
    await limiter.consume(key, amount);
    return true;
  } catch (error) {
    if (RelayError.is(error) && error.code === RelayErrorCode.RateLimited) return false;
    throw error;
  }
}

describe('MemoryWindowLimiter', () => {
  it('admits points per window and key, then refuses with the time until the window ends', async () => {
    const clock = manualClock();
    const limiter = new MemoryWindowLimiter({ points: 3, seconds: 1, now: clock.now });
    for (let i = 0; i < 3; i++) expect(await admitted(limiter, 'a')).toBe(true);
    // Another key has a budget of its own.
    expect(await admitted(limiter, 'b')).toBe(true);
    clock.advance(400);
    const refusal = await limiter.consume('a').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(RelayError.is(refusal)).toBe(true);
    if (!RelayError.is(refusal)) return;
    expect(refusal.code).toBe(RelayErrorCode.RateLimited);
    expect(refusal.options.retryAfterMs).toBe(600);
  });

  it("opens a key's window at its first event, not on a clock boundary", async () => {
    const clock = manualClock(1_000_900);
    const limiter = new MemoryWindowLimiter({ points: 2, seconds: 1, now: clock.now });
    expect(await admitted(limiter, 'a')).toBe(true);
    // Past a whole second of the clock, but 200 ms into the key's window: still the same budget.
    clock.advance(200);
    expect(await admitted(limiter, 'a')).toBe(true);
    expect(await admitted(limiter, 'a')).toBe(false);
    clock.advance(800);
    expect(await admitted(limiter, 'a')).toBe(true);
    expect(await admitted(limiter, 'a', 2)).toBe(false);
  });

  it('keeps a window opened just before its maps are swapped until it ends', async () => {
    const clock = manualClock();
    const limiter = new MemoryWindowLimiter({ points: 2, seconds: 1, now: clock.now });
    expect(await admitted(limiter, 'first')).toBe(true); // the maps' swap is due in 1 s
    clock.advance(900);
    expect(await admitted(limiter, 'a')).toBe(true);
    expect(await admitted(limiter, 'a')).toBe(true);
    clock.advance(200); // the swap happens here; 'a' has 800 ms left
    expect(await admitted(limiter, 'a')).toBe(false);
    clock.advance(700);
    expect(await admitted(limiter, 'a')).toBe(false);
    clock.advance(100);
    expect(await admitted(limiter, 'a')).toBe(true);
  });

  it('forgets every window after a long quiet spell', async () => {
    const clock = manualClock();
    const limiter = new MemoryWindowLimiter({ points: 1, seconds: 1, now: clock.now });
    expect(await admitted(limiter, 'a')).toBe(true);
    expect(await admitted(limiter, 'a')).toBe(false);
    clock.advance(60_000);
    expect(await admitted(limiter, 'a')).toBe(true);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => new MemoryWindowLimiter({ points: 0, seconds: 1 })).toThrow(RangeError);
    expect(() => new MemoryWindowLimiter({ points: 1.5, seconds: 1 })).toThrow(RangeError);
    expect(() => new MemoryWindowLimiter({ points: 1, seconds: 0 })).toThrow(RangeError);
  });
});
