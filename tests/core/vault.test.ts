import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  DEFAULT_KDF_PROFILE,
  PersonaDirectory,
  Vault,
  fromBase64Url,
  fromUtf8,
  toBase64Url,
  utf8,
} from '../../core/index.js';
import type { CoreErrorCode } from '../../core/index.js';

const PASSPHRASE = 'correct horse battery staple';
const OTHER_PASSPHRASE = 'a different passphrase';
const FAST = { kdf: 'insecure-fast' } as const;
const HEADER_FILE = 'vault.json';
const RECORDS_FOLDER = 'records';
const RECORD_PREFIX = 'r/';

type RawDb = Level<string, Uint8Array>;

/** The header as Vault writes it: JSON with base64url bytes. */
interface HeaderJson {
  format: string;
  version: number;
  kdf: { algorithm: string; opsLimit: number; memLimit: number; salt: string };
  wrappedKey: { nonce: string; ciphertext: string };
}

const dirs: string[] = [];
const vaults: Vault[] = [];

afterEach(async () => {
  for (const vault of vaults.splice(0)) await vault.lock();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-'));
  dirs.push(dir);
  return dir;
}

/** Every vault a test opens is locked after it, whatever the outcome. */
function track(vault: Vault): Vault {
  vaults.push(vault);
  return vault;
}

async function createVault(dir: string, passphrase = PASSPHRASE): Promise<Vault> {
  return track(await Vault.create(dir, passphrase, FAST));
}

async function openVault(dir: string, passphrase = PASSPHRASE): Promise<Vault> {
  return track(await Vault.open(dir, passphrase));
}

async function expectCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await expect(promise).rejects.toMatchObject({ code });
}

/** Opens the vault's records as a plain LevelDB, for looking at or tampering with them. */
async function withRaw<T>(dir: string, use: (db: RawDb) => Promise<T>): Promise<T> {
  const db: RawDb = new Level<string, Uint8Array>(path.join(dir, RECORDS_FOLDER), {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
  });
  await db.open();
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** level 10 yields undefined for a missing key although its declarations say otherwise. */
async function rawGetOptional(db: RawDb, key: string): Promise<Uint8Array | undefined> {
  const value: Uint8Array | undefined = await db.get(key);
  return value;
}

/** A copy of a stored value, as a plain Uint8Array (level hands out Buffers). */
async function rawGet(db: RawDb, key: string): Promise<Uint8Array> {
  const value = await rawGetOptional(db, key);
  if (value === undefined) throw new Error(`raw key ${key} is missing`);
  return new Uint8Array(value);
}

async function rawEntries(dir: string): Promise<[string, string][]> {
  return withRaw(dir, async (db) => {
    const entries: [string, string][] = [];
    for await (const [key, value] of db.iterator()) entries.push([key, toBase64Url(value)]);
    return entries;
  });
}

async function recordKeys(db: RawDb): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of db.keys({ gte: RECORD_PREFIX, lt: `${RECORD_PREFIX}\uffff` })) {
    keys.push(key);
  }
  return keys;
}

async function readRawHeader(dir: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path.join(dir, HEADER_FILE)));
}

async function readHeader(dir: string): Promise<HeaderJson> {
  return JSON.parse(fromUtf8(await readRawHeader(dir))) as HeaderJson;
}

async function writeRawHeader(dir: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path.join(dir, HEADER_FILE), bytes);
}

/** Every file below `dir`, by relative path. */
async function folderFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const full = path.join(dir, name);
    if ((await stat(full)).isFile()) files.set(name, new Uint8Array(await readFile(full)));
  }
  return files;
}

async function hashFolder(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [name, bytes] of await folderFiles(dir)) {
    hashes[name] = createHash('sha256').update(bytes).digest('hex');
  }
  return hashes;
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

