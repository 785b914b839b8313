import { readdir, stat } from 'node:fs/promises';
import { Level } from 'level';
import {
  codePointLength,
  fromBase64Url,
  fromUtf8,
  toBase64Url,
  toHex,
  utf8,
} from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from '../storage/KeyValueStore.js';
import { keySegments } from '../storage/KeyValueStore.js';
import type { KdfParams, KdfProfile } from './KdfParams.js';
import {
  DEFAULT_KDF_PROFILE,
  checkStoredKdfParams,
  deriveKeyEncryptionKey,
  kdfParamsFor,
} from './KdfParams.js';
import type { Sodium } from './sodium.js';
import { loadSodium } from './sodium.js';

/**
 * The client's encrypted local store: a LevelDB folder in which nothing is readable.
 *
 * - A random 32-byte data key is wrapped (XChaCha20-Poly1305) by a key derived from the passphrase
 *   with Argon2id. Changing the passphrase re-wraps the data key; no record is re-encrypted.
 * - Each record is sealed with XChaCha20-Poly1305 under a subkey of the data key, with its stored
 *   key as associated data, so a record moved to another slot fails to open.
 * - Logical keys are stored as chains of keyed BLAKE2b hashes, one per path segment, so listing a
 *   namespace works while the folder reveals only the shape of the tree, never a name.
 *
 * Writes are not fsynced one by one (the LevelDB log reaches the OS at once, so a crash of the app
 * loses nothing; a power cut may lose the last moments). Header writes are synced.
 */
export class Vault implements KeyValueStore {
  readonly #db: Level<string, Uint8Array>;
  readonly #sodium: Sodium;
  #keys: VaultKeys | undefined;
  readonly #hashedSegments = new Map<string, string>();

  private constructor(db: Level<string, Uint8Array>, sodium: Sodium, keys: VaultKeys) {
    this.#db = db;
    this.#sodium = sodium;
    this.#keys = keys;
  }

  /** Creates a new vault in `dir`, which must be missing or empty. */
  static async create(
    dir: string,
    passphrase: string,
    options: { kdf?: KdfProfile } = {},
  ): Promise<Vault> {
    checkNewPassphrase(passphrase);
    if (await folderHasEntries(dir)) {
      throw new CoreError(CoreErrorCode.VaultExists, 'the vault folder is not empty');
    }
    const sodium = await loadSodium();
    const params = kdfParamsFor(sodium, options.kdf ?? DEFAULT_KDF_PROFILE);
    const dataKey = sodium.randombytes_buf(DATA_KEY_BYTES);
    const header = wrapDataKey(sodium, dataKey, passphrase, params);
    const db = await openLevel(dir, true);
    try {
      await db.put(HEADER_KEY, utf8(JSON.stringify(header, serializeHeaderValue)), { sync: true });
    } catch (error) {
      await db.close();
      throw new CoreError(CoreErrorCode.Internal, 'could not write the vault header', {
        cause: error,
      });
    }
    return new Vault(db, sodium, deriveVaultKeys(sodium, dataKey));
  }

