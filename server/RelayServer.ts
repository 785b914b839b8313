import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { RelayErrorCode, encodeServerFrame } from '../core/index.js';
import { AnonymousSlots } from './AnonymousSlots.js';
import { SINGLE_NODE, joinRedisCluster } from './cluster/RelayCluster.js';
import type { RelayCluster } from './cluster/RelayCluster.js';
import { CONNECTION_COUNT_REFRESH_MS } from './cluster/SharedConnectionCounts.js';
import { BlobRoutes } from './blobs/BlobRoutes.js';
import { BlobService } from './blobs/BlobService.js';
import type { BlobStore } from './blobs/BlobStore.js';
import { FileBlobStore } from './blobs/FileBlobStore.js';
import { SharedBlobStore } from './blobs/SharedBlobStore.js';
import { Authenticator } from './Authenticator.js';
import { RelayCloseCode } from './closeCodes.js';
import { Connection } from './Connection.js';
import { DirectoryOperatorActions } from './directory/DirectoryOperatorActions.js';
import { RelayDirectory } from './directory/RelayDirectory.js';
import { loadRelayOperator } from './directory/RelayOperator.js';
import type { RelayOperator } from './directory/RelayOperator.js';
import { ConnectionRegistry } from './ConnectionRegistry.js';
import { EnvelopeIntake } from './EnvelopeIntake.js';
import { errorNameOf } from './errorFacts.js';
import { GroupRegistry } from './GroupRegistry.js';
import { GroupWriteGate } from './GroupWriteGate.js';
import { createSilentLogger } from './logger.js';
import { AdminSocket } from './ops/AdminSocket.js';
import { OpsListener } from './ops/OpsListener.js';
import { PrometheusExporter } from './ops/PrometheusExporter.js';
import { Readiness } from './ops/Readiness.js';
import { PreKeyDirectory } from './PreKeyDirectory.js';
import type { RelayContext } from './RelayContext.js';
import { RelayError } from './RelayError.js';
import { loadRelayIdentity } from './RelayIdentity.js';
import type { RelayIdentity } from './RelayIdentity.js';
import { RelayMetrics } from './RelayMetrics.js';
import { resolveRelayOptions } from './RelayOptions.js';
import type { RelayOptions, ResolvedRelayOptions } from './RelayOptions.js';
import { RelayRateLimits, addressRateKey } from './RelayRateLimits.js';
import { StorageGauge } from './StorageGauge.js';
import { LevelRelayStore } from './store/LevelRelayStore.js';
import { STORE_FOLDER, openRelayStore } from './store/openRelayStore.js';
import type { OpenedRelayStore } from './store/openRelayStore.js';
import type { RelayStore } from './store/RelayStore.js';
import { UpgradeGuard } from './UpgradeGuard.js';

/** The LevelDB folder inside the data folder. */
export { STORE_FOLDER };
/** The blob folder inside the data folder (docs/running-a-relay.md). */
export const BLOB_FOLDER = 'blobs';

/**
 * ws rejects (with close code 1009) frames this far above maxFrameBytes by itself; frames in
 * between reach the relay, which answers RELAY_FRAME_TOO_LARGE before closing.
 */
const FRAME_SLACK_BYTES = 64 * 1024;
/** How long a shutdown waits for clients to finish the closing handshake. */
const SHUTDOWN_GRACE_MS = 2000;

/** A relay that is listening. */
export interface RunningRelay {
  /** ws://host:port (wss:// with TLS). */
  readonly url: string;
  readonly port: number;
  /** The sealed-sender trust root clients pin. */
  readonly trustRoot: Uint8Array;
  /** This relay's stable 32-byte id (signed into every authentication). */
  readonly relayId: Uint8Array;
  /** Stops accepting, closes every connection (code 1001), flushes and closes the store. */
  close(): Promise<void>;
  /** /readyz false, serves `drainDelayMs` more, then `close()` (a rolling restart's SIGTERM). */
  drain(): Promise<void>;
  /** The port of the operator's /metrics, /healthz and /readyz listener, when one runs. */
  readonly opsPort: number | undefined;
}

/**
 * The relay: a WebSocket server in front of a RelayStore. It owns the listening socket, the
 * per-remote-address connection counts and the periodic jobs (heartbeat, retention sweep, stats);
 * each Connection does the protocol.
 */
