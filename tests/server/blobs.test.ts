// The relay's blob store over real HTTP on 127.0.0.1, with real files in a real data folder.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
import type { RawClient } from './helpers/rawClient.js';
import { connectAs, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

type Grant = wire.BlobUploadGrant;

const relays: TestRelay[] = [];
const clients: RawClient[] = [];

async function relayWith(options: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const relay = await startTestRelay(options);
  relays.push(relay);
  return relay;
}

async function persona(relay: TestRelay): Promise<RawClient> {
  const { client } = await connectAs(relay.url);
  clients.push(client);
  return client;
}

function createBody(size: number, expectedFetches = 1, retentionMs = 0) {
  return {
    case: 'createBlobUpload' as const,
    value: { size: BigInt(size), expectedFetches, retentionMs: BigInt(retentionMs) },
  };
}

async function grant(client: RawClient, size: number, expectedFetches = 1, retentionMs = 0) {
  return client.expect(createBody(size, expectedFetches, retentionMs), 'blobUploadGrant');
}

function urlOf(relay: TestRelay, g: Grant): string {
  return blobUrl(relay.url, g.blobId).toString();
}

async function put(
  relay: TestRelay,
  g: Grant,
  bytes: Uint8Array,
  start = 0,
  token: string = toHex(g.uploadToken),
): Promise<Response> {
  return fetch(urlOf(relay, g), {
    method: 'PUT',
    headers: {
      [BLOB_TOKEN_HEADER]: token,
      'content-range': `bytes ${start}-${start + bytes.length - 1}/${Number(g.size)}`,
    },
    body: ownedBytes(bytes),
  });
}

/** Large arrays compared by hash: a byte-by-byte deep equality of megabytes takes seconds. */
function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { code: string }).code;
}

/** Files of the relay's blob folder, by suffix. */
async function blobFiles(relay: TestRelay): Promise<string[]> {
  return (await readdir(join(relay.dataDir, 'blobs'))).sort();
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(relays.splice(0).map((relay) => relay.dispose()));
});

