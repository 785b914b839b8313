/**
 * The group suite's members, a child process of their own (so the relay and the sender have their
 * CPU to themselves): up to 500 real personas, each with its own authenticated WebSocket to the
 * relay (registered over the real handshake), each joining its groups with a real signed join
 * operation and the invite link the sender made. They are lightweight: keys in memory, no vault,
 * no client. Each reads its GroupDeliver frames (by hand, bench/groups/wire.ts), stamps when it
 * read each message, and acknowledges what it read with one AckGroup per group per turn of the
 * event loop, as the client does once it has stored them.
 *
 * A few members per group (the first, the middle and the last) also hold a PersonaCipher (over a
 * MemoryKeyValueStore), are handed the sender's key (a real SenderKeyDistributionMessage, through
 * the suite rather than 1:1 over the relay), keep what they are delivered and, after each run and
 * outside any timing, open every message: the group-secret seal on the sender's address, the
 * sender-key decryption, the GroupContent (text, sequence, log length). Member 0 is also the
 * recipient of the 1:1 baseline: it uploads prekeys, receives the sealed envelopes, acknowledges
 * them, and unseals them after each run.
 *
 * Methods (called by bench/groups/GroupBench.ts through bench/relay/rpc.ts): connect, join,
 * senderKey, startOneToOne, waitFor, waitMailbox, verify, usage, clock; their parameters and
 * answers are in membersCalls.ts.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import {
  GroupSecret,
  fromHex,
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  accessKeyHash,
  applyGroupOperation,
  authSigningBytes,
  decodeContent,
  decodeGroupContent,
  decodeServerFrame,
  encodeClientFrame,
  fromBase64Url,
  openGroupEnvelope,
  ownedBytes,
  parseGroupInviteLink,
  sealMemberProfile,
  signGroupJoin,
  signGroupOperation,
  toBase64Url,
} from '../../core/client/index.js';
import type { ClientFrameInit, GroupState, wire } from '../../core/client/index.js';
import { serveRpc } from '../relay/rpc.js';
import { ackFrame, readDeliver, readFrame } from '../relay/wire.js';
import type {
  Arrival,
  JoinParams,
  Joined,
  MembersConnectParams,
  MembersConnected,
  MembersUsage,
  OneToOneRecipient,
  SenderKeyParams,
  Verified,
  VerifyParams,
  WaitForParams,
  WaitMailboxParams,
} from './membersCalls.js';
import { MESSAGE_TEXT } from './payload.js';
import type { ClockReading } from './timing.js';
import { epochNow, waitUntil, withTimeout } from './timing.js';
import { GroupServerField, ackGroupFrame, checkGroupWire, readGroupDeliver } from './wire.js';

const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Connections opened (and authenticated) at once. */
const CONNECT_CONCURRENCY = 50;
const SETTLE_TIMEOUT_MS = 60_000;
/** Joins averaged at each end of the sequence, to show how a join's cost grows with the group. */
const JOIN_SAMPLE = 50;

/** One member's position in one group's stream. */
class Cursor {
  constructor(readonly groupId: Uint8Array) {}

  /** Highest index read, highest whose AckGroup was sent, highest the relay answered. */
  delivered = 0;
  ackSent = 0;
  answered = 0;
  /** Index of this member's own join: the stream starts after it. */
  joinIndex = 0;
}

type AckRecord =
  | { readonly kind: 'group'; readonly cursor: Cursor; readonly index: number }
  | { readonly kind: 'mailbox'; readonly count: number };

class Member {
  readonly cursors = new Map<string, Cursor>();
  readonly #pending = new Map<number, (bytes: Buffer) => void>();
  readonly #acks = new Map<number, AckRecord>();
  #nextRequestId = 1;
  /** 1:1 envelope ids read and not yet acknowledged. */
  mailboxIds: number[] = [];
  mailboxOutstanding = 0;
  cipher: PersonaCipher | undefined;
  challenge: wire.Challenge | undefined;

