import { PrivateKey } from '@signalapp/libsignal-client';
import { concatBytes, ownedBytes, utf8 } from '../bytes/bytes.js';
import { PUBLIC_KEY_BYTES, RELAY_ID_BYTES, SIGNATURE_BYTES } from '../protocol/frames.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';

/**
 * The relay's trust root vouches for its operator key, so a client that pinned the trust root
 * (at init, or when it followed a relay's directory) learns the operator key from any Challenge
 * and needs no second pin: the operator key signs directory approvals, facilitator credentials
 * and revocation lists (docs/directory.md, "Keys").
 */
const CONTEXT = utf8('kindred-operator-key-v1');

function endorsedBytes(relayId: Uint8Array, operatorKey: Uint8Array): Uint8Array {
  return concatBytes(CONTEXT, relayId, operatorKey);
}

/** The trust root's signature over relay id and operator public key (Challenge field 8). */
export function endorseOperatorKey(
  trustRootPrivateKey: Uint8Array,
  relayId: Uint8Array,
  operatorKey: Uint8Array,
): Uint8Array {
  const key = PrivateKey.deserialize(ownedBytes(trustRootPrivateKey));
  return key.sign(ownedBytes(endorsedBytes(relayId, operatorKey)));
}

/** True when `endorsement` is the pinned trust root's word for this relay's operator key. */
export function operatorKeyEndorsed(options: {
  readonly trustRoot: Uint8Array;
  readonly relayId: Uint8Array;
  readonly operatorKey: Uint8Array;
  readonly endorsement: Uint8Array;
}): boolean {
  const { trustRoot, relayId, operatorKey, endorsement } = options;
  if (
    relayId.length !== RELAY_ID_BYTES ||
    operatorKey.length !== PUBLIC_KEY_BYTES ||
    endorsement.length !== SIGNATURE_BYTES
  ) {
    return false;
  }
  return verifyIdentitySignature(trustRoot, endorsedBytes(relayId, operatorKey), endorsement);
}
