// Attachments across relay nodes: three relay nodes on one real Redis Cluster (3 primaries,
// 3 replicas) sharing one blob folder serve every blob from every node. A blob uploaded through
// one node downloads through the others, an upload cut on one node resumes on another, a blob
// fetched by all its recipients or expired is gone from every node, relay-wide and per-persona
// quotas count across nodes, and two real clients on different nodes exchange an attachment.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOB_RECEIVED_HEADER,
  BLOB_TOKEN_HEADER,
  MIN_BLOB_BYTES,
  RelayErrorCode,
  blobBucketSize,
  blobUrl,
  ownedBytes,
  toHex,
} from '../../core/index.js';
import type { wire } from '../../core/index.js';
import { KindredClient } from '../../core/client/index.js';
import { startRelay } from '../../server/index.js';
import type { RelayOptions, RunningRelay } from '../../server/index.js';
import { TcpBalancer } from '../adversarial/TcpBalancer.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  waitFor,
} from '../integration/helpers.js';
import type { RawClient } from './helpers/rawClient.js';
import { redisAvailable, startRedisCluster } from './helpers/redisServers.js';
import type { RunningRedis } from './helpers/redisServers.js';
import { closeAll, connectAs, sleep } from './helpers/sessions.js';
import { TEST_RELAY_DEFAULTS, makeTempDir } from './helpers/testRelay.js';

type Grant = wire.BlobUploadGrant;

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function createBody(size: number, expectedFetches = 1, retentionMs = 0) {
  return {
    case: 'createBlobUpload' as const,
    value: { size: BigInt(size), expectedFetches, retentionMs: BigInt(retentionMs) },
  };
}

function urlOn(node: RunningRelay, g: Grant): string {
  return blobUrl(node.url, g.blobId).toString();
}

function put(node: RunningRelay, g: Grant, bytes: Uint8Array, start = 0): Promise<Response> {
  return fetch(urlOn(node, g), {
    method: 'PUT',
    headers: {
      [BLOB_TOKEN_HEADER]: toHex(g.uploadToken),
      'content-range': `bytes ${start}-${start + bytes.length - 1}/${Number(g.size)}`,
    },
    body: ownedBytes(bytes),
  });
}

async function download(node: RunningRelay, g: Grant): Promise<Response> {
  return fetch(urlOn(node, g));
}