/** Names of the files in `dir` that contain `text` as UTF-8. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const needle = utf8(text);
  const found: string[] = [];
  for (const [name, bytes] of await folderFiles(dir)) {
    if (containsBytes(bytes, needle)) found.push(name);
  }
  return found;
}

function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] ?? 0) ^ 0x01;
  return out;
}

function flipBase64UrlBit(text: string, index = 0): string {
  const bytes = fromBase64Url(text);
  if (bytes === undefined) throw new Error('not base64url');
  return toBase64Url(flipBit(bytes, index));
}

async function writeSample(vault: Vault): Promise<void> {
  await vault.put('notes/first', utf8('first note'));
  await vault.put('notes/second', new Uint8Array(0));
  await vault.put('notes/deep/third', Uint8Array.from([0, 1, 2, 255]));
}

async function expectSample(vault: Vault): Promise<void> {
  expect(await vault.get('notes/first')).toStrictEqual(utf8('first note'));
  expect(await vault.get('notes/second')).toStrictEqual(new Uint8Array(0));
  expect(await vault.get('notes/deep/third')).toStrictEqual(Uint8Array.from([0, 1, 2, 255]));
  expect((await vault.list('notes')).map((entry) => entry.key).sort()).toStrictEqual([
    'notes/deep/third',
    'notes/first',
    'notes/second',
  ]);
}

describe('Vault: create and open', () => {
  it('round-trips records across lock and reopen', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    expect(vault.isLocked).toBe(false);
    await writeSample(vault);
    await vault.lock();
    expect(vault.isLocked).toBe(true);

    const reopened = await openVault(dir);
    expect(reopened.isLocked).toBe(false);
    await expectSample(reopened);
    await reopened.put('later/fourth', utf8('written after reopen'));
    await reopened.lock();

    const again = await openVault(dir);
    await expectSample(again);
    expect(await again.get('later/fourth')).toStrictEqual(utf8('written after reopen'));
  });

  it('creates a missing folder, parents included', async () => {
    const dir = path.join(await tempDir(), 'nested', 'vault');
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    await expectSample(await openVault(dir));
  });

  it('treats passphrases that differ only in Unicode normalization as equal', async () => {
    const dir = await tempDir();
    const composed = 'caf\u00e9 au lait, s\u00e9rieux';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    await (await createVault(dir, composed)).lock();
    await (await openVault(dir, decomposed)).lock();
  });

  it('reports an existing vault through Vault.exists, locked or not', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await vault.lock();
    expect(await Vault.exists(dir)).toBe(true);
    await openVault(dir);
    // The folder holds a vault whether or not someone has it open right now.
    expect(await Vault.exists(dir)).toBe(true);
  });

  it('reports no vault through Vault.exists for a missing, empty or foreign folder', async () => {
    const base = await tempDir();
    expect(await Vault.exists(path.join(base, 'missing'))).toBe(false);
    const empty = path.join(base, 'empty');
    await mkdir(empty);
    expect(await Vault.exists(empty)).toBe(false);
    const foreign = path.join(base, 'foreign');
    const db = new Level(foreign);
    await db.put('some', 'data');
    await db.close();
    expect(await Vault.exists(foreign)).toBe(false);
  });
});

describe('Vault: wrong passphrase', () => {
  it('refuses a wrong passphrase and leaves every file byte-identical', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    const before = await hashFolder(dir);
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    expect(await hashFolder(dir)).toStrictEqual(before);
  });

  it('refuses a wrong passphrase and leaves every stored entry as it was', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    const before = await rawEntries(dir);
    for (const wrong of [OTHER_PASSPHRASE, '', PASSPHRASE.toUpperCase(), `${PASSPHRASE} `]) {
      await expectCode(Vault.open(dir, wrong), 'CORE_VAULT_WRONG_PASSPHRASE');
    }
    expect(await rawEntries(dir)).toStrictEqual(before);
    // The failed attempts released the folder: the right passphrase still opens it.
    await expectSample(await openVault(dir));
  });
});

describe('Vault: changePassphrase', () => {
  it('re-wraps the key: the old passphrase fails, the new one opens the same records', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    const headerBefore = await readHeader(dir);

    const reopened = await openVault(dir);
    await reopened.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    // The open vault keeps working after the change.
    await expectSample(reopened);
    await reopened.lock();

    const headerAfter = await readHeader(dir);
    expect(headerAfter.kdf.opsLimit).toBe(headerBefore.kdf.opsLimit);
    expect(headerAfter.kdf.memLimit).toBe(headerBefore.kdf.memLimit);
    expect(headerAfter.kdf.salt).not.toBe(headerBefore.kdf.salt);
    expect(headerAfter.wrappedKey.ciphertext).not.toBe(headerBefore.wrappedKey.ciphertext);

    await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await expectSample(await openVault(dir, OTHER_PASSPHRASE));
  });

  it('refuses a wrong current passphrase and keeps the old one', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await expectCode(
      vault.changePassphrase('not the passphrase', OTHER_PASSPHRASE),
      'CORE_VAULT_WRONG_PASSPHRASE',
    );
    await expectCode(vault.changePassphrase('', OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await vault.lock();
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await expectSample(await openVault(dir));
  });

  it('refuses a weak new passphrase and keeps the old one', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    for (const weak of ['', 'short', '1234567', '\u{1F642}'.repeat(7)]) {
      await expectCode(vault.changePassphrase(PASSPHRASE, weak), 'CORE_VAULT_WEAK_PASSPHRASE');
    }
    await vault.lock();
    await (await openVault(dir)).lock();
  });

  // The new header is written to vault.json.tmp, synced, then renamed over vault.json (and the
  // folder synced). These tests put the folder in each state a crash can leave between the steps.
  const TEMPORARY = `${HEADER_FILE}.tmp`;

  it('after a crash before the rename, the old passphrase opens it and a retry succeeds', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    const oldHeader = await readRawHeader(dir);
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    await vault.lock();
    // The complete new header, synced but never renamed: the state just before the rename.
    await writeFile(path.join(dir, TEMPORARY), await readRawHeader(dir));
    await writeRawHeader(dir, oldHeader);

    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    expect(await Vault.exists(dir)).toBe(true);
    const reopened = await openVault(dir);
    await expectSample(reopened);
    // The leftover file neither blocks nor confuses the next change.
    await reopened.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    await reopened.lock();
    expect((await readdir(dir)).sort()).toStrictEqual([RECORDS_FOLDER, HEADER_FILE].sort());
    await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await expectSample(await openVault(dir, OTHER_PASSPHRASE));
  });

  it('after a crash while the new header was being written, the old passphrase opens it', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    const header = await readRawHeader(dir);
    // A torn temporary file: the first half of a header.
    await writeFile(path.join(dir, TEMPORARY), header.subarray(0, header.length >> 1));
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await expectSample(await openVault(dir));
  });

  it('a header write that fails leaves the old passphrase working and the new one refused', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    // The temporary file cannot be created: a folder is in its place.
    await mkdir(path.join(dir, TEMPORARY, 'blocker'), { recursive: true });
    await expectCode(vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE), 'CORE_INTERNAL');
    await expectSample(vault);
    await vault.lock();
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await expectSample(await openVault(dir));
  });

  it('runs concurrent changes one after the other', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    const third = 'a third passphrase';
    await Promise.all([
      vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE),
      vault.changePassphrase(OTHER_PASSPHRASE, third),
    ]);
    await vault.lock();
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    await (await openVault(dir, third)).lock();
  });

  it('refuses to re-wrap a header that wraps another vault’s key, and leaves it alone', async () => {
    const dir = await tempDir();
    const otherDir = await tempDir();
    const vault = await createVault(dir);
    await (await createVault(otherDir)).lock();
    const foreign = await readRawHeader(otherDir);
    await writeRawHeader(dir, foreign);
    await expectCode(vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE), 'CORE_VAULT_CORRUPT');
    expect(await readRawHeader(dir)).toStrictEqual(foreign);
  });
});

describe('Vault: lock', () => {
  it('rejects every call after lock with CORE_VAULT_LOCKED', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    // Warm the path-hash cache, so lock has to forget it too.
    await vault.get('notes/first');
    await vault.lock();

    const calls: [string, () => Promise<unknown>][] = [
      ['get', () => vault.get('notes/first')],
      ['get (uncached)', () => vault.get('other/key')],
      ['put', () => vault.put('notes/first', utf8('x'))],
      ['delete', () => vault.delete('notes/first')],
      ['batch', () => vault.batch([{ type: 'put', key: 'notes/x', value: utf8('x') }])],
      ['empty batch', () => vault.batch([])],
      ['list', () => vault.list('notes')],
      ['deleteTree', () => vault.deleteTree('notes')],
      ['changePassphrase', () => vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE)],
    ];
    for (const [name, call] of calls) {
      await expect(Promise.resolve().then(call), name).rejects.toMatchObject({
        code: 'CORE_VAULT_LOCKED',
      });
    }
    // Locking again is harmless, and nothing was changed by the refused calls.
    await vault.lock();
    expect(vault.isLocked).toBe(true);
    await expectSample(await openVault(dir));
  });

  it('refuses a second open of a folder that is open, until it is locked', async () => {
    const dir = await tempDir();
    const first = await createVault(dir);
    await writeSample(first);
    await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_ALREADY_OPEN');
    // The passphrase is checked before the records are touched, so a wrong one says so.
    await expectCode(Vault.open(dir, OTHER_PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    // The first handle is unaffected.
    await expectSample(first);
    await first.lock();
    await expectSample(await openVault(dir));
  });
});

describe('Vault: folders that are not vaults', () => {
  it('reports a missing or empty folder as CORE_VAULT_NOT_FOUND', async () => {
    const base = await tempDir();
    await expectCode(Vault.open(path.join(base, 'missing'), PASSPHRASE), 'CORE_VAULT_NOT_FOUND');
    await expectCode(Vault.open(base, PASSPHRASE), 'CORE_VAULT_NOT_FOUND');
  });

  it('reports a LevelDB folder without a header as CORE_VAULT_NOT_A_VAULT', async () => {
    const dir = await tempDir();
    const db = new Level(dir);
    await db.put('some', 'data');
    await db.close();
    await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_NOT_A_VAULT');
    // The failed open released the folder.
    await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_NOT_A_VAULT');
  });

  it('reports a path that is a file as CORE_VAULT_NOT_A_VAULT', async () => {
    const file = path.join(await tempDir(), 'a-file');
    await writeFile(file, 'not a folder');
    await expectCode(Vault.open(file, PASSPHRASE), 'CORE_VAULT_NOT_A_VAULT');
    await expectCode(Vault.create(file, PASSPHRASE, FAST), 'CORE_VAULT_NOT_A_VAULT');
    expect(fromUtf8(new Uint8Array(await readFile(file)))).toBe('not a folder');
  });

  it('refuses to create a vault in a non-empty folder', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'photo.jpg'), 'precious');
    await expectCode(Vault.create(dir, PASSPHRASE, FAST), 'CORE_VAULT_EXISTS');
    expect(await readdir(dir)).toStrictEqual(['photo.jpg']);
  });

  it('refuses to create a vault over an existing one, which stays intact', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await writeSample(vault);
    await vault.lock();
    const before = await hashFolder(dir);
    await expectCode(Vault.create(dir, OTHER_PASSPHRASE, FAST), 'CORE_VAULT_EXISTS');
    expect(await hashFolder(dir)).toStrictEqual(before);
    await expectSample(await openVault(dir));
  });

  it('refuses a weak passphrase on create and writes nothing', async () => {
    const base = await tempDir();
    const dir = path.join(base, 'vault');
    // Seven code points, fourteen UTF-16 units: the limit counts characters.
    for (const weak of ['', 'short', '1234567', '\u{1F642}'.repeat(7)]) {
      await expectCode(Vault.create(dir, weak, FAST), 'CORE_VAULT_WEAK_PASSPHRASE');
    }
    expect(await readdir(base)).toStrictEqual([]);
    await (await createVault(dir, '\u{1F642}'.repeat(8))).lock();
    await (await openVault(dir, '\u{1F642}'.repeat(8))).lock();
  });
});

describe('Vault: tampering', () => {
  /** A locked vault with one record alone under 'target' and two under 'pair'. */
  async function tamperableVault(): Promise<string> {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await vault.put('target/one', utf8('the target record'));
    await vault.put('pair/a', utf8('record a'));
    await vault.put('pair/b', utf8('record b, longer than a'));
    await vault.lock();
    return dir;
  }

  /** Stored keys of the two 'pair' records (they share a hashed first segment) and the target. */
  async function storedKeys(db: RawDb): Promise<{ target: string; pair: [string, string] }> {
    const keys = await recordKeys(db);
    expect(keys).toHaveLength(3);
    const parent = (key: string): string => key.split('/')[1] ?? '';
    const target = keys.filter((key) => keys.filter((k) => parent(k) === parent(key)).length === 1);
    const pair = keys.filter((key) => !target.includes(key));
    const [targetKey] = target;
    const [a, b] = pair;
    if (targetKey === undefined || a === undefined || b === undefined || target.length !== 1) {
      throw new Error('unexpected vault layout');
    }
    return { target: targetKey, pair: [a, b] };
  }

  async function expectPairIntact(vault: Vault): Promise<void> {
    expect(await vault.get('pair/a')).toStrictEqual(utf8('record a'));
    expect(await vault.get('pair/b')).toStrictEqual(utf8('record b, longer than a'));
  }

  async function expectTargetCorrupt(dir: string): Promise<void> {
    const vault = await openVault(dir);
    await expectCode(vault.get('target/one'), 'CORE_VAULT_CORRUPT');
    await expectCode(vault.list('target'), 'CORE_VAULT_CORRUPT');
    // Tampering with one record does not cost the others.
    await expectPairIntact(vault);
    await vault.lock();
  }

  /** Replaces the target's stored value, checks the vault refuses it, then puts it back and
   * checks the vault reads it again (so the edit was the only thing wrong). */
  async function withTamperedTarget(
    dir: string,
    edit: (original: Uint8Array) => Uint8Array,
  ): Promise<void> {
    const { key, original } = await withRaw(dir, async (db) => {
      const { target } = await storedKeys(db);
      const value = await rawGet(db, target);
      await db.put(target, edit(value));
      return { key: target, original: value };
    });
    await expectTargetCorrupt(dir);
    await withRaw(dir, (db) => db.put(key, original));
    const vault = await openVault(dir);
    expect(await vault.get('target/one')).toStrictEqual(utf8('the target record'));
    await vault.lock();
  }

  it('refuses a record with a flipped bit anywhere (nonce, ciphertext, tag)', async () => {
    const dir = await tamperableVault();
    const length = await withRaw(dir, async (db) => {
      const { target } = await storedKeys(db);
      return (await rawGet(db, target)).length;
    });
    for (const index of [0, 23, 24, 25, 30, length - 17, length - 16, length - 1]) {
      await withTamperedTarget(dir, (value) => flipBit(value, index));
    }
  });

  it('refuses a truncated or extended record', async () => {
    const dir = await tamperableVault();
    for (const cut of [0, 1, 23, 24, 40, 41, 42, 50]) {
      await withTamperedTarget(dir, (value) => value.slice(0, cut));
    }
    await withTamperedTarget(dir, (value) => value.slice(0, value.length - 1));
    await withTamperedTarget(dir, (value) => {
      const longer = new Uint8Array(value.length + 1);
      longer.set(value);
      return longer;
    });
  });

  it('refuses records swapped between keys', async () => {
    const dir = await tamperableVault();
    await withRaw(dir, async (db) => {
      const [a, b] = (await storedKeys(db)).pair;
      const valueA = await rawGet(db, a);
      const valueB = await rawGet(db, b);
      await db.batch([
        { type: 'put', key: a, value: valueB },
        { type: 'put', key: b, value: valueA },
      ]);
    });
    const vault = await openVault(dir);
    await expectCode(vault.get('pair/a'), 'CORE_VAULT_CORRUPT');
    await expectCode(vault.get('pair/b'), 'CORE_VAULT_CORRUPT');
    await expectCode(vault.list('pair'), 'CORE_VAULT_CORRUPT');
    expect(await vault.get('target/one')).toStrictEqual(utf8('the target record'));
  });

  it('refuses a record copied into another slot', async () => {
    const dir = await tamperableVault();
    await withTamperedTarget(dir, () => new Uint8Array(0));
    await withRaw(dir, async (db) => {
      const { target, pair } = await storedKeys(db);
      await db.put(target, await rawGet(db, pair[0]));
    });
    const vault = await openVault(dir);
    await expectCode(vault.get('target/one'), 'CORE_VAULT_CORRUPT');
    await expectPairIntact(vault);
  });

  it('refuses a record sealed by another vault under the same logical key', async () => {
    const dir = await tamperableVault();
    const otherDir = await tempDir();
    const other = await createVault(otherDir);
    await other.put('target/one', utf8('an impostor'));
    await other.lock();
    const impostor = await withRaw(otherDir, async (db) => {
      const [key] = await recordKeys(db);
      if (key === undefined) throw new Error('no record');
      return rawGet(db, key);
    });
    await withTamperedTarget(dir, () => impostor);
  });

  describe('header edits', () => {
    /** Rewrites the header, checks that opening fails with `code` (twice: the failed open must
     * release the folder), then restores it and checks the vault opens intact. */
    async function expectHeaderEditRefused(
      edit: (header: HeaderJson, text: string) => string | Uint8Array,
      code: CoreErrorCode,
    ): Promise<void> {
      const dir = await tamperableVault();
      const original = await readRawHeader(dir);
      const text = fromUtf8(original);
      const edited = edit(JSON.parse(text) as HeaderJson, text);
      await writeRawHeader(dir, typeof edited === 'string' ? utf8(edited) : edited);
      await expectCode(Vault.open(dir, PASSPHRASE), code);
      await expectCode(Vault.open(dir, PASSPHRASE), code);
      await writeRawHeader(dir, original);
      const vault = await openVault(dir);
      await expectPairIntact(vault);
      expect(await vault.get('target/one')).toStrictEqual(utf8('the target record'));
    }

    const json = (header: unknown): string => JSON.stringify(header);

    it.each<[string, (header: HeaderJson) => void]>([
      [
        'opsLimit raised',
        (h) => {
          h.kdf.opsLimit += 1;
        },
      ],
      [
        'memLimit raised',
        (h) => {
          h.kdf.memLimit *= 2;
        },
      ],
      [
        'salt changed',
        (h) => {
          h.kdf.salt = flipBase64UrlBit(h.kdf.salt);
        },
      ],
      [
        'wrapped key ciphertext flipped',
        (h) => {
          h.wrappedKey.ciphertext = flipBase64UrlBit(h.wrappedKey.ciphertext, 5);
        },
      ],
      [
        'wrapped key tag flipped',
        (h) => {
          h.wrappedKey.ciphertext = flipBase64UrlBit(h.wrappedKey.ciphertext, 47);
        },
      ],
      [
        'wrapped key nonce flipped',
        (h) => {
          h.wrappedKey.nonce = flipBase64UrlBit(h.wrappedKey.nonce, 3);
        },
      ],
    ])('reads an edited header (%s) as a wrong passphrase', async (_label, edit) => {
      await expectHeaderEditRefused((header) => {
        edit(header);
        return json(header);
      }, 'CORE_VAULT_WRONG_PASSPHRASE');
    });

    it.each<[string, (header: HeaderJson, text: string) => string | Uint8Array]>([
      ['not JSON', () => 'not json at all'],
      ['truncated JSON', (_h, text) => text.slice(0, text.length - 2)],
      ['invalid UTF-8', () => Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)],
      ['opsLimit as a string', (_h, text) => text.replace(/"opsLimit":(\d+)/, '"opsLimit":"$1"')],
      ['opsLimit zero', (h) => json({ ...h, kdf: { ...h.kdf, opsLimit: 0 } })],
      ['opsLimit fractional', (h) => json({ ...h, kdf: { ...h.kdf, opsLimit: 1.5 } })],
      ['memLimit tiny', (h) => json({ ...h, kdf: { ...h.kdf, memLimit: 1024 } })],
      ['salt too short', (h) => json({ ...h, kdf: { ...h.kdf, salt: 'AAAA' } })],
      ['salt not base64url', (h) => json({ ...h, kdf: { ...h.kdf, salt: '!!!!' } })],
      ['another algorithm', (h) => json({ ...h, kdf: { ...h.kdf, algorithm: 'argon2i13' } })],
      [
        'ciphertext too short',
        (h) => json({ ...h, wrappedKey: { ...h.wrappedKey, ciphertext: 'AAAA' } }),
      ],
      ['nonce missing', (h) => json({ ...h, wrappedKey: { ciphertext: h.wrappedKey.ciphertext } })],
      [
        'kdf missing',
        (h) => json({ format: h.format, version: h.version, wrappedKey: h.wrappedKey }),
      ],
    ])('refuses a malformed header (%s) as CORE_VAULT_CORRUPT', async (_label, edit) => {
      await expectHeaderEditRefused(edit, 'CORE_VAULT_CORRUPT');
    });

    // Above libsodium's SENSITIVE profile (4 passes, 1 GiB) its WebAssembly build throws a bare
    // Error (at 1–2 GiB) or takes hours: refused with a code before any of it is allocated.
    it.each<[string, (sodiumLimits: typeof sodium) => { opsLimit?: number; memLimit?: number }]>([
      [
        'memLimit just above 1 GiB',
        (na) => ({ memLimit: na.crypto_pwhash_MEMLIMIT_SENSITIVE + 1024 }),
      ],
      [
        'memLimit near 2 GiB',
        (na) => ({ memLimit: 2 * na.crypto_pwhash_MEMLIMIT_SENSITIVE - 1024 }),
      ],
      ['memLimit absurd', () => ({ memLimit: 2 ** 40 })],
      ['opsLimit one pass above', (na) => ({ opsLimit: na.crypto_pwhash_OPSLIMIT_SENSITIVE + 1 })],
      ['opsLimit absurd', () => ({ opsLimit: 1e9 })],
    ])(
      'refuses KDF parameters above the sensitive profile (%s) as CORE_VAULT_KDF_UNSUPPORTED',
      async (_label, limits) => {
        await sodium.ready;
        const edit = limits(sodium);
        await expectHeaderEditRefused(
          (h) => json({ ...h, kdf: { ...h.kdf, ...edit } }),
          'CORE_VAULT_KDF_UNSUPPORTED',
        );
      },
    );

    it('refuses a header of another format or version with their own codes', async () => {
      await expectHeaderEditRefused(
        (h) => json({ ...h, format: 'something-else' }),
        'CORE_VAULT_NOT_A_VAULT',
      );
      await expectHeaderEditRefused(
        (h) => json({ ...h, version: 2 }),
        'CORE_VAULT_UNSUPPORTED_VERSION',
      );
    });

    it('reports a vault whose header was deleted as CORE_VAULT_NOT_A_VAULT', async () => {
      const dir = await tamperableVault();
      await rm(path.join(dir, HEADER_FILE));
      await expectCode(Vault.open(dir, PASSPHRASE), 'CORE_VAULT_NOT_A_VAULT');
    });
  });
});