describe('blob upload grants', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ maxBlobBytes: 1024 * 1024, maxBlobsPerPersonaPerDay: 3 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('grant a random 16-byte id and a 32-byte token for a bucket size', async () => {
    const client = await persona(relay);
    const a = await grant(client, MIN_BLOB_BYTES);
    const b = await grant(client, MIN_BLOB_BYTES);
    expect(a.blobId).toHaveLength(16);
    expect(a.uploadToken).toHaveLength(32);
    expect(toHex(a.blobId)).not.toBe(toHex(b.blobId));
    expect(Number(a.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('refuse sizes that are not a bucket size with RELAY_BLOB_BAD_SIZE', async () => {
    const client = await persona(relay);
    expect(await client.errorCode(createBody(MIN_BLOB_BYTES + 1))).toBe(RelayErrorCode.BlobBadSize);
    expect(await client.errorCode(createBody(1000))).toBe(RelayErrorCode.BlobBadSize);
  });

  it('refuse blobs over maxBlobBytes with RELAY_BLOB_TOO_LARGE', async () => {
    const client = await persona(relay);
    const tooBig = blobBucketSize(2 * 1024 * 1024);
    expect(await client.errorCode(createBody(tooBig))).toBe(RelayErrorCode.BlobTooLarge);
  });

  it('charge the persona a daily blob count (RELAY_QUOTA_EXCEEDED beyond it)', async () => {
    const client = await persona(relay);
    for (let i = 0; i < 3; i++) await grant(client, MIN_BLOB_BYTES);
    expect(await client.errorCode(createBody(MIN_BLOB_BYTES))).toBe(RelayErrorCode.QuotaExceeded);
  });

  it('refuse anonymous connections with RELAY_AUTH_REQUIRED', async () => {
    const { RawClient: Raw } = await import('./helpers/rawClient.js');
    const anonymous = await Raw.connect(relay.url);
    clients.push(anonymous);
    expect(await anonymous.errorCode(createBody(MIN_BLOB_BYTES))).toBe(RelayErrorCode.AuthRequired);
  });
});

describe('blob storage caps', () => {
  it('refuse a grant beyond maxStoredBlobs with RELAY_STORAGE_FULL', async () => {
    const relay = await relayWith({ maxStoredBlobs: 2 });
    const client = await persona(relay);
    await grant(client, MIN_BLOB_BYTES);
    await grant(client, MIN_BLOB_BYTES);
    expect(await client.errorCode(createBody(MIN_BLOB_BYTES))).toBe(RelayErrorCode.StorageFull);
  });

  it('refuse a grant beyond the daily bytes of a persona with RELAY_QUOTA_EXCEEDED', async () => {
    const relay = await relayWith({ maxBlobBytesPerPersonaPerDay: 3 * MIN_BLOB_BYTES });
    const client = await persona(relay);
    await grant(client, 2 * MIN_BLOB_BYTES);
    expect(await client.errorCode(createBody(2 * MIN_BLOB_BYTES))).toBe(
      RelayErrorCode.QuotaExceeded,
    );
    // The refused grant took nothing: one more of the size that is left still fits.
    await grant(client, MIN_BLOB_BYTES);
  });
});

describe('blob HTTP routes', () => {
  it('upload, then serve whole and by range; the folder holds exactly the bytes', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES, 2);
    const bytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    const done = await put(relay, g, bytes);
    expect(done.status).toBe(200);
    expect(done.headers.get(BLOB_RECEIVED_HEADER)).toBe(String(MIN_BLOB_BYTES));
    const id = toHex(g.blobId);
    expect(await blobFiles(relay)).toEqual([`${id}.blob`, `${id}.json`]);
    const ranged = await fetch(urlOf(relay, g), { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(digest(new Uint8Array(await ranged.arrayBuffer()))).toBe(
      digest(bytes.subarray(100, 200)),
    );
    const whole = await fetch(urlOf(relay, g));
    expect(whole.status).toBe(200);
    expect(digest(new Uint8Array(await whole.arrayBuffer()))).toBe(digest(bytes));
  });

  it('answer bad requests with coded errors', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES);
    const half = new Uint8Array(randomBytes(MIN_BLOB_BYTES / 2));
    // Wrong token.
    const wrong = await put(relay, g, half, 0, toHex(new Uint8Array(randomBytes(32))));
    expect([wrong.status, await codeOf(wrong)]).toEqual([403, RelayErrorCode.BlobTokenInvalid]);
    // No token.
    const none = await fetch(urlOf(relay, g), { method: 'PUT', body: half });
    expect(await codeOf(none)).toBe(RelayErrorCode.BlobTokenInvalid);
    // A range that is not the blob's.
    const badRange = await fetch(urlOf(relay, g), {
      method: 'PUT',
      headers: { [BLOB_TOKEN_HEADER]: toHex(g.uploadToken), 'content-range': 'bytes 0-9/99' },
      body: new Uint8Array(10),
    });
    expect(await codeOf(badRange)).toBe(RelayErrorCode.BlobBadRange);
    // Incomplete blobs are not served.
    expect((await put(relay, g, half)).status).toBe(200);
    const early = await fetch(urlOf(relay, g));
    expect([early.status, await codeOf(early)]).toEqual([409, RelayErrorCode.BlobIncomplete]);
    // A gap after what the relay holds.
    const gap = await put(relay, g, new Uint8Array(10), MIN_BLOB_BYTES / 2 + 10);
    expect(await codeOf(gap)).toBe(RelayErrorCode.BlobBadRange);
    expect(gap.headers.get(BLOB_RECEIVED_HEADER)).toBe(String(MIN_BLOB_BYTES / 2));
    // Unknown id, and a path that is no blob id.
    const unknown = await fetch(blobUrl(relay.url, new Uint8Array(16)).toString());
    expect([unknown.status, await codeOf(unknown)]).toEqual([404, RelayErrorCode.BlobNotFound]);
    const junk = await fetch(new URL('/v1/blobs/relay.db', relay.url.replace('ws', 'http')));
    expect(await codeOf(junk)).toBe(RelayErrorCode.BlobBadRequest);
    // An upload in progress is invisible to anyone without its token.
    const head = await fetch(urlOf(relay, g), { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('resume an upload cut mid-way from what the relay holds', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const size = blobBucketSize(1024 * 1024);
    const g = await grant(client, size);
    const bytes = new Uint8Array(randomBytes(size));
    // Headers for the whole blob, then 300 KiB of it, then the connection is cut.
    const url = new URL(urlOf(relay, g));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `PUT ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\n${BLOB_TOKEN_HEADER}: ${toHex(
            g.uploadToken,
          )}\r\ncontent-range: bytes 0-${size - 1}/${size}\r\ncontent-length: ${size}\r\n\r\n`,
        );
        socket.write(bytes.subarray(0, 300 * 1024), () => {
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 200);
        });
      });
      socket.on('error', reject);
    });
    let held = 0;
    for (let i = 0; i < 50 && held === 0; i++) {
      await sleep(50);
      const head = await fetch(urlOf(relay, g), {
        method: 'HEAD',
        headers: { [BLOB_TOKEN_HEADER]: toHex(g.uploadToken) },
      });
      held = Number(head.headers.get(BLOB_RECEIVED_HEADER));
    }
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(300 * 1024);
    expect((await put(relay, g, bytes.subarray(held), held)).status).toBe(200);
    const back = new Uint8Array(await (await fetch(urlOf(relay, g))).arrayBuffer());
    expect(digest(back)).toBe(digest(bytes));
  });

  it('store a blob for 20 members once, serve it 20 times, then delete it', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES, 20);
    const bytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    expect((await put(relay, g, bytes)).status).toBe(200);
    expect((await blobFiles(relay)).filter((name) => name.endsWith('.blob'))).toHaveLength(1);
    for (let member = 0; member < 20; member++) {
      const response = await fetch(urlOf(relay, g));
      expect(response.status).toBe(200);
      expect(digest(new Uint8Array(await response.arrayBuffer()))).toBe(digest(bytes));
      if (member < 19) {
        expect((await blobFiles(relay)).filter((name) => name.endsWith('.blob'))).toHaveLength(1);
      }
    }
    await expect.poll(() => blobFiles(relay)).toEqual([]);
    const after = await fetch(urlOf(relay, g));
    expect([after.status, await codeOf(after)]).toEqual([404, RelayErrorCode.BlobNotFound]);
  });

  it('count a download only when it delivers the last byte', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES, 1);
    const bytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    await put(relay, g, bytes);
    const first = await fetch(urlOf(relay, g), { headers: { range: 'bytes=0-999' } });
    await first.arrayBuffer();
    const rest = await fetch(urlOf(relay, g), { headers: { range: 'bytes=1000-' } });
    expect(digest(new Uint8Array(await rest.arrayBuffer()))).toBe(digest(bytes.subarray(1000)));
    await expect.poll(() => blobFiles(relay)).toEqual([]);
  });
});