export class RelayServer implements RunningRelay {
  readonly url: string;
  readonly port: number;
  readonly trustRoot: Uint8Array;
  readonly relayId: Uint8Array;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #context: RelayContext;
  readonly #ownsStore: boolean;
  readonly #connections = new Set<Connection>();
  readonly #perAddress = new Map<string, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #sweeping: Promise<void> | undefined;
  #sweepingDue: Promise<void> | undefined;
  #sweepingDirectory: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  /** Every TCP socket of the server, upgraded or not, so shutting down can end them all. */
  readonly #sockets = new Set<Socket>();
  readonly #readiness: Readiness;
  #ops: OpsListener | undefined;
  #admin: AdminSocket | undefined;
  readonly #cluster: RelayCluster;

  private constructor(init: {
    http: Server;
    wss: WebSocketServer;
    port: number;
    options: ResolvedRelayOptions;
    identity: RelayIdentity;
    store: RelayStore;
    ownsStore: boolean;
    /** The LevelDB folder the relay opened, which the storage gauge measures. */
    storeFolder: string | undefined;
    blobFolder: string | undefined;
    cluster: RelayCluster;
    operator: RelayOperator;
    logger: Logger;
    blobStore: BlobStore | undefined;
    blobRequests: BlobRequestHolder;
    metrics: RelayMetrics;
  }) {
    const { options, identity, store, logger } = init;
    this.#http = init.http;
    // One 'close' listener shared by every socket (the emitter is `this`), not a closure and a
    // once-wrapper per socket: idle connections are many (docs/performance.md).
    const sockets = this.#sockets;
    function forgetSocket(this: Socket): void {
      sockets.delete(this);
    }
    this.#http.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', forgetSocket);
    });
    this.#wss = init.wss;
    this.#ownsStore = init.ownsStore;
    this.#cluster = init.cluster;
    this.port = init.port;
    this.url = `${options.tls === undefined ? 'ws' : 'wss'}://${urlHost(options.host)}:${init.port}`;
    this.trustRoot = identity.issuer.trustRoot;
    this.relayId = identity.relayId;
    const limits = new RelayRateLimits(options, init.cluster.limiters);
    const registry = new ConnectionRegistry(init.cluster.presence);
    const { metrics } = init;
    const groups = new GroupRegistry({
      store,
      rules: options.groupRules,
      limits,
      metrics,
      maxGroupMembers: options.maxGroupMembers,
      maxGroupsPerPersona: options.maxGroupsPerPersona,
      maxGroupMessageBytes: options.maxGroupMessageBytes,
      groupLogPageSize: options.groupLogPageSize,
      maxPageBytes: options.maxFrameBytes,
      maxCachedGroups: options.maxCachedGroups,
      groupSnapshotInterval: options.groupSnapshotInterval,
      minDisappearingSeconds: options.minDisappearingSeconds,
      maxGroupOperations: options.maxGroupOperations,
      maxGroupDeletedMessages: options.maxGroupDeletedMessages,
      maxGroupOpenInvites: options.maxGroupOpenInvites,
      maxGroupJoinRequests: options.maxGroupJoinRequests,
      ...(init.cluster.postClock === undefined ? {} : { sharedPostClock: init.cluster.postClock }),
      onMembersChanged: (groupId) => {
        void directory.membersChanged(groupId);
      },
    });
    const directory: RelayDirectory = new RelayDirectory({
      store,
      relayId: identity.relayId,
      operator: init.operator,
      groups,
      logger,
    });
    this.#context = {
      options,
      identity,
      operator: init.operator,
      store,
      limits,
      registry,
      metrics,
      logger,
      authenticator: new Authenticator({
        store,
        relayId: identity.relayId,
        registration: options.registration,
        powDifficulty: options.powDifficulty,
        operatorPublicKey: init.operator.publicKey,
      }),
      preKeys: new PreKeyDirectory({
        store,
        limits,
        registry,
        maxStoredOneTimePreKeys: options.maxStoredOneTimePreKeys,
        lowPreKeyThreshold: options.lowPreKeyThreshold,
      }),
      intake: new EnvelopeIntake({
        store,
        limits,
        metrics,
        maxMailboxDepth: options.maxMailboxDepth,
        maxEnvelopesPerDeliveryKey: options.maxEnvelopesPerDeliveryKey,
        minDisappearingSeconds: options.minDisappearingSeconds,
      }),
      groups,
      directory,
      groupWrites: new GroupWriteGate({
        store,
        limits,
        maxGroupLogBytes: options.maxGroupLogBytes,
        maxRememberedGroups: options.maxCachedGroups,
      }),
      storage: new StorageGauge({
        // Only a LevelDB store the relay opened itself lives in a folder it can measure.
        folder: init.storeFolder,
        maxStorageBytes: options.maxStorageBytes,
        minFreeDiskBytes: options.minFreeDiskBytes,
      }),
      anonymousSlots: new AnonymousSlots(options.maxAnonymousConnections),
      blobs: new BlobService({
        store: init.blobStore,
        limits: options,
        disk: new StorageGauge({
          folder: init.blobStore === undefined ? undefined : init.blobFolder,
          // The blobs' own total is maxBlobStorageBytes, counted from their records.
          maxStorageBytes: 0,
          minFreeDiskBytes: options.minFreeDiskBytes,
        }),
        logger,
        limiters: init.cluster.limiters,
      }),
      onClosed: (connection) => {
        this.#onClosed(connection);
      },
    };
    const guard = new UpgradeGuard(
      this.#http,
      {
        maxPending: options.maxPendingUpgrades,
        // Behind a proxy every connection comes from the proxy's address.
        maxPendingPerAddress: options.trustProxy ? 0 : options.maxPendingUpgradesPerAddress,
        timeoutMs: options.upgradeTimeoutMs,
        onDropped: () => {
          metrics.upgradesDropped += 1;
        },
      },
      options.tls !== undefined,
    );
    const blobRoutes = new BlobRoutes({
      blobs: this.#context.blobs,
      limits: options,
      logger,
      addressOf: (request) => addressRateKey(remoteAddressOf(request, options.trustProxy)),
    });
    init.blobRequests.handle = (request, response) => {
      // A blob transfer may outlast the upgrade timeout; its own limits bound it.
      guard.release(request.socket);
      void blobRoutes.handle(request, response);
    };
    this.#readiness = new Readiness({
      writeProbe: async () => {
        const now = encodeProbeTime(Date.now());
        await store.putSetting(READY_PROBE_SETTING, now);
        // LevelDB appends to files it holds open, which may still take a few bytes on a disk
        // that is full or gone read-only: a new file, synced, tells at once.
        if (options.dataDir !== undefined)
          await probeWrite(join(options.dataDir, READY_PROBE_FILE), now);
      },
      storageFull: async () => {
        try {
          await this.#context.storage.admit(0);
          return false;
        } catch (error) {
          if (RelayError.is(error) && error.code === RelayErrorCode.StorageFull) return true;
          throw error;
        }
      },
    });
    this.#wss.on('connection', (ws, request) => {
      this.#onConnection(ws, request);
    });
    this.#wss.on('error', (error) => {
      logger.error({ event: 'server-error', errorName: errorNameOf(error) }, 'server error');
    });
    this.#startJobs();
  }

  /** Opens the store (LevelDB in `dataDir` unless a store is given) and starts listening. */
  static async start(relayOptions: RelayOptions): Promise<RelayServer> {
    const options = resolveRelayOptions(relayOptions);
    const logger = relayOptions.logger ?? createSilentLogger();
    const metrics = new RelayMetrics();
    // Made before anything is claimed in a shared store: the node whose certificate issuer wins
    // writes the trust root's private key here at once, and nowhere else has it.
    if (options.dataDir !== undefined) {
      await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    }
    const ownsStore = relayOptions.store === undefined;
    const opened: OpenedRelayStore =
      relayOptions.store === undefined
        ? await openRelayStore(options, logger, metrics)
        : { store: relayOptions.store, redis: undefined, folder: undefined };
    const { store } = opened;
    let cluster = SINGLE_NODE;
    try {
      if (opened.redis !== undefined && options.redis !== undefined) {
        cluster = await joinRedisCluster({
          store,
          redis: opened.redis.redis,
          keyPrefix: opened.redis.keyPrefix,
          connection: {
            ...(options.nodeName === undefined ? {} : { connectionName: options.nodeName }),
            ...options.redis,
          },
          logger,
        });
      }
      // The trust root's private key, if this start made it, goes no further than the operator
      // key's endorsement.
      const { trustRootPrivateKey, ...identity } = await loadRelayIdentity(store, options.dataDir);
      const operator = await loadRelayOperator({
        store,
        dataDir: options.dataDir,
        shared: opened.redis !== undefined,
        relayId: identity.relayId,
        trustRoot: identity.issuer.trustRoot,
        trustRootPrivateKey,
        givenPublicKey: relayOptions.operatorPublicKey,
        inviteRegistration: options.registration === 'invite',
        logger,
      });
      const blobFolder =
        options.blobDir ??
        (options.dataDir === undefined ? undefined : join(options.dataDir, BLOB_FOLDER));
      const blobStore =
        blobFolder === undefined
          ? undefined
          : opened.redis === undefined
            ? await FileBlobStore.open(blobFolder)
            : // Several nodes: records in the shared store, bytes in the shared folder.
              await SharedBlobStore.open({ folder: blobFolder, store });
      const blobRequests: BlobRequestHolder = {};
      const http = createServer(options, blobRequests);
      const wss = new WebSocketServer({
        server: http,
        perMessageDeflate: false,
        maxPayload: options.maxFrameBytes + FRAME_SLACK_BYTES,
        clientTracking: false,
      });
      // ws re-emits the HTTP server's errors: a port in use is listen()'s rejection below (one
      // line from the command line), not an unhandled 'error' event that crashes the process.
      const ignoreUntilListening = (): void => undefined;
      wss.on('error', ignoreUntilListening);
      const port = await listen(http, options.host, options.port);
      wss.off('error', ignoreUntilListening);
      logger.info(
        {
          event: 'listening',
          port,
          registration: options.registration,
          tls: options.tls !== undefined,
        },
        'relay listening',
      );
      const relay = new RelayServer({
        http,
        wss,
        port,
        options,
        identity,
        store,
        ownsStore,
        storeFolder: opened.folder,
        blobFolder,
        cluster,
        operator,
        logger,
        blobStore,
        blobRequests,
        metrics,
      });
      try {
        await relay.#startOpsListener();
        if (options.dataDir !== undefined) {
          relay.#admin = await AdminSocket.start(
            options.dataDir,
            {
              backupStore: ownsStore && store instanceof LevelRelayStore ? store : undefined,
              directory: new DirectoryOperatorActions({
                store,
                directory: relay.#context.directory,
                operator: relay.#context.operator,
                relayId: relay.relayId,
              }),
            },
            logger,
          );
        }
      } catch (error) {
        await relay.close();
        throw error;
      }
      return relay;
    } catch (error) {
      await cluster.close();
      if (ownsStore) await store.close();
      throw error;
    }
  }

  close(): Promise<void> {
    this.#readiness.drain();
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /**
   * A graceful stop for rolling restarts: /readyz turns false at once (a load balancer stops
   * sending new connections), the relay keeps serving for `drainDelayMs`, then closes: every
   * client is told to go away (close code 1001, after which clients reconnect with jittered
   * backoff, to another node behind the balancer), writes already received finish durably, and
   * the store closes.
   */
  async drain(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#readiness.drain();
    this.#context.logger.info(
      { event: 'draining', delayMs: this.#context.options.drainDelayMs },
      'draining',
    );
    if (this.#context.options.drainDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.#context.options.drainDelayMs));
    }
    return this.close();
  }

  /** The port of the operator's /metrics, /healthz and /readyz listener, when it runs. */
  get opsPort(): number | undefined {
    return this.#ops?.port;
  }

  /** Open connections by kind, for the metrics. */
  #connectionCounts(): { anonymous: number; authenticated: number } {
    let authenticated = 0;
    for (const connection of this.#connections) if (connection.authenticated) authenticated += 1;
    return { anonymous: this.#connections.size - authenticated, authenticated };
  }

  async #startOpsListener(): Promise<void> {
    const { options, metrics, store } = this.#context;
    if (options.metrics === undefined) return;
    const exporter = new PrometheusExporter({
      metrics,
      connections: () => this.#connectionCounts(),
      mailboxDepths: () => store.mailboxDepths(),
      mailboxScanIntervalMs: options.mailboxScanIntervalMs,
    });
    this.#ops = await OpsListener.start(
      options.metrics.host,
      options.metrics.port,
      exporter,
      this.#readiness,
    );
    this.#context.logger.info(
      { event: 'ops-listening', port: this.#ops.port },
      'metrics and health listening',
    );
  }

  // ---- connections -------------------------------------------------------------------------

  #onConnection(ws: WebSocket, request: IncomingMessage): void {
    const { options } = this.#context;
    if (this.#closing !== undefined || this.#readiness.draining) {
      ws.close(RelayCloseCode.GoingAway, 'relay shutting down');
      return;
    }
    const remote = addressRateKey(remoteAddressOf(request, options.trustProxy));
    const fromRemote = this.#perAddress.get(remote) ?? 0;
    if (
      this.#connections.size >= options.maxConnections ||
      fromRemote >= options.maxConnectionsPerAddress
    ) {
      this.#refuseConnection(ws);
      return;
    }
    this.#perAddress.set(remote, fromRemote + 1);
    const shared = this.#cluster.connectionCounts;
    if (shared === undefined) {
      this.#acceptConnection(ws, remote);
      return;
    }
    // Other nodes hold connections from this address too: ask what the whole relay holds. The
    // client's first frames wait in the socket meanwhile.
    ws.pause();
    shared.admit(remote, fromRemote + 1, options.maxConnectionsPerAddress).then(
      (admitted) => {
        // Read again in every case: a refusal's closing handshake needs the client's answer.
        ws.resume();
        if (!admitted) {
          this.#forgetConnection(remote);
          this.#refuseConnection(ws);
        } else if (this.#closing !== undefined || ws.readyState !== ws.OPEN) {
          this.#forgetConnection(remote);
          ws.terminate();
        } else {
          this.#acceptConnection(ws, remote);
        }
      },
      (error: unknown) => {
        // Without Redis this node's own count still bounds the address.
        this.#context.logger.warn(
          { event: 'connection-count-failed', errorName: errorNameOf(error) },
          'could not count connections across nodes',
        );
        ws.resume();
        if (this.#closing !== undefined || ws.readyState !== ws.OPEN) {
          this.#forgetConnection(remote);
          ws.terminate();
          return;
        }
        this.#acceptConnection(ws, remote);
      },
    );
  }

  #refuseConnection(ws: WebSocket): void {
    const { metrics } = this.#context;
    metrics.connectionsRefused += 1;
    metrics.countError(RelayErrorCode.TooManyConnections);
    ws.send(
      encodeServerFrame({
        body: {
          case: 'error',
          value: { code: RelayErrorCode.TooManyConnections, message: 'too many connections' },
        },
      }),
    );
    ws.close(RelayCloseCode.TooManyConnections, 'too many connections');
  }

  #acceptConnection(ws: WebSocket, remote: string): void {
    const connection = new Connection(ws, this.#context, remote);
    this.#connections.add(connection);
    this.#context.metrics.connectionsOpened += 1;
    connection.start();
  }

  /** Counts one connection from `remote` fewer, here and in the count other nodes see. */
  #forgetConnection(remote: string): void {
    const left = (this.#perAddress.get(remote) ?? 1) - 1;
    if (left <= 0) this.#perAddress.delete(remote);
    else this.#perAddress.set(remote, left);
    this.#cluster.connectionCounts?.update(remote, Math.max(0, left));
  }

  #onClosed(connection: Connection): void {
    if (!this.#connections.delete(connection)) return;
    this.#context.metrics.connectionsClosed += 1;
    this.#forgetConnection(connection.remoteAddress);
  }

  // ---- periodic jobs -----------------------------------------------------------------------

  #startJobs(): void {
    const { options, metrics, logger } = this.#context;
    this.#every(options.heartbeatIntervalMs, () => {
      for (const connection of this.#connections) {
        if (!connection.heartbeat()) metrics.heartbeatTimeouts += 1;
      }
    });
    this.#every(options.sweepIntervalMs, () => {
      this.#sweep();
      this.#sweepDirectory();
    });
    // Blobs that expired while the relay was down go at once, not an interval later.
    void this.#sweepBlobs().catch((error: unknown) => {
      logger.error({ event: 'sweep-failed', errorName: errorNameOf(error) }, 'sweep failed');
    });
    // At once too: what ran out while the relay was down goes before anyone is served it.
    this.#sweepDue();
    this.#every(options.disappearingSweepIntervalMs, () => {
      this.#sweepDue();
    });
    const shared = this.#cluster.connectionCounts;
    if (shared !== undefined) {
      this.#every(CONNECTION_COUNT_REFRESH_MS, () => {
        shared.refresh(this.#perAddress.entries()).catch((error: unknown) => {
          logger.warn(
            { event: 'connection-count-failed', errorName: errorNameOf(error) },
            'could not count connections across nodes',
          );
        });
      });
    }
    if (options.statsIntervalMs > 0) {
      this.#every(options.statsIntervalMs, () => {
        logger.info({ event: 'stats', ...metrics.snapshot(this.#connections.size) }, 'stats');
      });
    }
  }

  #every(intervalMs: number, job: () => void): void {
    const timer = setInterval(job, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }

  /**
   * Deletes envelopes older than the retention period, group messages every member has
   * acknowledged or older than the group retention, and expired blobs; one sweep at a time.
   */
  #sweep(): void {
    if (this.#sweeping !== undefined || this.#closing !== undefined) return;
    const { store, options, metrics, logger } = this.#context;
    const failed = (error: unknown): void => {
      logger.error({ event: 'sweep-failed', errorName: errorNameOf(error) }, 'sweep failed');
    };
    // The store is the relay's, shared by every node: one node at a time sweeps it.
    const shared = this.#cluster.leases
      .hold('sweep', leaseTtl(options.sweepIntervalMs))
      .then(async (held) => {
        if (!held) return;
        const envelopes = store
          .expireEnvelopes(Date.now() - options.retentionMs)
          .then((expired) => {
            metrics.envelopesExpired += expired;
            if (expired > 0) logger.info({ event: 'expired', count: expired }, 'expired envelopes');
          }, failed);
        const groups = store.pruneGroups(Date.now() - options.groupRetentionMs).then((pruned) => {
          metrics.groupMessagesPruned += pruned;
          if (pruned > 0) logger.info({ event: 'pruned', count: pruned }, 'pruned group messages');
        }, failed);
        await Promise.all([envelopes, groups]);
      }, failed);
    const blobs = this.#sweepBlobs().then(() => undefined, failed);
    // All already handle their own failure, so this never rejects.
    this.#sweeping = Promise.all([shared, blobs]).then(() => {
      this.#sweeping = undefined;
    });
  }

  /**
   * Deletes expired blobs. Their records are the relay's (shared by every node of a cluster, as
   * is the blob folder): one node at a time sweeps them, under its own lease.
   */
  async #sweepBlobs(): Promise<void> {
    const { options } = this.#context;
    if (await this.#cluster.leases.hold('blobs', leaseTtl(options.sweepIntervalMs))) {
      await this.#context.blobs.sweep();
    }
  }

  /**
   * Checks every listed group's member bucket (membership changes re-sign at once; this catches
   * those another node saw without operator.key, or missed while stopped). One node at a time,
   * and only one that can sign.
   */
  #sweepDirectory(): void {
    const { directory, options, logger } = this.#context;
    if (this.#sweepingDirectory !== undefined || this.#closing !== undefined) return;
    if (!directory.canSign) return;
    this.#sweepingDirectory = this.#cluster.leases
      .hold('directory', leaseTtl(options.sweepIntervalMs))
      .then((held) => (held ? directory.sweep() : undefined))
      .then(
        () => {
          this.#sweepingDirectory = undefined;
        },
        (error: unknown) => {
          this.#sweepingDirectory = undefined;
          logger.error({ event: 'sweep-failed', errorName: errorNameOf(error) }, 'sweep failed');
        },
      );
  }

  /** Deletes what a disappearing-messages timer says must go by now; one sweep at a time. */
  #sweepDue(): void {
    if (this.#sweepingDue !== undefined || this.#closing !== undefined) return;
    const { store, logger, options } = this.#context;
    this.#sweepingDue = this.#cluster.leases
      .hold('disappearing', leaseTtl(options.disappearingSweepIntervalMs))
      .then((held) => (held ? store.expireDue(Date.now()) : 0))
      .then(
        (deleted) => {
          this.#sweepingDue = undefined;
          if (deleted > 0) logger.info({ event: 'disappeared', count: deleted }, 'timers ran out');
        },
        (error: unknown) => {
          this.#sweepingDue = undefined;
          logger.error({ event: 'sweep-failed', errorName: errorNameOf(error) }, 'sweep failed');
        },
      );
  }

  async #shutdown(): Promise<void> {
    const { store, logger } = this.#context;
    for (const timer of this.#timers) clearInterval(timer);
    this.#wss.close();
    const connections = [...this.#connections];
    for (const connection of connections) {
      connection.close(RelayCloseCode.GoingAway, 'relay shutting down');
    }
    const allClosed = Promise.all(connections.map((connection) => connection.closed));
    if (!(await settlesWithin(allClosed, SHUTDOWN_GRACE_MS))) {
      for (const connection of connections) connection.terminate();
      await allClosed;
    }
    // Answer what was already received (durable writes finish; their acks go nowhere).
    await settlesWithin(
      Promise.all(connections.map((connection) => connection.settled())),
      SHUTDOWN_GRACE_MS,
    );
    const httpClosed = new Promise<void>((resolve) => {
      this.#http.close(() => {
        resolve();
      });
    });
    this.#http.closeAllConnections();
    // closeAllConnections leaves upgraded sockets alone: a WebSocket a client opened while we
    // were shutting down (one that reconnects at once) would hold close() open for ever.
    if (!(await settlesWithin(httpClosed, SHUTDOWN_GRACE_MS))) {
      for (const socket of this.#sockets) socket.destroy();
      await httpClosed;
    }
    await this.#sweeping;
    await this.#sweepingDue;
    await this.#sweepingDirectory;
    // A backup in progress holds the store open until it is written.
    await this.#admin?.close();
    await this.#cluster.close();
    if (this.#ownsStore) await store.close();
    // Last: /healthz answers for as long as the process does its work.
    await this.#ops?.close();
    logger.info({ event: 'closed' }, 'relay closed');
  }
}

