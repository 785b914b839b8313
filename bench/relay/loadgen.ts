/**
 * The relay suite's load generator, a child process of its own (so the server it drives has its
 * CPU to itself): anonymous senders pipelining SendEnvelope, authenticated recipients acknowledging
 * their deliveries, against the relay or the bare forwarder alike.
 *
 * Methods (called by bench/suites/relay.ts through rpc.ts):
 * - `connect`: opens the recipients' connections (authenticating, which registers them on the
 *   relay) and the senders' (anonymous) to one target;
 * - `saturate`: every sender keeps `window` envelopes in flight (a new one leaves as each SendAck
 *   arrives) for a warm-up and a timed window, then stops and waits for everything to be acked,
 *   delivered and acknowledged;
 * - `rate`: envelopes leave at a fixed total rate (round robin over the senders, paced by a 1 ms
 *   timer) and every envelope sent inside the timed window gives a latency sample;
 * - `disconnect`.
 *
 * Each envelope's sealed bytes are 1 KiB: the send time (performance.now(), this process's clock:
 * senders and recipients live here, so the same clock stamps and reads it), the sender and its
 * sequence number, then fixed random bytes that every recipient checks byte for byte.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { RawData } from 'ws';
import {
  Persona,
  accessKeyHash,
  authSigningBytes,
  decodeServerFrame,
  encodeClientFrame,
} from '../../core/index.js';
import type { wire } from '../../core/index.js';
import { CorkingSender } from './cork.js';
import { serveRpc } from './rpc.js';
import {
  ServerField,
  ackFrame,
  checkWireCodec,
  readDeliver,
  readFrame,
  sendFrame,
  sendTemplate,
} from './wire.js';
import type { SendTemplate } from './wire.js';

export type TargetName = 'relay' | 'bare';

export interface ConnectParams {
  readonly target: TargetName;
  readonly url: string;
  /**
   * Several relay nodes of one cluster (bench/suites/cluster.ts): recipient and sender i connect
   * to `urls[i % urls.length]` instead of `url`, so the load spreads over every node.
   */
  readonly urls?: readonly string[];
  readonly senders: number;
  readonly recipients: number;
}

export interface SaturateParams {
  readonly target: TargetName;
  /** Envelopes each sender keeps in flight. */
  readonly window: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

export interface SaturateResult {
  /** Envelopes acknowledged and delivered per second in the timed window (the lower of the two). */
  readonly rate: number;
  /** Every envelope of the phase (warm-up, window and drain): all acked, delivered, acknowledged. */
  readonly messages: number;
  readonly windowSeconds: number;
  /** This process's CPU over the phase, in µs, and the phase's wall time in ms. */
  readonly cpuMicros: number;
  readonly wallMs: number;
}

export interface RateParams {
  readonly target: TargetName;
  /** Envelopes per second, all senders together. */
  readonly rate: number;
  /** Sent before the timed window, not sampled. */
  readonly rampMs: number;
  readonly measureMs: number;
  /** A sender with this many envelopes unacknowledged skips its turn (counted as not sustained). */
  readonly maxInFlight: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
}

export interface RateResult {
  readonly offered: number;
  /** Envelopes delivered per second during the timed window. */
  readonly delivered: number;
  readonly skipped: number;
  /** Whether the target kept up: nothing skipped, ≥ 95 % of the offered rate delivered. */
  readonly sustained: boolean;
  /** Milliseconds from the send to its SendAck, and to its delivery to the recipient. */
  readonly sendAck: Percentiles;
  readonly deliver: Percentiles;
  readonly messages: number;
  readonly cpuMicros: number;
  readonly wallMs: number;
}

/** Bytes of sealed envelope each message carries. */
export const SEALED_BYTES = 1024;
/** Header stamped into each envelope: send time (float64), sender (uint32), sequence (uint32). */
const HEADER_BYTES = 16;
/** Send times are kept by request id modulo this: the most envelopes a sender has in flight. */
const RING = 8192;
const MAX_ACKS_PER_FRAME = 1000;
const DRAIN_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

const FILLER = Buffer.from(randomBytes(SEALED_BYTES));

interface Identity {
  readonly persona: Persona;
  readonly accessKey: Uint8Array;
}

/** Recipients are the same personas on both targets. */
const identities: Identity[] = [];

class Target {
  readonly senders: Sender[] = [];
  readonly recipients: Recipient[] = [];
  readonly templates: SendTemplate[] = [];
  /** Set when a connection closed while it should not have. */
  broken: Error | undefined;
  closing = false;
}

const targets = new Map<TargetName, Target>();
let phase: Phase | undefined;

// ---- connections ---------------------------------------------------------------------------

/** One WebSocket: set-up frames go to a waiter (decoded by core), then to the hot path. */
class Connection extends CorkingSender {
  #waiter: ((frame: wire.ServerFrame) => void) | undefined;
  #onHot: (bytes: Buffer) => void = () => undefined;
  nextRequestId = 1;
  /** The server's first frame (signed over by recipients to authenticate). */
  challenge: wire.Challenge | undefined;

