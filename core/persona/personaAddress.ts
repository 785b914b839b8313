import { createHash } from 'node:crypto';

/**
 * A persona's address is a UUID derived from SHA-256 of its serialized identity public key, shaped
 * as an RFC 9562 version-8 ("custom") UUID so libsignal's ServiceId (ACI) APIs accept it. Anyone
 * holding the identity key can recompute the address, so a relay or contact cannot pair an address
 * with a different key unnoticed.
 */
export function personaAddressFor(identityPublicKey: Uint8Array): string {
  const digest = createHash('sha256').update(identityPublicKey).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ADDRESS_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** True for a well-formed persona address (lower-case, version 8). */
export function isPersonaAddress(value: unknown): value is string {
  return typeof value === 'string' && ADDRESS_PATTERN.test(value);
}
