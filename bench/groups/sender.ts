/**
 * The group suite's sender, a child process of its own so that `process.cpuUsage()` here is the
 * sender's cost and nothing else's (the members and the relay run elsewhere).
 *
 * One persona, as a client holds it: its keys and libsignal state in a PersonaCipher (over a
 * MemoryKeyValueStore: the vault's cost is the crypto suite's subject), core's RelayConnection to
 * the relay (an authenticated one for group operations and posts, an anonymous one for sealed 1:1
 * envelopes, as the client does). It creates each group (signed create and invite operations, a
 * signed invite link), follows its log by fetching it, and posts exactly as the client's
 * GroupPoster does: build the GroupContent, encrypt it once with its sender key, seal its own
 * address under the group secret, encode the GroupEnvelope, post it and wait for GroupAppended.
 * Like a client, it receives its own messages back from the relay and acknowledges them.
 *
 * Methods (called by bench/suites/groups.ts through bench/relay/rpc.ts): connect, createGroup,
 * syncGroup, distribution, startOneToOne, post (one message, CPU measured), burst, clock.
 */
import { randomBytes } from 'node:crypto';
// The client's own codecs among them: the benchmark measures the code a client runs, so it
// imports them rather than copying them.
import {
  GroupSecret,
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  RelayConnection,
  accessKeyHash,
  applyGroupOperation,
  createGroupInviteLink,
  distributionIdFor,
  encodeContent,
  encodeMessageBody,
  encodeGroupContent,
  encodeGroupEnvelope,
  fromBase64Url,
  generateInviteKeyPair,
  logKeyHash,
  ownedBytes,
  sealGroupInfo,
  sealMemberProfile,
  signGroupOperation,
  toBase64Url,
  toHex,
  wire,
} from '../../core/client/index.js';
import type { GroupState } from '../../core/client/index.js';
import { serveRpc } from '../relay/rpc.js';
import { MESSAGE_TEXT } from './payload.js';
import type { ClockReading } from './timing.js';
import { epochNow, waitUntil, withTimeout } from './timing.js';

export interface SenderConnectParams {
  readonly url: string;
}

export interface SenderConnected {
  readonly address: string;
  /** The relay's sealed-sender trust root, from its Challenge (base64url). */
  readonly trustRoot: string;
}

export interface CreateGroupParams {
  /** Members the invite admits. */
  readonly maxUses: number;
  readonly name: string;
}

export interface CreatedGroup {
  readonly groupId: string;
  /** A signed kindred:group/… link, as a moderator hands it out. */
  readonly link: string;
  /**
   * The group secret in hex. Links no longer carry it (a moderator's client sends it 1:1 after
   * the join); the bench hands it over directly, as that message would.
   */
  readonly secret: string;
}

export interface GroupRef {
  readonly groupId: string;
}

export interface SyncedGroup {
  readonly logLength: number;
  readonly members: number;
}

export interface StartOneToOneParams {
  readonly address: string;
  /** The recipient's delivery access key (base64url). */
  readonly accessKey: string;
}

export interface PostParams {
  /** Absent: a 1:1 sealed envelope to the recipient of startOneToOne. */
  readonly groupId?: string;
}

/** One message sent on its own, on a quiet relay (the suite waits between messages). */
export interface PostResult {
  /** epochNow() just before the frame is handed to the socket. */
  readonly postedAt: number;
  /** Stream index (groups; 0 for 1:1). */
  readonly index: number;
  /**
   * This process's CPU (user + system, every thread) from the start of building the message to
   * its answer (GroupAppended, SendAck) and, for a group, until our own copy of it has been
   * delivered and its acknowledgement answered, µs.
   */
  readonly cpuMicros: number;
  /** The part of cpuMicros up to the answer (GroupAppended, SendAck), µs. */
  readonly answeredCpuMicros: number;
  /** Wall time of building it: content, encryption, sealing (ms). */
  readonly buildMs: number;
}

export interface BurstParams {
  /** Absent: the 1:1 baseline (burst of sealed envelopes to the recipient of startOneToOne). */
  readonly groupId?: string;
  readonly count: number;
  /** Messages in flight: a new one is built and posted as each answer comes back. */
  readonly window: number;
}

export interface BurstResult {
  readonly count: number;
  /** This process's CPU (user + system, every thread) from the first build to the last answer,
   * and, for a group, until its own copy of the last message is delivered and acknowledged. */
  readonly cpuMicros: number;
  readonly wallMs: number;
  /** epochNow() just before the first message's frame was handed to the socket. */
  readonly firstPostAt: number;
  /** Stream index of the last message (groups only; 0 for 1:1). */
  readonly lastIndex: number;
}

