import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { BLOB_PATH_PREFIX } from '../../core/index.js';

/**
 * A TCP forwarder on loopback in front of a relay that, while held, lets a blob transfer carry
 * only its first `afterBytes` bytes in the direction held (toward the client for a download `GET`,
 * toward the relay for an upload `PUT`) and keeps the rest until released: a slow link, so the
 * window's progress bars can be seen part way. Every other connection (the relay's WebSocket)
 * passes untouched.
 */
export class StallingProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #waiting: (() => void)[] = [];
  #held: { readonly method: 'GET' | 'PUT'; readonly afterBytes: number } | undefined;

  private constructor(
    server: net.Server,
    readonly target: { host: string; port: number },
  ) {
    this.#server = server;
    server.on('connection', (client) => {
      this.#accept(client);
    });
  }

  static async start(relayUrl: string): Promise<StallingProxy> {
    const url = new URL(relayUrl);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new StallingProxy(server, { host: url.hostname, port: Number(url.port) });
  }

  /** A ws:// URL for the relay behind this proxy. */
  get url(): string {
    return `ws://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  /** From now on, blob downloads (`GET`) or uploads (`PUT`) stop after `afterBytes`. */
  hold(method: 'GET' | 'PUT', afterBytes: number): void {
    this.#held = { method, afterBytes };
  }

  /** Lets everything held go on, and holds nothing more. */
  release(): void {
    this.#held = undefined;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  #accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const forget = (): void => {
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    client.on('error', forget);
    upstream.on('error', forget);

    let head = '';
    let method: string | undefined;
    let passed = 0;
    const forward = (from: net.Socket, to: net.Socket, towardClient: boolean): void => {
      from.on('data', (chunk: Buffer) => {
        if (from === client && method === undefined) {
          head += chunk.toString('latin1');
          const line = /^([A-Z]+) (\S+)/u.exec(head);
          if (line !== null) {
            method = line[2]?.startsWith(BLOB_PATH_PREFIX) === true ? line[1] : '';
          }
        }
        const rule = this.#held;
        const counted =
          rule !== undefined &&
          method === rule.method &&
          (rule.method === 'GET' ? towardClient : !towardClient);
        if (!counted) {
          to.write(chunk);
          return;
        }
        const allowed = Math.max(0, rule.afterBytes - passed);
        passed += chunk.length;
        if (chunk.length <= allowed) {
          to.write(chunk);
          return;
        }
        // The first bytes go; the rest waits for release().
        if (allowed > 0) to.write(chunk.subarray(0, allowed));
        from.pause();
        this.#waiting.push(() => {
          to.write(chunk.subarray(allowed));
          from.resume();
        });
      });
    };
    forward(client, upstream, false);
    forward(upstream, client, true);
  }
}
