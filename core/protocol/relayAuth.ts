import { createHash } from 'node:crypto';
import { PublicKey } from '@signalapp/libsignal-client';
import { concatBytes, ownedBytes, utf8 } from '../bytes/bytes.js';

/**
 * The bytes a persona signs to answer a relay's challenge. They bind the relay (so a response
 * cannot be replayed to another relay), the per-connection nonce (so it cannot be replayed on
 * another connection), the relay's clock at challenge time and the key being proven.
 */
export function authSigningBytes(options: {
  relayId: Uint8Array;
  nonce: Uint8Array;
  serverTime: bigint;
  identityKey: Uint8Array;
}): Uint8Array {
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, options.serverTime);
  return concatBytes(
    utf8('kindred-auth-v1'),
    lengthPrefixed(options.relayId),
    lengthPrefixed(options.nonce),
    time,
    lengthPrefixed(options.identityKey),
  );
}

/** Checks an XEdDSA signature by a serialized identity key; false for any malformed input. */
export function verifyIdentitySignature(
  identityKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return PublicKey.deserialize(ownedBytes(identityKey)).verify(
      ownedBytes(message),
      ownedBytes(signature),
    );
  } catch {
    return false;
  }
}

/** The relay stores only this hash of a delivery access key; senders present the key itself. */
export function accessKeyHash(accessKey: Uint8Array): Uint8Array {
  return ownedBytes(createHash('sha256').update(accessKey).digest());
}

/**
 * Registration proof of work: SHA-256("kindred-pow-v1" ‖ relayId ‖ identityKey ‖ nonce) must start
 * with `difficulty` zero bits. Bound to the relay and the key, so one solution registers one
 * persona on one relay; it is paid once per persona, not per connection.
 */
export function proofOfWorkDigest(
  relayId: Uint8Array,
  identityKey: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  return createHash('sha256')
    .update(utf8('kindred-pow-v1'))
    .update(relayId)
    .update(identityKey)
    .update(nonce)
    .digest();
}

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function checkProofOfWork(
  relayId: Uint8Array,
  identityKey: Uint8Array,
  nonce: Uint8Array,
  difficulty: number,
): boolean {
  return leadingZeroBits(proofOfWorkDigest(relayId, identityKey, nonce)) >= difficulty;
}

/** Finds a proof-of-work nonce. Expected cost: 2^difficulty hashes (about 1 s at 20 bits). */
export function solveProofOfWork(
  relayId: Uint8Array,
  identityKey: Uint8Array,
  difficulty: number,
): Uint8Array {
  const nonce = new Uint8Array(8);
  const view = new DataView(nonce.buffer);
  for (let counter = 0n; ; counter++) {
    view.setBigUint64(0, counter);
    if (checkProofOfWork(relayId, identityKey, nonce, difficulty)) return nonce;
  }
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const prefix = new Uint8Array(2);
  new DataView(prefix.buffer).setUint16(0, bytes.length);
  return concatBytes(prefix, bytes);
}
