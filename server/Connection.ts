import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import {
  CoreError,
  CoreErrorCode,
  NONCE_BYTES,
  RelayErrorCode,
  decodeClientFrame,
  missingCaseError,
  wire,
} from '../core/index.js';
import { AccessKeyMemo, addDeliveryKey, revokeDeliveryKey } from './accessKeys.js';
import { RelayCloseCode } from './closeCodes.js';
import type { PersonaSession } from './ConnectionRegistry.js';
import type { DeliverySink } from './DeliverySink.js';
import { errorCodeOf, errorNameOf } from './errorFacts.js';
import { peekRequestId, rawDataBytes } from './frameBytes.js';
import { FrameSocket } from './FrameSocket.js';
import type { FrameSocketOptions } from './FrameSocket.js';
import { GroupDelivery } from './GroupDelivery.js';
import type { Refund } from './GroupWriteGate.js';
import {
  encodeDeliverFrame,
  encodeGroupDeliverFrame,
  encodeOkFrame,
  encodeSendAckFrame,
} from './hotFrames.js';
import { MailboxDelivery } from './MailboxDelivery.js';
import type { RelayContext } from './RelayContext.js';
import { RelayError } from './RelayError.js';
import type { RegistrationMode } from './RelayOptions.js';
import type { StoredEnvelope, StoredGroupEntry, StoredPersona } from './store/RelayStore.js';
import { saturatingNumber } from './wireNumbers.js';

type ClientBody = wire.ClientFrame['body'];

/**
 * Where a connection is in its life:
 * - handshake: Challenge sent; an AuthResponse is still accepted.
 * - anonymous: the handshake deadline passed or the client sent a request without authenticating;
 *   only fetchPreKeyBundle, sendEnvelope, submitGroupOperation (joins only), fetchGroupLog and
 *   ping are allowed. Anonymous connections hold one of `maxAnonymousConnections` slots.
 * - authenticated: the connection speaks for one persona and receives its mailbox and groups.
 */
type ConnectionState = 'handshake' | 'anonymous' | 'authenticated' | 'closed';

const REGISTRATION_POLICY: Readonly<Record<RegistrationMode, wire.RegistrationPolicy>> = {
  open: wire.RegistrationPolicy.OPEN,
  pow: wire.RegistrationPolicy.POW,
  invite: wire.RegistrationPolicy.INVITE,
};

/** Store failures that mean "closed or closing", not "broken": the client should retry. */
const STORE_UNAVAILABLE_CODES = new Set(['RELAY_STORE_CLOSED', 'LEVEL_DATABASE_NOT_OPEN']);
/**
 * A Redis store's write the primary took but too few replicas acknowledged in time, or a Redis
 * it could not reach: not stored for certain, so refused as unavailable (the client retries; a
 * copy that did survive is recognised by its message id) rather than as an internal error.
 */
const STORE_NOT_DURABLE_CODES = new Set(['RELAY_STORE_NOT_REPLICATED', 'RELAY_STORE_UNREACHABLE']);

/**
 * Work a request hands back to run off the connection's queue (the disk part of a send or an
 * ack). Wrapped in an object so that awaiting the handler does not wait for it.
 */
interface Continuation {
  readonly continuation: Promise<void>;
}

let nextConnectionId = 1;

/**
 * The frame-socket settings of each relay, made once and shared by all its connections (per
 * connection, the object and its slow-consumer callback were a part of every idle connection's
 * memory).
 */
const frameSocketOptions = new WeakMap<RelayContext, FrameSocketOptions>();

function frameSocketOptionsFor(context: RelayContext): FrameSocketOptions {
  let options = frameSocketOptions.get(context);
  if (options === undefined) {
    const { metrics, logger } = context;
    options = {
      maxBufferedBytes: context.options.maxBufferedBytes,
      maxPendingFrames: context.options.maxPendingFrames,
      onSlowConsumer() {
        metrics.slowConsumersDropped += 1;
        logger.info({ event: 'slow-consumer' }, 'dropped a connection that reads too slowly');
      },
    };
    frameSocketOptions.set(context, options);
  }
  return options;
}

