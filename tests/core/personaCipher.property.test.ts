/**
 * Property tests for PersonaCipher over an unreliable network: random sends, deliveries in any
 * order, drops and replays. Every delivered message must open byte for byte, every replay must be
 * refused, and every failure must be a CoreError with the code the situation calls for
 * (CORE_NO_SESSION, CORE_DUPLICATE_MESSAGE, CORE_DECRYPT_FAILED, CORE_NO_SENDER_KEY). Most runs
 * use MemoryKeyValueStore for speed; one short run uses real vaults on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  PersonaDirectory,
  Vault,
} from '../../core/index.js';
import type { EncryptedMessage, KeyValueStore } from '../../core/index.js';

const PASSPHRASE = 'correct horse battery staple';
const GROUP = '6e2b8d14-7c3a-4f95-b0e1-2d4c6a8f9b37';
/**
 * libsignal keeps a session's five newest receiving chains (MAX_RECEIVER_CHAINS). A message from
 * an older chain, held back while the ratchet turned five times, can no longer be opened; the
 * model below tracks the chains so it knows which late messages must open and which may not.
 */
const RECEIVER_CHAINS = 5;

/** What a promise settled to; a non-CoreError failure is reported as such, never swallowed. */
type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CoreError };

async function settle<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (!CoreError.is(error)) {
      throw new Error('failed with something other than a CoreError', { cause: error });
    }
    return { ok: false, error };
  }
}

function pick<T>(items: readonly T[], index: number): { item: T; position: number } | undefined {
  if (items.length === 0) return undefined;
  const position = index % items.length;
  const item = items[position];
  return item === undefined ? undefined : { item, position };
}

const payload = fc.uint8Array({ maxLength: 300 });
const index = fc.nat({ max: 1000 });

/** Stores for personas: in memory, or each in its own vault on disk. */
interface Backend {
  readonly storeFor: (persona: Persona) => Promise<KeyValueStore>;
  /** The persona's store as an app restart sees it (a vault is locked and opened again). */
  readonly reopen: (persona: Persona) => Promise<KeyValueStore>;
  readonly close: () => Promise<void>;
}

function memoryBackend(): Promise<Backend> {
  const stores = new Map<string, KeyValueStore>();
  return Promise.resolve({
    storeFor: (persona) => {
      const store = new MemoryKeyValueStore();
      stores.set(persona.address, store);
      return Promise.resolve(store);
    },
    reopen: (persona) => {
      const store = stores.get(persona.address);
      if (store === undefined) throw new Error('no store for that persona');
      return Promise.resolve(store);
    },
    close: () => Promise.resolve(),
  });
}

async function vaultBackend(): Promise<Backend> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'kindred-'));
  const vaults = new Map<string, { dir: string; vault: Vault }>();
  return {
    storeFor: async (persona) => {
      const dir = path.join(root, `vault-${vaults.size + 1}`);
      const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
      vaults.set(persona.address, { dir, vault });
      return new PersonaDirectory(vault).dataFor(persona.address);
    },
    reopen: async (persona) => {
      const entry = vaults.get(persona.address);
      if (entry === undefined) throw new Error('no vault for that persona');
      await entry.vault.lock();
      entry.vault = await Vault.open(entry.dir, PASSPHRASE);
      return new PersonaDirectory(entry.vault).dataFor(persona.address);
    },
    close: async () => {
      for (const { vault } of vaults.values()) await vault.lock();
      await rm(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (a) Two personas, 1:1.

type Side = 'alice' | 'bob';

type PairAction =
  | { readonly kind: 'send'; readonly from: Side; readonly payload: Uint8Array }
  | { readonly kind: 'deliver'; readonly index: number }
  | { readonly kind: 'deliverOldest' }
  | { readonly kind: 'drop'; readonly index: number }
  | { readonly kind: 'replay'; readonly index: number }
  | { readonly kind: 'restart'; readonly side: Side };

const pairAction: fc.Arbitrary<PairAction> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      from: fc.constantFrom<Side>('alice', 'bob'),
      payload,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deliverOldest' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), index }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restart' as const),
      side: fc.constantFrom<Side>('alice', 'bob'),
    }),
  },
);

interface Letter {
  readonly from: Side;
  readonly to: Side;
  readonly message: EncryptedMessage;
  readonly payload: Uint8Array;
  /** The sender's ratchet epoch when it was sent (the model's name for its ratchet key). */
  readonly epoch: number;
}

