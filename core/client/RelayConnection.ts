import WebSocket from 'ws';
import { bytesEqual } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona } from '../persona/Persona.js';
import type { ClientFrameInit } from '../protocol/frames.js';
import { MAX_SEALED_BYTES, decodeServerFrame, encodeClientFrame } from '../protocol/frames.js';
import type {
  AuthOk,
  Challenge,
  GroupDeliver,
  PreKeyStatus,
  RegistrationSchema,
  ServerFrame,
} from '../protocol/gen/kindred_pb.js';
import { authSigningBytes } from '../protocol/relayAuth.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { RelayRejectedError } from './RelayRejectedError.js';
import type { SocksProxy } from './SocksProxy.js';
import { socksAgent } from './SocksProxy.js';
import { checkRelayUrl } from './relayUrl.js';
import { TypedEmitter } from './TypedEmitter.js';

/** What pins a relay: the sealed-sender trust root and the relay's stable id. */
export interface RelayPin {
  readonly trustRoot: Uint8Array;
  readonly relayId: Uint8Array;
}

export interface RelayConnectionOptions {
  readonly url: string;
  /** Allow plain ws:// to a non-loopback host. Off by default. */
  readonly allowInsecureTransport?: boolean;
  /** When given, the relay's Challenge must carry exactly this trust root and relay id. */
  readonly pin?: RelayPin;
  /** Time to open the socket and receive the Challenge. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time a request waits for its answer. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** Largest frame accepted from the relay. Default: the largest envelope plus 64 KiB. */
  readonly maxFrameBytes?: number;
  /** Connect through this SOCKS5 proxy (the relay's host name is resolved by the proxy). */
  readonly proxy?: SocksProxy;
}

/** An envelope the relay pushed from this persona's mailbox. */
export interface Delivery {
  readonly envelopeId: bigint;
  readonly sealed: Uint8Array;
  readonly receivedAt: number;
}

export interface RelayConnectionEvents {
  deliver: Delivery;
  preKeyStatus: PreKeyStatus;
  /** An entry of one of this persona's groups, pushed from its cursor on. */
  groupDeliver: GroupDeliver;
  /** The connection is gone; `error` says why when it was not closed on purpose. */
  close: CoreError | undefined;
}

export type RegistrationInit = MessageInitShape<typeof RegistrationSchema>;
type ClientBody = NonNullable<ClientFrameInit['body']>;
type ServerBody = ServerFrame['body'];
export type ServerCase = NonNullable<ServerBody['case']>;
export type ServerValue<K extends ServerCase> = Extract<ServerBody, { case: K }>['value'];

interface PendingRequest {
  readonly expect: ServerCase;
  readonly resolve: (frame: ServerFrame) => void;
  readonly reject: (error: CoreError) => void;
  readonly timer: NodeJS.Timeout;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const MAX_REQUEST_ID = 0xffffffff;

/**
 * One WebSocket connection to a relay. Opening it waits for the relay's Challenge and, when a pin
 * is given, checks the relay is the one pinned (CORE_RELAY_MISMATCH otherwise). Requests are
 * matched to answers by request id and time out (CORE_RELAY_TIMEOUT); an Error frame rejects the
 * request with a RelayRejectedError carrying the relay's code. Every incoming frame is validated
 * with decodeServerFrame; a malformed one closes the connection (CORE_BAD_FRAME).
 *
 * A connection is anonymous until `authenticate()`; the relay then pushes Deliver and PreKeyStatus
 * frames, reported as events.
 */
export class RelayConnection extends TypedEmitter<RelayConnectionEvents> {
  readonly #socket: WebSocket;
  readonly #requestTimeoutMs: number;
  readonly #pending = new Map<number, PendingRequest>();
  #nextRequestId = 1;
  #closed = false;
  #challenge: Challenge | undefined;
  /** When a request last went out or was answered (ms since the epoch). */
  #lastActivityAt = Date.now();

