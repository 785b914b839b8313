// Groups end to end over real sockets: the log (submit, fetch), posting, delivery from cursors and
// live, membership changes, moderation limits, and the coded errors for everything refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_RULES,
  RelayErrorCode,
  decodeGroupOperation,
  groupOperationHash,
  wire,
} from '../../core/index.js';
import type { GroupRules } from '../../core/index.js';
import { MemoryRelayStore } from '../../server/index.js';
import { RawClient } from './helpers/rawClient.js';
import type { ClientBody } from './helpers/rawClient.js';
import { newTestPersona, sendBody } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import type { Session } from './helpers/sessions.js';
import {
  TestGroup,
  act,
  describeDelivery,
  groupDeliveries,
  pendingGroupDeliveries,
  randomBytesOf,
  submitBody,
} from './helpers/groups.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

/** A group with an owner connected, and `members` more, each connected and already a member. */
async function groupOf(
  url: string,
  members = 0,
  policy?: Parameters<TestGroup['create']>[2],
): Promise<{ group: TestGroup; owner: Session; members: Session[] }> {
  const group = new TestGroup();
  const owner = await connectAs(url);
  await group.create(owner.client, owner.tester, policy);
  const sessions: Session[] = [];
  for (let i = 0; i < members; i++) {
    const session = await connectAs(url);
    await group.add(owner.client, owner.tester, session.client, session.tester);
    sessions.push(session);
  }
  return { group, owner, members: sessions };
}

/** Takes the next `count` deliveries of the group, acknowledging each (so no window fills). */
async function drain(session: Session, group: TestGroup, count: number): Promise<string[]> {
  const taken: string[] = [];
  for (let i = 0; i < count; i++) {
    const [deliver] = await groupDeliveries(session.client, 1, group);
    if (deliver === undefined) throw new Error('no delivery');
    await session.client.expect(group.ackBody(Number(deliver.index)), 'ok');
    taken.push(describeDelivery(deliver));
  }
  return taken;
}

