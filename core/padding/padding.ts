import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * Message padding before encryption, so ciphertext length reveals only a coarse bucket.
 *
 * The plaintext gets a 0x80 terminator and zeros up to a bucket size chosen by Padmé (Nikitin et
 * al., PETS 2019): overhead stays under 12% while lengths leak only O(log log n) bits. Everything
 * under MIN_PADDED_LENGTH pads to that length, so short replies ("yes", "thank you") all look alike.
 */
export const MIN_PADDED_LENGTH = 160;
/** Larger plaintexts are refused: attachments travel separately, not as message bodies. */
export const MAX_PLAINTEXT_LENGTH = 64 * 1024;

export function paddedLength(plaintextLength: number): number {
  return padmeLength(Math.max(plaintextLength + 1, MIN_PADDED_LENGTH));
}

/**
 * The Padmé bucket a length rounds up to: the top bits of the length kept, the rest rounded, so
 * the padding is at most ~12% and a bucket tells only O(log log n) bits of the length. Shared by
 * message padding and the vault's records.
 */
export function padmeLength(length: number): number {
  if (length < 2) return length;
  const exponent = Math.floor(Math.log2(length));
  const exponentBits = Math.floor(Math.log2(exponent)) + 1;
  const mask = 2 ** (exponent - exponentBits) - 1;
  return Math.ceil(length / (mask + 1)) * (mask + 1);
}

export function pad(plaintext: Uint8Array): Uint8Array<ArrayBuffer> {
  if (plaintext.length > MAX_PLAINTEXT_LENGTH) {
    throw new CoreError(CoreErrorCode.MessageTooLarge, 'message is too large');
  }
  const out = new Uint8Array(paddedLength(plaintext.length));
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

export function unpad(padded: Uint8Array): Uint8Array<ArrayBuffer> {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) {
    throw new CoreError(CoreErrorCode.InvalidPadding, 'message padding is invalid');
  }
  return padded.slice(0, end);
}