  constructor(ws: WebSocket, target: Target, what: string) {
    super(ws);
    ws.on('message', (data: RawData) => {
      const bytes = data as Buffer;
      const waiter = this.#waiter;
      if (waiter === undefined) {
        this.#onHot(bytes);
        return;
      }
      this.#waiter = undefined;
      waiter(decodeServerFrame(bytes));
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (target.closing) return;
      const error = new Error(`a ${what} connection closed (${code})`);
      target.broken = error;
      phase?.fail(error);
    });
  }

  static async open(url: string, target: Target, what: string): Promise<Connection> {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    const challenge = new Promise<wire.ServerFrame>((resolve) => {
      ws.once('message', (data: RawData) => {
        resolve(decodeServerFrame(data as Buffer));
      });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
    });
    const connection = new Connection(ws, target, what);
    const first = await withTimeout(challenge, CONNECT_TIMEOUT_MS, 'no challenge');
    if (first.body.case !== 'challenge') {
      throw new Error(`expected a challenge, got ${describe(first)}`);
    }
    connection.challenge = first.body.value;
    return connection;
  }

  /** Sends a set-up frame and waits for the next frame. */
  request(bytes: Uint8Array): Promise<wire.ServerFrame> {
    const answer = new Promise<wire.ServerFrame>((resolve) => {
      this.#waiter = resolve;
    });
    this.send(bytes);
    return withTimeout(answer, CONNECT_TIMEOUT_MS, 'no answer');
  }

  hot(handler: (bytes: Buffer) => void): void {
    this.#onHot = handler;
  }
}

class Sender {
  readonly sentAt = new Float64Array(RING);
  inFlight = 0;
  /** Envelopes sent so far (picks the recipient, round robin, and the sequence number). */
  count = 0;

  constructor(
    readonly index: number,
    readonly connection: Connection,
    readonly target: Target,
  ) {
    connection.hot((bytes) => {
      this.#receive(bytes);
    });
  }

  send(): void {
    const templates = this.target.templates;
    const template = templates[(this.index + this.count) % templates.length];
    if (template === undefined) throw new Error('no recipients');
    const requestId = this.connection.nextRequestId++;
    const { frame, sealedAt } = sendFrame(requestId, template);
    const now = performance.now();
    frame.writeDoubleLE(now, sealedAt);
    frame.writeUInt32LE(this.index, sealedAt + 8);
    frame.writeUInt32LE(this.count, sealedAt + 12);
    this.count += 1;
    this.sentAt[requestId % RING] = now;
    this.inFlight += 1;
    this.connection.send(frame);
  }

  #receive(bytes: Buffer): void {
    const view = readFrame(bytes);
    if (view.field === ServerField.sendAck) {
      const now = performance.now();
      this.inFlight -= 1;
      phase?.onSendAck(this, this.sentAt[view.requestId % RING] ?? now, now);
      return;
    }
    if (view.field === ServerField.error) {
      phase?.fail(new Error(`a send was refused: ${describe(decodeServerFrame(bytes))}`));
    }
  }
}

class Recipient {
  #acks: number[] = [];
  #flushQueued = false;
  /** AckEnvelopes frames sent and not yet answered with Ok. */
  acksOutstanding = 0;

  constructor(readonly connection: Connection) {
    connection.hot((bytes) => {
      this.#receive(bytes);
    });
  }

  get idle(): boolean {
    return this.#acks.length === 0 && this.acksOutstanding === 0;
  }

  #receive(bytes: Buffer): void {
    const view = readFrame(bytes);
    switch (view.field) {
      case ServerField.deliver: {
        const now = performance.now();
        const deliver = readDeliver(bytes, view);
        if (
          deliver.sealedEnd - deliver.sealedStart !== SEALED_BYTES ||
          bytes.compare(
            FILLER,
            HEADER_BYTES,
            SEALED_BYTES,
            deliver.sealedStart + HEADER_BYTES,
            deliver.sealedEnd,
          ) !== 0
        ) {
          phase?.fail(new Error('an envelope arrived corrupted'));
          return;
        }
        this.#acks.push(deliver.envelopeId);
        if (!this.#flushQueued) {
          this.#flushQueued = true;
          setImmediate(() => {
            this.#flush();
          });
        }
        phase?.onDeliver(bytes.readDoubleLE(deliver.sealedStart), now);
        return;
      }
      case ServerField.ok:
        this.acksOutstanding -= 1;
        return;
      case ServerField.error:
        phase?.fail(new Error(`the relay sent an error: ${describe(decodeServerFrame(bytes))}`));
        return;
      default:
      // PreKeyStatus and the like: nothing to do.
    }
  }

  /** Acknowledges everything delivered this turn, in as few frames as the protocol allows. */
  #flush(): void {
    this.#flushQueued = false;
    const ids = this.#acks;
    this.#acks = [];
    for (let i = 0; i < ids.length; i += MAX_ACKS_PER_FRAME) {
      this.acksOutstanding += 1;
      this.connection.send(
        ackFrame(this.connection.nextRequestId++, ids.slice(i, i + MAX_ACKS_PER_FRAME)),
      );
    }
  }
}

