/**
 * The window's one way to the process that holds the vault: Electron's preload bridge
 * (`window.kindred`) when there is one, otherwise the dev host's WebSocket (devHostProtocol.std.ts).
 * Either way the rest of the renderer sees a {@link KindredApi}: typed calls that return the value
 * or throw an {@link ApiCallError} with a code and a message in plain words.
 */
import type {
  ApiArgs,
  ApiCall,
  ApiError,
  ApiErrorDetails,
  ApiMethod,
  ApiResults,
  AppEvent,
  CallResult,
  KindredBridge,
} from '../shared/api.std.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import {
  BRIDGE_MAX_CALL_BYTES,
  BRIDGE_MAX_PENDING_CALLS,
  BRIDGE_PATH,
  BRIDGE_UNAUTHORIZED,
  type BridgeClientMessage,
  type BridgeRequest,
} from '../shared/devHostProtocol.std.js';
import { bridgeErrorMessages } from '../shared/i18n/messages/bridgeErrors.std.js';

/**
 * How the window is linked to the vault's process. Electron's bridge is always `open`; the dev
 * host's socket can drop (`reconnecting`), refuse our token (`unauthorized`), or never have had
 * one (`no-token`: the page was opened without the address the dev host printed).
 */
export type LinkState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'no-token';

/** Codes the bridge itself gives to calls that never reached the vault's process. */
export const BridgeErrorCode = {
  disconnected: 'BRIDGE_DISCONNECTED',
  unauthorized: 'BRIDGE_UNAUTHORIZED',
  badReply: 'BRIDGE_BAD_REPLY',
  unreachable: 'BRIDGE_UNREACHABLE',
} as const;

/** An API call that failed: `code` is stable (tests, support), `message` is for people. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly details: ApiErrorDetails;
  /** The message is already in the window's language: describeError shows it as it is. */
  readonly worded: boolean;

  constructor(error: ApiError, options?: { readonly worded?: boolean }) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details ?? {};
    this.worded = options?.worded ?? false;
  }

  static is(value: unknown): value is ApiCallError {
    return value instanceof ApiCallError;
  }
}

export interface KindredApi {
  /** Calls `method` and returns its value, or throws an {@link ApiCallError}. */
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]>;
  /** Returns a function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  readonly linkState: LinkState;
  /** Returns a function that unsubscribes. */
  onLinkState(listener: (state: LinkState) => void): () => void;
  /** Whether this window runs inside Electron (which shows notifications itself). */
  readonly inElectron: boolean;
}

/** Options of the dev host link, with their defaults. */
export interface DevHostLinkOptions {
  /** First reconnect delay; it doubles up to {@link maxReconnectDelayMs} (default 250 ms). */
  readonly reconnectDelayMs?: number;
  /** Longest wait between reconnect attempts (default 10 s). */
  readonly maxReconnectDelayMs?: number;
  /** How long a call waits for the link to come up before it fails (default 20 s). */
  readonly queueTimeoutMs?: number;
  /** A link that stayed up this long resets the backoff (default 5 s). */
  readonly stableAfterMs?: number;
}

/**
 * The bridge's own errors. describeError words them by their code in the window's language
 * (bridgeErrors.std.ts); the English here is only what an ApiCallError's `message` carries.
 */
const BRIDGE_WORDS = bridgeErrorMessages.en;
const DISCONNECTED: ApiError = {
  code: BridgeErrorCode.disconnected,
  message: BRIDGE_WORDS['errors.bridgeDisconnected'],
};
const UNREACHABLE: ApiError = {
  code: BridgeErrorCode.unreachable,
  message: BRIDGE_WORDS['errors.bridgeUnreachable'],
};
const TOO_LARGE: ApiError = {
  code: DesktopErrorCode.TooLarge,
  message: BRIDGE_WORDS['errors.desktopTooLarge'],
};
const UNAUTHORIZED: ApiError = {
  code: BridgeErrorCode.unauthorized,
  message: BRIDGE_WORDS['errors.bridgeUnauthorized'],
};

const TOKEN_KEY = 'kindred.devHostToken';

