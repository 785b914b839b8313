import { createHash, timingSafeEqual } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import type { ApiService } from '../main/callRouter.main.js';
import { routeCall } from '../main/callRouter.main.js';
import type { DesktopLogger } from '../main/logger.main.js';
import type { AppEvent, CallResult } from '../shared/api.std.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import type { BridgeHostMessage } from '../shared/devHostProtocol.std.js';
import { BRIDGE_UNAUTHORIZED, BRIDGE_UNREADABLE_ID } from '../shared/devHostProtocol.std.js';

/** A hello is a token and a type: anything much longer is not one. */
const MAX_HELLO_BYTES = 1024;

export interface BridgeConnectionOptions {
  readonly service: ApiService;
  readonly token: string;
  readonly helloTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly maxPendingCalls: number;
  readonly logger: DesktopLogger;
  /** The socket proved it holds the token: it gets events from now on. */
  readonly onAuthenticated: (connection: BridgeConnection) => void;
  readonly onClosed: (connection: BridgeConnection) => void;
}

/**
 * One browser tab's WebSocket to the dev host. Until its first message proves it holds the token
 * (compared in constant time, within the hello timeout) it gets nothing and can do nothing; any
 * other first message, or none in time, closes it with 4401. After that every message is a call,
 * routed like an Electron IPC call; what cannot be read is answered with a coded error and the
 * socket stays open.
 */
export class BridgeConnection {
  readonly #socket: WebSocket;
  readonly #options: BridgeConnectionOptions;
  readonly #helloTimer: NodeJS.Timeout;
  #authenticated = false;
  #pending = 0;

  constructor(socket: WebSocket, options: BridgeConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#helloTimer = setTimeout(() => {
      this.#refuse('no hello in time');
    }, options.helloTimeoutMs);
    socket.on('message', (data, isBinary) => {
      this.#onMessage(data, isBinary);
    });
    socket.on('close', () => {
      clearTimeout(this.#helloTimer);
      options.onClosed(this);
    });
    socket.on('error', (error) => {
      options.logger.warn({ kind: error.name }, 'bridge socket error');
    });
  }

  sendEvent(event: AppEvent): void {
    if (this.#authenticated) this.#send({ type: 'event', event });
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    const bytes = byteLength(data);
    if (!this.#authenticated) {
      this.#hello(isBinary || bytes > MAX_HELLO_BYTES ? undefined : textOf(data));
      return;
    }
    if (isBinary) {
      this.#reply(BRIDGE_UNREADABLE_ID, refusal(DesktopErrorCode.BadRequest, 'Calls are text.'));
      return;
    }
    if (bytes > this.#options.maxMessageBytes) {
      this.#reply(
        BRIDGE_UNREADABLE_ID,
        refusal(DesktopErrorCode.TooLarge, 'That is too large to send at once.'),
      );
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(textOf(data));
    } catch {
      this.#reply(BRIDGE_UNREADABLE_ID, refusal(DesktopErrorCode.BadRequest, 'A call is JSON.'));
      return;
    }
    const { type, id, call } = (typeof message === 'object' && message !== null ? message : {}) as {
      type?: unknown;
      id?: unknown;
      call?: unknown;
    };
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      this.#reply(
        BRIDGE_UNREADABLE_ID,
        refusal(DesktopErrorCode.BadRequest, 'A call carries a whole number id.'),
      );
      return;
    }
    if (type !== 'call') {
      this.#reply(id, refusal(DesktopErrorCode.BadRequest, 'Only calls are expected here.'));
      return;
    }
    if (this.#pending >= this.#options.maxPendingCalls) {
      this.#reply(id, refusal(DesktopErrorCode.Busy, 'Too many calls at once. Try again.'));
      return;
    }
    this.#pending++;
    routeCall(this.#options.service.handlers, call, this.#options.logger)
      .finally(() => {
        this.#pending--;
      })
      .then(
        (result) => {
          this.#reply(id, result);
        },
        () => {
          // routeCall answers every failure itself; this is only a guard against a bug there.
          this.#reply(
            id,
            refusal(DesktopErrorCode.Internal, 'Something went wrong inside Kindred.'),
          );
        },
      );
  }

  #hello(text: string | undefined): void {
    let token: unknown;
    try {
      const hello = JSON.parse(text ?? '') as { type?: unknown; token?: unknown };
      token = hello.type === 'hello' ? hello.token : undefined;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !tokensMatch(token, this.#options.token)) {
      this.#refuse('wrong hello');
      return;
    }
    clearTimeout(this.#helloTimer);
    this.#authenticated = true;
    this.#options.onAuthenticated(this);
  }

  #refuse(why: string): void {
    clearTimeout(this.#helloTimer);
    this.#options.logger.info({ why }, 'bridge socket refused');
    this.#socket.close(BRIDGE_UNAUTHORIZED, 'unauthorized');
  }

  #reply(id: number, result: CallResult): void {
    this.#send({ type: 'reply', id, result });
  }

  #send(message: BridgeHostMessage): void {
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    this.#socket.send(JSON.stringify(message));
  }
}

/** Constant-time comparison, also of the length: both sides are hashed to 32 bytes first. */
export function tokensMatch(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function refusal(code: DesktopErrorCode, message: string): CallResult {
  return { ok: false, error: { code, message } };
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}
