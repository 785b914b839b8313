import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { concatBytes, toHex, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KdfParams, KdfProfile } from '../vault/KdfParams.js';
import { checkStoredKdfParams, deriveKeyEncryptionKey } from '../vault/KdfParams.js';
import type { Sodium } from '../vault/sodium.js';
import { loadSodium } from '../vault/sodium.js';
import type { Vault } from '../vault/Vault.js';
import { Vault as VaultClass } from '../vault/Vault.js';
import { formatRecoveryKey, generateRecoveryKey, parseRecoveryKey } from './RecoveryKey.js';
import { markRestored } from './restoredMark.js';
import {
  ATTACHMENTS_SUBFOLDER,
  addAttachmentFiles,
  restoreAttachmentFiles,
} from './backupAttachmentFiles.js';
import {
  CHUNK_BYTES,
  Chunker,
  DATA_KEY_BYTES,
  ENTRY_DATA_KEY,
  ENTRY_END,
  ENTRY_FILES_END,
  ENTRY_RECORD,
  EntryReader,
  corrupt,
} from './backupEntries.js';

/**
 * One file holding a whole vault, sealed again under a key of its own. See docs/backup.md.
 *
 * Layout (big-endian):
 *
 *     magic "KDBACKUP" (8) ‖ version (1) ‖ protection (1: recovery key, 2: passphrase)
 *     ‖ salt (16) ‖ Argon2id opsLimit (4) ‖ memLimit (4) (zero for a recovery key)
 *     ‖ chunk size (4) ‖ key check (16) ‖ secretstream header (24)
 *     ‖ chunks, each exactly 4 + chunk size + 17 bytes, the last tagged FINAL
 *
 * The file key comes from the recovery key (keyed BLAKE2b over the salt) or from the passphrase
 * (Argon2id with the vault's own limits and a fresh salt); two subkeys are derived from it: one
 * makes the key check (an AEAD tag over the header bytes before it, so a wrong key is told
 * apart from a damaged stream, and any change to those bytes reads as a wrong key), the other
 * keys a crypto_secretstream_xchacha20poly1305 stream whose chunks all take the header as
 * associated data. Every chunk is the same size (a used-length prefix, then zero padding), so the
 * file shows only the vault's size in 64 KiB steps, never how many records it has or their
 * shapes. The stream's plaintext is a sequence of entries: the vault's data key first, then every
 * record exactly as stored (hashed key, sealed value: no record is decrypted or re-encrypted),
 * then an end entry with the record count; from version 2, then every attachment file of the
 * vault folder's `attachments/` as stored (ciphertexts under keys held in the records), each a
 * start entry with its name and pieces of its bytes, and an end entry with the file count.
 * A missing FINAL chunk, bytes after it, a count that disagrees or any flipped bit is
 * CORE_BACKUP_CORRUPT. Version 1 files (no attachments) restore as before.
 */

/** What the backup file is locked with. */
export type BackupProtection = 'recovery-key' | 'passphrase';

export interface BackupResult {
  /** The recovery key to show once (for a recovery-key backup): nothing else stores it. */
  readonly recoveryKey?: string;
  readonly records: number;
  readonly bytes: number;
  /** Attachment files copied (each a ciphertext as stored in `attachments/`). */
  readonly files?: number;
}

export interface RestoreOptions {
  /** The backup file. */
  readonly file: string;
  /** The new vault folder: missing or empty (CORE_VAULT_EXISTS otherwise). */
  readonly home: string;
  /** The recovery key as typed, or for a passphrase-protected backup the passphrase it used. */
  readonly secret: string;
  /** The new vault's passphrase. */
  readonly passphrase: string;
  readonly kdf?: KdfProfile;
  /** Called after each chunk is read: bytes of the file read so far, of `total`. */
  readonly onProgress?: (progress: BackupProgress) => void;
}

/** How far a backup or a restore got: bytes written or read, of `total` when known. */
export interface BackupProgress {
  readonly bytes: number;
  /** A restore knows the file's size; a backup does not know its own in advance. */
  readonly total?: number;
}

