// The client's blob transfers against a real relay on 127.0.0.1 with a real data folder: real
// files, real TCP, connections cut by a real forwarder in between.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MIN_BLOB_BYTES,
  Persona,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  blobBucketSize,
  blobUrl,
  downloadBlob,
  requestBlobUpload,
  parseProxyUrl,
  toHex,
  uploadBlob,
} from '../../core/client/index.js';
import type { BlobUploadGrant } from '../../core/client/index.js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../server/helpers/tlsFixture.js';
import { authenticate, newTestPersona } from '../server/helpers/personas.js';
import { RawClient } from '../server/helpers/rawClient.js';
import { startTestRelay } from '../server/helpers/testRelay.js';
import type { TestRelay } from '../server/helpers/testRelay.js';
import { CuttingProxy } from './CuttingProxy.js';
import { registerPersona } from './groupHelpers.js';
import { ObservingSocksProxy } from './ObservingSocksProxy.js';

const MIB = 1024 * 1024;
/** Quick retries: the tests cut connections on purpose. */
const FAST = { backoff: { initialMs: 20, maxMs: 200 } } as const;

let relay: TestRelay;
let folder: string;
let connection: RelayConnection;

beforeAll(async () => {
  relay = await startTestRelay();
  folder = await mkdtemp(join(tmpdir(), 'kindred-blob-client-'));
  const persona = Persona.generate('Uploader');
  await registerPersona(relay.url, persona);
  connection = await RelayConnection.open({ url: relay.url });
  await connection.authenticate(persona);
});

afterAll(async () => {
  connection.close();
  await relay.dispose();
  await rm(folder, { recursive: true, force: true });
});

/** A file of random bytes of a bucket size: what a client's padded ciphertext looks like. */
async function ciphertextFile(name: string, length: number): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, randomBytes(blobBucketSize(length)));
  return path;
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function grantFor(path: string, expectedFetches = 1): Promise<BlobUploadGrant> {
  return requestBlobUpload(connection, { size: (await stat(path)).size, expectedFetches });
}

