import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { LevelRelayStore } from '../store/LevelRelayStore.js';

/**
 * One file holding a relay's data folder: every LevelDB record (read from one snapshot, so a
 * running relay is copied consistently) and the small files beside it (trust-root and operator
 * keys). Blobs are not included: they are attachment ciphertexts kept only until fetched or
 * for `--blob-retention`, and a restored relay answers RELAY_BLOB_NOT_FOUND for them.
 *
 * Format: the magic line, then frames `type (1 byte) ‖ name length (u32) ‖ name ‖ value length
 * (u32) ‖ value` (type 1: a file of the data folder, 2: a store record), then an end frame: type
 * 0xff ‖ SHA-256 of every byte before it. A restore checks the digest before writing anything.
 */
const MAGIC = new TextEncoder().encode('KINDRED RELAY BACKUP 1\n');
const FRAME_FILE = 1;
const FRAME_RECORD = 2;
const FRAME_END = 0xff;
const DIGEST_BYTES = 32;
/** Files of the data folder that are not data (the probe, the admin socket, the lock). */
export const NOT_BACKED_UP = new Set(['ready-probe', 'admin.sock']);
const STORE_FOLDER = 'relay.db';

export type RelayBackupErrorCode =
  | 'RELAY_BACKUP_CORRUPT'
  | 'RELAY_BACKUP_UNSUPPORTED'
  | 'RELAY_BACKUP_TARGET_NOT_EMPTY'
  | 'RELAY_BACKUP_NOT_FOUND';

export class RelayBackupError extends Error {
  override readonly name = 'RelayBackupError';
  readonly code: RelayBackupErrorCode;