describe('group logs', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ groupLogPageSize: 3 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('creates a group and serves its log to whoever holds the log key, page by page', async () => {
    const { group, owner } = await groupOf(relay.url);
    for (let i = 0; i < 4; i++) await group.run(owner.client, owner.tester, act.setInfo());
    const stranger = await RawClient.connect(relay.url);
    const first = await stranger.expect(group.fetchBody(0), 'groupLogPage');
    expect(first.operations).toHaveLength(3);
    expect(Number(first.logLength)).toBe(5);
    const rest = await stranger.expect(group.fetchBody(3), 'groupLogPage');
    expect(rest.operations).toHaveLength(2);
    expect(Number(rest.logLength)).toBe(5);
    // The pages replay into the state the members have.
    let state: Parameters<GroupRules['apply']>[0];
    for (const signed of [...first.operations, ...rest.operations]) {
      state = GROUP_RULES.apply(state, signed).state;
    }
    expect(state?.head).toStrictEqual(group.state.head);
    expect((await stranger.expect(group.fetchBody(9), 'groupLogPage')).operations).toHaveLength(0);
    await closeAll(owner.client, stranger);
  });

  it('refuses a wrong log key, an unknown group, and a second create of the same id', async () => {
    const { group, owner } = await groupOf(relay.url);
    const client = await RawClient.connect(relay.url);
    expect(await client.errorCode(group.fetchBody(0, randomBytesOf(32)))).toBe(
      RelayErrorCode.GroupLogKey,
    );
    const unknown = new TestGroup();
    expect(await client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
    // The same group id, created again by someone else, and by its owner.
    const rival = new TestGroup(group.groupId);
    expect(await client.errorCode(submitBody(rival.createOperation(newTestPersona())))).toBe(
      RelayErrorCode.GroupExists,
    );
    expect(await client.errorCode(submitBody(rival.createOperation(owner.tester)))).toBe(
      RelayErrorCode.GroupExists,
    );
    await closeAll(owner.client, client);
  });

  it('answers operations the rules refuse with coded errors, and appends none of them', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1);
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    const outsider = newTestPersona();
    const anon = await RawClient.connect(relay.url);
    const stale = group.sign(owner.tester, act.setInfo());
    await group.run(owner.client, owner.tester, act.setInfo());
    expect(await anon.errorCode(submitBody(stale))).toBe(RelayErrorCode.GroupConflict);
    expect(
      await anon.errorCode(submitBody(group.sign(outsider, act.remove(member.tester.address)))),
    ).toBe(RelayErrorCode.GroupForbidden);
    expect(
      await anon.errorCode(submitBody(group.sign(member.tester, act.remove(owner.tester.address)))),
    ).toBe(RelayErrorCode.GroupForbidden);
    expect(
      await anon.errorCode(submitBody(group.sign(owner.tester, act.remove(outsider.address)))),
    ).toBe(RelayErrorCode.GroupBadTarget);
    const tooOld = group.sign(owner.tester, act.setInfo(), { createdAt: Date.now() - 3_600_000 });
    expect(await anon.errorCode(submitBody(tooOld))).toBe(RelayErrorCode.GroupInvalid);
    expect(await anon.errorCode(submitBody(Uint8Array.of(1, 2, 3)))).toBe(
      RelayErrorCode.GroupInvalid,
    );
    const { invite } = group.inviteOperation(owner.tester); // never submitted
    expect(await anon.errorCode(submitBody(group.joinOperation(outsider, invite)))).toBe(
      RelayErrorCode.GroupInviteInvalid,
    );
    await group.run(owner.client, owner.tester, act.ban(member.tester.address));
    const { signed: early } = group.inviteOperation(owner.tester);
    // Until someone rotates the group secret, nothing but a rotation (or a departure) is taken.
    expect(await anon.errorCode(submitBody(early))).toBe(RelayErrorCode.GroupRotationDue);
    await group.rotate(owner.client, owner.tester);
    const { signed, invite: real } = group.inviteOperation(owner.tester);
    await group.submit(owner.client, signed);
    expect(await anon.errorCode(submitBody(group.joinOperation(member.tester, real)))).toBe(
      RelayErrorCode.GroupBanned,
    );
    const page = await anon.expect(group.fetchBody(0), 'groupLogPage');
    expect(Number(page.logLength)).toBe(group.logLength);
    await closeAll(owner.client, member.client, anon);
  });

  it('takes joins on anonymous connections and answers GroupAppended with the stream index', async () => {
    const group = new TestGroup();
    const owner = await connectAs(relay.url);
    expect(await group.create(owner.client, owner.tester)).toBe(1);
    const joiner = await registered(relay.url);
    const anon = await RawClient.connect(relay.url);
    const { signed, invite } = group.inviteOperation(owner.tester);
    expect(await group.submit(owner.client, signed)).toBe(2);
    expect(await group.submit(anon, group.joinOperation(joiner, invite))).toBe(3);
    expect(group.state.members.has(joiner.address)).toBe(true);
    await closeAll(owner.client, anon);
  });
});

