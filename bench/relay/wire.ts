/**
 * Just enough protobuf to read and write the four frames on the hot path of the relay benchmark
 * (SendEnvelope, SendAck, Deliver, AckEnvelopes, plus Ok), by hand.
 *
 * The load generator uses it so that its own cost per message stays small next to the relay's
 * (it shares two CPUs with the process it measures), and the bare forwarder uses it because a
 * forwarder that routes bytes should not pay for a full decode. The bytes are the same frames
 * core/protocol/kindred.proto describes; `checkWireCodec()` proves it against core's encoder and
 * decoder at start-up, so a change to the schema fails the benchmark loudly instead of skewing it.
 */
import { randomBytes } from 'node:crypto';
import { decodeClientFrame, decodeServerFrame, encodeServerFrame } from '../../core/index.js';

// Field numbers, from core/protocol/kindred.proto.
/** ClientFrame / ServerFrame: `request_id = 1`, then the oneof body. */
export const ClientField = { auth: 2, sendEnvelope: 5, ackEnvelopes: 6, ping: 9 } as const;
export const ServerField = {
  challenge: 2,
  authOk: 3,
  ok: 4,
  error: 5,
  sendAck: 7,
  deliver: 8,
  pong: 11,
} as const;

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

const TAG_REQUEST_ID = tag(1, VARINT);
const TAG_SEND_ENVELOPE = tag(ClientField.sendEnvelope, LEN);
const TAG_ACK_ENVELOPES = tag(ClientField.ackEnvelopes, LEN);
const TAG_OK = tag(ServerField.ok, LEN);
const TAG_SEND_ACK = tag(ServerField.sendAck, LEN);
const TAG_DELIVER = tag(ServerField.deliver, LEN);
// Inside SendEnvelope { recipient = 1; access_key = 2; sealed = 3 }.
const TAG_RECIPIENT = tag(1, LEN);
const TAG_ACCESS_KEY = tag(2, LEN);
const TAG_SEALED = tag(3, LEN);
// Inside SendAck { envelope_id = 1 }, Deliver { envelope_id = 1; sealed = 2; received_at = 3 },
// AckEnvelopes { repeated envelope_ids = 1 } (packed).
const TAG_ENVELOPE_ID = tag(1, VARINT);
const TAG_DELIVER_SEALED = tag(2, LEN);
const TAG_RECEIVED_AT = tag(3, VARINT);
const TAG_ENVELOPE_IDS = tag(1, LEN);

// ---- varints (values up to 2^53) ----------------------------------------------------------

export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size += 1;
  }
  return size;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVarint(bytes: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    bytes[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  bytes[offset++] = value;
  return offset;
}

/** A cursor over protobuf bytes; `pos` moves as fields are read. */
class Cursor {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = this.bytes[this.pos++] ?? 0;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error('varint too long');
    }
  }

  /** Skips a field of `wireType` whose tag has been read. */
  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case I64:
        this.pos += 8;
        return;
      case LEN: {
        // Not `pos += varint()`: that would read pos before the length moves it.
        const length = this.varint();
        this.pos += length;
        return;
      }
      case I32:
        this.pos += 4;
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

// ---- reading ------------------------------------------------------------------------------

/** A frame's request id and where its body (the oneof message) lies. */
export interface FrameView {
  readonly requestId: number;
  /** The oneof's field number (see ClientField / ServerField); 0 when there is none. */
  readonly field: number;
  readonly start: number;
  readonly end: number;
}

/** Reads a ClientFrame or ServerFrame (both: request_id = 1, then one message-typed body). */
export function readFrame(bytes: Uint8Array): FrameView {
  const cursor = new Cursor(bytes, 0, bytes.length);
  let requestId = 0;
  let field = 0;
  let start = 0;
  let end = 0;
  while (cursor.pos < cursor.end) {
    const key = cursor.varint();
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (number === 1 && wireType === VARINT) {
      requestId = cursor.varint();
    } else if (wireType === LEN) {
      const length = cursor.varint();
      field = number;
      start = cursor.pos;
      end = start + length;
      cursor.pos = end;
    } else {
      cursor.skip(wireType);
    }
  }
  if (end > bytes.length) throw new Error('truncated frame');
  return { requestId, field, start, end };
}

export interface DeliverView {
  readonly envelopeId: number;
  readonly sealedStart: number;
  readonly sealedEnd: number;
}

/** Reads the Deliver body of a ServerFrame (`view.field === ServerField.deliver`). */
export function readDeliver(bytes: Uint8Array, view: FrameView): DeliverView {
  const cursor = new Cursor(bytes, view.start, view.end);
  let envelopeId = 0;
  let sealedStart = 0;
  let sealedEnd = 0;
  while (cursor.pos < cursor.end) {
    const key = cursor.varint();
    if (key === TAG_ENVELOPE_ID) {
      envelopeId = cursor.varint();
    } else if (key === TAG_DELIVER_SEALED) {
      const length = cursor.varint();
      sealedStart = cursor.pos;
      sealedEnd = sealedStart + length;
      cursor.pos = sealedEnd;
    } else {
      cursor.skip(key & 7);
    }
  }
  return { envelopeId, sealedStart, sealedEnd };
}

