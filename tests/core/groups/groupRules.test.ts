/**
 * The group rules, action by action: what each valid operation does to the state, who may sign
 * it (the authority matrix), how invites are spent and expire, how the hash chain refuses stale,
 * foreign and forged operations, and what `checkGroupPost` lets through. Every operation applied
 * through TestGroupLog also asserts that the state it was applied to was not mutated.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  GROUP_RULES,
  MAX_INVITE_USES,
  MAX_PINNED,
  MAX_SEALED_INFO_BYTES,
  MAX_SEALED_PROFILE_BYTES,
  MAX_SEALED_REASON_BYTES,
  MAX_DISAPPEARING_SECONDS,
  MAX_SLOW_MODE_SECONDS,
  MIN_DISAPPEARING_SECONDS,
  OPERATION_CLOCK_SKEW_MS,
  Persona,
  applyGroupOperation,
  checkGroupPost,
  concatBytes,
  decodeGroupOperation,
  groupOperationHash,
  groupOperationSigningBytes,
  logKeyHash,
  signGroupJoin,
  signGroupOperation,
  slowModeWaitMs,
  toHex,
  utf8,
  wire,
} from '../../../core/index.js';
import type { GroupActionInit, GroupState } from '../../../core/index.js';
import {
  HOUR_MS,
  T0,
  TestGroupLog,
  act,
  codeThrownBy,
  envelope,
  expectCode,
  messageId,
  newInvite,
  openEnvelope,
  operationInit,
  plainState,
  randomBytesOf,
  sealedBlob,
  signRawOperation,
  varint,
} from './groupTestLog.js';

const owner = Persona.generate('Owner');
const mod = Persona.generate('Moderator');
const mod2 = Persona.generate('Second Moderator');
const alice = Persona.generate('Alice');
const bob = Persona.generate('Bob');
const carol = Persona.generate('Carol');
const stranger = Persona.generate('Stranger');

const { GroupPosting } = wire;
/** A policy whose posting rule (3) this version does not know, as a newer client might send. */
const UNKNOWN_POSTING = fromBinary(wire.GroupPolicySchema, Uint8Array.of(0x18, 0x03));

function createAction(
  overrides: Partial<{
    logKeyHash: Uint8Array;
    sealedInfo: Uint8Array;
    sealedProfile: Uint8Array;
    policy: MessageInitShape<typeof wire.GroupPolicySchema>;
  }> = {},
): GroupActionInit {
  return {
    case: 'create',
    value: {
      logKeyHash: randomBytesOf(32),
      sealedInfo: sealedBlob(),
      sealedProfile: sealedBlob(),
      ...overrides,
    },
  };
}

function signCreate(action: GroupActionInit, createdAt = T0): Uint8Array {
  return signGroupOperation(owner, {
    groupId: randomBytesOf(16),
    state: undefined,
    action,
    createdAt,
  });
}

/** A group with an owner, one moderator and two plain members (alice, bob). */
function staffedGroup(policy?: { joinByApproval?: boolean; slowModeSeconds?: number }) {
  const group = TestGroupLog.create(owner, policy === undefined ? {} : { policy });
  group.addModerator(mod);
  group.addMember(alice);
  group.addMember(bob);
  return group;
}

function roleOf(state: GroupState, address: string): string | undefined {
  return state.members.get(address)?.role;
}

