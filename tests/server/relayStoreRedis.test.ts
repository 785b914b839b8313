// RedisRelayStore against real Redis servers on loopback: the shared contract suite on one
// standalone server and on a Redis Cluster of 3 primaries + 3 replicas (one of each per file; each
// test gets a fresh key prefix on them), then what only a networked store has to keep.
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisRelayStore,
  StoreNotReplicatedError,
  StoreUnreachableError,
} from '../../server/index.js';
import type { RedisRelayStoreOptions, RelayStore } from '../../server/index.js';
import clusterKeySlot from 'cluster-key-slot';
import { decodeMailboxWake, encodeMailboxWake } from '../../server/store/redis/mailboxWake.js';
import { redisAvailable, startRedis, startRedisCluster } from './helpers/redisServers.js';
import type { RunningRedis } from './helpers/redisServers.js';
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

const skip = !redisAvailable() && process.env.CI === undefined;

function freshPrefix(): string {
  return `t${randomBytes(6).toString('hex')}:`;
}

/** Opens stores on servers started by the file's beforeAll (set once they run). */
function harness(connection: () => RedisRelayStoreOptions) {
  return {
    open: () => RedisRelayStore.open({ ...connection(), keyPrefix: freshPrefix() }),
    dispose: (store: RelayStore) => store.close(),
  };
}

function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) {
        resolve();
      } else if (Date.now() > deadline) {
        reject(new Error(`timed out waiting for ${what}`));
      } else {
        setTimeout(tick, 10);
      }
    };
    tick();
  });
}

/** Whether any file of the servers' folders (their append-only files) holds `marker`. */
async function filesHold(running: RunningRedis | undefined, marker: Uint8Array): Promise<boolean> {
  for (const node of running?.nodes ?? []) {
    const entries = await readdir(node.dir, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const content = await readFile(join(entry.parentPath, entry.name));
      if (content.indexOf(marker) >= 0) return true;
    }
  }
  return false;
}

/** Appends a marked envelope with its own expiry, and expires it: its bytes leave every file. */
async function expireLeavesNoBytes(
  running: RunningRedis | undefined,
  options: RedisRelayStoreOptions,
): Promise<void> {
  const store = await RedisRelayStore.open({ ...options, keyPrefix: freshPrefix() });
  try {
    const marker = new TextEncoder().encode(`disappearing-${randomBytes(12).toString('hex')}`);
    await store.appendEnvelopes([
      { recipient: newAddress(), sealed: marker, receivedAt: 1, expiresAt: 2 },
    ]);
    // Acknowledged means in the primary's AOF: the check can see the bytes.
    expect(await filesHold(running, marker)).toBe(true);
    expect(await store.expireDue(2)).toBe(1);
    expect(await filesHold(running, marker)).toBe(false);
  } finally {
    await store.close();
  }
}

