// A live relay (its own process, a real port, a real LevelDB folder) under hostile traffic: over
// a hundred thousand generated and mutated frames on many connections, oversize frames, a flood
// of upgrade requests with huge or countless headers, slowloris-style partial upgrades and clients
// that never read. Throughout, two real clients keep talking. The relay must answer every frame
// with a coded Error (or another answer) or close with a code, never crash or log an error, keep
// its memory bounded, and keep the canary conversation fast and complete.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  accessKeyHash,
  authSigningBytes,
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  isRelayErrorCode,
} from '../../core/client/index.js';
import type { KindredClient, wire } from '../../core/client/index.js';
import { peekRequestId } from '../../server/frameBytes.js';
import { TempDirs, connectPair, newClient } from '../integration/helpers.js';
import { TestGroup } from '../server/helpers/groups.js';
import type { TestPersona } from '../server/helpers/personas.js';
import { preKeyUpload } from '../server/helpers/personas.js';
import type { ClientBody } from '../server/helpers/rawClient.js';
import { RawClient } from '../server/helpers/rawClient.js';
import { closeAll, connectAs, registered } from '../server/helpers/sessions.js';
import {
  Canary,
  RelayChild,
  Tally,
  byteMutationArbitrary,
  fuzzParameters,
  fuzzSeed,
  lengthDelimited,
  mutateBytes,
  nestedGroups,
  nestedMessages,
  percentile,
  sleep,
} from './fuzzHelpers.js';
import type { ByteMutation } from './fuzzHelpers.js';

const SEED = fuzzSeed(20_260_301);
/** The default: real clients upload prekeys in frames of well over 64 KiB. */
const MAX_FRAME_BYTES = 256 * 1024;
/** ws itself refuses frames this far beyond maxFrameBytes (RelayServer's FRAME_SLACK_BYTES). */
const WS_SLACK_BYTES = 64 * 1024;
const MAX_BAD_FRAMES = 10;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Time the relay gives a connection to complete its upgrade request. */
const UPGRADE_TIMEOUT_MS = 5000;

const LANES = 16;
/** Frames a lane sends before it waits for their answers. */
const WINDOW = 8;
/** One window per lane per fast-check run, so each run's synchronous generation stays short. */
const FRAMES_PER_RUN = LANES * WINDOW;
const FRAME_TARGET = 100_000;
const RUNS = Math.ceil(FRAME_TARGET / FRAMES_PER_RUN);

/** Generous: other suites share the two cores. A frame unanswered this long is a failure. */
const ANSWER_TIMEOUT_MS = 30_000;
const CANARY_FLOOR_MS = 1000;
const CANARY_FACTOR = 10;
const MEMORY_HEADROOM_BYTES = 200 * 1024 * 1024;

/** Close codes a fuzzed connection may end with: each follows an Error frame that explains it. */
const LANE_CLOSE_CODES = new Set([4400, 4401, 4409, 1009]);
/** Frames the relay sends on its own, never as the answer to a request. */
const UNSOLICITED = new Set(['challenge', 'deliver', 'groupDeliver', 'preKeyStatus']);
/** Answers after which the relay closes the connection (docs/protocol.md, "Error codes"). */
const CLOSING_ERRORS = new Set<string>([
  RelayErrorCode.AuthFailed,
  RelayErrorCode.RegistrationRequired,
  RelayErrorCode.ProofOfWorkInvalid,
  RelayErrorCode.InviteInvalid,
  RelayErrorCode.FrameTooLarge,
]);

// ---- what the suite counts -----------------------------------------------------------------

type Verdict = 'good' | 'bad' | 'tooLarge';

interface SentFrame {
  readonly requestId: number;
  readonly verdict: Verdict;
}

/** Everything the fuzzing saw; violations fail the run they happen in. */
class FrameStats {
  readonly sent = new Tally();
  readonly verdicts = new Tally();
  readonly answers = new Tally();
  readonly unsolicited = new Tally();
  readonly closes = new Tally();
  /** Frames left unanswered when their connection closed with a code. */
  closedUnanswered = 0;
  badAnswered = 0;
  badClosed = 0;
  connections = 0;
  readonly violations: string[] = [];

  violation(what: string): void {
    if (this.violations.length < 20) this.violations.push(what);
  }
}

/**
 * One fuzzing connection: sends raw frames and matches every frame the relay sends back to a
 * frame sent, by request id (the relay reads it from bad frames too) and by kind: a RELAY_BAD_FRAME
 * answers a frame that does not decode, anything else one that does.
 */