describe('blob retention', () => {
  it('sweep blobs past their expiry, and uploads never completed', async () => {
    const relay = await relayWith({ sweepIntervalMs: 100, blobUploadWindowMs: 400 });
    const client = await persona(relay);
    const short = await grant(client, MIN_BLOB_BYTES, 1, 500);
    await put(relay, short, new Uint8Array(randomBytes(MIN_BLOB_BYTES)));
    const abandoned = await grant(client, MIN_BLOB_BYTES);
    await put(relay, abandoned, new Uint8Array(100));
    const kept = await grant(client, MIN_BLOB_BYTES);
    await put(relay, kept, new Uint8Array(randomBytes(MIN_BLOB_BYTES)));
    expect(await blobFiles(relay)).toHaveLength(6);
    const keptId = toHex(kept.blobId);
    await expect
      .poll(() => blobFiles(relay), { timeout: 5000 })
      .toEqual([`${keptId}.blob`, `${keptId}.json`]);
    expect((await fetch(urlOf(relay, short))).status).toBe(404);
  });

  it('sweep blobs that expired while the relay was down, at start', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES, 1, 300);
    await put(relay, g, new Uint8Array(randomBytes(MIN_BLOB_BYTES)));
    await client.close();
    await relay.relay.close();
    await sleep(400);
    await relay.restart();
    await expect.poll(() => blobFiles(relay)).toEqual([]);
  });

  it('keep complete blobs across a restart and resume incomplete ones', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const done = await grant(client, MIN_BLOB_BYTES);
    const doneBytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    await put(relay, done, doneBytes);
    const partial = await grant(client, MIN_BLOB_BYTES);
    const partialBytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    await put(relay, partial, partialBytes.subarray(0, 10_000));
    await client.close();
    await relay.restart();
    const back = await fetch(urlOf(relay, done));
    expect(digest(new Uint8Array(await back.arrayBuffer()))).toBe(digest(doneBytes));
    const head = await fetch(urlOf(relay, partial), {
      method: 'HEAD',
      headers: { [BLOB_TOKEN_HEADER]: toHex(partial.uploadToken) },
    });
    expect(head.headers.get(BLOB_RECEIVED_HEADER)).toBe('10000');
    expect((await put(relay, partial, partialBytes.subarray(10_000), 10_000)).status).toBe(200);
    const whole = await fetch(urlOf(relay, partial));
    expect(digest(new Uint8Array(await whole.arrayBuffer()))).toBe(digest(partialBytes));
  });

  it('keep a blob whose record a crash left incomplete after its file was completed', async () => {
    const relay = await relayWith();
    const client = await persona(relay);
    const g = await grant(client, MIN_BLOB_BYTES);
    const bytes = new Uint8Array(randomBytes(MIN_BLOB_BYTES));
    await put(relay, g, bytes);
    await client.close();
    await relay.relay.close();
    // The state a crash between the rename and the record's rewrite leaves on disk.
    const recordPath = join(relay.dataDir, 'blobs', `${toHex(g.blobId)}.json`);
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as Record<string, unknown>;
    await writeFile(recordPath, JSON.stringify({ ...record, complete: false }));
    await relay.restart();
    const back = await fetch(urlOf(relay, g));
    expect(digest(new Uint8Array(await back.arrayBuffer()))).toBe(digest(bytes));
  });
});