/** What the model knows of one side's Double Ratchet state. */
interface RatchetModel {
  /** Bumped each time this side sees a new ratchet key from the other and turns its ratchet. */
  sendEpoch: number;
  /** The other side's epochs this side holds receiving chains for, oldest first. */
  chains: number[];
  hasSession: boolean;
  /** Until the initiator hears back, its messages carry the session setup (prekey messages). */
  heardBack: boolean;
}

interface Pair {
  /** Replaced on restart: nothing may live in the PersonaCipher object but its store. */
  readonly ciphers: Record<Side, PersonaCipher>;
  readonly personas: Record<Side, Persona>;
  readonly addresses: Record<Side, string>;
}

/** Two personas; Alice has started a session from Bob's one-time keys, Bob knows nothing yet. */
async function openPair(backend: Backend): Promise<Pair> {
  const alicePersona = Persona.generate('alice');
  const bobPersona = Persona.generate('bob');
  const ciphers: Record<Side, PersonaCipher> = {
    alice: new PersonaCipher(alicePersona, await backend.storeFor(alicePersona)),
    bob: new PersonaCipher(bobPersona, await backend.storeFor(bobPersona)),
  };
  const addresses: Record<Side, string> = {
    alice: alicePersona.address,
    bob: bobPersona.address,
  };
  const upload = await ciphers.bob.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
  const [preKey] = upload.oneTimePreKeys;
  const [kyberPreKey] = upload.oneTimeKyberPreKeys;
  if (preKey === undefined || kyberPreKey === undefined) throw new Error('no one-time keys');
  await ciphers.alice.startSession({
    address: addresses.bob,
    registrationId: upload.registrationId,
    identityKey: upload.identityKey,
    signedPreKey: upload.signedPreKey,
    kyberPreKey,
    preKey,
  });
  return { ciphers, personas: { alice: alicePersona, bob: bobPersona }, addresses };
}

async function runPair(backend: Backend, actions: readonly PairAction[]): Promise<void> {
  const { ciphers, personas, addresses } = await openPair(backend);

  // Alice starts holding a chain for Bob's signed prekey (Bob's epoch 0), which Bob never sends
  // on: his first reply already comes from a turned ratchet (epoch 1).
  const model: Record<Side, RatchetModel> = {
    alice: { sendEpoch: 0, chains: [0], hasSession: true, heardBack: false },
    bob: { sendEpoch: 0, chains: [], hasSession: false, heardBack: true },
  };
  const inFlight: Letter[] = [];
  const delivered: Letter[] = [];

  const receive = async (letter: Letter, replay: boolean): Promise<void> => {
    const receiver = model[letter.to];
    const outcome = await settle(
      ciphers[letter.to].decrypt(addresses[letter.from], letter.message),
    );
    const held = receiver.chains.includes(letter.epoch);
    const newest = Math.max(-1, ...receiver.chains);
    if (replay) {
      expect(outcome.ok).toBe(false);
      // While its chain is held, libsignal knows the message key was used: a duplicate. Once the
      // chain is dropped it cannot tell, and the message simply does not open.
      if (!outcome.ok) {
        expect(outcome.error.code).toBe(
          held ? CoreErrorCode.DuplicateMessage : CoreErrorCode.DecryptFailed,
        );
      }
      return;
    }
    if (!held && letter.epoch < newest) {
      // Its receiving chain was dropped: the message may not open, but must fail cleanly.
      if (outcome.ok) expect(outcome.value).toEqual(letter.payload);
      else expect(outcome.error.code).toBe(CoreErrorCode.DecryptFailed);
      return;
    }
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value).toEqual(letter.payload);
    delivered.push(letter);
    receiver.hasSession = true;
    if (letter.to === 'alice') receiver.heardBack = true;
    if (!held) {
      receiver.chains.push(letter.epoch);
      if (receiver.chains.length > RECEIVER_CHAINS) receiver.chains.shift();
      receiver.sendEpoch += 1;
    }
  };

  for (const action of actions) {
    switch (action.kind) {
      case 'send': {
        const to: Side = action.from === 'alice' ? 'bob' : 'alice';
        const sender = model[action.from];
        const outcome = await settle(ciphers[action.from].encrypt(addresses[to], action.payload));
        if (!sender.hasSession) {
          // Bob has not heard from Alice yet: there is nothing to encrypt with.
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(outcome.error.code).toBe(CoreErrorCode.NoSession);
          break;
        }
        if (!outcome.ok) throw outcome.error;
        expect(outcome.value.type).toBe(sender.heardBack ? 'whisper' : 'prekey');
        inFlight.push({
          from: action.from,
          to,
          message: outcome.value,
          payload: action.payload,
          epoch: sender.sendEpoch,
        });
        break;
      }
      case 'deliver':
      case 'deliverOldest': {
        const chosen = pick(inFlight, action.kind === 'deliver' ? action.index : 0);
        if (chosen === undefined) break;
        inFlight.splice(chosen.position, 1);
        await receive(chosen.item, false);
        break;
      }
      case 'drop': {
        const chosen = pick(inFlight, action.index);
        if (chosen !== undefined) inFlight.splice(chosen.position, 1);
        break;
      }
      case 'replay': {
        const chosen = pick(delivered, action.index);
        if (chosen !== undefined) await receive(chosen.item, true);
        break;
      }
      case 'restart': {
        const persona = personas[action.side];
        ciphers[action.side] = new PersonaCipher(persona, await backend.reopen(persona));
        break;
      }
    }
    expect(await ciphers.bob.hasSession(addresses.alice)).toBe(model.bob.hasSession);
  }

  // Whatever happened, the two can still talk once the network behaves.
  inFlight.length = 0;
  for (const from of ['alice', 'bob'] as const) {
    const to: Side = from === 'alice' ? 'bob' : 'alice';
    if (!model[from].hasSession) continue;
    const text = new TextEncoder().encode(`final from ${from}`);
    const message = await ciphers[from].encrypt(addresses[to], text);
    await receive({ from, to, message, payload: text, epoch: model[from].sendEpoch }, false);
  }
}

