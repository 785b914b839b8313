/**
 * The drain suite's envelopes: each sealed payload carries its number, so whoever drains the
 * mailbox (the relay's client, or the store baseline) checks that every envelope came, once, in
 * order, intact.
 */

/** Sealed bytes numbered `n` (uint32 LE, from 0), then a fixed pattern. */
export function numberedSealed(n: number, length: number): Uint8Array {
  const sealed = new Uint8Array(length);
  for (let i = 4; i < length; i++) sealed[i] = i & 0xff;
  new DataView(sealed.buffer).setUint32(0, n, true);
  return sealed;
}

/** The number in `bytes[start, end)`, or -1 when the payload is not one numberedSealed made. */
export function sealedNumber(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 4) return -1;
  for (let i = 4; i < end - start; i++) if (bytes[start + i] !== (i & 0xff)) return -1;
  return new DataView(bytes.buffer, bytes.byteOffset + start, 4).getUint32(0, true);
}