describe('group messages and delivery', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ maxUnackedGroupDeliveries: 4, maxGroupMessageBytes: 1024 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('delivers a post live to every member, the poster included', async () => {
    const { group, owner, members } = await groupOf(relay.url, 2);
    const [alice, bob] = members;
    if (alice === undefined || bob === undefined) throw new Error('no members');
    // Everyone first catches up on the log so far.
    await drain(owner, group, 5);
    await drain(alice, group, 3);
    await drain(bob, group, 1);
    const index = await group.post(alice.client, 'hello group');
    expect(index).toBe(6);
    for (const session of [owner, alice, bob]) {
      expect(await drain(session, group, 1)).toStrictEqual(['6:message:hello group']);
    }
    await closeAll(owner.client, alice.client, bob.client);
  });

  it('refuses posts from non-members, anonymous connections, stale or oversized ones', async () => {
    const { group, owner } = await groupOf(relay.url);
    const outsider = await connectAs(relay.url);
    expect(await outsider.client.errorCode(group.postBody('let me in'))).toBe(
      RelayErrorCode.GroupNotMember,
    );
    const anon = await RawClient.connect(relay.url);
    expect(await anon.errorCode(group.postBody('who am I'))).toBe(RelayErrorCode.AuthRequired);
    expect(await anon.errorCode(group.ackBody(1))).toBe(RelayErrorCode.AuthRequired);
    await group.run(owner.client, owner.tester, act.setInfo());
    expect(await owner.client.errorCode(group.postBody('behind', group.logLength - 1))).toBe(
      RelayErrorCode.GroupStale,
    );
    expect(await owner.client.errorCode(group.postBody('x'.repeat(1025)))).toBe(
      RelayErrorCode.GroupMessageTooLarge,
    );
    expect(await owner.client.errorCode(new TestGroup().postBody('nowhere', 1))).toBe(
      RelayErrorCode.GroupNotFound,
    );
    await group.post(owner.client, 'fits');
    await closeAll(owner.client, outsider.client, anon);
  });

  it('delivers from the cursor on connect, within the window, resuming as acks come', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1);
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    expect(await drain(member, group, 1)).toStrictEqual(['3:operation']);
    await member.client.close();
    for (let i = 0; i < 6; i++) await group.post(owner.client, `m${i}`);
    await group.run(owner.client, owner.tester, act.setInfo());

    const back = await connectAs(relay.url, member.tester);
    const window = await groupDeliveries(back.client, 4, group);
    expect(window.map(describeDelivery)).toStrictEqual([
      '4:message:m0',
      '5:message:m1',
      '6:message:m2',
      '7:message:m3',
    ]);
    await sleep(100);
    expect(pendingGroupDeliveries(back.client, group)).toBe(0);
    await back.client.expect(group.ackBody(5), 'ok');
    expect((await groupDeliveries(back.client, 2, group)).map(describeDelivery)).toStrictEqual([
      '8:message:m4',
      '9:message:m5',
    ]);
    await back.client.close();

    // Acknowledged entries do not come again; the rest does, from the cursor.
    const again = await connectAs(relay.url, member.tester);
    expect((await groupDeliveries(again.client, 4, group)).map(describeDelivery)).toStrictEqual([
      '6:message:m2',
      '7:message:m3',
      '8:message:m4',
      '9:message:m5',
    ]);
    await again.client.expect(group.ackBody(9), 'ok');
    expect((await groupDeliveries(again.client, 1, group)).map(describeDelivery)).toStrictEqual([
      '10:operation',
    ]);
    await closeAll(owner.client, again.client);
  });

  it('never moves a cursor backwards or past the stream, and ignores groups without one', async () => {
    const { group, owner } = await groupOf(relay.url);
    expect((await groupDeliveries(owner.client, 1, group)).map(describeDelivery)).toStrictEqual([
      '1:operation',
    ]);
    // Past the end: the cursor stops at 1, so what comes next is still delivered.
    await owner.client.expect(group.ackBody(99), 'ok');
    await group.post(owner.client, 'next');
    await owner.client.expect(new TestGroup().ackBody(3), 'ok');
    await owner.client.close();
    const back = await connectAs(relay.url, owner.tester);
    expect(await drain(back, group, 1)).toStrictEqual(['2:message:next']);
    // Backwards: ignored, so nothing comes again.
    await back.client.expect(group.ackBody(1), 'ok');
    await back.client.close();
    const last = await connectAs(relay.url, owner.tester);
    await sleep(150);
    expect(pendingGroupDeliveries(last.client, group)).toBe(0);
    await last.client.close();
  });

  it('delivers to a removed member up to its removal, and nothing after, live or later', async () => {
    const { group, owner, members } = await groupOf(relay.url, 2);
    const [gone, stays] = members;
    if (gone === undefined || stays === undefined) throw new Error('no members');
    await drain(gone, group, 3);
    await drain(stays, group, 1);
    await group.post(stays.client, 'before');
    const removal = await group.run(owner.client, owner.tester, act.remove(gone.tester.address));
    expect(removal).toBe(7);
    // Posts wait for the next epoch: nothing is written under the one the removed member holds.
    expect(await stays.client.errorCode(group.postBody('too early'))).toBe(
      RelayErrorCode.GroupRotationDue,
    );
    expect(await group.rotate(owner.client, owner.tester)).toBe(8);
    await group.post(stays.client, 'after');
    expect(await drain(stays, group, 4)).toStrictEqual([
      '6:message:before',
      '7:operation',
      '8:operation',
      '9:message:after',
    ]);
    expect((await groupDeliveries(gone.client, 2, group)).map(describeDelivery)).toStrictEqual([
      '6:message:before',
      '7:operation',
    ]);
    await sleep(100);
    expect(pendingGroupDeliveries(gone.client, group)).toBe(0);
    expect(await gone.client.errorCode(group.postBody('still here?'))).toBe(
      RelayErrorCode.GroupNotMember,
    );
    await gone.client.close();

    // Not acknowledged yet: the entries up to the removal come again, and only those.
    const back = await connectAs(relay.url, gone.tester);
    expect((await groupDeliveries(back.client, 2, group)).map(describeDelivery)).toStrictEqual([
      '6:message:before',
      '7:operation',
    ]);
    await back.client.expect(group.ackBody(removal), 'ok');
    await group.post(stays.client, 'much later');
    await sleep(100);
    expect(pendingGroupDeliveries(back.client, group)).toBe(0);
    await back.client.close();
    const last = await connectAs(relay.url, gone.tester);
    await sleep(150);
    expect(pendingGroupDeliveries(last.client, group)).toBe(0);
    await closeAll(owner.client, stays.client, last.client);
  });

  it('starts delivering a group to a connected persona as soon as it joins', async () => {
    const { group, owner } = await groupOf(relay.url);
    const joiner = await connectAs(relay.url);
    const anon = await RawClient.connect(relay.url);
    const joined = await group.add(owner.client, owner.tester, anon, joiner.tester);
    await group.post(owner.client, 'welcome');
    expect((await groupDeliveries(joiner.client, 2, group)).map(describeDelivery)).toStrictEqual([
      `${joined}:operation`,
      `${joined + 1}:message:welcome`,
    ]);
    await closeAll(owner.client, joiner.client, anon);
  });

  it('admits a requester at the approval, which is the first entry it receives', async () => {
    const { group, owner } = await groupOf(relay.url, 0, { joinByApproval: true });
    const joiner = await connectAs(relay.url);
    const { signed, invite } = group.inviteOperation(owner.tester);
    await group.submit(owner.client, signed);
    await group.submit(joiner.client, group.joinOperation(joiner.tester, invite));
    expect(group.state.requests.has(joiner.tester.address)).toBe(true);
    expect(await joiner.client.errorCode(group.postBody('too early'))).toBe(
      RelayErrorCode.GroupNotMember,
    );
    await sleep(100);
    expect(pendingGroupDeliveries(joiner.client, group)).toBe(0);
    const approved = await group.run(
      owner.client,
      owner.tester,
      act.approve(joiner.tester.address),
    );
    await group.post(joiner.client, 'in at last');
    expect(await drain(joiner, group, 2)).toStrictEqual([
      `${approved}:operation`,
      `${approved + 1}:message:in at last`,
    ]);
    await closeAll(owner.client, joiner.client);
  });

  it('keeps the mailbox flowing while a group fills its window', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1);
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    await member.client.close();
    for (let i = 0; i < 10; i++) await group.post(owner.client, `busy ${i}`);
    const sender = await RawClient.connect(relay.url);
    await sender.expect(sendBody(member.tester, Uint8Array.of(7)), 'sendAck');
    const back = await connectAs(relay.url, member.tester);
    const [deliver] = await back.client.deliveries(1);
    expect(deliver?.sealed).toStrictEqual(Uint8Array.of(7));
    expect(await groupDeliveries(back.client, 4, group)).toHaveLength(4);
    await closeAll(owner.client, back.client, sender);
  });
});

