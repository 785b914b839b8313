/**
 * The relay's side of group secret epochs (issue 10 §1): the current epoch's log key reads the
 * whole log, an older epoch's key only up to the rotation that ended its epoch, and an invite's
 * read key only while the invite is live (not expired by the relay's clock, not used up, not
 * revoked, its creator still a moderator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_INVITE_ID_BYTES,
  GroupSecret,
  RelayErrorCode,
  generateInviteKeyPair,
  logKeyHash,
  signGroupJoin,
} from '../../core/index.js';
import { RawClient } from './helpers/rawClient.js';
import { closeAll, connectAs } from './helpers/sessions.js';
import type { Session } from './helpers/sessions.js';
import { TestGroup, act, randomBytesOf, sealedBlob } from './helpers/groups.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

let relay: TestRelay;

beforeAll(async () => {
  relay = await startTestRelay();
});

afterAll(async () => {
  await relay.dispose();
});

interface ReadableInvite {
  readonly inviteId: Uint8Array;
  readonly privateKey: Uint8Array;
  /** The invite's read key, as a joiner derives it from the link's private key. */
  readonly readKey: Uint8Array;
}

/** Registers an invite with a read key, made by `by`. */
async function readableInvite(
  group: TestGroup,
  by: Session,
  options: { maxUses?: number; expiresAt?: number } = {},
): Promise<ReadableInvite> {
  const { privateKey, publicKey } = generateInviteKeyPair();
  const inviteId = randomBytesOf(GROUP_INVITE_ID_BYTES);
  const readKey = GroupSecret.forInvite(privateKey).logKey();
  await group.run(by.client, by.tester, {
    case: 'invite',
    value: {
      inviteId,
      inviteKey: publicKey,
      expiresAt: BigInt(options.expiresAt ?? Date.now() + 3_600_000),
      maxUses: options.maxUses ?? 1,
      readKeyHash: logKeyHash(readKey),
      sealedWelcome: sealedBlob(),
    },
  });
  return { inviteId, privateKey, readKey };
}

async function join(group: TestGroup, joiner: Session, invite: ReadableInvite): Promise<void> {
  const inviteSignature = signGroupJoin(
    invite.privateKey,
    group.groupId,
    invite.inviteId,
    joiner.tester.persona.identityPublicKey,
  );
  await group.run(joiner.client, joiner.tester, {
    case: 'join',
    value: { inviteId: invite.inviteId, inviteSignature, sealedProfile: sealedBlob() },
  });
}

/** What an anonymous connection gets for `logKey`: the page's length and log length, or a code. */
async function fetchWith(
  group: TestGroup,
  logKey: Uint8Array,
  from = 0,
): Promise<{ operations: number; logLength: number } | string> {
  const anon = await RawClient.connect(relay.url);
  try {
    const body = group.fetchBody(from, logKey);
    const frame = await anon.request(body);
    if (frame.body.case === 'error') return frame.body.value.code;
    if (frame.body.case !== 'groupLogPage') throw new Error(`unexpected ${frame.body.case}`);
    return {
      operations: frame.body.value.operations.length,
      logLength: Number(frame.body.value.logLength),
    };
  } finally {
    await anon.close();
  }
}

