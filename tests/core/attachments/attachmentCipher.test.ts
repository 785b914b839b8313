import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ATTACHMENT_CHUNK_BYTES,
  CoreErrorCode,
  MIN_BLOB_BYTES,
  attachmentCiphertextSize,
  blobBucketSize,
  decryptAttachment,
  encryptAttachment,
} from '../../../core/client/index.js';
import type { AttachmentSecrets, EncryptedAttachment } from '../../../core/client/index.js';
import { expectCode } from './attachmentTestFiles.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-attach-'));
  dirs.push(dir);
  return dir;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

/** Writes `size` random bytes in 1 MiB pieces (never the whole file in one buffer). */
async function writeRandomFile(file: string, size: number): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (let left = size; left > 0;) {
      const piece = randomBytes(Math.min(left, 1024 * 1024));
      await handle.write(piece);
      left -= piece.length;
    }
  } finally {
    await handle.close();
  }
}

function secretsOf(encrypted: EncryptedAttachment): AttachmentSecrets {
  return { key: encrypted.key, digest: encrypted.digest, size: encrypted.size };
}

/** Recomputes the digest of a tampered file, as a hostile sender (who writes the pointer) could. */
async function digestOf(file: string): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from(await sha256Of(file), 'hex'));
}

/** The folder holds exactly `names`: no plaintext, no partial file left behind. */
async function expectOnly(dir: string, names: readonly string[]): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual([...names].sort());
}

async function encryptedFixture(size: number): Promise<{
  dir: string;
  plain: string;
  cipher: string;
  out: string;
  encrypted: EncryptedAttachment;
}> {
  const dir = await tempDir();
  const plain = path.join(dir, 'plain.bin');
  const cipher = path.join(dir, 'cipher.bin');
  await writeRandomFile(plain, size);
  const encrypted = await encryptAttachment(plain, cipher);
  return { dir, plain, cipher, out: path.join(dir, 'out.bin'), encrypted };
}

describe('blobBucketSize', () => {
  it('pads to Padmé buckets of at least MIN_BLOB_BYTES, at most ~12% over', () => {
    expect(blobBucketSize(0)).toBe(MIN_BLOB_BYTES);
    expect(blobBucketSize(MIN_BLOB_BYTES)).toBe(MIN_BLOB_BYTES);
    // Every small file looks alike: one bucket for all up to the minimum.
    expect(blobBucketSize(5000)).toBe(MIN_BLOB_BYTES);
    for (const n of [65_553, 1_000_000, 52_428_800, 104_857_600]) {
      const bucket = blobBucketSize(n);
      expect(bucket).toBeGreaterThanOrEqual(n);
      expect(bucket / n).toBeLessThan(1.12);
      expect(blobBucketSize(bucket)).toBe(bucket);
    }
    expect(() => blobBucketSize(-1)).toThrow(RangeError);
  });
});

