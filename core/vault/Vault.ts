import { randomFillSync } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { fromHex, fromUtf8, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueEntry, KeyValueOperation, KeyValueStore } from '../storage/KeyValueStore.js';
import { keySegments } from '../storage/KeyValueStore.js';
import type { KdfParams, KdfProfile } from './KdfParams.js';
import { DEFAULT_KDF_PROFILE, kdfParamsFor } from './KdfParams.js';
import { SerialQueue } from '../concurrency/SerialQueue.js';
import { padmeLength } from '../padding/padding.js';
import { BatchedWriter } from './BatchedWriter.js';
import { RecordCache } from './RecordCache.js';
import type { RecordCipher } from './RecordCipher.js';
import { RECORD_NONCE_BYTES, RECORD_TAG_BYTES, installedRecordCipher } from './RecordCipher.js';
import type { Sodium } from './sodium.js';
import { loadSodium } from './sodium.js';
import {
  DATA_KEY_BYTES,
  checkNewPassphrase,
  isNodeError,
  readHeader,
  unwrapDataKey,
  wrapDataKey,
  writeHeader,
} from './VaultHeader.js';
import type { VaultHeader } from './VaultHeader.js';

/**
 * The client's encrypted local store: a folder in which nothing is readable.
 *
 * - A random 32-byte data key is wrapped (XChaCha20-Poly1305) by a key derived from the passphrase
 *   with Argon2id. Changing the passphrase re-wraps the data key; no record is re-encrypted.
 * - Each record is sealed with XChaCha20-Poly1305 under a subkey of the data key, with its stored
 *   key as associated data, so a record moved to another slot fails to open.
 * - Logical keys are stored as chains of keyed BLAKE2b hashes, one per path segment, so listing a
 *   namespace works while the folder reveals only the shape of the tree, never a name.
 *
 * On disk: `vault.json` (the header, see VaultHeader.ts, the only plaintext) and `records/`
 * (LevelDB). The passphrase is checked against the header before LevelDB is opened, so a wrong
 * guess changes no file. Record writes are not fsynced one by one (the LevelDB log reaches the OS
 * at once, so a crash of the app loses nothing; a power cut may lose the last moments).
 */
export class Vault implements KeyValueStore {
  readonly #dir: string;
  readonly #db: Level<string, Uint8Array>;
  readonly #sodium: Sodium;
  readonly #cipher: RecordCipher;
  #keys: VaultKeys | undefined;
  /** Logical key (or a prefix of whole segments) → its stored key and last path hash. */
  readonly #hashedKeys = new Map<string, HashedPath>();
  readonly #writer: BatchedWriter;
  readonly #cache = new RecordCache(RECORD_CACHE_LIMIT);
  /** Header rewrites, one at a time (they share the temporary file). */
  readonly #headerQueue = new SerialQueue();

  private constructor(dir: string, db: Level<string, Uint8Array>, sodium: Sodium, keys: VaultKeys) {
    this.#dir = dir;
    this.#db = db;
    this.#sodium = sodium;
    this.#cipher = installedRecordCipher(sodium);
    this.#keys = keys;
    this.#writer = new BatchedWriter(db);
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
    const header = await wrapDataKey(sodium, dataKey, passphrase, params);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Records first, header last: a folder is a vault only once its header is in place.
    const db = await openLevel(join(dir, RECORDS_FOLDER), true);
    try {
      await writeHeader(dir, header);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new Vault(dir, db, sodium, deriveVaultKeys(sodium, dataKey));
  }

  /** Opens and unlocks an existing vault. A wrong passphrase leaves every file untouched. */
  static async open(dir: string, passphrase: string): Promise<Vault> {
    const header = await Vault.#header(dir);
    const sodium = await loadSodium();
    const dataKey = await unwrapDataKey(sodium, header, passphrase);
    let db: Level<string, Uint8Array>;
    try {
      db = await openLevel(join(dir, RECORDS_FOLDER), false);
    } catch (error) {
      sodium.memzero(dataKey);
      throw error;
    }
    return new Vault(dir, db, sodium, deriveVaultKeys(sodium, dataKey));
  }

  /**
   * Throws what `open` would before it needs the passphrase, so a caller can say there is no
   * vault before asking for one: CORE_VAULT_NOT_FOUND for a missing or empty folder,
   * CORE_VAULT_NOT_A_VAULT for a folder (or file) without a vault header.
   */
  static async check(dir: string): Promise<void> {
    await Vault.#header(dir);
  }

  static async #header(dir: string): Promise<VaultHeader> {
    if (!(await folderHasEntries(dir))) {
      throw new CoreError(CoreErrorCode.VaultNotFound, 'no vault in that folder');
    }
    return readHeader(dir);
  }