class FuzzConnection {
  readonly #ws: WebSocket;
  readonly #stats: FrameStats;
  readonly #allowedCloses: ReadonlySet<number>;
  readonly pending: SentFrame[] = [];
  challenge: wire.Challenge | undefined;
  closeCode: number | undefined;
  /** Set once an answer means the relay is about to close this connection. */
  doomed = false;
  #badFrameAnswers = 0;
  #closingByUs = false;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket, stats: FrameStats, allowedCloses: ReadonlySet<number>) {
    this.#ws = ws;
    this.#stats = stats;
    this.#allowedCloses = allowedCloses;
    ws.on('message', (data: Buffer, isBinary) => {
      this.#onMessage(data, isBinary);
    });
    ws.on('close', (code) => {
      this.#onClose(code);
    });
    ws.on('error', () => undefined);
  }

  static async open(
    url: string,
    stats: FrameStats,
    allowedCloses: ReadonlySet<number> = LANE_CLOSE_CODES,
  ): Promise<FuzzConnection> {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 20_000 });
    const connection = new FuzzConnection(ws, stats, allowedCloses);
    stats.connections += 1;
    await connection.#until(() => connection.challenge !== undefined, 20_000);
    if (connection.challenge === undefined) throw new Error('no challenge from the relay');
    return connection;
  }

  get usable(): boolean {
    return this.closeCode === undefined && !this.doomed;
  }

  send(data: Uint8Array | string, frame: SentFrame): void {
    this.pending.push(frame);
    // On a closing socket ws drops the frame; its close code then accounts for it.
    this.#ws.send(data, () => undefined);
  }

  /** Waits until every frame sent is answered or the connection has closed. */
  async settle(timeoutMs: number): Promise<void> {
    await this.#until(() => this.pending.length === 0 || this.closeCode !== undefined, timeoutMs);
    if (this.pending.length > 0 && this.closeCode === undefined) {
      this.#stats.violation(`${this.pending.length} frames unanswered after ${timeoutMs} ms`);
    }
  }

  /** Waits for the close the relay announced (an error that closes, or too many bad frames). */
  async awaitClose(timeoutMs: number): Promise<void> {
    await this.#until(() => this.closeCode !== undefined, timeoutMs);
    if (this.closeCode === undefined) {
      this.#stats.violation('the relay announced a close that never came');
      this.terminate();
    }
  }

  pauseReading(): void {
    (this.#ws as unknown as { _socket: net.Socket })._socket.pause();
  }

  resumeReading(): void {
    (this.#ws as unknown as { _socket: net.Socket })._socket.resume();
  }

  async close(): Promise<void> {
    if (this.closeCode !== undefined) return;
    this.#closingByUs = true;
    this.#ws.close();
    await this.#until(() => this.closeCode !== undefined, 5000);
    if (!this.#hasClosed()) this.terminate();
  }

  /** A method, not a field read: the close arrives across awaits. */
  #hasClosed(): boolean {
    return this.closeCode !== undefined;
  }

  terminate(): void {
    this.#closingByUs = true;
    this.#ws.terminate();
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const stats = this.#stats;
    if (!isBinary) {
      stats.violation('the relay sent a text frame');
      return;
    }
    let frame: wire.ServerFrame;
    try {
      frame = decodeServerFrame(new Uint8Array(data));
    } catch {
      stats.violation('the relay sent a frame that does not decode');
      return;
    }
    const body = frame.body;
    if (this.challenge === undefined) {
      if (body.case === 'challenge') this.challenge = body.value;
      else stats.violation(`the first frame was ${String(body.case)}, not a challenge`);
      this.#notify();
      return;
    }
    if (body.case === undefined) {
      stats.violation('the relay sent a frame without a body');
      return;
    }
    if (UNSOLICITED.has(body.case)) {
      stats.unsolicited.add(body.case);
      return;
    }
    const code = body.case === 'error' ? body.value.code : undefined;
    const label = code === undefined ? body.case : `error:${code}`;
    if (code !== undefined && !isRelayErrorCode(code))
      stats.violation(`unknown error code ${code}`);
    const preferred: Verdict =
      code === RelayErrorCode.BadFrame
        ? 'bad'
        : code === RelayErrorCode.FrameTooLarge
          ? 'tooLarge'
          : 'good';
    let index = this.pending.findIndex(
      (sent) => sent.requestId === frame.requestId && sent.verdict === preferred,
    );
    // A frame that decodes can be refused as RELAY_BAD_FRAME too (a prekey that does not verify).
    if (index < 0 && preferred === 'bad') {
      index = this.pending.findIndex(
        (sent) => sent.requestId === frame.requestId && sent.verdict === 'good',
      );
    }
    const sent = this.pending[index];
    if (sent === undefined) {
      stats.violation(`${label} (request ${frame.requestId}) answers no frame sent`);
      return;
    }
    this.pending.splice(index, 1);
    stats.answers.add(label);
    if (sent.verdict === 'bad') {
      stats.badAnswered += 1;
      this.#badFrameAnswers += 1;
      if (this.#badFrameAnswers >= MAX_BAD_FRAMES) this.doomed = true;
    }
    if (code !== undefined && CLOSING_ERRORS.has(code)) this.doomed = true;
    this.#notify();
  }

  #onClose(code: number): void {
    const stats = this.#stats;
    this.closeCode = code;
    if (!this.#closingByUs) {
      stats.closes.add(String(code));
      if (!this.#allowedCloses.has(code)) stats.violation(`closed with unexpected code ${code}`);
    }
    stats.closedUnanswered += this.pending.length;
    stats.badClosed += this.pending.filter((sent) => sent.verdict === 'bad').length;
    this.pending.length = 0;
    this.#notify();
  }

  async #until(done: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

/** What the relay will make of `data`, judged with the same decoder the relay uses. */
function classify(data: Uint8Array | string, stats: FrameStats): SentFrame {
  if (typeof data === 'string') return { requestId: 0, verdict: 'bad' };
  if (data.length > MAX_FRAME_BYTES) return { requestId: peekRequestId(data), verdict: 'tooLarge' };
  try {
    return { requestId: decodeClientFrame(data).requestId, verdict: 'good' };
  } catch (error) {
    if (!CoreError.is(error, CoreErrorCode.BadFrame)) {
      stats.violation(`decodeClientFrame threw ${String(error)}`);
    }
    return { requestId: peekRequestId(data), verdict: 'bad' };
  }
}

// ---- the frames ----------------------------------------------------------------------------

interface Fixture {
  readonly decoys: readonly TestPersona[];
  /** A valid UploadPreKeys per decoy (signed by it). */
  readonly uploads: readonly ClientBody[];
  readonly group: TestGroup;
  /** Valid operations on the group as it was when the fuzzing started (later: conflicts). */
  readonly groupOperations: readonly Uint8Array[];
  /** The create operation of a group nobody created yet (the first to send it creates it). */
  readonly freshCreate: Uint8Array;
}

type FrameSpec =
  | { readonly kind: 'structured'; readonly body: ClientBody; readonly zeroId: boolean }
  | { readonly kind: 'mutated'; readonly seed: number; readonly mutations: readonly ByteMutation[] }
  | { readonly kind: 'random'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'nested';
      readonly shape: 'messages' | 'groups' | 'unbalanced';
      readonly field: number;
      readonly depth: number;
    }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'empty' };

/** Bytes of exactly `length` mostly, any length sometimes. */
function sized(length: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ minLength: length, maxLength: length }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: length * 2 + 2 }) },
  );
}

const uint32 = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 16_380, 16_381, 0x7fffffff, 0xffffffff),
);
const uint64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.constantFrom(0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, (1n << 64n) - 1n),
);

