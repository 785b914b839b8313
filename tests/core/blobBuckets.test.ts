import { describe, expect, it } from 'vitest';
import {
  MIN_BLOB_BYTES,
  blobBaseUrl,
  blobBucketSize,
  blobIdFromText,
  isBlobBucketSize,
} from '../../core/index.js';

describe('blob buckets', () => {
  it('pad every length to a bucket the relay accepts, at most 12% larger above the minimum', () => {
    let previous = 0;
    for (let length = 0; length <= 200 * 1024 * 1024; length += 1 + Math.floor(length / 7)) {
      const bucket = blobBucketSize(length);
      expect(bucket).toBeGreaterThanOrEqual(Math.max(length, MIN_BLOB_BYTES));
      expect(isBlobBucketSize(bucket), String(length)).toBe(true);
      expect(blobBucketSize(bucket)).toBe(bucket);
      expect(bucket).toBeGreaterThanOrEqual(previous);
      if (length > MIN_BLOB_BYTES) expect(bucket / length).toBeLessThan(1.12);
      previous = bucket;
    }
  });

  it('refuse sizes that are not buckets', () => {
    expect(isBlobBucketSize(MIN_BLOB_BYTES)).toBe(true);
    expect(isBlobBucketSize(MIN_BLOB_BYTES - 1)).toBe(false);
    expect(isBlobBucketSize(MIN_BLOB_BYTES + 1)).toBe(false);
    expect(isBlobBucketSize(0)).toBe(false);
    expect(isBlobBucketSize(1.5)).toBe(false);
    expect(() => blobBucketSize(-1)).toThrow(RangeError);
  });

  it('read ids only as 32 lower-case hex digits, and map relay URLs to HTTP', () => {
    expect(blobIdFromText('00'.repeat(16))).toHaveLength(16);
    expect(blobIdFromText('0A'.repeat(16))).toBeUndefined();
    expect(blobIdFromText('00'.repeat(17))).toBeUndefined();
    expect(blobIdFromText('../relay.db')).toBeUndefined();
    expect(blobBaseUrl('ws://127.0.0.1:4000').toString()).toBe('http://127.0.0.1:4000/');
    expect(blobBaseUrl('wss://relay.example/path').toString()).toBe('https://relay.example/');
  });
});