/**
 * How long a node holds a job's lease: two of the job's intervals, so the holder renews it in
 * time while it runs, and another node takes over within about that long after it stops.
 */
function leaseTtl(intervalMs: number): number {
  return 2 * intervalMs;
}

/** The settings record the readiness probe writes (its value: the time, 8 bytes). */
const READY_PROBE_SETTING = 'ops.readyProbe';

/** The file in the data folder the readiness probe writes, syncs and deletes. */
const READY_PROBE_FILE = 'ready-probe';

/**
 * Writes a new file and syncs it, then deletes it. New, not rewritten: a file truncated and
 * written again reuses its own disk block, which succeeds on a disk that is full.
 */
async function probeWrite(path: string, bytes: Uint8Array): Promise<void> {
  // One a crash left behind would make 'wx' fail for ever.
  await rm(path, { force: true });
  const file = await open(path, 'wx', 0o600);
  try {
    await file.write(bytes);
    await file.sync();
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
}

function encodeProbeTime(now: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, now);
  return bytes;
}

/** Where the HTTP server hands blob requests, filled in once the relay is built. */
interface BlobRequestHolder {
  handle?: (request: IncomingMessage, response: ServerResponse) => void;
}

function createServer(options: ResolvedRelayOptions, blobRequests: BlobRequestHolder): Server {
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    if (blobRequests.handle !== undefined && BlobRoutes.matches(request)) {
      blobRequests.handle(request, response);
      return;
    }
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
    response.end('This is a Kindred relay: connect with a WebSocket.\n');
  };
  return options.tls === undefined
    ? createHttpServer(handler)
    : createHttpsServer(
        {
          cert: pem(options.tls.cert),
          key: pem(options.tls.key),
          handshakeTimeout: options.upgradeTimeoutMs,
        },
        handler,
      );
}

function pem(material: string | Uint8Array): string {
  return typeof material === 'string' ? material : Buffer.from(material).toString('utf8');
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(error);
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

/**
 * The remote address a connection is counted under. Behind a trusted reverse proxy, the last
 * X-Forwarded-For entry is the one the proxy itself saw (earlier ones are the client's word).
 * Used only for counting, in memory; never logged.
 */
function remoteAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[header.length - 1] : header;
    const last = value?.split(',').pop()?.trim();
    if (last !== undefined && last !== '') return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