// ---------------------------------------------------------------------------------------------
// (b) One sender, three or four members, sender keys.

type GroupAction =
  | { readonly kind: 'send'; readonly payload: Uint8Array }
  | { readonly kind: 'deliver'; readonly member: number; readonly index: number }
  | { readonly kind: 'drop'; readonly member: number; readonly index: number }
  | { readonly kind: 'replay'; readonly member: number; readonly index: number };

const groupAction: fc.Arbitrary<GroupAction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), payload }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), member: index, index }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), member: index, index }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('replay' as const), member: index, index }),
  },
);

interface GroupLetter {
  readonly ciphertext: Uint8Array;
  readonly payload: Uint8Array;
}

async function runGroup(memberCount: number, actions: readonly GroupAction[]): Promise<void> {
  const senderPersona = Persona.generate('sender');
  const sender = new PersonaCipher(senderPersona, new MemoryKeyValueStore());
  const members = Array.from({ length: memberCount }, (_, i) => {
    const persona = Persona.generate(`member ${i}`);
    return {
      cipher: new PersonaCipher(persona, new MemoryKeyValueStore()),
      inFlight: [] as GroupLetter[],
      delivered: [] as GroupLetter[],
    };
  });
  // Someone who never received the sender's distribution: nothing the sender sends opens for them.
  const outsider = new PersonaCipher(Persona.generate('outsider'), new MemoryKeyValueStore());
  const distribution = await sender.createSenderKeyDistribution(GROUP);
  for (const member of members) {
    await member.cipher.processSenderKeyDistribution(senderPersona.address, distribution);
  }

  for (const action of actions) {
    if (action.kind === 'send') {
      const outcome = await settle(sender.groupEncrypt(GROUP, action.payload));
      if (!outcome.ok) throw outcome.error;
      for (const member of members) {
        member.inFlight.push({ ciphertext: outcome.value, payload: action.payload });
      }
      const overheard = await settle(outsider.groupDecrypt(senderPersona.address, outcome.value));
      expect(overheard.ok).toBe(false);
      if (!overheard.ok) expect(overheard.error.code).toBe(CoreErrorCode.NoSenderKey);
      continue;
    }
    const member = pick(members, action.member)?.item;
    if (member === undefined) continue;
    switch (action.kind) {
      case 'deliver': {
        const chosen = pick(member.inFlight, action.index);
        if (chosen === undefined) break;
        member.inFlight.splice(chosen.position, 1);
        const outcome = await settle(
          member.cipher.groupDecrypt(senderPersona.address, chosen.item.ciphertext),
        );
        if (!outcome.ok) throw outcome.error;
        expect(outcome.value).toEqual(chosen.item.payload);
        member.delivered.push(chosen.item);
        break;
      }
      case 'drop': {
        const chosen = pick(member.inFlight, action.index);
        if (chosen !== undefined) member.inFlight.splice(chosen.position, 1);
        break;
      }
      case 'replay': {
        const chosen = pick(member.delivered, action.index);
        if (chosen === undefined) break;
        const outcome = await settle(
          member.cipher.groupDecrypt(senderPersona.address, chosen.item.ciphertext),
        );
        // Sender key chains keep every used message key's index: always a duplicate.
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.code).toBe(CoreErrorCode.DuplicateMessage);
        break;
      }
    }
  }

  // Everything still in flight opens, in whatever order it is left in.
  for (const member of members) {
    for (const letter of member.inFlight.splice(0).reverse()) {
      expect(await member.cipher.groupDecrypt(senderPersona.address, letter.ciphertext)).toEqual(
        letter.payload,
      );
    }
  }
}

