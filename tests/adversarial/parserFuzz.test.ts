// Every parser that reads bytes a client or the relay did not just produce itself, mutated well
// over a hundred thousand times in all: contact and group invite links, the vault header and
// sealed vault records, the JSON records the client keeps in its vault, the relay's own store
// records, and protobuf frames through the decoder the relay runs. Each input must parse or fail
// with a typed, coded error (CoreError, or the relay store's RELAY_STORE_CORRUPT): never a
// TypeError or RangeError, never a call that takes unbounded time. After each run the valid input
// still parses, so no failure left state behind.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { create, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  GroupSecret,
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  PersonaDirectory,
  Vault,
  createContactInviteLink,
  createGroupInviteLink,
  createRelayInviteToken,
  decodeClientFrame,
  decodeContent,
  decodeGroupContent,
  decodeServerFrame,
  encodeClientFrame,
  encodeContent,
  encodeMessageBody,
  encodeServerFrame,
  fromBase64Url,
  fromUtf8,
  generateOperatorKeyPair,
  logKeyHash,
  parseContactInviteLink,
  parseGroupInviteLink,
  signGroupOperation,
  toBase64Url,
  toHex,
  utf8,
  verifyRelayInviteToken,
} from '../../core/client/index.js';
import type {
  ClientFrameInit,
  ContactCardData,
  GroupState,
  KeyValueEntry,
  KeyValueOperation,
  KeyValueStore,
  ServerFrameInit,
} from '../../core/client/index.js';
import { wire } from '../../core/client/index.js';
import {
  writeClientProfile,
  writeSenderCertificate,
  readClientProfile,
  readSenderCertificate,
} from '../../core/client/ClientProfile.js';
import { ContactBook } from '../../core/client/ContactBook.js';
import { openGroupEnvelope } from '../../core/client/groups/groupCodec.js';
import { GroupStore } from '../../core/client/groups/GroupStore.js';
import { IssuedInvites } from '../../core/client/IssuedInvites.js';
import { VaultLocalData } from '../../core/client/LocalData.js';
import { MessageHistory } from '../../core/client/direct/MessageHistory.js';
import { Outbox } from '../../core/client/Outbox.js';
import { applyGroupOperation, decodeGroupOperation } from '../../core/groups/GroupRules.js';
import {
  ContactInviteSchema,
  GroupEnvelopeSchema,
  GroupInviteLinkSchema,
  SignedContactInviteSchema,
  SignedGroupInviteLinkSchema,
} from '../../core/protocol/gen/kindred_pb.js';
import { loadSodium } from '../../core/vault/sodium.js';
import { checkStoredKdfParams } from '../../core/vault/KdfParams.js';
import { parseHeader, unwrapDataKey } from '../../core/vault/VaultHeader.js';
import { peekRequestId } from '../../server/frameBytes.js';
import {
  decodeEnvelopeValue,
  decodeGroupCursor,
  decodeGroupEntryValue,
  decodeGroupHead,
  decodeGroupIndex,
  decodeOneTimePreKey,
  decodePersona,
  decodeSignedPreKey,
  encodeEnvelopeValue,
  encodeGroupCursor,
  encodeGroupEntryValue,
  encodeGroupHead,
  encodeGroupIndex,
  encodeOneTimePreKey,
  encodePersona,
  encodeSignedPreKey,
} from '../../server/store/records.js';
import {
  Tally,
  byteMutationArbitrary,
  fuzzParameters,
  fuzzSeed,
  hostileJsonValue,
  jsonText,
  mutateBytes,
  mutateText,
  textMutationArbitrary,
} from './fuzzHelpers.js';
import type { ByteMutation, TextMutation } from './fuzzHelpers.js';

const SEED = fuzzSeed(20_260_302);
/** Any one call: far beyond what a parse takes, short of anything that looks like a hang. */
const CALL_BOUND_MS = 2000;
/** Calls that touch the disk (opening a vault) get more room on a busy machine. */
const ASYNC_CALL_BOUND_MS = 10_000;
const PASSPHRASE = 'parser fuzz passphrase';
const NOW = Date.UTC(2026, 0, 1);
const FUTURE = NOW + 30 * 24 * 3600 * 1000;

const ALL_CORE_CODES = new Set<string>(Object.values(CoreErrorCode));
/** Mutations tried in all: the suite's last test checks the total. */
const totals = new Tally();

// ---- checking outcomes -------------------------------------------------------------------

/**
 * What a parse ended in: 'parsed', or the code of the typed error it threw. Anything else (a
 * TypeError, a RangeError, a CoreError with a code outside `allowed`) fails the run.
 */
function outcomeOf(error: unknown, allowed: ReadonlySet<string>, what: string): string {
  if (CoreError.is(error)) {
    if (!allowed.has(error.code)) throw new Error(`${what} failed with unexpected ${error.code}`);
    return error.code;
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'RELAY_STORE_CORRUPT') {
    if (!allowed.has('RELAY_STORE_CORRUPT')) throw new Error(`${what} failed as a relay record`);
    return 'RELAY_STORE_CORRUPT';
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const stack =
    error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).join(' | ') : '';
  throw new Error(`${what} threw an untyped ${name}: ${message} (${stack})`, { cause: error });
}

/** Runs one parse (sync or async), files its outcome, and checks it finished in time. */
class ParseRecorder {
  readonly outcomes = new Tally();
  maxMs = 0;
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  /** `classify` names a result (parsers that answer malformed input with undefined). */
  sync(
    what: string,
    allowed: ReadonlySet<string>,
    parse: () => unknown,
    classify: (result: unknown) => string = () => 'parsed',
  ): void {
    const started = performance.now();
    let outcome: string;
    try {
      outcome = classify(parse());
    } catch (error) {
      outcome = outcomeOf(error, allowed, `${this.#name} (${what})`);
    }
    this.#finish(what, outcome, performance.now() - started, CALL_BOUND_MS);
  }

  async async(
    what: string,
    allowed: ReadonlySet<string>,
    parse: () => Promise<unknown>,
  ): Promise<void> {
    const started = performance.now();
    let outcome = 'parsed';
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new Error(`${this.#name} (${what}) did not settle within ${ASYNC_CALL_BOUND_MS} ms`),
        );
      }, ASYNC_CALL_BOUND_MS);
    });
    try {
      await Promise.race([parse(), hang]);
    } catch (error) {
      if (error instanceof Error && error.message.includes('did not settle')) throw error;
      outcome = outcomeOf(error, allowed, `${this.#name} (${what})`);
    } finally {
      clearTimeout(timer);
    }
    this.#finish(what, outcome, performance.now() - started, ASYNC_CALL_BOUND_MS);
  }

  #finish(what: string, outcome: string, ms: number, boundMs: number): void {
    this.outcomes.add(outcome);
    totals.add(this.#name);
    this.maxMs = Math.max(this.maxMs, ms);
    if (ms > boundMs) throw new Error(`${this.#name} (${what}) took ${ms.toFixed(0)} ms`);
  }

  report(): string {
    return `${this.#name}: ${this.outcomes.total} inputs, slowest ${this.maxMs.toFixed(1)} ms; ${this.outcomes.toString()}`;
  }
}