describe('create', () => {
  it('starts a group whose creator is its only member and owner', () => {
    const group = TestGroupLog.create(owner, { createdAt: T0 });
    const [createOp] = group.operations;
    if (createOp === undefined) throw new Error('no create operation');
    const { operation } = openEnvelope(createOp);
    if (operation.action.case !== 'create') throw new Error('not a create operation');
    const create = operation.action.value;
    expect(plainState(group.state)).toStrictEqual({
      groupId: group.groupId,
      length: 1,
      head: groupOperationHash(createOp),
      createdAt: T0,
      logKeyHash: logKeyHash(group.secret.logKey()),
      epoch: 0,
      epochs: [
        {
          epoch: 0,
          logKeyHash: logKeyHash(group.secret.logKey()),
          startSequence: 0,
          joinKey: new Uint8Array(0),
        },
      ],
      rotationDue: false,
      sealedInfo: create.sealedInfo,
      policy: {
        joinByApproval: false,
        slowModeSeconds: 0,
        posting: 'everyone',
        disappearingSeconds: 0,
        requireImageWarnings: false,
      },
      members: new Map([
        [
          owner.address,
          {
            address: owner.address,
            identityKey: owner.identityPublicKey,
            role: 'owner',
            mutedUntil: 0,
            sealedProfile: create.sealedProfile,
            since: 0,
          },
        ],
      ]),
      requests: new Map(),
      banned: new Set(),
      invites: new Map(),
      pinned: [],
      deleted: new Set(),
    });
  });

  it('takes its policy from the create operation', () => {
    const group = TestGroupLog.create(owner, {
      policy: { joinByApproval: true, slowModeSeconds: 30, posting: GroupPosting.MODERATORS },
    });
    expect(group.state.policy).toStrictEqual({
      joinByApproval: true,
      slowModeSeconds: 30,
      posting: 'moderators',
      disappearingSeconds: 0,
      requireImageWarnings: false,
    });
  });

  it('accepts sealed blobs and slow mode at exactly their limits', () => {
    const signed = signCreate(
      createAction({
        sealedInfo: sealedBlob(MAX_SEALED_INFO_BYTES),
        sealedProfile: sealedBlob(MAX_SEALED_PROFILE_BYTES),
        policy: { slowModeSeconds: MAX_SLOW_MODE_SECONDS },
      }),
    );
    expect(applyGroupOperation(undefined, signed).state.policy.slowModeSeconds).toBe(
      MAX_SLOW_MODE_SECONDS,
    );
  });

  it.each([
    ['a short log key hash', createAction({ logKeyHash: randomBytesOf(31) })],
    ['an empty sealed info', createAction({ sealedInfo: new Uint8Array(0) })],
    [
      'an oversized sealed info',
      createAction({ sealedInfo: sealedBlob(MAX_SEALED_INFO_BYTES + 1) }),
    ],
    ['an empty sealed profile', createAction({ sealedProfile: new Uint8Array(0) })],
    [
      'an oversized sealed profile',
      createAction({ sealedProfile: sealedBlob(MAX_SEALED_PROFILE_BYTES + 1) }),
    ],
    [
      'too long a slow mode',
      createAction({ policy: { slowModeSeconds: MAX_SLOW_MODE_SECONDS + 1 } }),
    ],
    ['an unknown posting rule', createAction({ policy: UNKNOWN_POSTING })],
  ])('refuses a create with %s', (_name, action) => {
    expectCode(
      () => applyGroupOperation(undefined, signCreate(action)),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it('refuses a create at any sequence but 0', () => {
    const signed = signRawOperation(owner, {
      version: 1,
      groupId: randomBytesOf(16),
      sequence: 1n,
      previous: randomBytesOf(32),
      createdAt: BigInt(T0),
      actor: owner.identityPublicKey,
      action: createAction(),
    });
    expectCode(() => applyGroupOperation(undefined, signed), CoreErrorCode.GroupOperationInvalid);
  });

  it('refuses to start a log with anything but create', () => {
    const signed = signGroupOperation(owner, {
      groupId: randomBytesOf(16),
      state: undefined,
      action: act.leave(),
      createdAt: T0,
    });
    expectCode(() => applyGroupOperation(undefined, signed), CoreErrorCode.GroupNotFound);
  });

  it('refuses a second create in an existing log', () => {
    const group = TestGroupLog.create(owner);
    group.refuse(owner, createAction(), CoreErrorCode.GroupConflict);
  });
});

describe('invite', () => {
  it('registers an invite made by the owner or a moderator, unused', () => {
    const group = TestGroupLog.create(owner);
    group.addModerator(mod);
    for (const by of [owner, mod]) {
      const invite = newInvite();
      const expiresAt = group.clock + HOUR_MS;
      group.do(
        by,
        act.invite({
          inviteId: invite.inviteId,
          inviteKey: invite.publicKey,
          expiresAt,
          maxUses: 5,
        }),
      );
      expect(group.state.invites.get(toHex(invite.inviteId))).toStrictEqual({
        inviteId: invite.inviteId,
        inviteKey: invite.publicKey,
        createdBy: by.address,
        expiresAt,
        maxUses: 5,
        uses: 0,
        readKeyHash: new Uint8Array(0),
        sealedWelcome: new Uint8Array(0),
      });
    }
  });

  it('accepts the largest use limit', () => {
    const group = TestGroupLog.create(owner);
    const invite = newInvite();
    group.do(
      owner,
      act.invite({
        inviteId: invite.inviteId,
        inviteKey: invite.publicKey,
        expiresAt: group.clock + 1,
        maxUses: MAX_INVITE_USES,
      }),
    );
    expect(group.state.invites.get(toHex(invite.inviteId))?.maxUses).toBe(MAX_INVITE_USES);
  });

  it('refuses an invite id already in use', () => {
    const group = TestGroupLog.create(owner);
    const first = group.invite(owner);
    const other = newInvite();
    group.refuse(
      owner,
      act.invite({
        inviteId: first.inviteId,
        inviteKey: other.publicKey,
        expiresAt: group.clock + HOUR_MS,
        maxUses: 1,
      }),
      CoreErrorCode.GroupBadTarget,
    );
  });

  const inviteVariants: [
    string,
    Partial<{ inviteId: Uint8Array; inviteKey: Uint8Array; maxUses: number }> & {
      /** The expiry, relative to the invite operation's own time. */
      readonly expiresIn?: number;
    },
  ][] = [
    ['a short invite id', { inviteId: randomBytesOf(15) }],
    ['a long invite id', { inviteId: randomBytesOf(17) }],
    ['a short invite key', { inviteKey: randomBytesOf(32) }],
    ['no uses', { maxUses: 0 }],
    ['too many uses', { maxUses: MAX_INVITE_USES + 1 }],
    ['an expiry equal to its own time', { expiresIn: 0 }],
    ['an expiry before its own time', { expiresIn: -1 }],
    ['an expiry past the safe integers', { expiresIn: Number.MAX_SAFE_INTEGER }],
  ];
  it.each(inviteVariants)('refuses an invite with %s', (_name, { expiresIn, ...override }) => {
    const group = TestGroupLog.create(owner);
    const invite = newInvite();
    const fields = {
      inviteId: invite.inviteId,
      inviteKey: invite.publicKey,
      expiresAt: group.clock + (expiresIn ?? HOUR_MS),
      maxUses: 1,
      ...override,
    };
    group.refuse(owner, act.invite(fields), CoreErrorCode.GroupOperationInvalid);
  });
});

describe('join', () => {
  it('makes the joiner a member at once in an open group and spends one use', () => {
    const group = TestGroupLog.create(owner);
    const invite = group.invite(owner, { maxUses: 3 });
    const sealedProfile = sealedBlob();
    const sequence = group.state.length;
    const signature = signGroupJoin(
      invite.privateKey,
      group.groupId,
      invite.inviteId,
      alice.identityPublicKey,
    );
    const state = group.do(alice, act.join(invite.inviteId, signature, sealedProfile));
    expect(state.members.get(alice.address)).toStrictEqual({
      address: alice.address,
      identityKey: alice.identityPublicKey,
      role: 'member',
      mutedUntil: 0,
      sealedProfile,
      since: sequence,
      inviteId: toHex(invite.inviteId),
    });
    expect(state.requests.size).toBe(0);
    expect(state.invites.get(toHex(invite.inviteId))?.uses).toBe(1);
  });

  it('files a request in a group that admits by approval, spending one use', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    const invite = group.invite(owner, { maxUses: 3 });
    const sequence = group.state.length;
    const state = group.join(alice, invite);
    expect(state.members.has(alice.address)).toBe(false);
    const request = state.requests.get(alice.address);
    expect(request).toMatchObject({
      address: alice.address,
      identityKey: alice.identityPublicKey,
      requestedAtSequence: sequence,
    });
    expect(request?.sealedProfile).toHaveLength(24);
    expect(state.invites.get(toHex(invite.inviteId))?.uses).toBe(1);
  });

  it('approve turns a request into a member with the profile it was filed with', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    group.addModerator(mod);
    const invite = group.invite(owner);
    group.join(alice, invite);
    const request = group.state.requests.get(alice.address);
    const sequence = group.state.length;
    const state = group.do(mod, act.approve(alice.address));
    expect(state.requests.has(alice.address)).toBe(false);
    expect(state.members.get(alice.address)).toStrictEqual({
      address: alice.address,
      identityKey: alice.identityPublicKey,
      role: 'member',
      mutedUntil: 0,
      sealedProfile: request?.sealedProfile,
      since: sequence,
      inviteId: toHex(invite.inviteId),
    });
  });

  it('deny drops a request without banning: the persona may ask again', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    group.join(alice, group.invite(owner));
    const state = group.do(owner, act.deny(alice.address));
    expect(state.requests.has(alice.address)).toBe(false);
    expect(state.members.has(alice.address)).toBe(false);
    expect(state.banned.has(alice.address)).toBe(false);
    group.join(alice, group.invite(owner));
    expect(group.state.requests.has(alice.address)).toBe(true);
  });

  it('approve and deny need a pending request', () => {
    const group = staffedGroup({ joinByApproval: true });
    for (const target of [alice.address, stranger.address, owner.address]) {
      group.refuse(owner, act.approve(target), CoreErrorCode.GroupBadTarget);
      group.refuse(owner, act.deny(target), CoreErrorCode.GroupBadTarget);
    }
  });

  it('refuses a member, or a persona already waiting, joining again', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    group.addMember(alice);
    const invite = group.invite(owner, { maxUses: 5 });
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupBadTarget);
    group.refuse(owner, group.joinAction(owner, invite), CoreErrorCode.GroupBadTarget);
    group.join(bob, invite);
    group.refuse(bob, group.joinAction(bob, invite), CoreErrorCode.GroupBadTarget);
  });

  it('refuses an unknown invite', () => {
    const group = TestGroupLog.create(owner);
    group.invite(owner);
    group.refuse(alice, group.joinAction(alice, newInvite()), CoreErrorCode.GroupInviteInvalid);
  });

  it('refuses an invite that expired before the join operation was made', () => {
    const group = TestGroupLog.create(owner);
    const expiresAt = group.clock + HOUR_MS;
    const invite = group.invite(owner, { expiresAt, maxUses: 2 });
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupInviteInvalid, {
      createdAt: expiresAt,
    });
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupInviteInvalid, {
      createdAt: expiresAt + HOUR_MS,
    });
    group.do(alice, group.joinAction(alice, invite), { createdAt: expiresAt - 1 });
    expect(group.state.members.has(alice.address)).toBe(true);
  });

  it('refuses the join after the last use', () => {
    const group = TestGroupLog.create(owner);
    const invite = group.invite(owner, { maxUses: 2 });
    group.join(alice, invite);
    group.join(bob, invite);
    group.refuse(carol, group.joinAction(carol, invite), CoreErrorCode.GroupInviteInvalid);
    expect(group.state.invites.get(toHex(invite.inviteId))?.uses).toBe(2);
  });

  it('counts a denied request as a use', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    const invite = group.invite(owner, { maxUses: 1 });
    group.join(alice, invite);
    group.do(owner, act.deny(alice.address));
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupInviteInvalid);
  });

  it('refuses a join not signed by the invite key for this joiner and group', () => {
    const group = TestGroupLog.create(owner);
    const invite = group.invite(owner, { maxUses: 5 });
    const other = group.invite(owner, { maxUses: 5 });
    // Another invite's key (the joiner holds the wrong link).
    group.refuse(
      alice,
      group.joinAction(alice, invite, { inviteKey: other.privateKey }),
      CoreErrorCode.GroupInviteInvalid,
    );
    // A signature made for someone else: a join seen in the log cannot be replayed by another.
    group.refuse(alice, group.joinAction(bob, invite), CoreErrorCode.GroupInviteInvalid);
    // A signature made for another group.
    group.refuse(
      alice,
      group.joinAction(alice, invite, { groupId: randomBytesOf(16) }),
      CoreErrorCode.GroupInviteInvalid,
    );
    // Not a signature at all.
    for (const signature of [new Uint8Array(0), randomBytesOf(64), randomBytesOf(65)]) {
      group.refuse(alice, act.join(invite.inviteId, signature), CoreErrorCode.GroupInviteInvalid);
    }
    expect(group.state.invites.get(toHex(invite.inviteId))?.uses).toBe(0);
  });

  it('refuses an invite whose creator was demoted since', () => {
    const group = TestGroupLog.create(owner);
    group.addModerator(mod);
    const invite = group.invite(mod, { maxUses: 5 });
    group.join(alice, invite);
    group.do(owner, act.demote(mod.address));
    group.refuse(bob, group.joinAction(bob, invite), CoreErrorCode.GroupInviteInvalid);
  });

  it('revokes the invite a removed or banned member joined with, and only that one', () => {
    for (const action of ['remove', 'ban'] as const) {
      const group = TestGroupLog.create(owner);
      const used = group.invite(owner, { maxUses: 5 });
      const other = group.invite(owner, { maxUses: 5 });
      group.join(alice, used);
      group.do(owner, act[action](alice.address));
      group.rotate(owner);
      // The removed member may still hold the multi-use link: it opens nothing for anyone now.
      group.refuse(bob, group.joinAction(bob, used), CoreErrorCode.GroupInviteInvalid);
      expect(group.state.invites.has(toHex(used.inviteId))).toBe(false);
      group.join(bob, other);
    }
  });

  it('does not bring back the invites of a moderator demoted and promoted again', () => {
    const group = TestGroupLog.create(owner);
    group.addModerator(mod);
    const invite = group.invite(mod, { maxUses: 5 });
    group.do(owner, act.demote(mod.address));
    group.do(owner, act.promote(mod.address));
    expect(group.state.invites.has(toHex(invite.inviteId))).toBe(false);
    group.refuse(bob, group.joinAction(bob, invite), CoreErrorCode.GroupInviteInvalid);
  });

  it('lets a requester withdraw its request by leaving', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    group.join(alice, group.invite(owner));
    expect(group.do(alice, act.leave()).requests.has(alice.address)).toBe(false);
  });

  it('refuses an invite whose creator was removed, banned or left since', () => {
    const ways: ((group: TestGroupLog) => void)[] = [
      (group) => group.do(owner, act.remove(mod.address)),
      (group) => group.do(owner, act.ban(mod.address)),
      (group) => group.do(mod, act.leave()),
    ];
    for (const loseRole of ways) {
      const group = TestGroupLog.create(owner);
      group.addModerator(mod);
      const invite = group.invite(mod, { maxUses: 5 });
      loseRole(group);
      group.rotate();
      group.refuse(bob, group.joinAction(bob, invite), CoreErrorCode.GroupInviteInvalid);
    }
  });

  it('keeps the invites of an owner who hands over ownership (they stay a moderator)', () => {
    const group = TestGroupLog.create(owner);
    group.addMember(alice);
    const invite = group.invite(owner, { maxUses: 5 });
    group.do(owner, act.transferOwnership(alice.address));
    group.join(bob, invite);
    expect(roleOf(group.state, bob.address)).toBe('member');
  });

  it('refuses a banned persona until it is unbanned, then admits it with a new invite', () => {
    const group = TestGroupLog.create(owner);
    group.addMember(alice);
    group.do(owner, act.ban(alice.address));
    group.rotate();
    const invite = group.invite(owner, { maxUses: 5 });
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupBanned);
    group.do(owner, act.unban(alice.address));
    group.join(alice, group.invite(owner));
    expect(roleOf(group.state, alice.address)).toBe('member');
    expect(group.state.banned.has(alice.address)).toBe(false);
  });

  it('refuses a banned requester', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    const invite = group.invite(owner, { maxUses: 5 });
    group.join(alice, invite);
    group.do(owner, act.ban(alice.address));
    group.refuse(alice, group.joinAction(alice, invite), CoreErrorCode.GroupBanned);
  });

  it('lets a member who left join again, as a member since the new join', () => {
    const group = TestGroupLog.create(owner);
    group.addMember(alice);
    group.do(alice, act.leave());
    group.rotate();
    const invite = group.invite(owner);
    const sequence = group.state.length;
    group.join(alice, invite);
    expect(group.state.members.get(alice.address)?.since).toBe(sequence);
  });

  it('refuses an empty or oversized sealed profile', () => {
    const group = TestGroupLog.create(owner);
    const invite = group.invite(owner, { maxUses: 5 });
    const signature = signGroupJoin(
      invite.privateKey,
      group.groupId,
      invite.inviteId,
      alice.identityPublicKey,
    );
    for (const profile of [new Uint8Array(0), sealedBlob(MAX_SEALED_PROFILE_BYTES + 1)]) {
      group.refuse(
        alice,
        act.join(invite.inviteId, signature, profile),
        CoreErrorCode.GroupOperationInvalid,
      );
    }
  });

  it('refuses to sign a join with a malformed invite key', () => {
    expectCode(
      () =>
        signGroupJoin(
          randomBytesOf(5),
          randomBytesOf(16),
          randomBytesOf(16),
          alice.identityPublicKey,
        ),
      CoreErrorCode.InvalidInviteLink,
    );
  });
});

