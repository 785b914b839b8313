import { describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  GROUP_STATE_SNAPSHOT_FORMAT,
  Persona,
  applyGroupOperation,
  decodeGroupStateSnapshot,
  encodeGroupStateSnapshot,
} from '../../../core/index.js';
import type { GroupState } from '../../../core/index.js';
import {
  HOUR_MS,
  T0,
  TestGroupLog,
  act,
  expectCode,
  messageId,
  plainState,
} from './groupTestLog.js';

const owner = Persona.generate('Owner');
const mod = Persona.generate('Moderator');
const alice = Persona.generate('Alice');
const bob = Persona.generate('Bob');
const carol = Persona.generate('Carol');

/** A group whose state uses every collection: members, requests, bans, invites, pins, deletions. */
function busyGroup(): TestGroupLog {
  const group = TestGroupLog.create(owner, { policy: { joinByApproval: true } });
  group.addModerator(mod);
  group.addMember(alice);
  group.addMember(bob);
  group.join(carol, group.invite(mod, { maxUses: 3 }));
  group.invite(owner, { maxUses: 5 });
  group.do(mod, act.mute(alice.address, T0 + HOUR_MS));
  group.do(owner, act.ban(bob.address));
  // A ban starts a new epoch of the group secret: the snapshot carries both.
  group.rotate(owner);
  const [pinned, deleted] = [messageId(), messageId()];
  group.do(owner, act.pin(pinned));
  group.do(mod, act.deleteMessage(deleted));
  group.do(owner, act.setPolicy({ joinByApproval: true, slowModeSeconds: 30 }));
  return group;
}

function decoded(state: GroupState): GroupState {
  const back = decodeGroupStateSnapshot(encodeGroupStateSnapshot(state));
  if (back === undefined) throw new Error('snapshot of the current format read as another');
  return back;
}

describe('group state snapshots', () => {
  it('read back as the state they were written from', () => {
    const group = busyGroup();
    expect(group.state.requests.size).toBe(1);
    expect(group.state.banned.size).toBe(1);
    expect(group.state.deleted.size).toBe(1);
    expect(group.state.epochs).toHaveLength(2);
    expect(plainState(decoded(group.state))).toStrictEqual(plainState(group.state));
  });

  it('carry on from where they were written exactly as the live state does', () => {
    const group = busyGroup();
    const restored = decoded(group.state);
    const approve = group.sign(mod, act.approve(carol.address));
    const live = applyGroupOperation(group.state, approve).state;
    const fromSnapshot = applyGroupOperation(restored, approve).state;
    expect(plainState(fromSnapshot)).toStrictEqual(plainState(live));
    expect(fromSnapshot.members.has(carol.address)).toBe(true);
    // The rules still refuse from a restored state: bob stays banned.
    expectCode(
      () => applyGroupOperation(restored, group.sign(owner, act.ban(bob.address))),
      CoreErrorCode.GroupBadTarget,
    );
  });

  it('are ignored when written under another format, and refused when not a snapshot', () => {
    const bytes = encodeGroupStateSnapshot(busyGroup().state);
    const file = JSON.parse(new TextDecoder().decode(bytes)) as { format: number };
    file.format = GROUP_STATE_SNAPSHOT_FORMAT + 1;
    expect(
      decodeGroupStateSnapshot(new TextEncoder().encode(JSON.stringify(file))),
    ).toBeUndefined();
    for (const bad of [
      Uint8Array.of(0xff, 0xfe),
      new TextEncoder().encode(`{"format":${GROUP_STATE_SNAPSHOT_FORMAT}}`),
      new TextEncoder().encode(`{"format":${GROUP_STATE_SNAPSHOT_FORMAT},"state":{"length":1}}`),
      new TextEncoder().encode('[]'),
      bytes.subarray(0, bytes.length - 1),
    ]) {
      expectCode(() => decodeGroupStateSnapshot(bad), CoreErrorCode.GroupSnapshotInvalid);
    }
  });
});