/** An arbitrary body for every client frame type, with fields right-sized or not. */
function clientBodyArbitrary(fixture: Fixture): fc.Arbitrary<ClientBody> {
  const decoys = fixture.decoys;
  const address = fc.oneof(
    fc.constantFrom(...decoys.map((decoy) => decoy.address)),
    fc.uuid({ version: 8 }),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
  );
  const accessKey = fc.oneof(fc.constantFrom(...decoys.map((d) => d.accessKey)), sized(32));
  const groupId = fc.oneof(fc.constant(fixture.group.groupId), sized(16));
  const signedPreKey = fc.record({ id: uint32, publicKey: sized(33), signature: sized(64) });
  const kyberPreKey = fc.record({
    id: uint32,
    publicKey: fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1569, maxLength: 1569 }) },
    ),
    signature: sized(64),
  });
  const tooMany = fc
    .integer({ min: 201, max: 203 })
    .map((count) =>
      Array.from({ length: count }, (_, id) => ({ id, publicKey: new Uint8Array(33) })),
    );
  const gate = fc.oneof(
    fc.constant({ case: undefined }),
    fc.record({ case: fc.constant('powNonce' as const), value: fc.uint8Array({ maxLength: 80 }) }),
    fc.record({
      case: fc.constant('inviteToken' as const),
      value: fc.uint8Array({ maxLength: 120 }),
    }),
  );
  const registration = fc.record({
    registrationId: uint32,
    accessKeyHash: sized(32),
    gate,
  });
  const auth = fc
    .record({
      identityKey: fc.oneof(
        fc.constantFrom(...decoys.map((decoy) => decoy.persona.identityPublicKey)),
        sized(33),
      ),
      signature: sized(64),
      registration: fc.option(registration, { nil: undefined }),
    })
    .map(({ registration: reg, ...rest }) =>
      reg === undefined ? rest : { ...rest, registration: reg },
    );
  const body = <V>(
    name: NonNullable<ClientBody['case']>,
    value: fc.Arbitrary<V>,
  ): fc.Arbitrary<ClientBody> =>
    value.map((v) => ({ case: name, value: v }) as unknown as ClientBody);
  return fc.oneof(
    { weight: 1, arbitrary: body('auth', auth) },
    {
      weight: 2,
      arbitrary: body(
        'uploadPreKeys',
        fc
          .record({
            signedPreKey: fc.option(signedPreKey, { nil: undefined }),
            lastResortKyberPreKey: fc.option(kyberPreKey, { nil: undefined }),
            oneTimePreKeys: fc.oneof(
              {
                weight: 9,
                arbitrary: fc.array(fc.record({ id: uint32, publicKey: sized(33) }), {
                  maxLength: 4,
                }),
              },
              { weight: 1, arbitrary: tooMany },
            ),
            oneTimeKyberPreKeys: fc.array(kyberPreKey, { maxLength: 2 }),
          })
          .map(({ signedPreKey: spk, lastResortKyberPreKey: lrk, ...rest }) => ({
            ...rest,
            ...(spk === undefined ? {} : { signedPreKey: spk }),
            ...(lrk === undefined ? {} : { lastResortKyberPreKey: lrk }),
          })),
      ),
    },
    { weight: 2, arbitrary: body('fetchPreKeyBundle', fc.record({ address, accessKey })) },
    {
      weight: 3,
      arbitrary: body(
        'sendEnvelope',
        fc.record({
          recipient: address,
          accessKey,
          sealed: fc.oneof(
            { weight: 6, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }) },
            { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
            {
              weight: 1,
              arbitrary: fc.integer({ min: 1, max: 8192 }).map((n) => new Uint8Array(n)),
            },
          ),
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: body(
        'ackEnvelopes',
        fc.oneof(
          fc.record({ envelopeIds: fc.array(uint64, { maxLength: 6 }) }),
          fc.constant({ envelopeIds: Array.from({ length: 1001 }, (_, i) => BigInt(i)) }),
        ),
      ),
    },
    { weight: 1, arbitrary: body('getSenderCertificate', fc.constant({})) },
    { weight: 1, arbitrary: body('setAccessKey', fc.record({ accessKeyHash: sized(32) })) },
    { weight: 1, arbitrary: body('ping', fc.constant({})) },
    {
      weight: 2,
      arbitrary: body(
        'submitGroupOperation',
        fc.record({
          operation: fc.oneof(
            fc.constantFrom(...fixture.groupOperations, fixture.freshCreate),
            fc.uint8Array({ maxLength: 300 }),
          ),
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: body(
        'fetchGroupLog',
        fc.record({
          groupId,
          logKey: fc.oneof(fc.constant(fixture.group.logKey()), sized(32)),
          fromSequence: uint64,
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: body(
        'postGroupMessage',
        fc.record({
          groupId,
          logLength: uint64,
          envelope: fc.uint8Array({ maxLength: 300 }),
          reaction: fc.boolean(),
        }),
      ),
    },
    { weight: 1, arbitrary: body('ackGroup', fc.record({ groupId, index: uint64 })) },
  );
}

function frameSpecArbitrary(fixture: Fixture, seeds: number): fc.Arbitrary<FrameSpec> {
  return fc.oneof(
    {
      weight: 35,
      arbitrary: fc.record({
        kind: fc.constant('structured' as const),
        body: clientBodyArbitrary(fixture),
        zeroId: fc.oneof(
          { weight: 19, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      }),
    },
    {
      weight: 45,
      arbitrary: fc.record({
        kind: fc.constant('mutated' as const),
        seed: fc.integer({ min: 0, max: seeds - 1 }),
        mutations: fc.array(byteMutationArbitrary(seeds), { minLength: 0, maxLength: 4 }),
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('random' as const),
        bytes: fc.uint8Array({ maxLength: 400 }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('nested' as const),
        shape: fc.constantFrom('messages' as const, 'groups' as const, 'unbalanced' as const),
        field: fc.constantFrom(1, 2, 3, 5, 12, 99),
        depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 20_000 })),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('text' as const),
        text: fc.string({ maxLength: 64 }),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'empty' as const }) },
  );
}

/** Valid frames a lane mutates; two are signed afresh for each connection's challenge. */
function seedBodies(fixture: Fixture, lane: number, challenge: wire.Challenge): ClientBody[] {
  const decoy = fixture.decoys[lane] ?? fixture.decoys[0];
  const other = fixture.decoys[(lane + 1) % fixture.decoys.length];
  if (decoy === undefined || other === undefined) throw new Error('no decoys');
  const identityKey = decoy.persona.identityPublicKey;
  const signature = decoy.persona.sign(
    authSigningBytes({
      relayId: challenge.relayId,
      nonce: challenge.nonce,
      serverTime: challenge.serverTime,
      identityKey,
    }),
  );
  const group = fixture.group;
  return [
    { case: 'auth', value: { identityKey, signature } },
    {
      case: 'auth',
      value: {
        identityKey,
        signature,
        registration: {
          registrationId: decoy.persona.registrationId,
          accessKeyHash: accessKeyHash(decoy.accessKey),
          gate: { case: 'powNonce', value: new Uint8Array(8) },
        },
      },
    },
    { case: 'ping', value: {} },
    {
      case: 'sendEnvelope',
      value: { recipient: decoy.address, accessKey: decoy.accessKey, sealed: randomBytes(96) },
    },
    {
      case: 'sendEnvelope',
      value: { recipient: other.address, accessKey: decoy.accessKey, sealed: randomBytes(40) },
    },
    {
      case: 'fetchPreKeyBundle',
      value: { address: decoy.address, accessKey: decoy.accessKey },
    },
    { case: 'ackEnvelopes', value: { envelopeIds: [1n, 2n, 3n] } },
    { case: 'getSenderCertificate', value: {} },
    { case: 'setAccessKey', value: { accessKeyHash: accessKeyHash(decoy.accessKey) } },
    {
      case: 'submitGroupOperation',
      value: { operation: fixture.groupOperations[0] ?? fixture.freshCreate },
    },
    {
      case: 'fetchGroupLog',
      value: { groupId: group.groupId, logKey: group.logKey(), fromSequence: 0n },
    },
    {
      case: 'postGroupMessage',
      value: {
        groupId: group.groupId,
        logLength: BigInt(group.logLength),
        envelope: randomBytes(64),
      },
    },
    { case: 'ackGroup', value: { groupId: group.groupId, index: 1n } },
    fixture.uploads[lane] ?? { case: 'ping', value: {} },
  ];
}

const SEED_COUNT = 14;

/** One of LANES concurrent fuzzers, each with its own decoy persona and connection. */
class Lane {
  readonly #index: number;
  readonly #url: string;
  readonly #fixture: Fixture;
  readonly #stats: FrameStats;
  #connection: FuzzConnection | undefined;
  #seedCache: Seeds | undefined;
  #nextRequestId = 1;

  constructor(index: number, url: string, fixture: Fixture, stats: FrameStats) {
    this.#index = index;
    this.#url = url;
    this.#fixture = fixture;
    this.#stats = stats;
  }

  async run(specs: readonly FrameSpec[]): Promise<void> {
    for (let at = 0; at < specs.length; at += WINDOW) {
      const connection = await this.#usableConnection();
      for (const spec of specs.slice(at, at + WINDOW)) {
        const { data, label } = this.#materialize(spec, connection);
        const sent = classify(data, this.#stats);
        this.#stats.sent.add(label);
        this.#stats.verdicts.add(sent.verdict);
        connection.send(data, sent);
      }
      await connection.settle(ANSWER_TIMEOUT_MS);
    }
  }

  async close(): Promise<void> {
    await this.#connection?.close();
  }

  async #usableConnection(): Promise<FuzzConnection> {
    const current = this.#connection;
    if (current?.usable === true) return current;
    if (current?.doomed === true) await current.awaitClose(ANSWER_TIMEOUT_MS);
    const connection = await FuzzConnection.open(this.#url, this.#stats);
    this.#connection = connection;
    return connection;
  }

  #materialize(
    spec: FrameSpec,
    connection: FuzzConnection,
  ): { data: Uint8Array | string; label: string } {
    const requestId = this.#nextRequestId++;
    switch (spec.kind) {
      case 'structured':
        return {
          data: encodeClientFrame({ requestId: spec.zeroId ? 0 : requestId, body: spec.body }),
          label: `structured:${String(spec.body.case)}`,
        };
      case 'mutated': {
        const seeds = this.#seeds(connection);
        const index = spec.seed % seeds.bodies.length;
        const body = seeds.bodies[index] ?? { case: 'ping', value: {} };
        const seed = encodeClientFrame({ requestId, body });
        return {
          data: mutateBytes(seed, spec.mutations, seeds.encoded),
          label:
            spec.mutations.length === 0
              ? `seed:${String(body.case)}`
              : `mutated:${String(body.case)}`,
        };
      }
      case 'random':
        return { data: spec.bytes, label: 'random' };
      case 'nested': {
        const prefix = Uint8Array.of(0x08, (requestId % 127) + 1);
        const core = lengthDelimited(9, new Uint8Array(0));
        const nested =
          spec.shape === 'messages'
            ? nestedMessages(spec.field, spec.depth, core)
            : nestedGroups(spec.field, spec.depth, spec.shape === 'groups' ? spec.depth : 0);
        const data = new Uint8Array(prefix.length + nested.length);
        data.set(prefix);
        data.set(nested, prefix.length);
        return { data, label: `nested:${spec.shape}` };
      }
      case 'text':
        return { data: spec.text, label: 'text' };
      case 'empty':
        return { data: new Uint8Array(0), label: 'empty' };
    }
  }

  /** The seeds for this connection (the auth seeds sign its challenge), and their encodings. */
  #seeds(connection: FuzzConnection): Seeds {
    const challenge = connection.challenge;
    if (challenge === undefined) throw new Error('no challenge');
    if (this.#seedCache?.challenge !== challenge) {
      const bodies = seedBodies(this.#fixture, this.#index, challenge);
      // Donors for splices: the same seeds under an arbitrary request id.
      const encoded = bodies.map((body) => encodeClientFrame({ requestId: 77, body }));
      this.#seedCache = { challenge, bodies, encoded };
    }
    return this.#seedCache;
  }
}

interface Seeds {
  readonly challenge: wire.Challenge;
  readonly bodies: readonly ClientBody[];
  readonly encoded: readonly Uint8Array[];
}

/** `frame` followed by an unknown length-delimited field, `total` bytes in all. */
function padWithUnknownField(frame: Uint8Array, total: number): Uint8Array {
  for (let payload = total - frame.length - 2; payload > 0; payload--) {
    const pad = lengthDelimited(1000, new Uint8Array(payload));
    if (frame.length + pad.length === total) {
      const out = new Uint8Array(total);
      out.set(frame);
      out.set(pad, frame.length);
      return out;
    }
  }
  throw new Error('cannot pad to that size');
}

// ---- raw HTTP ------------------------------------------------------------------------------

type HttpOutcome =
  { readonly status: number } | { readonly closed: true } | { readonly timeout: true };

/** Writes `request` on a fresh TCP connection and reads the status line of the answer. */
function rawHttp(
  port: number,
  request: Uint8Array | string,
  timeoutMs: number,
): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    let settled = false;
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ timeout: true });
    }, timeoutMs);
    socket.on('connect', () => {
      socket.write(request, () => undefined);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match?.[1] !== undefined) finish({ status: Number(match[1]) });
    });
    socket.on('error', () => {
      finish({ closed: true });
    });
    socket.on('close', () => {
      finish({ closed: true });
    });
  });
}

