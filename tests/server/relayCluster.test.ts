// Several relay nodes on one real Redis Cluster (3 primaries, 3 replicas, started once for the
// file) are one relay to clients: one identity, one connection per persona across nodes, shared
// rate limits, quotas and slow mode, and group caches that never act on a stale head.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIN_BLOB_BYTES, RelayErrorCode, fromBase64Url, toBase64Url } from '../../core/index.js';
import {
  OPERATOR_KEY_FILE,
  TRUST_ROOT_KEY_FILE,
  RelayCloseCode,
  MemoryRelayStore,
  issueRelayInviteToken,
  resolveRelayOptions,
  startRelay,
} from '../../server/index.js';
import type { RelayOptions, RunningRelay } from '../../server/index.js';
import { TestGroup, act } from './helpers/groups.js';
import { authBody, newTestPersona, sendBody } from './helpers/personas.js';
import { RawClient } from './helpers/rawClient.js';
import { redisAvailable, startRedisCluster } from './helpers/redisServers.js';
import type { RunningRedis } from './helpers/redisServers.js';
import { closeAll, connectAs, sleep } from './helpers/sessions.js';
import type { Session } from './helpers/sessions.js';
import { TEST_RELAY_DEFAULTS, makeTempDir } from './helpers/testRelay.js';

const BIN = fileURLToPath(new URL('../../bin/kindred-server.js', import.meta.url));