interface SenderGroup {
  readonly groupId: Uint8Array;
  readonly secret: GroupSecret;
  readonly distributionId: string;
  state: GroupState;
  /** Per group, per sender, from 1 (GroupContent.sequence). */
  sequence: number;
  /** Highest stream index delivered to us, and the highest whose AckGroup the relay answered. */
  delivered: number;
  acknowledged: number;
  ackQueued: boolean;
  /** Waiting for `acknowledged` to reach an index (resolved as the Ok arrives, no polling, so
   * waiting costs no CPU). */
  readonly ackWaiters: { readonly index: number; readonly resolve: () => void }[];
}

const MESSAGE_ID_BYTES = 16;
const INVITE_LIFETIME_MS = 60 * 60 * 1000;
const SETTLE_TIMEOUT_MS = 30_000;

let persona: Persona | undefined;
let cipher: PersonaCipher | undefined;
let authenticated: RelayConnection | undefined;
let anonymous: RelayConnection | undefined;
let relayUrl = '';
let trustRoot: Uint8Array = new Uint8Array(0);
let senderCertificate: Uint8Array = new Uint8Array(0);
let oneToOne: { address: string; accessKey: Uint8Array; sequence: number } | undefined;
const groups = new Map<string, SenderGroup>();
let failure: Error | undefined;

function ready(): {
  persona: Persona;
  cipher: PersonaCipher;
  authenticated: RelayConnection;
  anonymous: RelayConnection;
} {
  if (
    persona === undefined ||
    cipher === undefined ||
    authenticated === undefined ||
    anonymous === undefined
  ) {
    throw new Error('the sender is not connected');
  }
  if (failure !== undefined) throw failure;
  return { persona, cipher, authenticated, anonymous };
}

function groupOf(groupIdHex: string): SenderGroup {
  const group = groups.get(groupIdHex);
  if (group === undefined) throw new Error('unknown group');
  return group;
}

async function connect(params: SenderConnectParams): Promise<SenderConnected> {
  if (persona !== undefined) throw new Error('already connected');
  const me = Persona.generate('bench sender');
  const accessKey = ownedBytes(randomBytes(32));
  const connection = await RelayConnection.open({ url: params.url });
  const authOk = await connection.authenticate(me, {
    registrationId: me.registrationId,
    accessKeyHash: accessKeyHash(accessKey),
    gate: { case: undefined },
  });
  connection.on('groupDeliver', (deliver) => {
    onGroupDeliver(deliver);
  });
  connection.on('close', (error) => {
    failure ??= new Error(`the sender's connection closed: ${error?.message ?? 'on purpose'}`);
  });
  const anon = await RelayConnection.open({ url: params.url });
  anon.on('close', (error) => {
    failure ??= new Error(`the sender's anonymous connection closed: ${error?.message ?? ''}`);
  });
  persona = me;
  cipher = new PersonaCipher(me, new MemoryKeyValueStore());
  authenticated = connection;
  anonymous = anon;
  relayUrl = params.url;
  trustRoot = ownedBytes(connection.challenge.trustRoot);
  senderCertificate = ownedBytes(authOk.senderCertificate);
  return { address: me.address, trustRoot: toBase64Url(trustRoot) };
}

/** Our own messages (and the group's operations) come back: acknowledged once per turn, as the
 * client does after storing them. */
function onGroupDeliver(deliver: wire.GroupDeliver): void {
  const group = groups.get(toHex(deliver.groupId));
  if (group === undefined) return;
  group.delivered = Math.max(group.delivered, Number(deliver.index));
  if (group.ackQueued) return;
  group.ackQueued = true;
  setImmediate(() => {
    group.ackQueued = false;
    const index = group.delivered;
    authenticated
      ?.request({ case: 'ackGroup', value: { groupId: group.groupId, index: BigInt(index) } }, 'ok')
      .then(
        () => {
          group.acknowledged = Math.max(group.acknowledged, index);
          const waiting = group.ackWaiters.splice(0);
          for (const waiter of waiting) {
            if (waiter.index <= group.acknowledged) waiter.resolve();
            else group.ackWaiters.push(waiter);
          }
        },
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      );
  });
}