/**
 * One client connection: the handshake, frame dispatch and, once authenticated, delivery of the
 * persona's mailbox and group streams. Frames are admitted one at a time in arrival order (so envelopes from one
 * connection keep their order), but the slow part of a send or an ack (the disk) happens off that
 * queue, so many envelopes from one connection can share a group commit.
 *
 * Most connections sit idle for hours, so what one holds is kept small (docs/performance.md):
 * structures made on first use, no timer once authenticated (the server's one heartbeat timer
 * serves all), no per-connection closures where a method does.
 */
export class Connection implements PersonaSession, DeliverySink {
  readonly #socket: FrameSocket;
  readonly #context: RelayContext;
  /**
   * Rate-limit key, bound in the rate limits to this connection's address and, once
   * authenticated, its persona; never logged.
   */
  readonly #key = String(nextConnectionId++);
  /** The remote address as rates count it (IPv6: its /64); never logged. */
  readonly #address: string;
  #holdsAnonymousSlot = false;
  /** The Challenge's nonce, from start() until the handshake is over (then dropped: spent). */
  #nonce: Uint8Array | undefined;
  readonly #serverTime = BigInt(Date.now());
  #state: ConnectionState = 'handshake';
  #persona: StoredPersona | undefined;
  #delivery: MailboxDelivery | undefined;
  #groupDelivery: GroupDelivery | undefined;
  #unsubscribe: (() => void) | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Made when the first piece of work outlives its frame's turn. */
  #inFlight: Set<Promise<unknown>> | undefined;
  readonly #accessKeys = new AccessKeyMemo();
  #badFrames = 0;
  #lastActivity = Date.now();
  #handshakeTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #preKeysLowNotified = false;
  /** Made when someone waits for the close (the server, when it shuts down). */
  #closed: { readonly promise: Promise<void>; readonly resolve: () => void } | undefined;

  constructor(ws: WebSocket, context: RelayContext, address: string) {
    this.#context = context;
    this.#address = address;
    const { logger, limits } = context;
    limits.bind(this.#key, { address });
    this.#socket = new FrameSocket(ws, frameSocketOptionsFor(context));
    ws.on('message', (data, isBinary) => {
      this.#onMessage(data, isBinary);
    });
    ws.on('close', () => {
      this.#onClose();
    });
    ws.on('error', (error) => {
      // ws closes the socket itself; only the code is worth logging.
      logger.debug({ event: 'socket-error', code: errorCodeOf(error) }, 'socket error');
    });
  }

  /** Resolves once the socket has closed and the connection has cleaned up. */
  get closed(): Promise<void> {
    // #onClose runs in one go: once the state says closed, the clean-up is done.
    if (this.#state === 'closed') return Promise.resolve();
    if (this.#closed === undefined) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((settle) => {
        resolve = settle;
      });
      this.#closed = { promise, resolve };
    }
    return this.#closed.promise;
  }

  /** The remote address as rates and connection counts know it (IPv6: its /64); never logged. */
  get remoteAddress(): string {
    return this.#address;
  }

