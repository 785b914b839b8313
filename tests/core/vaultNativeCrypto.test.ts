// The vault's native paths (Argon2id for unlock; XChaCha20-Poly1305 and BLAKE2b for records) must
// give exactly the bytes libsodium's WebAssembly build gives, so vaults made before them, or on a
// machine where they do not load, keep opening; and when they do not load, the WebAssembly build
// is what runs. The loaders are injected; every derivation and cipher here is the real one.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError, Vault, fromBase64Url, fromUtf8, utf8 } from '../../core/index.js';
import type { KdfParams } from '../../core/vault/KdfParams.js';
import { deriveKeyEncryptionKeyVia } from '../../core/vault/KdfParams.js';
import { loadNativeArgon2id } from '../../core/vault/nativeArgon2id.js';
import type { NativeLoader } from '../../core/vault/nativeModules.js';
import { loadInstalledNative } from '../../core/vault/nativeModules.js';
import { loadRecordCipher } from '../../core/vault/RecordCipher.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'vault-wasm-v1');
const FIXTURE_PASSPHRASE = 'fixture passphrase: vault made before native crypto';
const dirs: string[] = [];

beforeAll(async () => {
  await sodium.ready;
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-native-'));
  dirs.push(dir);
  return dir;
}

/** A loader that finds only the named packages (the real ones), as if the rest were missing. */
function only(...names: string[]): NativeLoader {
  return (name) => (names.includes(name) ? loadInstalledNative(name) : undefined);
}

const NOTHING_LOADS: NativeLoader = () => undefined;

/** A copy of `bytes` with one bit flipped at `index`. */
function flipBit(bytes: Uint8Array | undefined, index: number): Uint8Array {
  if (bytes === undefined || index >= bytes.length) throw new Error('no byte to flip');
  const copy = bytes.slice();
  copy[index] = (bytes[index] ?? 0) ^ 0x01;
  return copy;
}

/** The fixture's records: at commit 4740ea7 (WebAssembly only), `Vault.create(dir,
 * FIXTURE_PASSPHRASE)` at the default profile, these put in one batch, flushed, locked. */
function fixtureRecords(): Map<string, Uint8Array> {
  const keys = ['settings', 'personas/p1/identity'];
  for (let c = 0; c < 3; c++)
    for (let n = 0; n < 10; n++) keys.push(`history/conversation-${c}/${n}`);
  return new Map(keys.map((key, i) => [key, utf8(`${key};`.repeat(i + 1))]));
}

/** list('history') on the fixture, in the order the WebAssembly-only code returned it. */
const FIXTURE_HISTORY_ORDER = [
  ...[5, 2, 7, 3, 1, 4, 9, 8, 0, 6].map((n) => `history/conversation-2/${n}`),
  ...[1, 9, 6, 2, 3, 8, 4, 0, 7, 5].map((n) => `history/conversation-0/${n}`),
  ...[2, 3, 8, 0, 6, 7, 5, 4, 9, 1].map((n) => `history/conversation-1/${n}`),
];

async function fixtureKdf(): Promise<KdfParams> {
  const header = JSON.parse(await readFile(path.join(FIXTURE, 'vault.json'), 'utf8')) as {
    kdf: { opsLimit: number; memLimit: number; salt: string };
  };
  const salt = fromBase64Url(header.kdf.salt);
  if (salt === undefined) throw new Error('fixture header salt is not base64url');
  return { algorithm: 'argon2id13', ...header.kdf, salt };
}

describe('native Argon2id', () => {
  it('finds @node-rs/argon2 first, sodium-native next, and nothing when neither loads', () => {
    expect(loadNativeArgon2id()?.name).toBe('@node-rs/argon2');
    expect(loadNativeArgon2id(only('sodium-native'))?.name).toBe('sodium-native');
    expect(loadNativeArgon2id(NOTHING_LOADS)).toBeUndefined();
    // A package that is missing, or that loads without the functions used, is no backend.
    expect(loadInstalledNative('kindred-no-such-native-module')).toBeUndefined();
    expect(loadNativeArgon2id(() => ({ hashRaw: 'not a function' }))).toBeUndefined();
  });

  it('derives the WebAssembly build’s key on every path, the fallback when nothing loads', async () => {
    const params: KdfParams = {
      algorithm: 'argon2id13',
      opsLimit: 2,
      memLimit: 16 * 2 ** 20,
      salt: sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES),
    };
    // NFKC turns the ligature into "fi": every path must see the same normalised bytes.
    const passphrase = 'ﬁve Ünïcødé words, a passphrase';
    const expected = sodium.crypto_pwhash(
      32,
      passphrase.normalize('NFKC'),
      params.salt,
      params.opsLimit,
      params.memLimit,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
    const paths = [
      [only('@node-rs/argon2'), '@node-rs/argon2'],
      [only('sodium-native'), 'sodium-native'],
      [NOTHING_LOADS, 'wasm-worker'],
    ] as const;
    for (const [loader, expectedPath] of paths) {
      const derived = await deriveKeyEncryptionKeyVia(
        sodium,
        passphrase,
        params,
        loadNativeArgon2id(loader),
      );
      expect(derived.path).toBe(expectedPath);
      expect(derived.key).toStrictEqual(expected);
    }
  }, 120_000);

  it('derives the fixture vault’s key at the default profile natively and in WebAssembly alike', async () => {
    const params = await fixtureKdf();
    expect(params.opsLimit).toBe(sodium.crypto_pwhash_OPSLIMIT_MODERATE);
    expect(params.memLimit).toBe(sodium.crypto_pwhash_MEMLIMIT_MODERATE);
    const native = await deriveKeyEncryptionKeyVia(
      sodium,
      FIXTURE_PASSPHRASE,
      params,
      loadNativeArgon2id(),
    );
    const wasm = await deriveKeyEncryptionKeyVia(sodium, FIXTURE_PASSPHRASE, params, undefined);
    expect([native.path, wasm.path]).toStrictEqual(['@node-rs/argon2', 'wasm-worker']);
    expect(native.key).toStrictEqual(wasm.key);
  }, 180_000);
});

describe('native record cipher', () => {
  it('seals and hashes byte for byte like the WebAssembly build, each opening the other’s', () => {
    const native = loadRecordCipher(sodium);
    const wasm = loadRecordCipher(sodium, NOTHING_LOADS);
    expect([native.name, wasm.name]).toStrictEqual(['sodium-native', 'libsodium-wasm']);
    const key = sodium.randombytes_buf(32);
    const ad = `r/${'ab'.repeat(16)}/${'cd'.repeat(16)}`;
    // Up to past the native cipher's first scratch buffer (16 KiB), which then grows.
    for (const length of [0, 1, 64, 300, 40_000]) {
      const plaintext = sodium.randombytes_buf(length);
      const nonce = sodium.randombytes_buf(24);
      const sealed = native.seal(plaintext, ad, nonce, key);
      expect(sealed).toStrictEqual(wasm.seal(plaintext, ad, nonce, key));
      expect(wasm.open(sealed, ad, key)).toStrictEqual(plaintext);
      expect(native.open(sealed, ad, key)?.slice()).toStrictEqual(plaintext);
      // Refused alike: a flipped bit, the wrong slot, the wrong key, a truncated record.
      const flipped = flipBit(sealed, Math.floor(sealed.length / 2));
      const wrongKey = sodium.randombytes_buf(32);
      for (const cipher of [native, wasm]) {
        expect(cipher.open(flipped, ad, key)).toBeUndefined();
        expect(cipher.open(sealed, `${ad}0`, key)).toBeUndefined();
        expect(cipher.open(sealed, ad, wrongKey)).toBeUndefined();
        expect(cipher.open(sealed.subarray(0, 39), ad, key)).toBeUndefined();
      }
    }
    for (const parent of [new Uint8Array(0), sodium.randombytes_buf(16)]) {
      for (const segment of ['history', 'conversation-3', 'Ünïcødé', 'x'.repeat(1024)]) {
        expect(native.pathHash(parent, segment, key)).toBe(wasm.pathHash(parent, segment, key));
      }
    }
  });
});

describe('vault reads with native crypto, a page at a time', () => {
  it('opens the vault made by the WebAssembly-only code: same records, same order', async () => {
    const dir = await tempDir();
    await cp(FIXTURE, dir, { recursive: true });
    const vault = await Vault.open(dir, FIXTURE_PASSPHRASE);
    try {
      const expected = fixtureRecords();
      const history = await vault.list('history');
      expect(history.map((entry) => entry.key)).toStrictEqual(FIXTURE_HISTORY_ORDER);
      for (const entry of history) expect(entry.value).toStrictEqual(expected.get(entry.key));
      for (const [key, value] of expected) expect(await vault.get(key)).toStrictEqual(value);
      // What the native code writes there, the next open reads back.
      await vault.put('history/conversation-0/new', utf8('written natively'));
    } finally {
      await vault.lock();
    }
    const reopened = await Vault.open(dir, FIXTURE_PASSPHRASE);
    try {
      expect(await reopened.get('history/conversation-0/new')).toStrictEqual(
        utf8('written natively'),
      );
      expect(await reopened.list('history')).toHaveLength(31);
    } finally {
      await reopened.lock();
    }
  }, 180_000);

  it('lists thousands of records over several pages, each once, and refuses a tampered one', async () => {
    const dir = await tempDir();
    const vault = await Vault.create(dir, 'correct horse battery staple', {
      kdf: 'insecure-fast',
    });
    const count = 2_500;
    const keyOf = (n: number): string => `history/c${n % 7}/${n}`;
    const valueOf = (n: number): Uint8Array => utf8(`message ${n} `.repeat((n % 40) + 1));
    await vault.batch(
      Array.from({ length: count }, (_, n) => ({
        type: 'put' as const,
        key: keyOf(n),
        value: valueOf(n),
      })),
    );
    await vault.put('other/record', utf8('not under history'));
    await vault.lock();

    const reopened = await Vault.open(dir, 'correct horse battery staple');
    let order: string[];
    try {
      const listed = await reopened.list('history');
      order = listed.map((entry) => entry.key);
      expect(new Set(order).size).toBe(count);
      for (const entry of listed) {
        const n = Number(entry.key.split('/')[2]);
        expect(entry.key).toBe(keyOf(n));
        expect(fromUtf8(entry.value)).toBe(fromUtf8(valueOf(n)));
      }
      // One conversation alone: a sub-range of the same iteration, in the same order.
      const c3 = (await reopened.list('history/c3')).map((entry) => entry.key);
      expect(c3).toStrictEqual(order.filter((key) => key.startsWith('history/c3/')));
    } finally {
      await reopened.lock();
    }

    // Flip one bit in a record on the second page of LevelDB's order.
    const db = new Level<string, Uint8Array>(path.join(dir, 'records'), {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    const storedKeys = await db.keys({ gte: 'r/', lt: 'r/\uffff' }).all();
    const victim = storedKeys[1_500];
    if (victim === undefined) throw new Error('fewer stored records than written');
    await db.put(victim, flipBit(await db.get(victim), 30));
    await db.close();

    const damaged = await Vault.open(dir, 'correct horse battery staple');
    try {
      const refused = await damaged.list('history').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(CoreError.is(refused, 'CORE_VAULT_CORRUPT')).toBe(true);
      // The rest still reads: the first record listed before, and the record outside history.
      const first = order[0] ?? '';
      const firstN = Number(first.split('/')[2]);
      expect(await damaged.get(first)).toStrictEqual(valueOf(firstN));
      expect(await damaged.get('other/record')).toStrictEqual(utf8('not under history'));
    } finally {
      await damaged.lock();
    }
  }, 120_000);
});
