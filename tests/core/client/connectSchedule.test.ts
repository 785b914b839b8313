import { describe, expect, it } from 'vitest';
import {
  ConnectSchedule,
  CoreErrorCode,
  DEFAULT_CONNECT_MAXIMUM_MS,
  DEFAULT_CONNECT_MEAN_MS,
  DEFAULT_CONNECT_MINIMUM_MS,
  IMMEDIATE_CONNECT_SCHEDULE,
} from '../../../core/client/index.js';

const SAMPLES = 20_000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('the default connect schedule', () => {
  const schedule = new ConnectSchedule();
  const delays = Array.from({ length: SAMPLES }, () => schedule.nextDelayMs());

  it('documents its numbers: 5 s minimum, 30 s mean of the random part, 3 min at most', () => {
    expect(DEFAULT_CONNECT_MINIMUM_MS).toBe(5_000);
    expect(DEFAULT_CONNECT_MEAN_MS).toBe(30_000);
    expect(DEFAULT_CONNECT_MAXIMUM_MS).toBe(180_000);
    expect(schedule.minimumMs).toBe(DEFAULT_CONNECT_MINIMUM_MS);
    expect(schedule.isImmediate).toBe(false);
  });

  it('never connects a background persona sooner than the minimum after the one in view', () => {
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(DEFAULT_CONNECT_MINIMUM_MS);
    expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_CONNECT_MAXIMUM_MS);
  });

  it('spreads two background personas: their median gap is at least the minimum', () => {
    const gaps: number[] = [];
    for (let i = 0; i + 1 < delays.length; i += 2) {
      gaps.push(Math.abs((delays[i] ?? 0) - (delays[i + 1] ?? 0)));
    }
    // |X - Y| of two exponentials of mean m is exponential again: median m·ln 2 ≈ 20.8 s.
    expect(median(gaps)).toBeGreaterThanOrEqual(DEFAULT_CONNECT_MINIMUM_MS);
    expect(median(gaps)).toBeGreaterThan(DEFAULT_CONNECT_MEAN_MS * Math.LN2 * 0.9);
  });

  it('is random: delays are spread, not one fixed wait', () => {
    expect(new Set(delays).size).toBeGreaterThan(SAMPLES / 2);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    // Minimum plus the exponential's mean, a little less for the cut-off at 3 min.
    expect(mean).toBeGreaterThan(DEFAULT_CONNECT_MINIMUM_MS + DEFAULT_CONNECT_MEAN_MS * 0.9);
    expect(mean).toBeLessThan(DEFAULT_CONNECT_MINIMUM_MS + DEFAULT_CONNECT_MEAN_MS * 1.1);
  });
});

describe('connect schedule options', () => {
  it('an immediate schedule never waits', () => {
    const schedule = new ConnectSchedule(IMMEDIATE_CONNECT_SCHEDULE);
    expect(schedule.isImmediate).toBe(true);
    expect(schedule.nextDelayMs()).toBe(0);
  });

  it('draws the minimum for the smallest random number and the cut-off for the largest', () => {
    expect(new ConnectSchedule({}, () => 0).nextDelayMs()).toBe(DEFAULT_CONNECT_MINIMUM_MS);
    expect(new ConnectSchedule({}, () => 0.999_999_999).nextDelayMs()).toBe(
      DEFAULT_CONNECT_MAXIMUM_MS,
    );
  });

  it.each([
    [{ minimumMs: -1 }],
    [{ meanMs: Number.NaN }],
    [{ maximumMs: Number.POSITIVE_INFINITY }],
    [{ minimumMs: 10, maximumMs: 5 }],
  ])('refuses %j with CORE_INVALID_INPUT', (options) => {
    expect(() => new ConnectSchedule(options)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InvalidInput }) as Error,
    );
  });
});