function upgradeHead(port: number, extra = '', version = '13', key = true): string {
  const keyLine = key ? `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` : '';
  return (
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `${keyLine}Sec-WebSocket-Version: ${version}\r\n${extra}`
  );
}

type UpgradeAttack =
  | { readonly kind: 'manyHeaders'; readonly count: number }
  | { readonly kind: 'hugeHeader'; readonly size: number }
  | { readonly kind: 'hugeUrl'; readonly size: number }
  | { readonly kind: 'badVersion'; readonly version: string }
  | { readonly kind: 'noKey' }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array }
  | { readonly kind: 'repeatedUpgrade'; readonly count: number };

const upgradeAttackArbitrary: fc.Arbitrary<UpgradeAttack> = fc.oneof(
  fc.record({
    kind: fc.constant('manyHeaders' as const),
    count: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 6000 })),
  }),
  fc.record({
    kind: fc.constant('hugeHeader' as const),
    size: fc.oneof(
      fc.integer({ min: 1000, max: 12_000 }),
      fc.integer({ min: 17_000, max: 300_000 }),
    ),
  }),
  fc.record({
    kind: fc.constant('hugeUrl' as const),
    size: fc.integer({ min: 1000, max: 100_000 }),
  }),
  fc.record({
    kind: fc.constant('badVersion' as const),
    version: fc.constantFrom('0', '8', '99', '-1', 'x', ''),
  }),
  fc.constant({ kind: 'noKey' as const }),
  fc.record({
    kind: fc.constant('garbage' as const),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 2000 }),
  }),
  fc.record({
    kind: fc.constant('repeatedUpgrade' as const),
    count: fc.integer({ min: 2, max: 400 }),
  }),
);

