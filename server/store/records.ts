import type {
  GroupCursor,
  GroupEntryKind,
  StoredOneTimePreKey,
  StoredPersona,
  StoredSignedPreKey,
} from './RelayStore.js';
import { pooledBytes } from '../pooledBytes.js';

/**
 * Binary records for backends that store bytes (LevelDB, and later Redis). A record is a version
 * byte followed by fields, each prefixed with its length (4 bytes, big-endian). Envelopes and group
 * entries are the exception: they are on the hot path, so their value is just a fixed header
 * (receivedAt, and for group entries a kind byte before it) ‖ the bytes. Group cursors, heads and
 * operation indexes are fixed runs of float64s.
 */
const RECORD_VERSION = 1;

export class RecordFormatError extends Error {
  override readonly name = 'RecordFormatError';
  readonly code = 'RELAY_STORE_CORRUPT';
}

export function packFields(fields: readonly Uint8Array[]): Uint8Array {
  let length = 1;
  for (const field of fields) length += 4 + field.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = RECORD_VERSION;
  let offset = 1;
  for (const field of fields) {
    view.setUint32(offset, field.length);
    out.set(field, offset + 4);
    offset += 4 + field.length;
  }
  return out;
}

export function unpackFields(bytes: Uint8Array, count: number): Uint8Array[] {
  if (bytes[0] !== RECORD_VERSION) throw new RecordFormatError('unknown record version');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Uint8Array[] = [];
  let offset = 1;
  while (fields.length < count) {
    if (offset + 4 > bytes.length) throw new RecordFormatError('record truncated');
    const length = view.getUint32(offset);
    if (offset + 4 + length > bytes.length) throw new RecordFormatError('record truncated');
    // Copied into a plain Uint8Array: backends may hand us Buffers over larger slabs.
    const field = new Uint8Array(length);
    field.set(bytes.subarray(offset + 4, offset + 4 + length));
    fields.push(field);
    offset += 4 + length;
  }
  return fields;
}

export function uint32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function readUint32(bytes: Uint8Array): number {
  if (bytes.length !== 4) throw new RecordFormatError('bad integer field');
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
}

export function float64Bytes(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value);
  return out;
}

export function readFloat64(bytes: Uint8Array): number {
  if (bytes.length !== 8) throw new RecordFormatError('bad number field');
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0);
}

export function encodePersona(persona: StoredPersona): Uint8Array {
  return packFields([
    uint32Bytes(persona.registrationId),
    float64Bytes(persona.registeredAt),
    persona.identityKey,
    persona.accessKeyHash,
  ]);
}

export function decodePersona(address: string, bytes: Uint8Array): StoredPersona {
  const [registrationId, registeredAt, identityKey, accessKeyHash] = unpackFields(bytes, 4);
  if (
    registrationId === undefined ||
    registeredAt === undefined ||
    identityKey === undefined ||
    accessKeyHash === undefined
  ) {
    throw new RecordFormatError('persona record incomplete');
  }
  return {
    address,
    registrationId: readUint32(registrationId),
    registeredAt: readFloat64(registeredAt),
    identityKey,
    accessKeyHash,
  };
}

export function encodeSignedPreKey(key: StoredSignedPreKey): Uint8Array {
  return packFields([uint32Bytes(key.id), key.publicKey, key.signature]);
}

export function decodeSignedPreKey(bytes: Uint8Array): StoredSignedPreKey {
  const [id, publicKey, signature] = unpackFields(bytes, 3);
  if (id === undefined || publicKey === undefined || signature === undefined) {
    throw new RecordFormatError('signed prekey record incomplete');
  }
  return { id: readUint32(id), publicKey, signature };
}

export function encodeOneTimePreKey(key: StoredOneTimePreKey): Uint8Array {
  return packFields([uint32Bytes(key.id), key.publicKey]);
}

export function decodeOneTimePreKey(bytes: Uint8Array): StoredOneTimePreKey {
  const [id, publicKey] = unpackFields(bytes, 2);
  if (id === undefined || publicKey === undefined) {
    throw new RecordFormatError('prekey record incomplete');
  }
  return { id: readUint32(id), publicKey };
}

const RECEIVED_AT_BYTES = 8;

const MAX_KEY_TAG_BYTES = 255;
/** Made once: encoding a key tag is on the path of every envelope written with a delivery key. */
const TAG_ENCODER = new TextEncoder();

/**
 * receivedAt (float64, big-endian) ‖ key tag length (1 byte) ‖ key tag (ASCII) ‖ sealed: one copy
 * of the envelope, no framing. The key tag names the delivery key the envelope was written with,
 * so each key's share of the mailbox is counted again after a restart.
 */
export function encodeEnvelopeValue(
  receivedAt: number,
  sealed: Uint8Array,
  keyTag = '',
): Uint8Array {
  const tagLength = keyTag === '' ? 0 : Buffer.byteLength(keyTag, 'utf8');
  if (tagLength > MAX_KEY_TAG_BYTES) throw new RecordFormatError('envelope key tag too long');
  const header = RECEIVED_AT_BYTES + 1 + tagLength;
  // Pooled (see pooledBytes): one is written per envelope, and the store copies the bytes.
  const out = pooledBytes(header + sealed.length);
  new DataView(out.buffer, out.byteOffset, RECEIVED_AT_BYTES).setFloat64(0, receivedAt);
  out[RECEIVED_AT_BYTES] = tagLength;
  if (tagLength > 0) TAG_ENCODER.encodeInto(keyTag, out.subarray(RECEIVED_AT_BYTES + 1, header));
  out.set(sealed, header);
  return out;
}

