import type { StoredOneTimePreKey, StoredPersona, StoredSignedPreKey } from './RelayStore.js';

/**
 * Binary records for backends that store bytes (LevelDB, and later Redis). A record is a version
 * byte followed by fields, each prefixed with its length (4 bytes, big-endian). Envelopes are the
 * exception: they are on the hot path, so their value is just receivedAt (8 bytes) ‖ sealed.
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

/** receivedAt (float64, big-endian) ‖ sealed: one copy of the envelope, no framing. */
export function encodeEnvelopeValue(receivedAt: number, sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECEIVED_AT_BYTES + sealed.length);
  new DataView(out.buffer).setFloat64(0, receivedAt);
  out.set(sealed, RECEIVED_AT_BYTES);
  return out;
}

/** Reads an envelope value without copying the sealed bytes. */
export function decodeEnvelopeValue(bytes: Uint8Array): { receivedAt: number; sealed: Uint8Array } {
  if (bytes.length <= RECEIVED_AT_BYTES) throw new RecordFormatError('envelope record truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, RECEIVED_AT_BYTES);
  return {
    receivedAt: view.getFloat64(0),
    sealed: new Uint8Array(
      bytes.buffer,
      bytes.byteOffset + RECEIVED_AT_BYTES,
      bytes.byteLength - RECEIVED_AT_BYTES,
    ),
  };
}

/** Reads only the receivedAt prefix of an envelope value (expiry sweeps). */
export function envelopeReceivedAt(bytes: Uint8Array): number {
  if (bytes.length < RECEIVED_AT_BYTES) throw new RecordFormatError('envelope record truncated');
  return new DataView(bytes.buffer, bytes.byteOffset, RECEIVED_AT_BYTES).getFloat64(0);
}
