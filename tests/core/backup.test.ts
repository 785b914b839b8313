import { mkdir, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreError,
  PersonaDirectory,
  Vault,
  formatRecoveryKey,
  fromUtf8,
  parseRecoveryKey,
  readBackupProtection,
  restoreVaultBackup,
  utf8,
  writeVaultBackup,
} from '../../core/index.js';
import type { CoreErrorCode, KeyValueEntry } from '../../core/index.js';

const PASSPHRASE = 'correct horse battery staple';
const NEW_PASSPHRASE = 'a new passphrase for the new computer';
const FAST = { kdf: 'insecure-fast' } as const;
/** The stream's plaintext chunk size, and the whole header's length (see VaultBackup.ts). */
const CHUNK_BYTES = 64 * 1024;
const HEADER_BYTES = 8 + 1 + 1 + 16 + 4 + 4 + 4 + 16 + 24;
const SEALED_CHUNK_BYTES = 4 + CHUNK_BYTES + 17;

const dirs: string[] = [];
const vaults: Vault[] = [];

beforeAll(async () => {
  await sodium.ready;
});

afterEach(async () => {
  for (const vault of vaults.splice(0)) await vault.lock();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-backup-'));
  dirs.push(dir);
  return dir;
}

function track(vault: Vault): Vault {
  vaults.push(vault);
  return vault;
}

async function expectCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await expect(promise).rejects.toMatchObject({ code });
}

/** A vault with a persona and `count` records, some larger than a backup chunk. */
async function filledVault(dir: string, count: number): Promise<Vault> {
  const vault = track(await Vault.create(dir, PASSPHRASE, FAST));
  await new PersonaDirectory(vault).create('Robin');
  for (let index = 0; index < count; index += 1) {
    const size = index % 97 === 0 ? 100_000 + index : 10 + (index % 300);
    const value = new Uint8Array(size).fill(index % 251);
    await vault.put(`messages/${index}`, value);
  }
  await vault.flush();
  return vault;
}

function sortedEntries(entries: KeyValueEntry[]): { key: string; value: string }[] {
  return entries
    .map((entry) => ({ key: entry.key, value: Buffer.from(entry.value).toString('base64') }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function backupOf(count: number): Promise<{ file: string; key: string; vault: Vault }> {
  const root = await tempDir();
  const vault = await filledVault(path.join(root, 'vault'), count);
  const file = path.join(root, 'vault.kindred-backup');
  const result = await writeVaultBackup(vault, file, {
    passphrase: PASSPHRASE,
    protection: 'recovery-key',
  });
  expect(result.recoveryKey).toBeDefined();
  return { file, key: result.recoveryKey ?? '', vault };
}

async function flipByte(file: string, position: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const byte = new Uint8Array(1);
    await handle.read(byte, 0, 1, position);
    byte[0] = (byte[0] ?? 0) ^ 0x01;
    await handle.write(byte, 0, 1, position);
  } finally {
    await handle.close();
  }
}

/** The restore target's parent holds nothing but what was there before (no temporary folder). */
async function expectNothingLeft(home: string, before: readonly string[]): Promise<void> {
  await expect(stat(home)).rejects.toMatchObject({ code: 'ENOENT' });
  expect((await readdir(path.dirname(home))).sort()).toStrictEqual([...before].sort());
}

describe('recovery keys', () => {
  it('formats 160 bits as nine groups of four and reads them back, forgiving case and dashes', () => {
    const key = sodium.randombytes_buf(20);
    const text = formatRecoveryKey(sodium, key);
    expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){8}$/);
    expect(parseRecoveryKey(sodium, text)).toStrictEqual(key);
    expect(parseRecoveryKey(sodium, text.toLowerCase().replace(/-/g, ' '))).toStrictEqual(key);
  });

  it('catches every single-character typo with CORE_BACKUP_KEY_MALFORMED', () => {
    const text = formatRecoveryKey(sodium, sodium.randombytes_buf(20));
    const characters = text.replace(/-/g, '');
    for (let at = 0; at < characters.length; at += 1) {
      const original = characters.charAt(at);
      const replacement = original === 'Z' ? 'Y' : 'Z';
      const typo = characters.slice(0, at) + replacement + characters.slice(at + 1);
      let code: string | undefined;
      try {
        parseRecoveryKey(sodium, typo);
      } catch (error) {
        code = CoreError.is(error) ? error.code : 'other';
      }
      expect(code, `typo at ${at}`).toBe('CORE_BACKUP_KEY_MALFORMED');
    }
    expect(() => parseRecoveryKey(sodium, 'too short')).toThrow(
      expect.objectContaining({ code: 'CORE_BACKUP_KEY_MALFORMED' }) as Error,
    );
  });
});