/** Runs kindred-server to its end. */
function runCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kindred-server ${args.join(' ')} did not exit`));
    }, 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!redisAvailable() && process.env.CI === undefined)(
  'a relay of several nodes',
  () => {
    let redis: RunningRedis;
    const running: RunningRelay[] = [];
    const folders: string[] = [];

    beforeAll(async () => {
      redis = await startRedisCluster(3, 1);
    }, 120_000);

    afterEach(async () => {
      await Promise.all(running.splice(0).map((relay) => relay.close()));
      await Promise.all(
        folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
      );
    });

    afterAll(async () => {
      await redis.stop();
    });

    /** `count` relay nodes on the cluster under one fresh key prefix, started at once. */
    async function startNodes(count: number, options: Partial<RelayOptions> = {}) {
      const keyPrefix = `t${randomBytes(6).toString('hex')}:`;
      const parents = await Promise.all(
        Array.from({ length: count }, () => makeTempDir('kindred-node-test-')),
      );
      folders.push(...parents);
      // Folders that do not exist yet: a node makes its own (the issuer's key is written there).
      const dataDirs = parents.map((parent) => join(parent, 'node'));
      const started = await Promise.allSettled(
        dataDirs.map((dataDir, index) =>
          startRelay({
            ...TEST_RELAY_DEFAULTS,
            ...options,
            dataDir,
            nodeName: `node-${index}`,
            redis: { cluster: redis.addresses, keyPrefix },
          }),
        ),
      );
      const nodes: RunningRelay[] = [];
      for (const result of started) {
        if (result.status === 'fulfilled') nodes.push(result.value);
      }
      running.push(...nodes);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return { nodes, dataDirs, keyPrefix };
    }

    function pair<T>(items: readonly T[]): [T, T] {
      const [first, second] = items;
      if (first === undefined || second === undefined) throw new Error('two expected');
      return [first, second];
    }

    it('gives nodes started at once on an empty cluster one relay id and trust root', async () => {
      const { nodes, dataDirs } = await startNodes(3);
      // The node whose issuer won keeps the trust root's private key; the others have none.
      expect(
        dataDirs.filter((dataDir) => existsSync(join(dataDir, TRUST_ROOT_KEY_FILE))),
      ).toHaveLength(1);
      const [first, ...others] = nodes;
      if (first === undefined) throw new Error('no node');
      for (const node of others) {
        expect(node.relayId).toStrictEqual(first.relayId);
        expect(node.trustRoot).toStrictEqual(first.trustRoot);
      }
      // What clients pin is what every node says in its challenge.
      const probes = await Promise.all(nodes.map((node) => RawClient.connect(node.url)));
      for (const probe of probes) {
        expect(probe.challenge.relayId).toStrictEqual(first.relayId);
        expect(probe.challenge.trustRoot).toStrictEqual(first.trustRoot);
      }
      await closeAll(...probes);
    });

    it('checks invite tokens against one operator key on every node', async () => {
      const { nodes, dataDirs } = await startNodes(2, { registration: 'invite' });
      // Started at once, one node's key was kept; the other's folder holds none.
      const holders = dataDirs.filter((dir) => existsSync(join(dir, OPERATOR_KEY_FILE)));
      expect(holders).toHaveLength(1);
      const [holder] = holders;
      if (holder === undefined) return;
      for (const node of nodes) {
        const token = await issueRelayInviteToken(holder, { maxUses: 1, expiresAt: 0 });
        const { client } = await connectAs(node.url, newTestPersona(), { kind: 'invite', token });
        await client.expect({ case: 'ping', value: {} }, 'pong');
        await client.close();
      }
    });

    it('mints invite tokens from the command line only with the relay’s operator key', async () => {
      const { nodes, dataDirs, keyPrefix } = await startNodes(2, { registration: 'invite' });
      const holder = dataDirs.find((dir) => existsSync(join(dir, OPERATOR_KEY_FILE)));
      const other = dataDirs.find((dir) => dir !== holder);
      if (holder === undefined || other === undefined) throw new Error('no key holder');
      const store = ['--store-cluster', redis.addresses.join(','), '--store-key-prefix', keyPrefix];
      const refused = await runCli(['invite-token', '--data', other, ...store]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^kindred-server: .*operator\.key/);
      // Nothing was created that would later stop this node from starting.
      expect(existsSync(join(other, OPERATOR_KEY_FILE))).toBe(false);
      const minted = await runCli(['invite-token', '--data', holder, ...store]);
      expect(minted.code, minted.stderr).toBe(0);
      const token = fromBase64Url(minted.stdout.trim());
      if (token === undefined) throw new Error('no token');
      const { client } = await connectAs(pair(nodes)[1].url, newTestPersona(), {
        kind: 'invite',
        token,
      });
      await client.close();
    }, 60_000);

    it('refuses to start a node whose operator key is not the relay one', async () => {
      const { keyPrefix } = await startNodes(1, { registration: 'invite' });
      const stranger = await makeTempDir('kindred-node-test-');
      folders.push(stranger);
      // A key of its own, as if the operator forgot to copy the relay's.
      await issueRelayInviteToken(stranger, { maxUses: 1, expiresAt: 0 });
      await expect(
        startRelay({
          ...TEST_RELAY_DEFAULTS,
          dataDir: stranger,
          registration: 'invite',
          redis: { cluster: redis.addresses, keyPrefix },
        }),
      ).rejects.toMatchObject({ code: 'RELAY_CONFIG_INVALID' });
    });

    it('closes a persona’s connection on node A when it connects on node B', async () => {
      const [a, b] = pair((await startNodes(2)).nodes);
      const tester = newTestPersona();
      const onA = await connectAs(a.url, tester);
      const onB = await connectAs(b.url, tester);
      expect((await onA.client.waitClosed()).code).toBe(RelayCloseCode.Replaced);
      await onB.client.expect({ case: 'ping', value: {} }, 'pong');
      // And back: the newest connection wins whichever node it is on.
      const againOnA = await connectAs(a.url, tester);
      expect((await onB.client.waitClosed()).code).toBe(RelayCloseCode.Replaced);
      await againOnA.client.expect({ case: 'ping', value: {} }, 'pong');
      await againOnA.client.close();
    });

    it('keeps exactly one of two connections that authenticate at once on two nodes', async () => {
      const [a, b] = pair((await startNodes(2)).nodes);
      const tester = newTestPersona();
      // Registered first, so both attempts below are plain authentications racing each other.
      await (await connectAs(a.url, tester)).client.close();
      const authenticating = async (url: string): Promise<RawClient> => {
        const client = await RawClient.connect(url);
        client.send(authBody(client, tester));
        return client;
      };
      const [onA, onB] = await Promise.all([authenticating(a.url), authenticating(b.url)]);
      // The older claim is closed, perhaps before its authOk went out; the newer one stays.
      await vi.waitFor(
        () => {
          expect([onA.isOpen, onB.isOpen].filter(Boolean)).toHaveLength(1);
        },
        { timeout: 10_000, interval: 50 },
      );
      const [survivor, loser] = onA.isOpen ? [onA, onB] : [onB, onA];
      expect(loser.closeInfo?.code).toBe(RelayCloseCode.Replaced);
      await survivor.next((frame) => frame.body.case === 'authOk');
      await survivor.expect({ case: 'ping', value: {} }, 'pong');
      // And it stays: nothing else closes it.
      await sleep(300);
      expect(survivor.isOpen).toBe(true);
      await closeAll(onA, onB);
    });

    it('shares an address’s rate across nodes', async () => {
      const [a, b] = pair(
        (await startNodes(2, { maxGroupLogFetchesPerMinute: 3, addressRateFactor: 1 })).nodes,
      );
      const unknown = new TestGroup();
      const onA = await RawClient.connect(a.url);
      const onB = await RawClient.connect(b.url);
      expect(await onA.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      expect(await onB.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      expect(await onA.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      // Three fetches spent the minute's three, whichever node took them.
      expect(await onB.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      expect(await onA.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      await closeAll(onA, onB);
    });

    it('holds an address hammering two of three nodes at once to the relay-wide per-second rate', async () => {
      const rate = 20;
      const hammerMs = 4000;
      const nodes = await startNodes(3, {
        maxFramesPerSecond: rate,
        addressRateFactor: 1,
        maxGroupLogFetchesPerMinute: 0,
      });
      const [a, b] = pair(nodes.nodes);
      const unknown = new TestGroup();
      const clients = [await RawClient.connect(a.url), await RawClient.connect(b.url)];
      let admitted = 0;
      let refused = 0;
      const started = Date.now();
      // Four requests in flight per connection, for hammerMs: far more than the rate asks for.
      await Promise.all(
        clients.flatMap((client) =>
          Array.from({ length: 4 }, async () => {
            while (Date.now() - started < hammerMs) {
              const code = await client.errorCode(unknown.fetchBody(0));
              if (code === RelayErrorCode.RateLimited) refused += 1;
              else if (code === RelayErrorCode.GroupNotFound) admitted += 1;
              else throw new Error(`unexpected ${code}`);
            }
          }),
        ),
      );
      const seconds = (Date.now() - started) / 1000;
      // At most `rate` in each window the run touched. Counted per node, each of the two would
      // admit `rate` a second: at least 2 × 20 × 4 = 160, above this bound (at most 120).
      expect(admitted).toBeLessThanOrEqual(rate * (Math.ceil(seconds) + 1));
      // And not starved: in each whole window at least the rate less one node's unused lease.
      expect(admitted).toBeGreaterThanOrEqual((rate - rate / 10) * (Math.floor(seconds) - 1));
      expect(refused).toBeGreaterThan(0);
      await closeAll(...clients);
    }, 30_000);

    it('bounds one address’s open connections across nodes', async () => {
      const [a, b] = pair((await startNodes(2, { maxConnectionsPerAddress: 2 })).nodes);
      const first = await RawClient.connect(a.url);
      const second = await RawClient.connect(b.url);
      // Each node holds one: a third, on either, is one too many for the relay.
      for (const url of [a.url, b.url]) {
        const third = await RawClient.connect(url);
        const [refusal] = third.pending();
        expect(refusal?.body.case === 'error' && refusal.body.value.code).toBe(
          RelayErrorCode.TooManyConnections,
        );
        expect((await third.waitClosed()).code).toBe(RelayCloseCode.TooManyConnections);
      }
      // A closed connection frees its place for the whole relay.
      await first.close();
      await vi.waitFor(
        async () => {
          const again = await RawClient.connect(b.url);
          const admitted = again.isOpen && again.pending().length === 0;
          await again.close();
          expect(admitted).toBe(true);
        },
        { timeout: 5000, interval: 100 },
      );
      await closeAll(second);
    });

    it('shares a persona’s daily quota across nodes', async () => {
      const [a, b] = pair((await startNodes(2, { maxGroupsCreatedPerPersonaPerDay: 2 })).nodes);
      const owner = newTestPersona();
      const first = await connectAs(a.url, owner);
      await new TestGroup().create(first.client, owner);
      const second = await connectAs(b.url, owner);
      await new TestGroup().create(second.client, owner);
      const third = await connectAs(a.url, owner);
      const refused = await third.client.expect(
        {
          case: 'submitGroupOperation',
          value: { operation: new TestGroup().createOperation(owner) },
        },
        'error',
      );
      expect(refused.code).toBe(RelayErrorCode.QuotaExceeded);
      expect(refused.retryAfterMs).toBeGreaterThan(23 * 3_600_000);
      await closeAll(first.client, second.client, third.client);
    });

    it('shares a persona’s daily blob quota across nodes', async () => {
      const [a, b] = pair((await startNodes(2, { maxBlobsPerPersonaPerDay: 1 })).nodes);
      const tester = newTestPersona();
      const grantBody = {
        case: 'createBlobUpload' as const,
        value: { size: BigInt(MIN_BLOB_BYTES), expectedFetches: 1, retentionMs: 0n },
      };
      const onA = await connectAs(a.url, tester);
      await onA.client.expect(grantBody, 'blobUploadGrant');
      const onB = await connectAs(b.url, tester);
      expect(await onB.client.errorCode(grantBody)).toBe(RelayErrorCode.QuotaExceeded);
      await closeAll(onA.client, onB.client);
    });

    /** A group created on `node` with one member besides its owner, both still connected there. */
    async function groupOn(
      node: RunningRelay,
      policy?: Parameters<TestGroup['create']>[2],
    ): Promise<{ group: TestGroup; owner: Session; member: Session }> {
      const group = new TestGroup();
      const owner = await connectAs(node.url);
      await group.create(owner.client, owner.tester, policy);
      const member = await connectAs(node.url);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      return { group, owner, member };
    }

    it('holds slow mode across nodes', async () => {
      const [a, b] = pair((await startNodes(2)).nodes);
      const { group, owner, member } = await groupOn(a, { slowModeSeconds: 60 });
      await group.post(member.client, 'first, on node A');
      const onB = await connectAs(b.url, member.tester);
      const refused = await onB.client.expect(group.postBody('second, on node B'), 'error');
      expect(refused.code).toBe(RelayErrorCode.GroupSlowMode);
      expect(refused.retryAfterMs).toBeGreaterThan(50_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      // Moderators keep their pace on any node.
      const ownerOnB = await connectAs(b.url, owner.tester);
      await group.post(ownerOnB.client, 'owner on B');
      await group.post(ownerOnB.client, 'owner on B again');
      await closeAll(owner.client, member.client, onB.client, ownerOnB.client);
    });

    it('never accepts a write against the head a stale node cached, and serves the new one', async () => {
      const [a, b] = pair((await startNodes(2)).nodes);
      const { group, owner, member } = await groupOn(a);
      const memberOnB = await connectAs(b.url, member.tester);
      // Node B caches the group at this head.
      await group.post(memberOnB.client, 'cached on B');
      const staleLength = group.logLength;
      const staleState = group.state;
      // Node A appends a mute; B's cache knows nothing of it.
      await group.run(
        owner.client,
        owner.tester,
        act.mute(member.tester.address, Date.now() + 3_600_000),
      );
      expect(group.logLength).toBe(staleLength + 1);
      // Against the head B cached: refused by the store's conditional append, not appended.
      expect(await memberOnB.client.errorCode(group.postBody('as if unmuted', staleLength))).toBe(
        RelayErrorCode.GroupStale,
      );
      // Against the new head: B catches up and enforces the mute.
      expect(await memberOnB.client.errorCode(group.postBody('after the mute'))).toBe(
        RelayErrorCode.GroupMuted,
      );
      // B serves the log with the mute in it.
      const page = await memberOnB.client.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(page.logLength)).toBe(group.logLength);
      expect(page.operations).toHaveLength(group.logLength);
      // An operation signed on the stale head is refused on B as well.
      const ownerOnB = await connectAs(b.url, owner.tester);
      const stale = group.sign(owner.tester, act.setInfo(), { state: staleState });
      const refused = await ownerOnB.client.expect(
        { case: 'submitGroupOperation', value: { operation: stale } },
        'error',
      );
      expect(refused.code).toBe(RelayErrorCode.GroupConflict);
      await closeAll(owner.client, member.client, memberOnB.client, ownerOnB.client);
    });

    it(
      'serves from the command line with --store-cluster, as the same relay',
      { timeout: 60_000 },
      async () => {
        const { nodes, keyPrefix } = await startNodes(1);
        const [inProcess] = nodes;
        if (inProcess === undefined) return;
        const dataDir = await makeTempDir('kindred-node-test-');
        folders.push(dataDir);
        const child = spawn(process.execPath, [
          BIN,
          '--data',
          dataDir,
          '--port',
          '0',
          '--store-cluster',
          redis.addresses.slice(0, 2).join(','),
          '--store-key-prefix',
          keyPrefix,
          '--node-name',
          'cli-node',
          '--pow-difficulty',
          '6',
          '--log-level',
          'info',
        ]);
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
        try {
          const line = await new Promise<{ url: string; trustRoot: string }>((resolve, reject) => {
            let stdout = '';
            child.stdout.on('data', (chunk: Buffer) => {
              stdout += chunk.toString('utf8');
              const newline = stdout.indexOf('\n');
              if (newline >= 0)
                resolve(JSON.parse(stdout.slice(0, newline)) as { url: string; trustRoot: string });
            });
            void exited.then((code) => {
              reject(new Error(`exited with ${code}: ${stderr}`));
            });
          });
          expect(line.trustRoot).toBe(toBase64Url(inProcess.trustRoot));
          const tester = newTestPersona();
          const onCli = await connectAs(line.url, tester);
          const onOther = await connectAs(inProcess.url, tester);
          expect((await onCli.client.waitClosed()).code).toBe(RelayCloseCode.Replaced);
          await onOther.client.close();
        } finally {
          child.kill('SIGTERM');
          expect(await exited).toBe(0);
        }
        // Logs carry the node's name, never the persona.
        expect(stderr).toContain('"node":"cli-node"');
      },
    );

    it('runs the disappearing sweep on one node, under a lease, for the whole relay', async () => {
      const { nodes, keyPrefix } = await startNodes(2, {
        minDisappearingSeconds: 1,
        disappearingSweepIntervalMs: 200,
      });
      const [a, b] = pair(nodes);
      const bob = newTestPersona();
      await (await connectAs(b.url, bob)).client.close();
      const sender = await RawClient.connect(a.url);
      const timed = sendBody(bob, Uint8Array.of(1, 1, 1));
      if (timed.case !== 'sendEnvelope') throw new Error('not a send');
      await sender.expect(
        { case: 'sendEnvelope', value: { ...timed.value, expiresInSeconds: 1 } },
        'sendAck',
      );
      await sender.expect(sendBody(bob, Uint8Array.of(2, 2, 2)), 'sendAck');
      await sender.close();
      // One node holds the lease (its random id), renewed while it runs.
      const [primary] = redis.addresses;
      const port = Number(primary?.split(':')[1]);
      const holder = redis.cli(port, '-c', 'GET', `${keyPrefix}lease:disappearing`);
      expect(holder).toMatch(/^[0-9a-f]{16}$/);
      // Past the timer and a few sweeps, only the untimed envelope is left, on either node.
      await sleep(2500);
      const { client } = await connectAs(b.url, bob);
      const [only] = await client.deliveries(1);
      expect(only?.sealed).toStrictEqual(Uint8Array.of(2, 2, 2));
      await sleep(300);
      expect(client.pending().filter((frame) => frame.body.case === 'deliver')).toHaveLength(0);
      await client.close();
    });

    it('knows on node B a persona that registered on node A', async () => {
      const [a, b] = pair((await startNodes(2, { registration: 'open' })).nodes);
      const tester = newTestPersona();
      const onA = await RawClient.connect(a.url);
      await onA.expect(authBody(onA, tester, { register: true }), 'authOk');
      const onB = await RawClient.connect(b.url);
      const ok = await onB.expect(authBody(onB, tester, { register: false }), 'authOk');
      expect(ok.registeredNow).toBe(false);
      await closeAll(onA, onB);
    });

    // Last in the file: it pauses every replica.
    it('refuses a send no replica took as unavailable (retried), never acknowledges it', async () => {
      const [a] = pair((await startNodes(2)).nodes);
      const bob = newTestPersona();
      await (await connectAs(a.url, bob)).client.close();
      const sender = await RawClient.connect(a.url);
      await sender.expect(sendBody(bob, Uint8Array.of(1)), 'sendAck');
      const replicas = redis.nodes.slice(3);
      for (const replica of replicas) replica.process.kill('SIGSTOP');
      try {
        // The primary takes and fsyncs it, but no replica answers WAIT within its timeout.
        const answer = await sender.request(sendBody(bob, Uint8Array.of(2)), 20_000);
        expect(answer.body.case).toBe('error');
        if (answer.body.case === 'error') {
          expect(answer.body.value.code).toBe(RelayErrorCode.Unavailable);
        }
      } finally {
        for (const replica of replicas) replica.process.kill('SIGCONT');
      }
      await sender.close();
    }, 60_000);
  },
);

describe('the options of a relay on Redis', () => {
  it('refuses what cannot work with RELAY_CONFIG_INVALID, before connecting', () => {
    const refused: RelayOptions[] = [
      { redis: {} },
      { redis: { url: 'redis://127.0.0.1:6379', cluster: ['127.0.0.1:7000'] } },
      { redis: { url: 'http://127.0.0.1:6379' } },
      { redis: { cluster: ['127.0.0.1'] } },
      { redis: { cluster: ['127.0.0.1:0'] } },
      { redis: { cluster: ['h:1'], keyPrefix: 'a{b}:' } },
      { redis: { cluster: ['h:1'], keyPrefix: '' } },
      { redis: { cluster: ['h:1'], minReplicas: -1 } },
      { redis: { cluster: ['h:1'], minReplicas: 1.5 } },
      { redis: { cluster: ['h:1'], minReplicas: 17 } },
      { redis: { cluster: ['h:1'], replicaTimeoutMs: 0 } },
      { redis: { cluster: ['h:1'] }, store: new MemoryRelayStore() },
      { redis: { cluster: ['h:1'] }, nodeName: 'two words' },
      { redis: { cluster: ['h:1'] }, nodeName: 'x'.repeat(65) },
    ];
    for (const options of refused) {
      expect(() => resolveRelayOptions(options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'RELAY_CONFIG_INVALID' }),
      );
    }
  });

  it('takes a Redis store instead of a data folder, and keeps node choices', () => {
    const resolved = resolveRelayOptions({
      redis: { cluster: ['10.0.0.1:6379', '[::1]:7000'], keyPrefix: 'relay:', minReplicas: 2 },
      blobDir: '/srv/blobs',
      nodeName: 'node-1',
    });
    expect(resolved.dataDir).toBeUndefined();
    expect(resolved.redis?.cluster).toStrictEqual(['10.0.0.1:6379', '[::1]:7000']);
    expect(resolved.blobDir).toBe('/srv/blobs');
    expect(resolved.nodeName).toBe('node-1');
  });
});
