import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressRateKey } from './RelayRateLimits.js';

export interface UpgradeGuardOptions {
  /** Connections whose upgrade request is not complete yet, in total. */
  readonly maxPending: number;
  /** The same from one address (IPv6: /64); 0: not counted per address (behind a proxy). */
  readonly maxPendingPerAddress: number;
  /** Time a connection has to complete its upgrade request, in ms. */
  readonly timeoutMs: number;
  /** Called for each connection dropped (over a cap or out of time). */
  readonly onDropped: () => void;
}

/**
 * Bounds half-finished upgrade requests (a slowloris sending its headers a byte at a time, or a
 * TCP connection that never sends any). Node alone would keep each for its 60 s header timeout,
 * with no limit on how many: here each has `timeoutMs` to complete the upgrade, and beyond
 * `maxPending` (or `maxPendingPerAddress` from one address) new connections are dropped at once,
 * before a byte is read. A plain HTTP request (a health check) stays counted until its
 * connection closes, which keep-alive's timeout or ours does soon.
 */
export class UpgradeGuard {
  readonly #options: UpgradeGuardOptions;
  readonly #pending = new Map<Socket, { timer: NodeJS.Timeout; address: string }>();
  readonly #perAddress = new Map<string, number>();

  constructor(server: Server, options: UpgradeGuardOptions, secure: boolean) {
    this.#options = options;
    // With TLS, 'connection' is the raw socket and 'upgrade' the TLS one: count from the end of
    // the TLS handshake (itself bounded by the server's handshakeTimeout).
    server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.#onConnection(socket);
    });
    server.on('upgrade', (_request, socket: Socket) => {
      this.#settle(socket);
    });
  }

  /** Connections whose upgrade is not complete. */
  get pending(): number {
    return this.#pending.size;
  }

  #onConnection(socket: Socket): void {
    const { maxPending, maxPendingPerAddress, timeoutMs, onDropped } = this.#options;
    const address = addressRateKey(socket.remoteAddress ?? 'unknown');
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (
      this.#pending.size >= maxPending ||
      (maxPendingPerAddress > 0 && fromAddress >= maxPendingPerAddress)
    ) {
      onDropped();
      socket.destroy();
      return;
    }
    const timer = setTimeout(() => {
      if (!this.#pending.has(socket)) return;
      this.#settle(socket);
      onDropped();
      socket.destroy();
    }, timeoutMs);
    timer.unref();
    this.#pending.set(socket, { timer, address });
    this.#perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.#settle(socket);
    });
  }

  /**
   * Stops timing a connection that sent a complete plain HTTP request the relay serves for longer
   * than an upgrade (a blob transfer, bounded by its own limits).
   */
  release(socket: Socket): void {
    this.#settle(socket);
  }

  #settle(socket: Socket): void {
    const entry = this.#pending.get(socket);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.#pending.delete(socket);
    const left = (this.#perAddress.get(entry.address) ?? 1) - 1;
    if (left <= 0) this.#perAddress.delete(entry.address);
    else this.#perAddress.set(entry.address, left);
  }
}
