/**
 * Hand-written encoders for the server frames sent once or more per message: Deliver, SendAck,
 * Ok, and GroupDeliver (sent once per member for every group message). Why: protobuf-es encodes by reflection into a growing buffer, which for a
 * Deliver copies the sealed bytes more than once and allocates per field; at saturation that was
 * the largest share of the relay's encode time. These write the exact bytes `encodeServerFrame`
 * writes (proto3: zero scalars and empty bytes omitted, fields in number order) into one
 * buffer of the final size; tests/server/hotFrames.test.ts checks them against it.
 *
 * Field numbers come from core/protocol/kindred.proto (ServerFrame, Deliver, SendAck, Ok,
 * GroupDeliver).
 */

import { pooledBytes } from './pooledBytes.js';

/** ServerFrame.request_id = 1, varint. */
const TAG_REQUEST_ID = 0x08;
/** ServerFrame.ok = 4, length-delimited. */
const TAG_OK = 0x22;
/** ServerFrame.send_ack = 7, length-delimited. */
const TAG_SEND_ACK = 0x3a;
/** ServerFrame.deliver = 8, length-delimited. */
const TAG_DELIVER = 0x42;
/** ServerFrame.group_deliver = 14, length-delimited. */
const TAG_GROUP_DELIVER = 0x72;
/** GroupDeliver.group_id = 1, length-delimited. */
const TAG_GROUP_ID = 0x0a;
/** GroupDeliver.index = 2, varint. */
const TAG_INDEX = 0x10;
/** GroupDeliver.operation = 4 and message = 5, length-delimited (a oneof). */
const TAG_OPERATION = 0x22;
const TAG_MESSAGE = 0x2a;
/** SendAck.envelope_id = 1 and Deliver.envelope_id = 1, varint. */
const TAG_ENVELOPE_ID = 0x08;
/** Deliver.sealed = 2, length-delimited. */
const TAG_SEALED = 0x12;
/** Deliver.received_at = 3 and GroupDeliver.received_at = 3, varint. */
const TAG_RECEIVED_AT = 0x18;

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A varint's value: a number while it is a safe integer (the usual case, and far cheaper to
 * split into bytes), a bigint above that.
 */
type VarintValue = number | bigint;

/** A server Deliver frame (request id 0: the relay sends it on its own). */
export function encodeDeliverFrame(
  envelopeId: bigint,
  sealed: Uint8Array,
  receivedAt: number,
): Uint8Array {
  const id = uint64(envelopeId);
  const receivedAtMs = uint64(BigInt(Math.floor(receivedAt)));
  let body = 0;
  if (id !== 0) body += 1 + varintLength(id);
  if (sealed.length > 0) body += 1 + varintLength(sealed.length) + sealed.length;
  if (receivedAtMs !== 0) body += 1 + varintLength(receivedAtMs);
  const out = pooledBytes(1 + varintLength(body) + body);
  let offset = 0;
  out[offset++] = TAG_DELIVER;
  offset = writeVarint(out, offset, body);
  if (id !== 0) {
    out[offset++] = TAG_ENVELOPE_ID;
    offset = writeVarint(out, offset, id);
  }
  if (sealed.length > 0) {
    out[offset++] = TAG_SEALED;
    offset = writeVarint(out, offset, sealed.length);
    out.set(sealed, offset);
    offset += sealed.length;
  }
  if (receivedAtMs !== 0) {
    out[offset++] = TAG_RECEIVED_AT;
    writeVarint(out, offset, receivedAtMs);
  }
  return out;
}

/**
 * A server GroupDeliver frame (request id 0). `index` and `receivedAt` are non-negative numbers
 * (stream indexes are safe integers; times are floored to whole milliseconds).
 */