describe('group moderation limits', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('enforces slow mode for members, with a retry hint, but not for moderators', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1, { slowModeSeconds: 60 });
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    await group.post(member.client, 'first');
    const refused = await member.client.expect(group.postBody('second'), 'error');
    expect(refused.code).toBe(RelayErrorCode.GroupSlowMode);
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    await group.post(owner.client, 'owner one');
    await group.post(owner.client, 'owner two');
    await closeAll(owner.client, member.client);
  });

  it('exempts reactions from slow mode, without starting the interval', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1, { slowModeSeconds: 60 });
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    // Reactions first: the member's first text is still free.
    await member.client.expect(reactionBody(group), 'groupAppended');
    await member.client.expect(reactionBody(group), 'groupAppended');
    await group.post(member.client, 'first');
    // Reactions go on under slow mode; the next text waits.
    await member.client.expect(reactionBody(group), 'groupAppended');
    expect(await member.client.errorCode(group.postBody('second'))).toBe(
      RelayErrorCode.GroupSlowMode,
    );
    await closeAll(owner.client, member.client);
  });

  it('refuses reactions where it refuses texts: muted, or only moderators post', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1, {
      posting: wire.GroupPosting.MODERATORS,
    });
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    expect(await member.client.errorCode(reactionBody(group))).toBe(
      RelayErrorCode.GroupPostingRestricted,
    );
    await group.run(owner.client, owner.tester, act.promote(member.tester.address));
    await group.run(
      owner.client,
      owner.tester,
      act.mute(member.tester.address, Date.now() + 60_000),
    );
    expect(await member.client.errorCode(reactionBody(group))).toBe(RelayErrorCode.GroupMuted);
    await closeAll(owner.client, member.client);
  });

  it('refuses posts from a muted member until the mute is lifted', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1);
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    await group.run(
      owner.client,
      owner.tester,
      act.mute(member.tester.address, Date.now() + 60_000),
    );
    expect(await member.client.errorCode(group.postBody('let me speak'))).toBe(
      RelayErrorCode.GroupMuted,
    );
    await group.run(owner.client, owner.tester, act.mute(member.tester.address, 0));
    await group.post(member.client, 'thank you');
    await closeAll(owner.client, member.client);
  });

  it('lets only moderators post when the group says so', async () => {
    const { group, owner, members } = await groupOf(relay.url, 1, {
      posting: wire.GroupPosting.MODERATORS,
    });
    const [member] = members;
    if (member === undefined) throw new Error('no member');
    expect(await member.client.errorCode(group.postBody('may I?'))).toBe(
      RelayErrorCode.GroupPostingRestricted,
    );
    await group.post(owner.client, 'announcement');
    await group.run(owner.client, owner.tester, act.promote(member.tester.address));
    await group.post(member.client, 'now I may');
    await closeAll(owner.client, member.client);
  });
});

