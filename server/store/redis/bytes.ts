import { RecordFormatError } from '../records.js';

/** Bytes as ioredis sends them (a Buffer over the same memory, no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain, unshared copy of reply bytes (ioredis hands out Buffers over its read slabs). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** A reply that must be a Buffer (a `…Buffer` command's bulk string); undefined for nil. */
export function optionalBuffer(reply: unknown): Buffer | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (!Buffer.isBuffer(reply)) throw new RecordFormatError('unexpected redis reply');
  return reply;
}

/** A reply that must be a list (an array reply). */
export function replyList(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new RecordFormatError('unexpected redis reply');
  return reply as unknown[];
}