const MAGIC = utf8('KDBACKUP');
export const BACKUP_FORMAT_VERSION = 2;
/** Versions a restore reads: 1 (records only) and 2 (records, then attachment files). */
const READABLE_VERSIONS = new Set([1, 2]);
const PROTECTION_CODES: Record<BackupProtection, number> = { 'recovery-key': 1, passphrase: 2 };
const SALT_BYTES = 16;
const CHECK_BYTES = 16;
const PREFIX_BYTES = MAGIC.length + 1 + 1 + SALT_BYTES + 4 + 4 + 4;
const STREAM_HEADER_BYTES = 24;
const HEADER_BYTES = PREFIX_BYTES + CHECK_BYTES + STREAM_HEADER_BYTES;
const ABYTES = 17;
const SEALED_CHUNK_BYTES = 4 + CHUNK_BYTES + ABYTES;
/** Records written to the new vault per LevelDB batch. */
const RESTORE_BATCH_RECORDS = 2000;
const RECOVERY_CONTEXT = utf8('kindred-backup-v1');
const KEY_DECODER = new TextDecoder();

/**
 * Writes a backup of `vault` to `file`, through a temporary file beside it that is synced and
 * renamed into place (a failure leaves no file, and never half of one). `passphrase` must be the
 * vault's (CORE_VAULT_WRONG_PASSPHRASE otherwise): it unwraps the data key, and with
 * `protection: 'passphrase'` it also locks the file (weaker than a recovery key: as strong as
 * the passphrase, behind Argon2id). The vault stays usable throughout; the backup holds the
 * vault as it was when the backup began.
 */
export async function writeVaultBackup(
  vault: Vault,
  file: string,
  options: {
    passphrase: string;
    protection: BackupProtection;
    /** Called after each chunk is written, with the file's bytes so far. */
    onProgress?: (progress: BackupProgress) => void;
    /** The vault folder, whose `attachments/` files go into the backup after the records. */
    home?: string | undefined;
    /** 1 writes the older format (records only, no files), which older Kindreds read. */
    formatVersion?: 1 | 2;
  },
): Promise<BackupResult> {
  const sodium = await loadSodium();
  const { dataKey, kdf } = await vault.exportDataKey(options.passphrase);
  const salt = sodium.randombytes_buf(SALT_BYTES);
  let recoveryKey: string | undefined;
  let fileKey: Uint8Array;
  let limits = { opsLimit: 0, memLimit: 0 };
  if (options.protection === 'recovery-key') {
    const key = generateRecoveryKey(sodium);
    recoveryKey = formatRecoveryKey(sodium, key);
    fileKey = recoveryFileKey(sodium, key, salt);
  } else {
    limits = { opsLimit: kdf.opsLimit, memLimit: kdf.memLimit };
    fileKey = await deriveKeyEncryptionKey(sodium, options.passphrase, {
      algorithm: 'argon2id13',
      ...limits,
      salt,
    });
  }
  const version = options.formatVersion ?? BACKUP_FORMAT_VERSION;
  const prefix = encodePrefix(version, PROTECTION_CODES[options.protection], salt, limits);
  const { checkKey, streamKey } = subkeys(sodium, fileKey);
  const check = keyCheck(sodium, checkKey, prefix);
  const { state, header: streamHeader } =
    sodium.crypto_secretstream_xchacha20poly1305_init_push(streamKey);
  sodium.memzero(streamKey);
  const header = concatBytes(prefix, check, streamHeader);

  const target = path.resolve(file);
  const temporary = `${target}.${toHex(randomBytes(6))}.tmp`;
  let handle: FileHandle | undefined;
  let records = 0;
  let files = 0;
  let bytes = header.length;
  try {
    handle = await open(temporary, 'wx', 0o600);
    const out = handle;
    await out.write(header);
    const chunker = new Chunker(async (chunk, last) => {
      const tag = last
        ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
        : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      const sealed = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, header, tag);
      await out.write(sealed);
      bytes += sealed.length;
      options.onProgress?.({ bytes });
    });
    const first = new Uint8Array(1 + DATA_KEY_BYTES);
    first[0] = ENTRY_DATA_KEY;
    first.set(dataKey, 1);
    sodium.memzero(dataKey);
    await chunker.add(first);
    sodium.memzero(first);
    for await (const page of vault.sealedRecords()) {
      for (const [key, value] of page) {
        const keyBytes = utf8(key);
        const entry = new Uint8Array(1 + 2 + keyBytes.length + 4 + value.length);
        const view = new DataView(entry.buffer);
        entry[0] = ENTRY_RECORD;
        view.setUint16(1, keyBytes.length);
        entry.set(keyBytes, 3);
        view.setUint32(3 + keyBytes.length, value.length);
        entry.set(value, 7 + keyBytes.length);
        await chunker.add(entry);
        records += 1;
      }
    }
    const end = new Uint8Array(9);
    end[0] = ENTRY_END;
    new DataView(end.buffer).setBigUint64(1, BigInt(records));
    await chunker.add(end);
    if (version >= 2) {
      files = await addAttachmentFiles(chunker, options.home);
      const filesEnd = new Uint8Array(9);
      filesEnd[0] = ENTRY_FILES_END;
      new DataView(filesEnd.buffer).setBigUint64(1, BigInt(files));
      await chunker.add(filesEnd);
    }
    await chunker.finish();
    await out.sync();
    await out.close();
    handle = undefined;
    await rename(temporary, target);
    await syncFolder(path.dirname(target));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    if (CoreError.is(error)) throw error;
    throw new CoreError(CoreErrorCode.Internal, 'could not write the backup file', {
      cause: error,
    });
  } finally {
    sodium.memzero(dataKey);
  }
  return {
    ...(recoveryKey === undefined ? {} : { recoveryKey }),
    records,
    bytes,
    files,
  };
}

