import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { wire } from '../../core/index.js';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeServerFrame,
} from '../../core/index.js';

/**
 * A man in the middle between clients and a relay on loopback, standing in for a hostile or slow
 * network or relay: it can rewrite frames the relay sends and hold back frames clients send.
 */
export class RelayProxy {
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  /** Rewrites a relay frame before the client sees it. */
  rewriteServerFrame: (frame: wire.ServerFrame) => wire.ServerFrame = (frame) => frame;
  /**
   * Rewrites a client frame before the relay sees it (standing in for a modified client); unset,
   * frames pass byte for byte.
   */
  rewriteClientFrame: ((frame: wire.ClientFrame) => wire.ClientFrame) | undefined;
  /** Delay before a client frame reaches the relay, in ms. */
  clientFrameDelayMs = 0;

  private constructor(server: WebSocketServer, upstreamUrl: string) {
    this.#server = server;
    server.on('connection', (client) => {
      const upstream = new WebSocket(upstreamUrl);
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      const pending: Buffer[] = [];
      upstream.on('open', () => {
        for (const data of pending.splice(0)) upstream.send(data);
      });
      upstream.on('message', (data: Buffer) => {
        const frame = this.rewriteServerFrame(decodeServerFrame(new Uint8Array(data)));
        if (client.readyState === WebSocket.OPEN) client.send(encodeServerFrame(frame));
      });
      client.on('message', (raw: Buffer) => {
        const rewrite = this.rewriteClientFrame;
        const data =
          rewrite === undefined
            ? raw
            : encodeClientFrame(rewrite(decodeClientFrame(new Uint8Array(raw))));
        setTimeout(() => {
          if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
          else pending.push(Buffer.from(data));
        }, this.clientFrameDelayMs);
      });
      const closeBoth = (): void => {
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

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}