  constructor(
    readonly index: number,
    readonly persona: Persona,
    readonly accessKey: Uint8Array,
    readonly ws: WebSocket,
  ) {}

  cursor(groupHex: string, groupId: () => Uint8Array): Cursor {
    let cursor = this.cursors.get(groupHex);
    if (cursor === undefined) {
      cursor = new Cursor(groupId());
      this.cursors.set(groupHex, cursor);
    }
    return cursor;
  }

  /** A set-up request (decoded by core); its answer is matched by request id. */
  async request(body: NonNullable<ClientFrameInit['body']>): Promise<wire.ServerFrame> {
    const requestId = this.#nextRequestId++;
    const answer = new Promise<Buffer>((resolve) => {
      this.#pending.set(requestId, resolve);
    });
    this.ws.send(encodeClientFrame({ requestId, body }));
    const frame = decodeServerFrame(await withTimeout(answer, REQUEST_TIMEOUT_MS, 'no answer'));
    if (frame.body.case === 'error') {
      throw new Error(`the relay refused: ${frame.body.value.code} (${frame.body.value.message})`);
    }
    return frame;
  }

  /** The hot path: every frame the relay sends this member. */
  receive(bytes: Buffer): void {
    const now = epochNow();
    const view = readFrame(bytes);
    if (view.requestId !== 0) {
      const waiter = this.#pending.get(view.requestId);
      if (waiter !== undefined) {
        this.#pending.delete(view.requestId);
        waiter(bytes);
        return;
      }
      const ack = this.#acks.get(view.requestId);
      if (ack === undefined) return;
      this.#acks.delete(view.requestId);
      if (view.field !== GroupServerField.ok) {
        fail(new Error(`an acknowledgement was refused: ${describe(bytes)}`));
        return;
      }
      if (ack.kind === 'group') ack.cursor.answered = Math.max(ack.cursor.answered, ack.index);
      else this.mailboxOutstanding -= ack.count;
      return;
    }
    switch (view.field) {
      case GroupServerField.groupDeliver: {
        const deliver = readGroupDeliver(bytes, view.start, view.end);
        const hex = bytes.toString('hex', deliver.groupIdStart, deliver.groupIdEnd);
        const cursor = this.cursor(hex, () =>
          ownedBytes(bytes.subarray(deliver.groupIdStart, deliver.groupIdEnd)),
        );
        if (deliver.index > cursor.delivered) cursor.delivered = deliver.index;
        if (deliver.kind === 'message') {
          const group = groups.get(hex);
          if (group !== undefined) {
            group.arrived(deliver.index, now);
            if (group.samples.has(this.index)) {
              group.keep(
                this.index,
                Buffer.from(bytes.subarray(deliver.entryStart, deliver.entryEnd)),
              );
            }
          }
        }
        queueAck(this);
        return;
      }
      case GroupServerField.deliver: {
        const deliver = readDeliver(bytes, view);
        this.mailboxIds.push(deliver.envelopeId);
        mailbox.received += 1;
        mailbox.sealed.push(Buffer.from(bytes.subarray(deliver.sealedStart, deliver.sealedEnd)));
        queueAck(this);
        return;
      }
      case GroupServerField.error:
        fail(new Error(`the relay sent an error: ${describe(bytes)}`));
        return;
      default:
      // PreKeyStatus and the like: nothing to do.
    }
  }

  /** Acknowledges everything read this turn: one AckGroup per group, one AckEnvelopes. */
  flushAcks(): void {
    for (const cursor of this.cursors.values()) {
      if (cursor.delivered <= cursor.ackSent) continue;
      const requestId = this.#nextRequestId++;
      cursor.ackSent = cursor.delivered;
      this.#acks.set(requestId, { kind: 'group', cursor, index: cursor.delivered });
      this.ws.send(ackGroupFrame(requestId, cursor.groupId, cursor.delivered));
    }
    if (this.mailboxIds.length > 0) {
      const ids = this.mailboxIds;
      this.mailboxIds = [];
      const requestId = this.#nextRequestId++;
      this.mailboxOutstanding += ids.length;
      this.#acks.set(requestId, { kind: 'mailbox', count: ids.length });
      this.ws.send(ackFrame(requestId, ids));
    }
  }