/**
 * Checks a recovery key as typed, before any file is opened (a window checks it as it is typed):
 * returns it in its written form (nine groups of four), or throws CORE_BACKUP_KEY_MALFORMED.
 */
export async function checkRecoveryKey(text: string): Promise<string> {
  const sodium = await loadSodium();
  const key = parseRecoveryKey(sodium, text);
  try {
    return formatRecoveryKey(sodium, key);
  } finally {
    sodium.memzero(key);
  }
}

/** What a backup file says about itself before any key is tried. */
export async function readBackupProtection(file: string): Promise<BackupProtection> {
  const handle = await openBackup(file);
  try {
    return parsePrefix(await readExactly(handle, 0, PREFIX_BYTES)).protection;
  } finally {
    await handle.close();
  }
}

/**
 * Restores a backup into a new vault at `home` under a new passphrase, marked as restored (see
 * restoredMark.ts) so the client renews its sessions on first connecting. Everything is written
 * to a temporary folder beside `home` and checked (the key, every chunk, the end entry and its
 * count) before that folder is renamed to `home`: on any failure nothing is left behind.
 * A malformed recovery key is CORE_BACKUP_KEY_MALFORMED; a wrong one CORE_BACKUP_WRONG_KEY; a
 * damaged or cut file CORE_BACKUP_CORRUPT; a newer format CORE_BACKUP_UNSUPPORTED; a `home` that
 * is not empty CORE_VAULT_EXISTS.
 */
