// A small TCP load balancer on loopback, standing in for the one an operator puts in front of a
// relay cluster (HAProxy, nginx, a cloud balancer): one address for every client, each new
// connection passed byte for byte to the next live relay node (round robin). A node that refuses
// a connection is taken out at once and the connection tries the next. A node that dies takes its
// connections with it (the client side is closed too), so clients reconnect and land elsewhere.
// A node is live while its /readyz answers 200 in time; after a few failed checks in a row it is
// taken out until one passes.
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/** One relay node behind the balancer. */
export interface BalancerBackend {
  readonly name: string;
  readonly port: number;
  /** The node's /healthz and /readyz listener (--metrics-port). */
  readonly healthPort: number;
}

export interface TcpBalancerOptions {
  /** How often each node's /readyz is asked. Default 250 ms. */
  readonly healthIntervalMs?: number;
  /** A /readyz that does not answer 200 within this is a failed check. Default 2 s. */
  readonly healthTimeoutMs?: number;
  /**
   * Failed checks in a row that take a node out (one passed check brings it back), as a real
   * balancer's `fall`: one slow answer on a busy machine does not. Default 2.
   */
  readonly failuresToTakeOut?: number;
}

const HOST = '127.0.0.1';

interface BackendState {
  readonly backend: BalancerBackend;
  live: boolean;
  probing: boolean;
  /** Failed checks in a row. */
  failures: number;
  /** What the last check got: an HTTP status and reason, a timeout or an error. */
  lastCheck: string;
  /** Client↔node socket pairs passed to this node and still open. */
  readonly pairs: Set<[Socket, Socket]>;
}

export class TcpBalancer {
  readonly #server: Server;
  readonly #backends = new Map<string, BackendState>();
  readonly #healthTimer: NodeJS.Timeout;
  readonly #healthTimeoutMs: number;
  readonly #failuresToTakeOut: number;
  #next = 0;
  #closed = false;
  /**
   * While set (and that node is live), every new connection goes to this node: a test places a
   * client on a node it chose. Unset: round robin.
   */
  prefer: string | undefined;
  /** Connections passed to each node since the start (a node's name → count). */
  readonly accepted = new Map<string, number>();