export interface SendEnvelopeView {
  readonly recipient: string;
  readonly sealedStart: number;
  readonly sealedEnd: number;
}

/** Reads the SendEnvelope body of a ClientFrame (the access key is skipped: nothing checks it). */
export function readSendEnvelope(bytes: Buffer, view: FrameView): SendEnvelopeView {
  const cursor = new Cursor(bytes, view.start, view.end);
  let recipient = '';
  let sealedStart = 0;
  let sealedEnd = 0;
  while (cursor.pos < cursor.end) {
    const key = cursor.varint();
    if (key === TAG_RECIPIENT) {
      const length = cursor.varint();
      recipient = bytes.toString('latin1', cursor.pos, cursor.pos + length);
      cursor.pos += length;
    } else if (key === TAG_SEALED) {
      const length = cursor.varint();
      sealedStart = cursor.pos;
      sealedEnd = sealedStart + length;
      cursor.pos = sealedEnd;
    } else {
      cursor.skip(key & 7);
    }
  }
  return { recipient, sealedStart, sealedEnd };
}

// ---- writing ------------------------------------------------------------------------------

/**
 * The body of a SendEnvelope ClientFrame (tag, length, recipient, access key, sealed) for one
 * recipient; `sealedOffset` is where the sealed bytes start, so each send only stamps its own
 * header into a copy. Prefix it with `requestIdPrefix` to make a frame.
 */
export interface SendTemplate {
  readonly bytes: Buffer;
  readonly sealedOffset: number;
}

export function sendTemplate(
  recipient: string,
  accessKey: Uint8Array,
  sealed: Uint8Array,
): SendTemplate {
  const address = Buffer.from(recipient, 'latin1');
  const innerLength =
    1 +
    varintSize(address.length) +
    address.length +
    1 +
    varintSize(accessKey.length) +
    accessKey.length +
    1 +
    varintSize(sealed.length) +
    sealed.length;
  const bytes = Buffer.alloc(1 + varintSize(innerLength) + innerLength);
  let offset = 0;
  bytes[offset++] = TAG_SEND_ENVELOPE;
  offset = writeVarint(bytes, offset, innerLength);
  bytes[offset++] = TAG_RECIPIENT;
  offset = writeVarint(bytes, offset, address.length);
  bytes.set(address, offset);
  offset += address.length;
  bytes[offset++] = TAG_ACCESS_KEY;
  offset = writeVarint(bytes, offset, accessKey.length);
  bytes.set(accessKey, offset);
  offset += accessKey.length;
  bytes[offset++] = TAG_SEALED;
  offset = writeVarint(bytes, offset, sealed.length);
  bytes.set(sealed, offset);
  return { bytes, sealedOffset: offset };
}

/** A SendEnvelope frame from a template; `sealedAt` is where its sealed bytes start. */
export function sendFrame(
  requestId: number,
  template: SendTemplate,
): { frame: Buffer; sealedAt: number } {
  const head = 1 + varintSize(requestId);
  const frame = Buffer.allocUnsafe(head + template.bytes.length);
  frame[0] = TAG_REQUEST_ID;
  writeVarint(frame, 1, requestId);
  template.bytes.copy(frame, head);
  return { frame, sealedAt: head + template.sealedOffset };
}

/** An AckEnvelopes ClientFrame (packed ids; at most 1000, as core allows). */
export function ackFrame(requestId: number, ids: readonly number[]): Buffer {
  let idsLength = 0;
  for (const id of ids) idsLength += varintSize(id);
  const innerLength = 1 + varintSize(idsLength) + idsLength;
  const frame = Buffer.allocUnsafe(
    1 + varintSize(requestId) + 1 + varintSize(innerLength) + innerLength,
  );
  let offset = 0;
  frame[offset++] = TAG_REQUEST_ID;
  offset = writeVarint(frame, offset, requestId);
  frame[offset++] = TAG_ACK_ENVELOPES;
  offset = writeVarint(frame, offset, innerLength);
  frame[offset++] = TAG_ENVELOPE_IDS;
  offset = writeVarint(frame, offset, idsLength);
  for (const id of ids) offset = writeVarint(frame, offset, id);
  return frame;
}

/** A ServerFrame Ok answering `requestId`. */
export function okFrame(requestId: number): Buffer {
  const frame = Buffer.allocUnsafe(1 + varintSize(requestId) + 2);
  frame[0] = TAG_REQUEST_ID;
  const offset = writeVarint(frame, 1, requestId);
  frame[offset] = TAG_OK;
  frame[offset + 1] = 0;
  return frame;
}

