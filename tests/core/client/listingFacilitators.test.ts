// A listing's facilitators, checked as members' credentials are, against the listing's relay.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  Persona,
  generateOperatorKeyPair,
  issueFacilitatorCredential,
  listingFacilitators,
} from '../../../core/client/index.js';

const NOW = 1_800_000_000_000;
const operator = generateOperatorKeyPair();
const relayId = new Uint8Array(randomBytes(32));
const nina = Persona.generate('Nina').address;

function credential(signer = operator.privateKey, expiresAt = NOW + 1000): Uint8Array {
  return issueFacilitatorCredential(signer, {
    roleTitle: 'Navigator',
    address: nina,
    relayId,
    issuedAt: NOW - 1000,
    expiresAt,
  });
}

describe('listingFacilitators', () => {
  it('badges a valid credential and names the problem of every other', () => {
    const valid = credential();
    const checked = listingFacilitators(
      {
        relayId,
        facilitators: [
          valid,
          credential(generateOperatorKeyPair().privateKey),
          credential(operator.privateKey, NOW),
          Uint8Array.of(1, 2, 3),
        ],
      },
      { operatorKey: operator.publicKey, revoked: new Set(), now: NOW },
    );
    expect(checked.map((entry) => entry.address)).toStrictEqual([nina, nina, nina, '']);
    expect(checked[0]?.check.badge?.roleTitle).toBe('Navigator');
    expect(checked.slice(1).map((entry) => entry.check.problem)).toStrictEqual([
      'forged',
      'expired',
      'malformed',
    ]);
    const revokedId = checked[0]?.check.badge?.credentialId ?? '';
    const revoked = listingFacilitators(
      { relayId, facilitators: [valid] },
      { operatorKey: operator.publicKey, revoked: new Set([revokedId]), now: NOW },
    );
    expect(revoked[0]?.check.problem).toBe('revoked');
    const otherRelay = listingFacilitators(
      { relayId: new Uint8Array(randomBytes(32)), facilitators: [valid] },
      { operatorKey: operator.publicKey, revoked: new Set(), now: NOW },
    );
    expect(otherRelay[0]?.check.problem).toBe('other-relay');
    const unknownKey = listingFacilitators(
      { relayId, facilitators: [valid] },
      { operatorKey: undefined, revoked: new Set(), now: NOW },
    );
    expect(unknownKey[0]?.check.problem).toBe('unverifiable');
  });
});