export async function restoreVaultBackup(options: RestoreOptions): Promise<{ records: number }> {
  const sodium = await loadSodium();
  const home = path.resolve(options.home);
  if (await folderHasEntries(home)) {
    throw new CoreError(CoreErrorCode.VaultExists, 'the restore folder is not empty');
  }
  const handle = await openBackup(options.file);
  const temporary = `${home}.restoring-${toHex(randomBytes(6))}`;
  let vault: Vault | undefined;
  let records = 0;
  try {
    const prefixBytes = await readExactly(handle, 0, PREFIX_BYTES);
    const prefix = parsePrefix(prefixBytes);
    const rest = await readExactly(handle, PREFIX_BYTES, CHECK_BYTES + STREAM_HEADER_BYTES);
    const header = concatBytes(prefixBytes, rest);
    let fileKey: Uint8Array;
    if (prefix.protection === 'recovery-key') {
      fileKey = recoveryFileKey(sodium, parseRecoveryKey(sodium, options.secret), prefix.salt);
    } else {
      const params: KdfParams = { algorithm: 'argon2id13', ...prefix.limits, salt: prefix.salt };
      try {
        checkStoredKdfParams(sodium, params);
      } catch (error) {
        throw new CoreError(CoreErrorCode.BackupCorrupt, 'the backup asks for a KDF we refuse', {
          cause: error,
        });
      }
      fileKey = await deriveKeyEncryptionKey(sodium, options.secret, params);
    }
    const { checkKey, streamKey } = subkeys(sodium, fileKey);
    const expected = keyCheck(sodium, checkKey, prefixBytes);
    if (!sodium.memcmp(expected, rest.subarray(0, CHECK_BYTES))) {
      sodium.memzero(streamKey);
      throw new CoreError(CoreErrorCode.BackupWrongKey, 'the key does not open this backup');
    }
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(
      rest.subarray(CHECK_BYTES),
      streamKey,
    );
    sodium.memzero(streamKey);
    const reader = new EntryReader();
    const total = (await handle.stat()).size;
    const chunks = readChunks(sodium, handle, state, header, (bytes) => {
      options.onProgress?.({ bytes, total });
    });
    const firstEntry = await reader.next(chunks);
    if (firstEntry?.type !== ENTRY_DATA_KEY) throw corrupt('the backup does not start right');
    const dataKey = firstEntry.body;
    const counted = { records: 0 };
    await mkdir(path.dirname(home), { recursive: true });
    vault = await VaultClass.fromSealedRecords(
      temporary,
      dataKey,
      options.passphrase,
      recordBatches(reader, chunks, counted, prefix.version),
      options.kdf === undefined ? {} : { kdf: options.kdf },
    );
    sodium.memzero(dataKey);
    records = counted.records;
    if (prefix.version >= 2) {
      await restoreAttachmentFiles(reader, chunks, path.join(temporary, ATTACHMENTS_SUBFOLDER));
    }
    await markRestored(vault);
    await vault.flush();
    await vault.lock();
    vault = undefined;
    await syncFolder(temporary);
    // `home` was checked empty (or missing) above; an empty folder gives way to the new one.
    await rmdir(home).catch(() => undefined);
    await rename(temporary, home);
    await syncFolder(path.dirname(home));
  } catch (error) {
    await vault?.lock().catch(() => undefined);
    await rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    if (CoreError.is(error)) throw error;
    throw new CoreError(CoreErrorCode.Internal, 'could not restore the backup', { cause: error });
  } finally {
    await handle.close();
  }
  return { records };
}

/** Batches of records from the stream, until its end entry (checked against the count). */
async function* recordBatches(
  reader: EntryReader,
  chunks: AsyncIterator<Uint8Array>,
  counted: { records: number },
  version: number,
): AsyncGenerator<(readonly [string, Uint8Array])[]> {
  let batch: (readonly [string, Uint8Array])[] = [];
  for (;;) {
    const entry = await reader.next(chunks);
    if (entry === undefined) throw corrupt('the backup ends too soon');
    if (entry.type === ENTRY_END) {
      if (batch.length > 0) yield batch;
      const view = new DataView(entry.body.buffer, entry.body.byteOffset, entry.body.length);
      if (view.getBigUint64(0) !== BigInt(counted.records)) {
        throw corrupt('the backup record count disagrees');
      }
      // From version 2 the attachment files follow (restoreAttachmentFiles).
      if (version >= 2) return;
      if (!reader.drained || (await chunks.next()).done !== true) {
        throw corrupt('the backup has data after its end');
      }
      return;
    }
    if (entry.type !== ENTRY_RECORD) throw corrupt('the backup has an unexpected entry');
    batch.push(decodeRecord(entry.body));
    counted.records += 1;
    if (batch.length >= RESTORE_BATCH_RECORDS) {
      yield batch;
      batch = [];
    }
  }
}

function decodeRecord(body: Uint8Array): readonly [string, Uint8Array] {
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const keyLength = view.getUint16(0);
  const key = KEY_DECODER.decode(body.subarray(2, 2 + keyLength));
  return [key, body.slice(2 + keyLength + 4)];
}

/**
 * The decrypted chunks of the stream, in order; the generator ends after the FINAL chunk. Every
 * failure (a short read, a chunk that fails authentication, a chunk after FINAL, the end of the
 * file before FINAL) is CORE_BACKUP_CORRUPT.
 */
async function* readChunks(
  sodium: Sodium,
  handle: FileHandle,
  state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']>,
  header: Uint8Array,
  onRead?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let position = HEADER_BYTES;
  const buffer = new Uint8Array(SEALED_CHUNK_BYTES);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, SEALED_CHUNK_BYTES, position);
    if (bytesRead !== SEALED_CHUNK_BYTES) throw corrupt('the backup is cut short');
    position += bytesRead;
    onRead?.(position);
    let opened: { message: Uint8Array; tag: number } | false;
    try {
      opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, buffer, header);
    } catch (error) {
      throw corrupt('a backup chunk failed authentication', error);
    }
    if (opened === false) throw corrupt('a backup chunk failed authentication');
    const { message, tag } = opened;
    const view = new DataView(message.buffer, message.byteOffset, message.length);
    const used = view.getUint32(0);
    if (used > CHUNK_BYTES) throw corrupt('a backup chunk is malformed');
    yield message.subarray(4, 4 + used);
    if (tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      const after = await handle.read(new Uint8Array(1), 0, 1, position);
      if (after.bytesRead !== 0) throw corrupt('the backup has data after its end');
      return;
    }
    if (tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw corrupt('a backup chunk has an unexpected tag');
    }
  }
}