  private constructor(socket: WebSocket, requestTimeoutMs: number) {
    super();
    this.#socket = socket;
    this.#requestTimeoutMs = requestTimeoutMs;
  }

  /** Connects, receives and checks the Challenge. Rejects with a CoreError, never anything else. */
  static open(options: RelayConnectionOptions): Promise<RelayConnection> {
    const url = checkRelayUrl(options.url, {
      allowInsecureTransport: options.allowInsecureTransport ?? false,
    });
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const socket = new WebSocket(url, {
      maxPayload: options.maxFrameBytes ?? MAX_SEALED_BYTES + 64 * 1024,
      handshakeTimeout: connectTimeoutMs,
      perMessageDeflate: false,
      ...(options.proxy === undefined ? {} : { agent: socksAgent(options.proxy) }),
    });
    const connection = new RelayConnection(
      socket,
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
    return new Promise<RelayConnection>((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.#shutdown(
          new CoreError(CoreErrorCode.RelayTimeout, 'the relay did not send its challenge in time'),
        );
      }, connectTimeoutMs);
      const offClose = connection.on('close', (error) => {
        clearTimeout(timer);
        reject(
          error ?? new CoreError(CoreErrorCode.RelayUnreachable, 'the relay closed the connection'),
        );
      });
      connection.#onChallenge = (challenge) => {
        clearTimeout(timer);
        offClose();
        const pin = options.pin;
        if (
          pin !== undefined &&
          (!bytesEqual(pin.trustRoot, challenge.trustRoot) ||
            !bytesEqual(pin.relayId, challenge.relayId))
        ) {
          const error = new CoreError(
            CoreErrorCode.RelayMismatch,
            'the relay is not the one this persona is pinned to',
          );
          connection.#shutdown(error);
          reject(error);
          return;
        }
        resolve(connection);
      };
      socket.on('message', (data, isBinary) => {
        connection.#onMessage(data, isBinary);
      });
      socket.on('error', (error) => {
        connection.#shutdown(
          new CoreError(CoreErrorCode.RelayUnreachable, 'could not reach the relay', {
            cause: error,
          }),
        );
      });
      socket.on('close', () => {
        connection.#shutdown(
          new CoreError(CoreErrorCode.RelayUnreachable, 'the relay closed the connection'),
        );
      });
    });
  }

  /** The Challenge this connection opened with. */
  get challenge(): Challenge {
    if (this.#challenge === undefined) {
      throw new CoreError(CoreErrorCode.Internal, 'connection has no challenge yet');
    }
    return this.#challenge;
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  /** How long no request has gone out or been answered, in ms; 0 while one is pending. */
  get idleForMs(): number {
    return this.#pending.size > 0 ? 0 : Math.max(0, Date.now() - this.#lastActivityAt);
  }

  /** Proves `persona` holds its identity key, registering it when `registration` is given. */
  async authenticate(persona: Persona, registration?: RegistrationInit): Promise<AuthOk> {
    const challenge = this.challenge;
    const identityKey = persona.identityPublicKey;
    const signature = persona.sign(
      authSigningBytes({
        relayId: challenge.relayId,
        nonce: challenge.nonce,
        serverTime: challenge.serverTime,
        identityKey,
      }),
    );
    const authOk = await this.request(
      {
        case: 'auth',
        value: {
          identityKey,
          signature,
          ...(registration === undefined ? {} : { registration }),
        },
      },
      'authOk',
    );
    if (authOk.address !== persona.address) {
      const error = new CoreError(
        CoreErrorCode.BadFrame,
        'the relay authenticated a different address',
      );
      this.#shutdown(error);
      throw error;
    }
    return authOk;
  }

  /** Sends a request and waits for its answer, which must be of the `expect` kind. */
  request<K extends ServerCase>(body: ClientBody, expect: K): Promise<ServerValue<K>> {
    if (this.#closed) {
      return Promise.reject(
        new CoreError(CoreErrorCode.RelayUnreachable, 'the connection to the relay is closed'),
      );
    }
    const requestId = this.#takeRequestId();
    this.#lastActivityAt = Date.now();
    return new Promise<ServerValue<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new CoreError(CoreErrorCode.RelayTimeout, 'the relay did not answer in time'));
      }, this.#requestTimeoutMs);
      this.#pending.set(requestId, {
        expect,
        // The answer's case was checked against `expect` (= K) before this runs.
        resolve: (frame) => {
          (resolve as (value: unknown) => void)(frame.body.value);
        },
        reject,
        timer,
      });
      this.#socket.send(encodeClientFrame({ requestId, body }), (error) => {
        // ws passes null on success (its typings say undefined).
        if (error instanceof Error) {
          this.#failRequest(
            requestId,
            new CoreError(CoreErrorCode.RelayUnreachable, 'could not send to the relay', {
              cause: error,
            }),
          );
        }
      });
    });
  }

  /** Closes the connection on purpose; pending requests fail with CORE_RELAY_UNREACHABLE. */
  close(): void {
    this.#shutdown(undefined);
  }

  #onChallenge: ((challenge: Challenge) => void) | undefined;

  #onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.#closed) return;
    let frame: ServerFrame;
    try {
      if (!isBinary) throw new CoreError(CoreErrorCode.BadFrame, 'the relay sent a text frame');
      frame = decodeServerFrame(rawBytes(data));
    } catch (error) {
      this.#shutdown(toCoreError(error, CoreErrorCode.BadFrame, 'reading a frame'));
      return;
    }
    const body = frame.body;
    if (frame.requestId !== 0) {
      const pending = this.#pending.get(frame.requestId);
      // An answer to a request that already timed out is dropped.
      if (pending === undefined) return;
      this.#pending.delete(frame.requestId);
      clearTimeout(pending.timer);
      this.#lastActivityAt = Date.now();
      if (body.case === 'error') {
        pending.reject(new RelayRejectedError(body.value.code, body.value.retryAfterMs));
      } else if (body.case !== pending.expect) {
        pending.reject(
          new CoreError(CoreErrorCode.BadFrame, `the relay answered with ${String(body.case)}`),
        );
      } else {
        pending.resolve(frame);
      }
      return;
    }
    switch (body.case) {
      case 'challenge':
        if (this.#challenge !== undefined) {
          this.#shutdown(
            new CoreError(CoreErrorCode.BadFrame, 'the relay sent a second challenge'),
          );
          return;
        }
        this.#challenge = body.value;
        this.#onChallenge?.(body.value);
        this.#onChallenge = undefined;
        return;
      case 'deliver':
        this.emit('deliver', {
          envelopeId: body.value.envelopeId,
          sealed: body.value.sealed,
          receivedAt: Number(body.value.receivedAt),
        });
        return;
      case 'preKeyStatus':
        this.emit('preKeyStatus', body.value);
        return;
      case 'groupDeliver':
        this.emit('groupDeliver', body.value);
        return;
      case 'error':
        // An unsolicited error (handshake timeout, too many connections): the relay is about to
        // close the connection; report it as the reason.
        this.#shutdown(new RelayRejectedError(body.value.code, body.value.retryAfterMs));
        return;
      case 'authOk':
      case 'ok':
      case 'preKeyBundle':
      case 'sendAck':
      case 'senderCertificate':
      case 'pong':
      case 'groupAppended':
      case 'groupLogPage':
      case undefined:
        // Answers only ever come with a request id; one without is ignored.
        return;
    }
  }

  #takeRequestId(): number {
    const id = this.#nextRequestId;
    this.#nextRequestId = id >= MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }

  #failRequest(requestId: number, error: CoreError): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) return;
    this.#pending.delete(requestId);
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  #shutdown(error: CoreError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    const reason =
      error ?? new CoreError(CoreErrorCode.RelayUnreachable, 'the connection was closed');
    for (const requestId of [...this.#pending.keys()]) this.#failRequest(requestId, reason);
    if (error === undefined) this.#socket.close(1000);
    else this.#socket.terminate();
    this.emit('close', error);
    this.removeAll();
  }
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