describe('member actions', () => {
  it('remove drops a member without banning them', () => {
    const group = staffedGroup();
    const state = group.do(mod, act.remove(alice.address));
    expect(state.members.has(alice.address)).toBe(false);
    expect(state.banned.has(alice.address)).toBe(false);
    group.do(owner, act.remove(mod.address));
    expect(group.state.members.has(mod.address)).toBe(false);
    group.refuse(owner, act.remove(alice.address), CoreErrorCode.GroupBadTarget);
    group.refuse(owner, act.remove(stranger.address), CoreErrorCode.GroupBadTarget);
  });

  it('ban drops a member and bars them', () => {
    const group = staffedGroup();
    const state = group.do(mod, act.ban(alice.address));
    expect(state.members.has(alice.address)).toBe(false);
    expect(plainState(state.banned)).toStrictEqual(new Set([alice.address]));
    group.refuse(owner, act.ban(alice.address), CoreErrorCode.GroupBadTarget);
  });

  it('ban drops a pending request and bars the requester', () => {
    const group = staffedGroup({ joinByApproval: true });
    group.join(carol, group.invite(owner));
    const state = group.do(mod, act.ban(carol.address));
    expect(state.requests.has(carol.address)).toBe(false);
    expect(state.banned.has(carol.address)).toBe(true);
  });

  it('ban refuses a persona that is neither a member nor waiting', () => {
    const group = staffedGroup();
    group.refuse(owner, act.ban(stranger.address), CoreErrorCode.GroupBadTarget);
  });

  it('unban lifts a ban, and only an existing one', () => {
    const group = staffedGroup();
    group.do(owner, act.ban(alice.address));
    group.rotate(mod);
    const state = group.do(mod, act.unban(alice.address));
    expect(state.banned.size).toBe(0);
    expect(state.members.has(alice.address)).toBe(false);
    group.refuse(owner, act.unban(alice.address), CoreErrorCode.GroupBadTarget);
    group.refuse(owner, act.unban(bob.address), CoreErrorCode.GroupBadTarget);
  });

  it('mute sets mutedUntil and a mute until 0 lifts it', () => {
    const group = staffedGroup();
    const until = group.clock + HOUR_MS;
    expect(
      group.do(mod, act.mute(alice.address, until)).members.get(alice.address)?.mutedUntil,
    ).toBe(until);
    expect(group.do(mod, act.mute(alice.address, 0)).members.get(alice.address)?.mutedUntil).toBe(
      0,
    );
    group.refuse(owner, act.mute(stranger.address, until), CoreErrorCode.GroupBadTarget);
    group.refuse(
      owner,
      act.mute(alice.address, Number.MAX_SAFE_INTEGER + 2),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it('promote makes a plain member a moderator and lifts their mute', () => {
    const group = staffedGroup();
    group.do(owner, act.mute(alice.address, group.clock + HOUR_MS));
    const state = group.do(owner, act.promote(alice.address));
    expect(state.members.get(alice.address)).toMatchObject({ role: 'moderator', mutedUntil: 0 });
    for (const target of [alice.address, mod.address, owner.address, stranger.address]) {
      group.refuse(owner, act.promote(target), CoreErrorCode.GroupBadTarget);
    }
  });

  it('demote makes a moderator a plain member, keeping a mute', () => {
    const group = staffedGroup();
    const until = group.clock + HOUR_MS;
    group.do(owner, act.mute(mod.address, until));
    const state = group.do(owner, act.demote(mod.address));
    expect(state.members.get(mod.address)).toMatchObject({ role: 'member', mutedUntil: until });
    for (const target of [mod.address, alice.address, owner.address, stranger.address]) {
      group.refuse(owner, act.demote(target), CoreErrorCode.GroupBadTarget);
    }
  });

  it('transferOwnership makes the target the owner and the old owner a moderator', () => {
    const group = staffedGroup();
    group.do(owner, act.mute(alice.address, group.clock + HOUR_MS));
    const state = group.do(owner, act.transferOwnership(alice.address));
    expect(state.members.get(alice.address)).toMatchObject({ role: 'owner', mutedUntil: 0 });
    expect(roleOf(state, owner.address)).toBe('moderator');
    expect([...state.members.values()].filter((m) => m.role === 'owner')).toHaveLength(1);
    // The new owner has the owner's powers; the old one has lost them.
    group.refuse(owner, act.promote(bob.address), CoreErrorCode.GroupForbidden);
    group.do(alice, act.promote(bob.address));
    group.do(alice, act.demote(owner.address));
    // ...and may now leave.
    group.do(owner, act.leave());
    expect(group.state.members.has(owner.address)).toBe(false);
  });

  it('transferOwnership goes to a moderator too, never to the owner or a non-member', () => {
    const group = staffedGroup();
    group.refuse(owner, act.transferOwnership(owner.address), CoreErrorCode.GroupBadTarget);
    group.refuse(owner, act.transferOwnership(stranger.address), CoreErrorCode.GroupBadTarget);
    group.do(owner, act.transferOwnership(mod.address));
    expect(roleOf(group.state, mod.address)).toBe('owner');
    expect(roleOf(group.state, owner.address)).toBe('moderator');
  });

  it('leave drops a member, a moderator or a request, never the owner or an outsider', () => {
    const group = staffedGroup({ joinByApproval: true });
    group.join(carol, group.invite(owner));
    expect(group.do(alice, act.leave()).members.has(alice.address)).toBe(false);
    expect(group.do(mod, act.leave()).members.has(mod.address)).toBe(false);
    group.refuse(owner, act.leave(), CoreErrorCode.GroupForbidden);
    group.refuse(stranger, act.leave(), CoreErrorCode.GroupForbidden);
    group.refuse(alice, act.leave(), CoreErrorCode.GroupForbidden);
    // A requester withdraws its request; then it is an outsider.
    expect(group.do(carol, act.leave()).requests.has(carol.address)).toBe(false);
    group.refuse(carol, act.leave(), CoreErrorCode.GroupForbidden);
  });

  it('setInfo replaces the sealed info', () => {
    const group = staffedGroup();
    const info = sealedBlob(100);
    expect(group.do(mod, act.setInfo(info)).sealedInfo).toStrictEqual(info);
    const maxInfo = sealedBlob(MAX_SEALED_INFO_BYTES);
    expect(group.do(owner, act.setInfo(maxInfo)).sealedInfo).toStrictEqual(maxInfo);
    for (const bad of [new Uint8Array(0), sealedBlob(MAX_SEALED_INFO_BYTES + 1)]) {
      group.refuse(owner, act.setInfo(bad), CoreErrorCode.GroupOperationInvalid);
    }
  });

  it('pin and unpin keep pins in order, once each', () => {
    const group = staffedGroup();
    const [a, b, c] = [messageId(), messageId(), messageId()];
    group.do(mod, act.pin(a));
    group.do(owner, act.pin(b));
    group.do(mod, act.pin(c));
    expect(group.state.pinned).toStrictEqual([toHex(a), toHex(b), toHex(c)]);
    group.refuse(owner, act.pin(b), CoreErrorCode.GroupBadTarget);
    group.do(mod, act.unpin(b));
    expect(group.state.pinned).toStrictEqual([toHex(a), toHex(c)]);
    group.refuse(owner, act.unpin(b), CoreErrorCode.GroupBadTarget);
    group.do(mod, act.pin(b));
    expect(group.state.pinned).toStrictEqual([toHex(a), toHex(c), toHex(b)]);
  });

  it(`holds at most ${MAX_PINNED} pins`, () => {
    const group = TestGroupLog.create(owner);
    for (let i = 0; i < MAX_PINNED; i++) group.do(owner, act.pin(messageId()));
    expect(group.state.pinned).toHaveLength(MAX_PINNED);
    group.refuse(owner, act.pin(messageId()), CoreErrorCode.GroupBadTarget);
  });

  it('deleteMessage records the deletion once and drops its pin', () => {
    const group = staffedGroup();
    const [pinned, other] = [messageId(), messageId()];
    group.do(owner, act.pin(pinned));
    group.do(owner, act.pin(other));
    const state = group.do(mod, act.deleteMessage(pinned));
    expect(plainState(state.deleted)).toStrictEqual(new Set([toHex(pinned)]));
    expect(state.pinned).toStrictEqual([toHex(other)]);
    group.refuse(owner, act.deleteMessage(pinned), CoreErrorCode.GroupBadTarget);
    const unpinned = messageId();
    expect(group.do(mod, act.deleteMessage(unpinned)).deleted.has(toHex(unpinned))).toBe(true);
  });

  it('refuses to pin a deleted message', () => {
    const group = staffedGroup();
    const id = messageId();
    group.do(mod, act.deleteMessage(id));
    group.refuse(mod, act.pin(id), CoreErrorCode.GroupBadTarget);
  });

  it('refuses a message id that is not 16 bytes', () => {
    const group = staffedGroup();
    for (const id of [randomBytesOf(15), randomBytesOf(17), new Uint8Array(0)]) {
      for (const action of [act.pin(id), act.unpin(id), act.deleteMessage(id)]) {
        group.refuse(owner, action, CoreErrorCode.GroupOperationInvalid);
      }
    }
  });

  it('setPolicy sets a disappearing timer of 5 minutes .. 4 weeks, by moderators only', () => {
    const group = staffedGroup();
    group.refuse(bob, act.setPolicy({ disappearingSeconds: 86_400 }), CoreErrorCode.GroupForbidden);
    for (const seconds of [1, MIN_DISAPPEARING_SECONDS - 1, MAX_DISAPPEARING_SECONDS + 1]) {
      group.refuse(
        mod,
        act.setPolicy({ disappearingSeconds: seconds }),
        CoreErrorCode.GroupOperationInvalid,
      );
    }
    group.do(mod, act.setPolicy({ disappearingSeconds: MIN_DISAPPEARING_SECONDS }));
    expect(group.state.policy.disappearingSeconds).toBe(MIN_DISAPPEARING_SECONDS);
    group.do(owner, act.setPolicy({ disappearingSeconds: MAX_DISAPPEARING_SECONDS }));
    expect(group.state.policy.disappearingSeconds).toBe(MAX_DISAPPEARING_SECONDS);
    group.do(owner, act.setPolicy({ disappearingSeconds: 0 }));
    expect(group.state.policy.disappearingSeconds).toBe(0);
    // A lowered minimum (tests only) is a choice of whoever applies the rules.
    const short = group.sign(owner, act.setPolicy({ disappearingSeconds: 1 }));
    expectCode(() => applyGroupOperation(group.state, short), CoreErrorCode.GroupOperationInvalid);
    const applied = applyGroupOperation(group.state, short, { minDisappearingSeconds: 1 });
    expect(applied.state.policy.disappearingSeconds).toBe(1);
  });

  it('setPolicy replaces the whole policy', () => {
    const group = staffedGroup();
    group.do(
      mod,
      act.setPolicy({
        joinByApproval: true,
        slowModeSeconds: 60,
        posting: GroupPosting.MODERATORS,
        requireImageWarnings: true,
      }),
    );
    expect(group.state.policy).toStrictEqual({
      joinByApproval: true,
      slowModeSeconds: 60,
      posting: 'moderators',
      disappearingSeconds: 0,
      requireImageWarnings: true,
    });
    group.do(owner, act.setPolicy({ posting: GroupPosting.EVERYONE }));
    expect(group.state.policy).toStrictEqual({
      joinByApproval: false,
      slowModeSeconds: 0,
      posting: 'everyone',
      disappearingSeconds: 0,
      requireImageWarnings: false,
    });
    group.refuse(
      owner,
      act.setPolicy({ slowModeSeconds: MAX_SLOW_MODE_SECONDS + 1 }),
      CoreErrorCode.GroupOperationInvalid,
    );
    group.refuse(owner, act.setPolicy(UNKNOWN_POSTING), CoreErrorCode.GroupOperationInvalid);
  });

  it('carries a sealed reason of up to its limit', () => {
    const group = staffedGroup();
    const reason = sealedBlob(MAX_SEALED_REASON_BYTES);
    const signed = group.sign(mod, act.remove(alice.address), { sealedReason: reason });
    expect(decodeGroupOperation(signed).sealedReason).toStrictEqual(reason);
    group.applySigned(signed);
    group.refuse(owner, act.remove(bob.address), CoreErrorCode.GroupOperationInvalid, {
      sealedReason: sealedBlob(MAX_SEALED_REASON_BYTES + 1),
    });
  });

  it('refuses a malformed target address', () => {
    const group = staffedGroup({ joinByApproval: true });
    const targetActions = [
      act.approve,
      act.deny,
      act.remove,
      act.ban,
      act.unban,
      act.promote,
      act.demote,
      act.transferOwnership,
      (member: string) => act.mute(member, 0),
    ];
    for (const target of ['', 'not an address', alice.address.toUpperCase(), `${alice.address} `]) {
      for (const action of targetActions) {
        group.refuse(owner, action(target), CoreErrorCode.GroupOperationInvalid);
      }
    }
  });
});

describe('authority', () => {
  /**
   * A group where every moderator action has a valid target: a pending requester (dave), a banned
   * persona (eve), a pinned message, plain members (alice, bob), a second moderator.
   */
  const dave = Persona.generate('Dave');
  const eve = Persona.generate('Eve');
  function busyGroup(): { group: TestGroupLog; pinned: Uint8Array } {
    const group = staffedGroup({ joinByApproval: true });
    group.addModerator(mod2);
    group.addMember(eve);
    group.do(owner, act.ban(eve.address));
    group.rotate();
    group.join(dave, group.invite(owner));
    const pinned = messageId();
    group.do(owner, act.pin(pinned));
    return { group, pinned };
  }

  function moderatorActions(group: TestGroupLog, pinned: Uint8Array) {
    const invite = newInvite();
    return {
      invite: act.invite({
        inviteId: invite.inviteId,
        inviteKey: invite.publicKey,
        expiresAt: group.clock + HOUR_MS,
        maxUses: 1,
      }),
      approve: act.approve(dave.address),
      deny: act.deny(dave.address),
      remove: act.remove(bob.address),
      ban: act.ban(bob.address),
      unban: act.unban(eve.address),
      mute: act.mute(bob.address, group.clock + HOUR_MS),
      unmute: act.mute(bob.address, 0),
      setInfo: act.setInfo(sealedBlob()),
      pin: act.pin(messageId()),
      unpin: act.unpin(pinned),
      deleteMessage: act.deleteMessage(messageId()),
      setPolicy: act.setPolicy({ slowModeSeconds: 10 }),
    };
  }

  function ownerActions() {
    return {
      promote: act.promote(bob.address),
      demote: act.demote(mod.address),
      transferOwnership: act.transferOwnership(bob.address),
    };
  }

  it('lets the owner do every moderator and owner action', () => {
    const { group, pinned } = busyGroup();
    for (const action of Object.values({ ...moderatorActions(group, pinned), ...ownerActions() })) {
      expect(() => applyGroupOperation(group.state, group.sign(owner, action))).not.toThrow();
    }
  });

  it('lets a moderator do every moderator action, but no owner action', () => {
    const { group, pinned } = busyGroup();
    for (const action of Object.values(moderatorActions(group, pinned))) {
      expect(() => applyGroupOperation(group.state, group.sign(mod, action))).not.toThrow();
    }
    for (const action of Object.values(ownerActions())) {
      group.refuse(mod, action, CoreErrorCode.GroupForbidden);
    }
  });

  it('refuses every moderator action from a member, a requester, a banned persona or a stranger', () => {
    const { group, pinned } = busyGroup();
    const actions = { ...moderatorActions(group, pinned), ...ownerActions() };
    for (const actor of [alice, dave, eve, stranger]) {
      for (const [name, action] of Object.entries(actions)) {
        expect({
          name,
          code: codeThrownBy(() => applyGroupOperation(group.state, group.sign(actor, action))),
        }).toStrictEqual({ name, code: CoreErrorCode.GroupForbidden });
      }
    }
  });

  it('refuses a moderator acting on another moderator or on the owner', () => {
    const { group } = busyGroup();
    for (const target of [mod2.address, owner.address]) {
      for (const action of [
        act.remove(target),
        act.ban(target),
        act.mute(target, group.clock + HOUR_MS),
      ]) {
        group.refuse(mod, action, CoreErrorCode.GroupForbidden);
      }
    }
    // The owner outranks a moderator.
    for (const action of [
      act.mute(mod2.address, group.clock + HOUR_MS),
      act.remove(mod2.address),
    ]) {
      group.do(owner, action);
    }
  });

  it('refuses a moderator or the owner acting on themselves', () => {
    const { group } = busyGroup();
    for (const actor of [mod, owner]) {
      for (const action of [
        act.remove(actor.address),
        act.ban(actor.address),
        act.mute(actor.address, group.clock + HOUR_MS),
      ]) {
        group.refuse(actor, action, CoreErrorCode.GroupForbidden);
      }
    }
  });

  it('strips a demoted moderator of moderator actions', () => {
    const { group, pinned } = busyGroup();
    group.do(owner, act.demote(mod2.address));
    for (const action of Object.values(moderatorActions(group, pinned))) {
      group.refuse(mod2, action, CoreErrorCode.GroupForbidden);
    }
  });
});

describe('the hash chain', () => {
  it('links each operation to the one before', () => {
    const group = staffedGroup();
    const ops = group.operations;
    expect(group.state.length).toBe(ops.length);
    ops.forEach((signed, index) => {
      const view = decodeGroupOperation(signed);
      expect(view.sequence).toBe(index);
      const previous = ops[index - 1];
      expect(view.previous).toStrictEqual(
        previous === undefined ? new Uint8Array(0) : groupOperationHash(previous),
      );
      expect(view.hash).toStrictEqual(groupOperationHash(signed));
    });
    const last = ops.at(-1);
    if (last === undefined) throw new Error('empty log');
    expect(group.state.head).toStrictEqual(groupOperationHash(last));
  });

  it('decodes an operation into its view', () => {
    const group = staffedGroup();
    const reason = sealedBlob(9);
    const signed = group.sign(mod, act.remove(alice.address), { sealedReason: reason });
    const applied = applyGroupOperation(group.state, signed);
    expect(applied.hash).toStrictEqual(groupOperationHash(signed));
    expect(applied.state.head).toStrictEqual(applied.hash);
    expect(applied.state.length).toBe(group.state.length + 1);
    expect(applied.operation).toMatchObject({
      groupId: group.groupId,
      sequence: group.state.length,
      previous: group.state.head,
      createdAt: group.clock,
      actor: mod.identityPublicKey,
      actorAddress: mod.address,
      sealedReason: reason,
      action: { case: 'remove', value: { member: alice.address } },
    });
  });

  it('refuses the second of two operations signed against the same head', () => {
    const group = staffedGroup();
    const head = group.state;
    group.do(mod, act.remove(alice.address));
    group.refuse(owner, act.remove(bob.address), CoreErrorCode.GroupConflict, { state: head });
  });

  it('refuses an operation applied twice', () => {
    const group = staffedGroup();
    const signed = group.sign(owner, act.setInfo(sealedBlob()));
    group.applySigned(signed);
    group.refuseSigned(signed, CoreErrorCode.GroupConflict);
  });

  it('refuses a wrong sequence or a wrong previous hash', () => {
    const group = staffedGroup();
    const good = operationInit(group.sign(owner, act.setInfo(sealedBlob())));
    const length = BigInt(group.state.length);
    for (const variant of [
      { sequence: length + 1n },
      { sequence: length - 1n },
      { sequence: 0n, previous: new Uint8Array(0) },
      { previous: randomBytesOf(32) },
    ]) {
      group.refuseSigned(
        signRawOperation(owner, { ...good, ...variant }),
        CoreErrorCode.GroupConflict,
      );
    }
  });

  it('refuses an operation for another group', () => {
    const group = staffedGroup();
    group.refuse(owner, act.setInfo(sealedBlob()), CoreErrorCode.GroupOperationInvalid, {
      groupId: randomBytesOf(16),
    });
  });

  it('refuses a tampered signature', () => {
    const group = staffedGroup();
    const { operationBytes, signature } = openEnvelope(
      group.sign(owner, act.remove(alice.address)),
    );
    for (const index of [0, 31, 63]) {
      const tampered = Uint8Array.from(signature);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      group.refuseSigned(envelope(operationBytes, tampered), CoreErrorCode.GroupOperationInvalid);
    }
    group.refuseSigned(
      envelope(operationBytes, signature.subarray(0, 63)),
      CoreErrorCode.GroupOperationInvalid,
    );
    group.refuseSigned(
      envelope(operationBytes, new Uint8Array(0)),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it('refuses an operation whose actor was swapped for another key', () => {
    const group = staffedGroup();
    const signed = group.sign(alice, act.leave());
    const { signature } = openEnvelope(signed);
    // Bob's key in place of Alice's, with Alice's signature: Bob would leave without consent.
    const swapped = signRawOperation(alice, {
      ...operationInit(signed),
      actor: bob.identityPublicKey,
    });
    const operationBytes = openEnvelope(swapped).operationBytes;
    group.refuseSigned(envelope(operationBytes, signature), CoreErrorCode.GroupOperationInvalid);
    // An operation that names Alice but is signed by Bob.
    const forged = envelope(
      openEnvelope(signed).operationBytes,
      bob.sign(groupOperationSigningBytes(openEnvelope(signed).operationBytes)),
    );
    group.refuseSigned(forged, CoreErrorCode.GroupOperationInvalid);
    // A signature over the bare operation, without the domain separation prefix.
    const bare = envelope(
      openEnvelope(signed).operationBytes,
      alice.sign(openEnvelope(signed).operationBytes),
    );
    group.refuseSigned(bare, CoreErrorCode.GroupOperationInvalid);
    // An actor that is not a key at all, with a signature from nobody.
    group.refuseSigned(
      signRawOperation(alice, { ...operationInit(signed), actor: randomBytesOf(33) }),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it('refuses a re-encoded (non-canonical) copy of a valid operation', () => {
    const group = staffedGroup();
    const signed = group.sign(owner, act.remove(alice.address));
    const { operationBytes, signature } = openEnvelope(signed);
    const field = (number: number, bytes: Uint8Array): Uint8Array =>
      concatBytes(new Uint8Array([(number << 3) | 2, bytes.length]), bytes);
    // The envelope's two fields, swapped.
    const operationField = concatBytes(
      new Uint8Array([0x0a, ...varint(operationBytes.length)]),
      operationBytes,
    );
    const signatureField = field(2, signature);
    group.refuseSigned(
      concatBytes(signatureField, operationField),
      CoreErrorCode.GroupOperationInvalid,
    );
    // The signature given twice (protobuf keeps the last one).
    group.refuseSigned(
      concatBytes(operationField, field(2, randomBytesOf(64)), signatureField),
      CoreErrorCode.GroupOperationInvalid,
    );
    // The operation itself re-encoded and properly signed: version moved last, or as a long
    // varint. The actor signed it, but it is not the one encoding of that operation.
    const [versionTag, versionValue] = [operationBytes[0], operationBytes[1]];
    expect([versionTag, versionValue]).toStrictEqual([0x08, 0x01]);
    for (const reencoded of [
      concatBytes(operationBytes.subarray(2), new Uint8Array([0x08, 0x01])),
      concatBytes(new Uint8Array([0x08, 0x81, 0x00]), operationBytes.subarray(2)),
    ]) {
      expect(fromBinary(wire.GroupOperationSchema, reencoded).version).toBe(1);
      group.refuseSigned(
        envelope(reencoded, owner.sign(groupOperationSigningBytes(reencoded))),
        CoreErrorCode.GroupOperationInvalid,
      );
    }
  });

  // protobuf-es keeps unknown fields and writes them back when it re-encodes: were they kept,
  // anyone could make a second, differently hashed copy of any signed operation.
  it('refuses an unknown field appended to the envelope', () => {
    const group = staffedGroup();
    const signed = group.sign(owner, act.remove(alice.address));
    // Field 15, varint 1: not part of SignedGroupOperation.
    group.refuseSigned(
      concatBytes(signed, new Uint8Array([0x78, 0x01])),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it.each([
    ['an unsupported version', { version: 2 }],
    ['no version', { version: 0 }],
    ['a short group id', { groupId: randomBytesOf(15) }],
    ['a short actor', { actor: randomBytesOf(32) }],
    ['a sequence past the safe integers', { sequence: BigInt(Number.MAX_SAFE_INTEGER) + 1n }],
    ['a time past the safe integers', { createdAt: BigInt(Number.MAX_SAFE_INTEGER) + 1n }],
    ['a short previous hash', { previous: randomBytesOf(31) }],
    ['no previous hash', { previous: new Uint8Array(0) }],
    ['no action', { action: { case: undefined } }],
  ] as const)('refuses an operation with %s', (_name, variant) => {
    const group = staffedGroup();
    const good = operationInit(group.sign(owner, act.setInfo(sealedBlob())));
    group.refuseSigned(
      signRawOperation(owner, { ...good, ...variant }),
      CoreErrorCode.GroupOperationInvalid,
    );
  });

  it('refuses a create operation that names a previous hash', () => {
    const signed = signRawOperation(owner, {
      version: 1,
      groupId: randomBytesOf(16),
      sequence: 0n,
      previous: randomBytesOf(32),
      createdAt: BigInt(T0),
      actor: owner.identityPublicKey,
      action: createAction(),
    });
    expectCode(() => applyGroupOperation(undefined, signed), CoreErrorCode.GroupOperationInvalid);
  });

  it('refuses bytes that are not a signed operation', () => {
    const group = staffedGroup();
    for (const bytes of [new Uint8Array(0), randomBytesOf(1), randomBytesOf(200), utf8('hello')]) {
      group.refuseSigned(bytes, CoreErrorCode.GroupOperationInvalid);
      expectCode(() => applyGroupOperation(undefined, bytes), CoreErrorCode.GroupOperationInvalid);
    }
  });

  it('checks the operation time against the relay clock when one is given', () => {
    const group = staffedGroup();
    const createdAt = group.clock;
    const signed = group.sign(owner, act.setInfo(sealedBlob()), { createdAt });
    for (const now of [
      createdAt - OPERATION_CLOCK_SKEW_MS - 1,
      createdAt + OPERATION_CLOCK_SKEW_MS + 1,
      0,
    ]) {
      group.refuseSigned(signed, CoreErrorCode.GroupOperationInvalid, { now });
    }
    for (const now of [
      createdAt - OPERATION_CLOCK_SKEW_MS,
      createdAt + OPERATION_CLOCK_SKEW_MS,
      createdAt,
    ]) {
      expect(() => applyGroupOperation(group.state, signed, { now })).not.toThrow();
    }
    // A client replaying the log has no relay clock: an old operation is still valid.
    group.applySigned(signed);
    const create = signCreate(createAction(), T0);
    expect(() => applyGroupOperation(undefined, create)).not.toThrow();
    expectCode(
      () => applyGroupOperation(undefined, create, { now: T0 + OPERATION_CLOCK_SKEW_MS + 1 }),
      CoreErrorCode.GroupOperationInvalid,
    );
  });
});

describe('checkGroupPost', () => {
  const NOW = T0 + 10 * HOUR_MS;

  /** The code checkGroupPost refuses a post with, or 'allowed'. */
  function postOutcome(
    state: GroupState,
    address: string,
    now: number,
    lastPostAt?: number,
  ): CoreErrorCode | 'allowed' {
    try {
      checkGroupPost(state, address, now, lastPostAt);
      return 'allowed';
    } catch (error) {
      if (!CoreError.is(error)) throw error;
      return error.code;
    }
  }

  it('refuses anyone who is not a member', () => {
    const group = staffedGroup({ joinByApproval: true });
    group.join(carol, group.invite(owner));
    group.do(owner, act.ban(bob.address));
    group.rotate();
    for (const address of [stranger.address, carol.address, bob.address]) {
      expect(postOutcome(group.state, address, NOW)).toBe(CoreErrorCode.GroupNotMember);
    }
    for (const address of [owner.address, mod.address, alice.address]) {
      expect(postOutcome(group.state, address, NOW)).toBe('allowed');
    }
  });

  it('refuses a muted member until the mute ends', () => {
    const group = staffedGroup();
    group.do(mod, act.mute(alice.address, NOW));
    expect(postOutcome(group.state, alice.address, NOW - 1)).toBe(CoreErrorCode.GroupMuted);
    expect(postOutcome(group.state, alice.address, NOW)).toBe('allowed');
    expect(postOutcome(group.state, alice.address, NOW + HOUR_MS)).toBe('allowed');
    group.do(mod, act.mute(alice.address, 0));
    expect(postOutcome(group.state, alice.address, NOW - 1)).toBe('allowed');
  });

  it('refuses a muted moderator too', () => {
    const group = staffedGroup();
    group.do(owner, act.mute(mod.address, NOW + 1));
    expect(postOutcome(group.state, mod.address, NOW)).toBe(CoreErrorCode.GroupMuted);
  });

  it('lets only moderators post when posting is restricted to them', () => {
    const group = staffedGroup();
    group.do(owner, act.setPolicy({ posting: GroupPosting.MODERATORS }));
    expect(postOutcome(group.state, alice.address, NOW)).toBe(CoreErrorCode.GroupPostingRestricted);
    for (const address of [mod.address, owner.address]) {
      expect(postOutcome(group.state, address, NOW)).toBe('allowed');
    }
  });

  it('paces members under slow mode, never moderators', () => {
    const group = staffedGroup();
    group.do(owner, act.setPolicy({ slowModeSeconds: 60 }));
    const state = group.state;
    expect(postOutcome(state, alice.address, NOW, NOW - 59_999)).toBe(CoreErrorCode.GroupSlowMode);
    expect(postOutcome(state, alice.address, NOW, NOW)).toBe(CoreErrorCode.GroupSlowMode);
    expect(postOutcome(state, alice.address, NOW, NOW - 60_000)).toBe('allowed');
    expect(postOutcome(state, alice.address, NOW)).toBe('allowed');
    for (const address of [mod.address, owner.address]) {
      expect(postOutcome(state, address, NOW, NOW - 1)).toBe('allowed');
    }
  });

  it('slowModeWaitMs says how long is left, never less than 0', () => {
    const group = staffedGroup();
    expect(slowModeWaitMs(group.state, NOW - 1, NOW)).toBe(0);
    group.do(owner, act.setPolicy({ slowModeSeconds: 60 }));
    const state = group.state;
    expect(slowModeWaitMs(state, undefined, NOW)).toBe(0);
    expect(slowModeWaitMs(state, NOW, NOW)).toBe(60_000);
    expect(slowModeWaitMs(state, NOW - 45_000, NOW)).toBe(15_000);
    expect(slowModeWaitMs(state, NOW - 60_000, NOW)).toBe(0);
    expect(slowModeWaitMs(state, NOW - HOUR_MS, NOW)).toBe(0);
  });

  it('never changes the state it checks', () => {
    const group = staffedGroup();
    group.do(owner, act.setPolicy({ slowModeSeconds: 60, posting: GroupPosting.MODERATORS }));
    group.do(owner, act.mute(mod.address, NOW + 1));
    const snapshot = plainState(group.state);
    for (const address of [owner.address, mod.address, alice.address, stranger.address]) {
      postOutcome(group.state, address, NOW, NOW - 1);
    }
    expect(plainState(group.state)).toStrictEqual(snapshot);
  });

  it('GROUP_RULES is these rules', () => {
    expect(GROUP_RULES).toStrictEqual({
      apply: applyGroupOperation,
      checkPost: checkGroupPost,
      slowModeWaitMs,
    });
  });
});

describe('immutability', () => {
  it('leaves every earlier state of a log exactly as it was', () => {
    const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
    const history: { state: GroupState; snapshot: GroupState }[] = [];
    const remember = () => history.push({ state: group.state, snapshot: plainState(group.state) });
    remember();
    group.addModerator(mod);
    remember();
    group.join(alice, group.invite(mod, { maxUses: 2 }));
    remember();
    group.do(mod, act.approve(alice.address));
    remember();
    group.do(mod, act.mute(alice.address, T0 + HOUR_MS));
    remember();
    group.do(owner, act.pin(messageId()));
    remember();
    group.do(owner, act.ban(alice.address));
    remember();
    group.rotate();
    remember();
    group.do(owner, act.unban(alice.address));
    remember();
    group.do(owner, act.setPolicy({ slowModeSeconds: 5 }));
    remember();
    group.do(owner, act.transferOwnership(mod.address));
    remember();
    for (const { state, snapshot } of history) expect(plainState(state)).toStrictEqual(snapshot);
    expect(new Set(history.map(({ state }) => state)).size).toBe(history.length);
  });

  it('does not keep references to the signed bytes it was given', () => {
    const group = staffedGroup();
    const id = messageId();
    const signed = group.sign(owner, act.pin(id));
    const state = applyGroupOperation(group.state, signed).state;
    const snapshot = plainState(state);
    signed.fill(0);
    expect(plainState(state)).toStrictEqual(snapshot);
  });
});
