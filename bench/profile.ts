/**
 * Where Kindred's time goes, beyond the headline ratios of `npm run bench`:
 * `npx tsx bench/profile.ts [--quick] [--only blocks|methods|calls|cpu|layers]`. Prints Markdown and saves
 * bench/results/profile.md.
 *
 * - blocks: the vault's building blocks alone (libsodium, LevelDB, Vault.get/put/flush).
 * - methods: each libsignal store callback, Kindred's (over memory, over the vault) next to raw.
 * - calls: which KeyValueStore calls Kindred makes per operation, and what each costs on the Vault.
 * - cpu: a CPU profile (node:inspector) of Kindred 1:1 ping-pong, over memory and over the vault.
 * - layers: each workload as raw libsignal; PersonaCipher over MemoryKeyValueStore (Kindred's code
 *   without the vault); over the Vault (as `npm run bench` measures it: flushed at the end of a
 *   run); and over the Vault flushed after every operation.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Direction, ProtocolAddress, PublicKey } from '@signalapp/libsignal-client';
import type { IdentityKeyStore } from '@signalapp/libsignal-client';
import { Level } from 'level';
import sodium from 'libsodium-wrappers-sumo';
import {
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  PersonaDirectory,
  SenderCertificateIssuer,
  Vault,
  ownedBytes,
} from '../core/index.js';
import type { KeyValueStore } from '../core/index.js';
import type { ThroughputSide } from './measure.js';
import { calibrate, statsOf, timeRun } from './measure.js';
import { machineInfo } from './report.js';
import type { CallTally } from './InstrumentedStore.js';
import { InstrumentedStore } from './InstrumentedStore.js';
import type { CpuBreakdown } from './cpuSampling.js';
import { profileSide } from './cpuSampling.js';
import {
  BundlePool,
  PASSPHRASE,
  connectKindred,
  connectRaw,
  createRawParty,
  flushBoth,
  kindredGroupSides,
  kindredMessage,
  kindredParty,
  kindredSealedMessage,
  kindredSetupSide,
  oneWay,
  pingPong,
  rawGroupSides,
  rawMessage,
  rawSealedMessage,
  rawSetupSide,
} from './workloads.js';
import type { KindredParty } from './workloads.js';

const SECTIONS = ['blocks', 'methods', 'calls', 'cpu', 'layers'] as const;
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
  },
});
const only = new Set(values.only ?? SECTIONS);
for (const name of only) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    throw new Error(`unknown section "${name}"; sections: ${SECTIONS.join(', ')}`);
  }
}
const QUICK = values.quick;
const REPETITIONS = QUICK ? 3 : 5;
const TARGET_SECONDS = QUICK ? 0.2 : 0.4;

const output: string[] = [];
function print(line = ''): void {
  console.log(line);
  output.push(line);
}
function progress(line: string): void {
  console.error(`[profile] ${line}`);
}

await sodium.ready;
const root = await mkdtemp(join(tmpdir(), 'kindred-profile-'));
const vaults: Vault[] = [];
const { issuer } = SenderCertificateIssuer.generate();

// ---------------------------------------------------------------------------------------------
// Parties over different stores

let vaultCount = 0;
async function openDirectory(): Promise<PersonaDirectory> {
  const vault = await Vault.create(join(root, `vault-${vaultCount++}`), PASSPHRASE, {
    kdf: 'insecure-fast',
  });
  vaults.push(vault);
  return new PersonaDirectory(vault);
}

/** Locks every vault opened so far, so idle LevelDB instances do not pile up between
 * workloads. */
async function closeVaults(): Promise<void> {
  for (const vault of vaults.splice(0)) await vault.lock();
}

type StoreKind = 'memory' | 'vault';

