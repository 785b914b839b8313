import type { RawData } from 'ws';

/** ws hands over a Buffer, an ArrayBuffer or fragments depending on binaryType. */
export function rawDataBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/**
 * The request id of a frame that may not decode: field 1 (varint) when it comes first, as every
 * protobuf encoder writes it. 0 when it cannot be read.
 */
export function peekRequestId(bytes: Uint8Array): number {
  if (bytes[0] !== 0x08) return 0;
  let value = 0;
  for (let i = 1; i < 6 && i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * 2 ** (7 * (i - 1));
    if ((byte & 0x80) === 0) return value <= 0xffffffff ? value : 0;
  }
  return 0;
}
