import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelRelayStore, MemoryRelayStore } from '../../server/index.js';
import type { RelayStore } from '../../server/index.js';
import { makeTempDir } from './helpers/testRelay.js';
import {
  bytes,
  groupMessage,
  newAddress,
  newGroupId,
  operation,
  persona,
  relayStoreContract,
  upload,
} from './relayStore.contract.js';

relayStoreContract('MemoryRelayStore', {
  open: () => Promise.resolve(new MemoryRelayStore()),
  dispose: (store) => store.close(),
});

const levelFolders = new Map<RelayStore, string>();
relayStoreContract('LevelRelayStore', {
  async open() {
    const folder = await makeTempDir('kindred-store-test-');
    const store = await LevelRelayStore.open(join(folder, 'relay.db'));
    levelFolders.set(store, folder);
    return store;
  },
  async dispose(store) {
    await store.close();
    const folder = levelFolders.get(store);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  },
});

describe('LevelRelayStore on disk', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  async function folder(): Promise<string> {
    const path = join(await makeTempDir('kindred-store-test-'), 'relay.db');
    folders.push(join(path, '..'));
    return path;
  }

  it('keeps everything across a close and reopen, and continues mailbox ids', async () => {
    const path = await folder();
    const p = persona();
    const inbox = newAddress();
    const keys = upload(3, 3);
    const setting = bytes(32);
    let store = await LevelRelayStore.open(path);
    await store.putPersona(p);
    await store.putPreKeys(p.address, keys);
    await store.takePreKeyBundle(p.address);
    const ids = await store.appendEnvelopes([
      { recipient: inbox, sealed: bytes(10), receivedAt: 1, keyTag: 'k1' },
      { recipient: inbox, sealed: bytes(10), receivedAt: 2, keyTag: 'k1' },
    ]);
    await store.deleteEnvelopes(inbox, [ids[0] ?? 0n]);
    await store.putDeliveryKey(p.address, 'ab'.repeat(32), 7000);
    await store.putSetting('relay-id', setting);
    expect(await store.consumeInviteToken(setting.subarray(0, 16), 1)).toBe(true);
    await store.close();

    store = await LevelRelayStore.open(path);
    try {
      expect(await store.getPersona(p.address)).toStrictEqual(p);
      expect(await store.countPreKeys(p.address)).toStrictEqual({
        oneTimePreKeys: 2,
        oneTimeKyberPreKeys: 2,
      });
      expect((await store.takePreKeyBundle(p.address))?.preKey).toStrictEqual(
        keys.oneTimePreKeys[1],
      );
      expect(await store.mailboxDepth(inbox)).toBe(1);
      expect(await store.mailboxKeyDepth(inbox, 'k1')).toBe(1);
      expect([...(await store.getDeliveryKeys(p.address))]).toStrictEqual([
        ['ab'.repeat(32), 7000],
      ]);
      expect((await store.readMailbox(inbox, 0n, 10)).map((e) => e.id)).toStrictEqual([ids[1]]);
      const [next] = await store.appendEnvelopes([
        { recipient: inbox, sealed: bytes(10), receivedAt: 3 },
      ]);
      expect((next ?? 0n) > (ids[1] ?? 0n)).toBe(true);
      expect(await store.getSetting('relay-id')).toStrictEqual(setting);
      expect(await store.consumeInviteToken(setting.subarray(0, 16), 1)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('keeps at most maxCachedGroupHeads idle group heads in memory, and appends on after one is dropped', async () => {
    const store = await LevelRelayStore.open(await folder(), {
      maxCachedGroupHeads: 2,
      groupHeadIdleMs: 0,
    });
    try {
      const ids = Array.from({ length: 5 }, () => newGroupId());
      for (const id of ids) {
        await store.appendGroupEntry(operation(id, 0, 'create', { joined: [newAddress()] }, 1));
        await store.appendGroupEntry(groupMessage(id, 1, 'first', 1));
      }
      expect(store.cachedGroupHeads).toBe(2);
      // The first group's head was dropped: read again from the folder, it goes on where it was.
      const [first] = ids;
      if (first === undefined) throw new Error('no group');
      expect(await store.groupLogLength(first)).toBe(1);
      const next = await store.appendGroupEntry(groupMessage(first, 1, 'after the drop', 1));
      expect(next.index).toBe(3);
      expect(store.cachedGroupHeads).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('keeps a group state snapshot across a reopen', async () => {
    const path = await folder();
    const id = newGroupId();
    let store = await LevelRelayStore.open(path);
    await store.appendGroupEntry(operation(id, 0, 'create', { joined: [newAddress()] }, 1));
    await store.appendGroupEntry(operation(id, 1, 'pin', {}, 1));
    const snapshot = { length: 2, bytes: bytes(64) };
    await store.putGroupSnapshot(id, snapshot);
    await store.close();
    store = await LevelRelayStore.open(path);
    try {
      expect(await store.getGroupSnapshot(id)).toStrictEqual(snapshot);
      await store.putGroupSnapshot(id, { length: 1, bytes: bytes(8) });
      expect(await store.getGroupSnapshot(id)).toStrictEqual(snapshot);
    } finally {
      await store.close();
    }
  });

  it('keeps group streams and cursors across a reopen, and never reuses a pruned index', async () => {
    const path = await folder();
    const owner = newAddress();
    const gone = newAddress();
    const id = newGroupId();
    let store = await LevelRelayStore.open(path);
    await store.appendGroupEntry(operation(id, 0, 'create', { joined: [owner, gone] }, 1));
    await store.appendGroupEntry(groupMessage(id, 1, 'm', 1));
    await store.appendGroupEntry(operation(id, 1, 'remove', { left: [gone] }, 1));
    await store.appendGroupEntry(groupMessage(id, 2, 'last', 1));
    await store.ackGroup(id, owner, 4);
    await store.ackGroup(id, gone, 3);
    expect(await store.pruneGroups(0)).toBe(2);
    await store.close();

    store = await LevelRelayStore.open(path);
    try {
      expect(await store.groupLogLength(id)).toBe(2);
      expect(await store.getGroupCursor(id, owner)).toStrictEqual({ acked: 4 });
      expect(await store.getGroupCursor(id, gone)).toBeUndefined();
      expect((await store.listMemberGroups(owner)).map((g) => g.groupId)).toStrictEqual([id]);
      const next = await store.appendGroupEntry(groupMessage(id, 2, 'after reopen', 2));
      expect(next.index).toBe(5);
      const read = await store.readMemberEntries(id, owner, undefined, 10);
      expect(read?.entries.map((e) => e.index)).toStrictEqual([5]);
    } finally {
      await store.close();
    }
  });

  it('writes 200 concurrent appends in far fewer synced batches, all durable', async () => {
    const path = await folder();
    const store = await LevelRelayStore.open(path);
    const inbox = newAddress();
    const before = store.commitStats;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.appendEnvelopes([{ recipient: inbox, sealed: bytes(100 + i), receivedAt: i }]),
      ),
    );
    const after = store.commitStats;
    expect(after.requests - before.requests).toBe(200);
    expect(after.batches - before.batches).toBeLessThan(20);
    await store.close();

    const reopened = await LevelRelayStore.open(path);
    try {
      const read = await reopened.readMailbox(inbox, 0n, 1000);
      expect(read.map((e) => e.id)).toStrictEqual(results.map((ids) => ids[0]));
      expect(read.map((e) => e.sealed.length)).toStrictEqual(
        Array.from({ length: 200 }, (_, i) => 100 + i),
      );
    } finally {
      await reopened.close();
    }
  });

  it('finishes queued appends before closing', async () => {
    const path = await folder();
    const store = await LevelRelayStore.open(path);
    const inbox = newAddress();
    const pending = Array.from({ length: 20 }, () =>
      store.appendEnvelopes([{ recipient: inbox, sealed: bytes(8), receivedAt: 1 }]),
    );
    await store.close();
    await Promise.all(pending);
    const reopened = await LevelRelayStore.open(path);
    try {
      expect(await reopened.mailboxDepth(inbox)).toBe(20);
    } finally {
      await reopened.close();
    }
  });
});