  /** Opens and unlocks an existing vault. A wrong passphrase leaves the folder untouched. */
  static async open(dir: string, passphrase: string): Promise<Vault> {
    if (!(await folderHasEntries(dir))) {
      throw new CoreError(CoreErrorCode.VaultNotFound, 'no vault in that folder');
    }
    const sodium = await loadSodium();
    const db = await openLevel(dir, false);
    try {
      const header = parseHeader(await getRaw(db, HEADER_KEY));
      const dataKey = unwrapDataKey(sodium, header, passphrase);
      return new Vault(db, sodium, deriveVaultKeys(sodium, dataKey));
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /** True when `dir` holds a vault (without unlocking it). */
  static async exists(dir: string): Promise<boolean> {
    if (!(await folderHasEntries(dir))) return false;
    try {
      const db = await openLevel(dir, false);
      try {
        const header: Uint8Array | undefined = await getRaw(db, HEADER_KEY);
        return header !== undefined;
      } finally {
        await db.close();
      }
    } catch {
      return false;
    }
  }

  get isLocked(): boolean {
    return this.#keys === undefined;
  }

  /** Closes the database and wipes the keys from memory. The object is unusable afterwards. */
  async lock(): Promise<void> {
    const keys = this.#keys;
    if (keys === undefined) return;
    this.#keys = undefined;
    this.#sodium.memzero(keys.recordKey);
    this.#sodium.memzero(keys.pathKey);
    this.#hashedSegments.clear();
    await this.#db.close();
  }

  /** Re-wraps the data key under a new passphrase. One synced write: old or new, never neither. */
  async changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<void> {
    this.#unlockedKeys();
    checkNewPassphrase(newPassphrase);
    const header = parseHeader(await getRaw(this.#db, HEADER_KEY));
    const dataKey = unwrapDataKey(this.#sodium, header, currentPassphrase);
    const params: KdfParams = {
      ...header.kdf,
      salt: this.#sodium.randombytes_buf(header.kdf.salt.length),
    };
    const next = wrapDataKey(this.#sodium, dataKey, newPassphrase, params);
    this.#sodium.memzero(dataKey);
    await this.#db.put(HEADER_KEY, utf8(JSON.stringify(next, serializeHeaderValue)), {
      sync: true,
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const storedKey = this.#storedKey(key);
    const sealed = await this.#read(storedKey);
    if (sealed === undefined) return undefined;
    return this.#open(storedKey, sealed, key).value;
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    const storedKey = this.#storedKey(key);
    await this.#write(() => this.#db.put(storedKey, this.#seal(storedKey, key, value)));
  }

  async delete(key: string): Promise<void> {
    const storedKey = this.#storedKey(key);
    await this.#write(() => this.#db.del(storedKey));
  }

  async batch(operations: readonly KeyValueOperation[]): Promise<void> {
    const prepared = operations.map((operation) => {
      const storedKey = this.#storedKey(operation.key);
      return operation.type === 'put'
        ? {
            type: 'put' as const,
            key: storedKey,
            value: this.#seal(storedKey, operation.key, operation.value),
          }
        : { type: 'del' as const, key: storedKey };
    });
    await this.#write(() => this.#db.batch(prepared));
  }

  async list(prefix: string): Promise<KeyValueEntry[]> {
    const storedPrefix = `${this.#storedKey(prefix)}/`;
    const entries: KeyValueEntry[] = [];
    for await (const [storedKey, sealed] of this.#iterate(storedPrefix)) {
      entries.push(this.#open(storedKey, sealed, undefined));
    }
    return entries;
  }

  async deleteTree(prefix: string): Promise<void> {
    const storedPrefix = `${this.#storedKey(prefix)}/`;
    this.#unlockedKeys();
    await this.#write(() => this.#db.clear({ gte: storedPrefix, lt: `${storedPrefix}\uffff` }));
  }

  #unlockedKeys(): VaultKeys {
    if (this.#keys === undefined) {
      throw new CoreError(CoreErrorCode.VaultLocked, 'the vault is locked');
    }
    return this.#keys;
  }

  /** `r/` then one 32-hex-digit keyed hash per segment, each chained to its parent's. */
  #storedKey(key: string): string {
    const keys = this.#unlockedKeys();
    const cached = this.#hashedSegments.get(key);
    if (cached !== undefined) return cached;
    let parent: Uint8Array = new Uint8Array(0);
    const hashed: string[] = [];
    for (const segment of keySegments(key)) {
      const input = new Uint8Array(parent.length + segment.length * 3);
      input.set(parent);
      const written = new TextEncoder().encodeInto(segment, input.subarray(parent.length)).written;
      parent = this.#sodium.crypto_generichash(
        16,
        input.subarray(0, parent.length + written),
        keys.pathKey,
      );
      hashed.push(toHex(parent));
    }
    const storedKey = `${RECORD_PREFIX}${hashed.join('/')}`;
    if (this.#hashedSegments.size >= HASH_CACHE_LIMIT) this.#hashedSegments.clear();
    this.#hashedSegments.set(key, storedKey);
    return storedKey;
  }

  /** Record layout: nonce(24) ‖ AEAD(keyLength(2) ‖ logicalKey ‖ value), AD = stored key. */
  #seal(storedKey: string, key: string, value: Uint8Array): Uint8Array {
    const keys = this.#unlockedKeys();
    const keyBytes = utf8(key);
    const plaintext = new Uint8Array(2 + keyBytes.length + value.length);
    new DataView(plaintext.buffer).setUint16(0, keyBytes.length);
    plaintext.set(keyBytes, 2);
    plaintext.set(value, 2 + keyBytes.length);
    const nonce = this.#sodium.randombytes_buf(NONCE_BYTES);
    const ciphertext = this.#sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      utf8(storedKey),
      null,
      nonce,
      keys.recordKey,
    );
    const sealed = new Uint8Array(NONCE_BYTES + ciphertext.length);
    sealed.set(nonce);
    sealed.set(ciphertext, NONCE_BYTES);
    return sealed;
  }

  #open(storedKey: string, sealed: Uint8Array, expectedKey: string | undefined): KeyValueEntry {
    const keys = this.#unlockedKeys();
    let plaintext: Uint8Array;
    try {
      if (sealed.length < NONCE_BYTES + TAG_BYTES + 2) throw new RangeError('record too short');
      plaintext = this.#sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        sealed.subarray(NONCE_BYTES),
        utf8(storedKey),
        sealed.subarray(0, NONCE_BYTES),
        keys.recordKey,
      );
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'a vault record failed authentication', {
        cause: error,
      });
    }
    const keyLength = new DataView(plaintext.buffer, plaintext.byteOffset).getUint16(0);
    let key: string;
    try {
      key = fromUtf8(plaintext.subarray(2, 2 + keyLength));
    } catch (error) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'a vault record is malformed', {
        cause: error,
      });
    }
    // The AEAD already binds the record to its slot; this guards against a bug writing a record
    // whose embedded key disagrees with the slot it was sealed for.
    if ((expectedKey !== undefined && key !== expectedKey) || this.#storedKey(key) !== storedKey) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'a vault record is in the wrong place');
    }
    return { key, value: plaintext.slice(2 + keyLength) };
  }

  async #read(storedKey: string): Promise<Uint8Array | undefined> {
    try {
      return await getRaw(this.#db, storedKey);
    } catch (error) {
      throw levelError(error);
    }
  }

  async *#iterate(storedPrefix: string): AsyncGenerator<[string, Uint8Array]> {
    try {
      for await (const entry of this.#db.iterator({
        gte: storedPrefix,
        lt: `${storedPrefix}\uffff`,
      })) {
        yield entry;
      }
    } catch (error) {
      throw levelError(error);
    }
  }

  async #write(operation: () => Promise<void>): Promise<void> {
    this.#unlockedKeys();
    try {
      await operation();
    } catch (error) {
      throw levelError(error);
    }
  }
}

