/**
 * Attachment encryption and decryption on the device, MiB/s, next to a plain copy of the same
 * bytes from file to file in the same run.
 *
 * Kindred: encryptAttachment (read, secretstream in 64 KiB chunks, SHA-256, random padding to the
 * blob bucket, write, fsync, rename) and decryptAttachment (length check, SHA-256 of the whole
 * ciphertext, then read, decrypt, write, fsync, rename). Raw: the same file copied through Node
 * streams and fsynced, so both sides pay for the disk alike. The files are random bytes under
 * os.tmpdir(), written before the runs; runs alternate, swapping which side goes first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decryptAttachment, encryptAttachment } from '../../core/client/index.js';
import type { EncryptedAttachment } from '../../core/client/index.js';
import type { PairStats } from '../measure.js';
import { measurePair } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

export const cases = ['encrypt', 'decrypt'] as const;

const MIB = 1024 * 1024;

async function writeRandomFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (let left = size; left > 0; left -= MIB)
      await handle.write(randomBytes(Math.min(left, MIB)));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The raw side: a streamed file-to-file copy, fsynced like Kindred's output. */
async function plainCopy(from: string, to: string): Promise<void> {
  const out = createWriteStream(to);
  await pipeline(createReadStream(from, { highWaterMark: 64 * 1024 }), out);
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** MiB/s of one call over `bytes`. */
async function rate(bytes: number, operation: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await operation();
  return bytes / MIB / ((performance.now() - start) / 1000);
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function row(name: string, stats: PairStats, note: string): BenchRow {
  return {
    name,
    unit: 'MiB/s',
    kindred: stats.kindred,
    baseline: stats.baseline,
    ratio: stats.kindred.median / stats.baseline.median,
    note,
  };
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const sizeMiB = options.quick ? 8 : 32;
  const size = sizeMiB * MIB;
  const dir = await mkdtemp(join(tmpdir(), 'kindred-bench-attachments-'));
  const rows: BenchRow[] = [];
  try {
    const plain = join(dir, 'plain.bin');
    const cipher = join(dir, 'cipher.bin');
    options.log(`attachments: writing a ${sizeMiB} MiB file`);
    await writeRandomFile(plain, size);
    // Warm-up (JIT, libsodium's WebAssembly), untimed; also the ciphertext the decrypt runs open.
    let encrypted: EncryptedAttachment = await encryptAttachment(plain, cipher);
    await plainCopy(plain, join(dir, 'warm.bin'));
    const selected = (name: string): boolean => options.cases?.has(name) ?? true;

    if (selected('encrypt')) {
      options.log('attachments: encrypt');
      const stats = await measurePair(
        () =>
          rate(size, async () => {
            encrypted = await encryptAttachment(plain, cipher);
          }),
        () => rate(size, () => plainCopy(plain, join(dir, 'copy.bin'))),
        options.repetitions,
      );
      rows.push(
        row(
          `attachment encrypt, ${sizeMiB} MiB file`,
          stats,
          `MiB of plaintext per second, file to file, fsynced; raw: a streamed copy of the same ` +
            `file; ciphertext ${(encrypted.ciphertextSize / MIB).toFixed(2)} MiB (Padmé bucket)`,
        ),
      );
    }
    if (selected('decrypt')) {
      options.log('attachments: decrypt');
      const out = join(dir, 'out.bin');
      const secrets = { key: encrypted.key, digest: encrypted.digest, size: encrypted.size };
      const stats = await measurePair(
        () => rate(size, () => decryptAttachment(cipher, out, secrets)),
        () => rate(size, () => plainCopy(cipher, join(dir, 'copy.bin'))),
        options.repetitions,
      );
      // Untimed: the last decryption gave back the very bytes encrypted.
      if ((await sha256(out)) !== (await sha256(plain))) {
        throw new Error('attachments: decrypted file differs from the original');
      }
      rows.push(
        row(
          `attachment decrypt, ${sizeMiB} MiB file`,
          stats,
          'MiB of plaintext per second: digest of the whole ciphertext, then decrypt, file to ' +
            'file, fsynced; raw: a streamed copy of the ciphertext file',
        ),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
