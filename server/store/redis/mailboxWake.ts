import { decodeEnvelopeValue } from '../records.js';
import type { StoredEnvelope } from '../RelayStore.js';
import { plainBytes } from './bytes.js';

/**
 * A mailbox wake-up that carries what it announces: the envelopes just appended, each as its id
 * and its stored value (received-at ‖ key tag ‖ the sealed envelope, exactly the bytes the store
 * holds), so that a caught-up reader on another node delivers them without reading them back
 * from Redis. It carries nothing the store does not already hold.
 *
 * Layout: a version byte, then per envelope an 8-byte big-endian id, a 4-byte big-endian length
 * and the value. An empty message is a bare wake-up (readers read the mailbox): what a wake-up
 * too large to carry, or one from an older node, is.
 */
const VERSION = 1;
const ID_BYTES = 8;
const LENGTH_BYTES = 4;

/** Appends larger than this together are announced bare: pub/sub messages stay small. */
export const MAX_CARRIED_BYTES = 64 * 1024;

export interface AppendedValue {
  readonly id: bigint;
  /** The value as stored (records.ts encodeEnvelopeValue). */
  readonly value: Uint8Array;
}

/** The wake-up message announcing `appended` (in id order), or '' when it is too large to carry. */
export function encodeMailboxWake(appended: readonly AppendedValue[]): Buffer | '' {
  let size = 1;
  for (const { value } of appended) size += ID_BYTES + LENGTH_BYTES + value.byteLength;
  if (appended.length === 0 || size > MAX_CARRIED_BYTES) return '';
  const out = Buffer.allocUnsafe(size);
  out[0] = VERSION;
  let at = 1;
  for (const { id, value } of appended) {
    out.writeBigUInt64BE(id, at);
    out.writeUInt32BE(value.byteLength, at + ID_BYTES);
    at += ID_BYTES + LENGTH_BYTES;
    out.set(value, at);
    at += value.byteLength;
  }
  return out;
}

/**
 * The envelopes a wake-up carries, in id order; undefined for a bare wake-up, and for anything it
 * cannot read (a reader then reads the mailbox, which is always correct).
 */
export function decodeMailboxWake(message: Buffer): StoredEnvelope[] | undefined {
  if (message.length === 0 || message[0] !== VERSION) return undefined;
  const out: StoredEnvelope[] = [];
  let at = 1;
  try {
    while (at < message.length) {
      if (at + ID_BYTES + LENGTH_BYTES > message.length) return undefined;
      const id = message.readBigUInt64BE(at);
      const length = message.readUInt32BE(at + ID_BYTES);
      at += ID_BYTES + LENGTH_BYTES;
      if (at + length > message.length) return undefined;
      const decoded = decodeEnvelopeValue(message.subarray(at, at + length));
      at += length;
      // A copy: the message is a Buffer over ioredis's read slab.
      out.push({ id, sealed: plainBytes(decoded.sealed), receivedAt: decoded.receivedAt });
    }
  } catch {
    return undefined;
  }
  return out.length === 0 ? undefined : out;
}
