// A deliberately thin relay client for tests: it speaks raw protobuf frames over ws, so tests
// control every byte (including malformed ones) and see every frame the relay sends back.
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { decodeServerFrame, encodeClientFrame } from '../../../core/index.js';
import type { ClientFrameInit, wire } from '../../../core/index.js';

export type ClientBody = NonNullable<ClientFrameInit['body']>;
export type ServerFrame = wire.ServerFrame;
export type ServerBody = ServerFrame['body'];
export type ServerCase = NonNullable<ServerBody['case']>;
export type ServerValue<C extends ServerCase> =
  Extract<ServerBody, { case: C }> extends { value: infer V } ? V : never;

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

export class RawClient {
  readonly #ws: WebSocket;
  readonly #frames: ServerFrame[] = [];
  readonly #waiters = new Set<() => void>();
  #nextRequestId = 1;
  #challenge: wire.Challenge | undefined;
  /** Frames the relay sent that did not decode (must stay empty: the relay never sends junk). */
  readonly undecodable: Uint8Array[] = [];
  readonly closed: Promise<CloseInfo>;
  #closeInfo: CloseInfo | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.#closeInfo);
        this.#notify();
      });
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        this.undecodable.push(new Uint8Array(data));
        return;
      }
      try {
        this.#frames.push(decodeServerFrame(new Uint8Array(data)));
      } catch {
        this.undecodable.push(new Uint8Array(data));
      }
      this.#notify();
    });
    ws.on('error', () => undefined);
  }

  /** Connects and waits for the relay's Challenge. */
  static async connect(
    url: string,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    options: { readonly ca?: string; readonly localAddress?: string } = {},
  ): Promise<RawClient> {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
      ws.once('close', (code) => {
        reject(new Error(`closed before opening (${code})`));
      });
    });
    const first = await client.next(() => true, timeoutMs);
    if (first.body.case !== 'challenge') {
      // Refusals (too many connections) come as an Error frame instead: keep it for the test.
      client.#frames.unshift(first);
      return client;
    }
    client.#challenge = first.body.value;
    return client;
  }

  get challenge(): wire.Challenge {
    if (this.#challenge === undefined) throw new Error('no challenge received');
    return this.#challenge;
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /** Sends a frame; returns its request id. */
  send(body: ClientBody, requestId = this.#nextRequestId++): number {
    this.#ws.send(encodeClientFrame({ requestId, body }));
    return requestId;
  }

  /** Stops reading from the socket (pings go unanswered, the relay's frames back up). */
  pauseReading(): void {
    this.#socket().pause();
  }

  resumeReading(): void {
    this.#socket().resume();
  }

  #socket(): Socket {
    // ws keeps its net.Socket private; tests need it to play a dead or slow peer.
    const socket = (this.#ws as unknown as { _socket?: Socket })._socket;
    if (socket === undefined) throw new Error('no socket');
    return socket;
  }

  sendRaw(data: Uint8Array | string): void {
    this.#ws.send(data);
  }

  /** Sends a frame and waits for the relay's answer to it. */
  async request(body: ClientBody, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ServerFrame> {
    const requestId = this.send(body);
    return this.next((frame) => frame.requestId === requestId, timeoutMs);
  }

  /** Sends a frame and expects an answer of the given kind. */
  async expect<C extends ServerCase>(
    body: ClientBody,
    kind: C,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<ServerValue<C>> {
    const frame = await this.request(body, timeoutMs);
    if (frame.body.case !== kind) {
      const detail = frame.body.case === 'error' ? ` ${frame.body.value.code}` : '';
      throw new Error(`expected ${kind}, got ${String(frame.body.case)}${detail}`);
    }
    return frame.body.value as ServerValue<C>;
  }

  /** Sends a frame and returns the code of the Error frame that answers it. */
  async errorCode(body: ClientBody, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const error = await this.expect(body, 'error', timeoutMs);
    return error.code;
  }

  /** Removes and returns the first received frame matching `predicate`, waiting if needed. */
  async next(
    predicate: (frame: ServerFrame) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#frames.findIndex(predicate);
      if (index >= 0) {
        const [frame] = this.#frames.splice(index, 1);
        if (frame !== undefined) return frame;
      }
      if (this.#closeInfo !== undefined) {
        throw new Error(`connection closed (${this.#closeInfo.code}) while waiting for a frame`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await this.#wait(left);
    }
  }

  /** Every frame received and not yet taken, without removing them. */
  pending(): readonly ServerFrame[] {
    return [...this.#frames];
  }

  /** Waits for `count` Deliver frames (in arrival order). */
  async deliveries(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<wire.Deliver[]> {
    const out: wire.Deliver[] = [];
    while (out.length < count) {
      const frame = await this.next((f) => f.body.case === 'deliver', timeoutMs);
      if (frame.body.case === 'deliver') out.push(frame.body.value);
    }
    return out;
  }

  /** Resolves with the close code once the relay closes the connection. */
  async waitClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CloseInfo> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.closed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error('timed out waiting for close'));
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closeInfo !== undefined) return;
    this.#ws.close();
    await this.waitClosed().catch(() => {
      this.#ws.terminate();
    });
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
