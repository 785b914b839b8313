import { padmeLength } from './padding.js';

/**
 * Blobs (attachment ciphertexts) are stored and sent padded to at least this many bytes, so that
 * every small file (a short note, a tiny image) looks alike to the relay.
 */
export const MIN_BLOB_BUCKET = 4096;

/**
 * The size a blob of `length` bytes is padded to before it leaves the device: Padmé's bucket
 * (at most ~12% larger, leaking O(log log n) bits of the size), never under MIN_BLOB_BUCKET.
 * The relay sees only buckets; the attachment pointer, inside the end-to-end encrypted message,
 * carries the true size.
 */
export function blobBucketSize(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError('blob length must be a non-negative safe integer');
  }
  return padmeLength(Math.max(length, MIN_BLOB_BUCKET));
}
