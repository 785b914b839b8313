/**
 * `length` bytes for the caller to fill entirely (they start with whatever the pool held): a plain
 * Uint8Array over memory from Node's shared buffer pool rather than an ArrayBuffer of its own.
 * Why: the relay makes a few of these per message (a Deliver of ~1 KiB, the envelope's stored
 * record, a SendAck), and each fresh ArrayBuffer was garbage-collector work; a small Uint8Array
 * made on the V8 heap also had to be moved off it when ws wrapped it in a Buffer for the socket.
 * Not a Buffer itself: a Buffer's `slice()` shares memory where a Uint8Array's copies, and callers
 * of the encoders expect the latter.
 */
export function pooledBytes(length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}