// ---- shared arbitraries --------------------------------------------------------------------

function sized(length: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.uint8Array({ minLength: length, maxLength: length }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: length * 2 + 1 }) },
  );
}

const uint32 = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 0xffffffff }));
const timestamp = fc.oneof(
  fc.constantFrom(0n, 1n, BigInt(NOW - 1), BigInt(NOW), BigInt(FUTURE)),
  fc.constantFrom(
    BigInt(Number.MAX_SAFE_INTEGER),
    BigInt(Number.MAX_SAFE_INTEGER) + 1n,
    (1n << 64n) - 1n,
  ),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);
const relayUrl = fc.oneof(
  fc.constantFrom(
    'ws://127.0.0.1:8787',
    'wss://relay.example.org',
    'ws://relay.example.org',
    'http://relay.example.org',
    'wss://user:secret@relay.example.org',
    'wss://relay.example.org/#fragment',
    'ws://[::1]:1',
    '',
    'wss://',
    'javascript:alert(1)',
  ),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 2030, max: 2060 }).map((n) => `wss://r.example/${'a'.repeat(n)}`),
);
const pseudonym = fc.oneof(
  fc.constantFrom(
    'Ada',
    '',
    '   ',
    'a\u202eb',
    'x\u0000y',
    'e\u0301',
    'a'.repeat(64),
    'a'.repeat(65),
    '😀'.repeat(64),
  ),
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Links are text: mutate the text, the bytes under the base64, or the signed content itself. */
type LinkMutation =
  | { readonly kind: 'text'; readonly mutations: readonly TextMutation[] }
  | { readonly kind: 'bytes'; readonly mutations: readonly ByteMutation[] }
  | { readonly kind: 'inner'; readonly mutations: readonly ByteMutation[] }
  | { readonly kind: 'notText'; readonly value: unknown };

const linkMutationArbitrary: fc.Arbitrary<LinkMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      mutations: fc.array(textMutationArbitrary(), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      mutations: fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('inner' as const),
      mutations: fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('notText' as const),
      value: fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.integer(),
        fc.constant({}),
        fc.constant([]),
        fc.constant('x'.repeat(9000)),
      ),
    }),
  },
);

/**
 * Applies a link mutation. `inner` mutates the signed content and signs it again with `signer`,
 * so the mutated content gets past the signature and into the field checks.
 */
function mutateLink(
  link: string,
  prefix: string,
  mutation: LinkMutation,
  resign: (content: Uint8Array) => string,
  innerOf: (outer: Uint8Array) => Uint8Array,
): unknown {
  switch (mutation.kind) {
    case 'text':
      return mutateText(link, mutation.mutations);
    case 'bytes': {
      const bytes = fromBase64Url(link.slice(prefix.length)) ?? new Uint8Array(0);
      return prefix + toBase64Url(mutateBytes(bytes, mutation.mutations, [bytes]));
    }
    case 'inner': {
      const outer = fromBase64Url(link.slice(prefix.length)) ?? new Uint8Array(0);
      const inner = innerOf(outer);
      return resign(mutateBytes(inner, mutation.mutations, [inner]));
    }
    case 'notText':
      return mutation.value;
  }
}

/** The payload of field 1 of a two-field signed wrapper (invite or link bytes). */
function firstField(outer: Uint8Array): Uint8Array {
  // Field 1, length-delimited, a two-byte length at most for these sizes.
  if (outer[0] !== 0x0a) return new Uint8Array(0);
  let length = 0;
  let at = 1;
  for (let shift = 0; shift < 21; shift += 7) {
    const byte = outer[at++] ?? 0;
    length |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  return outer.slice(at, at + length);
}

// ---- a store that forgets -----------------------------------------------------------------

/**
 * Valid records underneath, an overlay on top that `reset` clears: each mutated record is read
 * against otherwise valid state, and whatever a reader writes is gone before the next input.
 */
class ScratchStore implements KeyValueStore {
  readonly #base: ReadonlyMap<string, Uint8Array>;
  readonly #overlay = new Map<string, Uint8Array | null>();

  constructor(base: ReadonlyMap<string, Uint8Array>) {
    this.#base = base;
  }

  reset(): void {
    this.#overlay.clear();
  }

  get(key: string): Promise<Uint8Array | undefined> {
    const value = this.#overlay.has(key) ? this.#overlay.get(key) : this.#base.get(key);
    return Promise.resolve(value === null || value === undefined ? undefined : value.slice());
  }

  put(key: string, value: Uint8Array): Promise<void> {
    this.#overlay.set(key, value.slice());
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.#overlay.set(key, null);
    return Promise.resolve();
  }

  async batch(operations: readonly KeyValueOperation[]): Promise<void> {
    for (const operation of operations) {
      if (operation.type === 'put') await this.put(operation.key, operation.value);
      else await this.delete(operation.key);
    }
  }

  list(prefix: string): Promise<KeyValueEntry[]> {
    const base = `${prefix}/`;
    const keys = new Set([...this.#base.keys(), ...this.#overlay.keys()]);
    const out: KeyValueEntry[] = [];
    for (const key of keys) {
      if (!key.startsWith(base)) continue;
      const value = this.#overlay.has(key) ? this.#overlay.get(key) : this.#base.get(key);
      if (value !== null && value !== undefined) out.push({ key, value: value.slice() });
    }
    return Promise.resolve(out);
  }

  deleteTree(prefix: string): Promise<void> {
    for (const key of [...this.#base.keys(), ...this.#overlay.keys()]) {
      if (key.startsWith(`${prefix}/`)) this.#overlay.set(key, null);
    }
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

/** MemoryKeyValueStore's entries, through its own list (it has no other way out). */
async function snapshot(
  store: MemoryKeyValueStore,
  roots: readonly string[],
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const root of roots)
    for (const entry of await store.list(root)) out.set(entry.key, entry.value);
  return out;
}

// ---- JSON mutations ---------------------------------------------------------------------

type RecordMutation =
  | { readonly kind: 'text'; readonly mutations: readonly TextMutation[] }
  | { readonly kind: 'bytes'; readonly mutations: readonly ByteMutation[] }
  | { readonly kind: 'replaceNode'; readonly node: number; readonly value: unknown }
  | { readonly kind: 'deleteNode'; readonly node: number }
  | { readonly kind: 'addField'; readonly name: string; readonly value: unknown }
  | { readonly kind: 'whole'; readonly value: unknown };

const recordMutationArbitrary: fc.Arbitrary<RecordMutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      mutations: fc.array(textMutationArbitrary(), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      mutations: fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('replaceNode' as const),
      node: fc.nat(),
      value: hostileJsonValue(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteNode' as const), node: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('addField' as const),
      name: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('__proto__', 'constructor', 'kind', 'index'),
      ),
      value: hostileJsonValue(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('whole' as const), value: hostileJsonValue() }),
  },
);

/** Every object field and array slot of a JSON value, as [container, key] pairs. */
function jsonNodes(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        nodes.push([node, index]);
        walk(item);
      });
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        nodes.push([record, key]);
        walk(record[key]);
      }
    }
  };
  walk(value);
  return nodes;
}