function encodePrefix(
  version: number,
  protection: number,
  salt: Uint8Array,
  limits: { opsLimit: number; memLimit: number },
): Uint8Array {
  const prefix = new Uint8Array(PREFIX_BYTES);
  const view = new DataView(prefix.buffer);
  prefix.set(MAGIC);
  prefix[MAGIC.length] = version;
  prefix[MAGIC.length + 1] = protection;
  prefix.set(salt, MAGIC.length + 2);
  view.setUint32(MAGIC.length + 2 + SALT_BYTES, limits.opsLimit);
  view.setUint32(MAGIC.length + 2 + SALT_BYTES + 4, limits.memLimit);
  view.setUint32(MAGIC.length + 2 + SALT_BYTES + 8, CHUNK_BYTES);
  return prefix;
}

function parsePrefix(prefix: Uint8Array): {
  version: number;
  protection: BackupProtection;
  salt: Uint8Array;
  limits: { opsLimit: number; memLimit: number };
} {
  if (!MAGIC.every((byte, index) => prefix[index] === byte)) {
    throw corrupt('the file is not a Kindred backup');
  }
  const version = prefix[MAGIC.length] ?? 0;
  if (!READABLE_VERSIONS.has(version)) {
    throw new CoreError(CoreErrorCode.BackupUnsupported, 'the backup has an unknown version');
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.length);
  const code = prefix[MAGIC.length + 1];
  const protection =
    code === PROTECTION_CODES['recovery-key']
      ? 'recovery-key'
      : code === PROTECTION_CODES.passphrase
        ? 'passphrase'
        : undefined;
  if (protection === undefined) throw corrupt('the backup names an unknown protection');
  if (view.getUint32(MAGIC.length + 2 + SALT_BYTES + 8) !== CHUNK_BYTES) {
    throw corrupt('the backup has an unexpected chunk size');
  }
  return {
    version,
    protection,
    salt: prefix.slice(MAGIC.length + 2, MAGIC.length + 2 + SALT_BYTES),
    limits: {
      opsLimit: view.getUint32(MAGIC.length + 2 + SALT_BYTES),
      memLimit: view.getUint32(MAGIC.length + 2 + SALT_BYTES + 4),
    },
  };
}

function recoveryFileKey(sodium: Sodium, recoveryKey: Uint8Array, salt: Uint8Array): Uint8Array {
  const key = sodium.crypto_generichash(32, concatBytes(RECOVERY_CONTEXT, salt), recoveryKey);
  sodium.memzero(recoveryKey);
  return key;
}

/** The key check's and the stream's keys; wipes the file key. */
function subkeys(
  sodium: Sodium,
  fileKey: Uint8Array,
): { checkKey: Uint8Array; streamKey: Uint8Array } {
  const checkKey = sodium.crypto_kdf_derive_from_key(32, 1, 'KdBackup', fileKey);
  const streamKey = sodium.crypto_kdf_derive_from_key(32, 2, 'KdBackup', fileKey);
  sodium.memzero(fileKey);
  return { checkKey, streamKey };
}

/**
 * An AEAD tag over nothing with the header as associated data. The nonce is fixed: the check key
 * is unique to this file (its salt is fresh) and seals exactly this one message.
 */
function keyCheck(sodium: Sodium, checkKey: Uint8Array, prefix: Uint8Array): Uint8Array {
  const tag = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    new Uint8Array(0),
    prefix,
    null,
    new Uint8Array(24),
    checkKey,
  );
  sodium.memzero(checkKey);
  return tag;
}

async function openBackup(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'cannot read the backup file', {
      cause: error,
    });
  }
}

async function readExactly(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw corrupt('the file is too short to be a Kindred backup');
  return buffer;
}

async function folderHasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw new CoreError(CoreErrorCode.VaultExists, 'the restore path is not an empty folder', {
      cause: error,
    });
  }
}

async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