async function createGroup(params: CreateGroupParams): Promise<CreatedGroup> {
  const { persona: me, authenticated: connection } = ready();
  const groupId = ownedBytes(randomBytes(16));
  const secret = GroupSecret.generate();
  const submit = async (state: GroupState | undefined, signed: Uint8Array): Promise<GroupState> => {
    const applied = applyGroupOperation(state, signed);
    await connection.request(
      { case: 'submitGroupOperation', value: { operation: signed } },
      'groupAppended',
    );
    return applied.state;
  };
  let state = await submit(
    undefined,
    signGroupOperation(me, {
      groupId,
      state: undefined,
      action: {
        case: 'create',
        value: {
          logKeyHash: logKeyHash(secret.logKey()),
          sealedInfo: await sealGroupInfo(secret, groupId, {
            name: params.name,
            description: 'Benchmark group',
            rules: '',
          }),
          policy: {
            joinByApproval: false,
            slowModeSeconds: 0,
            posting: wire.GroupPosting.EVERYONE,
          },
          sealedProfile: await sealMemberProfile(secret, groupId, me.identityPublicKey, {
            pseudonym: me.pseudonym,
            accessKey: ownedBytes(randomBytes(32)),
            profileKey: me.profileKey,
          }),
        },
      },
    }),
  );
  const invite = generateInviteKeyPair();
  const inviteId = ownedBytes(randomBytes(16));
  const expiresAt = Date.now() + INVITE_LIFETIME_MS;
  state = await submit(
    state,
    signGroupOperation(me, {
      groupId,
      state,
      action: {
        case: 'invite',
        value: {
          inviteId,
          inviteKey: invite.publicKey,
          expiresAt: BigInt(expiresAt),
          maxUses: params.maxUses,
        },
      },
    }),
  );
  groups.set(toHex(groupId), {
    groupId,
    secret,
    distributionId: distributionIdFor(groupId),
    state,
    sequence: 0,
    delivered: 0,
    acknowledged: 0,
    ackQueued: false,
    ackWaiters: [],
  });
  const link = createGroupInviteLink(me, {
    relayUrl,
    trustRoot,
    groupId,
    inviteId,
    invitePrivateKey: invite.privateKey,
    expiresAt,
    maxUses: params.maxUses,
  });
  return { groupId: toHex(groupId), link, secret: toHex(secret.bytes) };
}

/** Fetches the operations the relay has beyond ours and applies each, as GroupLog.sync does. */
async function syncGroup(params: GroupRef): Promise<SyncedGroup> {
  const { authenticated: connection } = ready();
  const group = groupOf(params.groupId);
  for (;;) {
    const page = await connection.request(
      {
        case: 'fetchGroupLog',
        value: {
          groupId: group.groupId,
          logKey: group.secret.logKey(),
          fromSequence: BigInt(group.state.length),
        },
      },
      'groupLogPage',
    );
    for (const signed of page.operations) {
      group.state = applyGroupOperation(group.state, signed).state;
    }
    if (page.operations.length === 0 || group.state.length >= Number(page.logLength)) break;
  }
  // Everything the relay delivered so far (the joins) acknowledged, so no run starts with a
  // backlog of our own stream.
  await waitUntil(
    () => group.acknowledged >= group.delivered && !group.ackQueued,
    SETTLE_TIMEOUT_MS,
    () => `sender acknowledged ${group.acknowledged} of ${group.delivered}`,
    () => failure,
  );
  return { logLength: group.state.length, members: group.state.members.size };
}

/** Our sender key for the group (a SenderKeyDistributionMessage), base64url. */
async function distribution(params: GroupRef): Promise<string> {
  const group = groupOf(params.groupId);
  return toBase64Url(await ready().cipher.createSenderKeyDistribution(group.distributionId));
}

async function startOneToOne(params: StartOneToOneParams): Promise<void> {
  const { cipher: mine, anonymous: connection } = ready();
  const accessKey = fromBase64Url(params.accessKey);
  if (accessKey === undefined) throw new Error('bad access key');
  const bundle = await connection.request(
    { case: 'fetchPreKeyBundle', value: { address: params.address, accessKey } },
    'preKeyBundle',
  );
  if (bundle.signedPreKey === undefined || bundle.kyberPreKey === undefined) {
    throw new Error('prekey bundle incomplete');
  }
  await mine.startSession({
    address: bundle.address,
    registrationId: bundle.registrationId,
    identityKey: bundle.identityKey,
    signedPreKey: bundle.signedPreKey,
    kyberPreKey: bundle.kyberPreKey,
    ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
  });
  oneToOne = { address: params.address, accessKey, sequence: 0 };
}

// ---- sending -------------------------------------------------------------------------------

interface Sent {
  readonly postedAt: number;
  readonly index: number;
  readonly buildMs: number;
}

/**
 * One group message, the way GroupPoster.#postOne makes it (minus the vault transaction and the
 * outbox, which are storage): content, sender-key encryption, sealed sender address, envelope,
 * PostGroupMessage, GroupAppended.
 */