export function encodeGroupDeliverFrame(
  groupId: Uint8Array,
  index: number,
  receivedAt: number,
  kind: 'operation' | 'message',
  bytes: Uint8Array,
): Uint8Array {
  const indexValue = uint64Number(index);
  const receivedAtMs = uint64Number(Math.floor(receivedAt));
  let body = 0;
  if (groupId.length > 0) body += 1 + varintLength(groupId.length) + groupId.length;
  if (indexValue !== 0) body += 1 + varintLength(indexValue);
  if (receivedAtMs !== 0) body += 1 + varintLength(receivedAtMs);
  // A oneof member is written whenever it is set, even when empty.
  body += 1 + varintLength(bytes.length) + bytes.length;
  const out = pooledBytes(1 + varintLength(body) + body);
  let offset = 0;
  out[offset++] = TAG_GROUP_DELIVER;
  offset = writeVarint(out, offset, body);
  if (groupId.length > 0) {
    out[offset++] = TAG_GROUP_ID;
    offset = writeVarint(out, offset, groupId.length);
    out.set(groupId, offset);
    offset += groupId.length;
  }
  if (indexValue !== 0) {
    out[offset++] = TAG_INDEX;
    offset = writeVarint(out, offset, indexValue);
  }
  if (receivedAtMs !== 0) {
    out[offset++] = TAG_RECEIVED_AT;
    offset = writeVarint(out, offset, receivedAtMs);
  }
  out[offset++] = kind === 'operation' ? TAG_OPERATION : TAG_MESSAGE;
  offset = writeVarint(out, offset, bytes.length);
  out.set(bytes, offset);
  return out;
}

/** A SendAck answering request `requestId`. */
export function encodeSendAckFrame(requestId: number, envelopeId: bigint): Uint8Array {
  const id = uint64(envelopeId);
  const body = id === 0 ? 0 : 1 + varintLength(id);
  const out = pooledBytes(requestIdLength(requestId) + 2 + body);
  let offset = writeRequestId(out, requestId);
  out[offset++] = TAG_SEND_ACK;
  out[offset++] = body; // at most 11: one byte
  if (id !== 0) {
    out[offset++] = TAG_ENVELOPE_ID;
    writeVarint(out, offset, id);
  }
  return out;
}

/** An Ok answering request `requestId`. */
export function encodeOkFrame(requestId: number): Uint8Array {
  const out = pooledBytes(requestIdLength(requestId) + 2);
  const offset = writeRequestId(out, requestId);
  out[offset] = TAG_OK;
  out[offset + 1] = 0;
  return out;
}

function requestIdLength(requestId: number): number {
  return requestId === 0 ? 0 : 1 + varintLength(requestId);
}

function writeRequestId(out: Uint8Array, requestId: number): number {
  if (requestId === 0) return 0;
  out[0] = TAG_REQUEST_ID;
  return writeVarint(out, 1, requestId);
}

/** uint64 fields: anything out of range is a bug upstream, refused as protobuf-es refuses it. */
function uint64(value: bigint): VarintValue {
  if (value < 0n || value > MAX_UINT64) throw new RangeError('value out of uint64 range');
  return value <= MAX_SAFE ? Number(value) : value;
}

/** A uint64 given as a number: it must be a non-negative safe integer. */
function uint64Number(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('value out of range');
  return value;
}

function varintLength(value: VarintValue): number {
  let length = 1;
  if (typeof value === 'number') {
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) length += 1;
  } else {
    for (let rest = value >> 7n; rest > 0n; rest >>= 7n) length += 1;
  }
  return length;
}

function writeVarint(out: Uint8Array, offset: number, value: VarintValue): number {
  let at = offset;
  if (typeof value === 'number') {
    let rest = value;
    while (rest >= 0x80) {
      out[at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    out[at++] = rest;
    return at;
  }
  let rest = value;
  while (rest >= 0x80n) {
    out[at++] = Number(rest & 0x7fn) | 0x80;
    rest >>= 7n;
  }
  out[at++] = Number(rest);
  return at;
}