async function kindredPair(
  kind: StoreKind,
  wrap: (store: KeyValueStore) => KeyValueStore = (store) => store,
): Promise<{ alice: KindredParty; bob: KindredParty }> {
  const open = async (name: string): Promise<KindredParty> => {
    if (kind === 'memory') {
      return kindredParty(Persona.generate(name), wrap(new MemoryKeyValueStore()), issuer);
    }
    const directory = await openDirectory();
    const persona = await directory.create(name);
    return kindredParty(persona, wrap(directory.dataFor(persona.address)), issuer);
  };
  const pair = { alice: await open('Alice'), bob: await open('Bob') };
  await connectKindred(pair.alice, pair.bob);
  return pair;
}

async function newInitiator(
  kind: StoreKind,
  wrap: (store: KeyValueStore) => KeyValueStore,
): Promise<() => Promise<{ cipher: PersonaCipher; store: KeyValueStore }>> {
  if (kind === 'memory') {
    return () => {
      const store = wrap(new MemoryKeyValueStore());
      return Promise.resolve({
        cipher: new PersonaCipher(Persona.generate('Initiator'), store),
        store,
      });
    };
  }
  const directory = await openDirectory();
  return async () => {
    const persona = await directory.create('Initiator');
    const store = wrap(directory.dataFor(persona.address));
    return { cipher: new PersonaCipher(persona, store), store };
  };
}

type WorkloadName =
  | 'session setup'
  | '1:1 ping-pong'
  | '1:1 one way'
  | 'sealed ping-pong'
  | 'group encrypt'
  | 'group decrypt';

const WORKLOADS: readonly WorkloadName[] = [
  'session setup',
  '1:1 ping-pong',
  '1:1 one way',
  'sealed ping-pong',
  'group encrypt',
  'group decrypt',
];

const pool = new BundlePool();

interface KindredSideOptions {
  /** Wraps the store each persona's cipher runs over (to instrument it). */
  readonly wrap?: (store: KeyValueStore) => KeyValueStore;
  /** Flush after every operation, as a client acknowledging each message must. */
  readonly flushEachOperation?: boolean;
}

/** The Kindred side of a workload over the given store; runs end with a flush. */
async function kindredSide(
  workload: WorkloadName,
  kind: StoreKind,
  options: KindredSideOptions = {},
): Promise<ThroughputSide> {
  const wrap = options.wrap ?? ((store: KeyValueStore) => store);
  let side: ThroughputSide;
  let flush: () => Promise<void>;
  if (workload === 'session setup') {
    const make = await newInitiator(kind, wrap);
    let current: KeyValueStore | undefined;
    side = kindredSetupSide(pool, async () => {
      const made = await make();
      current = made.store;
      return made;
    });
    flush = () => current?.flush() ?? Promise.resolve();
  } else {
    const { alice, bob } = await kindredPair(kind, wrap);
    flush = flushBoth(alice, bob);
    switch (workload) {
      case '1:1 ping-pong':
        side = pingPong(alice, bob, kindredMessage, flush);
        break;
      case '1:1 one way':
        side = oneWay(alice, bob, kindredMessage, flush);
        break;
      case 'sealed ping-pong':
        side = pingPong(alice, bob, kindredSealedMessage(issuer.trustRoot), flush);
        break;
      case 'group encrypt':
        side = (await kindredGroupSides(alice, bob)).encrypt;
        break;
      case 'group decrypt':
        side = (await kindredGroupSides(alice, bob)).decrypt;
        break;
    }
  }
  return options.flushEachOperation === true ? flushingEachOperation(side, flush) : side;
}

function flushingEachOperation(side: ThroughputSide, flush: () => Promise<void>): ThroughputSide {
  return {
    async prepare(count) {
      const run = await side.prepare(count);
      return {
        ...run,
        operation: async (i) => {
          await run.operation(i);
          await flush();
        },
      };
    },
  };
}

