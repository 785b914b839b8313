// The pairwise request key (docs/messages.md, "Message requests"): both members compute the same
// bytes, no third member can, and it is bound to one group and one direction.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Persona } from '../../../core/persona/Persona.js';
import { deriveRequestKey, requestKeyScope } from '../../../core/client/requests/requestKeys.js';

describe('deriveRequestKey', () => {
  const ana = Persona.generate('Ana');
  const bea = Persona.generate('Bea');
  const cid = Persona.generate('Cid');
  const group = new Uint8Array(randomBytes(16));

  it('gives sender and recipient the same 32 bytes, and anyone else other bytes', () => {
    const bySender = deriveRequestKey(ana, bea.identityPublicKey, group, bea.address);
    const byRecipient = deriveRequestKey(bea, ana.identityPublicKey, group, bea.address);
    expect(bySender).toHaveLength(32);
    expect(Buffer.from(bySender).equals(Buffer.from(byRecipient))).toBe(true);
    // A third member knows both public keys, not the agreement.
    const byThird = deriveRequestKey(cid, bea.identityPublicKey, group, bea.address);
    expect(Buffer.from(byThird).equals(Buffer.from(bySender))).toBe(false);
  });

  it('differs per group and per direction', () => {
    const key = deriveRequestKey(ana, bea.identityPublicKey, group, bea.address);
    const otherGroup = deriveRequestKey(ana, bea.identityPublicKey, randomBytes(16), bea.address);
    const reverse = deriveRequestKey(ana, bea.identityPublicKey, group, ana.address);
    expect(Buffer.from(otherGroup).equals(Buffer.from(key))).toBe(false);
    expect(Buffer.from(reverse).equals(Buffer.from(key))).toBe(false);
  });

  it('names the member in its scope', () => {
    const scope = requestKeyScope(group, bea.address);
    expect(scope.startsWith('request:')).toBe(true);
    expect(scope.endsWith(`:${bea.address}`)).toBe(true);
  });
});
