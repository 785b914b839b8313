/**
 * The whole path a person waits on when sending or receiving a file, in MiB of the file per
 * second, beside a plain loopback HTTP copy of the same bytes in the same run (suite `blobs`,
 * cases `send` and `receive`).
 *
 * - send: encryptAttachment (file to ciphertext file, fsynced), the upload grant over the
 *   persona's WebSocket, uploadBlob to the relay on 127.0.0.1 (8 MiB pieces, HEAD first), timed
 *   from the first byte read to the relay's answer to the last piece: what
 *   AttachmentTransfers.upload does for one file after cleaning it.
 * - receive: downloadBlob into a ciphertext file, then decryptAttachment (length and digest check,
 *   decrypt, fsync, rename): what a receiver waits for between the message and the opened file.
 * - raw: one PUT of the plaintext file to a bare node:http server, one GET of it into a file.
 *
 * Files of 1, 16 and 50 MiB of random bytes (1 and 16 with --quick), written before the runs; runs
 * alternate which side goes first. After the receive runs (untimed) the last decrypted file must
 * hash as the original.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decryptAttachment,
  downloadBlob,
  encryptAttachment,
  requestBlobUpload,
  uploadBlob,
} from '../../core/client/index.js';
import type { EncryptedAttachment, RelayConnection } from '../../core/client/index.js';
import { measurePair } from '../measure.js';
import type { PairStats } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';
import type { BareServer } from './blobs.js';

const MIB = 1024 * 1024;
/** The aim: the whole path at least half as fast as a plain loopback copy. */
const AIM = 0.5;

export interface TransferSetting {
  /** A temporary folder of the suite's. */
  readonly folder: string;
  readonly relayUrl: string;
  /** An authenticated connection of the sending persona (for the grants). */
  readonly connection: RelayConnection;
  readonly bare: BareServer;
  readonly send: boolean;
  readonly receive: boolean;
}

/** One encrypted upload: what a sender's client holds afterwards. */
interface Sent {
  readonly blobId: Uint8Array;
  readonly encrypted: EncryptedAttachment;
}

/** Where each run's time went, ms per stage (the note shows each stage's median). */
class Stages {
  readonly #times = new Map<string, number[]>();

  async time<T>(stage: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    const list = this.#times.get(stage) ?? [];
    list.push(performance.now() - started);
    this.#times.set(stage, list);
    return result;
  }

  summary(): string {
    return [...this.#times]
      .map(([stage, times]) => {
        const sorted = [...times].sort((a, b) => a - b);
        return `${stage} ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN)} ms`;
      })
      .join(', ');
  }
}

/** Encrypts `plain` to `cipher`, asks for a grant and uploads: the send path of one file. */
async function sendFile(
  setting: TransferSetting,
  plain: string,
  cipher: string,
  expectedFetches: number,
  stages = new Stages(),
): Promise<Sent> {
  const encrypted = await stages.time('encrypt', () => encryptAttachment(plain, cipher));
  const grant = await stages.time('grant', () =>
    requestBlobUpload(setting.connection, { size: encrypted.ciphertextSize, expectedFetches }),
  );
  await stages.time('upload', () => uploadBlob(setting.relayUrl, grant, cipher));
  return { blobId: grant.blobId, encrypted };
}

async function timed(mib: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return mib / ((performance.now() - started) / 1000);
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function row(name: string, pair: PairStats, note: string): BenchRow {
  return {
    name,
    unit: 'MiB/s',
    kindred: pair.kindred,
    baseline: pair.baseline,
    ratio: pair.kindred.median / pair.baseline.median,
    note,
  };
}

export async function attachmentTransferRows(
  options: BenchOptions,
  setting: TransferSetting,
): Promise<BenchRow[]> {
  const sizes = options.quick ? [1, 16] : [1, 16, 50];
  const rows: BenchRow[] = [];
  const folder = setting.folder;
  let n = 0;
  for (const mib of sizes) {
    const plain = join(folder, `plain-${mib}.bin`);
    await writeFile(plain, randomBytes(mib * MIB));
    // Warm-up (JIT, libsodium's WebAssembly, the agents), untimed; also the blob received below.
    const ready = await sendFile(setting, plain, join(folder, `ready-${mib}.bin`), 1000);
    await setting.bare.put(plain);
    if (setting.send) {
      options.log(`blobs: send (encrypt + upload) of ${mib} MiB, ${options.repetitions} runs`);
      const stages = new Stages();
      const pair = await measurePair(
        async () => {
          const cipher = join(folder, `send-${n++}.bin`);
          const rate = await timed(mib, () => sendFile(setting, plain, cipher, 1, stages));
          await rm(cipher, { force: true });
          return rate;
        },
        () => timed(mib, () => setting.bare.put(plain)),
        options.repetitions,
      );
      rows.push(
        row(
          `attachment send (encrypt + upload), ${mib} MiB`,
          pair,
          `MiB of the file per second: encryptAttachment (fsynced), grant, uploadBlob to the ` +
            `relay on loopback; raw: one plain HTTP PUT of the same file (aim ≥ ${AIM}); ` +
            `medians: ${stages.summary()}`,
        ),
      );
    }
    if (setting.receive) {
      options.log(`blobs: receive (download + decrypt) of ${mib} MiB, ${options.repetitions} runs`);
      const out = join(folder, `out-${mib}.bin`);
      const secrets = {
        key: ready.encrypted.key,
        digest: ready.encrypted.digest,
        size: ready.encrypted.size,
      };
      const stages = new Stages();
      const pair = await measurePair(
        async () => {
          const cipher = join(folder, `receive-${n++}.bin`);
          const rate = await timed(mib, async () => {
            await stages.time('download', () =>
              downloadBlob(setting.relayUrl, ready.blobId, cipher),
            );
            await stages.time('decrypt', () => decryptAttachment(cipher, out, secrets));
          });
          await rm(cipher, { force: true });
          return rate;
        },
        async () => {
          const copy = join(folder, `bare-${n++}.bin`);
          const rate = await timed(mib, () => setting.bare.get(copy));
          await rm(copy, { force: true });
          return rate;
        },
        options.repetitions,
      );
      // Untimed: the last run gave back the very bytes sent.
      if ((await sha256(out)) !== (await sha256(plain))) {
        throw new Error('blobs: the received file differs from the one sent');
      }
      await rm(out, { force: true });
      rows.push(
        row(
          `attachment receive (download + decrypt), ${mib} MiB`,
          pair,
          `MiB of the file per second: downloadBlob from the relay on loopback, then ` +
            `decryptAttachment (digest, decrypt, fsync); raw: one plain HTTP GET of the same ` +
            `file (aim ≥ ${AIM}); medians: ${stages.summary()}`,
        ),
      );
    }
    await rm(plain, { force: true });
    await rm(join(folder, `ready-${mib}.bin`), { force: true });
  }
  return rows;
}
