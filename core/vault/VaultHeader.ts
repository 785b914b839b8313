import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { codePointLength, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KdfParams } from './KdfParams.js';
import { checkStoredKdfParams, deriveKeyEncryptionKey } from './KdfParams.js';
import type { Sodium } from './sodium.js';

/**
 * The vault header, `vault.json`: the KDF parameters and the data key wrapped under the
 * passphrase-derived key. It is the only plaintext a vault has, and JSON so an operator can see
 * which KDF a vault uses. The parameters are bound into the wrap's associated data, so editing
 * them breaks the unwrap exactly as a wrong passphrase does.
 */
export interface VaultHeader {
  readonly format: typeof HEADER_FORMAT;
  readonly version: typeof HEADER_VERSION;
  readonly kdf: KdfParams;
  readonly wrappedKey: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
}

export const HEADER_FILE = 'vault.json';
/** Where a new header is written before it is renamed over the old one. */
export const HEADER_TEMPORARY_FILE = `${HEADER_FILE}.tmp`;
export const DATA_KEY_BYTES = 32;
const HEADER_FORMAT = 'kindred-vault';
const HEADER_VERSION = 1;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const MIN_PASSPHRASE_LENGTH = 8;
/** A header is a few hundred bytes; anything much larger is not ours. */
const MAX_HEADER_BYTES = 64 * 1024;

export function checkNewPassphrase(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string' || codePointLength(passphrase) < MIN_PASSPHRASE_LENGTH) {
    throw new CoreError(
      CoreErrorCode.WeakPassphrase,
      `a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
}

export async function wrapDataKey(
  sodium: Sodium,
  dataKey: Uint8Array,
  passphrase: string,
  kdf: KdfParams,
): Promise<VaultHeader> {
  const kek = await deriveKeyEncryptionKey(sodium, passphrase, kdf);
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    dataKey,
    wrapAssociatedData(kdf),
    null,
    nonce,
    kek,
  );
  sodium.memzero(kek);
  return { format: HEADER_FORMAT, version: HEADER_VERSION, kdf, wrappedKey: { nonce, ciphertext } };
}

export async function unwrapDataKey(
  sodium: Sodium,
  header: VaultHeader,
  passphrase: unknown,
): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CoreError(CoreErrorCode.WrongPassphrase, 'wrong passphrase');
  }
  checkStoredKdfParams(sodium, header.kdf);
  const kek = await deriveKeyEncryptionKey(sodium, passphrase, header.kdf);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      header.wrappedKey.ciphertext,
      wrapAssociatedData(header.kdf),
      header.wrappedKey.nonce,
      kek,
    );
  } catch (error) {
    // A tampered header is indistinguishable from a wrong passphrase, by design of the AEAD.
    throw new CoreError(CoreErrorCode.WrongPassphrase, 'wrong passphrase', { cause: error });
  } finally {
    sodium.memzero(kek);
  }
}

/** Reads and parses `dir`'s header. */
export async function readHeader(dir: string): Promise<VaultHeader> {
  let raw: Uint8Array;
  try {
    const path = join(dir, HEADER_FILE);
    raw = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = isNodeError(error) ? error.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw new CoreError(CoreErrorCode.NotAVault, 'the folder does not hold a vault', {
        cause: error,
      });
    }
    throw new CoreError(CoreErrorCode.Internal, 'could not read the vault header', {
      cause: error,
    });
  }
  return parseHeader(raw);
}

/**
 * Replaces the header atomically: the new header goes to a temporary file that is synced, then
 * renamed over the old one, then the folder is synced so the rename itself is durable. A crash
 * leaves the old header or the new one, never neither (a leftover temporary file is ignored by
 * `readHeader` and overwritten by the next write).
 */
export async function writeHeader(dir: string, header: VaultHeader): Promise<void> {
  const target = join(dir, HEADER_FILE);
  const temporary = join(dir, HEADER_TEMPORARY_FILE);
  try {
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(utf8(JSON.stringify(header, serializeBytes)));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, target);
    } catch (error) {
      // The old header stands; a temporary file wrapping the key under the new passphrase is
      // not worth leaving behind.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (error) {
    throw new CoreError(CoreErrorCode.Internal, 'could not write the vault header', {
      cause: error,
    });
  }
}

export function parseHeader(raw: Uint8Array): VaultHeader {
  if (raw.length > MAX_HEADER_BYTES) {
    throw new CoreError(CoreErrorCode.NotAVault, 'the folder does not hold a vault');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(raw));
  } catch (error) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'the vault header is unreadable', {
      cause: error,
    });
  }
  const header = asRecord(parsed);
  if (header?.format !== HEADER_FORMAT) {
    throw new CoreError(CoreErrorCode.NotAVault, 'the folder does not hold a vault');
  }
  if (header.version !== HEADER_VERSION) {
    throw new CoreError(CoreErrorCode.VaultUnsupportedVersion, 'unsupported vault version');
  }
  const kdf = asRecord(header.kdf);
  const wrapped = asRecord(header.wrappedKey);
  const salt = typeof kdf?.salt === 'string' ? fromBase64Url(kdf.salt) : undefined;
  const nonce = typeof wrapped?.nonce === 'string' ? fromBase64Url(wrapped.nonce) : undefined;
  const ciphertext =
    typeof wrapped?.ciphertext === 'string' ? fromBase64Url(wrapped.ciphertext) : undefined;
  if (
    kdf?.algorithm !== 'argon2id13' ||
    typeof kdf.opsLimit !== 'number' ||
    typeof kdf.memLimit !== 'number' ||
    salt === undefined ||
    nonce?.length !== NONCE_BYTES ||
    ciphertext?.length !== DATA_KEY_BYTES + TAG_BYTES
  ) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'the vault header is malformed');
  }
  return {
    format: HEADER_FORMAT,
    version: HEADER_VERSION,
    kdf: { algorithm: 'argon2id13', opsLimit: kdf.opsLimit, memLimit: kdf.memLimit, salt },
    wrappedKey: { nonce, ciphertext },
  };
}

function wrapAssociatedData(params: KdfParams): Uint8Array {
  return utf8(
    `${HEADER_FORMAT}/v${HEADER_VERSION}/${params.algorithm}/${params.opsLimit}/${params.memLimit}/${toBase64Url(params.salt)}`,
  );
}

function serializeBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toBase64Url(value) : value;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function isNodeError(value: unknown): value is Error & { code?: unknown; cause?: unknown } {
  return value instanceof Error;
}