/** Every regular file under `dir`, recursively (the relay's admin socket holds no bytes). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    if (CoreError.is(error)) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('blob transfers', () => {
  it('round-trip a 50 MiB file, stored once as exactly the uploaded bytes', async () => {
    const source = await ciphertextFile('fifty.bin', 50 * MIB);
    const size = (await stat(source)).size;
    const grant = await grantFor(source);
    expect(grant.size).toBe(size);
    let lastProgress = 0;
    await uploadBlob(relay.url, grant, source, {
      ...FAST,
      onProgress: (done, total) => {
        expect(total).toBe(size);
        lastProgress = done;
      },
    });
    expect(lastProgress).toBe(size);
    // The data folder holds the bytes exactly once: the blob file, nowhere else (no copy in
    // LevelDB, no temporary file left behind).
    const id = toHex(grant.blobId);
    const blobFolder = join(relay.dataDir, 'blobs');
    expect((await readdir(blobFolder)).sort()).toEqual([`${id}.blob`, `${id}.json`]);
    expect(await fileDigest(join(blobFolder, `${id}.blob`))).toBe(await fileDigest(source));
    const sample = (await readFile(source)).subarray(size / 2, size / 2 + 64);
    const holders: string[] = [];
    for (const path of await filesUnder(relay.dataDir)) {
      if ((await readFile(path)).includes(sample)) holders.push(path);
    }
    expect(holders).toEqual([join(blobFolder, `${id}.blob`)]);
    const out = join(folder, 'fifty.out');
    expect(await downloadBlob(relay.url, grant.blobId, out, FAST)).toBe(size);
    expect(await fileDigest(out)).toBe(await fileDigest(source));
    // Its one expected download done, the relay deleted it.
    await expect.poll(() => readdir(blobFolder)).toEqual([]);
  });

  it('resume a download cut mid-way with a Range request', async () => {
    const source = await ciphertextFile('cut-down.bin', 6 * MIB);
    const grant = await grantFor(source);
    await uploadBlob(relay.url, grant, source, FAST);
    const proxy = await CuttingProxy.start(
      { host: '127.0.0.1', port: relay.relay.port },
      { direction: 'toClient', afterBytes: 2 * MIB, cuts: 1 },
    );
    try {
      const out = join(folder, 'cut-down.out');
      await downloadBlob(proxy.url, grant.blobId, out, FAST);
      expect(await fileDigest(out)).toBe(await fileDigest(source));
      expect(proxy.cutsDone).toBe(1);
      const gets = proxy.requestHeads.filter((head) => head.startsWith('GET '));
      expect(gets.length).toBeGreaterThanOrEqual(2);
      const resumedFrom = /range: bytes=(\d+)-/i.exec(gets[gets.length - 1] ?? '');
      // Resumed from what the relay held, not from the start. How much that was depends on how
      // far the relay had read when the line was cut, which a loaded machine makes vary.
      expect(Number(resumedFrom?.[1])).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('resume an upload cut mid-way from what the relay holds', async () => {
    const source = await ciphertextFile('cut-up.bin', 6 * MIB);
    const grant = await grantFor(source);
    const proxy = await CuttingProxy.start(
      { host: '127.0.0.1', port: relay.relay.port },
      { direction: 'toRelay', afterBytes: 3 * MIB, cuts: 1 },
    );
    try {
      await uploadBlob(proxy.url, grant, source, FAST);
      expect(proxy.cutsDone).toBe(1);
      const puts = proxy.requestHeads.filter((head) => head.startsWith('PUT '));
      expect(puts.length).toBeGreaterThanOrEqual(2);
      const resumedFrom = /content-range: bytes (\d+)-/i.exec(puts[puts.length - 1] ?? '');
      // Resumed from what the relay held, not from the start. How much that was depends on how
      // far the relay had read when the line was cut, which a loaded machine makes vary.
      expect(Number(resumedFrom?.[1])).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
    const out = join(folder, 'cut-up.out');
    await downloadBlob(relay.url, grant.blobId, out, FAST);
    expect(await fileDigest(out)).toBe(await fileDigest(source));
  });

  it('store a group attachment once and serve each of 20 members, then no one', async () => {
    const source = await ciphertextFile('group.bin', 100_000);
    const stored = async (): Promise<string[]> =>
      (await readdir(join(relay.dataDir, 'blobs'))).filter((name) => name.endsWith('.blob'));
    const before = await stored();
    const grant = await grantFor(source, 20);
    await uploadBlob(relay.url, grant, source, FAST);
    // One upload, one stored blob, for every member.
    expect((await stored()).filter((name) => !before.includes(name))).toEqual([
      `${toHex(grant.blobId)}.blob`,
    ]);
    const digest = await fileDigest(source);
    for (let member = 0; member < 20; member++) {
      const out = join(folder, `member-${member}.out`);
      await downloadBlob(relay.url, grant.blobId, out, FAST);
      expect(await fileDigest(out)).toBe(digest);
    }
    // The relay counts a fetch just after the last byte left it: the 20th client can finish
    // reading a moment before the count lands and the blob goes.
    const deadline = Date.now() + 10_000;
    while ((await stored()).includes(`${toHex(grant.blobId)}.blob`) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await stored()).not.toContain(`${toHex(grant.blobId)}.blob`);
    expect(await codeOf(downloadBlob(relay.url, grant.blobId, join(folder, 'late'), FAST))).toBe(
      CoreErrorCode.BlobNotFound,
    );
  });

  it('go through the persona SOCKS proxy when there is one', async () => {
    const socks = await ObservingSocksProxy.start();
    try {
      const { host, port } = parseProxyUrl(socks.url);
      const proxy = { host, port, username: 'blob-user', password: 'blob-pass' };
      const source = await ciphertextFile('socks.bin', MIN_BLOB_BYTES);
      const grant = await grantFor(source);
      await uploadBlob(relay.url, grant, source, { ...FAST, proxy });
      const out = join(folder, 'socks.out');
      await downloadBlob(relay.url, grant.blobId, out, { ...FAST, proxy });
      expect(await fileDigest(out)).toBe(await fileDigest(source));
      expect(socks.connections.length).toBeGreaterThanOrEqual(1);
      expect(socks.connections.every((c) => c.username === 'blob-user')).toBe(true);
    } finally {
      await socks.close();
    }
  });

  it('refuse with coded errors', async () => {
    // A grant for a size that is no bucket, or beyond the relay's limit.
    expect(await codeOf(requestBlobUpload(connection, { size: MIN_BLOB_BYTES + 7 }))).toBe(
      RelayErrorCode.BlobBadSize,
    );
    expect(await codeOf(requestBlobUpload(connection, { size: blobBucketSize(200 * MIB) }))).toBe(
      RelayErrorCode.BlobTooLarge,
    );
    // A file that is not the grant's size.
    const small = await ciphertextFile('small.bin', MIN_BLOB_BYTES);
    const grant = await requestBlobUpload(connection, { size: blobBucketSize(2 * MIB) });
    expect(await codeOf(uploadBlob(relay.url, grant, small, FAST))).toBe(
      CoreErrorCode.BlobSizeMismatch,
    );
    // A source that ends before the grant's size.
    const short = await requestBlobUpload(connection, { size: MIN_BLOB_BYTES });
    expect(
      await codeOf(uploadBlob(relay.url, short, () => Readable.from([Buffer.alloc(1000)]), FAST)),
    ).toBe(CoreErrorCode.BlobSizeMismatch);
    // A wrong token.
    const forged = { ...grant, size: MIN_BLOB_BYTES, uploadToken: new Uint8Array(32).fill(7) };
    const other = await requestBlobUpload(connection, { size: MIN_BLOB_BYTES });
    expect(
      await codeOf(uploadBlob(relay.url, { ...forged, blobId: other.blobId }, small, FAST)),
    ).toBe(RelayErrorCode.BlobTokenInvalid);
    // An id the relay never gave.
    expect(
      await codeOf(downloadBlob(relay.url, new Uint8Array(16).fill(1), join(folder, 'x'), FAST)),
    ).toBe(CoreErrorCode.BlobNotFound);
    // A relay that is not there: bounded retries, then a coded failure (no hang).
    const gone = await CuttingProxy.start(
      { host: '127.0.0.1', port: 9 },
      { direction: 'toClient', afterBytes: 0, cuts: 100 },
    );
    const goneUrl = gone.url;
    await gone.close();
    expect(
      await codeOf(
        downloadBlob(goneUrl, other.blobId, join(folder, 'y'), { ...FAST, maxAttempts: 3 }),
      ),
    ).toBe(CoreErrorCode.BlobTransferFailed);
  });

  it('move blobs over the relay TLS when it has TLS', async () => {
    const secure = await startTestRelay({ tls: { cert: TEST_TLS_CERT, key: TEST_TLS_KEY } });
    const client = await RawClient.connect(secure.url, 5000, { ca: TEST_TLS_CERT });
    try {
      await authenticate(client, newTestPersona(), { register: true });
      const source = await ciphertextFile('tls.bin', MIN_BLOB_BYTES);
      const granted = await client.expect(
        {
          case: 'createBlobUpload',
          value: { size: BigInt(MIN_BLOB_BYTES), expectedFetches: 1, retentionMs: 0n },
        },
        'blobUploadGrant',
      );
      const grant = { ...granted, size: Number(granted.size) };
      expect(blobUrl(secure.url, grant.blobId).protocol).toBe('https:');
      await uploadBlob(secure.url, grant, source, { ...FAST, ca: TEST_TLS_CERT });
      const out = join(folder, 'tls.out');
      await downloadBlob(secure.url, grant.blobId, out, { ...FAST, ca: TEST_TLS_CERT });
      expect(await fileDigest(out)).toBe(await fileDigest(source));
      // Plain HTTP to a TLS relay gets nowhere.
      const plain = secure.url.replace('wss://', 'ws://');
      expect(
        await codeOf(
          downloadBlob(plain, grant.blobId, join(folder, 'z'), { ...FAST, maxAttempts: 2 }),
        ),
      ).toBe(CoreErrorCode.BlobTransferFailed);
    } finally {
      await client.close();
      await secure.dispose();
    }
  });
});
