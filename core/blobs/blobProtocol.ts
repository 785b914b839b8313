import { fromHex, toHex } from '../bytes/bytes.js';
import { padmeLength } from '../padding/padding.js';

/**
 * The blob routes' shared rules (docs/protocol.md, "Blobs"): the bucket sizes an encrypted
 * attachment is padded to, the id and token lengths, and the HTTP paths and header names. The
 * client and the relay both import these, so they cannot disagree.
 */

/** Every blob is at least this long: a small attachment looks like any other small one. */
export const MIN_BLOB_BYTES = 64 * 1024;
/** Random bytes in a blob id (the download capability). */
export const BLOB_ID_BYTES = 16;
/** Random bytes in an upload token. */
export const BLOB_UPLOAD_TOKEN_BYTES = 32;
/** The path prefix of the blob routes on the relay's HTTP port. */
export const BLOB_PATH_PREFIX = '/v1/blobs/';
/** Header carrying the upload token on PUT and HEAD: `Kindred-Upload-Token: <hex>`. */
export const BLOB_TOKEN_HEADER = 'kindred-upload-token';
/** Header in which the relay tells how many bytes of an upload it holds. */
export const BLOB_RECEIVED_HEADER = 'kindred-blob-received';
/** Header in which the relay tells a blob's full size. */
export const BLOB_SIZE_HEADER = 'kindred-blob-size';

/**
 * The bucket a ciphertext of `length` bytes is padded to: at least MIN_BLOB_BYTES, above that the
 * Padmé bucket (core/padding), so the overhead stays under 12% and a size tells only a few bits
 * of the real length.
 */
export function blobBucketSize(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('length out of range');
  return length <= MIN_BLOB_BYTES ? MIN_BLOB_BYTES : padmeLength(length);
}

/** True when `size` is a size some ciphertext pads to (what the relay accepts). */
export function isBlobBucketSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= MIN_BLOB_BYTES && blobBucketSize(size) === size;
}

/** The id as it appears in a URL: lower-case hex. */
export function blobIdToText(id: Uint8Array): string {
  return toHex(id);
}

/** The id in a URL path segment, or undefined when it is not one. */
export function blobIdFromText(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f]+$/.test(text) || text.length !== BLOB_ID_BYTES * 2) return undefined;
  return fromHex(text);
}

/** The HTTP(S) base of a relay from its WebSocket URL (ws → http, wss → https). */
export function blobBaseUrl(relayUrl: string): URL {
  const url = new URL(relayUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return url;
}

/** The URL of one blob on a relay. */
export function blobUrl(relayUrl: string, blobId: Uint8Array): URL {
  return new URL(`${BLOB_PATH_PREFIX}${blobIdToText(blobId)}`, blobBaseUrl(relayUrl));
}
