import { PrivateKey, PublicKey } from '@signalapp/libsignal-client';
import { randomBytes } from 'node:crypto';
import { concatBytes, ownedBytes, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * An operator-signed token that lets one or more personas register on a relay running with
 * `--registration invite`. Layout: id(16) ‖ expiresAt(8, ms) ‖ maxUses(4) ‖ signature(64), the
 * signature by the operator's key over "kindred-relay-invite-v1" ‖ the first 28 bytes. The relay
 * counts uses per id.
 */
export interface RelayInviteToken {
  readonly id: Uint8Array;
  readonly expiresAt: number;
  readonly maxUses: number;
}

const BODY_BYTES = 28;
const TOKEN_BYTES = BODY_BYTES + 64;

export function createRelayInviteToken(
  operatorPrivateKey: Uint8Array,
  options: { expiresAt: number; maxUses: number },
): Uint8Array {
  const body = new Uint8Array(BODY_BYTES);
  body.set(randomBytes(16));
  const view = new DataView(body.buffer);
  view.setBigUint64(16, BigInt(options.expiresAt));
  view.setUint32(24, options.maxUses);
  const key = PrivateKey.deserialize(ownedBytes(operatorPrivateKey));
  return concatBytes(body, key.sign(signedBytes(body)));
}

/** Verifies a token's signature and expiry; the caller enforces `maxUses`. */
export function verifyRelayInviteToken(
  token: Uint8Array,
  operatorPublicKey: Uint8Array,
  now: number,
): RelayInviteToken {
  const invalid = (reason: string): CoreError =>
    new CoreError(CoreErrorCode.InvalidInput, `relay invite token ${reason}`);
  if (token.length !== TOKEN_BYTES) throw invalid('has the wrong length');
  const body = token.subarray(0, BODY_BYTES);
  let valid = false;
  try {
    valid = PublicKey.deserialize(ownedBytes(operatorPublicKey)).verify(
      ownedBytes(signedBytes(body)),
      ownedBytes(token.subarray(BODY_BYTES)),
    );
  } catch {
    valid = false;
  }
  if (!valid) throw invalid('signature is invalid');
  const view = new DataView(body.buffer, body.byteOffset, BODY_BYTES);
  const expiresAt = Number(view.getBigUint64(16));
  if (expiresAt !== 0 && expiresAt <= now) throw invalid('has expired');
  return { id: body.slice(0, 16), expiresAt, maxUses: view.getUint32(24) };
}

function signedBytes(body: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(utf8('kindred-relay-invite-v1'), body);
}

/** The operator's signing key pair for invite tokens (XEdDSA, as libsignal signs). */
export interface OperatorKeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateOperatorKeyPair(): OperatorKeyPair {
  return operatorKeyPairFrom(PrivateKey.generate().serialize());
}

/** Restores a key pair from its private key; CORE_INVALID_INPUT when the bytes are not a key. */
export function operatorKeyPairFrom(privateKey: Uint8Array): OperatorKeyPair {
  try {
    const key = PrivateKey.deserialize(ownedBytes(privateKey));
    return { privateKey: ownedBytes(privateKey), publicKey: key.getPublicKey().serialize() };
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'not an operator private key', {
      cause: error,
    });
  }
}
