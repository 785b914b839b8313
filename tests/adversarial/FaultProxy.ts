import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What a FaultProxy does to the bytes it carries. Chances are per chunk read from either side (a
 * chunk is what one read returned: usually one WebSocket frame or a few, sometimes part of one).
 */
export interface FaultRates {
  /** Chance a chunk is held back 1..`maxDelayMs` ms (later chunks wait behind it). */
  readonly delay: number;
  readonly maxDelayMs: number;
  /** Chance the direction goes silent for `minStallMs`..`maxStallMs` before the chunk. */
  readonly stall: number;
  readonly minStallMs: number;
  readonly maxStallMs: number;
  /** Chance part of the chunk goes through, then both sides are reset (RST) mid-frame. */
  readonly reset: number;
  /** Chance the connection is dropped before the chunk (both sides closed, the chunk lost). */
  readonly drop: number;
  /** Each connection is dropped after a random time up to this (ms); 0: connections live on. */
  readonly maxLifetimeMs: number;
}

/** No faults: bytes pass as they come. */
export const NO_FAULTS: FaultRates = {
  delay: 0,
  maxDelayMs: 0,
  stall: 0,
  minStallMs: 0,
  maxStallMs: 0,
  reset: 0,
  drop: 0,
  maxLifetimeMs: 0,
};

export interface FaultProxyOptions {
  /** The port on 127.0.0.1 to forward to. */
  readonly targetPort: number;
  /** Uniform in [0, 1): seeded, so a run's faults replay. */
  readonly random: () => number;
  /** Starting faults; `faults` can be changed at any time. Default: none. */
  readonly faults?: FaultRates;
  /** Connections open at once; more are refused (closed at once). Default 256. */
  readonly maxConnections?: number;
  /** Bytes queued per direction of a connection before the proxy stops reading. Default 1 MiB. */
  readonly maxQueuedBytes?: number;
}

/** What the proxy did so far. */
export interface FaultCounts {
  connections: number;
  refused: number;
  delays: number;
  stalls: number;
  resets: number;
  drops: number;
  /** Connections dropped because their lifetime ran out. */
  expired: number;
  bytes: number;
}

const DEFAULT_MAX_CONNECTIONS = 256;
const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

/**
 * A TCP proxy on 127.0.0.1 standing in for a bad network between clients and a relay: it delays
 * chunks, stalls a direction for seconds, resets connections in the middle of a frame and drops
 * them, at random (seeded) rates. Bytes it passes keep their order; it never invents or alters
 * any. Everything it holds is bounded (connections, queued bytes per direction) and `close()`
 * ends every socket and timer.
 */
export class FaultProxy {
  #faults: FaultRates;
  readonly counts: FaultCounts = {
    connections: 0,
    refused: 0,
    delays: 0,
    stalls: 0,
    resets: 0,
    drops: 0,
    expired: 0,
    bytes: 0,
  };
  readonly #server: net.Server;
  readonly #options: FaultProxyOptions;
  readonly #connections = new Set<ProxiedConnection>();
  #closed = false;

