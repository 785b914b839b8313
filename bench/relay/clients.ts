/**
 * Child process for the connections and drain suites: many clients on one machine, each a
 * persona (keys in memory) with its own WebSocket, authenticated over the real handshake
 * (Challenge → AuthResponse signed with the identity key, with a Registration on the open policy).
 *
 * Methods (called through rpc.ts):
 * - `addresses`: the persona addresses of identities `from` … `from + count - 1` (made on demand,
 *   kept for the life of the process, so the same personas connect to every server);
 * - `openIdle`: opens and authenticates connections for a range of identities, `concurrency` at a
 *   time, and keeps them open, reading nothing but what the server sends (a PreKeyStatus, pings:
 *   `ws` answers those itself);
 * - `closeIdle`: closes them all;
 * - `drain`: one identity connects, authenticates and reads its queued mailbox to the end,
 *   acknowledging each turn's deliveries in one AckEnvelopes (as core's client does), and reports
 *   when each stage ended.
 *
 * The set-up frames go through core's encoder and decoder; the drain's hot frames (Deliver,
 * AckEnvelopes, Ok) through the hand codec in wire.ts, which checkWireCodec() proves at start-up.
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
import { sealedNumber } from './drainPayload.js';
import { serveRpc } from './rpc.js';
import { ServerField, ackFrame, checkWireCodec, readDeliver, readFrame } from './wire.js';

export interface AddressesParams {
  readonly from: number;
  readonly count: number;
}

export interface OpenIdleParams {
  readonly url: string;
  readonly from: number;
  readonly count: number;
  /** Handshakes in progress at once. */
  readonly concurrency: number;
}

export interface OpenIdleResult {
  readonly opened: number;
  readonly ms: number;
}

export interface DrainParams {
  readonly url: string;
  /** Which identity reads its mailbox. */
  readonly index: number;
  readonly expected: number;
  readonly timeoutMs: number;
}

/** Milliseconds from the AuthResponse leaving to each stage's end. */
export interface DrainResult {
  readonly authOkMs: number;
  readonly lastDeliverMs: number;
  /** The last delivery read and every acknowledgement answered (the mailbox is empty). */
  readonly doneMs: number;
  /** AckEnvelopes frames sent. */
  readonly ackFrames: number;
}

const CONNECT_TIMEOUT_MS = 20_000;
const MAX_ACKS_PER_FRAME = 1000;

interface Identity {
  readonly persona: Persona;
  readonly accessKey: Uint8Array;
}

const identities: Identity[] = [];
const idle: IdleClient[] = [];
/** Set while closing on purpose, so the closes are not failures. */
let closingIdle = false;
/** The first unexpected close or error frame among the idle clients. */
let idleFailure: Error | undefined;

function identity(index: number): Identity {
  while (identities.length <= index) {
    identities.push({
      persona: Persona.generate(`bench client ${identities.length + 1}`),
      accessKey: new Uint8Array(randomBytes(32)),
    });
  }
  const found = identities[index];
  if (found === undefined) throw new Error(`no identity ${index}`);
  return found;
}

/** AuthResponse with a Registration (open policy: no gate), signed by the persona's key. */
function authFrame(challenge: wire.Challenge, who: Identity, requestId: number): Uint8Array {
  const identityKey = who.persona.identityPublicKey;
  const signature = who.persona.sign(
    authSigningBytes({
      relayId: challenge.relayId,
      nonce: challenge.nonce,
      serverTime: challenge.serverTime,
      identityKey,
    }),
  );
  return encodeClientFrame({
    requestId,
    body: {
      case: 'auth',
      value: {
        identityKey,
        signature,
        registration: {
          registrationId: who.persona.registrationId,
          accessKeyHash: accessKeyHash(who.accessKey),
          gate: { case: undefined },
        },
      },
    },
  });
}

/**
 * Starts opening a socket. The caller attaches its listeners at once, before awaiting `opened`:
 * the server's Challenge may come with the upgrade response and be emitted right after 'open'.
 */
function openSocket(url: string): { ws: WebSocket; opened: Promise<void> } {
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  return { ws, opened };
}

/** One authenticated connection that stays open and idle. */
class IdleClient {
  constructor(readonly ws: WebSocket) {}

  static async open(url: string, who: Identity): Promise<IdleClient> {
    const frames: wire.ServerFrame[] = [];
    let waiter: (() => void) | undefined;
    let authenticated = false;
    const { ws, opened } = openSocket(url);
    ws.on('message', (data: RawData) => {
      const bytes = data as Buffer;
      if (authenticated) {
        // Idle: only an error matters (PreKeyStatus and the like are expected).
        if (readFrame(bytes).field === ServerField.error) {
          idleFailure ??= new Error(`an idle client got ${describe(decodeServerFrame(bytes))}`);
        }
        return;
      }
      frames.push(decodeServerFrame(bytes));
      waiter?.();
    });
    ws.on('error', () => undefined);
    await opened;
    ws.on('close', (code) => {
      if (!closingIdle) idleFailure ??= new Error(`an idle connection closed (${code})`);
    });
    const next = async (): Promise<wire.ServerFrame> => {
      const deadline = Date.now() + CONNECT_TIMEOUT_MS;
      while (frames.length === 0) {
        if (Date.now() > deadline) throw new Error('no frame from the server in time');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        waiter = undefined;
      }
      const frame = frames.shift();
      if (frame === undefined) throw new Error('no frame');
      return frame;
    };
    const challenge = await next();
    if (challenge.body.case !== 'challenge') {
      throw new Error(`expected a challenge, got ${describe(challenge)}`);
    }
    ws.send(authFrame(challenge.body.value, who, 1));
    const answer = await next();
    if (answer.body.case !== 'authOk') throw new Error(`authentication: ${describe(answer)}`);
    authenticated = true;
    return new IdleClient(ws);
  }
}