  /** True when `dir` holds a vault (open or not), judged by its header alone. */
  static async exists(dir: string): Promise<boolean> {
    try {
      await readHeader(dir);
      return true;
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
    try {
      await this.#writer.flush();
    } finally {
      this.#keys = undefined;
      this.#sodium.memzero(keys.recordKey);
      this.#sodium.memzero(keys.pathKey);
      for (const hashed of this.#hashedKeys.values()) hashed.hash?.fill(0);
      this.#hashedKeys.clear();
      this.#cipher.wipe();
      this.#cache.clear();
      await this.#db.close();
    }
  }

  /**
   * Re-wraps the data key under a new passphrase (Argon2id with the limits the vault was created
   * with, a fresh salt); no record is re-encrypted. The header is replaced by writing a synced
   * temporary file and renaming it over the old one, so until the rename is durable the current
   * passphrase opens the vault, and afterwards the new one: a crash leaves one of the two, never
   * neither. A wrong current passphrase is CORE_VAULT_WRONG_PASSPHRASE, a weak new one
   * CORE_VAULT_WEAK_PASSPHRASE; either way nothing changes. Calls run one at a time.
   */
  changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<void> {
    return this.#headerQueue.run(async () => {
      const keys = this.#unlockedKeys();
      checkNewPassphrase(newPassphrase);
      const header = await readHeader(this.#dir);
      const dataKey = await unwrapDataKey(this.#sodium, header, currentPassphrase);
      try {
        // The header on disk must wrap the key this vault runs on: re-wrapping a header someone
        // swapped in (another vault's) would lock the user out of their own records.
        const recordKey = this.#sodium.crypto_kdf_derive_from_key(32, 1, 'KdVault1', dataKey);
        const same = this.#sodium.memcmp(recordKey, keys.recordKey);
        this.#sodium.memzero(recordKey);
        if (!same) {
          throw new CoreError(CoreErrorCode.VaultCorrupt, 'the vault header wraps another key');
        }
        const params: KdfParams = {
          ...header.kdf,
          salt: this.#sodium.randombytes_buf(header.kdf.salt.length),
        };
        await writeHeader(
          this.#dir,
          await wrapDataKey(this.#sodium, dataKey, newPassphrase, params),
        );
      } finally {
        this.#sodium.memzero(dataKey);
      }
    });
  }

  /**
   * For a backup (core/backup): the data key, unwrapped from this vault's header with its
   * passphrase, so an unlocked window alone cannot export the vault. CORE_VAULT_WRONG_PASSPHRASE
   * when the passphrase is wrong; CORE_VAULT_CORRUPT when the header wraps another key. Also
   * returns the header's KDF limits, which a passphrase-protected backup reuses. The caller wipes
   * the key.
   */
  async exportDataKey(passphrase: string): Promise<{ dataKey: Uint8Array; kdf: KdfParams }> {
    const keys = this.#unlockedKeys();
    const header = await readHeader(this.#dir);
    const dataKey = await unwrapDataKey(this.#sodium, header, passphrase);
    const recordKey = this.#sodium.crypto_kdf_derive_from_key(32, 1, 'KdVault1', dataKey);
    const same = this.#sodium.memcmp(recordKey, keys.recordKey);
    this.#sodium.memzero(recordKey);
    if (!same) {
      this.#sodium.memzero(dataKey);
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'the vault header wraps another key');
    }
    return { dataKey, kdf: header.kdf };
  }

  /**
   * Every record as stored (hashed key, sealed value), for a backup: pending writes are flushed,
   * then one LevelDB iterator reads from the snapshot LevelDB takes when it is made, so writes the
   * app makes meanwhile neither show up half-way nor wait. Streams, a page of records at a time.
   */
  async *sealedRecords(): AsyncGenerator<readonly (readonly [string, Uint8Array])[]> {
    await this.flush();
    yield* this.#pages(RECORD_PREFIX);
  }

  /**
   * Makes a vault in `dir` (missing or empty) from records copied as stored out of another vault
   * sealed under `dataKey` (see `sealedRecords`), and wraps that key under `passphrase`. The
   * records go in first and the header last, so a folder left by a failure is never a vault.
   * A stored key that is not shaped like ours is CORE_VAULT_CORRUPT. Returns the vault, open.
   */
  static async fromSealedRecords(
    dir: string,
    dataKey: Uint8Array,
    passphrase: string,
    records: AsyncIterable<readonly (readonly [string, Uint8Array])[]>,
    options: { kdf?: KdfProfile } = {},
  ): Promise<Vault> {
    checkNewPassphrase(passphrase);
    if (await folderHasEntries(dir)) {
      throw new CoreError(CoreErrorCode.VaultExists, 'the vault folder is not empty');
    }
    const sodium = await loadSodium();
    const params = kdfParamsFor(sodium, options.kdf ?? DEFAULT_KDF_PROFILE);
    const header = await wrapDataKey(sodium, dataKey, passphrase, params);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const db = await openLevel(join(dir, RECORDS_FOLDER), true);
    try {
      for await (const batch of records) {
        for (const [storedKey] of batch) {
          if (!STORED_KEY_PATTERN.test(storedKey)) {
            throw new CoreError(CoreErrorCode.VaultCorrupt, 'a copied record has a foreign key');
          }
        }
        try {
          await db.batch(batch.map(([key, value]) => ({ type: 'put', key, value })));
        } catch (error) {
          throw levelError(error);
        }
      }
      await writeHeader(dir, header);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new Vault(dir, db, sodium, deriveVaultKeys(sodium, dataKey.slice()));
  }

  get(key: string): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.#getNow(key));
    } catch (error) {
      return Promise.reject(levelError(error));
    }
  }

  /** Reads never wait: the cache, then queued writes, then LevelDB's synchronous read. */
  #getNow(key: string): Uint8Array | undefined {
    const storedKey = this.#storedKey(key);
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const pending = this.#writer.pending(storedKey);
    if (pending !== undefined) {
      return pending === null ? undefined : this.#open(storedKey, pending, key).value;
    }
    const sealed = this.#read(storedKey);
    const value = sealed === undefined ? undefined : this.#open(storedKey, sealed, key).value;
    this.#cache.set(key, value ?? null);
    return value;
  }

  put(key: string, value: Uint8Array): Promise<void> {
    return this.batch([{ type: 'put', key, value }]);
  }

  delete(key: string): Promise<void> {
    return this.batch([{ type: 'delete', key }]);
  }

  /**
   * Queues the operations as one atomic write and resolves: reads see them at once, LevelDB gets
   * them within a moment (see BatchedWriter). Await `flush()` where they must be on disk.
   */
  batch(operations: readonly KeyValueOperation[]): Promise<void> {
    try {
      this.#unlockedKeys();
      const writes = operations.map((operation) => {
        const storedKey = this.#storedKey(operation.key);
        return [
          storedKey,
          operation.type === 'put' ? this.#seal(storedKey, operation.key, operation.value) : null,
        ] as const;
      });
      this.#writer.enqueue(writes);
      for (const operation of operations) {
        this.#cache.set(operation.key, operation.type === 'put' ? operation.value : null);
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(levelError(error));
    }
  }

  /** Resolves once every write made so far is in LevelDB's log (on disk unless power fails). */
  async flush(): Promise<void> {
    this.#unlockedKeys();
    try {
      await this.#writer.flush();
    } catch (error) {
      throw levelError(error);
    }
  }

  async list(prefix: string): Promise<KeyValueEntry[]> {
    const storedPrefix = `${this.#storedKey(prefix)}/`;
    await this.flush();
    const entries: KeyValueEntry[] = [];
    for await (const page of this.#pages(storedPrefix)) {
      for (const [storedKey, sealed] of page)
        entries.push(this.#open(storedKey, sealed, undefined));
    }
    return entries;
  }

  async deleteTree(prefix: string): Promise<void> {
    const storedPrefix = `${this.#storedKey(prefix)}/`;
    await this.flush();
    this.#cache.forgetTree(keySegments(prefix).join('/'));
    try {
      await this.#db.clear({ gte: storedPrefix, lt: `${storedPrefix}\uffff` });
    } catch (error) {
      throw levelError(error);
    }
  }

  #unlockedKeys(): VaultKeys {
    if (this.#keys === undefined) {
      throw new CoreError(CoreErrorCode.VaultLocked, 'the vault is locked');
    }
    return this.#keys;
  }

  /** `r/` then one 32-hex-digit keyed hash per segment, each chained to its parent's. */
  #storedKey(key: string): string {
    this.#unlockedKeys();
    const cached = this.#hashedKeys.get(key);
    if (cached !== undefined) return cached.storedKey;
    keySegments(key);
    return this.#hashedPath(key).storedKey;
  }

  /**
   * The hashed path of a well-formed key, its parents' taken from the cache: reading the records
   * of one conversation hashes one segment per record, not the whole path each time.
   */
  #hashedPath(key: string): HashedPath {
    const keys = this.#unlockedKeys();
    const cached = this.#hashedKeys.get(key);
    if (cached !== undefined) return cached;
    const slash = key.lastIndexOf('/');
    const parent = slash < 0 ? ROOT_PATH : this.#hashedPath(key.slice(0, slash));
    // Only parents need their hash as bytes, to chain from; leaves keep the hex alone.
    parent.hash ??= fromHex(parent.storedKey.slice(-PATH_HASH_HEX_DIGITS));
    const segment = slash < 0 ? key : key.slice(slash + 1);
    const hex = this.#cipher.pathHash(parent.hash ?? new Uint8Array(0), segment, keys.pathKey);
    const hashed: HashedPath = { storedKey: `${parent.storedKey}/${hex}` };
    if (this.#hashedKeys.size >= HASH_CACHE_LIMIT) this.#hashedKeys.clear();
    this.#hashedKeys.set(key, hashed);
    return hashed;
  }

  /**
   * Record layout: nonce(24) ‖ AEAD(flags|keyLength(2) ‖ logicalKey ‖ value ‖ 0x80 ‖ zeros),
   * AD = stored key. The plaintext is padded to a Padmé bucket (at least MIN_RECORD_BUCKET), so
   * the folder shows coarse record sizes, never a message's length. Records written before
   * padding (PADDED_FLAG clear) are read as they are.
   */
  #seal(storedKey: string, key: string, value: Uint8Array): Uint8Array {
    const keys = this.#unlockedKeys();
    const keyBytes = utf8(key);
    if (keyBytes.length >= PADDED_FLAG) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'a vault key is too long');
    }
    const unpadded = 2 + keyBytes.length + value.length + 1;
    const plaintext = new Uint8Array(padmeLength(Math.max(unpadded, MIN_RECORD_BUCKET)));
    new DataView(plaintext.buffer).setUint16(0, PADDED_FLAG | keyBytes.length);
    plaintext.set(keyBytes, 2);
    plaintext.set(value, 2 + keyBytes.length);
    plaintext[unpadded - 1] = 0x80;
    // node:crypto's CSPRNG: libsodium's randombytes_buf costs ~100 µs a call in WebAssembly.
    const nonce = randomFillSync(new Uint8Array(RECORD_NONCE_BYTES));
    return this.#cipher.seal(plaintext, storedKey, nonce, keys.recordKey);
  }

  #open(storedKey: string, sealed: Uint8Array, expectedKey: string | undefined): KeyValueEntry {
    const keys = this.#unlockedKeys();
    const plaintext =
      sealed.length < RECORD_NONCE_BYTES + RECORD_TAG_BYTES + 2
        ? undefined
        : this.#cipher.open(sealed, storedKey, keys.recordKey);
    if (plaintext === undefined) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'a vault record failed authentication');
    }
    const flagged = ((plaintext[0] ?? 0) << 8) | (plaintext[1] ?? 0);
    const keyLength = flagged & ~PADDED_FLAG;
    let valueEnd = plaintext.length;
    if ((flagged & PADDED_FLAG) !== 0) {
      valueEnd = plaintext.lastIndexOf(0x80);
      if (valueEnd < 2 + keyLength || plaintext.subarray(valueEnd + 1).some((byte) => byte !== 0)) {
        throw new CoreError(CoreErrorCode.VaultCorrupt, 'a vault record is malformed');
      }
    }
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
    return { key, value: plaintext.slice(2 + keyLength, valueEnd) };
  }

  /**
   * A synchronous LevelDB read: a few microseconds from LevelDB's block cache, where the async
   * read waits for a thread-pool round trip that costs far more than the read itself.
   */
  #read(storedKey: string): Uint8Array | undefined {
    try {
      const value: Uint8Array | undefined = this.#db.getSync(storedKey);
      return value;
    } catch (error) {
      throw levelError(error);
    }
  }

  /**
   * The records below a stored prefix, in key order, a page at a time from one LevelDB iterator:
   * one await per page, where one per record cost more than reading and opening the record.
   */
  async *#pages(storedPrefix: string): AsyncGenerator<readonly (readonly [string, Uint8Array])[]> {
    const iterator = this.#db.iterator({ gte: storedPrefix, lt: `${storedPrefix}\uffff` });
    try {
      for (;;) {
        const page = await iterator.nextv(READ_PAGE_RECORDS);
        if (page.length === 0) return;
        yield page;
      }
    } catch (error) {
      throw levelError(error);
    } finally {
      await iterator.close();
    }
  }
}