/** A loopback port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

describe('RedisRelayStore.open', () => {
  it('fails with RELAY_STORE_UNREACHABLE, not a hang, when Redis does not answer', async () => {
    const port = await closedPort();
    const quiet = { connectTimeoutMs: 300, onConnectionError: () => undefined };
    for (const where of [
      { url: `redis://127.0.0.1:${port}` },
      { cluster: [`127.0.0.1:${port}`] },
    ]) {
      const started = Date.now();
      const error: unknown = await RedisRelayStore.open({ ...where, ...quiet }).then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(StoreUnreachableError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'RELAY_STORE_UNREACHABLE' });
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('refuses options it cannot honour', async () => {
    const url = 'redis://127.0.0.1:1';
    await expect(RedisRelayStore.open({ url, keyPrefix: 'a{b}:' })).rejects.toThrow(TypeError);
    await expect(RedisRelayStore.open({ url, minReplicas: -1 })).rejects.toThrow(TypeError);
    await expect(RedisRelayStore.open({ url, replicaTimeoutMs: 0 })).rejects.toThrow(TypeError);
    await expect(RedisRelayStore.open({ url, connectTimeoutMs: 1.5 })).rejects.toThrow(TypeError);
    await expect(RedisRelayStore.open({})).rejects.toThrow(TypeError);
  });
});

describe.skipIf(skip)('RedisRelayStore (standalone)', () => {
  let redis: RunningRedis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
  });
  const options = (): RedisRelayStoreOptions => ({ url: `redis://${redis?.addresses[0] ?? ''}` });

  relayStoreContract('RedisRelayStore (standalone)', harness(options));

  it('writes nothing outside its key prefix, and keeps sealed bytes only as given', async () => {
    const prefix = freshPrefix();
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    const port = Number(redis?.addresses[0]?.split(':')[1]);
    try {
      const before = new Set(redis?.cli(port, '--scan').split('\n').filter(Boolean));
      const p = persona();
      const sealed = bytes(64);
      await store.putPersona(p);
      await store.putPreKeys(p.address, upload(2, 2));
      await store.takePreKeyBundle(p.address);
      await store.putDeliveryKey(p.address, 'ab'.repeat(32), 0);
      await store.appendEnvelopes([{ recipient: p.address, sealed, receivedAt: 1, keyTag: 'k' }]);
      const id = newGroupId();
      await store.appendGroupEntry(operation(id, 0, 'create', { joined: [p.address] }));
      await store.appendGroupEntry(groupMessage(id, 1, 'sealed group message'));
      await store.consumeInviteToken(bytes(16), 1);
      await store.claimSetting('relay-id', bytes(32));
      const written = redis
        ?.cli(port, '--scan')
        .split('\n')
        .filter((key) => key !== '' && !before.has(key));
      expect(written?.length).toBeGreaterThan(10);
      for (const key of written ?? []) expect(key.startsWith(prefix), key).toBe(true);
      // The sealed bytes are stored once, as given, after the store's own fixed header.
      const read = await store.readMailbox(p.address, 0n, 1);
      expect(read[0]?.sealed).toStrictEqual(sealed);
    } finally {
      await store.close();
    }
  });

  it('hands a reader carried envelopes only when they follow the ones it heard of, else wakes it', async () => {
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: freshPrefix() });
    try {
      const inbox = newAddress();
      const heard: (readonly { id: bigint; sealed: Uint8Array }[] | undefined)[] = [];
      const stop = store.subscribeMailbox(inbox, (appended) => heard.push(appended));
      const first = bytes(32);
      const second = bytes(32);
      await store.appendEnvelopes([{ recipient: inbox, sealed: first, receivedAt: 1 }]);
      await waitFor(() => heard.length >= 1, 10_000, 'the first wake-up');
      await store.appendEnvelopes([{ recipient: inbox, sealed: second, receivedAt: 2 }]);
      await waitFor(() => heard.length >= 2, 10_000, 'the second wake-up');
      stop();
      // The first one heard is a bare wake-up (nothing heard before it); the next follows it.
      expect(heard[0]).toBeUndefined();
      expect(heard[1]?.map((envelope) => envelope.id)).toStrictEqual([2n]);
      expect(heard[1]?.[0]?.sealed).toStrictEqual(second);
      expect(decodeMailboxWake(Buffer.from([1, 0, 0]))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('publishes wake-ups that carry only stored bytes: envelopes, or a group id', async () => {
    const prefix = freshPrefix();
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    const listener = new Redis(options().url ?? '');
    try {
      const inbox = newAddress();
      const id = newGroupId();
      const channels = [
        `${prefix}{a:${inbox}}:wake:mb`,
        `${prefix}{a:${inbox}}:wake:groups`,
        `${prefix}{g:${Buffer.from(id).toString('hex')}}:wake`,
      ];
      const heard: [string, string][] = [];
      listener.on('smessageBuffer', (channel: Buffer, message: Buffer) => {
        heard.push([channel.toString(), message.toString('latin1')]);
      });
      await listener.ssubscribe(...channels);
      await store.appendEnvelopes([{ recipient: inbox, sealed: bytes(32), receivedAt: 1 }]);
      await store.appendGroupEntry(operation(id, 0, 'create', { joined: [inbox] }));
      await store.appendGroupEntry(groupMessage(id, 1, 'a sealed group message'));
      await waitFor(() => heard.length >= 4, 10_000, 'four wake-ups');
      // The mailbox's: the envelope exactly as the store holds it, with its id.
      const stored = await listener.hgetBuffer(`${prefix}{a:${inbox}}:mb`, '1');
      if (stored === null) throw new Error('the envelope is not stored');
      const carried = encodeMailboxWake([{ id: 1n, value: stored }]);
      expect(carried).not.toBe('');
      expect(heard).toStrictEqual([
        [channels[0], Buffer.from(carried).toString('latin1')],
        [channels[1], Buffer.from(id).toString('hex')],
        [channels[2], ''],
        [channels[2], ''],
      ]);
    } finally {
      listener.disconnect();
      await store.close();
    }
  });

  it('leaves no expired envelope bytes in its append-only file once expireDue resolves', async () => {
    await expireLeavesNoBytes(redis, options());
  });

  it('rejects every call after close with RELAY_STORE_CLOSED', async () => {
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: freshPrefix() });
    await store.close();
    await expect(store.getPersona(newAddress())).rejects.toMatchObject({
      code: 'RELAY_STORE_CLOSED',
    });
    await expect(store.appendEnvelopes([])).rejects.toMatchObject({ code: 'RELAY_STORE_CLOSED' });
    await store.close();
  });

  it('rejects a write no replica acknowledged: WAIT 1 on a server without replicas', async () => {
    const store = await RedisRelayStore.open({
      ...options(),
      keyPrefix: freshPrefix(),
      minReplicas: 1,
      replicaTimeoutMs: 50,
    });
    try {
      const error: unknown = await store
        .appendEnvelopes([{ recipient: newAddress(), sealed: bytes(8), receivedAt: 1 }])
        .then(
          () => undefined,
          (rejected: unknown) => rejected,
        );
      expect(StoreNotReplicatedError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'RELAY_STORE_NOT_REPLICATED', replicas: 0, required: 1 });
      await expect(store.putPersona(persona())).rejects.toMatchObject({
        code: 'RELAY_STORE_NOT_REPLICATED',
      });
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(skip)('RedisRelayStore (cluster 3+3)', () => {
  let cluster: RunningRedis | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster(3, 1);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const options = (): RedisRelayStoreOptions => ({ cluster: cluster?.addresses ?? [] });
  const firstPort = (): number => Number(cluster?.addresses[0]?.split(':')[1]);

  relayStoreContract('RedisRelayStore (cluster 3+3)', harness(options));

  /** Every key the cluster holds under `prefix` (SCAN on each primary). */
  function keysUnder(prefix: string): string[] {
    const primaries = (cluster?.addresses ?? []).slice(0, 3);
    return primaries.flatMap((address) =>
      (cluster?.cli(Number(address.split(':')[1]), '--scan', '--pattern', `${prefix}*`) ?? '')
        .split('\n')
        .filter(Boolean),
    );
  }

  function slotOf(key: string): string {
    return cluster?.cli(firstPort(), 'cluster', 'keyslot', key) ?? '';
  }

  it('keeps each mailbox and each group in one slot', async () => {
    const prefix = freshPrefix();
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    try {
      const owner = persona();
      const member = newAddress();
      await store.putPersona(owner);
      await store.putPreKeys(owner.address, upload(2, 2));
      await store.putDeliveryKey(owner.address, 'cd'.repeat(32), 0);
      await store.appendEnvelopes([
        { recipient: owner.address, sealed: bytes(16), receivedAt: 1, keyTag: 't', expiresAt: 9 },
      ]);
      const id = newGroupId();
      await store.appendGroupEntry(operation(id, 0, 'create', { joined: [owner.address] }));
      await store.appendGroupEntry(operation(id, 1, 'add', { joined: [member] }));
      await store.appendGroupEntry(groupMessage(id, 2, 'm'));
      await store.putGroupSnapshot(id, { length: 2, bytes: bytes(8) });
      const keys = keysUnder(prefix);
      const ownerKeys = keys.filter((key) => key.includes(`{a:${owner.address}}`));
      const groupKeys = keys.filter((key) =>
        key.includes(`{g:${Buffer.from(id).toString('hex')}}`),
      );
      expect(ownerKeys.length).toBeGreaterThanOrEqual(10);
      expect(groupKeys.length).toBeGreaterThanOrEqual(7);
      expect(new Set(ownerKeys.map(slotOf)).size).toBe(1);
      expect(new Set(groupKeys.map(slotOf)).size).toBe(1);
      // The store groups writes by primary with cluster-key-slot's slot function: it agrees with
      // the cluster's own CLUSTER KEYSLOT.
      for (const key of [...ownerKeys, ...groupKeys, 'no tag', 'a{}b', '{x}{y}', 'é{ü}']) {
        expect(String(clusterKeySlot(key)), key).toBe(slotOf(key));
      }
      // Nothing else: every key belongs to the persona, the member or the group.
      expect(
        keys.filter(
          (key) =>
            !ownerKeys.includes(key) && !groupKeys.includes(key) && !key.includes(`{a:${member}}`),
        ),
      ).toStrictEqual([]);
    } finally {
      await store.close();
    }
  });

  it('lists a group only where the persona has a cursor; forgets an announced join once provably stale', async () => {
    const prefix = freshPrefix();
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    try {
      const someone = newAddress();
      const id = newGroupId();
      const hex = Buffer.from(id).toString('hex');
      const listKey = (address: string): string => `${prefix}{a:${address}}:groups`;
      await store.appendGroupEntry(operation(id, 0, 'create', { joined: [newAddress()] }));
      // A node announced a join at sequence 1, then crashed before appending it: not listed, and
      // kept while the operation could still come.
      await store.redis.zadd(listKey(someone), 1, hex);
      expect(await store.listMemberGroups(someone)).toStrictEqual([]);
      expect(await store.redis.zscore(listKey(someone), hex)).toBe('1');
      // Another node appends that operation: listed.
      await store.appendGroupEntry(operation(id, 1, 'add', { joined: [someone] }));
      expect(await store.listMemberGroups(someone)).toStrictEqual([{ groupId: id, acked: 1 }]);
      // Removed, and done reading: its cursor goes, and the read removes the stale entry.
      await store.appendGroupEntry(operation(id, 2, 'remove', { left: [someone] }));
      expect(await store.ackGroup(id, someone, 99)).toBeUndefined();
      expect(await store.listMemberGroups(someone)).toStrictEqual([]);
      expect(await store.redis.zscore(listKey(someone), hex)).toBeNull();
      // A refused join announced its group first; the log has moved past it, so a read removes it.
      const late = newAddress();
      await expect(
        store.appendGroupEntry(operation(id, 1, 'stale add', { joined: [late] })),
      ).rejects.toMatchObject({ code: 'RELAY_STORE_GROUP_CONFLICT' });
      expect(await store.redis.zscore(listKey(late), hex)).toBe('1');
      expect(await store.listMemberGroups(late)).toStrictEqual([]);
      expect(await store.redis.zscore(listKey(late), hex)).toBeNull();
      // A rejoin raises the score, so the entry cannot be taken for the old one.
      await store.appendGroupEntry(operation(id, 3, 'rejoin', { joined: [someone] }));
      expect(await store.redis.zscore(listKey(someone), hex)).toBe('3');
      expect((await store.listMemberGroups(someone)).map((g) => g.acked)).toStrictEqual([3]);
    } finally {
      await store.close();
    }
  });

  it('keeps atomic steps atomic across two nodes: prekey takes, group appends, claims', async () => {
    const prefix = freshPrefix();
    const nodes = await Promise.all([
      RedisRelayStore.open({ ...options(), keyPrefix: prefix }),
      RedisRelayStore.open({ ...options(), keyPrefix: prefix }),
    ]);
    const [a, b] = nodes;
    try {
      const address = newAddress();
      await a.putPreKeys(address, upload(20, 0));
      const bundles = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).takePreKeyBundle(address)),
      );
      const ids = bundles.flatMap((bundle) =>
        bundle?.preKey === undefined ? [] : [bundle.preKey.id],
      );
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);

      const id = newGroupId();
      const creates = await Promise.allSettled([
        a.appendGroupEntry(operation(id, 0, 'create by a', { joined: [newAddress()] })),
        b.appendGroupEntry(operation(id, 0, 'create by b', { joined: [newAddress()] })),
      ]);
      expect(creates.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const next = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? a : b).appendGroupEntry(operation(id, 1, `op ${i}`)),
        ),
      );
      expect(next.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(await b.groupLogLength(id)).toBe(2);

      const claims = await Promise.all([
        a.claimSetting('issuer', bytes(16)),
        b.claimSetting('issuer', bytes(16)),
      ]);
      expect(claims[0]).toStrictEqual(claims[1]);
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });

  it('wakes a listener on another node: mailbox, group and membership', async () => {
    const prefix = freshPrefix();
    const writer = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    const reader = await RedisRelayStore.open({ ...options(), keyPrefix: prefix });
    const unsubscribes: (() => void)[] = [];
    try {
      const inbox = newAddress();
      const joiner = newAddress();
      const id = newGroupId();
      await writer.appendGroupEntry(operation(id, 0, 'create', { joined: [newAddress()] }));
      const heard: string[] = [];
      unsubscribes.push(
        reader.subscribeMailbox(inbox, (appended) => {
          heard.push(`mailbox ${appended === undefined ? 'empty' : 'entries'}`);
        }),
        reader.subscribeGroup(id, () => {
          heard.push('group');
        }),
        reader.subscribeMemberGroups(joiner, (groupId) => {
          heard.push(`member ${Buffer.from(groupId).equals(Buffer.from(id)) ? 'same' : 'other'}`);
        }),
      );
      // Subscriptions are in place once the reader's wake-ups settle: wait for them via a write
      // of its own that it hears.
      const canary = newAddress();
      let canaryHeard = false;
      unsubscribes.push(
        reader.subscribeMailbox(canary, () => {
          canaryHeard = true;
        }),
      );
      await reader.appendEnvelopes([{ recipient: canary, sealed: bytes(4), receivedAt: 1 }]);
      await waitFor(() => canaryHeard, 10_000, 'the canary');

      await writer.appendEnvelopes([{ recipient: inbox, sealed: bytes(8), receivedAt: 1 }]);
      await waitFor(() => heard.includes('mailbox empty'), 10_000, 'the mailbox wake-up');
      await writer.appendGroupEntry(operation(id, 1, 'add', { joined: [joiner] }));
      await waitFor(
        () => heard.includes('group') && heard.includes('member same'),
        10_000,
        'the group wake-ups',
      );
      expect(heard.filter((event) => event.startsWith('mailbox'))).toStrictEqual(['mailbox empty']);
      // The reader reads what it was woken for from the store.
      expect(await reader.mailboxDepth(inbox)).toBe(1);
      expect(await reader.getGroupCursor(id, joiner)).toStrictEqual({ acked: 1 });
    } finally {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await Promise.all([writer.close(), reader.close()]);
    }
  });

  it("leaves no expired envelope bytes in any node's append-only file once expireDue resolves", async () => {
    await expireLeavesNoBytes(cluster, options());
  });

  it('group-commits concurrent writes to one primary: one WAIT covers many, ids in call order', async () => {
    const store = await RedisRelayStore.open({ ...options(), keyPrefix: freshPrefix() });
    try {
      const inbox = newAddress();
      const before = store.commitStats;
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.appendEnvelopes([{ recipient: inbox, sealed: bytes(16), receivedAt: i }]),
        ),
      );
      const after = store.commitStats;
      expect(after.requests - before.requests).toBe(200);
      expect(after.batches - before.batches).toBeLessThan(20);
      expect(results.map(([id]) => id)).toStrictEqual(
        Array.from({ length: 200 }, (_, i) => BigInt(i + 1)),
      );
      expect(await store.mailboxDepth(inbox)).toBe(200);
    } finally {
      await store.close();
    }
  });

  it('rejects a write when fewer replicas than minReplicas acknowledge it', async () => {
    const store = await RedisRelayStore.open({
      ...options(),
      keyPrefix: freshPrefix(),
      minReplicas: 2,
      replicaTimeoutMs: 100,
    });
    try {
      expect(store.minReplicas).toBe(2);
      const address = newAddress();
      await expect(
        store.appendEnvelopes([{ recipient: address, sealed: bytes(8), receivedAt: 1 }]),
      ).rejects.toMatchObject({ code: 'RELAY_STORE_NOT_REPLICATED', replicas: 1, required: 2 });
      await expect(store.claimSetting('relay-id', bytes(8))).rejects.toMatchObject({
        code: 'RELAY_STORE_NOT_REPLICATED',
      });
    } finally {
      await store.close();
    }
    // With the one replica each primary has, the default (1) acknowledges.
    const acknowledged = await RedisRelayStore.open({ ...options(), keyPrefix: freshPrefix() });
    try {
      expect(acknowledged.minReplicas).toBe(1);
      const [id] = await acknowledged.appendEnvelopes([
        { recipient: newAddress(), sealed: bytes(8), receivedAt: 1 },
      ]);
      expect(id).toBe(1n);
    } finally {
      await acknowledged.close();
    }
  });
});