async function openIdle(params: OpenIdleParams): Promise<OpenIdleResult> {
  if (idle.length > 0) throw new Error('idle connections are already open');
  closingIdle = false;
  idleFailure = undefined;
  // Keys are made before the clock starts; signing each challenge is part of its handshake.
  for (let n = 0; n < params.count; n++) identity(params.from + n);
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < params.count && idleFailure === undefined) {
      const index = params.from + next++;
      idle.push(await IdleClient.open(params.url, identity(index)));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, params.concurrency) }, worker));
  const failure = currentIdleFailure();
  if (failure !== undefined) throw failure;
  return { opened: idle.length, ms: performance.now() - started };
}

/** A function, not a read of the variable: socket callbacks set it while openIdle awaits. */
function currentIdleFailure(): Error | undefined {
  return idleFailure;
}

async function closeIdle(): Promise<{ failure: string | null }> {
  closingIdle = true;
  const failure = idleFailure?.message ?? null;
  const clients = idle.splice(0);
  await Promise.all(clients.map((client) => closeSocket(client.ws)));
  return { failure };
}

async function closeSocket(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
    }, 2000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close();
  });
}

/** One recipient reads its whole mailbox, acknowledging as it goes. */
async function drain(params: DrainParams): Promise<DrainResult> {
  const who = identity(params.index);
  const { ws, opened } = openSocket(params.url);
  let nextRequestId = 1;
  let started = 0;
  let authOkAt = 0;
  let lastDeliverAt = 0;
  let delivered = 0;
  let acksOutstanding = 0;
  let ackFrames = 0;
  let pending: number[] = [];
  let flushQueued = false;
  let state: 'challenge' | 'auth' | 'draining' = 'challenge';
  try {
    // Every listener is attached in the executor, synchronously, before the socket can open.
    return await new Promise<DrainResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `the mailbox did not drain within ${params.timeoutMs} ms: ${delivered} of ` +
              `${params.expected} delivered, ${acksOutstanding} acknowledgements unanswered`,
          ),
        );
      }, params.timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      const finishIfDone = (): void => {
        if (delivered < params.expected || acksOutstanding > 0 || pending.length > 0) return;
        clearTimeout(timer);
        const doneAt = performance.now();
        resolve({
          authOkMs: authOkAt - started,
          lastDeliverMs: lastDeliverAt - started,
          doneMs: doneAt - started,
          ackFrames,
        });
      };
      const flush = (): void => {
        flushQueued = false;
        const ids = pending;
        pending = [];
        for (let i = 0; i < ids.length; i += MAX_ACKS_PER_FRAME) {
          acksOutstanding += 1;
          ackFrames += 1;
          ws.send(ackFrame(nextRequestId++, ids.slice(i, i + MAX_ACKS_PER_FRAME)));
        }
      };
      ws.on('close', (code) => {
        fail(new Error(`the draining connection closed (${code})`));
      });
      ws.on('error', () => undefined);
      ws.on('message', (data: RawData) => {
        const bytes = data as Buffer;
        if (state === 'challenge') {
          const challenge = decodeServerFrame(bytes);
          if (challenge.body.case !== 'challenge') {
            fail(new Error(`expected a challenge, got ${describe(challenge)}`));
            return;
          }
          const auth = authFrame(challenge.body.value, who, nextRequestId++);
          state = 'auth';
          started = performance.now();
          ws.send(auth);
          return;
        }
        if (state === 'auth') {
          const answer = decodeServerFrame(bytes);
          if (answer.body.case !== 'authOk') {
            fail(new Error(`authentication: ${describe(answer)}`));
            return;
          }
          authOkAt = performance.now();
          state = 'draining';
          return;
        }
        const view = readFrame(bytes);
        switch (view.field) {
          case ServerField.deliver: {
            const deliver = readDeliver(bytes, view);
            const number = sealedNumber(bytes, deliver.sealedStart, deliver.sealedEnd);
            if (number !== delivered) {
              fail(new Error(`envelope ${delivered} expected, got ${number} (-1: corrupted)`));
              return;
            }
            delivered += 1;
            if (delivered === params.expected) lastDeliverAt = performance.now();
            pending.push(deliver.envelopeId);
            if (!flushQueued) {
              flushQueued = true;
              setImmediate(flush);
            }
            return;
          }
          case ServerField.ok:
            acksOutstanding -= 1;
            finishIfDone();
            return;
          case ServerField.error:
            fail(new Error(`the relay sent an error: ${describe(decodeServerFrame(bytes))}`));
            return;
          default:
          // PreKeyStatus and the like: nothing to do.
        }
      });
      opened.catch((error: unknown) => {
        fail(error instanceof Error ? error : new Error(String(error)));
      });
    });
  } finally {
    ws.removeAllListeners('close');
    ws.on('close', () => undefined);
    await closeSocket(ws);
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
    addresses: (params) => {
      const { from, count } = params as AddressesParams;
      return Array.from({ length: count }, (_, n) => identity(from + n).persona.address);
    },
    openIdle: (params) => openIdle(params as OpenIdleParams),
    closeIdle: () => closeIdle(),
    drain: (params) => drain(params as DrainParams),
  },
  { pid: process.pid },
  async () => {
    await closeIdle();
  },
);
