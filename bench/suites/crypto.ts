/**
 * Kindred's cryptographic hot paths next to the raw libsignal (or libsodium) calls underneath,
 * measured in the same process, in alternating runs.
 *
 * Kindred side: PersonaCipher over a real Vault on disk (each party its own vault, as on two
 * devices), through PersonaDirectory.dataFor. Raw side: the same libsignal call over the Map
 * stores in bench/rawStores.ts. Both send the same 140-byte payload; only Kindred pads it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import sodium from 'libsodium-wrappers-sumo';
import {
  PersonaCipher,
  PersonaDirectory,
  SenderCertificateIssuer,
  Vault,
  fromBase64Url,
} from '../../core/index.js';
import { loadNativeArgon2id } from '../../core/vault/nativeArgon2id.js';
import type { PairStats } from '../measure.js';
import { measurePair, measureThroughput, timeMs } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';
import {
  BundlePool,
  PASSPHRASE,
  PAYLOAD,
  connectKindred,
  connectRaw,
  createRawParty,
  flushBoth,
  kindredGroupSides,
  kindredMessage,
  kindredParty,
  kindredSealedMessage,
  kindredSetupSide,
  pingPong,
  rawGroupSides,
  rawMessage,
  rawSealedMessage,
  rawSetupSide,
} from '../workloads.js';
import type { KindredParty, RawParty } from '../workloads.js';

export const cases = ['unlock', 'open', 'setup', 'session', 'sealed', 'group'] as const;
type CaseName = (typeof cases)[number];

/** The target: Kindred keeps at least this share of raw libsignal's throughput. */
const THROUGHPUT_TARGET = 0.7;

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  if (PAYLOAD.length !== 140) throw new Error('the payload must be 140 bytes');
  await sodium.ready;
  const wanted = (name: CaseName): boolean => options.cases?.has(name) ?? true;
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-'));
  const vaults: Vault[] = [];
  // Throughput rows use the insecure-fast KDF: unlock cost is measured on its own.
  const openVault = async (name: string): Promise<PersonaDirectory> => {
    const vault = await Vault.create(join(root, name), PASSPHRASE, { kdf: 'insecure-fast' });
    vaults.push(vault);
    return new PersonaDirectory(vault);
  };
  try {
    const { issuer } = SenderCertificateIssuer.generate();
    const rows: BenchRow[] = [];
    if (wanted('unlock')) rows.push(...(await unlockRows(join(root, 'unlock'), options)));
    if (wanted('open')) rows.push(await openRow(join(root, 'open'), options));
    if (wanted('setup'))
      rows.push(await sessionSetupRow(await openVault('setup'), issuer, options));
    if (wanted('session') || wanted('sealed') || wanted('group')) {
      // Alice and Bob each have their own vault, as on two devices.
      const openParty = async (name: string): Promise<KindredParty> => {
        const directory = await openVault(name);
        const persona = await directory.create(name);
        return kindredParty(persona, directory.dataFor(persona.address), issuer);
      };
      const kindred = { alice: await openParty('Alice'), bob: await openParty('Bob') };
      await connectKindred(kindred.alice, kindred.bob);
      const raw = { alice: createRawParty(issuer), bob: createRawParty(issuer) };
      await connectRaw(raw.alice, raw.bob);
      const pairs: Pairs = { trustRoot: issuer.trustRoot, kindred, raw };
      if (wanted('session')) rows.push(await oneToOneRow(pairs, options));
      if (wanted('sealed')) rows.push(await sealedSenderRow(pairs, options));
      if (wanted('group')) rows.push(...(await groupRows(pairs, options)));
    }
    return rows;
  } finally {
    for (const vault of vaults) await vault.lock();
    await rm(root, { recursive: true, force: true });
  }
}

interface Pairs {
  readonly trustRoot: Uint8Array;
  readonly kindred: { readonly alice: KindredParty; readonly bob: KindredParty };
  readonly raw: { readonly alice: RawParty; readonly bob: RawParty };
}

// ---------------------------------------------------------------------------------------------
// Vault unlock

/**
 * Vault.open at the default KDF next to two baselines, each the bare Argon2id call with the
 * vault's own parameters: libsodium's WebAssembly build (what unlock cost before it went native,
 * and still costs where no native module loads) and the native Argon2id unlock now uses.
 */