interface HashedPath {
  /** `r/` and the hex of each segment's hash. */
  readonly storedKey: string;
  /** The last segment's hash, which its children's hashes chain from (set once one asks). */
  hash?: Uint8Array | undefined;
}

interface VaultKeys {
  /** Seals records. */
  readonly recordKey: Uint8Array;
  /** Keys the hashes that hide logical key names. */
  readonly pathKey: Uint8Array;
}

/** Set in a record's key-length field: its plaintext is padded (0x80, then zeros). */
const PADDED_FLAG = 0x8000;
/** The smallest record plaintext: small records (counters, flags, short texts) all look alike. */
export const MIN_RECORD_BUCKET = 64;
const RECORDS_FOLDER = 'records';
const RECORD_PREFIX = 'r/';
/** A stored key: the prefix, then one 32-hex-digit hash per path segment. */
const STORED_KEY_PATTERN = /^r\/[0-9a-f]{32}(\/[0-9a-f]{32})*$/;
/** The root of every stored key's hash chain: the prefix, and no hash to chain from. */
const ROOT_PATH: HashedPath = {
  storedKey: RECORD_PREFIX.slice(0, -1),
  hash: new Uint8Array(0),
};
const PATH_HASH_HEX_DIGITS = 32;
const HASH_CACHE_LIMIT = 10_000;
/** Records read from LevelDB per page (`list`, a backup's copy): enough to amortise the round
 * trip to LevelDB's thread, few enough (a few hundred KiB) to keep the sealed copies small. */
const READ_PAGE_RECORDS = 1000;
/** Opened records kept in memory; libsignal's hot records are a few KiB each. */
const RECORD_CACHE_LIMIT = 4096;

function deriveVaultKeys(sodium: Sodium, dataKey: Uint8Array): VaultKeys {
  const keys = {
    recordKey: sodium.crypto_kdf_derive_from_key(32, 1, 'KdVault1', dataKey),
    pathKey: sodium.crypto_kdf_derive_from_key(32, 2, 'KdVault1', dataKey),
  };
  sodium.memzero(dataKey);
  return keys;
}

async function folderHasEntries(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if (isNodeError(error) && error.code === 'ENOENT') return false;
    if (isNodeError(error) && error.code === 'ENOTDIR') {
      throw new CoreError(CoreErrorCode.NotAVault, 'the vault path is not a folder', {
        cause: error,
      });
    }
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
    // The header was there, so a records database that will not open is damage.
    return new CoreError(CoreErrorCode.VaultCorrupt, 'the vault records cannot be opened', {
      cause: error,
    });
  }
  return new CoreError(CoreErrorCode.Internal, 'vault storage failed', { cause: error });
}