  private constructor(
    server: Server,
    backends: readonly BalancerBackend[],
    options: TcpBalancerOptions,
  ) {
    this.#server = server;
    this.#healthTimeoutMs = options.healthTimeoutMs ?? 2000;
    this.#failuresToTakeOut = options.failuresToTakeOut ?? 2;
    for (const backend of backends) {
      this.#backends.set(backend.name, {
        backend,
        live: true,
        probing: false,
        failures: 0,
        lastCheck: 'none yet',
        pairs: new Set(),
      });
    }
    server.on('connection', (client) => {
      this.#pass(client, new Set());
    });
    this.#healthTimer = setInterval(() => {
      for (const state of this.#backends.values()) this.#probe(state);
    }, options.healthIntervalMs ?? 250);
    this.#healthTimer.unref();
  }

  static async start(
    backends: readonly BalancerBackend[],
    options: TcpBalancerOptions = {},
  ): Promise<TcpBalancer> {
    // Paused: nothing is read from a client until its node is connected, so no byte is lost
    // when the first node tried refuses.
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpBalancer(server, backends, options);
  }

  /** The one relay URL clients know. */
  get url(): string {
    return `ws://${HOST}:${(this.#server.address() as AddressInfo).port}`;
  }

  /**
   * Points `name` at a node's new ports (a node restarted on another metrics port, say); it stays
   * out until its /readyz answers.
   */
  replace(backend: BalancerBackend): void {
    const state = this.#state(backend.name);
    this.#backends.set(backend.name, {
      ...state,
      backend,
      live: false,
      // A check of the old ports still running settles the old state, not this one.
      probing: false,
      failures: 0,
      lastCheck: 'none yet',
    });
  }

  /** Whether the balancer currently sends new connections to `name`. */
  isLive(name: string): boolean {
    return this.#state(name).live;
  }

  /** Open client connections currently passed to `name`. */
  connectionsTo(name: string): number {
    return this.#state(name).pairs.size;
  }

  /**
   * Cuts every open connection to `name` (both sides), as a balancer does when it takes a node
   * out: the clients reconnect and, unless `name` is preferred, land on other nodes. Returns how
   * many were cut.
   */
  cut(name: string): number {
    const state = this.#state(name);
    const pairs = [...state.pairs];
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    state.pairs.clear();
    return pairs.length;
  }

  /** Every node's count of open connections, for progress lines. */
  describe(): string {
    return [...this.#backends.values()]
      .map(
        ({ backend, live, pairs, lastCheck }) =>
          `${backend.name} ${live ? 'up' : `DOWN (${lastCheck})`} ${pairs.size}`,
      )
      .join(', ');
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#healthTimer);
    for (const state of this.#backends.values()) this.cut(state.backend.name);
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #state(name: string): BackendState {
    const state = this.#backends.get(name);
    if (state === undefined) throw new Error(`no node ${name} behind the balancer`);
    return state;
  }

  /** The node for a new connection, skipping those `tried` already; undefined when none is left. */
  #choose(tried: ReadonlySet<string>): BackendState | undefined {
    const candidates = [...this.#backends.values()].filter(
      (state) => state.live && !tried.has(state.backend.name),
    );
    const preferred = candidates.find((state) => state.backend.name === this.prefer);
    if (preferred !== undefined) return preferred;
    if (candidates.length === 0) return undefined;
    const chosen = candidates[this.#next % candidates.length];
    this.#next++;
    return chosen;
  }

  #pass(client: Socket, tried: Set<string>): void {
    const state = this.#closed ? undefined : this.#choose(tried);
    if (state === undefined) {
      // No live node: the client sees a closed connection and retries later, as behind a real
      // balancer with every backend down.
      client.destroy();
      return;
    }
    const name = state.backend.name;
    tried.add(name);
    const upstream = createConnection({ host: HOST, port: state.backend.port });
    const onRefused = (): void => {
      // The node is gone (its process died): out until /readyz answers again; try the next.
      state.live = false;
      upstream.destroy();
      if (!client.destroyed) this.#pass(client, tried);
    };
    upstream.once('error', onRefused);
    client.once('close', () => {
      if (upstream.connecting) upstream.destroy();
    });
    upstream.once('connect', () => {
      upstream.off('error', onRefused);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      const pair: [Socket, Socket] = [client, upstream];
      state.pairs.add(pair);
      this.accepted.set(name, (this.accepted.get(name) ?? 0) + 1);
      const closeBoth = (): void => {
        state.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', closeBoth);
      upstream.on('error', closeBoth);
      client.on('close', closeBoth);
      upstream.on('close', closeBoth);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  /**
   * Asks the node's /readyz: a node that answers 200 in time is live; one that fails
   * `failuresToTakeOut` checks in a row is not.
   */
  #probe(state: BackendState): void {
    if (state.probing || this.#closed) return;
    state.probing = true;
    let settled = false;
    const settle = (live: boolean, check: string): void => {
      if (settled) return;
      settled = true;
      state.lastCheck = check;
      state.probing = false;
      state.failures = live ? 0 : state.failures + 1;
      if (live) state.live = true;
      else if (state.failures >= this.#failuresToTakeOut) state.live = false;
    };
    const asking = request(
      { host: HOST, port: state.backend.healthPort, path: '/readyz', agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body = (body + chunk).slice(0, 100);
        });
        response.on('end', () => {
          settle(response.statusCode === 200, `${String(response.statusCode)} ${body.trim()}`);
        });
        response.on('error', () => {
          settle(false, 'response error');
        });
      },
    );
    asking.setTimeout(this.#healthTimeoutMs, () => {
      asking.destroy();
      settle(false, `no answer in ${this.#healthTimeoutMs} ms`);
    });
    asking.on('error', (error: NodeJS.ErrnoException) => {
      settle(false, error.code ?? 'error');
    });
    asking.end();
  }
}