async function rawSide(workload: WorkloadName): Promise<ThroughputSide> {
  if (workload === 'session setup') return rawSetupSide(pool, issuer);
  const alice = createRawParty(issuer);
  const bob = createRawParty(issuer);
  await connectRaw(alice, bob);
  switch (workload) {
    case '1:1 ping-pong':
      return pingPong(alice, bob, rawMessage);
    case '1:1 one way':
      return oneWay(alice, bob, rawMessage);
    case 'sealed ping-pong':
      return pingPong(alice, bob, rawSealedMessage(issuer.trustRoot));
    case 'group encrypt':
      return (await rawGroupSides(alice, bob)).encrypt;
    case 'group decrypt':
      return (await rawGroupSides(alice, bob)).decrypt;
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Tiers

async function tiers(): Promise<void> {
  print();
  print('## Throughput by layer (ops/s, and share of raw)');
  print();
  print(
    'raw = libsignal over bench/rawStores.ts · memory = PersonaCipher over MemoryKeyValueStore ' +
      '(Kindred without the vault) · vault = PersonaCipher over the Vault, flushed at the end of ' +
      'each run (as `npm run bench` measures it) · vault, flush/op = the same, flushed after ' +
      'every operation (what a client pays if it makes each message durable before going on).',
  );
  print();
  print('| Workload | raw | memory | vault | vault, flush/op |');
  print('|---|--:|--:|--:|--:|');
  for (const workload of WORKLOADS) {
    progress(`layers: ${workload}`);
    // All in one rotation, so load from elsewhere falls on each alike.
    const medians = await measureSides([
      ['raw', await rawSide(workload)],
      ['memory', await kindredSide(workload, 'memory')],
      ['vault', await kindredSide(workload, 'vault')],
      ['flush/op', await kindredSide(workload, 'vault', { flushEachOperation: true })],
    ]);
    await closeVaults();
    const raw = medians.get('raw') ?? Number.NaN;
    const cell = (value: number | undefined): string =>
      value === undefined
        ? '–'
        : `${Math.round(value).toLocaleString('en-US')} (${Math.round((value / raw) * 100)}%)`;
    print(
      `| ${workload} | ${Math.round(raw).toLocaleString('en-US')} | ${cell(medians.get('memory'))} | ` +
        `${cell(medians.get('vault'))} | ${cell(medians.get('flush/op'))} |`,
    );
  }
}

/** Median ops/s per side, each side calibrated to its own speed, the order rotating per run. */
async function measureSides(sides: [string, ThroughputSide][]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [name, side] of sides) counts.set(name, await calibrate(side, TARGET_SECONDS));
  const runs = new Map<string, number[]>(sides.map(([name]) => [name, []]));
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (let i = 0; i < sides.length; i++) {
      const [name, side] = sides[(i + rep) % sides.length] ?? ['', undefined];
      if (side === undefined) continue;
      runs.get(name)?.push(await timeRun(side, counts.get(name) ?? 1));
    }
  }
  return new Map([...runs].map(([name, list]) => [name, statsOf(list).median]));
}

// ---------------------------------------------------------------------------------------------
// Store callbacks, one at a time