async function connect(params: ConnectParams): Promise<{ connectMs: number }> {
  const started = performance.now();
  if (targets.has(params.target)) throw new Error(`already connected to ${params.target}`);
  while (identities.length < params.recipients) {
    identities.push({
      persona: Persona.generate(`bench recipient ${identities.length + 1}`),
      accessKey: new Uint8Array(randomBytes(32)),
    });
  }
  const target = new Target();
  targets.set(params.target, target);
  const urlFor = (index: number): string =>
    params.urls === undefined || params.urls.length === 0
      ? params.url
      : (params.urls[index % params.urls.length] ?? params.url);
  for (const [index, identity] of identities.slice(0, params.recipients).entries()) {
    const connection = await Connection.open(urlFor(index), target, 'recipient');
    const answer = await connection.request(authFrame(connection, identity));
    if (answer.body.case !== 'authOk') throw new Error(`authentication: ${describe(answer)}`);
    target.recipients.push(new Recipient(connection));
    target.templates.push(sendTemplate(identity.persona.address, identity.accessKey, FILLER));
  }
  for (let index = 0; index < params.senders; index++) {
    const connection = await Connection.open(urlFor(index), target, 'sender');
    target.senders.push(new Sender(index, connection, target));
  }
  return { connectMs: performance.now() - started };
}

/** AuthResponse with a Registration (open policy: no gate), signed by the persona's key. */
function authFrame(connection: Connection, identity: Identity): Uint8Array {
  const challenge = connection.challenge;
  if (challenge === undefined) throw new Error('no challenge');
  const identityKey = identity.persona.identityPublicKey;
  const signature = identity.persona.sign(
    authSigningBytes({
      relayId: challenge.relayId,
      nonce: challenge.nonce,
      serverTime: challenge.serverTime,
      identityKey,
    }),
  );
  return encodeClientFrame({
    requestId: connection.nextRequestId++,
    body: {
      case: 'auth',
      value: {
        identityKey,
        signature,
        registration: {
          registrationId: identity.persona.registrationId,
          accessKeyHash: accessKeyHash(identity.accessKey),
          gate: { case: undefined },
        },
      },
    },
  });
}