describe('Vault: privacy at rest', () => {
  it('keeps logical keys, values and pseudonyms out of every file', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    await vault.put('diagnosis/ALS-secret', utf8('my-secret-text'));
    await vault.batch([
      { type: 'put', key: 'diagnosis/medication-list', value: utf8('riluzole-dose-50mg') },
    ]);
    const personas = new PersonaDirectory(vault);
    const persona = await personas.create('Wandering Heron');
    await personas
      .dataFor(persona.address)
      .put('sessions/peer-nickname', utf8('conversation-with-nurse'));
    await vault.lock();

    const secrets = [
      'diagnosis',
      'ALS-secret',
      'my-secret-text',
      'medication-list',
      'riluzole-dose-50mg',
      'Wandering Heron',
      persona.address,
      'personas',
      'persona-data',
      'peer-nickname',
      'conversation-with-nurse',
      toBase64Url(persona.identityPublicKey),
    ];
    const expectNoSecrets = async (): Promise<void> => {
      // Control: the scan does see plaintext, since the header is plaintext by design.
      expect((await filesContaining(dir, 'kindred-vault')).length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(await filesContaining(dir, secret), secret).toStrictEqual([]);
      }
    };
    await expectNoSecrets();

    // Reopening moves the records from LevelDB's log into a table file; check that too.
    const reopened = await openVault(dir);
    expect(await reopened.get('diagnosis/ALS-secret')).toStrictEqual(utf8('my-secret-text'));
    await reopened.lock();
    await expectNoSecrets();
  });
});

