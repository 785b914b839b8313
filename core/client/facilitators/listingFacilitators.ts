import { fromBinary } from '@bufbuild/protobuf';
import { checkFacilitatorCredential } from '../../directory/facilitatorCredential.js';
import {
  FacilitatorCredentialSchema,
  SignedFacilitatorCredentialSchema,
} from '../../protocol/gen/kindred_pb.js';
import type { CredentialCheck } from './FacilitatorCredentials.js';

/** A facilitator a directory listing names, with where its credential stands. */
export interface ListingFacilitator {
  /** The persona the credential names ('' when it cannot be read). */
  readonly address: string;
  readonly check: CredentialCheck;
}

/**
 * The facilitators of a listing (`Listing.facilitators`), each checked as a member's credential
 * is in a group, against the listing's own relay: its id, the operator key that relay's pinned
 * trust root endorsed (undefined while none is known: every one is `unverifiable`), and the newest
 * revocation list of that relay. The directory client and the CLI show a badge for each valid one
 * and a warning for each other.
 */
export function listingFacilitators(
  listing: { readonly relayId: Uint8Array; readonly facilitators: readonly Uint8Array[] },
  relay: {
    readonly operatorKey: Uint8Array | undefined;
    readonly revoked: ReadonlySet<string>;
    readonly now: number;
  },
): ListingFacilitator[] {
  return listing.facilitators.map((credential) => {
    // The address is read unchecked, only to name whose the credential says it is: the check
    // below proves it (a credential never shows a badge for any other persona).
    const address = claimedAddress(credential);
    if (relay.operatorKey === undefined) return { address, check: { problem: 'unverifiable' } };
    const standing = checkFacilitatorCredential(credential, {
      operatorKey: relay.operatorKey,
      relayId: listing.relayId,
      address,
      now: relay.now,
      revoked: relay.revoked,
    });
    if (standing.valid) {
      const { roleTitle, credentialId, expiresAt } = standing.credential;
      return { address, check: { badge: { roleTitle, credentialId, expiresAt } } };
    }
    return {
      address,
      check: {
        problem: standing.problem,
        ...(standing.credential === undefined
          ? {}
          : { credentialId: standing.credential.credentialId }),
      },
    };
  });
}

/** The persona a credential names, read without checking it ('' when it cannot be read). */
export function claimedAddress(credential: Uint8Array): string {
  try {
    const signed = fromBinary(SignedFacilitatorCredentialSchema, credential);
    return fromBinary(FacilitatorCredentialSchema, signed.credential).address;
  } catch {
    return '';
  }
}
