/**
 * set_profile (docs/groups.md, "Facilitator badges"): a member replaces its own sealed profile;
 * the relay and every client apply the same rule, without reading what is sealed.
 */
import { describe, expect, it } from 'vitest';
import { CoreErrorCode, MAX_SEALED_PROFILE_BYTES, Persona } from '../../../core/index.js';
import type { GroupActionInit } from '../../../core/index.js';
import { TestGroupLog, sealedBlob } from './groupTestLog.js';

const owner = Persona.generate('Owner');
const alice = Persona.generate('Alice');
const bob = Persona.generate('Bob');
const stranger = Persona.generate('Stranger');

function setProfile(sealedProfile: Uint8Array): GroupActionInit {
  return { case: 'setProfile', value: { sealedProfile } };
}

describe('set_profile', () => {
  it('replaces the actor’s own sealed profile and nothing else', () => {
    const group = TestGroupLog.create(owner);
    group.addMember(alice);
    group.addMember(bob);
    const bobBefore = group.state.members.get(bob.address);
    const profile = sealedBlob(MAX_SEALED_PROFILE_BYTES);
    const state = group.do(alice, setProfile(profile));
    expect(state.members.get(alice.address)?.sealedProfile).toStrictEqual(profile);
    expect(state.members.get(alice.address)?.role).toBe('member');
    expect(state.members.get(bob.address)).toStrictEqual(bobBefore);
    // The owner shows a new profile the same way.
    expect(group.do(owner, setProfile(sealedBlob())).members.get(owner.address)?.role).toBe(
      'owner',
    );
  });

  it('is refused from a non-member, a requester, and with an empty or oversized profile', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    group.addMember(alice);
    group.refuse(stranger, setProfile(sealedBlob()), CoreErrorCode.GroupForbidden);
    group.join(bob, group.invite(owner));
    expect(group.state.requests.has(bob.address)).toBe(true);
    group.refuse(bob, setProfile(sealedBlob()), CoreErrorCode.GroupForbidden);
    group.refuse(alice, setProfile(new Uint8Array(0)), CoreErrorCode.GroupOperationInvalid);
    group.refuse(
      alice,
      setProfile(sealedBlob(MAX_SEALED_PROFILE_BYTES + 1)),
      CoreErrorCode.GroupOperationInvalid,
    );
  });
});