  /** Sends the Challenge and starts the handshake and idle clocks. */
  start(): void {
    const { options, identity, operator } = this.#context;
    const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
    this.#nonce = nonce;
    this.#socket.send({
      body: {
        case: 'challenge',
        value: {
          relayId: identity.relayId,
          nonce,
          serverTime: this.#serverTime,
          registration: REGISTRATION_POLICY[options.registration],
          powDifficulty: options.registration === 'pow' ? options.powDifficulty : 0,
          trustRoot: identity.issuer.trustRoot,
          operatorKey: operator.publicKey,
          operatorKeyEndorsement: operator.endorsement ?? new Uint8Array(0),
        },
      },
    });
    this.#handshakeTimer = setTimeout(() => {
      this.#endHandshake();
      try {
        this.#takeAnonymousSlot();
      } catch {
        // Refused a slot: closed already.
      }
    }, options.handshakeTimeoutMs);
    this.#handshakeTimer.unref();
    this.#armIdleTimer(options.handshakeTimeoutMs + options.anonymousIdleTimeoutMs);
  }

  /** Closes with a code; frames already queued to the client go out first. */
  close(code: number, reason: string): void {
    if (this.#state !== 'closed') this.#socket.close(code, reason);
  }

  /** Drops the connection without a closing handshake. */
  terminate(): void {
    this.#socket.terminate();
  }

  /** Pings the peer; false (after dropping it) if it never answered the last ping. */
  heartbeat(): boolean {
    return this.#socket.heartbeat();
  }

  /** Resolves once every frame received so far has been handled and answered. */
  async settled(): Promise<void> {
    await this.#queue;
    await Promise.allSettled([...(this.#inFlight ?? [])]);
  }

  replace(): void {
    // Stop at once: the newer connection delivers from the start of the mailbox and cursors.
    this.#delivery?.stop();
    this.#groupDelivery?.stop();
    this.close(RelayCloseCode.Replaced, 'replaced by a newer connection');
  }

  notifyPreKeysLow(): void {
    const persona = this.#persona;
    if (persona === undefined || this.#preKeysLowNotified) return;
    this.#preKeysLowNotified = true;
    this.#track(
      this.#context.preKeys.status(persona.address).then(
        (status) => {
          this.#socket.send({ body: { case: 'preKeyStatus', value: status } });
        },
        (error: unknown) => {
          this.#logFailure(error);
        },
      ),
    );
  }

  // ---- receiving ---------------------------------------------------------------------------

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    this.#lastActivity = Date.now();
    const bytes = rawDataBytes(data);
    if (!isBinary) {
      this.#badFrame(0, 'frames must be binary');
      return;
    }
    if (bytes.length > this.#context.options.maxFrameBytes) {
      this.#fail(peekRequestId(bytes), RelayErrorCode.FrameTooLarge, 'frame too large');
      this.close(RelayCloseCode.FrameTooLarge, 'frame too large');
      return;
    }
    this.#socket.frameReceived();
    this.#queue = this.#queue.then(async () => {
      const rest = await this.#process(bytes);
      if (rest === undefined) {
        this.#socket.frameAnswered();
        return;
      }
      this.#track(
        rest.continuation.finally(() => {
          this.#socket.frameAnswered();
        }),
      );
    });
  }

  /** Admits one frame; returns the part of its work that continues off the queue, if any. */
  async #process(bytes: Uint8Array): Promise<Continuation | undefined> {
    if (this.#state === 'closed') return undefined;
    let requestId = peekRequestId(bytes);
    try {
      await this.#context.limits.consume('frames', this.#key);
      let frame: wire.ClientFrame;
      try {
        frame = decodeClientFrame(bytes);
      } catch (error) {
        if (!CoreError.is(error, CoreErrorCode.BadFrame)) throw error;
        this.#context.metrics.countFrame('malformed');
        this.#badFrame(requestId, 'malformed frame');
        return undefined;
      }
      requestId = frame.requestId;
      this.#context.metrics.countFrame(frame.body.case ?? 'empty');
      return await this.#dispatch(requestId, frame.body, bytes.length);
    } catch (error) {
      this.#answerError(requestId, error);
      return undefined;
    }
  }

  /**
   * Handles one request. Sends and acks return their disk work as a `continuation` (wrapped, so
   * awaiting the dispatch does not wait for it); everything else is answered before returning.
   */
  async #dispatch(
    requestId: number,
    body: ClientBody,
    frameBytes: number,
  ): Promise<Continuation | undefined> {
    const { store, preKeys, intake, groups, groupWrites, storage, identity, options, metrics } =
      this.#context;
    switch (body.case) {
      case 'auth':
        await this.#authenticate(requestId, body.value);
        return undefined;
      case 'uploadPreKeys': {
        const persona = this.#requirePersona();
        await storage.admit(frameBytes);
        await preKeys.upload(persona, body.value);
        this.#preKeysLowNotified = false;
        this.#socket.send({ requestId, body: { case: 'ok', value: {} } });
        return undefined;
      }
      case 'fetchPreKeyBundle': {
        this.#beAnonymous();
        const bundle = await preKeys.fetch(body.value, this.#key);
        metrics.preKeyBundlesServed += 1;
        this.#socket.send({ requestId, body: { case: 'preKeyBundle', value: bundle } });
        return undefined;
      }
      case 'sendEnvelope': {
        this.#beAnonymous();
        await storage.admit(body.value.sealed.length);
        const { durable } = await intake.admit(body.value, this.#key, this.#accessKeys);
        return {
          continuation: durable.then(
            (envelopeId) => {
              this.#socket.sendBytes(encodeSendAckFrame(requestId, envelopeId));
            },
            (error: unknown) => {
              this.#answerError(requestId, error);
            },
          ),
        };
      }
      case 'ackEnvelopes': {
        this.#requirePersona();
        const delivery = this.#delivery;
        if (delivery === undefined) throw new Error('authenticated without delivery');
        const ids = body.value.envelopeIds;
        return {
          continuation: delivery.acknowledge(ids).then(
            () => {
              metrics.envelopesAcknowledged += ids.length;
              this.#socket.sendBytes(encodeOkFrame(requestId));
            },
            (error: unknown) => {
              this.#answerError(requestId, error);
            },
          ),
        };
      }
      case 'getSenderCertificate': {
        const persona = this.#requirePersona();
        const expiresAt = Date.now() + options.senderCertificateTtlMs;
        const certificate = identity.issuer.issue({
          address: persona.address,
          identityKey: persona.identityKey,
          expiresAt,
        });
        this.#socket.send({
          requestId,
          body: { case: 'senderCertificate', value: { certificate, expiresAt: BigInt(expiresAt) } },
        });
        return undefined;
      }
      case 'setAccessKey': {
        const persona = this.#requirePersona();
        const updated = { ...persona, accessKeyHash: body.value.accessKeyHash };
        await store.putPersona(updated);
        this.#persona = updated;
        this.#socket.send({ requestId, body: { case: 'ok', value: {} } });
        return undefined;
      }
      case 'addDeliveryKey': {
        const persona = this.#requirePersona();
        await addDeliveryKey(store, persona, body.value, options.maxDeliveryKeysPerPersona);
        this.#socket.send({ requestId, body: { case: 'ok', value: {} } });
        return undefined;
      }
      case 'revokeDeliveryKey': {
        const persona = this.#requirePersona();
        await revokeDeliveryKey(store, persona, body.value);
        this.#socket.send({ requestId, body: { case: 'ok', value: {} } });
        return undefined;
      }
      case 'submitGroupOperation': {
        this.#beAnonymous();
        const { operation } = body.value;
        await storage.admit(operation.length);
        const persona = this.#persona?.address;
        let refund: Refund | undefined;
        const { durable } = await groups.admitOperation(operation, this.#key, async () => {
          refund = await groupWrites.admitOperation(operation, persona);
        });
        return {
          continuation: this.#answerAppended(
            requestId,
            durable.catch((error: unknown) => {
              refund?.();
              throw error;
            }),
          ),
        };
      }
      case 'fetchGroupLog': {
        this.#beAnonymous();
        const page = await groups.fetchLog(body.value, this.#key);
        this.#socket.send({
          requestId,
          body: {
            case: 'groupLogPage',
            value: { operations: page.operations, logLength: BigInt(page.logLength) },
          },
        });
        return undefined;
      }
      case 'postGroupMessage': {
        const persona = this.#requirePersona();
        const post = body.value;
        await storage.admit(post.envelope.length);
        const refund = await groupWrites.admitPost(
          post.groupId,
          post.envelope.length,
          persona.address,
        );
        const { durable } = await refundOnRefusal(
          () => groups.admitPost(persona.address, post, this.#key),
          refund,
        );
        return { continuation: this.#answerAppended(requestId, durable) };
      }
      case 'ackGroup': {
        this.#requirePersona();
        const delivery = this.#groupDelivery;
        if (delivery === undefined) throw new Error('authenticated without group delivery');
        const index = saturatingNumber(body.value.index);
        return {
          continuation: delivery.acknowledge(body.value.groupId, index).then(
            () => {
              metrics.groupAcks += 1;
              this.#socket.sendBytes(encodeOkFrame(requestId));
            },
            (error: unknown) => {
              this.#answerError(requestId, error);
            },
          ),
        };
      }
      case 'ping':
        this.#socket.send({ requestId, body: { case: 'pong', value: {} } });
        return undefined;
      case 'createBlobUpload': {
        const persona = this.#requirePersona();
        const grant = await this.#context.blobs.grant(persona.address, body.value);
        this.#socket.send({ requestId, body: { case: 'blobUploadGrant', value: grant } });
        return undefined;
      }
      case 'fetchDirectory': {
        // Anonymous or not, the same answer (docs/directory.md): nothing of it names anyone.
        this.#beAnonymous();
        await this.#context.limits.consume('directoryFetches', this.#key);
        const page = await this.#context.directory.fetch(body.value);
        this.#socket.send({ requestId, body: { case: 'directoryPage', value: page } });
        return undefined;
      }
      case 'requestListing': {
        const persona = this.#requirePersona();
        const listing = body.value.listing;
        // decodeClientFrame refuses a request without one; kept for the types.
        if (listing === undefined) throw new Error('listing request without a listing');
        await storage.admit(frameBytes);
        await this.#context.directory.requestListing(persona, listing);
        this.#socket.send({ requestId, body: { case: 'ok', value: {} } });
        return undefined;
      }
      case undefined:
        // decodeClientFrame refuses frames without a body; kept for exhaustiveness.
        this.#badFrame(requestId, 'frame has no body');
        return undefined;
      default:
        throw missingCaseError(body);
    }
  }

  // ---- authentication ----------------------------------------------------------------------

  async #authenticate(requestId: number, response: wire.AuthResponse): Promise<void> {
    const { authenticator, registry, store, preKeys, identity, options, metrics, logger } =
      this.#context;
    if (this.#state === 'authenticated') {
      throw new RelayError(RelayErrorCode.AlreadyAuthenticated, 'already authenticated');
    }
    if (this.#state !== 'handshake') {
      throw new RelayError(
        RelayErrorCode.HandshakeTimeout,
        'authentication is only accepted as the first request, before the handshake deadline',
      );
    }
    const nonce = this.#nonce;
    if (nonce === undefined) throw new Error('handshake without a nonce');
    // The nonce is spent by this attempt, whatever its outcome.
    this.#endHandshake();
    let persona: StoredPersona;
    let registeredNow: boolean;
    try {
      ({ persona, registeredNow } = await authenticator.authenticate(response, {
        nonce,
        serverTime: this.#serverTime,
      }));
    } catch (error) {
      this.#answerError(requestId, error);
      if (RelayError.is(error)) this.close(RelayCloseCode.AuthFailed, 'authentication failed');
      return;
    }
    if (this.#isClosed()) return;
    this.#state = 'authenticated';
    this.#persona = persona;
    this.#context.limits.bind(this.#key, { address: this.#address, persona: persona.address });
    this.#clearIdleTimer();
    metrics.authenticated += 1;
    if (registeredNow) {
      metrics.registered += 1;
      logger.info({ event: 'registered' }, 'persona registered');
    }
    // Before delivering: the persona's older connection, on this node or another, stops first.
    await registry.claim(persona.address, this);
    if (this.#isClosed()) return;
    const delivery = new MailboxDelivery({
      store,
      address: persona.address,
      maxUnacked: options.maxUnackedDeliveries,
      sink: this,
    });
    this.#delivery = delivery;
    const groupDelivery = new GroupDelivery({
      store,
      address: persona.address,
      maxUnacked: options.maxUnackedGroupDeliveries,
      sink: this,
    });
    this.#groupDelivery = groupDelivery;
    // Subscribe before reading the backlog, so nothing appended in between is missed.
    this.#unsubscribe = store.subscribeMailbox(persona.address, (appended) => {
      if (appended === undefined) delivery.wake();
      else delivery.offer(appended);
    });
    const status = await preKeys.status(persona.address);
    const expiresAt = Date.now() + options.senderCertificateTtlMs;
    const senderCertificate = identity.issuer.issue({
      address: persona.address,
      identityKey: persona.identityKey,
      expiresAt,
    });
    if (status.low) this.#preKeysLowNotified = true;
    this.#socket.send({
      requestId,
      body: {
        case: 'authOk',
        value: { address: persona.address, registeredNow, senderCertificate, preKeyStatus: status },
      },
    });
    delivery.start();
    groupDelivery.start();
  }

  /** Whether a persona has authenticated on this connection (metrics count the two kinds). */
  get authenticated(): boolean {
    return this.#state === 'authenticated';
  }

  /** A method, not an inline comparison: the state changes across awaits. */
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #requirePersona(): StoredPersona {
    if (this.#state !== 'authenticated' || this.#persona === undefined) {
      throw new RelayError(
        RelayErrorCode.AuthRequired,
        'this request needs an authenticated connection',
      );
    }
    return this.#persona;
  }

  /** The first anonymous request (or the deadline) ends the handshake, for good. */
  #endHandshake(): void {
    if (this.#handshakeTimer !== undefined) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
    this.#nonce = undefined;
    if (this.#state === 'handshake') this.#state = 'anonymous';
  }

  /** Before a request an anonymous connection may make: ends the handshake, takes a slot. */
  #beAnonymous(): void {
    this.#endHandshake();
    this.#takeAnonymousSlot();
  }

  /**
   * An anonymous connection holds one of `maxAnonymousConnections` slots; without one it gets
   * RELAY_TOO_MANY_CONNECTIONS and is closed. (A connection whose authentication failed stays
   * anonymous for its last moments: it is closing, so it takes none.)
   */
  #takeAnonymousSlot(): void {
    if (this.#state !== 'anonymous' || this.#holdsAnonymousSlot) return;
    if (!this.#context.anonymousSlots.take()) {
      this.#context.metrics.connectionsRefused += 1;
      // After the request's answer (the error below) has gone out.
      setImmediate(() => {
        this.close(RelayCloseCode.TooManyConnections, 'too many anonymous connections');
      });
      throw new RelayError(RelayErrorCode.TooManyConnections, 'too many anonymous connections');
    }
    this.#holdsAnonymousSlot = true;
  }

  // ---- answering ---------------------------------------------------------------------------

  // DeliverySink: what this connection's mailbox and group deliveries call.

  deliverEnvelope(envelope: StoredEnvelope): boolean {
    return this.#deliver(envelope);
  }

  deliverGroupEntry(groupId: Uint8Array, entry: StoredGroupEntry): boolean {
    return this.#deliverGroupEntry(groupId, entry);
  }

  deliveryFailed(error: unknown): void {
    this.#logFailure(error);
  }

  /** Sends one Deliver; false when delivery should pause until the socket drains. */
  #deliver(envelope: StoredEnvelope): boolean {
    this.#context.metrics.envelopesDelivered += 1;
    this.#context.metrics.observeDelivery(envelope.receivedAt);
    return this.#sendDelivery(
      encodeDeliverFrame(envelope.id, envelope.sealed, envelope.receivedAt),
    );
  }

  /** Sends one GroupDeliver; false when delivery should pause until the socket drains. */
  #deliverGroupEntry(groupId: Uint8Array, entry: StoredGroupEntry): boolean {
    this.#context.metrics.groupEntriesDelivered += 1;
    this.#context.metrics.observeDelivery(entry.receivedAt);
    return this.#sendDelivery(
      encodeGroupDeliverFrame(groupId, entry.index, entry.receivedAt, entry.kind, entry.bytes),
    );
  }

  /**
   * Sends a delivery frame. Past the high-water mark it still sends this one, then pauses every
   * delivery (mailbox and groups alike) until the socket has written it, so whichever stream
   * filled the buffer, all of them resume together.
   */
  #sendDelivery(bytes: Uint8Array): boolean {
    if (!this.#socket.wouldPassHighWater(bytes.length)) return this.#socket.sendBytes(bytes);
    this.#socket.sendBytes(bytes, () => {
      this.#delivery?.wake();
      this.#groupDelivery?.wake();
    });
    return false;
  }

  /** Answers a group write with GroupAppended once it is durable, or with its error. */
  #answerAppended(requestId: number, durable: Promise<number>): Promise<void> {
    return durable.then(
      (index) => {
        this.#socket.send({
          requestId,
          body: { case: 'groupAppended', value: { index: BigInt(index) } },
        });
      },
      (error: unknown) => {
        this.#answerError(requestId, error);
      },
    );
  }

  #answerError(requestId: number, error: unknown): void {
    if (RelayError.is(error)) {
      this.#fail(requestId, error.code, error.message, error.options.retryAfterMs);
      return;
    }
    const code = errorCodeOf(error);
    // LevelDB's own failures (LEVEL_IO_ERROR, LEVEL_CORRUPTION, …) and a closed store.
    if (code.startsWith('LEVEL_') || STORE_UNAVAILABLE_CODES.has(code)) {
      this.#context.metrics.storeErrors += 1;
    }
    if (STORE_UNAVAILABLE_CODES.has(code)) {
      this.#fail(requestId, RelayErrorCode.Unavailable, 'the relay is shutting down; try again');
      return;
    }
    if (STORE_NOT_DURABLE_CODES.has(code)) {
      this.#context.metrics.storeErrors += 1;
      this.#fail(requestId, RelayErrorCode.Unavailable, 'not stored safely yet; try again');
      return;
    }
    this.#logFailure(error);
    this.#fail(requestId, RelayErrorCode.Internal, 'internal error');
  }

  #fail(requestId: number, code: RelayErrorCode, message: string, retryAfterMs = 0): void {
    this.#context.metrics.countError(code);
    this.#socket.send({
      requestId,
      body: { case: 'error', value: { code, message, retryAfterMs } },
    });
  }

  #badFrame(requestId: number, message: string): void {
    this.#badFrames += 1;
    this.#fail(requestId, RelayErrorCode.BadFrame, message);
    if (this.#badFrames >= this.#context.options.maxBadFrames) {
      this.close(RelayCloseCode.BadFrames, 'too many bad frames');
    }
  }

  #logFailure(error: unknown): void {
    this.#context.logger.error(
      { event: 'request-failed', code: errorCodeOf(error), errorName: errorNameOf(error) },
      'request failed',
    );
  }

  /** Keeps work that outlives its frame's turn in the queue visible to `settled()`. */
  #track(promise: Promise<unknown>): void {
    const inFlight = (this.#inFlight ??= new Set<Promise<unknown>>());
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  }

  // ---- timers and teardown -----------------------------------------------------------------

  #armIdleTimer(delayMs: number): void {
    this.#idleTimer = setTimeout(() => {
      if (this.#state !== 'handshake' && this.#state !== 'anonymous') return;
      const idleFor = Date.now() - this.#lastActivity;
      const limit = this.#context.options.anonymousIdleTimeoutMs;
      if (idleFor >= limit) this.close(RelayCloseCode.Idle, 'idle');
      else this.#armIdleTimer(limit - idleFor);
    }, delayMs);
    this.#idleTimer.unref();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  #onClose(): void {
    this.#state = 'closed';
    if (this.#handshakeTimer !== undefined) clearTimeout(this.#handshakeTimer);
    this.#clearIdleTimer();
    this.#delivery?.stop();
    this.#groupDelivery?.stop();
    this.#unsubscribe?.();
    if (this.#persona !== undefined) this.#context.registry.release(this.#persona.address, this);
    if (this.#holdsAnonymousSlot) this.#context.anonymousSlots.release();
    this.#holdsAnonymousSlot = false;
    this.#context.limits.unbind(this.#key);
    this.#context.onClosed(this);
    this.#closed?.resolve();
  }
}

/**
 * Runs an admission whose daily budgets were taken beforehand, and gives them back if it is
 * refused, at admission or on its way to the disk. Resolves once admitted (so writes from one
 * connection keep their order); `durable` (wrapped, so awaiting this does not wait for the disk)
 * resolves with its index.
 */
async function refundOnRefusal(
  admit: () => Promise<{ readonly durable: Promise<number> }>,
  refund: () => void,
): Promise<{ readonly durable: Promise<number> }> {
  let durable: Promise<number>;
  try {
    ({ durable } = await admit());
  } catch (error) {
    refund();
    throw error;
  }
  return {
    durable: durable.catch((error: unknown) => {
      refund();
      throw error;
    }),
  };
}
