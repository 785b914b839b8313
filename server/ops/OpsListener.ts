import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { PrometheusExporter } from './PrometheusExporter.js';
import type { Readiness } from './Readiness.js';

/**
 * The operator's HTTP listener, apart from the relay's port (loopback by default):
 * `GET /metrics` (Prometheus text format), `GET /healthz` (the process answers: 200 while it
 * runs) and `GET /readyz` (200 when it should get new connections, 503 with the reason when
 * draining or when its store cannot write). Nothing else; no request body is read.
 */
export class OpsListener {
  readonly port: number;
  readonly #server: Server;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(
    host: string,
    port: number,
    exporter: PrometheusExporter,
    readiness: Readiness,
  ): Promise<OpsListener> {
    const server = createServer((request, response) => {
      answer(request, response, exporter, readiness).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
    });
    // A scrape or probe is short; anything slower is a stuck client.
    server.requestTimeout = 10_000;
    server.headersTimeout = 5_000;
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        const address = server.address();
        if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
        else resolve(address.port);
      });
    });
    return new OpsListener(server, bound);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  exporter: PrometheusExporter,
  readiness: Readiness,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
    return;
  }
  const path = (request.url ?? '').split('?')[0];
  switch (path) {
    case '/metrics': {
      const body = await exporter.scrape();
      response.writeHead(200, { 'content-type': exporter.contentType }).end(body);
      return;
    }
    case '/healthz':
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    case '/readyz': {
      const state = await readiness.check();
      if (state.ready) response.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
      else response.writeHead(503, { 'content-type': 'text/plain' }).end(`${state.reason}\n`);
      return;
    }
    default:
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}
