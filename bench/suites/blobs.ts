/**
 * Blob transfer speed: an encrypted attachment's ciphertext uploaded to and downloaded from a
 * relay's blob store, in MiB/s, beside a plain loopback HTTP copy of the same bytes in the same
 * run.
 *
 * One process: a relay (startRelay on a temporary data folder, registration open) and, beside
 * it, a bare node:http server that writes a PUT body to a file and serves a file to a GET, on the
 * same disk. Each run moves the same random file (a bucket size near 64 MiB, 32 MiB with --quick):
 * - kindred upload: uploadBlob from the file (8 MiB pieces, HEAD first), timed from the first
 *   request to the relay's answer to the last piece (the blob flushed and renamed complete);
 * - kindred download: downloadBlob to a file, timed to the renamed file;
 * - raw: one PUT of the whole file, one GET into a file, through the same kind of agent.
 * The grant (a WebSocket request) is made outside the timer. Runs alternate which side goes first.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  Persona,
  RelayConnection,
  accessKeyHash,
  blobBucketSize,
  downloadBlob,
  requestBlobUpload,
  uploadBlob,
} from '../../core/client/index.js';
import { attachmentTransferRows } from './attachmentTransfer.js';
import { startRelay } from '../../server/index.js';
import { measurePair } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

const MIB = 1024 * 1024;

export const cases = ['upload', 'download', 'send', 'receive'] as const;

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-blobs-'));
  const relay = await startRelay({
    dataDir: join(root, 'relay'),
    registration: 'open',
    statsIntervalMs: 0,
    maxBlobBytesPerPersonaPerDay: 0,
    maxBlobsPerPersonaPerDay: 0,
  });
  const bare = await startBareServer(join(root, 'bare'));
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    const persona = Persona.generate('Bench');
    await connection.authenticate(persona, {
      registrationId: persona.registrationId,
      accessKeyHash: accessKeyHash(new Uint8Array(randomBytes(32))),
    });
    const size = blobBucketSize((options.quick ? 32 : 64) * MIB);
    const source = join(root, 'source.bin');
    await writeFile(source, randomBytes(size));
    const mib = size / MIB;
    const rows: BenchRow[] = [];
    const wanted = (name: string): boolean => options.cases?.has(name) ?? true;
    const rateOf = async (work: () => Promise<unknown>): Promise<number> => {
      const started = performance.now();
      await work();
      return mib / ((performance.now() - started) / 1000);
    };
    const grant = () => requestBlobUpload(connection, { size, expectedFetches: 1000 });
    if (wanted('upload')) {
      options.log(`blobs: upload of ${mib.toFixed(0)} MiB, ${options.repetitions} runs per side`);
      const pair = await measurePair(
        async () => {
          const target = await grant();
          return rateOf(() => uploadBlob(relay.url, target, source));
        },
        () => rateOf(() => bare.put(source)),
        options.repetitions,
      );
      rows.push(row('blob upload (ciphertext)', pair, mib));
    }
    if (wanted('download')) {
      const target = await grant();
      await uploadBlob(relay.url, target, source);
      await bare.put(source);
      options.log(`blobs: download of ${mib.toFixed(0)} MiB, ${options.repetitions} runs per side`);
      let n = 0;
      const pair = await measurePair(
        async () => {
          const out = join(root, `down-${n++}.bin`);
          const rate = await rateOf(() => downloadBlob(relay.url, target.blobId, out));
          await rm(out, { force: true });
          return rate;
        },
        async () => {
          const out = join(root, `bare-${n++}.bin`);
          const rate = await rateOf(() => bare.get(out));
          if ((await stat(out)).size !== size) throw new Error('bare download came back short');
          await rm(out, { force: true });
          return rate;
        },
        options.repetitions,
      );
      rows.push(row('blob download (ciphertext)', pair, mib));
    }
    if (wanted('send') || wanted('receive')) {
      rows.push(
        ...(await attachmentTransferRows(options, {
          folder: root,
          relayUrl: relay.url,
          connection,
          bare,
          send: wanted('send'),
          receive: wanted('receive'),
        })),
      );
    }
    return rows;
  } finally {
    connection.close();
    await relay.close();
    await bare.close();
    await rm(root, { recursive: true, force: true });
  }
}

function row(name: string, pair: Awaited<ReturnType<typeof measurePair>>, mib: number): BenchRow {
  return {
    name,
    unit: 'MiB/s',
    kindred: pair.kindred,
    baseline: pair.baseline,
    ratio: pair.kindred.median / pair.baseline.median,
    note: `${mib.toFixed(0)} MiB over loopback; baseline: a bare node:http PUT/GET of the same file (aim ≥ 0.5)`,
  };
}

/** A bare HTTP file server on loopback: the floor any blob store stands on. */
export interface BareServer {
  /** One PUT of the whole file; the server writes it to its one stored file. */
  put(path: string): Promise<void>;
  /** One GET of the stored file into `out`. */
  get(out: string): Promise<void>;
  close(): Promise<void>;
}

async function startBareServer(folder: string): Promise<BareServer> {
  const stored = `${folder}.bin`;
  const server: Server = createServer((req, res) => {
    if (req.method === 'PUT') {
      void pipeline(req, createWriteStream(stored)).then(() => {
        res.writeHead(200).end();
      });
      return;
    }
    void stat(stored).then(({ size }) => {
      res.writeHead(200, { 'content-length': String(size) });
      void pipeline(createReadStream(stored, { highWaterMark: 256 * 1024 }), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true });
  const send = (method: string, body: string | undefined, size: number): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: '/x',
          agent,
          headers: body === undefined ? {} : { 'content-length': String(size) },
        },
        resolve,
      );
      req.once('error', reject);
      if (body === undefined) req.end();
      else pipeline(createReadStream(body, { highWaterMark: 256 * 1024 }), req).catch(reject);
    });
  return {
    async put(path) {
      const response = await send('PUT', path, (await stat(path)).size);
      response.resume();
      await new Promise((resolve) => response.once('end', resolve));
    },
    async get(out) {
      const response = await send('GET', undefined, 0);
      await pipeline(response, createWriteStream(out));
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