describe('group log access by epoch', () => {
  it('serves an older epoch’s key up to the rotation that ended it, nothing after', async () => {
    const group = new TestGroup();
    const owner = await connectAs(relay.url);
    await group.create(owner.client, owner.tester);
    const gone = await connectAs(relay.url);
    await group.add(owner.client, owner.tester, gone.client, gone.tester);
    const epoch0 = group.logKey();
    await group.run(owner.client, owner.tester, act.ban(gone.tester.address));
    const rotation = group.logLength;
    await group.rotate(owner.client, owner.tester);
    const epoch1 = group.logKey();
    // Written after the ban: an invite, a new member, new info.
    const invite = await readableInvite(group, owner);
    const carol = await connectAs(relay.url);
    await join(group, carol, invite);
    await group.run(owner.client, owner.tester, act.setInfo());

    expect(await fetchWith(group, epoch0)).toStrictEqual({
      operations: rotation + 1,
      logLength: rotation + 1,
    });
    // Asking past its end gets nothing, and is told the log ends there.
    expect(await fetchWith(group, epoch0, rotation + 1)).toStrictEqual({
      operations: 0,
      logLength: rotation + 1,
    });
    expect(await fetchWith(group, epoch0, group.logLength - 1)).toStrictEqual({
      operations: 0,
      logLength: rotation + 1,
    });
    expect(await fetchWith(group, epoch1)).toStrictEqual({
      operations: group.logLength,
      logLength: group.logLength,
    });
    expect(await fetchWith(group, randomBytesOf(32))).toBe(RelayErrorCode.GroupLogKey);
    await closeAll(owner.client, gone.client, carol.client);
  });

  it('serves an invite’s read key only while the invite is live', async () => {
    const group = new TestGroup();
    const owner = await connectAs(relay.url);
    await group.create(owner.client, owner.tester);
    const mod = await connectAs(relay.url);
    await group.add(owner.client, owner.tester, mod.client, mod.tester);
    await group.run(owner.client, owner.tester, act.promote(mod.tester.address));

    // Live, then used up.
    const single = await readableInvite(group, owner, { maxUses: 1 });
    expect(await fetchWith(group, single.readKey)).toMatchObject({ logLength: group.logLength });
    const ana = await connectAs(relay.url);
    await join(group, ana, single);
    expect(await fetchWith(group, single.readKey)).toBe(RelayErrorCode.GroupLogKey);

    // Expired by the relay's clock.
    const brief = await readableInvite(group, owner, { expiresAt: Date.now() + 1500 });
    expect(await fetchWith(group, brief.readKey)).toMatchObject({ logLength: group.logLength });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await fetchWith(group, brief.readKey)).toBe(RelayErrorCode.GroupLogKey);

    // Its creator no longer a moderator.
    const byMod = await readableInvite(group, mod, { maxUses: 5 });
    expect(await fetchWith(group, byMod.readKey)).toMatchObject({ logLength: group.logLength });
    await group.run(owner.client, owner.tester, {
      case: 'demote',
      value: { member: mod.tester.address },
    });
    expect(await fetchWith(group, byMod.readKey)).toBe(RelayErrorCode.GroupLogKey);

    // The multi-use invite a banned member joined with: revoked with the ban, though uses remain.
    const shared = await readableInvite(group, owner, { maxUses: 5 });
    const bo = await connectAs(relay.url);
    await join(group, bo, shared);
    expect(await fetchWith(group, shared.readKey)).toMatchObject({ logLength: group.logLength });
    await group.run(owner.client, owner.tester, act.ban(bo.tester.address));
    expect(await fetchWith(group, shared.readKey)).toBe(RelayErrorCode.GroupLogKey);
    await group.rotate(owner.client, owner.tester);

    // Every open invite, by "reset invite links".
    const open = await readableInvite(group, owner, { maxUses: 5 });
    expect(await fetchWith(group, open.readKey)).toMatchObject({ logLength: group.logLength });
    await group.run(owner.client, owner.tester, {
      case: 'rotateEpoch',
      value: {
        epoch: BigInt(group.state.epoch + 1),
        logKeyHash: logKeyHash(GroupSecret.generate().logKey()),
        sealedPreviousSecret: sealedBlob(),
        revokeInvites: true,
        joinKey: randomBytesOf(32),
      },
    });
    expect(await fetchWith(group, open.readKey)).toBe(RelayErrorCode.GroupLogKey);
    await closeAll(owner.client, mod.client, ana.client, bo.client);
  });

  it('refuses every post while a rotation is due, and any member may rotate then', async () => {
    const group = new TestGroup();
    const owner = await connectAs(relay.url);
    await group.create(owner.client, owner.tester);
    const ana = await connectAs(relay.url);
    const bo = await connectAs(relay.url);
    await group.add(owner.client, owner.tester, ana.client, ana.tester);
    await group.add(owner.client, owner.tester, bo.client, bo.tester);
    await group.run(bo.client, bo.tester, act.leave());
    for (const poster of [owner, ana]) {
      expect(await poster.client.errorCode(group.postBody('now?'))).toBe(
        RelayErrorCode.GroupRotationDue,
      );
    }
    // A plain member rotates: no moderator needs to be online after a leave.
    await group.rotate(ana.client, ana.tester);
    await group.post(ana.client, 'after the leave');
    await closeAll(owner.client, ana.client, bo.client);
  });
});
