import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { PrivateKey } from '@signalapp/libsignal-client';
import {
  bytesEqual,
  codePointLength,
  concatBytes,
  ownedBytes,
  toHex,
  utf8,
} from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { hasControlCharacter } from './directoryListing.js';
import { isPersonaAddress } from '../persona/personaAddress.js';
import { RELAY_ID_BYTES, SIGNATURE_BYTES } from '../protocol/frames.js';
import type { SignedRevocationList } from '../protocol/gen/kindred_pb.js';
import {
  FacilitatorCredentialSchema,
  RevocationListSchema,
  SignedFacilitatorCredentialSchema,
  SignedRevocationListSchema,
} from '../protocol/gen/kindred_pb.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';

/**
 * Facilitator credentials: the operator's signed word that a persona is a trained navigator
 * ("Navigator, St James's Cancer Centre"), and the operator's revocation list that withdraws one
 * early (docs/directory.md, "Facilitators"). Clients verify both against the operator key their
 * pinned trust root endorses (operatorKeyEndorsement.ts).
 */
export interface FacilitatorCredentialData {
  /** 16 random bytes, hex: what a revocation names. */
  readonly credentialId: string;
  readonly roleTitle: string;
  readonly address: string;
  readonly relayId: Uint8Array;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Why a credential shows no badge. */
export type CredentialProblem =
  'malformed' | 'forged' | 'other-relay' | 'other-persona' | 'expired' | 'revoked';

export type CredentialStanding =
  | { readonly valid: true; readonly credential: FacilitatorCredentialData }
  | {
      readonly valid: false;
      readonly problem: CredentialProblem;
      readonly credential?: FacilitatorCredentialData;
    };

export const MAX_ROLE_TITLE_LENGTH = 120;
const CREDENTIAL_VERSION = 1;
const CREDENTIAL_ID_BYTES = 16;
const CREDENTIAL_CONTEXT = utf8('kindred-facilitator-v1');
const REVOCATIONS_CONTEXT = utf8('kindred-revocations-v1');
const STRICT = { readUnknownFields: false } as const;

function invalid(reason: string, cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.CredentialInvalid, reason, { cause });
}

/** Serialized SignedFacilitatorCredential, signed by the operator key (CLI: facilitator issue). */
export function issueFacilitatorCredential(
  operatorPrivateKey: Uint8Array,
  options: {
    readonly roleTitle: string;
    readonly address: string;
    readonly relayId: Uint8Array;
    readonly expiresAt: number;
    readonly issuedAt?: number;
  },
): Uint8Array {
  const issuedAt = options.issuedAt ?? Date.now();
  const title = options.roleTitle.trim();
  if (
    title === '' ||
    codePointLength(title) > MAX_ROLE_TITLE_LENGTH ||
    hasControlCharacter(title)
  ) {
    throw invalid(`a role title is 1 to ${MAX_ROLE_TITLE_LENGTH} characters on one line`);
  }
  if (!isPersonaAddress(options.address)) throw invalid('that is not a persona address');
  if (options.relayId.length !== RELAY_ID_BYTES) throw invalid('malformed relay id');
  if (!Number.isSafeInteger(options.expiresAt) || options.expiresAt <= issuedAt) {
    throw invalid('a credential expires after it is issued');
  }
  const credential = toBinary(
    FacilitatorCredentialSchema,
    create(FacilitatorCredentialSchema, {
      version: CREDENTIAL_VERSION,
      credentialId: new Uint8Array(randomBytes(CREDENTIAL_ID_BYTES)),
      roleTitle: title,
      address: options.address,
      relayId: options.relayId,
      issuedAt: BigInt(issuedAt),
      expiresAt: BigInt(options.expiresAt),
    }),
  );
  const key = PrivateKey.deserialize(ownedBytes(operatorPrivateKey));
  return toBinary(
    SignedFacilitatorCredentialSchema,
    create(SignedFacilitatorCredentialSchema, {
      credential,
      signature: key.sign(ownedBytes(concatBytes(CREDENTIAL_CONTEXT, credential))),
    }),
  );
}

/**
 * Whether `bytes` is a valid credential for the persona `address` on the relay `relayId` whose
 * operator key is `operatorKey`, at `now`, given the credential ids the operator revoked (hex).
 * Never throws: a bad credential is a standing with its problem, which the window words as a
 * warning and shows no badge for.
 */