describe('group limits', () => {
  it('caps members per group and groups per persona', async () => {
    const relay = await startTestRelay({ maxGroupMembers: 2, maxGroupsPerPersona: 2 });
    try {
      const { group, owner } = await groupOf(relay.url, 1);
      const third = await connectAs(relay.url);
      const { signed, invite } = group.inviteOperation(owner.tester);
      await group.submit(owner.client, signed);
      expect(
        await third.client.errorCode(submitBody(group.joinOperation(third.tester, invite))),
      ).toBe(RelayErrorCode.GroupFull);
      // `owner` already owns one group; a second is fine, a third is not.
      await new TestGroup().create(owner.client, owner.tester);
      expect(
        await owner.client.errorCode(submitBody(new TestGroup().createOperation(owner.tester))),
      ).toBe(RelayErrorCode.TooManyGroups);
      await closeAll(owner.client, third.client);
    } finally {
      await relay.dispose();
    }
  });

  it('rate-limits posts and operations per connection', async () => {
    const relay = await startTestRelay({
      maxGroupPostsPerSecond: 3,
      maxGroupOperationsPerMinute: 4,
    });
    try {
      const { group, owner } = await groupOf(relay.url);
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) => owner.client.request(group.postBody(`p${i}`))),
      );
      expect(answers.filter((f) => f.body.case === 'groupAppended')).toHaveLength(3);
      const limited = answers.filter(
        (f) => f.body.case === 'error' && f.body.value.code === RelayErrorCode.RateLimited,
      );
      expect(limited).toHaveLength(2);
      for (let i = 0; i < 3; i++) await group.run(owner.client, owner.tester, act.setInfo());
      expect(
        await owner.client.errorCode(submitBody(group.sign(owner.tester, act.setInfo()))),
      ).toBe(RelayErrorCode.RateLimited);
      await owner.client.close();
    } finally {
      await relay.dispose();
    }
  });
});