  /** Every group entry up to `index` read and acknowledged (or before this member joined). */
  settled(groupHex: string, index: number): boolean {
    const cursor = this.cursors.get(groupHex);
    if (cursor === undefined) return false;
    return Math.max(cursor.answered, cursor.joinIndex) >= index;
  }
}

/** One group the members are in, as this process tracks it. */
class TrackedGroup {
  /** Message arrivals by stream index: how many members read it, first and last reading. */
  readonly #arrivals = new Map<number, { readers: number; firstAt: number; lastAt: number }>();
  /** Member index → envelopes kept for verification (sampled members only). */
  readonly samples = new Map<number, Buffer[]>();
  /** Highest GroupContent.sequence verified so far, per sampled member. */
  readonly verifiedSequence = new Map<number, number>();
  senderAddress: string | undefined;

  constructor(
    readonly groupId: Uint8Array,
    readonly hex: string,
    readonly secret: GroupSecret,
    readonly members: readonly Member[],
    public state: GroupState,
  ) {}

  arrived(index: number, now: number): void {
    const arrival = this.#arrivals.get(index);
    if (arrival === undefined) {
      this.#arrivals.set(index, { readers: 1, firstAt: now, lastAt: now });
      return;
    }
    arrival.readers += 1;
    arrival.lastAt = now;
  }

  keep(member: number, envelope: Buffer): void {
    this.samples.get(member)?.push(envelope);
  }

  arrival(index: number): { readers: number; firstAt: number; lastAt: number } | undefined {
    return this.#arrivals.get(index);
  }