describe('PersonaCipher over an unreliable network (property)', () => {
  it('1:1: delivered messages open intact, replays are refused, failures are CoreErrors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pairAction, { minLength: 1, maxLength: 50, size: 'max' }),
        async (actions) => {
          const backend = await memoryBackend();
          try {
            await runPair(backend, actions);
          } finally {
            await backend.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('1:1 over real vaults on disk (a short run)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pairAction, { minLength: 1, maxLength: 20, size: 'max' }),
        async (actions) => {
          const backend = await vaultBackend();
          try {
            await runPair(backend, actions);
          } finally {
            await backend.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('1:1: a long back-and-forth keeps working as the ratchet turns', async () => {
    // Strict alternation turns the ratchet on every message: far more than five chains.
    const actions: PairAction[] = [];
    for (let i = 0; i < 30; i++) {
      actions.push({
        kind: 'send',
        from: i % 2 === 0 ? 'alice' : 'bob',
        payload: new Uint8Array([i]),
      });
      actions.push({ kind: 'deliverOldest' });
    }
    const backend = await memoryBackend();
    await runPair(backend, actions);
    await backend.close();
  });

  it('1:1: a message held back while the ratchet turns five times is lost, cleanly', async () => {
    // Pins the libsignal limit the model relies on (five receiving chains per session).
    const backend = await memoryBackend();
    const { ciphers, addresses } = await openPair(backend);
    const exchange = async (from: Side, to: Side): Promise<EncryptedMessage> => {
      const message = await ciphers[from].encrypt(addresses[to], new Uint8Array([1]));
      expect(await ciphers[to].decrypt(addresses[from], message)).toEqual(new Uint8Array([1]));
      return message;
    };
    const first = await exchange('alice', 'bob');
    const second = await exchange('alice', 'bob');
    expect([first.type, second.type]).toEqual(['prekey', 'prekey']);
    await exchange('bob', 'alice');
    const held = await ciphers.alice.encrypt(addresses.bob, new Uint8Array([2]));
    const heldLonger = await ciphers.alice.encrypt(addresses.bob, new Uint8Array([3]));
    await exchange('alice', 'bob');
    for (let turn = 0; turn < 4; turn++) {
      await exchange('bob', 'alice');
      await exchange('alice', 'bob');
    }
    // Four turns later the chain is still held.
    expect(await ciphers.bob.decrypt(addresses.alice, held)).toEqual(new Uint8Array([2]));
    await exchange('bob', 'alice');
    await exchange('alice', 'bob');
    // One more and it is gone: the message fails cleanly, and nothing else breaks.
    const decryptFailed = (error: unknown): boolean =>
      CoreError.is(error, CoreErrorCode.DecryptFailed);
    await expect(ciphers.bob.decrypt(addresses.alice, heldLonger)).rejects.toSatisfy(decryptFailed);
    // A replay from a dropped chain can no longer be told from garbage: it does not open either.
    await expect(ciphers.bob.decrypt(addresses.alice, held)).rejects.toSatisfy(decryptFailed);
    await expect(ciphers.bob.decrypt(addresses.alice, second)).rejects.toSatisfy(decryptFailed);
    await exchange('bob', 'alice');
    await exchange('alice', 'bob');
    await backend.close();
  });

  it('sender keys: every delivered group message opens intact, replays are refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 4 }),
        fc.array(groupAction, { minLength: 1, maxLength: 50, size: 'max' }),
        async (memberCount, actions) => {
          await runGroup(memberCount, actions);
        },
      ),
      { numRuns: 60 },
    );
  });
});