function upgradeRequest(
  port: number,
  attack: UpgradeAttack,
): { bytes: Uint8Array | string; headerBytes: number } {
  let text: string;
  switch (attack.kind) {
    case 'manyHeaders': {
      let extra = '';
      for (let i = 0; i < attack.count; i++) extra += `X-H${i}: v\r\n`;
      text = `${upgradeHead(port, extra)}\r\n`;
      break;
    }
    case 'hugeHeader':
      text = `${upgradeHead(port, `X-Big: ${'a'.repeat(attack.size)}\r\n`)}\r\n`;
      break;
    case 'hugeUrl':
      text = `${upgradeHead(port).replace('GET / ', `GET /${'u'.repeat(attack.size)} `)}\r\n`;
      break;
    case 'badVersion':
      text = `${upgradeHead(port, '', attack.version)}\r\n`;
      break;
    case 'noKey':
      text = `${upgradeHead(port, '', '13', false)}\r\n`;
      break;
    case 'garbage': {
      // Ended like a header block, so the parser must decide now rather than wait for more; and
      // not starting with a blank line, which HTTP lets a server skip while it waits for one.
      const bytes = Buffer.concat([Buffer.from('~'), attack.bytes, Buffer.from('\r\n\r\n')]);
      return { bytes: new Uint8Array(bytes), headerBytes: bytes.length };
    }
    case 'repeatedUpgrade': {
      let extra = '';
      for (let i = 0; i < attack.count; i++)
        extra += 'Upgrade: websocket\r\nConnection: Upgrade\r\n';
      text = `${upgradeHead(port, extra)}\r\n`;
      break;
    }
  }
  return { bytes: text, headerBytes: Buffer.byteLength(text) };
}

// ---- the suite -----------------------------------------------------------------------------