  private constructor(server: net.Server, options: FaultProxyOptions) {
    this.#server = server;
    this.#options = options;
    this.#faults = options.faults ?? NO_FAULTS;
    server.on('connection', (socket) => {
      this.#accept(socket);
    });
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = net.createServer({ allowHalfOpen: true });
    const proxy = new FaultProxy(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  /** The faults applied from now on (a stall already running runs its course). */
  get faults(): FaultRates {
    return this.#faults;
  }

  /** Changes the faults; connections already open get a lifetime too, if they had none. */
  set faults(faults: FaultRates) {
    this.#faults = faults;
    for (const connection of this.#connections) this.#limitLifetime(connection);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Connections (client and relay side together) not yet fully closed. */
  get openConnections(): number {
    return this.#connections.size;
  }

  /** Pending timers (delays, stalls, lifetimes) across all connections. */
  get pendingTimers(): number {
    let count = 0;
    for (const connection of this.#connections) count += connection.timers;
    return count;
  }

  /** Stops listening and ends every connection at once; resolves when all are gone. */
  async close(): Promise<void> {
    this.#closed = true;
    const stopped = new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
    const connections = [...this.#connections];
    for (const connection of connections) connection.destroy('drop');
    // Both sockets of each connection report their close before it is gone.
    await Promise.all([stopped, ...connections.map((connection) => connection.gone)]);
  }

  #accept(client: net.Socket): void {
    const maxConnections = this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (this.#closed || this.#connections.size >= maxConnections) {
      this.counts.refused++;
      client.destroy();
      return;
    }
    this.counts.connections++;
    const upstream = net.connect({
      host: '127.0.0.1',
      port: this.#options.targetPort,
      allowHalfOpen: true,
    });
    const connection = new ProxiedConnection(this, client, upstream, {
      random: this.#options.random,
      maxQueuedBytes: this.#options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
      onGone: () => this.#connections.delete(connection),
    });
    this.#connections.add(connection);
    this.#limitLifetime(connection);
  }

  #limitLifetime(connection: ProxiedConnection): void {
    const lifetime = this.#faults.maxLifetimeMs;
    if (lifetime <= 0 || connection.hasLifetime) return;
    connection.hasLifetime = true;
    connection.after(Math.max(1, Math.floor(this.#options.random() * lifetime)), () => {
      this.counts.expired++;
      connection.destroy('drop');
    });
  }
}

type Fate = 'pass' | 'delay' | 'stall' | 'reset' | 'drop';

/** One client connection and its connection to the relay. */
class ProxiedConnection {
  readonly #proxy: FaultProxy;
  readonly #client: net.Socket;
  readonly #upstream: net.Socket;
  readonly #random: () => number;
  readonly #timers = new Map<NodeJS.Timeout, () => void>();
  readonly #onGone: () => void;
  #destroyed = false;
  #closedSockets = 0;
  /** Whether a lifetime was set (connections opened without faults get one when they start). */
  hasLifetime = false;
  /** Resolves once both sockets have closed. */
  readonly gone: Promise<void>;
  #resolveGone: () => void = () => undefined;

  constructor(
    proxy: FaultProxy,
    client: net.Socket,
    upstream: net.Socket,
    options: { random: () => number; maxQueuedBytes: number; onGone: () => void },
  ) {
    this.#proxy = proxy;
    this.#client = client;
    this.#upstream = upstream;
    this.#random = options.random;
    this.#onGone = options.onGone;
    this.gone = new Promise((resolve) => {
      this.#resolveGone = resolve;
    });
    const toRelay = new Direction(this, client, upstream, options.maxQueuedBytes);
    const toClient = new Direction(this, upstream, client, options.maxQueuedBytes);
    for (const [socket, direction] of [
      [client, toRelay],
      [upstream, toClient],
    ] as const) {
      socket.on('data', (chunk: Buffer) => {
        direction.push(chunk);
      });
      socket.on('end', () => {
        direction.end();
      });
      // A reset or refused connection on one side resets the other: the proxy is transparent.
      socket.on('error', () => {
        this.destroy('reset');
      });
      socket.on('close', () => {
        this.#closedSockets++;
        if (this.#closedSockets === 2) this.#gone();
        // One side gone for good: nothing it was owed can reach it, and nothing more comes from
        // it; the other side ends once what it is owed has gone out (Direction.end).
        else if (socket.destroyed && !direction.isEnded) this.destroy('drop');
      });
    }
  }

  get timers(): number {
    return this.#timers.size;
  }

  get isDestroyed(): boolean {
    return this.#destroyed;
  }

  get faults(): FaultRates {
    return this.#proxy.faults;
  }

  get counts(): FaultCounts {
    return this.#proxy.counts;
  }

  random(): number {
    return this.#random();
  }

  /** What happens to the next chunk. */
  fate(): Fate {
    const faults = this.faults;
    const roll = this.#random();
    let edge = faults.drop;
    if (roll < edge) return 'drop';
    edge += faults.reset;
    if (roll < edge) return 'reset';
    edge += faults.stall;
    if (roll < edge) return 'stall';
    edge += faults.delay;
    if (roll < edge) return 'delay';
    return 'pass';
  }

  /** Runs `action` after `ms`, unless the connection is destroyed first. */
  after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.set(timer, () => undefined);
  }

  /** Resolves after `ms`, or at once when the connection is destroyed. */
  sleep(ms: number): Promise<void> {
    if (this.#destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, resolve);
    });
  }

  /** Ends both sides: 'drop' closes them, 'reset' sends RST. */
  destroy(how: 'drop' | 'reset'): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const [timer, wake] of this.#timers) {
      clearTimeout(timer);
      wake();
    }
    this.#timers.clear();
    for (const socket of [this.#client, this.#upstream]) {
      if (how === 'reset' && !socket.destroyed && socket.readyState !== 'opening') {
        socket.resetAndDestroy();
      } else {
        socket.destroy();
      }
    }
  }

  #gone(): void {
    this.destroy('drop');
    this.#onGone();
    this.#resolveGone();
  }
}

/** One direction of a connection: chunks in arrival order, each meeting its fate in turn. */
class Direction {
  readonly #connection: ProxiedConnection;
  readonly #from: net.Socket;
  readonly #to: net.Socket;
  readonly #maxQueuedBytes: number;
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #pumping = false;
  #ended = false;

  constructor(connection: ProxiedConnection, from: net.Socket, to: net.Socket, max: number) {
    this.#connection = connection;
    this.#from = from;
    this.#to = to;
    this.#maxQueuedBytes = max;
  }

  get isEnded(): boolean {
    return this.#ended;
  }

  push(chunk: Buffer): void {
    if (this.#connection.isDestroyed) return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > this.#maxQueuedBytes) this.#from.pause();
    if (!this.#pumping) void this.#pump();
  }

  /** The sending side finished: pass the end on once the queue is empty. */
  end(): void {
    this.#ended = true;
    if (!this.#pumping) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      for (let chunk = this.#queue.shift(); chunk !== undefined; chunk = this.#queue.shift()) {
        if (!(await this.#forward(chunk))) return;
        this.#queuedBytes -= chunk.length;
        if (this.#from.isPaused() && this.#queuedBytes <= this.#maxQueuedBytes / 2) {
          this.#from.resume();
        }
      }
      if (this.#ended && !this.#connection.isDestroyed) this.#to.end();
    } finally {
      this.#pumping = false;
    }
  }

  /** Meets one chunk's fate; false when the connection is gone. */
  async #forward(chunk: Buffer): Promise<boolean> {
    const connection = this.#connection;
    const { faults, counts } = connection;
    switch (connection.fate()) {
      case 'drop':
        counts.drops++;
        connection.destroy('drop');
        return false;
      case 'reset': {
        counts.resets++;
        if (chunk.length > 1 && !this.#to.destroyed) {
          const cut = 1 + Math.floor(connection.random() * (chunk.length - 1));
          this.#to.write(chunk.subarray(0, cut));
          counts.bytes += cut;
        }
        // Let the partial frame leave before the RST overtakes it.
        await connection.sleep(5);
        connection.destroy('reset');
        return false;
      }
      case 'stall': {
        counts.stalls++;
        const span = faults.maxStallMs - faults.minStallMs;
        await connection.sleep(faults.minStallMs + Math.floor(connection.random() * span));
        break;
      }
      case 'delay':
        counts.delays++;
        await connection.sleep(1 + Math.floor(connection.random() * faults.maxDelayMs));
        break;
      case 'pass':
        break;
    }
    if (connection.isDestroyed || this.#to.destroyed) return false;
    counts.bytes += chunk.length;
    if (!this.#to.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#to.off('drain', done);
          this.#to.off('close', done);
          resolve();
        };
        this.#to.on('drain', done);
        this.#to.on('close', done);
      });
    }
    return !connection.isDestroyed;
  }
}