export function checkFacilitatorCredential(
  bytes: Uint8Array,
  context: {
    readonly operatorKey: Uint8Array;
    readonly relayId: Uint8Array;
    readonly address: string;
    readonly now: number;
    readonly revoked: ReadonlySet<string>;
  },
): CredentialStanding {
  let credential: FacilitatorCredentialData;
  let signed;
  try {
    signed = fromBinary(SignedFacilitatorCredentialSchema, bytes, STRICT);
    const wire = fromBinary(FacilitatorCredentialSchema, signed.credential, STRICT);
    if (
      !bytesEqual(toBinary(SignedFacilitatorCredentialSchema, signed), bytes) ||
      !bytesEqual(toBinary(FacilitatorCredentialSchema, wire), signed.credential) ||
      wire.version !== CREDENTIAL_VERSION ||
      wire.credentialId.length !== CREDENTIAL_ID_BYTES ||
      wire.relayId.length !== RELAY_ID_BYTES ||
      signed.signature.length !== SIGNATURE_BYTES ||
      wire.issuedAt > BigInt(Number.MAX_SAFE_INTEGER) ||
      wire.expiresAt > BigInt(Number.MAX_SAFE_INTEGER) ||
      codePointLength(wire.roleTitle) > MAX_ROLE_TITLE_LENGTH
    ) {
      return { valid: false, problem: 'malformed' };
    }
    credential = {
      credentialId: toHex(wire.credentialId),
      roleTitle: wire.roleTitle,
      address: wire.address,
      relayId: ownedBytes(wire.relayId),
      issuedAt: Number(wire.issuedAt),
      expiresAt: Number(wire.expiresAt),
    };
  } catch {
    return { valid: false, problem: 'malformed' };
  }
  if (
    !verifyIdentitySignature(
      context.operatorKey,
      concatBytes(CREDENTIAL_CONTEXT, signed.credential),
      signed.signature,
    )
  ) {
    return { valid: false, problem: 'forged', credential };
  }
  if (!bytesEqual(credential.relayId, context.relayId)) {
    return { valid: false, problem: 'other-relay', credential };
  }
  if (credential.address !== context.address) {
    return { valid: false, problem: 'other-persona', credential };
  }
  if (context.revoked.has(credential.credentialId)) {
    return { valid: false, problem: 'revoked', credential };
  }
  if (credential.expiresAt <= context.now) return { valid: false, problem: 'expired', credential };
  return { valid: true, credential };
}

/** The operator's revocation list: every credential id (hex) it withdrew, signed as of `issuedAt`. */
export function signRevocationList(
  operatorPrivateKey: Uint8Array,
  options: {
    readonly relayId: Uint8Array;
    readonly credentialIds: readonly string[];
    readonly issuedAt: number;
  },
): SignedRevocationList {
  const list = toBinary(
    RevocationListSchema,
    create(RevocationListSchema, {
      relayId: options.relayId,
      issuedAt: BigInt(options.issuedAt),
      credentialIds: options.credentialIds.map((id) => new Uint8Array(Buffer.from(id, 'hex'))),
    }),
  );
  const key = PrivateKey.deserialize(ownedBytes(operatorPrivateKey));
  return create(SignedRevocationListSchema, {
    list,
    signature: key.sign(ownedBytes(concatBytes(REVOCATIONS_CONTEXT, list))),
  });
}

/**
 * Verifies a revocation list of the relay `relayId` signed by `operatorKey`: the revoked ids (hex)
 * and when the list was signed (a client keeps the newest it has seen, so a relay cannot roll a
 * revocation back by serving an older list). CORE_CREDENTIAL_INVALID otherwise.
 */
export function openRevocationList(
  signed: SignedRevocationList,
  relay: { readonly relayId: Uint8Array; readonly operatorKey: Uint8Array },
): { readonly issuedAt: number; readonly revoked: ReadonlySet<string> } {
  if (
    signed.signature.length !== SIGNATURE_BYTES ||
    !verifyIdentitySignature(
      relay.operatorKey,
      concatBytes(REVOCATIONS_CONTEXT, signed.list),
      signed.signature,
    )
  ) {
    throw invalid('the revocation list is not signed by the relay’s operator');
  }
  let list;
  try {
    list = fromBinary(RevocationListSchema, signed.list, STRICT);
  } catch (error) {
    throw invalid('the revocation list is malformed', error);
  }
  if (!bytesEqual(list.relayId, relay.relayId)) {
    throw invalid('the revocation list is another relay’s');
  }
  if (
    list.issuedAt > BigInt(Number.MAX_SAFE_INTEGER) ||
    list.credentialIds.some((id) => id.length !== CREDENTIAL_ID_BYTES)
  ) {
    throw invalid('the revocation list is malformed');
  }
  return {
    issuedAt: Number(list.issuedAt),
    revoked: new Set(list.credentialIds.map((id) => toHex(id))),
  };
}