describe('AttachmentCipher', () => {
  it('round-trips files of every chunk boundary, each padded to its blob bucket', async () => {
    const sizes = [
      0,
      1,
      ATTACHMENT_CHUNK_BYTES - 1,
      ATTACHMENT_CHUNK_BYTES,
      ATTACHMENT_CHUNK_BYTES + 1,
      3 * ATTACHMENT_CHUNK_BYTES + 5,
    ];
    for (const size of sizes) {
      const { plain, cipher, out, encrypted } = await encryptedFixture(size);
      expect(encrypted.size).toBe(size);
      expect(encrypted.key).toHaveLength(32);
      expect(encrypted.ciphertextSize).toBe(attachmentCiphertextSize(size));
      expect((await stat(cipher)).size).toBe(encrypted.ciphertextSize);
      expect(encrypted.ciphertextSize).toBe(blobBucketSize(encrypted.ciphertextSize));
      expect(Buffer.from(encrypted.digest).toString('hex')).toBe(await sha256Of(cipher));
      await decryptAttachment(cipher, out, secretsOf(encrypted));
      expect(await sha256Of(out)).toBe(await sha256Of(plain));
    }
  });

  it('keeps no plaintext in the ciphertext, and two encryptions of one file share nothing', async () => {
    const dir = await tempDir();
    const plain = path.join(dir, 'note.txt');
    const marker = 'methotrexate dose for Jane Patient; ';
    await writeFile(plain, marker.repeat(5000));
    const first = await encryptAttachment(plain, path.join(dir, 'a.bin'));
    const second = await encryptAttachment(plain, path.join(dir, 'b.bin'));
    const a = await readFile(path.join(dir, 'a.bin'));
    expect(a.includes('methotrexate')).toBe(false);
    expect(a.includes('Jane')).toBe(false);
    expect(Buffer.from(first.key).equals(Buffer.from(second.key))).toBe(false);
    expect(Buffer.from(first.digest).equals(Buffer.from(second.digest))).toBe(false);
    // The padding is random, not zeros: the relay cannot see where the stream ends.
    const tail = a.subarray(a.length - 512);
    expect(tail.every((byte) => byte === 0)).toBe(false);
  });

  it('streams a 50 MiB file both ways without holding it in memory', async () => {
    const size = 50 * 1024 * 1024;
    const dir = await tempDir();
    const plain = path.join(dir, 'scan.bin');
    const cipher = path.join(dir, 'scan.enc');
    const out = path.join(dir, 'scan.out');
    await writeRandomFile(plain, size);
    const baseline = process.memoryUsage();
    let peak = 0;
    const sample = (): void => {
      const now = process.memoryUsage();
      peak = Math.max(
        peak,
        now.heapUsed + now.arrayBuffers - (baseline.heapUsed + baseline.arrayBuffers),
      );
    };
    const sampler = setInterval(sample, 5);
    let encrypted: EncryptedAttachment;
    try {
      encrypted = await encryptAttachment(plain, cipher);
      sample();
      await decryptAttachment(cipher, out, secretsOf(encrypted));
      sample();
    } finally {
      clearInterval(sampler);
    }
    expect(encrypted.size).toBe(size);
    expect((await stat(cipher)).size).toBe(blobBucketSize(encrypted.ciphertextSize));
    expect(await sha256Of(out)).toBe(await sha256Of(plain));
    // A whole-file implementation would need 50 MiB or more at once; streaming needs a few chunks
    // (plus whatever the garbage collector has not reclaimed yet).
    expect(peak).toBeLessThan(24 * 1024 * 1024);
  }, 180_000);

  it('refuses a flipped byte (even with a digest to match) and leaves no plaintext', async () => {
    const { dir, cipher, out, encrypted } = await encryptedFixture(3 * ATTACHMENT_CHUNK_BYTES);
    const bytes = await readFile(cipher);
    const at = ATTACHMENT_CHUNK_BYTES + 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    await writeFile(cipher, bytes);
    await expectCode(
      decryptAttachment(cipher, out, secretsOf(encrypted)),
      CoreErrorCode.AttachmentCorrupt,
    );
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), digest: await digestOf(cipher) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    await expectOnly(dir, ['plain.bin', 'cipher.bin']);
  });

  it('refuses a truncated file and trailing garbage, even with a matching digest', async () => {
    const { dir, cipher, out, encrypted } = await encryptedFixture(2 * ATTACHMENT_CHUNK_BYTES + 7);
    const original = await readFile(cipher);
    await truncate(cipher, original.length - 1);
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), digest: await digestOf(cipher) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    await writeFile(cipher, Buffer.concat([original, Buffer.from('garbage')]));
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), digest: await digestOf(cipher) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    // Cut inside the stream, with the pointer claiming the shorter size: the stream's last chunk
    // is then not where the pointer says it ends.
    const shorter = ATTACHMENT_CHUNK_BYTES;
    const cut = original.subarray(0, attachmentCiphertextSize(shorter));
    await writeFile(cipher, cut);
    await expectCode(
      decryptAttachment(cipher, out, {
        key: encrypted.key,
        digest: await digestOf(cipher),
        size: shorter,
      }),
      CoreErrorCode.AttachmentCorrupt,
    );
    await expectOnly(dir, ['plain.bin', 'cipher.bin']);
  });

  it('refuses a wrong key, a wrong digest and swapped chunks', async () => {
    const { dir, cipher, out, encrypted } = await encryptedFixture(3 * ATTACHMENT_CHUNK_BYTES);
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), key: randomBytes(32) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), digest: randomBytes(32) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    const bytes = await readFile(cipher);
    const chunk = ATTACHMENT_CHUNK_BYTES + 17;
    const first = Buffer.from(bytes.subarray(24, 24 + chunk));
    bytes.copy(bytes, 24, 24 + chunk, 24 + 2 * chunk);
    first.copy(bytes, 24 + chunk);
    await writeFile(cipher, bytes);
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), digest: await digestOf(cipher) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    await expectOnly(dir, ['plain.bin', 'cipher.bin']);
  });

  it('keeps an existing output file when decryption fails', async () => {
    const { cipher, out, encrypted } = await encryptedFixture(1000);
    await writeFile(out, 'earlier download');
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), key: randomBytes(32) }),
      CoreErrorCode.AttachmentCorrupt,
    );
    expect(await readFile(out, 'utf8')).toBe('earlier download');
  });

  it('refuses pointers out of bounds and files over the size limit', async () => {
    const { dir, plain, cipher, out, encrypted } = await encryptedFixture(5000);
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), key: randomBytes(16) }),
      CoreErrorCode.AttachmentPointerInvalid,
    );
    await expectCode(
      decryptAttachment(cipher, out, { ...secretsOf(encrypted), size: -1 }),
      CoreErrorCode.AttachmentPointerInvalid,
    );
    await expectCode(
      encryptAttachment(plain, path.join(dir, 'big.bin'), { maxBytes: 4999 }),
      CoreErrorCode.AttachmentTooLarge,
    );
    await expectOnly(dir, ['plain.bin', 'cipher.bin']);
  });
});