/** A ServerFrame SendAck answering `requestId`. */
export function sendAckFrame(requestId: number, envelopeId: number): Buffer {
  const innerLength = 1 + varintSize(envelopeId);
  const frame = Buffer.allocUnsafe(1 + varintSize(requestId) + 2 + innerLength);
  frame[0] = TAG_REQUEST_ID;
  let offset = writeVarint(frame, 1, requestId);
  frame[offset++] = TAG_SEND_ACK;
  frame[offset++] = innerLength;
  frame[offset++] = TAG_ENVELOPE_ID;
  writeVarint(frame, offset, envelopeId);
  return frame;
}

/** A ServerFrame Deliver (request id 0, so absent) carrying `sealed`. */
export function deliverFrame(envelopeId: number, sealed: Uint8Array, receivedAt: number): Buffer {
  const innerLength =
    1 +
    varintSize(envelopeId) +
    1 +
    varintSize(sealed.length) +
    sealed.length +
    1 +
    varintSize(receivedAt);
  const frame = Buffer.allocUnsafe(1 + varintSize(innerLength) + innerLength);
  let offset = 0;
  frame[offset++] = TAG_DELIVER;
  offset = writeVarint(frame, offset, innerLength);
  frame[offset++] = TAG_ENVELOPE_ID;
  offset = writeVarint(frame, offset, envelopeId);
  frame[offset++] = TAG_DELIVER_SEALED;
  offset = writeVarint(frame, offset, sealed.length);
  frame.set(sealed, offset);
  offset += sealed.length;
  frame[offset++] = TAG_RECEIVED_AT;
  writeVarint(frame, offset, receivedAt);
  return frame;
}

// ---- self-check ---------------------------------------------------------------------------

/**
 * Encodes each hot frame by hand and decodes it with core (and the reverse), so the hand-written
 * codec and core/protocol/kindred.proto cannot drift apart unnoticed. Throws on any mismatch.
 */
export function checkWireCodec(): void {
  const recipient = '0c0ffee0-1234-8abc-9def-0123456789ab';
  const accessKey = new Uint8Array(randomBytes(32));
  const sealed = new Uint8Array(randomBytes(1024));
  const fail = (what: string): never => {
    throw new Error(`bench/relay/wire.ts no longer matches kindred.proto: ${what}`);
  };

  const { frame } = sendFrame(300, sendTemplate(recipient, accessKey, sealed));
  const send = decodeClientFrame(frame);
  if (
    send.requestId !== 300 ||
    send.body.case !== 'sendEnvelope' ||
    send.body.value.recipient !== recipient ||
    !Buffer.from(send.body.value.accessKey).equals(accessKey) ||
    !Buffer.from(send.body.value.sealed).equals(sealed)
  ) {
    fail('SendEnvelope');
  }
  const sendView = readFrame(frame);
  const sendBody = readSendEnvelope(frame, sendView);
  if (
    sendView.requestId !== 300 ||
    sendView.field !== ClientField.sendEnvelope ||
    sendBody.recipient !== recipient ||
    !frame.subarray(sendBody.sealedStart, sendBody.sealedEnd).equals(sealed)
  ) {
    fail('reading SendEnvelope');
  }

  const ack = decodeClientFrame(ackFrame(7, [1, 200, 2 ** 40]));
  if (
    ack.requestId !== 7 ||
    ack.body.case !== 'ackEnvelopes' ||
    ack.body.value.envelopeIds.join(',') !== `1,200,${2 ** 40}`
  ) {
    fail('AckEnvelopes');
  }

  const ok = decodeServerFrame(okFrame(9));
  if (ok.requestId !== 9 || ok.body.case !== 'ok') fail('Ok');
  const sendAck = decodeServerFrame(sendAckFrame(70_000, 123_456));
  if (
    sendAck.requestId !== 70_000 ||
    sendAck.body.case !== 'sendAck' ||
    sendAck.body.value.envelopeId !== 123_456n
  ) {
    fail('SendAck');
  }
  const receivedAt = Date.now();
  const deliver = decodeServerFrame(deliverFrame(42, sealed, receivedAt));
  if (
    deliver.requestId !== 0 ||
    deliver.body.case !== 'deliver' ||
    deliver.body.value.envelopeId !== 42n ||
    deliver.body.value.receivedAt !== BigInt(receivedAt) ||
    !Buffer.from(deliver.body.value.sealed).equals(sealed)
  ) {
    fail('Deliver');
  }

  const fromCore = Buffer.from(
    encodeServerFrame({
      body: { case: 'deliver', value: { envelopeId: 99n, sealed, receivedAt: 5n } },
    }),
  );
  const view = readFrame(fromCore);
  const body = readDeliver(fromCore, view);
  if (
    view.field !== ServerField.deliver ||
    body.envelopeId !== 99 ||
    !fromCore.subarray(body.sealedStart, body.sealedEnd).equals(sealed)
  ) {
    fail('reading Deliver');
  }
  const ackView = readFrame(
    Buffer.from(encodeServerFrame({ requestId: 5, body: { case: 'sendAck', value: {} } })),
  );
  if (ackView.requestId !== 5 || ackView.field !== ServerField.sendAck) fail('reading SendAck');
}