describe('group frames and persistence', () => {
  it('answers malformed group frames with RELAY_BAD_FRAME', async () => {
    const relay = await startTestRelay();
    try {
      const { client } = await connectAs(relay.url);
      const short = randomBytesOf(15);
      expect(
        await client.errorCode({ case: 'ackGroup', value: { groupId: short, index: 1n } }),
      ).toBe(RelayErrorCode.BadFrame);
      expect(
        await client.errorCode({
          case: 'fetchGroupLog',
          value: { groupId: randomBytesOf(16), logKey: randomBytesOf(5), fromSequence: 0n },
        }),
      ).toBe(RelayErrorCode.BadFrame);
      expect(
        await client.errorCode({
          case: 'postGroupMessage',
          value: { groupId: randomBytesOf(16), logLength: 1n, envelope: new Uint8Array(0) },
        }),
      ).toBe(RelayErrorCode.BadFrame);
      expect(await client.errorCode(submitBody(new Uint8Array(0)))).toBe(RelayErrorCode.BadFrame);
      await client.expect({ case: 'ping', value: {} }, 'pong');
      await client.close();
    } finally {
      await relay.dispose();
    }
  });

  it('rebuilds groups from the stored log after a restart, cursors included', async () => {
    const relay = await startTestRelay();
    try {
      const { group, owner, members } = await groupOf(relay.url, 1);
      const [member] = members;
      if (member === undefined) throw new Error('no member');
      await drain(member, group, 1);
      await group.post(owner.client, 'before restart');
      await closeAll(owner.client, member.client);
      await relay.restart();

      const stranger = await RawClient.connect(relay.url);
      const page = await stranger.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(page.logLength)).toBe(group.logLength);
      const back = await connectAs(relay.url, member.tester);
      expect(await drain(back, group, 1)).toStrictEqual(['4:message:before restart']);
      await group.post(back.client, 'after restart');
      expect(await drain(back, group, 1)).toStrictEqual(['5:message:after restart']);
      await closeAll(stranger, back.client);
    } finally {
      await relay.dispose();
    }
  });

  it('prunes messages past the group retention, keeping every operation', async () => {
    const relay = await startTestRelay({ groupRetentionMs: 100, sweepIntervalMs: 50 });
    try {
      const { group, owner, members } = await groupOf(relay.url, 1);
      const [member] = members;
      if (member === undefined) throw new Error('no member');
      await member.client.close();
      await group.post(owner.client, 'soon gone');
      await sleep(400);
      const back = await connectAs(relay.url, member.tester);
      expect((await groupDeliveries(back.client, 1, group)).map(describeDelivery)).toStrictEqual([
        '3:operation',
      ]);
      await sleep(100);
      expect(pendingGroupDeliveries(back.client, group)).toBe(0);
      await closeAll(owner.client, back.client);
    } finally {
      await relay.dispose();
    }
  });

  it('keeps one stream across two relay nodes sharing a store', async () => {
    const store = new MemoryRelayStore();
    const nodeA = await startTestRelay({ store });
    const nodeB = await startTestRelay({ store });
    try {
      const { group, owner } = await groupOf(nodeA.url);
      // Node B learns the group (one operation long) by serving its log.
      const reader = await RawClient.connect(nodeB.url);
      expect(Number((await reader.expect(group.fetchBody(0), 'groupLogPage')).logLength)).toBe(1);
      // Node A moves the log on; node B still takes the next operation, signed on the new head
      // (on the owner's authenticated connection there, as operations go).
      await group.run(owner.client, owner.tester, act.setInfo());
      const ownerOnB = await connectAs(nodeB.url, owner.tester);
      expect(await group.submit(ownerOnB.client, group.sign(owner.tester, act.setInfo()))).toBe(3);
      await ownerOnB.client.close();
      // A member on node B receives, live, what is posted on node A, and may post there itself.
      const member = await connectAs(nodeB.url);
      const joined = await group.add(owner.client, owner.tester, reader, member.tester);
      await group.post(owner.client, 'from node A');
      expect(await drain(member, group, 2)).toStrictEqual([
        `${joined}:operation`,
        `${joined + 1}:message:from node A`,
      ]);
      await group.post(member.client, 'from node B');
      expect(await drain(owner, group, joined + 2)).toContain(`${joined + 2}:message:from node B`);
      await closeAll(owner.client, member.client, reader);
    } finally {
      await nodeB.dispose();
      await nodeA.dispose();
    }
  });

  it('accepts anything with permissive rules: the seam tests use to play a malicious relay', async () => {
    const permissive: GroupRules = {
      ...GROUP_RULES,
      apply(state, signed, context) {
        try {
          return GROUP_RULES.apply(state, signed, context);
        } catch {
          if (state === undefined) throw new Error('a permissive relay still needs a create');
          const { hash, ...operation } = decodeGroupOperation(signed);
          return { state: { ...state, length: state.length + 1, head: hash }, operation, hash };
        }
      },
    };
    const relay = await startTestRelay({ store: new MemoryRelayStore(), groupRules: permissive });
    try {
      const { group, owner } = await groupOf(relay.url);
      // A registered persona that is no member, on its own authenticated connection.
      const forger = await connectAs(relay.url);
      const forged = group.sign(forger.tester, act.remove(owner.tester.address));
      const appended = await forger.client.expect(submitBody(forged), 'groupAppended');
      const anon = await RawClient.connect(relay.url);
      expect(Number(appended.index)).toBe(2);
      const page = await anon.expect(group.fetchBody(0), 'groupLogPage');
      expect(page.operations[1]).toStrictEqual(forged);
      expect(groupOperationHash(forged)).toHaveLength(32);
      await closeAll(owner.client, forger.client, anon);
    } finally {
      await relay.dispose();
    }
  });
});

/** A post its poster marks as a reaction; the envelope is as opaque to the relay as any other. */
function reactionBody(group: TestGroup): ClientBody {
  return {
    case: 'postGroupMessage',
    value: {
      groupId: group.groupId,
      logLength: BigInt(group.logLength),
      envelope: Uint8Array.of(1),
      reaction: true,
    },
  };
}
