/**
 * The epoch rules (issue 10 §1): who may rotate the group secret, what a departure blocks until
 * someone does, which invites stay live (the relay serves the log to an invite's read key only
 * while they do), and what a removal or a "reset invite links" revokes.
 */
import { describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  GroupSecret,
  Persona,
  applyGroupOperation,
  checkGroupPost,
  epochAt,
  isInviteLive,
  logKeyHash,
  toHex,
} from '../../../core/index.js';
import type { GroupInviteState, GroupState } from '../../../core/index.js';
import {
  HOUR_MS,
  TestGroupLog,
  act,
  codeThrownBy,
  messageId,
  newInvite,
  sealedBlob,
} from './groupTestLog.js';

const owner = Persona.generate('Owner');
const mod = Persona.generate('Moderator');
const alice = Persona.generate('Alice');
const bob = Persona.generate('Bob');
const carol = Persona.generate('Carol');
const stranger = Persona.generate('Stranger');

function staffed(policy?: { joinByApproval: boolean }): TestGroupLog {
  const group = TestGroupLog.create(owner, policy === undefined ? {} : { policy });
  group.addModerator(mod);
  group.addMember(alice);
  group.addMember(bob);
  return group;
}

function inviteOf(state: GroupState, inviteId: Uint8Array): GroupInviteState {
  const invite = state.invites.get(toHex(inviteId));
  if (invite === undefined) throw new Error('no such invite');
  return invite;
}

describe('rotate_epoch', () => {
  it('moves to the next epoch with the new log-key hash and records where it began', () => {
    const group = staffed();
    const first = group.state.logKeyHash;
    const sequence = group.state.length;
    const next = group.rotate(mod);
    expect(group.state.epoch).toBe(1);
    expect(group.state.logKeyHash).toStrictEqual(logKeyHash(next.logKey()));
    expect(group.state.epochs.map((epoch) => epoch.startSequence)).toStrictEqual([0, sequence]);
    expect(group.state.epochs[0]?.logKeyHash).toStrictEqual(first);
    expect(epochAt(group.state, sequence - 1)).toBe(0);
    expect(epochAt(group.state, sequence)).toBe(1);
    expect(epochAt(group.state, sequence + 5)).toBe(1);
  });

  it('lets a moderator or the owner rotate at any time, a plain member only when one is due', () => {
    const group = staffed();
    group.rotate(owner);
    group.rotate(mod);
    group.refuse(alice, act.rotateEpoch(3, GroupSecret.generate()), CoreErrorCode.GroupForbidden);
    group.do(bob, act.leave());
    group.rotate(alice);
    expect(group.state.epoch).toBe(3);
    group.refuse(
      stranger,
      act.rotateEpoch(4, GroupSecret.generate()),
      CoreErrorCode.GroupForbidden,
    );
  });

  it('refuses a wrong epoch number, a malformed hash, secret or join key', () => {
    const group = staffed();
    const next = GroupSecret.generate();
    for (const epoch of [0, 2, 7]) {
      group.refuse(owner, act.rotateEpoch(epoch, next), CoreErrorCode.GroupOperationInvalid);
    }
    const good = act.rotateEpoch(1, next);
    if (good.case !== 'rotateEpoch') throw new Error('not a rotation');
    for (const broken of [
      { logKeyHash: new Uint8Array(31) },
      { sealedPreviousSecret: new Uint8Array(0) },
      { sealedPreviousSecret: sealedBlob(129) },
      { joinKey: new Uint8Array(0) },
      { joinKey: new Uint8Array(33) },
    ]) {
      group.refuse(
        owner,
        { case: 'rotateEpoch', value: { ...good.value, ...broken } },
        CoreErrorCode.GroupOperationInvalid,
      );
    }
  });

  it('revokes every open invite only when a moderator asks ("reset invite links")', () => {
    const group = staffed();
    const invite = group.invite(mod, { maxUses: 5 });
    group.rotate(owner);
    expect(group.state.invites.has(toHex(invite.inviteId))).toBe(true);
    group.do(bob, act.leave());
    group.refuse(
      alice,
      act.rotateEpoch(2, GroupSecret.generate(), true),
      CoreErrorCode.GroupForbidden,
    );
    group.rotate(mod, { revokeInvites: true });
    expect(group.state.invites.size).toBe(0);
    expect(group.state.epoch).toBe(2);
    group.refuse(carol, group.joinAction(carol, invite), CoreErrorCode.GroupInviteInvalid);
  });
});