async function postGroupMessage(group: SenderGroup): Promise<Sent> {
  const { persona: me, cipher: mine, authenticated: connection } = ready();
  const started = performance.now();
  group.sequence += 1;
  const plaintext = encodeGroupContent({
    messageId: ownedBytes(randomBytes(MESSAGE_ID_BYTES)),
    sentAt: Date.now(),
    sequence: group.sequence,
    logLength: group.state.length,
    logHead: group.state.head,
    body: { kind: 'text', text: MESSAGE_TEXT },
  });
  const ciphertext = await mine.groupEncrypt(group.distributionId, plaintext);
  const envelope = await encodeGroupEnvelope(group.secret, group.groupId, me.address, ciphertext);
  const buildMs = performance.now() - started;
  const postedAt = epochNow();
  const appended = await connection.request(
    {
      case: 'postGroupMessage',
      value: { groupId: group.groupId, logLength: BigInt(group.state.length), envelope },
    },
    'groupAppended',
  );
  return { postedAt, index: Number(appended.index), buildMs };
}

/** One 1:1 message, the way the client's outbox sends it: Content, sealed sender, SendEnvelope
 * on the anonymous connection, SendAck. */
async function sendOneToOne(): Promise<Sent> {
  const { cipher: mine, anonymous: connection } = ready();
  const peer = oneToOne;
  if (peer === undefined) throw new Error('no 1:1 session');
  const started = performance.now();
  peer.sequence += 1;
  const { bytes } = encodeContent({
    messageId: ownedBytes(randomBytes(MESSAGE_ID_BYTES)),
    sequence: peer.sequence,
    sentAt: Date.now(),
    body: { case: 'message', value: encodeMessageBody({ kind: 'text', text: MESSAGE_TEXT }) },
  });
  const sealed = await mine.seal(peer.address, bytes, senderCertificate);
  const buildMs = performance.now() - started;
  const postedAt = epochNow();
  await connection.request(
    {
      case: 'sendEnvelope',
      value: { recipient: peer.address, accessKey: peer.accessKey, sealed },
    },
    'sendAck',
  );
  return { postedAt, index: 0, buildMs };
}

async function post(params: PostParams): Promise<PostResult> {
  const group = params.groupId === undefined ? undefined : groupOf(params.groupId);
  const cpu = process.cpuUsage();
  const sent = group === undefined ? await sendOneToOne() : await postGroupMessage(group);
  const answered = process.cpuUsage(cpu);
  if (group !== undefined) await ownCopyAcknowledged(group, sent.index);
  const used = process.cpuUsage(cpu);
  return {
    ...sent,
    cpuMicros: used.user + used.system,
    answeredCpuMicros: answered.user + answered.system,
  };
}

/** Our own copy of message `index` delivered and its acknowledgement answered by the relay. */
function ownCopyAcknowledged(group: SenderGroup, index: number): Promise<void> {
  if (group.acknowledged >= index) return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve) => {
      group.ackWaiters.push({ index, resolve });
    }),
    SETTLE_TIMEOUT_MS,
    `the sender's own copy of ${index} was not acknowledged`,
  );
}

async function burst(params: BurstParams): Promise<BurstResult> {
  ready();
  if (!Number.isInteger(params.count) || params.count < 1) throw new RangeError('bad count');
  if (!Number.isInteger(params.window) || params.window < 1) throw new RangeError('bad window');
  const group = params.groupId === undefined ? undefined : groupOf(params.groupId);
  const one = group === undefined ? sendOneToOne : () => postGroupMessage(group);
  let firstPostAt = Number.NaN;
  let lastIndex = 0;
  let started = 0;
  const cpu = process.cpuUsage();
  const began = performance.now();
  const lane = async (): Promise<void> => {
    while (started < params.count) {
      started += 1;
      const sent = await one();
      if (Number.isNaN(firstPostAt) || sent.postedAt < firstPostAt) firstPostAt = sent.postedAt;
      lastIndex = Math.max(lastIndex, sent.index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(params.window, params.count) }, lane));
  // Our own copy of the last message, delivered and acknowledged: part of what a post costs.
  if (group !== undefined) await ownCopyAcknowledged(group, lastIndex);
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - began;
  return {
    count: params.count,
    cpuMicros: used.user + used.system,
    wallMs,
    firstPostAt,
    lastIndex,
  };
}

async function stop(): Promise<void> {
  authenticated?.close();
  anonymous?.close();
  await Promise.resolve();
}

serveRpc(
  {
    connect: (params) => connect(params as SenderConnectParams),
    createGroup: (params) => createGroup(params as CreateGroupParams),
    syncGroup: (params) => syncGroup(params as GroupRef),
    distribution: (params) => distribution(params as GroupRef),
    startOneToOne: (params) => startOneToOne(params as StartOneToOneParams),
    post: (params) => post(params as PostParams),
    burst: (params) => burst(params as BurstParams),
    clock: (): ClockReading => ({ now: epochNow() }),
  },
  { pid: process.pid },
  stop,
);
