import type { RawData } from 'ws';
import WebSocket from 'ws';
import type { ApiService } from '../../desktop/main/callRouter.main.js';
import { routeCall } from '../../desktop/main/callRouter.main.js';
import { DesktopService } from '../../desktop/main/DesktopService.main.js';
import { silentLogger } from '../../desktop/main/logger.main.js';
import type {
  ApiArgs,
  ApiError,
  ApiMethod,
  ApiResults,
  AppEvent,
  CallResult,
} from '../../desktop/shared/api.std.js';
import type { BridgeHostMessage } from '../../desktop/shared/devHostProtocol.std.js';
import type { TempDirs } from '../integration/helpers.js';
import { TEST_CLIENT_OPTIONS, waitFor } from '../integration/helpers.js';

export const PASSPHRASE = 'desktop test passphrase';

/** A real service over a real vault folder (fast KDF: tests make many vaults). */
export async function newService(
  dirs: TempDirs,
  relayUrl: string,
  options: { idleMinuteMs?: number; reminderPollMs?: number; home?: string } = {},
): Promise<DesktopService> {
  return new DesktopService({
    home: options.home ?? (await dirs.make('desktop')),
    defaultRelayUrl: relayUrl,
    kdf: 'insecure-fast',
    clientOptions: TEST_CLIENT_OPTIONS,
    ...(options.idleMinuteMs === undefined ? {} : { idleMinuteMs: options.idleMinuteMs }),
    ...(options.reminderPollMs === undefined ? {} : { reminderPollMs: options.reminderPollMs }),
  });
}

/** A service through its first run (`pseudonym` as the main persona), once it is online. */
export async function onlineService(
  dirs: TempDirs,
  relayUrl: string,
  pseudonym: string,
  options: { reminderPollMs?: number } = {},
): Promise<DesktopService> {
  const made = await newService(dirs, relayUrl, options);
  const events = new EventLog(made);
  await call(made, 'app.create', { pseudonym, passphrase: PASSPHRASE, relayUrl });
  await events.waitFor(`${pseudonym} online`, (e) => e.type === 'connection' && e.online);
  return made;
}

export class CallFailed extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.code}: ${error.message}`);
  }
}

/** One call through the router (so the args are checked as the window's would be). */
export async function call<M extends ApiMethod>(
  service: ApiService,
  method: M,
  args: ApiArgs<M>,
): Promise<ApiResults[M]> {
  const result = await routeCall(service.handlers, { method, args }, silentLogger);
  if (!result.ok) throw new CallFailed(result.error);
  return result.value as ApiResults[M];
}

/** The error a call answers with (fails the test if it succeeds). */
export async function callError(service: ApiService, payload: unknown): Promise<ApiError> {
  const result = await routeCall(service.handlers, payload, silentLogger);
  if (result.ok) throw new Error('the call was expected to fail');
  return result.error;
}

/** Every event a service emitted, with a way to wait for one. */
export class EventLog {
  readonly events: AppEvent[] = [];
  readonly #unsubscribe: () => void;

  constructor(service: ApiService) {
    this.#unsubscribe = service.onEvent((event) => this.events.push(event));
  }

  async waitFor(
    what: string,
    matches: (event: AppEvent) => boolean,
    timeoutMs = 15_000,
  ): Promise<AppEvent> {
    let found: AppEvent | undefined;
    await waitFor(
      () => {
        found = this.events.find(matches);
        return found !== undefined;
      },
      timeoutMs,
      what,
    );
    if (found === undefined) throw new Error(`no ${what}`);
    return found;
  }

  stop(): void {
    this.#unsubscribe();
  }
}

/** A real `ws` client on the dev host's bridge, speaking devHostProtocol.std.ts. */
export class BridgeClient {
  readonly socket: WebSocket;
  readonly replies = new Map<number, CallResult>();
  readonly events: AppEvent[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: RawData) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : data instanceof ArrayBuffer
          ? Buffer.from(data)
          : data;
      const message = JSON.parse(bytes.toString('utf8')) as BridgeHostMessage;
      if (message.type === 'reply') this.replies.set(message.id, message.result);
      else this.events.push(message.event);
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  /** Opens a socket (refused upgrades reject with the HTTP status). */
  static open(url: string, origin: string | undefined): Promise<BridgeClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, origin === undefined ? {} : { origin });
      const client = new BridgeClient(socket);
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('unexpected-response', (_request, response) => {
        reject(new UpgradeRefused(response.statusCode ?? 0));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  send(text: string | Uint8Array): void {
    this.socket.send(text);
  }

  hello(token: string): void {
    this.send(JSON.stringify({ type: 'hello', token }));
  }

  /** Sends a call and waits for its reply. */
  async request<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<CallResult> {
    const id = this.#nextId++;
    this.send(JSON.stringify({ type: 'call', id, call: { method, args } }));
    return this.reply(id);
  }

  async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
    const result = await this.request(method, args);
    if (!result.ok) throw new CallFailed(result.error);
    return result.value as ApiResults[M];
  }

  async reply(id: number, timeoutMs = 15_000): Promise<CallResult> {
    await waitFor(() => this.replies.has(id), timeoutMs, `reply ${id}`);
    const result = this.replies.get(id);
    this.replies.delete(id);
    if (result === undefined) throw new Error(`no reply ${id}`);
    return result;
  }

  close(): void {
    this.socket.close();
  }
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}