  /** Forgets arrivals up to `index` (they have been reported). */
  forget(index: number): void {
    for (const key of this.#arrivals.keys()) if (key <= index) this.#arrivals.delete(key);
  }
}

const members: Member[] = [];
const groups = new Map<string, TrackedGroup>();
/** Member 0's 1:1 mailbox: envelopes read (ever), sealed bytes kept until verified. */
const mailbox = { received: 0, sealed: [] as Buffer[] };
const dirty = new Set<Member>();
let flushQueued = false;
let failure: Error | undefined;
let closing = false;

function fail(error: Error): void {
  failure ??= error;
}

function queueAck(member: Member): void {
  dirty.add(member);
  if (flushQueued) return;
  flushQueued = true;
  // After every socket read in this turn of the event loop, as a client acknowledges once it
  // has stored a batch.
  setImmediate(() => {
    flushQueued = false;
    for (const each of dirty) each.flushAcks();
    dirty.clear();
  });
}

function describe(bytes: Buffer): string {
  try {
    const frame = decodeServerFrame(bytes);
    return frame.body.case === 'error'
      ? `${frame.body.value.code} (${frame.body.value.message})`
      : String(frame.body.case);
  } catch {
    return 'an unreadable frame';
  }
}

// ---- connecting ------------------------------------------------------------------------------

async function openMember(url: string, index: number): Promise<Member> {
  const persona = Persona.generate(`bench member ${index + 1}`);
  const accessKey = ownedBytes(randomBytes(32));
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
  const member = new Member(index, persona, accessKey, ws);
  const challenge = new Promise<wire.Challenge>((resolve, reject) => {
    ws.once('message', (data: RawData) => {
      const frame = decodeServerFrame(data as Buffer);
      if (frame.body.case === 'challenge') resolve(frame.body.value);
      else reject(new Error(`expected a challenge, got ${String(frame.body.case)}`));
      ws.on('message', (next: RawData) => {
        member.receive(next as Buffer);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  ws.on('error', () => undefined);
  ws.on('close', (code) => {
    if (!closing) fail(new Error(`member ${index}'s connection closed (${code})`));
  });
  member.challenge = await withTimeout(challenge, CONNECT_TIMEOUT_MS, 'no challenge');
  const identityKey = persona.identityPublicKey;
  const signature = persona.sign(
    authSigningBytes({
      relayId: member.challenge.relayId,
      nonce: member.challenge.nonce,
      serverTime: member.challenge.serverTime,
      identityKey,
    }),
  );
  const answer = await member.request({
    case: 'auth',
    value: {
      identityKey,
      signature,
      registration: {
        registrationId: persona.registrationId,
        accessKeyHash: accessKeyHash(accessKey),
        gate: { case: undefined },
      },
    },
  });
  if (answer.body.case !== 'authOk') throw new Error(`authentication: ${answer.body.case}`);
  return member;
}

async function connect(params: MembersConnectParams): Promise<MembersConnected> {
  if (members.length > 0) throw new Error('already connected');
  const started = performance.now();
  for (let first = 0; first < params.count; first += CONNECT_CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(CONNECT_CONCURRENCY, params.count - first) },
      (_, offset) => openMember(params.url, first + offset),
    );
    members.push(...(await Promise.all(batch)));
  }
  return { connectMs: performance.now() - started };
}

// ---- joining ---------------------------------------------------------------------------------

/** Fetches a group's log (with the log key from the link) and replays it, as a joiner does. */
async function fetchState(
  member: Member,
  groupId: Uint8Array,
  secret: GroupSecret,
): Promise<GroupState> {
  let state: GroupState | undefined;
  for (;;) {
    const answer = await member.request({
      case: 'fetchGroupLog',
      value: { groupId, logKey: secret.logKey(), fromSequence: BigInt(state?.length ?? 0) },
    });
    if (answer.body.case !== 'groupLogPage') throw new Error('expected a log page');
    for (const signed of answer.body.value.operations) {
      state = applyGroupOperation(state, signed).state;
    }
    const length = state?.length ?? 0;
    if (
      answer.body.value.operations.length === 0 ||
      length >= Number(answer.body.value.logLength)
    ) {
      if (state === undefined) throw new Error('the group has no log');
      return state;
    }
  }
}

async function join(params: JoinParams): Promise<Joined> {
  if (params.size < 1 || params.size > members.length) throw new RangeError('bad group size');
  const started = performance.now();
  const link = parseGroupInviteLink(params.link);
  const secret = GroupSecret.from(fromHex(params.secret) ?? new Uint8Array(0));
  const groupId = link.groupId;
  const hex = Buffer.from(groupId).toString('hex');
  const joining = members.slice(0, params.size);
  const first = joining[0];
  if (first === undefined) throw new Error('no members');
  let state = await fetchState(first, groupId, secret);
  const group = new TrackedGroup(groupId, hex, secret, joining, state);
  groups.set(hex, group);
  let lastIndex = 0;
  const joinTimes: number[] = [];
  // One after another: each join names the log head the previous one made.
  for (const member of joining) {
    const joinStarted = performance.now();
    const cursor = member.cursor(hex, () => groupId);
    const identityKey = member.persona.identityPublicKey;
    const signed = signGroupOperation(member.persona, {
      groupId,
      state,
      action: {
        case: 'join',
        value: {
          inviteId: link.inviteId,
          inviteSignature: signGroupJoin(
            link.invitePrivateKey,
            groupId,
            link.inviteId,
            identityKey,
          ),
          sealedProfile: await sealMemberProfile(secret, groupId, identityKey, {
            pseudonym: member.persona.pseudonym,
            accessKey: member.accessKey,
            profileKey: member.persona.profileKey,
          }),
        },
      },
    });
    // Checked here first, with the same rules the relay runs, as the client does.
    const next = applyGroupOperation(state, signed).state;
    const answer = await member.request({
      case: 'submitGroupOperation',
      value: { operation: signed },
    });
    if (answer.body.case !== 'groupAppended') throw new Error('expected GroupAppended');
    lastIndex = Number(answer.body.value.index);
    cursor.joinIndex = lastIndex;
    state = next;
    joinTimes.push(performance.now() - joinStarted);
    if (failure !== undefined) throw failure;
  }
  const mean = (values: readonly number[]): number =>
    values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  group.state = state;
  // Every member has read and acknowledged the joins after its own: the stream is quiet.
  await settle(group, lastIndex, SETTLE_TIMEOUT_MS);
  for (const sample of new Set([0, Math.floor(params.size / 2), params.size - 1])) {
    group.samples.set(sample, []);
  }
  return {
    groupId: hex,
    lastIndex,
    logLength: state.length,
    joinMs: performance.now() - started,
    firstJoinsMs: mean(joinTimes.slice(0, JOIN_SAMPLE)),
    lastJoinsMs: mean(joinTimes.slice(-JOIN_SAMPLE)),
  };
}

function settle(group: TrackedGroup, index: number, timeoutMs: number): Promise<void> {
  return waitUntil(
    () => group.members.every((member) => member.settled(group.hex, index)),
    timeoutMs,
    () => {
      const behind = group.members.filter((member) => !member.settled(group.hex, index));
      return `${behind.length} of ${group.members.length} members have not acknowledged ${index}`;
    },
    () => failure,
  );
}

function trackedGroup(hex: string): TrackedGroup {
  const group = groups.get(hex);
  if (group === undefined) throw new Error('unknown group');
  return group;
}

function cipherOf(member: Member): PersonaCipher {
  member.cipher ??= new PersonaCipher(member.persona, new MemoryKeyValueStore());
  return member.cipher;
}

/** The sampled members take the sender's key, as they would from a 1:1 SenderKeyDistribution. */
async function senderKey(params: SenderKeyParams): Promise<void> {
  const group = trackedGroup(params.groupId);
  const distribution = fromBase64Url(params.distribution);
  if (distribution === undefined) throw new Error('bad distribution');
  group.senderAddress = params.sender;
  for (const index of group.samples.keys()) {
    const member = members[index];
    if (member === undefined) throw new Error('no such member');
    await cipherOf(member).processSenderKeyDistribution(params.sender, distribution);
  }
}

/** Member 0 uploads prekeys so the sender can start a 1:1 session with it. */
async function startOneToOne(): Promise<OneToOneRecipient> {
  const member = members[0];
  if (member === undefined) throw new Error('no members');
  const upload = await cipherOf(member).generatePreKeys({
    oneTimePreKeys: 1,
    oneTimeKyberPreKeys: 1,
  });
  const answer = await member.request({
    case: 'uploadPreKeys',
    value: {
      signedPreKey: upload.signedPreKey,
      lastResortKyberPreKey: upload.lastResortKyberPreKey,
      oneTimePreKeys: [...upload.oneTimePreKeys],
      oneTimeKyberPreKeys: [...upload.oneTimeKyberPreKeys],
    },
  });
  if (answer.body.case !== 'ok') throw new Error('prekeys not accepted');
  return { address: member.persona.address, accessKey: toBase64Url(member.accessKey) };
}

// ---- measuring -------------------------------------------------------------------------------

/**
 * Resolves once every member of the group has read message `index` and the relay has answered
 * every member's acknowledgement of it (so the next run starts on a quiet relay); returns when
 * the first and the last member read it.
 */
async function waitFor(params: WaitForParams): Promise<Arrival> {
  const group = trackedGroup(params.groupId);
  const size = group.members.length;
  await waitUntil(
    () => (group.arrival(params.index)?.readers ?? 0) >= size,
    params.timeoutMs,
    () => `message ${params.index} read by ${group.arrival(params.index)?.readers ?? 0} of ${size}`,
    () => failure,
  );
  await settle(group, params.index, params.timeoutMs);
  const arrival = group.arrival(params.index);
  if (arrival === undefined) throw new Error('arrival forgotten');
  group.forget(params.index);
  return { firstAt: arrival.firstAt, lastAt: arrival.lastAt, readers: arrival.readers };
}

async function waitMailbox(params: WaitMailboxParams): Promise<void> {
  const member = members[0];
  if (member === undefined) throw new Error('no members');
  await waitUntil(
    () =>
      mailbox.received >= params.total &&
      member.mailboxIds.length === 0 &&
      member.mailboxOutstanding === 0,
    params.timeoutMs,
    () => `member 0 read ${mailbox.received} of ${params.total} envelopes`,
    () => failure,
  );
}

/** Opens everything the sampled members kept (outside any timing) and checks it. */
async function verify(params: VerifyParams): Promise<Verified> {
  if (params.groupId === undefined) return verifyOneToOne(params);
  const group = trackedGroup(params.groupId);
  let messages = 0;
  for (const [index, kept] of group.samples) {
    const member = members[index];
    if (member === undefined) throw new Error('no such member');
    const cipher = cipherOf(member);
    let last = group.verifiedSequence.get(index) ?? 0;
    for (const envelope of kept.splice(0)) {
      const opened = await openGroupEnvelope(group.secret, group.groupId, envelope);
      if (opened.sender !== params.sender) throw new Error('a message names another sender');
      const content = decodeGroupContent(
        await cipher.groupDecrypt(opened.sender, opened.ciphertext),
      );
      if (
        content?.body?.kind !== 'text' ||
        content.body.text !== MESSAGE_TEXT ||
        content.sequence <= last ||
        content.logLength !== group.state.length
      ) {
        throw new Error(`member ${index} decrypted a message that is not what was sent`);
      }
      last = content.sequence;
      messages += 1;
    }
    group.verifiedSequence.set(index, last);
  }
  return { messages, samples: group.samples.size };
}

async function verifyOneToOne(params: VerifyParams): Promise<Verified> {
  const member = members[0];
  if (member === undefined) throw new Error('no members');
  const trustRoot = fromBase64Url(params.trustRoot);
  if (trustRoot === undefined) throw new Error('bad trust root');
  const cipher = cipherOf(member);
  let messages = 0;
  for (const sealed of mailbox.sealed.splice(0)) {
    const unsealed = await cipher.unseal(sealed, trustRoot);
    const content = decodeContent(unsealed.plaintext);
    if (
      unsealed.senderAddress !== params.sender ||
      content?.body.case !== 'message' ||
      content.body.value.kind.case !== 'text' ||
      content.body.value.kind.value.body !== MESSAGE_TEXT
    ) {
      throw new Error('member 0 unsealed a message that is not what was sent');
    }
    messages += 1;
  }
  return { messages, samples: 1 };
}

async function stop(): Promise<void> {
  closing = true;
  await Promise.all(
    members.map(
      (member) =>
        new Promise<void>((resolve) => {
          const ws = member.ws;
          if (ws.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            ws.terminate();
          }, 2000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close();
        }),
    ),
  );
}

checkGroupWire();
serveRpc(
  {
    connect: (params) => connect(params as MembersConnectParams),
    join: (params) => join(params as JoinParams),
    senderKey: (params) => senderKey(params as SenderKeyParams),
    startOneToOne: () => startOneToOne(),
    waitFor: (params) => waitFor(params as WaitForParams),
    waitMailbox: (params) => waitMailbox(params as WaitMailboxParams),
    verify: (params) => verify(params as VerifyParams),
    usage: (): MembersUsage => {
      const cpu = process.cpuUsage();
      return { cpuMicros: cpu.user + cpu.system };
    },
    clock: (): ClockReading => ({ now: epochNow() }),
  },
  { pid: process.pid },
  stop,
);
