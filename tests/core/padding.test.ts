import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  bytesEqual,
  MAX_PLAINTEXT_LENGTH,
  MIN_PADDED_LENGTH,
  pad,
  paddedLength,
  unpad,
} from '../../core/index.js';
import type { CoreErrorCode } from '../../core/index.js';

function expectThrowsCode(call: () => unknown, code: CoreErrorCode): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CoreError);
  expect(thrown).toMatchObject({ code });
}

/** Padmé's bucket width for a padded input of `length` bytes (Nikitin et al., PETS 2019): the
 * size keeps only its top floor(log2 E) + 1 bits below the leading one, E = floor(log2 length). */
function padmeUnit(length: number): number {
  const exponent = Math.floor(Math.log2(length));
  const keptBits = Math.floor(Math.log2(exponent)) + 1;
  return 2 ** (exponent - keptBits);
}

const random = new Uint8Array(randomBytes(MAX_PLAINTEXT_LENGTH + 1));
const LARGE_LENGTHS = [
  8_191,
  8_192,
  40_000,
  50_001,
  MAX_PLAINTEXT_LENGTH - 1,
  MAX_PLAINTEXT_LENGTH,
];

/** Checks one round trip. Plain comparisons, not toStrictEqual: this runs thousands of times on
 * arrays of up to 256 KiB, where element-by-element matcher equality takes seconds. */
function expectRoundTrip(plaintext: Uint8Array): void {
  const length = plaintext.length;
  const check = (ok: boolean, problem: string): void => {
    if (!ok) expect.fail(`length ${length}: ${problem}`);
  };
  const padded = pad(plaintext);
  check(padded.length === paddedLength(length), 'size differs from paddedLength');
  check(padded.length >= Math.max(length + 1, MIN_PADDED_LENGTH), 'padded too short');
  check(bytesEqual(padded.subarray(0, length), plaintext), 'plaintext not kept in front');
  check(padded[length] === 0x80, 'no 0x80 terminator');
  check(
    padded.subarray(length + 1).every((byte) => byte === 0),
    'padding is not zeros',
  );
  check(bytesEqual(unpad(padded), plaintext), 'unpad returned other bytes');
}

describe('pad and unpad', () => {
  it('round-trips every length from 0 to 5000', () => {
    for (let length = 0; length <= 5000; length++) {
      expectRoundTrip(random.slice(0, length));
    }
  });

  it.each(LARGE_LENGTHS)('round-trips %i bytes', (length) => {
    expectRoundTrip(random.slice(0, length));
  });

  it('round-trips contents that look like padding', () => {
    for (const length of [1, 2, 159, 160, 161, 1000]) {
      expectRoundTrip(new Uint8Array(length));
      expectRoundTrip(new Uint8Array(length).fill(0x80));
      const endsInTerminator = new Uint8Array(length);
      endsInTerminator[length - 1] = 0x80;
      expectRoundTrip(endsInTerminator);
      const terminatorThenZeros = new Uint8Array(length);
      terminatorThenZeros[0] = 0x80;
      expectRoundTrip(terminatorThenZeros);
    }
  });

  it('neither changes its input nor shares memory with its output', () => {
    const plaintext = Uint8Array.from([1, 2, 3]);
    const padded = pad(plaintext);
    expect(plaintext).toStrictEqual(Uint8Array.from([1, 2, 3]));
    const unpadded = unpad(padded);
    unpadded.fill(9);
    expect(unpad(padded)).toStrictEqual(Uint8Array.from([1, 2, 3]));
    expect(padded.subarray(0, 3)).toStrictEqual(Uint8Array.from([1, 2, 3]));
  });
});

describe('paddedLength', () => {
  it('pads everything shorter than the minimum to exactly the minimum', () => {
    for (let length = 0; length < MIN_PADDED_LENGTH; length++) {
      expect(paddedLength(length)).toBe(MIN_PADDED_LENGTH);
    }
    expect(paddedLength(MIN_PADDED_LENGTH)).toBeGreaterThan(MIN_PADDED_LENGTH);
  });

  it('rounds up to a Padmé bucket with less than 12% overhead above the minimum', () => {
    for (let length = 0; length <= MAX_PLAINTEXT_LENGTH; length++) {
      const needed = Math.max(length + 1, MIN_PADDED_LENGTH);
      const padded = paddedLength(length);
      const unit = padmeUnit(needed);
      if (padded % unit !== 0 || padded < needed || padded - needed >= unit) {
        expect.fail(`length ${length}: padded to ${padded}, bucket width ${unit}`);
      }
      if (needed > MIN_PADDED_LENGTH && (padded - needed) / needed >= 0.12) {
        expect.fail(`length ${length}: padded to ${padded}, over 12% overhead`);
      }
    }
  });

  it('gives every length in a bucket the same size, buckets never overlapping', () => {
    const firstLengthOf = new Map<number, number>();
    let previous = 0;
    for (let length = 0; length <= MAX_PLAINTEXT_LENGTH; length++) {
      const padded = paddedLength(length);
      if (padded < previous) expect.fail(`length ${length}: padded size went down`);
      if (padded !== previous) firstLengthOf.set(padded, length);
      previous = padded;
    }
    // Each bucket is a contiguous run of lengths; check the padded bytes at both ends of each.
    const buckets = [...firstLengthOf.entries()];
    buckets.forEach(([size, first], i) => {
      const last = (buckets[i + 1]?.[1] ?? MAX_PLAINTEXT_LENGTH + 1) - 1;
      expect(pad(random.subarray(0, first)).length).toBe(size);
      expect(pad(random.subarray(0, last)).length).toBe(size);
      expect(last + 1).toBeLessThanOrEqual(size);
    });
    // The size reveals the bucket, and there are few: fewer than 256 up to the maximum length.
    expect(buckets.length).toBeLessThan(256);
  });
});

describe('padding errors', () => {
  it.each<[string, Uint8Array]>([
    ['empty', new Uint8Array(0)],
    ['one zero', new Uint8Array(1)],
    ['all zeros', new Uint8Array(MIN_PADDED_LENGTH)],
    ['no terminator', Uint8Array.from([1, 2, 3])],
    ['data then zeros, no terminator', Uint8Array.from([1, 2, 3, 0, 0, 0])],
    ['a near-miss terminator', Uint8Array.from([1, 2, 0x81, 0, 0])],
    ['a terminator with low bits', Uint8Array.from([0x7f, 0, 0])],
  ])('refuses padding that is %s', (_label, padded) => {
    expectThrowsCode(() => unpad(padded), 'CORE_INVALID_PADDING');
  });

  it('refuses plaintexts longer than MAX_PLAINTEXT_LENGTH', () => {
    expectThrowsCode(() => pad(new Uint8Array(MAX_PLAINTEXT_LENGTH + 1)), 'CORE_MESSAGE_TOO_LARGE');
    expectThrowsCode(() => pad(new Uint8Array(4 * 1024 * 1024)), 'CORE_MESSAGE_TOO_LARGE');
    expect(pad(new Uint8Array(MAX_PLAINTEXT_LENGTH)).length).toBe(
      paddedLength(MAX_PLAINTEXT_LENGTH),
    );
  });
});