interface BridgeWindow {
  readonly kindred?: KindredBridge;
}

/** Builds the API from Electron's bridge if present, else from the dev host's socket. */
export function connectKindred(): KindredApi {
  const electronBridge = (window as Window & BridgeWindow).kindred;
  if (electronBridge !== undefined) return new BridgeApi(electronBridge, undefined);
  const token = takeDevHostToken();
  if (token === undefined) return new BridgeApi(new MissingTokenBridge(), undefined, 'no-token');
  const link = new DevHostLink(devHostSocketUrl(), token);
  return new BridgeApi(link, link);
}

/**
 * Reads `#token=…` and removes it from the address bar at once (so it is not in history, a
 * screenshot or a copied address). The token stays in this tab's session storage so a reload
 * keeps working; it is gone when the tab closes.
 */
function takeDevHostToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash !== null && fromHash !== '') {
    history.replaceState(null, '', location.pathname + location.search);
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the link still works until the page is reloaded.
    }
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function devHostSocketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}`;
}

interface LinkSource {
  readonly state: LinkState;
  onState(listener: (state: LinkState) => void): () => void;
}

class BridgeApi implements KindredApi {
  readonly #bridge: KindredBridge;
  readonly #link: LinkSource | undefined;
  readonly #fixedState: LinkState;
  readonly inElectron: boolean;

  constructor(bridge: KindredBridge, link: LinkSource | undefined, fixedState: LinkState = 'open') {
    this.#bridge = bridge;
    this.#link = link;
    this.#fixedState = fixedState;
    this.inElectron = link === undefined && fixedState === 'open';
  }

  async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
    const call = { method, args } as ApiCall;
    let result: CallResult;
    try {
      result = await this.#bridge.call(call);
    } catch {
      // A bridge that throws (an IPC failure) is reported like a dropped link.
      throw new ApiCallError(DISCONNECTED);
    }
    if (!isCallResult(result)) {
      throw new ApiCallError({
        code: BridgeErrorCode.badReply,
        message: BRIDGE_WORDS['errors.bridgeBadReply'],
      });
    }
    if (!result.ok) throw new ApiCallError(result.error);
    // The main process checks the arguments and shapes the value per ApiResults (api.std.ts).
    return result.value as ApiResults[M];
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    return this.#bridge.onEvent(listener);
  }

  get linkState(): LinkState {
    return this.#link?.state ?? this.#fixedState;
  }

  onLinkState(listener: (state: LinkState) => void): () => void {
    return this.#link?.onState(listener) ?? noop;
  }
}

function noop(): void {
  // Nothing to unsubscribe.
}

function isCallResult(value: unknown): value is CallResult {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

class MissingTokenBridge implements KindredBridge {
  call(): Promise<CallResult> {
    return Promise.resolve({ ok: false, error: UNAUTHORIZED });
  }

  onEvent(): () => void {
    return noop;
  }
}

interface QueuedCall {
  readonly request: BridgeRequest;
  readonly resolve: (result: CallResult) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * The dev host's WebSocket: says hello with the token, carries calls and events, and reconnects
 * with a growing, jittered delay when the socket drops. A call in flight when the link drops
 * fails with {@link BridgeErrorCode.disconnected} (it may or may not have run, so it is not
 * resent); a call made while the link is down waits for it, for a while.
 */
class DevHostLink implements KindredBridge, LinkSource {
  readonly #url: string;
  readonly #token: string;
  readonly #reconnectDelayMs: number;
  readonly #maxReconnectDelayMs: number;
  readonly #queueTimeoutMs: number;
  readonly #stableAfterMs: number;
  readonly #eventListeners = new Set<(event: AppEvent) => void>();
  readonly #stateListeners = new Set<(state: LinkState) => void>();
  readonly #inFlight = new Map<number, (result: CallResult) => void>();
  #queue: QueuedCall[] = [];
  #socket: WebSocket | undefined;
  #state: LinkState = 'connecting';
  #nextId = 1;
  #attempt = 0;
  #openedAt = 0;

  constructor(url: string, token: string, options: DevHostLinkOptions = {}) {
    this.#url = url;
    this.#token = token;
    this.#reconnectDelayMs = options.reconnectDelayMs ?? 250;
    this.#maxReconnectDelayMs = options.maxReconnectDelayMs ?? 10_000;
    this.#queueTimeoutMs = options.queueTimeoutMs ?? 20_000;
    this.#stableAfterMs = options.stableAfterMs ?? 5_000;
    this.#connect();
  }

  get state(): LinkState {
    return this.#state;
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  call(call: ApiCall): Promise<CallResult> {
    if (this.#state === 'unauthorized') return Promise.resolve({ ok: false, error: UNAUTHORIZED });
    const request: BridgeRequest = { type: 'call', id: this.#nextId++, call };
    // Refused here, not sent: the host answers an oversize call without knowing its id.
    if (new TextEncoder().encode(JSON.stringify(request)).length > BRIDGE_MAX_CALL_BYTES) {
      return Promise.resolve({ ok: false, error: TOO_LARGE });
    }
    return new Promise((resolve) => {
      if (
        this.#state === 'open' &&
        this.#inFlight.size < BRIDGE_MAX_PENDING_CALLS &&
        this.#send(request)
      ) {
        this.#inFlight.set(request.id, resolve);
        return;
      }
      const timer = setTimeout(() => {
        this.#queue = this.#queue.filter((queued) => queued.request.id !== request.id);
        resolve({ ok: false, error: UNREACHABLE });
      }, this.#queueTimeoutMs);
      this.#queue.push({ request, resolve, timer });
    });
  }

  #setState(state: LinkState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #send(message: BridgeClientMessage): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  #connect(): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#openedAt = Date.now();
      this.#send({ type: 'hello', token: this.#token });
      this.#setState('open');
      this.#sendQueued();
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      this.#receive(event.data);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#dropInFlight();
      if (event.code === BRIDGE_UNAUTHORIZED) {
        this.#setState('unauthorized');
        for (const { resolve, timer } of this.#queue) {
          clearTimeout(timer);
          resolve({ ok: false, error: UNAUTHORIZED });
        }
        this.#queue = [];
        return;
      }
      if (this.#openedAt !== 0 && Date.now() - this.#openedAt >= this.#stableAfterMs) {
        this.#attempt = 0;
      }
      this.#openedAt = 0;
      this.#setState('reconnecting');
      this.#scheduleReconnect();
    });
  }

  /** Sends queued calls, oldest first, while the host has room for them. */
  #sendQueued(): void {
    while (this.#inFlight.size < BRIDGE_MAX_PENDING_CALLS) {
      const next = this.#queue.shift();
      if (next === undefined) return;
      clearTimeout(next.timer);
      if (this.#send(next.request)) this.#inFlight.set(next.request.id, next.resolve);
      else next.resolve({ ok: false, error: UNREACHABLE });
    }
  }

  #dropInFlight(): void {
    const inFlight = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const resolve of inFlight) resolve({ ok: false, error: DISCONNECTED });
  }

  #scheduleReconnect(): void {
    const base = Math.min(this.#maxReconnectDelayMs, this.#reconnectDelayMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    // Jitter: between half and all of the delay, so many tabs do not reconnect in step.
    const delay = base / 2 + Math.random() * (base / 2);
    setTimeout(() => {
      this.#connect();
    }, delay);
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const message = parsed as { type?: unknown; id?: unknown; result?: unknown; event?: unknown };
    if (message.type === 'reply' && typeof message.id === 'number') {
      const resolve = this.#inFlight.get(message.id);
      if (resolve === undefined) return;
      this.#inFlight.delete(message.id);
      // BridgeApi checks the result's shape before it uses it.
      resolve(message.result as CallResult);
      this.#sendQueued();
      return;
    }
    if (message.type !== 'event' || !isAppEvent(message.event)) return;
    const event = message.event;
    // A listener's bug must not stop the others from hearing the event.
    for (const listener of this.#eventListeners) {
      try {
        listener(event);
      } catch {
        // Ignored on purpose: see above.
      }
    }
  }
}

function isAppEvent(value: unknown): value is AppEvent {
  return (
    typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string'
  );
}
