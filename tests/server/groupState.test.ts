// The relay's group states against long logs: caps per group (each a coded refusal), and state
// snapshots in the store, so that a new node or a restart replays only the tail of a log.
import { describe, expect, it } from 'vitest';
import { RelayErrorCode, decodeGroupStateSnapshot } from '../../core/index.js';
import type { GroupActionInit } from '../../core/index.js';
import { MemoryRelayStore } from '../../server/index.js';
import { RawClient } from './helpers/rawClient.js';
import { newTestPersona } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { TestGroup, act, randomBytesOf, submitBody } from './helpers/groups.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

const deleteMessage = (): GroupActionInit => ({
  case: 'deleteMessage',
  value: { messageId: randomBytesOf(16) },
});

async function withRelay(
  options: Parameters<typeof startTestRelay>[0],
  body: (relay: TestRelay) => Promise<void>,
): Promise<void> {
  const relay = await startTestRelay(options);
  try {
    await body(relay);
  } finally {
    await relay.dispose();
  }
}

describe('group caps', () => {
  it('caps the operations in a log', async () => {
    await withRelay({ maxGroupOperations: 4 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      for (let i = 0; i < 3; i++) await group.run(owner.client, owner.tester, act.setInfo());
      expect(
        await owner.client.errorCode(submitBody(group.sign(owner.tester, act.setInfo()))),
      ).toBe(RelayErrorCode.GroupCapReached);
      // Nothing was appended: the log is as long as the cap.
      const page = await owner.client.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(page.logLength)).toBe(4);
      await closeAll(owner.client);
    });
  });

  it('caps the message ids deleted for everyone', async () => {
    await withRelay({ maxGroupDeletedMessages: 2 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      await group.run(owner.client, owner.tester, deleteMessage());
      await group.run(owner.client, owner.tester, deleteMessage());
      expect(
        await owner.client.errorCode(submitBody(group.sign(owner.tester, deleteMessage()))),
      ).toBe(RelayErrorCode.GroupCapReached);
      // Other operations still go through.
      await group.run(owner.client, owner.tester, act.setInfo());
      await closeAll(owner.client);
    });
  });

  it('caps open invites, and an invite used up no longer counts', async () => {
    await withRelay({ maxGroupOpenInvites: 2 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      const first = group.inviteOperation(owner.tester);
      await group.submit(owner.client, first.signed);
      await group.submit(owner.client, group.inviteOperation(owner.tester).signed);
      expect(
        await owner.client.errorCode(submitBody(group.inviteOperation(owner.tester).signed)),
      ).toBe(RelayErrorCode.GroupCapReached);
      // Joins come from registered personas (anonymous connections may carry them).
      const joiner = await RawClient.connect(relay.url);
      await group.submit(joiner, group.joinOperation(await registered(relay.url), first.invite));
      await group.submit(owner.client, group.inviteOperation(owner.tester).signed);
      await closeAll(owner.client, joiner);
    });
  });

  it('caps the join requests waiting for approval', async () => {
    await withRelay({ maxGroupJoinRequests: 1 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester, { joinByApproval: true });
      const { signed, invite } = group.inviteOperation(owner.tester, 3);
      await group.submit(owner.client, signed);
      const [alice, bob] = [await registered(relay.url), await registered(relay.url)];
      const anon = await RawClient.connect(relay.url);
      await group.submit(anon, group.joinOperation(alice, invite));
      expect(await anon.errorCode(submitBody(group.joinOperation(bob, invite)))).toBe(
        RelayErrorCode.GroupCapReached,
      );
      await group.run(owner.client, owner.tester, act.approve(alice.address));
      await group.submit(anon, group.joinOperation(bob, invite));
      expect(group.state.requests.has(bob.address)).toBe(true);
      await closeAll(owner.client, anon);
    });
  });
});

/** A real MemoryRelayStore that also records where each read of a group log started. */
class ObservedStore extends MemoryRelayStore {
  readonly reads: number[] = [];

  override readGroupOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]> {
    this.reads.push(fromSequence);
    return super.readGroupOperations(groupId, fromSequence, limit);
  }
}

/** The stored snapshot's length once it is `expected` (snapshots are written in the background). */
async function snapshotLength(
  store: MemoryRelayStore,
  group: TestGroup,
  expected: number,
): Promise<number | undefined> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const snapshot = await store.getGroupSnapshot(group.groupId);
    if (snapshot?.length === expected && decodeGroupStateSnapshot(snapshot.bytes) !== undefined) {
      return snapshot.length;
    }
    await sleep(20);
  }
  return (await store.getGroupSnapshot(group.groupId))?.length;
}

describe('group state snapshots', () => {
  it('are stored every groupSnapshotInterval operations; a new node replays only the tail', async () => {
    const store = new ObservedStore();
    const nodeA = await startTestRelay({ store, groupSnapshotInterval: 5 });
    const group = new TestGroup();
    const ownerTester = newTestPersona();
    try {
      const owner = await connectAs(nodeA.url, ownerTester);
      await group.create(owner.client, owner.tester);
      for (let i = 0; i < 11; i++) await group.run(owner.client, owner.tester, act.setInfo());
      expect(await snapshotLength(store, group, 10)).toBe(10);
      await closeAll(owner.client);
    } finally {
      await nodeA.dispose();
    }
    const snapshot = await store.getGroupSnapshot(group.groupId);
    const state = decodeGroupStateSnapshot(snapshot?.bytes ?? new Uint8Array(0));
    expect(state?.length).toBe(10);

    store.reads.length = 0;
    const nodeB = await startTestRelay({ store, groupSnapshotInterval: 5 });
    try {
      const reader = await RawClient.connect(nodeB.url);
      const page = await reader.expect(group.fetchBody(11), 'groupLogPage');
      expect(Number(page.logLength)).toBe(12);
      // The snapshot's last operation (to check its head), then the tail: nothing before.
      expect(Math.min(...store.reads)).toBe(9);
      // The state it rebuilt is the real one: it takes the next operation on the real head.
      const owner = await connectAs(nodeB.url, ownerTester);
      await group.run(owner.client, ownerTester, act.setInfo());
      await closeAll(reader, owner.client);
    } finally {
      await nodeB.dispose();
    }
  });

  it('a damaged snapshot is ignored: the whole log is replayed and a good snapshot replaces it', async () => {
    const store = new ObservedStore();
    const group = new TestGroup();
    const nodeA = await startTestRelay({ store, groupSnapshotInterval: 100 });
    try {
      const owner = await connectAs(nodeA.url);
      await group.create(owner.client, owner.tester);
      for (let i = 0; i < 5; i++) await group.run(owner.client, owner.tester, act.setInfo());
      await closeAll(owner.client);
    } finally {
      await nodeA.dispose();
    }
    await store.putGroupSnapshot(group.groupId, { length: 6, bytes: randomBytesOf(40) });
    store.reads.length = 0;
    const nodeB = await startTestRelay({ store, groupSnapshotInterval: 5 });
    try {
      const reader = await RawClient.connect(nodeB.url);
      const page = await reader.expect(group.fetchBody(6), 'groupLogPage');
      expect(Number(page.logLength)).toBe(6);
      expect(Math.min(...store.reads)).toBe(0);
      expect(await snapshotLength(store, group, 6)).toBe(6);
      await closeAll(reader);
    } finally {
      await nodeB.dispose();
    }
  });
});
