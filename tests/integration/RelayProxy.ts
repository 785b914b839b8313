import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientFrameInit, ServerFrameInit, wire } from '../../core/index.js';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeServerFrame,
  personaAddressFor,
} from '../../core/index.js';

/**
 * Request ids the proxy uses for requests of its own on a client's connection. Clients count up
 * from 1, so they never get here in a test; the relay's answers to these never reach the client.
 */
const FIRST_PROXY_REQUEST_ID = 0x8000_0000;
const PROXY_REQUEST_TIMEOUT_MS = 10_000;

type ClientBody = NonNullable<ClientFrameInit['body']>;

/**
 * One client connection through the proxy, with its own connection to the relay. A test can
 * speak on it in either direction: push a frame to the client as if the relay sent it, or send a
 * request to the relay as if the client did (the answer goes to the test, not the client).
 */
export class ProxyLink {
  /** The persona the client authenticated as on this connection; undefined while anonymous. */
  persona: string | undefined;
  readonly #client: WebSocket;
  readonly #toUpstream: (data: Uint8Array) => void;
  readonly #answers = new Map<number, (frame: wire.ServerFrame) => void>();
  #nextRequestId = FIRST_PROXY_REQUEST_ID;

  constructor(client: WebSocket, toUpstream: (data: Uint8Array) => void) {
    this.#client = client;
    this.#toUpstream = toUpstream;
  }

  get isOpen(): boolean {
    return this.#client.readyState === WebSocket.OPEN;
  }

  /** Sends `frame` to the client as if the relay had (after frames already on their way). */
  toClient(frame: ServerFrameInit): void {
    if (this.isOpen) this.#client.send(encodeServerFrame(frame));
  }

  /**
   * Sends a request to the relay on this connection, as the client would have: an authenticated
   * connection speaks for its persona. Resolves with the relay's answer (an `error` frame too).
   */
  toRelay(body: ClientBody): Promise<wire.ServerFrame> {
    const requestId = this.#nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#answers.delete(requestId);
        reject(new Error('the relay did not answer the proxy in time'));
      }, PROXY_REQUEST_TIMEOUT_MS);
      this.#answers.set(requestId, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.#toUpstream(encodeClientFrame({ requestId, body }));
    });
  }

  /** True when the frame answered one of the proxy's own requests (and was taken). */
  takeAnswer(frame: wire.ServerFrame): boolean {
    const answer = this.#answers.get(frame.requestId);
    if (answer === undefined) return false;
    this.#answers.delete(frame.requestId);
    answer(frame);
    return true;
  }
}

/**
 * A man in the middle between clients and a relay on loopback, standing in for a hostile or slow
 * network or relay: it can rewrite or drop frames the relay sends, rewrite or hold back frames
 * clients send, and speak on any client's connection in either direction (see ProxyLink).
 */
export class RelayProxy {
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly #links = new Set<ProxyLink>();
  /** Rewrites a relay frame before the client sees it; undefined drops it. */
  rewriteServerFrame: (frame: wire.ServerFrame, link: ProxyLink) => wire.ServerFrame | undefined = (
    frame,
  ) => frame;
  /**
   * Rewrites a client frame before the relay sees it (standing in for a modified client);
   * undefined drops it. Unset, frames pass byte for byte.
   */
  rewriteClientFrame:
    ((frame: wire.ClientFrame, link: ProxyLink) => wire.ClientFrame | undefined) | undefined;
  /** Delay before a client frame reaches the relay, in ms. */
  clientFrameDelayMs = 0;

  private constructor(server: WebSocketServer, upstreamUrl: string) {
    this.#server = server;
    server.on('connection', (client) => {
      const upstream = new WebSocket(upstreamUrl);
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      const pending: Uint8Array[] = [];
      const toUpstream = (data: Uint8Array): void => {
        setTimeout(() => {
          if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
          else if (upstream.readyState === WebSocket.CONNECTING) pending.push(data);
        }, this.clientFrameDelayMs);
      };
      const link = new ProxyLink(client, toUpstream);
      this.#links.add(link);
      upstream.on('open', () => {
        for (const data of pending.splice(0)) upstream.send(data);
      });
      upstream.on('message', (data: Buffer) => {
        const decoded = decodeServerFrame(new Uint8Array(data));
        if (link.takeAnswer(decoded)) return;
        const frame = this.rewriteServerFrame(decoded, link);
        if (frame !== undefined) link.toClient(frame);
      });
      client.on('message', (raw: Buffer) => {
        const bytes = new Uint8Array(raw);
        const frame = tryDecodeClientFrame(bytes);
        if (frame?.body.case === 'auth')
          link.persona = personaAddressFor(frame.body.value.identityKey);
        const rewrite = this.rewriteClientFrame;
        if (rewrite === undefined || frame === undefined) {
          toUpstream(bytes);
          return;
        }
        const rewritten = rewrite(frame, link);
        if (rewritten !== undefined) toUpstream(encodeClientFrame(rewritten));
      });
      const closeBoth = (): void => {
        this.#links.delete(link);
        client.terminate();
        upstream.terminate();
      };
      client.on('close', closeBoth);
      upstream.on('close', closeBoth);
      client.on('error', closeBoth);
      upstream.on('error', closeBoth);
    });
  }

  static async start(upstreamUrl: string): Promise<RelayProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new RelayProxy(server, upstreamUrl);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The open connections that authenticated as `persona` (the newest last). */
  linksOf(persona: string): ProxyLink[] {
    return [...this.#links].filter((link) => link.persona === persona && link.isOpen);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}

/** A client frame, or undefined when it does not decode (it is then passed on as it came). */
function tryDecodeClientFrame(bytes: Uint8Array): wire.ClientFrame | undefined {
  try {
    return decodeClientFrame(bytes);
  } catch {
    return undefined;
  }
}
