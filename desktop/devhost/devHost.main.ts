import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiService } from '../main/callRouter.main.js';
import { pageHeaders } from '../main/contentSecurity.std.js';
import type { DesktopLogger } from '../main/logger.main.js';
import { silentLogger } from '../main/logger.main.js';
import { readRendererFile } from '../main/rendererFiles.main.js';
import {
  BRIDGE_HELLO_TIMEOUT_MS,
  BRIDGE_MAX_CALL_BYTES,
  BRIDGE_MAX_PENDING_CALLS,
  BRIDGE_PATH,
} from '../shared/devHostProtocol.std.js';
import { BridgeConnection } from './BridgeConnection.main.js';

/** The dev host listens on loopback only; nothing else on the network may reach the vault. */
export const DEV_HOST_ADDRESS = '127.0.0.1';

/** Limits of the dev host, each an option with this default. */
export const DEV_HOST_DEFAULTS = {
  /** 0: any free port. */
  port: 0,
  helloTimeoutMs: BRIDGE_HELLO_TIMEOUT_MS,
  /** A call larger than this is answered DESKTOP_TOO_LARGE (the largest real one, a full staged-file chunk, is ~44 KiB). */
  maxMessageBytes: BRIDGE_MAX_CALL_BYTES,
  /** A frame larger than this closes the socket (1009) before it is even read. */
  maxFrameBytes: 1024 * 1024,
  /** Calls one socket may have running at once; more are answered DESKTOP_BUSY. */
  maxPendingCalls: BRIDGE_MAX_PENDING_CALLS,
  /** Open bridge sockets (tabs) at once; more are refused with 503. */
  maxSockets: 8,
} as const;

export interface DevHostOptions {
  /** The service behind the window: one vault per host. */
  readonly service: ApiService;
  /** The renderer build (index.html and its assets). */
  readonly rendererDir: string;
  readonly port?: number;
  /** The bridge token; random (32 bytes, base64url) unless a test fixes it. */
  readonly token?: string;
  readonly helloTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  readonly maxFrameBytes?: number;
  readonly maxPendingCalls?: number;
  readonly maxSockets?: number;
  readonly logger?: DesktopLogger;
}

export interface RunningDevHost {
  /** The page to open, with the token in its fragment: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: the only Origin the bridge accepts. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Serves the window to an ordinary browser on loopback: the renderer build over HTTP with the
 * app's CSP, and the bridge (devHostProtocol.std.ts) over a WebSocket at /bridge. The same calls
 * and events as Electron's IPC, behind three locks: the Host header must name 127.0.0.1:PORT (no
 * DNS rebinding), the Origin must be this page (no other site in the browser), and the first
 * message must carry the token from the URL fragment (no other local program without it).
 */
export async function startDevHost(options: DevHostOptions): Promise<RunningDevHost> {
  const logger = options.logger ?? silentLogger;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const limits = {
    helloTimeoutMs: options.helloTimeoutMs ?? DEV_HOST_DEFAULTS.helloTimeoutMs,
    maxMessageBytes: options.maxMessageBytes ?? DEV_HOST_DEFAULTS.maxMessageBytes,
    maxPendingCalls: options.maxPendingCalls ?? DEV_HOST_DEFAULTS.maxPendingCalls,
  };
  const maxSockets = options.maxSockets ?? DEV_HOST_DEFAULTS.maxSockets;
  const sockets = new Set<BridgeConnection>();
  const authenticated = new Set<BridgeConnection>();
  // Known once listening; requests cannot arrive before.
  let host = '';
  let origin = '';
  let headers: Record<string, string> = {};

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? DEV_HOST_DEFAULTS.maxFrameBytes,
    // Compression would let a small frame expand into a large call.
    perMessageDeflate: false,
    clientTracking: false,
  });

  const server = createServer((request, response) => {
    serveFile(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, headers);
      response.end();
    });
  });

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== host) {
      response.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Forbidden\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    const pathname = new URL(request.url ?? '/', origin).pathname;
    const file = await readRendererFile(options.rendererDir, pathname);
    if (file === undefined) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found\n');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': file.contentType,
      'Content-Length': String(file.body.length),
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const pathname = new URL(request.url ?? '/', 'http://invalid').pathname;
    if (
      pathname !== BRIDGE_PATH ||
      request.headers.host !== host ||
      request.headers.origin !== origin
    ) {
      logger.info({ path: pathname === BRIDGE_PATH }, 'bridge upgrade refused');
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (sockets.size >= maxSockets) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(
        new BridgeConnection(ws, {
          service: options.service,
          token,
          ...limits,
          logger,
          onAuthenticated: (connection) => {
            authenticated.add(connection);
          },
          onClosed: (connection) => {
            sockets.delete(connection);
            authenticated.delete(connection);
          },
        }),
      );
    });
  });

  const unsubscribe = options.service.onEvent((event) => {
    for (const connection of authenticated) connection.sendEvent(event);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEV_HOST_DEFAULTS.port, DEV_HOST_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  host = `${DEV_HOST_ADDRESS}:${port}`;
  origin = `http://${host}`;
  headers = pageHeaders([`ws://${host}`]);
  logger.info({ port }, 'dev host listening');

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () => {
      closing ??= (async () => {
        unsubscribe();
        for (const connection of sockets) connection.close(1001, 'the host is stopping');
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