describe.skipIf(!redisAvailable() && process.env.CI === undefined)(
  'blobs on a relay of several nodes',
  () => {
    let redis: RunningRedis;
    const dirs = new TempDirs();
    const running: RunningRelay[] = [];
    const clients: RawClient[] = [];

    beforeAll(async () => {
      redis = await startRedisCluster(3, 1);
    }, 120_000);

    afterAll(async () => {
      await closeAll(...clients.splice(0));
      await Promise.allSettled(running.splice(0).map((relay) => relay.close()));
      await redis.stop();
      await dirs.cleanup();
    });

    /** `count` nodes on the cluster under a fresh key prefix, sharing one fresh blob folder. */
    async function startNodes(count: number, options: Partial<RelayOptions> = {}) {
      const keyPrefix = `b${randomBytes(6).toString('hex')}:`;
      const blobDir = await dirs.make('cluster-blobs');
      const started = await Promise.allSettled(
        Array.from({ length: count }, async (_, index) =>
          startRelay({
            ...TEST_RELAY_DEFAULTS,
            addressRateFactor: 1_000,
            ...options,
            dataDir: await makeTempDir('kindred-blob-node-'),
            blobDir,
            nodeName: `node-${index}`,
            redis: { cluster: redis.addresses, keyPrefix },
          }),
        ),
      );
      const nodes: RunningRelay[] = [];
      for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
      running.push(...nodes);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return { nodes, blobDir };
    }

    function three(nodes: readonly RunningRelay[]): [RunningRelay, RunningRelay, RunningRelay] {
      const [a, b, c] = nodes;
      if (a === undefined || b === undefined || c === undefined) throw new Error('three nodes');
      return [a, b, c];
    }

    async function persona(node: RunningRelay): Promise<RawClient> {
      const { client } = await connectAs(node.url);
      clients.push(client);
      return client;
    }

    let a: RunningRelay;
    let b: RunningRelay;
    let c: RunningRelay;
    let blobDir: string;

    beforeAll(async () => {
      const started = await startNodes(3, {
        sweepIntervalMs: 300,
        metrics: { host: '127.0.0.1', port: 0 },
      });
      [a, b, c] = three(started.nodes);
      blobDir = started.blobDir;
    }, 60_000);

    it('serves a blob uploaded through node A from B and C, then deletes it everywhere once both fetched it', async () => {
      const uploader = await persona(a);
      const g = await uploader.expect(createBody(MIN_BLOB_BYTES, 2), 'blobUploadGrant');
      const bytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
      expect((await put(a, g, bytes)).status).toBe(200);
      for (const node of [b, c]) {
        const response = await download(node, g);
        expect(response.status).toBe(200);
        expect(digest(new Uint8Array(await response.arrayBuffer()))).toBe(digest(bytes));
      }
      // Fetched by both its recipients (through two nodes): gone from every node and the folder.
      const id = toHex(g.blobId);
      await expect
        .poll(async () => (await readdir(blobDir)).filter((name) => name.startsWith(id)))
        .toEqual([]);
      for (const node of [a, b, c]) {
        const after = await download(node, g);
        expect(after.status).toBe(404);
        expect(after.headers.get('kindred-error')).toBe(RelayErrorCode.BlobNotFound);
      }
      // An id never granted: not found on a node either, not an error of the shared store.
      const unknown = await fetch(blobUrl(b.url, new Uint8Array(randomBytes(16))));
      expect([unknown.status, unknown.headers.get('kindred-error')]).toEqual([
        404,
        RelayErrorCode.BlobNotFound,
      ]);
    });

    it('resumes on node B an upload cut half-way on node A', async () => {
      const uploader = await persona(a);
      const size = blobBucketSize(512 * 1024);
      const g = await uploader.expect(createBody(size), 'blobUploadGrant');
      const bytes = new Uint8Array(randomBytes(size));
      const url = new URL(urlOn(a, g));
      const half = Math.floor(size / 2);
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(
            `PUT ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\n${BLOB_TOKEN_HEADER}: ${toHex(
              g.uploadToken,
            )}\r\ncontent-range: bytes 0-${size - 1}/${size}\r\ncontent-length: ${size}\r\n\r\n`,
          );
          socket.write(bytes.subarray(0, half), () => {
            setTimeout(() => {
              socket.destroy();
              resolve();
            }, 200);
          });
        });
        socket.on('error', reject);
      });
      // The uploader asks node B how much the relay holds (A wrote it to the shared folder).
      let held = 0;
      for (let i = 0; i < 100 && held === 0; i++) {
        await sleep(50);
        const head = await fetch(urlOn(b, g), {
          method: 'HEAD',
          headers: { [BLOB_TOKEN_HEADER]: toHex(g.uploadToken) },
        });
        expect(head.status).toBe(200);
        held = Number(head.headers.get(BLOB_RECEIVED_HEADER));
      }
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(half);
      const finished = await put(b, g, bytes.subarray(held), held);
      expect(finished.status).toBe(200);
      expect(await finished.json()).toStrictEqual({ received: size, complete: true });
      const back = await download(c, g);
      expect(back.status).toBe(200);
      expect(digest(new Uint8Array(await back.arrayBuffer()))).toBe(digest(bytes));
    });

    it('deletes an expired blob from every node, by one sweep on the shared store', async () => {
      const uploader = await persona(b);
      const g = await uploader.expect(createBody(MIN_BLOB_BYTES, 5, 1500), 'blobUploadGrant');
      expect((await put(b, g, new Uint8Array(randomBytes(MIN_BLOB_BYTES)))).status).toBe(200);
      expect((await download(c, g)).status).toBe(200);
      const id = toHex(g.blobId);
      expect((await readdir(blobDir)).filter((name) => name.startsWith(id))).toEqual([
        `${id}.blob`,
      ]);
      // Past its expiry: whichever node holds the sweep's lease deletes record and file.
      await expect
        .poll(async () => (await readdir(blobDir)).filter((name) => name.startsWith(id)), {
          timeout: 10_000,
          interval: 200,
        })
        .toEqual([]);
      for (const node of [a, b, c]) expect((await download(node, g)).status).toBe(404);
    });

    it('counts blob quotas across nodes: a persona’s day and the relay’s space', async () => {
      const [qa, qb, qc] = three(
        (await startNodes(3, { maxBlobsPerPersonaPerDay: 2, maxStoredBlobs: 3 })).nodes,
      );
      // One persona moving from node to node: its third blob of the day is refused on C.
      const first = await connectAs(qa.url);
      clients.push(first.client);
      await first.client.expect(createBody(MIN_BLOB_BYTES), 'blobUploadGrant');
      const second = await connectAs(qb.url, first.tester);
      clients.push(second.client);
      await second.client.expect(createBody(MIN_BLOB_BYTES), 'blobUploadGrant');
      const third = await connectAs(qc.url, first.tester);
      clients.push(third.client);
      expect(await third.client.errorCode(createBody(MIN_BLOB_BYTES))).toBe(
        RelayErrorCode.QuotaExceeded,
      );
      // Two blobs stored through A and B, a third by another persona through C: the relay's
      // space (maxStoredBlobs) is full on every node.
      await (await persona(qc)).expect(createBody(MIN_BLOB_BYTES), 'blobUploadGrant');
      for (const node of [qa, qb, qc]) {
        expect(await (await persona(node)).errorCode(createBody(MIN_BLOB_BYTES))).toBe(
          RelayErrorCode.StorageFull,
        );
      }
    });

    it('delivers an attachment between real clients on different nodes behind one balancer', async () => {
      const balancer = await TcpBalancer.start(
        [a, b, c].map((node, index) => ({
          name: `node-${index}`,
          port: node.port,
          healthPort: node.opsPort ?? 0,
        })),
      );
      const opened: KindredClient[] = [];
      try {
        balancer.prefer = 'node-0';
        const ada = await newClient(dirs, balancer.url, 'Ada');
        opened.push(ada);
        await ada.start({ receive: true });
        balancer.prefer = 'node-1';
        const benHome = await dirs.make('home');
        const ben = await newClient(dirs, balancer.url, 'Ben', { home: benHome });
        opened.push(ben);
        await ben.start({ receive: true });
        await connectPair(ada, ben, { aliasForA: 'ada' });
        // Ben is away while Ada uploads through node 0.
        await ben.close();
        balancer.prefer = 'node-0';
        const file = join(await dirs.make('files'), 'scan.bin');
        await writeFile(file, randomBytes(200 * 1024));
        const sent = await ada.send(ben.address, 'the scan', {
          attachments: [file],
          sendUncleaned: true,
        });
        await ada.flushOutbox(20_000);
        // Ben comes back through node 1: the message and its blob come from there.
        balancer.prefer = 'node-1';
        const back = await KindredClient.open({
          home: benHome,
          passphrase: PASSPHRASE,
          ...TEST_CLIENT_OPTIONS,
        });
        opened.push(back);
        await back.start({ receive: true });
        const arrived = async () =>
          messagesOf(await back.messages('ada')).find(
            (m) => toHex(m.messageId) === toHex(sent.messageId),
          );
        await waitFor(
          async () => (await arrived())?.attachments?.[0]?.state === 'downloaded',
          30_000,
          'the attachment downloaded through node 1',
        );
        const saved = join(await dirs.make('saved'), 'scan.bin');
        await back.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 0, saved);
        expect(digest(await readFile(saved))).toBe(digest(await readFile(file)));
        expect(balancer.connectionsTo('node-1')).toBeGreaterThan(0);
        await rm(file, { force: true });
      } finally {
        await Promise.allSettled(opened.map((client) => client.close()));
        await balancer.close();
      }
    }, 60_000);
  },
);
