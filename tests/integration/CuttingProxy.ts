import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP forwarder on loopback in front of a relay that cuts the first `cuts` connections to carry
 * `afterBytes` bytes in one direction (`toRelay`: an upload; `toClient`: a download),
 * as a dropped Wi-Fi or a Tor circuit change would. It records the first line and headers each
 * connection sent, so a test can see what a resumed request asked for.
 */
export class CuttingProxy {
  /** The request heads (request line and headers) seen, in order, across connections. */
  readonly requestHeads: string[] = [];
  cutsDone = 0;
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  private constructor(
    server: net.Server,
    readonly target: { host: string; port: number },
    readonly options: { direction: 'toRelay' | 'toClient'; afterBytes: number; cuts: number },
  ) {
    this.#server = server;
    server.on('connection', (client) => {
      this.#accept(client);
    });
  }

  static async start(
    target: { host: string; port: number },
    options: { direction: 'toRelay' | 'toClient'; afterBytes: number; cuts: number },
  ): Promise<CuttingProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new CuttingProxy(server, target, options);
  }

  /** A ws:// URL for the relay behind this proxy. */
  get url(): string {
    return `ws://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  #accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    let passed = 0;
    let state: 'counting' | 'cut' | 'spared' = 'counting';
    let head = '';
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    const forward = (from: net.Socket, to: net.Socket, counted: boolean): void => {
      from.on('data', (chunk: Buffer) => {
        if (from === client && head.length < 4096) {
          head += chunk.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end >= 0) {
            for (const one of head.split(/\r\n\r\n/).filter((part) => /^[A-Z]+ \//.test(part))) {
              this.requestHeads.push(one);
            }
            head = '';
          }
        }
        if (state === 'cut') return;
        if (counted && state === 'counting') {
          const room = this.options.afterBytes - passed;
          passed += chunk.length;
          if (passed >= this.options.afterBytes) {
            if (this.cutsDone >= this.options.cuts) {
              // Cuts used up: this connection runs to its end.
              state = 'spared';
            } else {
              this.cutsDone += 1;
              state = 'cut';
              to.write(chunk.subarray(0, room), cut);
              return;
            }
          }
        }
        to.write(chunk);
      });
      from.on('close', () => {
        to.end();
      });
      from.on('error', () => {
        to.destroy();
      });
    };
    forward(client, upstream, this.options.direction === 'toRelay');
    forward(upstream, client, this.options.direction === 'toClient');
    for (const socket of [client, upstream]) {
      socket.once('close', () => this.#sockets.delete(socket));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}