function mutateRecord(valid: Uint8Array, mutation: RecordMutation): Uint8Array {
  switch (mutation.kind) {
    case 'text':
      return utf8(mutateText(fromUtf8(valid), mutation.mutations));
    case 'bytes':
      return mutateBytes(valid, mutation.mutations, [valid]);
    case 'whole':
      return utf8(jsonText(mutation.value));
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromUtf8(valid));
      } catch {
        return mutateBytes(valid, [{ kind: 'truncate', at: valid.length - 1 }], []);
      }
      if (mutation.kind === 'addField') {
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          // defineProperty: a name such as __proto__ becomes an own field, as JSON.parse makes it.
          Object.defineProperty(parsed, mutation.name, { value: mutation.value, enumerable: true });
        }
        return utf8(jsonText(parsed));
      }
      const nodes = jsonNodes(parsed);
      const node = nodes[mutation.node % Math.max(1, nodes.length)];
      if (node !== undefined) {
        const [container, key] = node;
        if (mutation.kind === 'replaceNode') {
          if (Array.isArray(container)) container[key as number] = mutation.value;
          else
            Object.defineProperty(container, key, {
              value: mutation.value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
        } else if (Array.isArray(container)) {
          container.splice(key as number, 1);
        } else {
          Reflect.deleteProperty(container, key);
        }
      }
      return utf8(jsonText(parsed));
    }
  }
}

// ---- the suite -------------------------------------------------------------------------------

const dirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `kindred-${prefix}-`));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('parsers fed mutated input', () => {
  const persona = Persona.generate('Link Maker');
  const stranger = Persona.generate('Stranger');

  it(
    'contact invite links: parse or CORE_INVALID_INVITE_LINK / CORE_INVITE_EXPIRED',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const allowed = new Set<string>([
        CoreErrorCode.InvalidInviteLink,
        CoreErrorCode.InviteExpired,
      ]);
      const card: ContactCardData = {
        relayUrl: 'wss://relay.example.org',
        trustRoot: Persona.generate('Trust').identityPublicKey,
        address: persona.address,
        identityKey: persona.identityPublicKey,
        accessKey: new Uint8Array(randomBytes(32)),
        profileKey: new Uint8Array(randomBytes(32)),
        pseudonym: 'Link Maker',
      };
      const { link } = createContactInviteLink(persona, { card, expiresAt: FUTURE, maxUses: 3 });
      const prefix = 'kindred:contact/';
      const context = utf8('kindred-invite-v1');
      const signWith = (signer: Persona, invite: Uint8Array): string =>
        prefix +
        toBase64Url(
          toBinary(
            SignedContactInviteSchema,
            create(SignedContactInviteSchema, {
              invite,
              signature: signer.sign(new Uint8Array([...context, ...invite])),
            }),
          ),
        );
      const recorder = new ParseRecorder('contact link');

      // Mutations of a real link.
      fc.assert(
        fc.property(linkMutationArbitrary, (mutation) => {
          const input = mutateLink(
            link,
            prefix,
            mutation,
            (inner) => signWith(persona, inner),
            firstField,
          );
          recorder.sync(mutation.kind, allowed, () => parseContactInviteLink(input as string, NOW));
        }),
        fuzzParameters(SEED, 16_000),
      );
      // Links built field by field and signed, so the field checks behind the signature run.
      const cardArbitrary = fc.record({
        relayUrl,
        trustRoot: sized(33),
        address: fc.oneof(
          fc.constant(persona.address),
          fc.constant(stranger.address),
          fc.uuid({ version: 8 }),
          fc.string({ maxLength: 40 }),
        ),
        identityKey: fc.oneof(
          { weight: 4, arbitrary: fc.constant(persona.identityPublicKey) },
          { weight: 1, arbitrary: sized(33) },
        ),
        accessKey: sized(32),
        profileKey: sized(32),
        pseudonym,
      });
      fc.assert(
        fc.property(
          fc.record({
            version: fc.oneof(
              { weight: 5, arbitrary: fc.constant(1) },
              { weight: 1, arbitrary: uint32 },
            ),
            card: fc.option(cardArbitrary, { nil: undefined, freq: 12 }),
            inviteId: sized(16),
            expiresAt: timestamp,
            maxUses: uint32,
            signer: fc.constantFrom(persona, persona, persona, stranger),
          }),
          ({ signer, card: wireCard, ...fields }) => {
            const invite = toBinary(
              ContactInviteSchema,
              create(ContactInviteSchema, {
                ...fields,
                ...(wireCard === undefined ? {} : { card: wireCard }),
              }),
            );
            const input = signWith(signer, invite);
            recorder.sync('structured', allowed, () => parseContactInviteLink(input, NOW));
          },
        ),
        fuzzParameters(SEED, 6000),
      );
      // The valid link still parses, whole and unchanged.
      const parsed = parseContactInviteLink(link, NOW);
      expect(parsed.card).toStrictEqual(card);
      expect(recorder.outcomes.get('parsed')).toBeGreaterThan(0);
      await annotate(recorder.report());
    },
  );

  it(
    'group invite links: parse or CORE_INVALID_INVITE_LINK / CORE_INVITE_EXPIRED',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const allowed = new Set<string>([
        CoreErrorCode.InvalidInviteLink,
        CoreErrorCode.InviteExpired,
      ]);
      const data = {
        relayUrl: 'wss://relay.example.org',
        trustRoot: stranger.identityPublicKey,
        groupId: new Uint8Array(randomBytes(16)),
        groupSecret: new Uint8Array(randomBytes(32)),
        inviteId: new Uint8Array(randomBytes(16)),
        invitePrivateKey: new Uint8Array(randomBytes(32)),
        expiresAt: FUTURE,
        maxUses: 5,
      };
      const link = createGroupInviteLink(persona, data);
      const prefix = 'kindred:group/';
      const context = utf8('kindred-group-invite-v1');
      const signWith = (signer: Persona, content: Uint8Array): string =>
        prefix +
        toBase64Url(
          toBinary(
            SignedGroupInviteLinkSchema,
            create(SignedGroupInviteLinkSchema, {
              link: content,
              signature: signer.sign(new Uint8Array([...context, ...content])),
            }),
          ),
        );
      const recorder = new ParseRecorder('group link');
      fc.assert(
        fc.property(linkMutationArbitrary, (mutation) => {
          const input = mutateLink(
            link,
            prefix,
            mutation,
            (inner) => signWith(persona, inner),
            firstField,
          );
          recorder.sync(mutation.kind, allowed, () => parseGroupInviteLink(input as string, NOW));
        }),
        fuzzParameters(SEED, 14_000),
      );
      fc.assert(
        fc.property(
          fc.record({
            version: fc.oneof(
              { weight: 5, arbitrary: fc.constant(1) },
              { weight: 1, arbitrary: uint32 },
            ),
            relayUrl,
            trustRoot: sized(33),
            groupId: sized(16),
            groupSecret: sized(32),
            inviteId: sized(16),
            invitePrivateKey: sized(32),
            expiresAt: timestamp,
            maxUses: fc.oneof(fc.integer({ min: 0, max: 10_001 }), uint32),
            inviter: fc.oneof(
              { weight: 4, arbitrary: fc.constant(persona.identityPublicKey) },
              { weight: 1, arbitrary: sized(33) },
            ),
            signer: fc.constantFrom(persona, persona, persona, stranger),
          }),
          ({ signer, ...fields }) => {
            const content = toBinary(GroupInviteLinkSchema, create(GroupInviteLinkSchema, fields));
            recorder.sync('structured', allowed, () =>
              parseGroupInviteLink(signWith(signer, content), NOW),
            );
          },
        ),
        fuzzParameters(SEED, 6000),
      );
      const parsed = parseGroupInviteLink(link, NOW);
      expect(parsed.groupId).toStrictEqual(data.groupId);
      expect(parsed.inviter).toStrictEqual(persona.identityPublicKey);
      expect(recorder.outcomes.get('parsed')).toBeGreaterThan(0);
      await annotate(recorder.report());
    },
  );

  it(
    'the vault header (vault.json): parsed, checked and unwrapped, or a vault error',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const sodium = await loadSodium();
      const dir = await tempDir('vault-header');
      const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
      await vault.put('fuzz/record', utf8('still here'));
      await vault.lock();
      const headerPath = path.join(dir, 'vault.json');
      const valid = new Uint8Array(await readFile(headerPath));
      const validHeader = parseHeader(valid);
      /** Argon2 work the real header asks for; mutants asking more are checked but not run. */
      const cheapWork = validHeader.kdf.opsLimit * validHeader.kdf.memLimit * 4;
      const allowed = new Set<string>([
        CoreErrorCode.NotAVault,
        CoreErrorCode.VaultCorrupt,
        CoreErrorCode.VaultUnsupportedVersion,
        CoreErrorCode.VaultKdfUnsupported,
        CoreErrorCode.WrongPassphrase,
      ]);
      const recorder = new ParseRecorder('vault header');
      let costly = 0;
      await fc.assert(
        fc.asyncProperty(recordMutationArbitrary, async (mutation) => {
          const raw = mutateRecord(valid, mutation);
          await recorder.async(mutation.kind, allowed, async () => {
            const header = parseHeader(raw);
            checkStoredKdfParams(sodium, header.kdf);
            if (header.kdf.opsLimit * header.kdf.memLimit > cheapWork) {
              // Within the stored-parameter bounds (up to 1 GiB) yet too slow to try thousands of.
              costly += 1;
              return;
            }
            sodium.memzero(await unwrapDataKey(sodium, header, PASSPHRASE));
          });
        }),
        fuzzParameters(SEED, 16_000),
      );
      // And through the Vault API, from the file on disk.
      const opened = new ParseRecorder('vault open');
      await fc.assert(
        fc.asyncProperty(recordMutationArbitrary, async (mutation) => {
          const raw = mutateRecord(valid, mutation);
          let header;
          try {
            header = parseHeader(raw);
          } catch {
            header = undefined;
          }
          if (header !== undefined && header.kdf.opsLimit * header.kdf.memLimit > cheapWork) return;
          await writeFile(headerPath, raw);
          await opened.async(mutation.kind, allowed, async () => {
            const reopened = await Vault.open(dir, PASSPHRASE);
            try {
              // Whatever opens is this vault: its record reads back.
              expect(fromUtf8((await reopened.get('fuzz/record')) ?? new Uint8Array(0))).toBe(
                'still here',
              );
            } finally {
              await reopened.lock();
            }
          });
        }),
        fuzzParameters(SEED, 300),
      );
      await writeFile(headerPath, valid);
      const again = await Vault.open(dir, PASSPHRASE);
      expect(fromUtf8((await again.get('fuzz/record')) ?? new Uint8Array(0))).toBe('still here');
      await again.lock();
      expect(parseHeader(valid)).toStrictEqual(validHeader);
      await annotate(
        `${recorder.report()}; ${costly} asked for costlier Argon2 than the vault's and were only checked`,
      );
      await annotate(opened.report());
    },
  );

  it(
    'sealed vault records: a corrupted or moved LevelDB value is CORE_VAULT_CORRUPT',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const dir = await tempDir('vault-records');
      const count = 400;
      const original = new Map<string, Uint8Array>();
      {
        const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
        for (let i = 0; i < count; i++) {
          const value = utf8(
            JSON.stringify({ index: i, text: `record ${i}`, pad: 'p'.repeat(i % 50) }),
          );
          original.set(`fuzz/${i}`, value);
          await vault.put(`fuzz/${i}`, value);
        }
        await vault.lock();
      }
      const recordsDir = path.join(dir, 'records');
      const readRaw = async (): Promise<[string, Uint8Array][]> => {
        const db = new Level<string, Uint8Array>(recordsDir, {
          keyEncoding: 'utf8',
          valueEncoding: 'view',
        });
        await db.open();
        const entries = await db.iterator().all();
        await db.close();
        return entries.map(([key, value]) => [key, new Uint8Array(value)]);
      };
      const writeRaw = async (
        entries: readonly (readonly [string, Uint8Array])[],
      ): Promise<void> => {
        const db = new Level<string, Uint8Array>(recordsDir, {
          keyEncoding: 'utf8',
          valueEncoding: 'view',
        });
        await db.open();
        await db.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value })));
        await db.close();
      };
      const pristine = await readRaw();
      expect(pristine).toHaveLength(count);
      const allowed = new Set<string>([CoreErrorCode.VaultCorrupt]);
      const recorder = new ParseRecorder('vault record');
      const mutationArbitrary = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.array(byteMutationArbitrary(count), { minLength: 1, maxLength: 3 }),
        },
        // Another record's sealed value, moved into this slot.
        {
          weight: 1,
          arbitrary: fc.integer({ min: 1, max: count - 1 }).map((offset) => ({ moveFrom: offset })),
        },
      );
      for (let cycle = 0; cycle < 3; cycle++) {
        const plans = fc.sample(mutationArbitrary, { seed: SEED + cycle, numRuns: count });
        const mutated = pristine.map(([key, value], index): [string, Uint8Array] => {
          const plan = plans[index] ?? [];
          if ('moveFrom' in plan)
            return [key, pristine[(index + plan.moveFrom) % count]?.[1] ?? value];
          return [
            key,
            mutateBytes(
              value,
              plan,
              pristine.map(([, sealed]) => sealed),
            ),
          ];
        });
        await writeRaw(mutated);
        const vault = await Vault.open(dir, PASSPHRASE);
        try {
          for (let i = 0; i < count; i++) {
            await recorder.async('get', allowed, async () => {
              const value = await vault.get(`fuzz/${i}`);
              // Only an unchanged value may come back, and then exactly as written.
              expect(value).toStrictEqual(original.get(`fuzz/${i}`));
            });
          }
          await recorder.async('list', allowed, () => vault.list('fuzz'));
        } finally {
          await vault.lock();
        }
      }
      await writeRaw(pristine);
      const vault = await Vault.open(dir, PASSPHRASE);
      expect((await vault.list('fuzz')).length).toBe(count);
      await vault.lock();
      await annotate(recorder.report());
    },
  );

  it(
    "the client's JSON records, read back through its own stores",
    { timeout: 120_000 },
    async ({ annotate }) => {
      const fixture = await clientRecordsFixture(persona);
      const store = new ScratchStore(fixture.records);
      const recorder = new ParseRecorder('client record');
      const targets = fixture.targets;
      const mutated = fc
        .tuple(
          fc.nat({ max: targets.length - 1 }),
          recordMutationArbitrary,
          fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 3 }),
        )
        .map(([which, mutation, byteMutations]) => {
          const target = targets[which];
          const valid = target === undefined ? undefined : fixture.records.get(target.key);
          if (target === undefined || valid === undefined) throw new Error('no such record');
          // Records that are not JSON (an address, a signed operation) are mutated as bytes.
          const bytes = target.binary
            ? mutateBytes(valid, byteMutations, [valid])
            : mutateRecord(valid, mutation);
          return { target, valid, bytes };
        });
      await fc.assert(
        fc.asyncProperty(mutated, async ({ target, bytes }) => {
          store.reset();
          await store.put(target.key, bytes);
          await recorder.async(target.name, target.allowed, () => target.read(store));
        }),
        fuzzParameters(SEED, 16_000),
      );
      // With nothing mutated, every reader reads its record.
      store.reset();
      for (const target of targets) await target.read(store);

      // The same through a real vault: the mutant sealed and stored, read back by the stores.
      const dir = await tempDir('client-records');
      const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
      await vault.batch(
        [...fixture.records].map(([key, value]) => ({ type: 'put' as const, key, value })),
      );
      const throughVault = new ParseRecorder('client record in a vault');
      await fc.assert(
        fc.asyncProperty(mutated, async ({ target, valid, bytes }) => {
          await vault.put(target.key, bytes);
          await throughVault.async(target.name, target.allowed, () => target.read(vault));
          await vault.put(target.key, valid);
        }),
        fuzzParameters(SEED + 1, 1500),
      );
      await vault.lock();
      const reopened = await Vault.open(dir, PASSPHRASE);
      for (const target of targets) await target.read(reopened);
      await reopened.lock();
      const perTarget = new Set(targets.map((target) => target.name));
      await annotate(`${recorder.report()}; ${perTarget.size} record kinds`);
      await annotate(throughVault.report());
    },
  );

  it(
    "the relay's store records: decoded, or RELAY_STORE_CORRUPT",
    { timeout: 60_000 },
    async ({ annotate }) => {
      const identityKey = persona.identityPublicKey;
      const samples: { name: string; valid: Uint8Array; decode: (bytes: Uint8Array) => unknown }[] =
        [
          {
            name: 'persona',
            valid: encodePersona({
              address: persona.address,
              identityKey,
              registrationId: 77,
              accessKeyHash: new Uint8Array(32),
              registeredAt: NOW,
            }),
            decode: (bytes) => decodePersona(persona.address, bytes),
          },
          {
            name: 'signed prekey',
            valid: encodeSignedPreKey({
              id: 3,
              publicKey: identityKey,
              signature: new Uint8Array(64),
            }),
            decode: decodeSignedPreKey,
          },
          {
            name: 'one-time prekey',
            valid: encodeOneTimePreKey({ id: 4, publicKey: identityKey }),
            decode: decodeOneTimePreKey,
          },
          {
            name: 'envelope',
            valid: encodeEnvelopeValue(NOW, new Uint8Array(40).fill(7)),
            decode: decodeEnvelopeValue,
          },
          {
            name: 'group entry',
            valid: encodeGroupEntryValue('message', NOW, new Uint8Array(30).fill(2)),
            decode: decodeGroupEntryValue,
          },
          {
            name: 'group cursor',
            valid: encodeGroupCursor({ acked: 5, readUntil: 9 }),
            decode: decodeGroupCursor,
          },
          {
            name: 'group head',
            valid: encodeGroupHead({ lastIndex: 10, operations: 3 }),
            decode: decodeGroupHead,
          },
          { name: 'group index', valid: encodeGroupIndex(12), decode: decodeGroupIndex },
        ];
      const allowed = new Set(['RELAY_STORE_CORRUPT']);
      const recorder = new ParseRecorder('relay record');
      fc.assert(
        fc.property(
          fc.nat({ max: samples.length - 1 }),
          fc.array(byteMutationArbitrary(samples.length), { minLength: 1, maxLength: 4 }),
          (which, mutations) => {
            const sample = samples[which];
            if (sample === undefined) throw new Error('no sample');
            const bytes = mutateBytes(
              sample.valid,
              mutations,
              samples.map((s) => s.valid),
            );
            recorder.sync(sample.name, allowed, () => sample.decode(bytes));
          },
        ),
        fuzzParameters(SEED, 6000),
      );
      for (const sample of samples) sample.decode(sample.valid);
      await annotate(recorder.report());
    },
  );

  it(
    "protobuf frames through the relay's decoder (and the client's)",
    { timeout: 120_000 },
    async ({ annotate }) => {
      const seeds = frameSeeds(persona);
      const allowed = new Set<string>([CoreErrorCode.BadFrame]);
      const recorder = new ParseRecorder('frame');
      const donors = [...seeds.client, ...seeds.server];
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.nat(),
          fc.oneof(
            {
              weight: 6,
              arbitrary: fc.array(byteMutationArbitrary(donors.length), {
                minLength: 1,
                maxLength: 5,
              }),
            },
            {
              weight: 1,
              arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => [
                { kind: 'insert' as const, at: 0, bytes },
                { kind: 'truncate' as const, at: bytes.length },
              ]),
            },
          ),
          (client, pick, mutations) => {
            const pool = client ? seeds.client : seeds.server;
            const seed = pool[pick % pool.length] ?? new Uint8Array(0);
            const bytes = mutateBytes(seed, mutations, donors);
            const requestId = peekRequestId(bytes);
            if (!Number.isInteger(requestId) || requestId < 0 || requestId > 0xffffffff) {
              throw new Error(`peekRequestId gave ${requestId}`);
            }
            if (client) {
              recorder.sync('client frame', allowed, () => {
                // Whatever decodes must also encode again: the relay may echo parts of it.
                encodeClientFrame(decodeClientFrame(bytes));
              });
            } else {
              recorder.sync('server frame', allowed, () => {
                encodeServerFrame(decodeServerFrame(bytes));
              });
            }
          },
        ),
        fuzzParameters(SEED, 20_000),
      );
      for (const seed of seeds.client) decodeClientFrame(seed);
      for (const seed of seeds.server) decodeServerFrame(seed);
      await annotate(recorder.report());
    },
  );

  it(
    'group operations, envelopes and contents, message contents and relay invite tokens',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const groupId = new Uint8Array(randomBytes(16));
      const secret = GroupSecret.generate();
      const create = signGroupOperation(persona, {
        groupId,
        state: undefined,
        action: {
          case: 'create',
          value: {
            logKeyHash: logKeyHash(secret.logKey()),
            sealedInfo: new Uint8Array(24),
            sealedProfile: new Uint8Array(24),
          },
        },
      });
      const state: GroupState = applyGroupOperation(undefined, create).state;
      const operations = [
        create,
        signGroupOperation(persona, {
          groupId,
          state,
          action: { case: 'setInfo', value: { sealedInfo: new Uint8Array(40) } },
        }),
        signGroupOperation(persona, {
          groupId,
          state,
          action: { case: 'mute', value: { member: stranger.address, until: 5n } },
        }),
      ];
      const groupCodes = new Set(
        [...ALL_CORE_CODES].filter((code) => code.startsWith('CORE_GROUP_')),
      );
      const ops = new ParseRecorder('group operation');
      fc.assert(
        fc.property(
          fc.nat(),
          fc.array(byteMutationArbitrary(operations.length), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          (pick, mutations, applied) => {
            const seed = operations[pick % operations.length] ?? create;
            const bytes = mutateBytes(seed, mutations, operations);
            ops.sync(applied ? 'apply' : 'decode', groupCodes, () =>
              applied
                ? applyGroupOperation(pick % 2 === 0 ? undefined : state, bytes, { now: NOW })
                : decodeGroupOperation(bytes),
            );
          },
        ),
        fuzzParameters(SEED, 6000),
      );
      expect(applyGroupOperation(undefined, create).state.length).toBe(1);

      // Group envelopes: the sealed sender must open to an address, whoever sealed it.
      const envelopes = new ParseRecorder('group envelope');
      const validEnvelope = toBinary(
        GroupEnvelopeSchema,
        create2Envelope(
          await secret.seal('sender', utf8(persona.address), groupId),
          new Uint8Array(50),
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc
              .array(byteMutationArbitrary(1), { minLength: 1, maxLength: 3 })
              .map((mutations) => ({ mutations })),
            fc
              .oneof(
                fc.uint8Array({ maxLength: 60 }),
                fc.string({ maxLength: 40 }).map((text) => utf8(text)),
              )
              .map((sender) => ({ sender })),
          ),
          async (input) => {
            const envelope =
              'mutations' in input
                ? mutateBytes(validEnvelope, input.mutations, [validEnvelope])
                : toBinary(
                    GroupEnvelopeSchema,
                    create2Envelope(
                      await secret.seal('sender', input.sender, groupId),
                      new Uint8Array(20),
                    ),
                  );
            await envelopes.async('open', new Set([CoreErrorCode.DecryptFailed]), () =>
              openGroupEnvelope(secret, groupId, envelope),
            );
          },
        ),
        fuzzParameters(SEED, 4000),
      );
      expect((await openGroupEnvelope(secret, groupId, validEnvelope)).sender).toBe(
        persona.address,
      );

      // Contents never throw: malformed is undefined.
      const contents = new ParseRecorder('message content');
      const { bytes: validContent } = encodeContent({
        messageId: new Uint8Array(16),
        sentAt: NOW,
        sequence: 3,
        body: { case: 'message', value: encodeMessageBody({ kind: 'text', text: 'hello' }) },
      });
      fc.assert(
        fc.property(
          fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          (mutations, group) => {
            const bytes = mutateBytes(validContent, mutations, [validContent]);
            contents.sync(
              group ? 'group content' : 'content',
              new Set(),
              () => (group ? decodeGroupContent(bytes) : decodeContent(bytes)),
              (result) => (result === undefined ? 'malformed' : 'decoded'),
            );
          },
        ),
        fuzzParameters(SEED, 5000),
      );
      expect(decodeContent(validContent)?.sequence).toBe(3);

      // Relay invite tokens, as the relay checks them at registration.
      const tokens = new ParseRecorder('relay invite token');
      const operator = generateOperatorKeyPair();
      const token = createRelayInviteToken(operator.privateKey, { expiresAt: FUTURE, maxUses: 2 });
      fc.assert(
        fc.property(
          fc.array(byteMutationArbitrary(1), { minLength: 1, maxLength: 3 }),
          (mutations) => {
            const bytes = mutateBytes(token, mutations, [token]);
            tokens.sync('verify', new Set([CoreErrorCode.InvalidInput]), () =>
              verifyRelayInviteToken(bytes, operator.publicKey, NOW),
            );
          },
        ),
        fuzzParameters(SEED, 3000),
      );
      expect(verifyRelayInviteToken(token, operator.publicKey, NOW).maxUses).toBe(2);
      for (const recorder of [ops, envelopes, contents, tokens]) await annotate(recorder.report());
    },
  );

  it('added up to more than 100,000 mutated inputs', async ({ annotate }) => {
    await annotate(`seed ${SEED}: ${totals.total} inputs in all; ${totals.toString()}`);
    expect(totals.total).toBeGreaterThanOrEqual(100_000);
  });
});