async function storeMethods(): Promise<void> {
  print();
  print('## libsignal store callbacks, one call at a time (µs/call)');
  print();
  print(
    "Kindred's persistent stores over MemoryKeyValueStore and over the Vault (record cache warm), " +
      'next to bench/rawStores.ts, called with what a 1:1 message passes them.',
  );
  print();
  print('| Callback | raw | Kindred, memory | Kindred, vault |');
  print('|---|--:|--:|--:|');
  progress('store callbacks');
  const raw = { alice: createRawParty(issuer), bob: createRawParty(issuer) };
  await connectRaw(raw.alice, raw.bob);
  const memory = await kindredPair('memory');
  const vault = await kindredPair('vault');
  const calls = QUICK ? 1000 : 4000;
  const time = async (call: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 200; i++) await call();
    const start = performance.now();
    for (let i = 0; i < calls; i++) await call();
    return ((performance.now() - start) * 1000) / calls;
  };
  type Callbacks = Record<string, () => Promise<unknown>>;
  const kindredCallbacks = async (pair: {
    alice: KindredParty;
    bob: KindredParty;
  }): Promise<Callbacks> => {
    const stores = pair.alice.cipher.stores;
    // Called as libsignal calls it, through the base class's signature.
    const identities: IdentityKeyStore = stores.identities;
    const bob = ProtocolAddress.new(pair.bob.persona.address, 1);
    const bobKey = PublicKey.deserialize(ownedBytes(pair.bob.persona.identityPublicKey));
    const record = await stores.sessions.getSession(bob);
    if (record === null) throw new Error('no session');
    return {
      'sessions.getSession': () => stores.sessions.getSession(bob),
      'sessions.saveSession': () => stores.sessions.saveSession(bob, record),
      'identities.isTrustedIdentity': () =>
        identities.isTrustedIdentity(bob, bobKey, Direction.Sending),
      'identities.saveIdentity': () => identities.saveIdentity(bob, bobKey),
      'identities.getIdentity': () => identities.getIdentity(bob),
      'identities.getIdentityKey': () => identities.getIdentityKey(),
      'PersonaCipher.hasSession (its pre-check before encrypt and seal)': () =>
        pair.alice.cipher.hasSession(pair.bob.persona.address),
    };
  };
  const rawStores = raw.alice.stores;
  const rawRecord = await rawStores.sessions.getSession(raw.bob.protocolAddress);
  if (rawRecord === null) throw new Error('no raw session');
  const rawBobKey = raw.bob.identity.publicKey;
  const rawCallbacks: Callbacks = {
    'sessions.getSession': () => rawStores.sessions.getSession(raw.bob.protocolAddress),
    'sessions.saveSession': () =>
      rawStores.sessions.saveSession(raw.bob.protocolAddress, rawRecord),
    'identities.isTrustedIdentity': () =>
      rawStores.identities.isTrustedIdentity(raw.bob.protocolAddress, rawBobKey, Direction.Sending),
    'identities.saveIdentity': () =>
      rawStores.identities.saveIdentity(raw.bob.protocolAddress, rawBobKey),
    'identities.getIdentity': () => rawStores.identities.getIdentity(raw.bob.protocolAddress),
    'identities.getIdentityKey': () => rawStores.identities.getIdentityKey(),
  };
  const overMemory = await kindredCallbacks(memory);
  const overVault = await kindredCallbacks(vault);
  for (const [name, call] of Object.entries(overMemory)) {
    const rawCall = rawCallbacks[name];
    const vaultCall = overVault[name];
    const rawUs = rawCall === undefined ? '–' : (await time(rawCall)).toFixed(1);
    const memoryUs = (await time(call)).toFixed(1);
    const vaultUs = vaultCall === undefined ? '–' : (await time(vaultCall)).toFixed(1);
    print(`| ${name} | ${rawUs} | ${memoryUs} | ${vaultUs} |`);
  }
  await Promise.all([vault.alice.store.flush(), vault.bob.store.flush()]);
  await closeVaults();
}

// ---------------------------------------------------------------------------------------------
// 2. Store calls per operation