async function unlockRows(dir: string, options: BenchOptions): Promise<BenchRow[]> {
  options.log('crypto/unlock: creating a vault at the default KDF');
  const created = await Vault.create(dir, PASSPHRASE);
  await created.lock();
  const kdf = await readKdfParams(dir);
  const mebibytes = kdf.memLimit / 2 ** 20;
  const unlock = async (): Promise<number> => {
    let vault: Vault | undefined;
    const ms = await timeMs(async () => {
      vault = await Vault.open(dir, PASSPHRASE);
    });
    await vault?.lock();
    return ms;
  };
  const job = { keyBytes: 32, passphrase: PASSPHRASE, ...kdf };

  options.log(`crypto/unlock: Vault.open vs crypto_pwhash (ops ${kdf.opsLimit}, ${mebibytes} MiB)`);
  const wasm = await measurePair(
    unlock,
    () =>
      timeMs(() => {
        sodium.crypto_pwhash(
          job.keyBytes,
          job.passphrase,
          job.salt,
          job.opsLimit,
          job.memLimit,
          sodium.crypto_pwhash_ALG_ARGON2ID13,
        );
        return Promise.resolve();
      }),
    options.repetitions,
  );
  const rows = [
    row('vault unlock (default KDF)', 'ms', wasm, {
      note: `Vault.open vs libsodium's WebAssembly crypto_pwhash alone; Argon2id ops ${kdf.opsLimit}, ${mebibytes} MiB; lower is better`,
    }),
  ];

  const native = loadNativeArgon2id();
  if (native === undefined) {
    options.log('crypto/unlock: no native Argon2id loads here; the vault unlocks in WebAssembly');
    return rows;
  }
  options.log(`crypto/unlock: Vault.open vs ${native.name} alone`);
  const nativeStats = await measurePair(
    unlock,
    () =>
      timeMs(async () => {
        (await native.derive(job)).fill(0);
      }),
    options.repetitions,
  );
  rows.push(
    row('vault unlock (default KDF) vs native Argon2id', 'ms', nativeStats, {
      note: `Vault.open vs ${native.name}'s Argon2id alone (the module unlock uses), same parameters; lower is better`,
    }),
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Vault open with records

/** Records in the vault the `open` row opens and reads back: a long message history. */
const VAULT_RECORDS = 10_000;
/** Bytes per record: about a stored message with its metadata. */
const RECORD_BYTES = 256;
/** Conversations the records are spread over (the logical keys are history/<conversation>/<n>). */
const CONVERSATIONS = 20;
/** The vault's LevelDB folder (core/vault/Vault.ts), not part of core's public API. */
const VAULT_RECORDS_FOLDER = 'records';

async function openRow(dir: string, options: BenchOptions): Promise<BenchRow> {
  options.log(`crypto/open: a vault of ${VAULT_RECORDS.toLocaleString('en-US')} records`);
  const created = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
  const value = sodium.randombytes_buf(RECORD_BYTES);
  const keyOf = (n: number): string => `history/conversation-${n % CONVERSATIONS}/${n}`;
  for (let first = 0; first < VAULT_RECORDS; first += 500) {
    const batch = [];
    for (let n = first; n < Math.min(VAULT_RECORDS, first + 500); n++) {
      batch.push({ type: 'put' as const, key: keyOf(n), value });
    }
    await created.batch(batch);
  }
  await created.flush();
  await created.lock();
  options.log('crypto/open: Vault.open + list of every record vs LevelDB open + iterate');

  const expectCount = (count: number): void => {
    if (count !== VAULT_RECORDS)
      throw new Error(`read ${count} records, expected ${VAULT_RECORDS}`);
  };
  const stats = await measurePair(
    async () => {
      let vault: Vault | undefined;
      let count = 0;
      const ms = await timeMs(async () => {
        vault = await Vault.open(dir, PASSPHRASE);
        count = (await vault.list('history')).length;
      });
      await vault?.lock();
      expectCount(count);
      return ms;
    },
    async () => {
      const db = new Level<string, Uint8Array>(join(dir, VAULT_RECORDS_FOLDER), {
        keyEncoding: 'utf8',
        valueEncoding: 'view',
        createIfMissing: false,
      });
      let count = 0;
      const ms = await timeMs(async () => {
        await db.open();
        for await (const [, sealed] of db.iterator()) if (sealed.length > 0) count += 1;
      });
      await db.close();
      expectCount(count);
      return ms;
    },
    options.repetitions,
  );
  return row(`vault open + read ${VAULT_RECORDS.toLocaleString('en-US')} records`, 'ms', stats, {
    note:
      `Vault.open (insecure-fast KDF: the unlock row has the real KDF's cost, to add) then ` +
      `list() of ${VAULT_RECORDS.toLocaleString('en-US')} records of ${RECORD_BYTES} bytes ` +
      `(each opened: XChaCha20-Poly1305, key-path hashes checked) vs opening the same LevelDB ` +
      `folder and iterating its sealed records; lower is better`,
  });
}

/** The vault's plaintext header (core/vault/VaultHeader.ts), not part of core's public API. */
const VAULT_HEADER_FILE = 'vault.json';

/** The KDF parameters the vault actually stored, read from its header, so the baseline hashes
 * with exactly what unlock uses. */
async function readKdfParams(
  dir: string,
): Promise<{ opsLimit: number; memLimit: number; salt: Uint8Array }> {
  const header = await readHeaderJson(join(dir, VAULT_HEADER_FILE));
  const kdf = header?.kdf;
  const salt = typeof kdf?.salt === 'string' ? fromBase64Url(kdf.salt) : undefined;
  if (
    kdf?.algorithm !== 'argon2id13' ||
    typeof kdf.opsLimit !== 'number' ||
    typeof kdf.memLimit !== 'number' ||
    salt === undefined
  ) {
    throw new Error('the vault header no longer has the layout bench/suites/crypto.ts reads');
  }
  return { opsLimit: kdf.opsLimit, memLimit: kdf.memLimit, salt };
}

async function readHeaderJson(path: string): Promise<{ kdf?: Record<string, unknown> } | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { kdf?: Record<string, unknown> } | null;
  } catch (error) {
    throw new Error(`cannot read the vault header ${path}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput rows

async function sessionSetupRow(
  directory: PersonaDirectory,
  issuer: SenderCertificateIssuer,
  options: BenchOptions,
): Promise<BenchRow> {
  options.log('crypto/setup: session setups (PQXDH from a prekey bundle)');
  const pool = new BundlePool();
  const kindred = kindredSetupSide(pool, async () => {
    const persona = await directory.create('Initiator');
    const store = directory.dataFor(persona.address);
    return { cipher: new PersonaCipher(persona, store), store };
  });
  const stats = await measureThroughput(kindred, rawSetupSide(pool, issuer), options);
  return row('session setups', 'ops/s', stats, {
    note: `startSession vs processPreKeyBundle; a new recipient per setup${targetNote(stats)}`,
  });
}

async function oneToOneRow(pairs: Pairs, options: BenchOptions): Promise<BenchRow> {
  options.log('crypto/session: 1:1 encrypt + decrypt (ping-pong)');
  const stats = await measureThroughput(
    pingPong(
      pairs.kindred.alice,
      pairs.kindred.bob,
      kindredMessage,
      flushBoth(pairs.kindred.alice, pairs.kindred.bob),
    ),
    pingPong(pairs.raw.alice, pairs.raw.bob, rawMessage),
    options,
  );
  return row('1:1 encrypt+decrypt', 'ops/s', stats, {
    note: `ping-pong; op = one message encrypted and decrypted${targetNote(stats)}`,
  });
}

async function sealedSenderRow(pairs: Pairs, options: BenchOptions): Promise<BenchRow> {
  options.log('crypto/sealed: sealed sender seal + unseal (ping-pong)');
  const stats = await measureThroughput(
    pingPong(
      pairs.kindred.alice,
      pairs.kindred.bob,
      kindredSealedMessage(pairs.trustRoot),
      flushBoth(pairs.kindred.alice, pairs.kindred.bob),
    ),
    pingPong(pairs.raw.alice, pairs.raw.bob, rawSealedMessage(pairs.trustRoot)),
    options,
  );
  return row('sealed sender seal+unseal', 'ops/s', stats, {
    note: `ping-pong; op = one message sealed and unsealed${targetNote(stats)}`,
  });
}

async function groupRows(pairs: Pairs, options: BenchOptions): Promise<BenchRow[]> {
  const kindred = await kindredGroupSides(pairs.kindred.alice, pairs.kindred.bob);
  const raw = await rawGroupSides(pairs.raw.alice, pairs.raw.bob);
  options.log('crypto/group: group encrypt');
  const encrypt = await measureThroughput(kindred.encrypt, raw.encrypt, options);
  options.log('crypto/group: group decrypt');
  const decrypt = await measureThroughput(kindred.decrypt, raw.decrypt, options);
  return [
    row('group encrypt', 'ops/s', encrypt, {
      note: `sender key; op = one message${targetNote(encrypt)}`,
    }),
    row('group decrypt', 'ops/s', decrypt, {
      note: `sender key; op = one message, in order${targetNote(decrypt)}`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------

function row(
  name: string,
  unit: BenchRow['unit'],
  stats: PairStats,
  details: { note: string },
): BenchRow {
  return {
    name,
    unit,
    kindred: stats.kindred,
    baseline: stats.baseline,
    ratio: stats.kindred.median / stats.baseline.median,
    note: details.note,
  };
}

function targetNote(stats: PairStats): string {
  const ratio = stats.kindred.median / stats.baseline.median;
  return `; ${ratio >= THROUGHPUT_TARGET ? 'meets' : 'BELOW'} the ≥ ${THROUGHPUT_TARGET.toFixed(2)} target`;
}