/** Reads an envelope value without copying the sealed bytes. */
export function decodeEnvelopeValue(bytes: Uint8Array): {
  receivedAt: number;
  keyTag: string;
  sealed: Uint8Array;
} {
  if (bytes.length <= RECEIVED_AT_BYTES + 1) {
    throw new RecordFormatError('envelope record truncated');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, RECEIVED_AT_BYTES + 1);
  const tagLength = view.getUint8(RECEIVED_AT_BYTES);
  const header = RECEIVED_AT_BYTES + 1 + tagLength;
  if (bytes.length <= header) throw new RecordFormatError('envelope record truncated');
  return {
    receivedAt: view.getFloat64(0),
    keyTag: new TextDecoder().decode(bytes.subarray(RECEIVED_AT_BYTES + 1, header)),
    sealed: new Uint8Array(bytes.buffer, bytes.byteOffset + header, bytes.byteLength - header),
  };
}

/** Reads only the receivedAt prefix of an envelope value (expiry sweeps). */
export function envelopeReceivedAt(bytes: Uint8Array): number {
  if (bytes.length < RECEIVED_AT_BYTES) throw new RecordFormatError('envelope record truncated');
  return new DataView(bytes.buffer, bytes.byteOffset, RECEIVED_AT_BYTES).getFloat64(0);
}

/** Reads only the key tag of an envelope value (counting each delivery key's share). */
export function envelopeKeyTag(bytes: Uint8Array): string {
  if (bytes.length < RECEIVED_AT_BYTES + 1) {
    throw new RecordFormatError('envelope record truncated');
  }
  const tagLength = bytes[RECEIVED_AT_BYTES] ?? 0;
  const end = RECEIVED_AT_BYTES + 1 + tagLength;
  if (bytes.length < end) throw new RecordFormatError('envelope record truncated');
  return tagLength === 0
    ? ''
    : new TextDecoder().decode(bytes.subarray(RECEIVED_AT_BYTES + 1, end));
}

const ENTRY_KIND_OPERATION = 1;
const ENTRY_KIND_MESSAGE = 2;
const ENTRY_HEADER_BYTES = 1 + RECEIVED_AT_BYTES;

/** kind (1 byte: 1 operation, 2 message) ‖ receivedAt (float64) ‖ the entry's bytes. */
export function encodeGroupEntryValue(
  kind: GroupEntryKind,
  receivedAt: number,
  bytes: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(ENTRY_HEADER_BYTES + bytes.length);
  out[0] = kind === 'operation' ? ENTRY_KIND_OPERATION : ENTRY_KIND_MESSAGE;
  new DataView(out.buffer).setFloat64(1, receivedAt);
  out.set(bytes, ENTRY_HEADER_BYTES);
  return out;
}

/** Reads a group entry value; the bytes are a view, not a copy. */
export function decodeGroupEntryValue(value: Uint8Array): {
  kind: GroupEntryKind;
  receivedAt: number;
  bytes: Uint8Array;
} {
  if (value.length < ENTRY_HEADER_BYTES) throw new RecordFormatError('group entry truncated');
  const kindByte = value[0];
  if (kindByte !== ENTRY_KIND_OPERATION && kindByte !== ENTRY_KIND_MESSAGE) {
    throw new RecordFormatError('unknown group entry kind');
  }
  return {
    kind: kindByte === ENTRY_KIND_OPERATION ? 'operation' : 'message',
    receivedAt: new DataView(value.buffer, value.byteOffset + 1, RECEIVED_AT_BYTES).getFloat64(0),
    bytes: new Uint8Array(
      value.buffer,
      value.byteOffset + ENTRY_HEADER_BYTES,
      value.byteLength - ENTRY_HEADER_BYTES,
    ),
  };
}

/** acked ‖ readUntil (float64 each; readUntil 0: still a member). */
export function encodeGroupCursor(cursor: GroupCursor): Uint8Array {
  return packNumbers([cursor.acked, cursor.readUntil ?? 0]);
}

export function decodeGroupCursor(value: Uint8Array): GroupCursor {
  const acked = numberAt(value, 0, 2, 'group cursor');
  const readUntil = numberAt(value, 1, 2, 'group cursor');
  return readUntil === 0 ? { acked } : { acked, readUntil };
}

/** The last index a group's stream used and how many operations its log holds. */
export interface GroupHead {
  readonly lastIndex: number;
  readonly operations: number;
}

export function encodeGroupHead(head: GroupHead): Uint8Array {
  return packNumbers([head.lastIndex, head.operations]);
}

export function decodeGroupHead(value: Uint8Array): GroupHead {
  return {
    lastIndex: numberAt(value, 0, 2, 'group head'),
    operations: numberAt(value, 1, 2, 'group head'),
  };
}

/** One stream index (the value of an operation's sequence key). */
export function encodeGroupIndex(index: number): Uint8Array {
  return packNumbers([index]);
}

export function decodeGroupIndex(value: Uint8Array): number {
  return numberAt(value, 0, 1, 'group index');
}

function packNumbers(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    view.setFloat64(i * 8, value);
  });
  return out;
}

/** The `slot`th float64 of a record that holds exactly `slots` of them. */
function numberAt(value: Uint8Array, slot: number, slots: number, what: string): number {
  if (value.length !== slots * 8) throw new RecordFormatError(`${what} record malformed`);
  return new DataView(value.buffer, value.byteOffset, value.byteLength).getFloat64(slot * 8);
}