async function storeCalls(): Promise<void> {
  print();
  print('## KeyValueStore calls per Kindred operation, on the Vault');
  print();
  print(
    'Wall time per call, over the last of a warmed-up run of operations; the vault queues ' +
      'writes, so `put` is sealing only and the LevelDB work shows in the run-end `flush`.',
  );
  print();
  print('| Workload | Call | Calls/op | µs/call | µs/op | Avg bytes |');
  print('|---|---|--:|--:|--:|--:|');
  const operations = QUICK ? 100 : 300;
  for (const workload of WORKLOADS) {
    progress(`store calls: ${workload}`);
    const tallies = new Map<string, CallTally>();
    const side = await kindredSide(workload, 'vault', {
      wrap: (store) => new InstrumentedStore(store, tallies),
    });
    await timeRun(side, 20);
    tallies.clear();
    const run = await side.prepare(operations);
    tallies.clear(); // preparing (group decrypt encrypts its messages) is not the workload
    const start = performance.now();
    for (let i = 0; i < operations; i++) await run.operation(i);
    await run.finish?.();
    const totalUs = ((performance.now() - start) * 1000) / operations;
    let storeUs = 0;
    for (const [name, tally] of [...tallies].sort((a, b) => b[1].ms - a[1].ms)) {
      const perOp = (tally.ms * 1000) / operations;
      storeUs += perOp;
      print(
        `| ${workload} | ${name} | ${(tally.calls / operations).toFixed(2)} | ` +
          `${((tally.ms * 1000) / tally.calls).toFixed(0)} | ${perOp.toFixed(0)} | ` +
          `${Math.round(tally.bytes / tally.calls)} |`,
      );
    }
    await closeVaults();
    print(
      `| ${workload} | **all store calls / whole op** | | | **${storeUs.toFixed(0)} / ${totalUs.toFixed(0)}** | |`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 3. CPU profile

async function cpuProfile(): Promise<void> {
  print();
  print('## CPU profile of Kindred 1:1 ping-pong (self time per message, µs)');
  print();
  print(
    'Sampled with node:inspector in this process. "memory" is PersonaCipher over ' +
      'MemoryKeyValueStore, "vault" over the Vault; the difference is what the vault adds.',
  );
  const profiles = new Map<StoreKind, CpuBreakdown>();
  for (const kind of ['memory', 'vault'] as const) {
    progress(`cpu profile: 1:1 ping-pong over ${kind}`);
    profiles.set(kind, await profileSide(await kindredSide('1:1 ping-pong', kind), TARGET_SECONDS));
    await closeVaults();
  }
  const memory = profiles.get('memory');
  const vault = profiles.get('vault');
  if (memory === undefined || vault === undefined) return;
  print();
  print(
    `Throughput while profiling: memory ${Math.round(memory.rate)} ops/s, ` +
      `vault ${Math.round(vault.rate)} ops/s.`,
  );
  print();
  print('| Category | memory µs/op | vault µs/op | vault − memory |');
  print('|---|--:|--:|--:|');
  const names = new Set([...memory.categories.keys(), ...vault.categories.keys()]);
  const rows = [...names].map((name) => {
    const m = memory.categories.get(name) ?? 0;
    const v = vault.categories.get(name) ?? 0;
    return { name, m, v };
  });
  for (const { name, m, v } of rows.sort((x, y) => y.v - x.v)) {
    print(`| ${name} | ${m.toFixed(0)} | ${v.toFixed(0)} | ${(v - m).toFixed(0)} |`);
  }
  const sum = (map: Map<string, number>): number => [...map.values()].reduce((x, y) => x + y, 0);
  print(
    `| **total** | **${sum(memory.categories).toFixed(0)}** | **${sum(vault.categories).toFixed(0)}** | ` +
      `**${(sum(vault.categories) - sum(memory.categories)).toFixed(0)}** |`,
  );
  for (const [kind, breakdown] of profiles) {
    print();
    print(`Top functions by self time, ${kind} (µs/op):`);
    print();
    for (const [name, us] of [...breakdown.functions]
      .filter(([name]) => name !== '(idle)')
      .sort((x, y) => y[1] - x[1])
      .slice(0, 10)) {
      print(`- ${us.toFixed(0)} µs — ${name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Building blocks

async function buildingBlocks(): Promise<void> {
  print();
  print("## The vault's building blocks, one call at a time");
  print();
  print('| Call | µs/call |');
  print('|---|--:|');
  const sessionRecord = sodium.randombytes_buf(5200);
  const identityRecord = sodium.randombytes_buf(150);
  const key = sodium.randombytes_buf(32);
  const nonce = sodium.randombytes_buf(24);
  const storedKey = sodium.from_string(
    `r/${'0a'.repeat(16)}/${'1b'.repeat(16)}/${'2c'.repeat(16)}`,
  );
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    sessionRecord,
    storedKey,
    null,
    nonce,
    key,
  );
  const line = async (name: string, calls: number, call: () => unknown): Promise<void> => {
    for (let i = 0; i < Math.min(calls, 200); i++) await call();
    const start = performance.now();
    for (let i = 0; i < calls; i++) await call();
    print(`| ${name} | ${(((performance.now() - start) * 1000) / calls).toFixed(1)} |`);
  };
  const calls = QUICK ? 1000 : 3000;
  progress('building blocks');
  await line('node:crypto randomFillSync(24 B) — a Vault record nonce', calls, () =>
    randomFillSync(new Uint8Array(24)),
  );
  await line('sodium.randombytes_buf(24) — libsodium.js: one JS call per byte', calls, () =>
    sodium.randombytes_buf(24),
  );
  await line('node:crypto randomBytes(24)', calls, () => randomBytes(24));
  await line('sodium XChaCha20-Poly1305 seal, 5.2 KB (a session record)', calls, () =>
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sessionRecord, storedKey, null, nonce, key),
  );
  await line('sodium XChaCha20-Poly1305 open, 5.2 KB', calls, () =>
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, storedKey, nonce, key),
  );
  await line('sodium crypto_generichash(16, 40 B) — one path segment, uncached', calls, () =>
    sodium.crypto_generichash(16, identityRecord.subarray(0, 40), key),
  );

  const db = new Level<string, Uint8Array>(join(root, 'plain-level'), { valueEncoding: 'view' });
  await db.open();
  try {
    const dbKey = `r/${'0a'.repeat(16)}/${'1b'.repeat(16)}`;
    await db.put(dbKey, sealed);
    await line('LevelDB put, 5.2 KB (async)', calls, () => db.put(dbKey, sealed));
    await line('LevelDB get, 5.2 KB (async)', calls, () => db.get(dbKey));
    await line('LevelDB getSync, 5.2 KB', calls, () => db.getSync(dbKey));
    await line('LevelDB batch of one 5.2 KB put (async)', calls, () =>
      db.batch([{ type: 'put', key: dbKey, value: sealed }]),
    );
  } finally {
    await db.close();
  }

  const directory = await openDirectory();
  const persona = await directory.create('Blocks');
  const store = directory.dataFor(persona.address);
  await store.put('sessions/x.1', sessionRecord);
  await store.put('identities/x', identityRecord);
  await store.flush();
  await line('Vault.put, 5.2 KB (queued: sealed, not yet written)', calls, () =>
    store.put('sessions/x.1', sessionRecord),
  );
  await store.flush();
  await line('Vault.put + flush, 5.2 KB (one LevelDB batch each)', calls, async () => {
    await store.put('sessions/x.1', sessionRecord);
    await store.flush();
  });
  await line('Vault.get, 5.2 KB (record cache hit)', calls, () => store.get('sessions/x.1'));
  await line('Vault.get, 150 B (record cache hit)', calls, () => store.get('identities/x'));
  await line('Vault.get of a missing key (cached as absent)', calls, () =>
    store.get('sessions/missing.1'),
  );
  const memory = new MemoryKeyValueStore();
  await memory.put('sessions/x.1', sessionRecord);
  await line('MemoryKeyValueStore get, 5.2 KB', calls, () => memory.get('sessions/x.1'));
}

async function main(): Promise<void> {
  try {
    const machine = await machineInfo();
    print('# Where Kindred spends its time');
    print();
    print(
      `${machine.date} · ${machine.cpus} × ${machine.cpuModel} · Node ${machine.node} · ` +
        `libsignal ${machine.libsignal} · git ${machine.revision} · load ${machine.loadAverage.toFixed(2)} · ` +
        `median of ${REPETITIONS} runs of ~${TARGET_SECONDS} s`,
    );
    if (only.has('blocks')) await buildingBlocks();
    if (only.has('methods')) await storeMethods();
    if (only.has('calls')) await storeCalls();
    if (only.has('cpu')) await cpuProfile();
    if (only.has('layers')) await tiers();
  } finally {
    await closeVaults();
    await rm(root, { recursive: true, force: true });
  }
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  await writeFile(new URL('profile.md', results), `${output.join('\n')}\n`);
}

await main();