function create2Envelope(
  sealedSender: Uint8Array,
  ciphertext: Uint8Array,
): ReturnType<typeof create<typeof GroupEnvelopeSchema>> {
  return create(GroupEnvelopeSchema, { sealedSender, ciphertext });
}

/** Valid client and server frames of every kind, to mutate. */
function frameSeeds(persona: Persona): { client: Uint8Array[]; server: Uint8Array[] } {
  const key = (n: number): Uint8Array => new Uint8Array(n).fill(n);
  const client: ClientFrameInit[] = [
    {
      requestId: 1,
      body: {
        case: 'auth',
        value: {
          identityKey: persona.identityPublicKey,
          signature: key(64),
          registration: {
            registrationId: 9,
            accessKeyHash: key(32),
            gate: { case: 'powNonce', value: key(8) },
          },
        },
      },
    },
    {
      requestId: 2,
      body: {
        case: 'uploadPreKeys',
        value: {
          signedPreKey: { id: 1, publicKey: key(33), signature: key(64) },
          lastResortKyberPreKey: { id: 2, publicKey: key(1569), signature: key(64) },
          oneTimePreKeys: [{ id: 3, publicKey: key(33) }],
          oneTimeKyberPreKeys: [{ id: 4, publicKey: key(1569), signature: key(64) }],
        },
      },
    },
    {
      requestId: 3,
      body: { case: 'fetchPreKeyBundle', value: { address: persona.address, accessKey: key(32) } },
    },
    {
      requestId: 4,
      body: {
        case: 'sendEnvelope',
        value: { recipient: persona.address, accessKey: key(32), sealed: key(100) },
      },
    },
    { requestId: 5, body: { case: 'ackEnvelopes', value: { envelopeIds: [1n, 2n ** 40n] } } },
    { requestId: 6, body: { case: 'getSenderCertificate', value: {} } },
    { requestId: 7, body: { case: 'setAccessKey', value: { accessKeyHash: key(32) } } },
    { requestId: 8, body: { case: 'ping', value: {} } },
    { requestId: 9, body: { case: 'submitGroupOperation', value: { operation: key(90) } } },
    {
      requestId: 10,
      body: {
        case: 'fetchGroupLog',
        value: { groupId: key(16), logKey: key(32), fromSequence: 3n },
      },
    },
    {
      requestId: 11,
      body: {
        case: 'postGroupMessage',
        value: { groupId: key(16), logLength: 4n, envelope: key(70), reaction: true },
      },
    },
    { requestId: 12, body: { case: 'ackGroup', value: { groupId: key(16), index: 5n } } },
  ];
  const server: ServerFrameInit[] = [
    {
      body: {
        case: 'challenge',
        value: {
          relayId: key(32),
          nonce: key(32),
          serverTime: 99n,
          registration: wire.RegistrationPolicy.POW,
          powDifficulty: 6,
          trustRoot: key(33),
        },
      },
    },
    {
      requestId: 1,
      body: {
        case: 'authOk',
        value: {
          address: persona.address,
          registeredNow: true,
          senderCertificate: key(120),
          preKeyStatus: { oneTimePreKeys: 3, oneTimeKyberPreKeys: 4, low: true },
        },
      },
    },
    {
      requestId: 2,
      body: {
        case: 'error',
        value: { code: 'RELAY_BAD_FRAME', message: 'malformed frame', retryAfterMs: 5 },
      },
    },
    {
      requestId: 3,
      body: {
        case: 'preKeyBundle',
        value: {
          address: persona.address,
          registrationId: 5,
          identityKey: key(33),
          signedPreKey: { id: 1, publicKey: key(33), signature: key(64) },
          kyberPreKey: { id: 2, publicKey: key(1569), signature: key(64) },
          preKey: { id: 3, publicKey: key(33) },
        },
      },
    },
    { requestId: 4, body: { case: 'sendAck', value: { envelopeId: 77n } } },
    { body: { case: 'deliver', value: { envelopeId: 5n, sealed: key(60), receivedAt: 1234n } } },
    {
      requestId: 6,
      body: { case: 'groupLogPage', value: { operations: [key(40), key(41)], logLength: 2n } },
    },
    {
      body: {
        case: 'groupDeliver',
        value: {
          groupId: key(16),
          index: 3n,
          receivedAt: 5n,
          entry: { case: 'message', value: key(30) },
        },
      },
    },
  ];
  return {
    client: client.map((frame) => encodeClientFrame(frame)),
    server: server.map((frame) => encodeServerFrame(frame)),
  };
}