describe('vault backup and restore', () => {
  it('restores every record into a new vault under a new passphrase, marked for renewal', async () => {
    const { file, key, vault } = await backupOf(600);
    const before = sortedEntries(await vault.list('messages'));
    const home = path.join(await tempDir(), 'restored');
    const { records } = await restoreVaultBackup({
      file,
      home,
      secret: key,
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    expect(records).toBeGreaterThan(600);
    await expectCode(Vault.open(home, PASSPHRASE), 'CORE_VAULT_WRONG_PASSPHRASE');
    const restored = track(await Vault.open(home, NEW_PASSPHRASE));
    expect(sortedEntries(await restored.list('messages'))).toStrictEqual(before);
    const [persona] = await new PersonaDirectory(restored).list();
    expect(persona?.pseudonym).toBe('Robin');
    const mark = await restored.get(
      `persona-data/${persona?.address ?? ''}/session-renewal/pending`,
    );
    expect(mark).toBeDefined();
    expect(await vault.get(`persona-data/${persona?.address ?? ''}/session-renewal/pending`)).toBe(
      undefined,
    );
  });

  it('holds no record key, value or count in the clear, and pads to whole chunks', async () => {
    const root = await tempDir();
    const vault = track(await Vault.create(path.join(root, 'vault'), PASSPHRASE, FAST));
    await vault.put('messages/1', utf8('methotrexate helped my rash'));
    const file = path.join(root, 'backup');
    await writeVaultBackup(vault, file, { passphrase: PASSPHRASE, protection: 'recovery-key' });
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from('methotrexate'))).toBe(false);
    // Stored keys are 32 hex digits a segment: no run of hex text survives.
    expect(/[0-9a-f]{32}/.test(bytes.toString('latin1'))).toBe(false);
    expect((bytes.length - HEADER_BYTES) % SEALED_CHUNK_BYTES).toBe(0);
    // One record or a few hundred small ones: the same size.
    const other = track(await Vault.create(path.join(root, 'other'), PASSPHRASE, FAST));
    for (let index = 0; index < 200; index += 1) await other.put(`m/${index}`, utf8('hi'));
    const otherFile = path.join(root, 'other-backup');
    await writeVaultBackup(other, otherFile, {
      passphrase: PASSPHRASE,
      protection: 'recovery-key',
    });
    expect((await stat(otherFile)).size).toBe(bytes.length);
  });

  it('needs the vault passphrase to back up (CORE_VAULT_WRONG_PASSPHRASE) and leaves no file', async () => {
    const root = await tempDir();
    const vault = await filledVault(path.join(root, 'vault'), 3);
    const file = path.join(root, 'backup');
    await expectCode(
      writeVaultBackup(vault, file, {
        passphrase: 'not the passphrase',
        protection: 'recovery-key',
      }),
      'CORE_VAULT_WRONG_PASSPHRASE',
    );
    expect(await readdir(root)).toStrictEqual(['vault']);
  });

  it('refuses a wrong recovery key with CORE_BACKUP_WRONG_KEY and leaves nothing behind', async () => {
    const { file } = await backupOf(20);
    const parent = await tempDir();
    const home = path.join(parent, 'restored');
    const wrong = formatRecoveryKey(sodium, sodium.randombytes_buf(20));
    await expectCode(
      restoreVaultBackup({
        file,
        home,
        secret: wrong,
        passphrase: NEW_PASSPHRASE,
        kdf: 'insecure-fast',
      }),
      'CORE_BACKUP_WRONG_KEY',
    );
    await expectNothingLeft(home, []);
  });

  it('refuses a mistyped recovery key with CORE_BACKUP_KEY_MALFORMED', async () => {
    const { file, key } = await backupOf(5);
    const home = path.join(await tempDir(), 'restored');
    const typo = (key.startsWith('Z') ? 'Y' : 'Z') + key.slice(1);
    await expectCode(
      restoreVaultBackup({
        file,
        home,
        secret: typo,
        passphrase: NEW_PASSPHRASE,
        kdf: 'insecure-fast',
      }),
      'CORE_BACKUP_KEY_MALFORMED',
    );
    await expectNothingLeft(home, []);
  });

  it.each([
    ['a header byte (the salt)', (): number => 12, 'CORE_BACKUP_WRONG_KEY'],
    ['the first chunk', (): number => HEADER_BYTES + 100, 'CORE_BACKUP_CORRUPT'],
    [
      'a middle chunk',
      (): number => HEADER_BYTES + SEALED_CHUNK_BYTES * 2 + 5,
      'CORE_BACKUP_CORRUPT',
    ],
  ] as const)('refuses a flipped bit in %s and leaves nothing behind', async (_what, at, code) => {
    const { file, key } = await backupOf(300);
    await flipByte(file, at());
    const home = path.join(await tempDir(), 'restored');
    await expectCode(
      restoreVaultBackup({
        file,
        home,
        secret: key,
        passphrase: NEW_PASSPHRASE,
        kdf: 'insecure-fast',
      }),
      code,
    );
    await expectNothingLeft(home, []);
  });

  it('refuses a truncated file, a dropped last chunk and appended bytes as CORE_BACKUP_CORRUPT', async () => {
    const { file, key } = await backupOf(300);
    const bytes = await readFile(file);
    const cases = [
      bytes.subarray(0, bytes.length - 1000),
      bytes.subarray(0, bytes.length - SEALED_CHUNK_BYTES),
      Buffer.concat([bytes, Buffer.from([0])]),
      bytes.subarray(0, 40),
    ];
    for (const [index, variant] of cases.entries()) {
      const damaged = path.join(path.dirname(file), `damaged-${index}`);
      await writeFile(damaged, variant);
      const home = path.join(await tempDir(), 'restored');
      await expectCode(
        restoreVaultBackup({
          file: damaged,
          home,
          secret: key,
          passphrase: NEW_PASSPHRASE,
          kdf: 'insecure-fast',
        }),
        'CORE_BACKUP_CORRUPT',
      );
      await expectNothingLeft(home, []);
    }
  });

  it('still restores a format 1 backup (records only, made before attachment files went in)', async () => {
    const root = await tempDir();
    const vault = await filledVault(path.join(root, 'vault'), 3);
    const file = path.join(root, 'old.kindred-backup');
    const result = await writeVaultBackup(vault, file, {
      passphrase: PASSPHRASE,
      protection: 'recovery-key',
      formatVersion: 1,
    });
    expect((await readFile(file))[8]).toBe(1);
    const home = path.join(root, 'restored');
    const restored = await restoreVaultBackup({
      file,
      home,
      secret: result.recoveryKey ?? '',
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    expect(restored.records).toBe(result.records);
    const reopened = track(await Vault.open(home, NEW_PASSPHRASE));
    expect(sortedEntries(await reopened.list('messages'))).toStrictEqual(
      sortedEntries(await vault.list('messages')),
    );
  });

  it('refuses an unknown version with CORE_BACKUP_UNSUPPORTED and a non-backup as CORE_BACKUP_CORRUPT', async () => {
    const { file, key } = await backupOf(2);
    const bytes = await readFile(file);
    bytes[8] = 3;
    await writeFile(file, bytes);
    const home = path.join(await tempDir(), 'restored');
    await expectCode(
      restoreVaultBackup({
        file,
        home,
        secret: key,
        passphrase: NEW_PASSPHRASE,
        kdf: 'insecure-fast',
      }),
      'CORE_BACKUP_UNSUPPORTED',
    );
    const notBackup = path.join(path.dirname(file), 'notes.txt');
    await writeFile(notBackup, 'x'.repeat(500));
    await expectCode(
      restoreVaultBackup({ file: notBackup, home, secret: key, passphrase: NEW_PASSPHRASE }),
      'CORE_BACKUP_CORRUPT',
    );
    await expectNothingLeft(home, []);
  });

  it('refuses a folder that is not empty (CORE_VAULT_EXISTS) and restores into an empty one', async () => {
    const { file, key } = await backupOf(2);
    const home = path.join(await tempDir(), 'restored');
    await mkdir(home);
    await writeFile(path.join(home, 'keep.txt'), 'mine');
    await expectCode(
      restoreVaultBackup({
        file,
        home,
        secret: key,
        passphrase: NEW_PASSPHRASE,
        kdf: 'insecure-fast',
      }),
      'CORE_VAULT_EXISTS',
    );
    expect(fromUtf8(await readFile(path.join(home, 'keep.txt')))).toBe('mine');
    const empty = path.join(await tempDir(), 'empty');
    await mkdir(empty);
    await restoreVaultBackup({
      file,
      home: empty,
      secret: key,
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    track(await Vault.open(empty, NEW_PASSPHRASE));
  });

  it('protects with the vault passphrase instead of a recovery key when asked', async () => {
    const root = await tempDir();
    const vault = await filledVault(path.join(root, 'vault'), 10);
    const file = path.join(root, 'backup');
    const result = await writeVaultBackup(vault, file, {
      passphrase: PASSPHRASE,
      protection: 'passphrase',
    });
    expect(result.recoveryKey).toBeUndefined();
    expect(await readBackupProtection(file)).toBe('passphrase');
    const home = path.join(root, 'restored');
    await expectCode(
      restoreVaultBackup({ file, home, secret: 'wrong passphrase', passphrase: NEW_PASSPHRASE }),
      'CORE_BACKUP_WRONG_KEY',
    );
    await restoreVaultBackup({
      file,
      home,
      secret: PASSPHRASE,
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    const restored = track(await Vault.open(home, NEW_PASSPHRASE));
    expect(sortedEntries(await restored.list('messages'))).toStrictEqual(
      sortedEntries(await vault.list('messages')),
    );
  });

  it('backs up a consistent snapshot while the vault keeps being written', async () => {
    const root = await tempDir();
    const vault = await filledVault(path.join(root, 'vault'), 400);
    const file = path.join(root, 'backup');
    let writes = 0;
    const writing = { on: true };
    const writer = (async () => {
      while (writing.on) {
        // Each batch moves a counter and adds a message together: a consistent copy has both.
        await vault.batch([
          { type: 'put', key: 'counter', value: utf8(String(writes + 1)) },
          { type: 'put', key: `late/${writes}`, value: utf8('x') },
        ]);
        writes += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await writeVaultBackup(vault, file, {
      passphrase: PASSPHRASE,
      protection: 'recovery-key',
    });
    writing.on = false;
    await writer;
    expect(writes).toBeGreaterThan(0);
    const home = path.join(root, 'restored');
    await restoreVaultBackup({
      file,
      home,
      secret: result.recoveryKey ?? '',
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    const restored = track(await Vault.open(home, NEW_PASSPHRASE));
    const counter = await restored.get('counter');
    const late = await restored.list('late');
    expect(counter === undefined ? 0 : Number(fromUtf8(counter))).toBe(late.length);
    expect((await restored.list('messages')).length).toBe(400);
    // The original kept everything written meanwhile.
    expect((await vault.list('late')).length).toBe(writes);
  });
});