describe('a live relay under hostile traffic', () => {
  const dirs = new TempDirs();
  let dataDir: string;
  let relay: RelayChild;
  let fixture: Fixture;
  let canary: Canary;
  const clients: KindredClient[] = [];
  let baselineRss = 0;
  let peakRss = 0;
  let rssTimer: NodeJS.Timeout | undefined;
  const stats = new FrameStats();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kindred-adversarial-relay-'));
    relay = await RelayChild.spawn(dataDir, [
      '--registration',
      'pow',
      '--pow-difficulty',
      '6',
      '--log-level',
      'info',
      '--max-frame-bytes',
      String(MAX_FRAME_BYTES),
      '--max-bad-frames',
      String(MAX_BAD_FRAMES),
      '--max-buffered-bytes',
      String(MAX_BUFFERED_BYTES),
      // Rates off: the frames should reach the code behind the limits, not stop at them.
      '--max-frames-per-second',
      '0',
      '--max-sends-per-second',
      '0',
      '--max-fetches-per-minute',
      '0',
      '--max-fetches-per-target-per-minute',
      '0',
      '--max-group-operations-per-minute',
      '0',
      '--max-group-posts-per-second',
      '0',
      '--max-group-log-fetches-per-minute',
      '0',
      // Every connection here comes from 127.0.0.1: room for the lanes, the floods and the canary.
      '--max-connections-per-address',
      '2000',
      '--max-pending-upgrades-per-address',
      '2000',
      // Half-finished upgrades are dropped after this (the slowloris test checks it).
      '--upgrade-timeout',
      String(UPGRADE_TIMEOUT_MS),
    ]);
    const url = relay.url;

    const decoys: TestPersona[] = [];
    const uploads: ClientBody[] = [];
    for (let i = 0; i < LANES; i++) {
      const decoy = await registered(url, { oneTimePreKeys: 3, oneTimeKyberPreKeys: 3 });
      decoys.push(decoy);
      uploads.push(await preKeyUpload(decoy, { oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 }));
    }
    const owner = decoys[0];
    if (owner === undefined) throw new Error('no decoys');
    const group = new TestGroup();
    const session = await connectAs(url, owner);
    const create = group.createOperation(owner);
    await session.client.expect(
      { case: 'submitGroupOperation', value: { operation: create } },
      'groupAppended',
    );
    group.accept(create);
    const groupOperations = [
      group.sign(owner, { case: 'setInfo', value: { sealedInfo: randomBytes(40) } }),
      group.sign(owner, { case: 'leave', value: {} }),
    ];
    const freshCreate = new TestGroup().createOperation(owner);
    await session.client.close();
    fixture = { decoys, uploads, group, groupOperations, freshCreate };

    const a = await newClient(dirs, url, 'Canary A');
    const b = await newClient(dirs, url, 'Canary B');
    clients.push(a, b);
    await a.start({ receive: true });
    await b.start({ receive: true });
    await connectPair(a, b);
    canary = new Canary(a, b, 200);
    canary.start();
    // The baseline: the canary alone on a warmed-up relay.
    await sleep(4000);
    canary.phase('storm');
    baselineRss = await relay.rssBytes();
    peakRss = baselineRss;
    rssTimer = setInterval(() => {
      relay.rssBytes().then(
        (rss) => {
          peakRss = Math.max(peakRss, rss);
        },
        () => undefined,
      );
    }, 500);
  }, 120_000);

  afterAll(async () => {
    clearInterval(rssTimer);
    await Promise.allSettled(clients.map((client) => client.close()));
    await relay.stop();
    await dirs.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it(
    `answers ${RUNS * FRAMES_PER_RUN} generated and mutated frames on ${LANES} lanes`,
    { timeout: 240_000 },
    async ({ annotate }) => {
      const lanes = Array.from({ length: LANES }, (_, i) => new Lane(i, relay.url, fixture, stats));
      const started = Date.now();
      const cpuBefore = await relay.cpuSeconds();
      const testCpuBefore = process.cpuUsage();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(frameSpecArbitrary(fixture, SEED_COUNT), {
              minLength: FRAMES_PER_RUN,
              maxLength: FRAMES_PER_RUN,
            }),
            async (specs) => {
              const share = FRAMES_PER_RUN / LANES;
              await Promise.all(
                lanes.map((lane, i) => lane.run(specs.slice(i * share, (i + 1) * share))),
              );
              expect(relay.exit, 'the relay process is running').toBeUndefined();
              expect(stats.violations).toStrictEqual([]);
            },
          ),
          fuzzParameters(SEED, RUNS),
        );
      } finally {
        await Promise.all(lanes.map((lane) => lane.close()));
      }
      const seconds = (Date.now() - started) / 1000;
      const relayCpu = (await relay.cpuSeconds()) - cpuBefore;
      const testCpu = process.cpuUsage(testCpuBefore);
      const sent = stats.sent.total;
      const answered = stats.answers.total;
      await annotate(
        `seed ${SEED}: ${sent} frames in ${seconds.toFixed(1)} s on ${stats.connections} connections ` +
          `(CPU: relay ${relayCpu.toFixed(1)} s, fuzzer ${((testCpu.user + testCpu.system) / 1e6).toFixed(1)} s); ` +
          `verdicts ${stats.verdicts.toString()}; ${answered} answered, ${stats.closedUnanswered} ended by a close`,
      );
      await annotate(
        `bad frames: ${stats.verdicts.get('bad')} sent, ${stats.badAnswered} answered ` +
          `RELAY_BAD_FRAME, ${stats.badClosed} ended by a close with a code`,
      );
      await annotate(`answers: ${stats.answers.toString()}`);
      await annotate(
        `closes: ${stats.closes.toString()}; unsolicited: ${stats.unsolicited.toString()}`,
      );
      await annotate(`sent: ${stats.sent.toString()}`);
      expect(sent).toBeGreaterThanOrEqual(FRAME_TARGET);
      expect(answered + stats.closedUnanswered).toBe(sent);
      // Every bad frame got RELAY_BAD_FRAME, or its connection closed with a code.
      expect(stats.badAnswered + stats.badClosed).toBe(stats.verdicts.get('bad'));
      expect(stats.answers.get(`error:${RelayErrorCode.BadFrame}`)).toBeGreaterThanOrEqual(
        stats.badAnswered,
      );
      expect(stats.answers.get(`error:${RelayErrorCode.Internal}`)).toBe(0);
      expect(stats.closes.get('4400')).toBeGreaterThan(0);
      // The fuzzing reached past the decoder: real answers to frames that were well formed.
      expect(stats.answers.get('pong')).toBeGreaterThan(0);
      expect(stats.answers.get('sendAck')).toBeGreaterThan(0);
      expect(stats.answers.get('authOk')).toBeGreaterThan(0);
      expect(stats.answers.get('groupLogPage')).toBeGreaterThan(0);
    },
  );

  it(
    'answers every frame of a burst far beyond maxPendingFrames on one connection',
    { timeout: 120_000 },
    async ({ annotate }) => {
      // Nothing waits for answers here: the relay must stop reading (maxPendingFrames), catch
      // up, read again, and still answer each frame exactly once. None of these is a bad frame,
      // so the connection is never closed for them.
      const burst = new FrameStats();
      const connection = await FuzzConnection.open(relay.url, burst);
      const decoy = fixture.decoys[2];
      if (decoy === undefined) throw new Error('no decoys');
      const bodies: ClientBody[] = [
        { case: 'ping', value: {} },
        { case: 'getSenderCertificate', value: {} },
        {
          case: 'fetchGroupLog',
          value: {
            groupId: fixture.group.groupId,
            logKey: fixture.group.logKey(),
            fromSequence: 0n,
          },
        },
        {
          case: 'sendEnvelope',
          value: {
            recipient: decoy.address,
            accessKey: new Uint8Array(32),
            sealed: randomBytes(50),
          },
        },
        { case: 'ackGroup', value: { groupId: fixture.group.groupId, index: 1n } },
      ];
      const count = 5000;
      for (let i = 0; i < count; i++) {
        const frame = encodeClientFrame({
          requestId: i + 1,
          body: bodies[i % bodies.length] ?? { case: 'ping', value: {} },
        });
        connection.send(frame, { requestId: i + 1, verdict: 'good' });
      }
      await connection.settle(120_000);
      expect(burst.violations).toStrictEqual([]);
      expect(connection.closeCode).toBeUndefined();
      expect(burst.answers.total).toBe(count);
      await connection.close();
      await annotate(`a burst of ${count} frames: ${burst.answers.toString()}`);
    },
  );

  it(
    'answers oversize frames with RELAY_FRAME_TOO_LARGE and closes with 1009',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const outcomes = new Tally();
      const sizes = fc.sample(
        fc.oneof(
          fc.integer({ min: MAX_FRAME_BYTES + 1, max: MAX_FRAME_BYTES + WS_SLACK_BYTES }),
          fc.integer({ min: MAX_FRAME_BYTES + WS_SLACK_BYTES + 1, max: 2 * 1024 * 1024 }),
        ),
        { seed: SEED, numRuns: 60 },
      );
      for (const size of sizes) {
        const oversize = new FrameStats();
        const connection = await FuzzConnection.open(relay.url, oversize, new Set([1009]));
        const frame = new Uint8Array(size).fill(0x4a);
        frame.set(Uint8Array.of(0x08, 0x07));
        connection.send(frame, { requestId: 7, verdict: 'tooLarge' });
        await connection.awaitClose(20_000);
        expect(connection.closeCode, `a ${size}-byte frame`).toBe(1009);
        expect(oversize.violations).toStrictEqual([]);
        const explained = oversize.answers.get(`error:${RelayErrorCode.FrameTooLarge}`) === 1;
        // Within ws's slack the relay explains itself first; beyond it ws closes on its own.
        if (size <= MAX_FRAME_BYTES + WS_SLACK_BYTES)
          expect(explained, `a ${size}-byte frame`).toBe(true);
        outcomes.add(explained ? 'RELAY_FRAME_TOO_LARGE+1009' : '1009');
      }
      // A frame of exactly maxFrameBytes is still a frame: a ping padded with an unknown field.
      const exact = new FrameStats();
      const connection = await FuzzConnection.open(relay.url, exact);
      const ping = encodeClientFrame({ requestId: 9, body: { case: 'ping', value: {} } });
      const frame = padWithUnknownField(ping, MAX_FRAME_BYTES);
      expect(frame.length).toBe(MAX_FRAME_BYTES);
      connection.send(frame, classify(frame, exact));
      await connection.settle(ANSWER_TIMEOUT_MS);
      expect(exact.answers.get('pong')).toBe(1);
      await connection.close();
      await annotate(
        `${sizes.length} oversize frames: ${outcomes.toString()}; a ${frame.length}-byte frame answered`,
      );
    },
  );

  it(
    'outlasts a flood of upgrade requests with huge and countless headers',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const attacks = fc.sample(upgradeAttackArbitrary, { seed: SEED, numRuns: 800 });
      const outcomes = new Tally();
      let next = 0;
      const worker = async (): Promise<void> => {
        for (;;) {
          const attack = attacks[next++];
          if (attack === undefined) return;
          const request = upgradeRequest(relay.port, attack);
          const outcome = await rawHttp(relay.port, request.bytes, 20_000);
          const label =
            'status' in outcome
              ? String(outcome.status)
              : 'closed' in outcome
                ? 'closed'
                : 'timeout';
          outcomes.add(`${attack.kind}:${label}`);
          expect('timeout' in outcome, `${attack.kind} got no answer`).toBe(false);
          // Far beyond Node's 16 KiB header limit nothing is upgraded.
          if (request.headerBytes > 64 * 1024 && 'status' in outcome) {
            expect(outcome.status, attack.kind).not.toBe(101);
          }
          // A plain valid upgrade with a modest header block is accepted.
          if (
            (attack.kind === 'manyHeaders' || attack.kind === 'hugeHeader') &&
            request.headerBytes < 8 * 1024
          ) {
            expect(outcome, attack.kind).toStrictEqual({ status: 101 });
          }
        }
      };
      await Promise.all(Array.from({ length: 48 }, () => worker()));
      expect(relay.exit).toBeUndefined();
      const { client } = await connectAs(relay.url);
      await client.expect({ case: 'ping', value: {} }, 'pong');
      await client.close();
      await annotate(`${attacks.length} upgrade attacks: ${outcomes.toString()}`);
    },
  );

  it(
    'stays responsive while slowloris clients trickle partial upgrades',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const sockets: net.Socket[] = [];
      let closedByRelay = 0;
      const open = (): net.Socket => {
        const socket = net.connect({ host: '127.0.0.1', port: relay.port });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          closedByRelay += 1;
        });
        sockets.push(socket);
        return socket;
      };
      // Three kinds: trickling headers, a whole request but the final blank line, and silence.
      const tricklers = Array.from({ length: 120 }, () => {
        const socket = open();
        socket.write(upgradeHead(relay.port));
        return socket;
      });
      for (let i = 0; i < 40; i++) open().write(upgradeHead(relay.port));
      for (let i = 0; i < 40; i++) open();
      const probes: number[] = [];
      const until = Date.now() + 8000;
      let line = 0;
      while (Date.now() < until) {
        for (const socket of tricklers) socket.write(`X-Slow-${line}: ${'z'.repeat(line % 7)}\r\n`);
        line += 1;
        const started = Date.now();
        const { client } = await connectAs(relay.url);
        await client.expect({ case: 'ping', value: {} }, 'pong');
        await client.close();
        probes.push(Date.now() - started);
        await sleep(500);
      }
      const stillOpen = sockets.length - closedByRelay;
      for (const socket of sockets) socket.destroy();
      expect(relay.exit).toBeUndefined();
      // A fresh client connects, registers and gets an answer while they hang on.
      expect(Math.max(...probes)).toBeLessThan(10_000);
      // None of them outlives the upgrade timeout, however busily it trickles.
      expect(stillOpen).toBe(0);
      await annotate(
        `${sockets.length} slow sockets, ${line} header lines each; ${stillOpen} still open after 8 s ` +
          `(dropped ${UPGRADE_TIMEOUT_MS} ms after connecting); fresh connect+register+ping p50 ${percentile(probes, 50)} ms, ` +
          `max ${Math.max(...probes)} ms`,
      );
    },
  );

  it(
    'drops clients that never read once their send buffer passes maxBufferedBytes',
    { timeout: 120_000 },
    async ({ annotate }) => {
      // A group whose log pages fill a frame: every fetch answers with tens of KiB.
      const owner = fixture.decoys[1];
      if (owner === undefined) throw new Error('no decoys');
      const big = new TestGroup();
      const session = await connectAs(relay.url, owner);
      const create = big.createOperation(owner);
      await session.client.expect(
        { case: 'submitGroupOperation', value: { operation: create } },
        'groupAppended',
      );
      big.accept(create);
      for (let i = 0; i < 12; i++) {
        const operation = big.sign(owner, {
          case: 'setInfo',
          value: { sealedInfo: randomBytes(15_000) },
        });
        await session.client.expect(
          { case: 'submitGroupOperation', value: { operation } },
          'groupAppended',
        );
        big.accept(operation);
      }
      await session.client.close();

      const dropsBefore = relay.events.get('slow-consumer');
      const readers = new FrameStats();
      const sleepers = await Promise.all(
        Array.from({ length: 3 }, () => FuzzConnection.open(relay.url, readers, new Set([1006]))),
      );
      const fetch = encodeClientFrame({
        requestId: 1,
        body: {
          case: 'fetchGroupLog',
          value: { groupId: big.groupId, logKey: big.logKey(), fromSequence: 0n },
        },
      });
      for (const sleeper of sleepers) {
        sleeper.pauseReading();
        // About 40 MiB of answers each, five times the buffer the relay allows a client.
        for (let i = 0; i < 800; i++) sleeper.send(fetch, { requestId: 1, verdict: 'good' });
      }
      const deadline = Date.now() + 60_000;
      while (
        relay.events.get('slow-consumer') < dropsBefore + sleepers.length &&
        Date.now() < deadline
      ) {
        await sleep(100);
      }
      expect(relay.events.get('slow-consumer') - dropsBefore).toBe(sleepers.length);
      for (const sleeper of sleepers) sleeper.resumeReading();
      for (const sleeper of sleepers) await sleeper.awaitClose(30_000);
      // Dropped without a closing handshake: what a client sees as 1006.
      expect(sleepers.map((sleeper) => sleeper.closeCode)).toStrictEqual(sleepers.map(() => 1006));
      expect(readers.violations).toStrictEqual([]);
      await annotate(
        `${sleepers.length} clients that never read dropped as slow consumers after ` +
          `${readers.answers.get('groupLogPage')} pages reached them`,
      );
    },
  );

  it(
    'kept the canary fast and whole, its memory bounded and its log clean',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const report = await canary.stop(30_000);
      const baseline = report.latencies.get('baseline') ?? [];
      const storm = report.latencies.get('storm') ?? [];
      const baselineP99 = percentile(baseline, 99);
      const stormP99 = percentile(storm, 99);
      const bound = Math.max(CANARY_FACTOR * baselineP99, CANARY_FLOOR_MS);
      await annotate(
        `canary: ${report.sent} sent, ${report.received} received; baseline p50 ${percentile(baseline, 50)} ms ` +
          `p99 ${baselineP99} ms (${baseline.length}); storm p50 ${percentile(storm, 50)} ms p99 ${stormP99} ms ` +
          `max ${percentile(storm, 100)} ms (${storm.length}); bound ${bound} ms`,
      );
      expect(report.missing).toStrictEqual([]);
      expect(report.duplicates).toBe(0);
      expect(report.strangers).toBe(0);
      expect(report.sendErrors).toBe(0);
      expect(baseline.length).toBeGreaterThanOrEqual(10);
      expect(storm.length).toBeGreaterThan(100);
      expect(stormP99).toBeLessThanOrEqual(bound);

      // Memory: every hostile connection is gone; after a pause the relay is back near its start.
      await sleep(3000);
      clearInterval(rssTimer);
      const endRss = await relay.rssBytes();
      const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
      await annotate(
        `relay RSS: baseline ${mib(baselineRss)}, peak ${mib(peakRss)}, end ${mib(endRss)}`,
      );
      expect(endRss).toBeLessThan(baselineRss + MEMORY_HEADROOM_BYTES);

      // Alive, answering, and nothing alarming in its log.
      expect(relay.exit).toBeUndefined();
      const fresh = await RawClient.connect(relay.url);
      await fresh.expect({ case: 'ping', value: {} }, 'pong');
      await closeAll(fresh);
      await annotate(`relay log events: ${relay.events.toString()}`);
      expect(relay.errorLines).toStrictEqual([]);
      expect(relay.strayLines).toStrictEqual([]);

      // And it still shuts down cleanly after all that.
      await Promise.all(clients.splice(0).map((client) => client.close()));
      expect(await relay.stop()).toStrictEqual({ code: 0, signal: null });
    },
  );
});