async function disconnect(name: TargetName): Promise<void> {
  const target = targets.get(name);
  if (target === undefined) return;
  targets.delete(name);
  target.closing = true;
  const connections = [
    ...target.senders.map((sender) => sender.connection),
    ...target.recipients.map((recipient) => recipient.connection),
  ];
  await Promise.all(
    connections.map(
      (connection) =>
        new Promise<void>((resolve) => {
          const ws = connection.ws;
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

// ---- phases ----------------------------------------------------------------------------------

/** Counters of one saturation or fixed-rate phase; at most one phase runs at a time. */
class Phase {
  sent = 0;
  acked = 0;
  delivered = 0;
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;
  ackedInWindow = 0;
  deliveredInWindow = 0;
  /** Saturation: each SendAck sends the next envelope. */
  refill = false;
  sending = true;
  failure: Error | undefined;
  readonly #ackLatency: LatencySamples | undefined;
  readonly #deliverLatency: LatencySamples | undefined;

  constructor(latencyCapacity = 0) {
    if (latencyCapacity > 0) {
      this.#ackLatency = new LatencySamples(latencyCapacity);
      this.#deliverLatency = new LatencySamples(latencyCapacity);
    }
  }

  send(sender: Sender): void {
    this.sent += 1;
    sender.send();
  }

  onSendAck(sender: Sender, sentAt: number, now: number): void {
    this.acked += 1;
    if (now >= this.windowStart && now < this.windowEnd) this.ackedInWindow += 1;
    if (sentAt >= this.windowStart && sentAt < this.windowEnd) this.#ackLatency?.add(now - sentAt);
    if (this.refill && this.sending) this.send(sender);
  }

  onDeliver(sentAt: number, now: number): void {
    this.delivered += 1;
    if (now >= this.windowStart && now < this.windowEnd) this.deliveredInWindow += 1;
    if (sentAt >= this.windowStart && sentAt < this.windowEnd) {
      this.#deliverLatency?.add(now - sentAt);
    }
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.sending = false;
  }

  latencies(): { sendAck: Percentiles; deliver: Percentiles } {
    if (this.#ackLatency === undefined || this.#deliverLatency === undefined) {
      throw new Error('this phase keeps no latencies');
    }
    return { sendAck: this.#ackLatency.percentiles(), deliver: this.#deliverLatency.percentiles() };
  }

  /** Resolves once every envelope sent is acked, delivered and acknowledged (Ok received). */
  async drain(target: Target): Promise<void> {
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (
        this.acked === this.sent &&
        this.delivered === this.sent &&
        target.recipients.every((recipient) => recipient.idle)
      ) {
        return;
      }
      if (performance.now() > deadline) {
        throw new Error(
          `not drained after ${DRAIN_TIMEOUT_MS} ms: sent ${this.sent}, acked ${this.acked}, ` +
            `delivered ${this.delivered}`,
        );
      }
      await sleep(2);
    }
  }
}

class LatencySamples {
  readonly #values: Float64Array;
  #count = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.#count < this.#values.length) this.#values[this.#count++] = ms;
  }

  percentiles(): Percentiles {
    const sorted = this.#values.subarray(0, this.#count).sort();
    const at = (q: number): number =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ??
      Number.NaN;
    return { p50: at(0.5), p99: at(0.99), samples: sorted.length };
  }
}

function readyTarget(name: TargetName): Target {
  const target = targets.get(name);
  if (target === undefined) throw new Error(`not connected to ${name}`);
  if (target.broken !== undefined) throw target.broken;
  if (phase !== undefined) throw new Error('a phase is already running');
  return target;
}

async function saturate(params: SaturateParams): Promise<SaturateResult> {
  const target = readyTarget(params.target);
  if (params.window < 1 || params.window > RING) throw new RangeError('window out of range');
  const current = new Phase();
  current.refill = true;
  phase = current;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    for (const sender of target.senders) {
      for (let i = 0; i < params.window; i++) current.send(sender);
    }
    await sleep(params.warmupMs);
    current.windowStart = performance.now();
    await sleep(params.measureMs);
    current.windowEnd = performance.now();
    current.sending = false;
    await current.drain(target);
  } finally {
    phase = undefined;
  }
  const windowMs = current.windowEnd - current.windowStart;
  const used = process.cpuUsage(cpu);
  return {
    rate: (Math.min(current.ackedInWindow, current.deliveredInWindow) * 1000) / windowMs,
    messages: current.sent,
    windowSeconds: windowMs / 1000,
    cpuMicros: used.user + used.system,
    wallMs: performance.now() - started,
  };
}

async function fixedRate(params: RateParams): Promise<RateResult> {
  const target = readyTarget(params.target);
  if (params.maxInFlight < 1 || params.maxInFlight > RING) {
    throw new RangeError('maxInFlight out of range');
  }
  const expected = (params.rate * params.measureMs) / 1000;
  const current = new Phase(Math.ceil(expected * 1.2) + 1000);
  phase = current;
  const cpu = process.cpuUsage();
  const started = performance.now();
  current.windowStart = started + params.rampMs;
  current.windowEnd = current.windowStart + params.measureMs;
  let skipped = 0;
  try {
    let scheduled = 0;
    const senders = target.senders;
    for (;;) {
      const now = performance.now();
      const until = Math.min(now, current.windowEnd);
      const due = Math.floor(((until - started) * params.rate) / 1000) - scheduled;
      for (let i = 0; i < due && current.sending; i++) {
        const sender = senders[scheduled % senders.length];
        scheduled += 1;
        if (sender === undefined) throw new Error('no senders');
        if (sender.inFlight >= params.maxInFlight) skipped += 1;
        else current.send(sender);
      }
      if (now >= current.windowEnd || !current.sending) break;
      await sleep(1);
    }
    current.sending = false;
    await current.drain(target);
  } finally {
    phase = undefined;
  }
  const delivered = (current.deliveredInWindow * 1000) / params.measureMs;
  const used = process.cpuUsage(cpu);
  return {
    offered: params.rate,
    delivered,
    skipped,
    sustained: skipped === 0 && delivered >= 0.95 * params.rate,
    ...current.latencies(),
    messages: current.sent,
    cpuMicros: used.user + used.system,
    wallMs: performance.now() - started,
  };
}

// ---- helpers -------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what} within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(frame: wire.ServerFrame): string {
  return frame.body.case === 'error'
    ? `${frame.body.value.code} (${frame.body.value.message})`
    : String(frame.body.case);
}

checkWireCodec();
serveRpc(
  {
    connect: (params) => connect(params as ConnectParams),
    saturate: (params) => saturate(params as SaturateParams),
    rate: (params) => fixedRate(params as RateParams),
    disconnect: (params) => disconnect((params as { target: TargetName }).target),
  },
  { pid: process.pid },
  async () => {
    await Promise.all([...targets.keys()].map((name) => disconnect(name)));
  },
);