interface VaultKeys {
  /** Seals records. */
  readonly recordKey: Uint8Array;
  /** Keys the hashes that hide logical key names. */
  readonly pathKey: Uint8Array;
}

interface VaultHeader {
  readonly format: typeof HEADER_FORMAT;
  readonly version: typeof HEADER_VERSION;
  readonly kdf: KdfParams;
  readonly wrappedKey: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
}

/** The one plaintext record: how to turn the passphrase into the key that unwraps the data key.
 * It sorts apart from records (`h` < `r`). */
const HEADER_KEY = 'h';
const RECORD_PREFIX = 'r/';
const HEADER_FORMAT = 'kindred-vault';
const HEADER_VERSION = 1;
const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const HASH_CACHE_LIMIT = 10_000;
const MIN_PASSPHRASE_LENGTH = 8;

function checkNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || codePointLength(passphrase) < MIN_PASSPHRASE_LENGTH) {
    throw new CoreError(
      CoreErrorCode.WeakPassphrase,
      `a passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
}

function deriveVaultKeys(sodium: Sodium, dataKey: Uint8Array): VaultKeys {
  const keys = {
    recordKey: sodium.crypto_kdf_derive_from_key(32, 1, 'KdVault1', dataKey),
    pathKey: sodium.crypto_kdf_derive_from_key(32, 2, 'KdVault1', dataKey),
  };
  sodium.memzero(dataKey);
  return keys;
}

/** The KDF parameters are authenticated with the wrapped key: editing them breaks the unwrap. */
function wrapAssociatedData(params: KdfParams): Uint8Array {
  return utf8(
    `${HEADER_FORMAT}/v${HEADER_VERSION}/${params.algorithm}/${params.opsLimit}/${params.memLimit}/${toBase64Url(params.salt)}`,
  );
}

function wrapDataKey(
  sodium: Sodium,
  dataKey: Uint8Array,
  passphrase: string,
  kdf: KdfParams,
): VaultHeader {
  const kek = deriveKeyEncryptionKey(sodium, passphrase, kdf);
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

function unwrapDataKey(sodium: Sodium, header: VaultHeader, passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CoreError(CoreErrorCode.WrongPassphrase, 'wrong passphrase');
  }
  checkStoredKdfParams(sodium, header.kdf);
  const kek = deriveKeyEncryptionKey(sodium, passphrase, header.kdf);
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

// The header is JSON so an operator can see which KDF a vault uses; bytes are base64url.
function serializeHeaderValue(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toBase64Url(value) : value;
}

function parseHeader(raw: Uint8Array | undefined): VaultHeader {
  if (raw === undefined) {
    throw new CoreError(CoreErrorCode.NotAVault, 'the folder is a database but not a vault');
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
    throw new CoreError(CoreErrorCode.NotAVault, 'the folder is a database but not a vault');
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

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

async function folderHasEntries(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new CoreError(CoreErrorCode.NotAVault, 'the vault path is not a folder');
    }
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if (CoreError.is(error)) throw error;
    if (isNodeError(error) && error.code === 'ENOENT') return false;
    throw new CoreError(CoreErrorCode.Internal, 'could not read the vault folder', {
      cause: error,
    });
  }
}

async function openLevel(dir: string, create: boolean): Promise<Level<string, Uint8Array>> {
  const db = new Level<string, Uint8Array>(dir, {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
    createIfMissing: create,
    errorIfExists: create,
  });
  try {
    await db.open();
  } catch (error) {
    throw levelError(error);
  }
  return db;
}

/** Translates LevelDB's coded errors (LEVEL_LOCKED, LEVEL_CORRUPTION, …) into core's codes. */
function levelError(error: unknown): CoreError {
  if (CoreError.is(error)) return error;
  const codes = new Set<string>();
  for (let e: unknown = error; isNodeError(e); e = e.cause) {
    if (typeof e.code === 'string') codes.add(e.code);
    if (e.cause === e) break;
  }
  if (codes.has('LEVEL_LOCKED')) {
    return new CoreError(CoreErrorCode.VaultAlreadyOpen, 'the vault is open elsewhere', {
      cause: error,
    });
  }
  if (codes.has('LEVEL_CORRUPTION')) {
    return new CoreError(CoreErrorCode.VaultCorrupt, 'the vault database is corrupted', {
      cause: error,
    });
  }
  if (codes.has('LEVEL_DATABASE_NOT_OPEN') || codes.has('LEVEL_INVALID_VALUE')) {
    return new CoreError(CoreErrorCode.NotAVault, 'the folder does not hold a vault', {
      cause: error,
    });
  }
  return new CoreError(CoreErrorCode.Internal, 'vault storage failed', { cause: error });
}

function isNodeError(value: unknown): value is Error & { code?: unknown; cause?: unknown } {
  return value instanceof Error;
}

/** `level`'s type declarations say get() always yields a value; since level 10 it yields
 * undefined for a missing key (as classic-level declares), so widen the type here, once. */
async function getRaw(db: Level<string, Uint8Array>, key: string): Promise<Uint8Array | undefined> {
  const value: Uint8Array | undefined = await db.get(key);
  return value;
}