  constructor(code: RelayBackupErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  static is(error: unknown): error is RelayBackupError {
    return error instanceof RelayBackupError;
  }
}

export interface BackupSummary {
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the backup of `store` (open, possibly serving) and the files of `dataDir` to `outPath`:
 * first to `outPath.partial`, renamed when complete, so a failed backup never looks like one.
 */
export async function writeRelayBackup(
  store: LevelRelayStore,
  dataDir: string,
  outPath: string,
): Promise<BackupSummary> {
  const partial = `${outPath}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (chunk: Uint8Array): Promise<void> => {
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const frame = async (type: number, name: string, value: Uint8Array): Promise<void> => {
    const nameBytes = new TextEncoder().encode(name);
    const head = new Uint8Array(9 + nameBytes.length);
    const view = new DataView(head.buffer);
    head[0] = type;
    view.setUint32(1, nameBytes.length);
    head.set(nameBytes, 5);
    view.setUint32(5 + nameBytes.length, value.length);
    await write(head);
    await write(value);
  };
  try {
    await write(MAGIC);
    // The store first: its snapshot is the moment the backup stands for.
    const records = await store.snapshot((key, value) => frame(FRAME_RECORD, key, value));
    let files = 0;
    for (const entry of await readdir(dataDir, { withFileTypes: true })) {
      if (!entry.isFile() || NOT_BACKED_UP.has(entry.name) || entry.name.endsWith('.partial')) {
        continue;
      }
      await frame(FRAME_FILE, entry.name, await readFile(join(dataDir, entry.name)));
      files += 1;
    }
    const end = new Uint8Array(1 + DIGEST_BYTES);
    end[0] = FRAME_END;
    end.set(hash.digest(), 1);
    bytes += end.length;
    out.write(end);
    await finish(out);
    await rename(partial, outPath);
    return { records, files, bytes };
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Restores a backup into `dataDir`, which must be missing or empty: the digest is checked over
 * the whole file first, then the store and files are written. A relay started on the folder has
 * the same identity, so clients that pinned the old one keep working.
 */
export async function restoreRelayBackup(file: string, dataDir: string): Promise<BackupSummary> {
  const existing = await readdir(dataDir).catch(() => []);
  if (existing.length > 0) {
    throw new RelayBackupError(
      'RELAY_BACKUP_TARGET_NOT_EMPTY',
      `${dataDir} is not empty: restore into a new folder`,
    );
  }
  const size = await backupFileSize(file);
  await verifyDigest(file, size);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const files: { name: string; value: Uint8Array }[] = [];
  const records = await LevelRelayStore.restore(
    join(dataDir, STORE_FOLDER),
    (async function* () {
      for await (const frame of readFrames(file, size)) {
        if (frame.type === FRAME_RECORD) yield [frame.name, frame.value] as const;
        else files.push(frame);
      }
    })(),
  );
  for (const { name, value } of files) {
    if (name.includes('/') || name === '..' || name === '.' || name === STORE_FOLDER) {
      throw new RelayBackupError('RELAY_BACKUP_CORRUPT', `the backup names a bad file: ${name}`);
    }
    await writeFile(join(dataDir, name), value, { mode: 0o600 });
  }
  return { records, files: files.length, bytes: size };
}

/** The backup's size, or a coded error when there is no readable file at that path. */
async function backupFileSize(file: string): Promise<number> {
  const found = await stat(file).catch(() => undefined);
  if (found === undefined) {
    throw new RelayBackupError('RELAY_BACKUP_NOT_FOUND', `no backup file at ${file}`);
  }
  if (!found.isFile()) {
    throw new RelayBackupError('RELAY_BACKUP_NOT_FOUND', `${file} is not a file`);
  }
  return found.size;
}

async function verifyDigest(file: string, size: number): Promise<void> {
  if (size < MAGIC.length + 1 + DIGEST_BYTES) {
    throw new RelayBackupError('RELAY_BACKUP_CORRUPT', 'the file is too short to be a backup');
  }
  const head = await readRange(file, 0, MAGIC.length);
  if (!equal(head, MAGIC)) {
    const kindred = new TextDecoder().decode(head).startsWith('KINDRED RELAY BACKUP ');
    throw new RelayBackupError(
      kindred ? 'RELAY_BACKUP_UNSUPPORTED' : 'RELAY_BACKUP_CORRUPT',
      kindred ? 'a backup format this relay does not know' : 'not a Kindred relay backup',
    );
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { end: size - DIGEST_BYTES - 2 })) {
    hash.update(chunk as Buffer);
  }
  const trailer = await readRange(file, size - DIGEST_BYTES - 1, DIGEST_BYTES + 1);
  if (trailer[0] !== FRAME_END || !equal(trailer.subarray(1), hash.digest())) {
    throw new RelayBackupError('RELAY_BACKUP_CORRUPT', 'the backup is damaged (digest mismatch)');
  }
}

/** The frames between the magic and the end frame (the digest was checked before). */
async function* readFrames(
  file: string,
  size: number,
): AsyncGenerator<{ type: number; name: string; value: Uint8Array }> {
  const end = size - DIGEST_BYTES - 1;
  let buffered: Uint8Array = new Uint8Array(0);
  let position = MAGIC.length;
  const stream = createReadStream(file, { start: MAGIC.length, end: end - 1 });
  for await (const chunk of stream) {
    buffered = concat(buffered, chunk as Buffer);
    for (;;) {
      if (buffered.length < 5) break;
      const view = new DataView(buffered.buffer, buffered.byteOffset, buffered.byteLength);
      const type = buffered[0] ?? 0;
      const nameLength = view.getUint32(1);
      if (buffered.length < 9 + nameLength) break;
      const valueLength = view.getUint32(5 + nameLength);
      const total = 9 + nameLength + valueLength;
      if (position + total > end) {
        throw new RelayBackupError('RELAY_BACKUP_CORRUPT', 'a frame runs past the end');
      }
      if (buffered.length < total) break;
      if (type !== FRAME_FILE && type !== FRAME_RECORD) {
        throw new RelayBackupError('RELAY_BACKUP_CORRUPT', `unknown frame type ${type}`);
      }
      const name = new TextDecoder('utf-8', { fatal: true }).decode(
        buffered.subarray(5, 5 + nameLength),
      );
      yield { type, name, value: buffered.slice(9 + nameLength, total) };
      buffered = buffered.subarray(total);
      position += total;
    }
  }
  if (buffered.length > 0) {
    throw new RelayBackupError('RELAY_BACKUP_CORRUPT', 'the backup ends in the middle of a frame');
  }
}

async function readRange(file: string, start: number, length: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start, end: start + length - 1 })) {
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function finish(out: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.end((error?: Error | null) => {
      if (error === undefined || error === null) resolve();
      else reject(error);
    });
  });
}