interface RecordTarget {
  readonly name: string;
  readonly key: string;
  /** Not JSON: mutated as bytes only. */
  readonly binary: boolean;
  readonly allowed: ReadonlySet<string>;
  read(store: KeyValueStore): Promise<unknown>;
}

/**
 * A persona's state built by the client's own code (history with a gap, a contact, an outbox
 * entry, an invite, a profile, a group with messages, warnings, reports, peers, an outbox and a
 * parked message, a remote identity, local data), and for each record a reader that goes through
 * the public methods that read it.
 */
async function clientRecordsFixture(
  persona: Persona,
): Promise<{ records: Map<string, Uint8Array>; targets: RecordTarget[] }> {
  const store = new MemoryKeyValueStore();
  const contact = Persona.generate('Contact');
  const address = contact.address;
  const messageId = new Uint8Array(randomBytes(16));
  const history = new MessageHistory(store, persona.address);
  await history.appendOutgoing(address, {
    messageId,
    sentAt: NOW,
    text: 'hello',
    replyTo: new Uint8Array(16),
  });
  await history.recordIncoming(address, {
    messageId: new Uint8Array(randomBytes(16)),
    sequence: 3,
    sentAt: NOW,
    storedAt: NOW,
    text: 'after a gap',
  });
  await history.setReaction(address, messageId, address, '👍');
  const contacts = new ContactBook(store);
  await contacts.add({
    relayUrl: 'wss://relay.example.org',
    trustRoot: persona.identityPublicKey,
    address,
    identityKey: contact.identityPublicKey,
    accessKey: new Uint8Array(32),
    profileKey: new Uint8Array(32),
    pseudonym: 'Contact',
    alias: 'friend',
    addedAt: NOW,
    addedVia: 'link',
  });
  await new Outbox(store).put({
    messageId,
    recipient: address,
    sequence: 1,
    content: new Uint8Array(20),
    enqueuedAt: NOW,
    historyIndex: 1,
  });
  const inviteId = new Uint8Array(randomBytes(16));
  await new IssuedInvites(store).record({
    inviteId,
    createdAt: NOW,
    expiresAt: FUTURE,
    maxUses: 3,
    uses: 1,
  });
  await writeClientProfile(store, {
    relayUrl: 'wss://relay.example.org',
    trustRoot: persona.identityPublicKey,
    relayId: new Uint8Array(32),
    allowInsecureTransport: false,
    accessKey: new Uint8Array(32),
    registeredAt: NOW,
  });
  await writeSenderCertificate(store, { certificate: new Uint8Array(100), expiresAt: FUTURE });
  const directory = new PersonaDirectory(store);
  const me = await directory.create('Fuzzed Persona');
  await store.put(
    `identities/${address}`,
    utf8(
      JSON.stringify({
        address,
        identityKey: toBase64Url(contact.identityPublicKey),
        verified: false,
      }),
    ),
  );
  const localData = new VaultLocalData(store, () => undefined);
  await localData.put('desktop/preferences', { theme: 'dark', sizes: [1, 2, 3] });

  const groups = new GroupStore(store);
  const groupId = new Uint8Array(randomBytes(16));
  const secret = GroupSecret.generate();
  const create = signGroupOperation(persona, {
    groupId,
    state: undefined,
    action: {
      case: 'create',
      value: {
        logKeyHash: logKeyHash(secret.logKey()),
        sealedInfo: new Uint8Array(24),
        sealedProfile: new Uint8Array(24),
      },
    },
  });
  const state = applyGroupOperation(undefined, create).state;
  await groups.appendOperation(groupId, create, state);
  groups.commitStaged();
  await groups.put({
    groupId,
    secret: secret.bytes,
    status: 'active',
    joinedAt: NOW,
    cursor: 1,
    sequence: 2,
    lastPostAt: NOW,
    lastAckedAt: NOW,
    distributedTo: [address],
    messageCount: 1,
    warningCount: 1,
    reportCount: 1,
    outboxCount: 1,
  });
  const groupMessageId = new Uint8Array(randomBytes(16));
  await groups.putMessage(groupId, {
    kind: 'message',
    index: 2,
    messageId: groupMessageId,
    sender: address,
    author: address,
    sentAt: NOW,
    storedAt: NOW,
    text: 'group hello',
    outgoing: false,
    reactions: { [address]: '🎉' },
  });
  await groups.putWarning(groupId, {
    index: 3,
    kind: 'fork',
    at: NOW,
    detail: 'CORE_GROUP_CONFLICT',
  });
  await groups.putReport(groupId, {
    index: 4,
    reporter: address,
    messageId: groupMessageId,
    author: address,
    text: 'bad',
    context: [{ author: address, text: 'earlier', sentAt: NOW }],
    reason: 'spam',
    receivedAt: NOW,
  });
  await groups.putPeer(groupId, {
    address,
    identityKey: contact.identityPublicKey,
    pseudonym: 'Contact',
    accessKey: new Uint8Array(32),
    profileKey: new Uint8Array(32),
  });
  await groups.putOutbox(groupId, {
    id: 1,
    messageId: groupMessageId,
    text: '',
    reaction: { messageId: groupMessageId, emoji: '👍' },
    sequence: 3,
    sentAt: NOW,
    historyIndex: 0,
  });
  await groups.park(groupId, {
    streamIndex: 7,
    sender: address,
    ciphertext: new Uint8Array(30),
    receivedAt: NOW,
  });
  await groups.putLastTextAt(groupId, address, NOW);

  const records = await snapshot(store, [
    'client',
    'groups',
    'groups-peers',
    'personas',
    'settings',
    'identities',
    'local-data',
  ]);
  const groupBase = `groups/${toHex(groupId)}`;
  const corrupt = new Set<string>([CoreErrorCode.VaultCorrupt]);
  const keyOf = (prefix: string): string => {
    const key = [...records.keys()].find((candidate) => candidate.startsWith(prefix));
    if (key === undefined) throw new Error(`no record under ${prefix}`);
    return key;
  };
  const json = (
    name: string,
    key: string,
    read: (store: KeyValueStore) => Promise<unknown>,
    allowed: ReadonlySet<string> = corrupt,
  ): RecordTarget => ({ name, key, binary: false, allowed, read });
  const targets: RecordTarget[] = [
    json('history message', keyOf(`client/messages/${address}/1`), async (s) => {
      await new MessageHistory(s, address).list(address);
      await new MessageHistory(s, address).findMessage(address, messageId);
      await new MessageHistory(s, address).setStatus(address, 1, 'sent');
    }),
    json('history gap', keyOf(`client/messages/${address}/2`), (s) =>
      new MessageHistory(s, address).list(address),
    ),
    json('conversation', keyOf(`client/conversations/${address}`), async (s) => {
      await new MessageHistory(s, address).findMessage(address, new Uint8Array(16));
      await new MessageHistory(s, address).recordIncoming(address, {
        messageId: new Uint8Array(randomBytes(16)),
        sequence: 2,
        sentAt: NOW,
        storedAt: NOW,
        text: 'late',
      });
      await new MessageHistory(s, address).appendOutgoing(address, {
        messageId: new Uint8Array(randomBytes(16)),
        sentAt: NOW,
        text: 'more',
      });
    }),
    json('message id', keyOf(`client/message-ids/${address}/${toHex(messageId)}`), (s) =>
      new MessageHistory(s, address).setReaction(address, messageId, address, '👎'),
    ),
    json('contact', keyOf(`client/contacts/${address}`), async (s) => {
      await new ContactBook(s).get(address);
      await new ContactBook(s).list();
    }),
    {
      name: 'alias',
      key: keyOf('client/aliases/'),
      binary: true,
      allowed: new Set([CoreErrorCode.ContactNotFound, CoreErrorCode.VaultCorrupt]),
      read: (s) => new ContactBook(s).resolve('friend'),
    },
    json('outbox', keyOf('client/outbox/'), (s) => new Outbox(s).list()),
    json('issued invite', keyOf('client/invites/'), (s) => new IssuedInvites(s).use(inviteId, NOW)),
    json('client profile', 'client/profile', (s) => readClientProfile(s)),
    json('sender certificate', 'client/sender-certificate', (s) => readSenderCertificate(s)),
    json('persona', `personas/${me.address}`, async (s) => {
      await new PersonaDirectory(s).get(me.address);
      await new PersonaDirectory(s).list();
    }),
    {
      name: 'selected persona',
      key: 'settings/selected-persona',
      binary: true,
      allowed: new Set([CoreErrorCode.PersonaNotFound, CoreErrorCode.VaultCorrupt]),
      read: (s) => new PersonaDirectory(s).selected(),
    },
    json('remote identity', `identities/${address}`, (s) =>
      new PersonaCipher(persona, s).remoteIdentity(address),
    ),
    json('local data', 'local-data/desktop/preferences', (s) =>
      new VaultLocalData(s, () => undefined).get('desktop/preferences'),
    ),
    json('group record', `${groupBase}/record`, async (s) => {
      await new GroupStore(s).list();
      await new GroupStore(s).require(groupId);
    }),
    {
      name: 'group operation',
      key: keyOf(`${groupBase}/op/`),
      binary: true,
      allowed: new Set([...ALL_CORE_CODES].filter((code) => code.startsWith('CORE_GROUP_'))),
      read: (s) => new GroupStore(s).state(groupId),
    },
    json('group message', keyOf(`${groupBase}/msg/`), async (s) => {
      await new GroupStore(s).messages(groupId);
      await new GroupStore(s).findMessage(groupId, groupMessageId);
    }),
    json('group message id', keyOf(`${groupBase}/msgid/`), (s) =>
      new GroupStore(s).findMessage(groupId, groupMessageId),
    ),
    json('group warning', keyOf(`${groupBase}/warning/`), (s) =>
      new GroupStore(s).warnings(groupId),
    ),
    json('group report', keyOf(`${groupBase}/report/`), (s) => new GroupStore(s).reports(groupId)),
    json('group peer', keyOf(`${groupBase}/peer/`), (s) =>
      new GroupStore(s).peer(groupId, address),
    ),
    json('any peer', keyOf('groups-peers/'), (s) => new GroupStore(s).anyPeer(address)),
    json('group outbox', keyOf(`${groupBase}/outbox/`), (s) => new GroupStore(s).outbox(groupId)),
    json('parked group message', keyOf(`${groupBase}/parked/`), (s) =>
      new GroupStore(s).parked(groupId, address),
    ),
    json('group pace', keyOf(`${groupBase}/paced/`), (s) =>
      new GroupStore(s).lastTextAt(groupId, address),
    ),
  ];
  return { records, targets };
}