describe('Vault: record sizes', () => {
  /**
   * The distinct stored (sealed) sizes of records with values of these lengths (keys all 15
   * bytes), plus one 4-byte record ending in 0x80 and zeros; each value reads back exactly.
   */
  async function storedSizes(lengths: readonly number[]): Promise<Set<number>> {
    const dir = await tempDir();
    const vault = await createVault(dir);
    const keyOf = (length: number): string => `history/m${String(length).padStart(6, '0')}`;
    for (const length of lengths) await vault.put(keyOf(length), new Uint8Array(length).fill(7));
    await vault.put('history/zeros00', Uint8Array.of(1, 0x80, 0, 0));
    await vault.lock();
    const reopened = await openVault(dir);
    for (const length of lengths) {
      expect(await reopened.get(keyOf(length))).toStrictEqual(new Uint8Array(length).fill(7));
    }
    expect(await reopened.get('history/zeros00')).toStrictEqual(Uint8Array.of(1, 0x80, 0, 0));
    await reopened.lock();
    const sizes = new Set<number>();
    await withRaw(dir, async (db) => {
      for await (const [, value] of db.iterator({
        gte: RECORD_PREFIX,
        lt: `${RECORD_PREFIX}\uffff`,
      })) {
        sizes.add(value.length);
      }
    });
    return sizes;
  }

  it('stores records whose lengths share a bucket at one size, so the folder hides lengths', async () => {
    // "yes", "ok, see you then", a longer sentence: small records all share the smallest bucket.
    // One size for the four small ones and the 4-byte one.
    expect((await storedSizes([0, 3, 16, 20])).size).toBe(1);
    // Within a Padmé bucket (993 to 1,024 bytes of plaintext), sizes are equal too: one size for
    // the three, one for the small record.
    expect((await storedSizes([985, 995, 1005])).size).toBe(2);
    // Across buckets they differ (the control: the scan does see sizes).
    expect((await storedSizes([3, 985, 2000])).size).toBe(3);
  });

  it('stores records in different buckets at different sizes, each at most ~12% padded', async () => {
    const dir = await tempDir();
    const vault = await createVault(dir);
    const lengths = [100, 1_000, 10_000];
    for (const length of lengths) await vault.put(`big/${length}`, new Uint8Array(length));
    await vault.lock();
    const sizes: number[] = [];
    await withRaw(dir, async (db) => {
      for await (const [, value] of db.iterator({
        gte: RECORD_PREFIX,
        lt: `${RECORD_PREFIX}\uffff`,
      })) {
        sizes.push(value.length);
      }
    });
    sizes.sort((a, b) => a - b);
    expect(sizes).toHaveLength(3);
    for (const [n, length] of lengths.entries()) {
      const size = sizes[n] ?? 0;
      expect(size).toBeGreaterThan(length);
      // nonce 24 + tag 16 + key field 2 + key ≤ 10 + terminator 1, then at most 12% padding.
      expect(size).toBeLessThanOrEqual(Math.ceil((length + 53) * 1.12) + 40);
    }
  });
});

describe('Vault: default key derivation', () => {
  it('uses at least libsodium MODERATE Argon2id limits when no profile is given', async () => {
    await sodium.ready;
    expect(DEFAULT_KDF_PROFILE).not.toBe('insecure-fast');
    const dir = await tempDir();
    const vault = track(await Vault.create(dir, PASSPHRASE));
    await vault.lock();
    const header = await readHeader(dir);
    expect(header.kdf.algorithm).toBe('argon2id13');
    expect(header.kdf.opsLimit).toBeGreaterThanOrEqual(sodium.crypto_pwhash_OPSLIMIT_MODERATE);
    expect(header.kdf.memLimit).toBeGreaterThanOrEqual(sodium.crypto_pwhash_MEMLIMIT_MODERATE);
    expect(fromBase64Url(header.kdf.salt)?.length).toBe(sodium.crypto_pwhash_SALTBYTES);
  });
});