describe('a due rotation', () => {
  const departures: [string, (group: TestGroupLog) => void][] = [
    ['remove', (group) => group.do(mod, act.remove(alice.address))],
    ['ban', (group) => group.do(mod, act.ban(alice.address))],
    ['leave', (group) => group.do(alice, act.leave())],
  ];

  for (const [name, depart] of departures) {
    it(`follows a ${name}, blocks posts and every other operation, and ends with a rotation`, () => {
      const group = staffed();
      expect(group.state.rotationDue).toBe(false);
      depart(group);
      expect(group.state.rotationDue).toBe(true);
      for (const address of [owner.address, mod.address, bob.address]) {
        expect(
          codeThrownBy(() => {
            checkGroupPost(group.state, address, group.clock, undefined);
          }),
        ).toBe(CoreErrorCode.GroupRotationDue);
      }
      for (const action of [
        act.setInfo(sealedBlob()),
        act.pin(messageId()),
        act.mute(bob.address, group.clock + HOUR_MS),
        act.promote(bob.address),
        act.setPolicy({ slowModeSeconds: 5 }),
      ]) {
        group.refuse(owner, action, CoreErrorCode.GroupRotationDue);
      }
      const invite = group.invite.bind(group);
      expect(() => invite(owner)).toThrow();
      // Further departures are still taken, and keep the rotation due.
      group.do(owner, act.remove(bob.address));
      expect(group.state.rotationDue).toBe(true);
      group.rotate(mod);
      expect(group.state.rotationDue).toBe(false);
      expect(() => {
        checkGroupPost(group.state, mod.address, group.clock, undefined);
      }).not.toThrow();
      group.do(owner, act.setInfo(sealedBlob()));
    });
  }

  it('does not follow a withdrawn request, a denial or a requester’s ban (it never held the secret)', () => {
    const group = staffed({ joinByApproval: true });
    group.join(carol, group.invite(mod));
    group.do(carol, act.leave());
    group.join(carol, group.invite(mod));
    group.do(mod, act.deny(carol.address));
    group.join(carol, group.invite(mod));
    group.do(mod, act.ban(carol.address));
    expect(group.state.rotationDue).toBe(false);
  });

  it('refuses a join while due', () => {
    const group = staffed();
    const invite = group.invite(owner, { maxUses: 5 });
    group.do(alice, act.leave());
    group.refuse(carol, group.joinAction(carol, invite), CoreErrorCode.GroupRotationDue);
    group.rotate(bob);
    group.join(carol, invite);
    expect(group.state.members.has(carol.address)).toBe(true);
  });
});

describe('invite liveness', () => {
  it('holds while unexpired, with uses left, and its creator a moderator', () => {
    const group = staffed();
    const invite = group.invite(mod, { maxUses: 2, expiresAt: group.clock + HOUR_MS });
    const state = (): GroupState => group.state;
    const live = (now = group.clock): boolean =>
      isInviteLive(state(), inviteOf(state(), invite.inviteId), now);
    expect(live()).toBe(true);
    const expiresAt = inviteOf(state(), invite.inviteId).expiresAt;
    expect(live(expiresAt - 1)).toBe(true);
    expect(live(expiresAt)).toBe(false);
    group.join(carol, invite);
    expect(live()).toBe(true);
    group.join(stranger, invite);
    const spent = inviteOf(state(), invite.inviteId);
    expect(isInviteLive(state(), spent, group.clock)).toBe(false);
  });

  it('holds for a used-up invite while a request made with it waits, then dies', () => {
    const group = staffed({ joinByApproval: true });
    const invite = group.invite(mod, { maxUses: 1 });
    group.join(carol, invite);
    const held = inviteOf(group.state, invite.inviteId);
    expect(isInviteLive(group.state, held, group.clock)).toBe(true);
    group.do(mod, act.approve(carol.address));
    expect(isInviteLive(group.state, held, group.clock)).toBe(false);
  });

  it('dies with its creator’s right to invite', () => {
    const group = staffed();
    const invite = group.invite(mod, { maxUses: 5 });
    const held = inviteOf(group.state, invite.inviteId);
    group.do(owner, act.demote(mod.address));
    expect(isInviteLive(group.state, held, group.clock)).toBe(false);
  });

  it('is revoked when the member who joined with it is removed or banned', () => {
    for (const action of [act.remove, act.ban]) {
      const group = staffed();
      const invite = group.invite(mod, { maxUses: 5 });
      group.join(carol, invite);
      expect(group.state.members.get(carol.address)?.inviteId).toBe(toHex(invite.inviteId));
      const other = group.invite(mod, { maxUses: 5 });
      group.do(mod, action(carol.address));
      group.rotate(mod);
      expect(group.state.invites.has(toHex(invite.inviteId))).toBe(false);
      expect(group.state.invites.has(toHex(other.inviteId))).toBe(true);
      group.refuse(stranger, group.joinAction(stranger, invite), CoreErrorCode.GroupInviteInvalid);
    }
  });

  it('is revoked when a requester who came with it is banned', () => {
    const group = staffed({ joinByApproval: true });
    const invite = group.invite(mod, { maxUses: 5 });
    group.join(carol, invite);
    group.do(mod, act.ban(carol.address));
    expect(group.state.invites.has(toHex(invite.inviteId))).toBe(false);
  });

  it('keeps the read-key hash and the sealed welcome, and refuses malformed ones', () => {
    const group = staffed();
    const readKeyHash = logKeyHash(new Uint8Array(32).fill(7));
    const sealedWelcome = sealedBlob(40);
    const base = {
      inviteId: new Uint8Array(16).fill(1),
      inviteKey: newInvite().publicKey,
      expiresAt: BigInt(group.clock + HOUR_MS),
      maxUses: 1,
    };
    group.do(mod, { case: 'invite', value: { ...base, readKeyHash, sealedWelcome } });
    const stored = inviteOf(group.state, base.inviteId);
    expect(stored.readKeyHash).toStrictEqual(readKeyHash);
    expect(stored.sealedWelcome).toStrictEqual(sealedWelcome);
    for (const broken of [
      { readKeyHash: new Uint8Array(31) },
      { sealedWelcome: sealedBlob(16 * 1024 + 1) },
    ]) {
      const signed = group.sign(mod, {
        case: 'invite',
        value: { ...base, inviteId: new Uint8Array(16).fill(2), ...broken },
      });
      expect(codeThrownBy(() => applyGroupOperation(group.state, signed))).toBe(
        CoreErrorCode.GroupOperationInvalid,
      );
    }
  });
});
