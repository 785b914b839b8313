import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import {
  BLOB_PATH_PREFIX,
  BLOB_RECEIVED_HEADER,
  BLOB_SIZE_HEADER,
  BLOB_TOKEN_HEADER,
  BLOB_UPLOAD_TOKEN_BYTES,
  RelayErrorCode,
  blobIdFromText,
  fromHex,
} from '../../core/index.js';
import { errorNameOf } from '../errorFacts.js';
import type { RelayLimits } from '../relayLimits.js';
import type { BlobRecord, BlobStore } from './BlobStore.js';
import type { BlobService } from './BlobService.js';
import { tokenHash } from './BlobService.js';

/**
 * How long a resumed upload (or the uploader's question where to resume) waits for the dropped
 * upload of the same blob to end on its own, writing out what it received, before closing it.
 */
const UPLOAD_SETTLE_MS = 2000;

/**
 * Writes an upload's body to `sink`. When the client goes away mid-way, what it sent up to then
 * is still written out and flushed (a pipeline would throw away what waited in the sink), so a
 * resumed upload goes on from there. Returns whether the whole body arrived.
 */
async function writeBody(request: Readable, sink: Writable): Promise<boolean> {
  let whole = true;
  try {
    for await (const chunk of request) {
      if (!sink.write(chunk as Uint8Array)) await once(sink, 'drain');
    }
  } catch {
    whole = false;
  }
  const flushed = await new Promise<boolean>((resolve) => {
    sink.end((error?: Error | null) => {
      resolve(error === undefined || error === null);
    });
  });
  return whole && flushed;
}

/** The HTTP status each refusal is sent with (docs/protocol.md, "Blobs"). */
const STATUS: Partial<Record<RelayErrorCode, number>> = {
  [RelayErrorCode.BlobNotFound]: 404,
  [RelayErrorCode.BlobTokenInvalid]: 403,
  [RelayErrorCode.BlobBadRange]: 416,
  [RelayErrorCode.BlobIncomplete]: 409,
  [RelayErrorCode.BlobBadRequest]: 400,
  [RelayErrorCode.RateLimited]: 429,
  [RelayErrorCode.Unavailable]: 503,
  [RelayErrorCode.Internal]: 500,
};

/** An upload in progress, so a resumed one can end it first (its client may be gone already). */
interface ActiveUpload {
  readonly request: IncomingMessage;
  readonly done: Promise<void>;
}

export interface BlobRoutesOptions {
  readonly blobs: BlobService;
  readonly limits: RelayLimits;
  readonly logger: Logger;
  /** The rate key of a request's remote address (IPv6: its /64; behind a proxy, the client's). */
  readonly addressOf: (request: IncomingMessage) => string;
}

/**
 * The blob routes on the relay's HTTP port: `HEAD`, `PUT` and `GET /v1/blobs/<id>`. Uploads need
 * the blob's upload token, downloads only its id; neither needs an account, so both may come over
 * an anonymous connection. Every refusal is an HTTP status with a JSON `{code}` body.
 */
export class BlobRoutes {
  readonly #blobs: BlobService;
  readonly #limits: RelayLimits;
  readonly #logger: Logger;
  readonly #addressOf: (request: IncomingMessage) => string;
  readonly #requests: RateLimiterMemory | undefined;
  readonly #transfers = new Map<string, number>();
  readonly #uploads = new Map<string, ActiveUpload>();
  /**
   * Per blob, the counting of downloads whose last byte went out: their client may ask again
   * (or another member may) before the count and a last fetch's deletion are written.
   */
  readonly #counting = new Map<string, Promise<void>>();
  readonly #timed = new WeakSet<Socket>();

  constructor(options: BlobRoutesOptions) {
    this.#blobs = options.blobs;
    this.#limits = options.limits;
    this.#logger = options.logger;
    this.#addressOf = options.addressOf;
    const perMinute = options.limits.maxBlobRequestsPerMinute;
    this.#requests =
      perMinute === 0 ? undefined : new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** True when the request is for a blob route (and is then answered here). */
  static matches(request: IncomingMessage): boolean {
    return request.url?.startsWith(BLOB_PATH_PREFIX) === true;
  }

  /** Answers one blob request; never rejects (failures become coded answers or a cut socket). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      await this.#route(request, response);
    } catch (error) {
      this.#logger.error({ event: 'blob-request-failed', errorName: errorNameOf(error) }, 'blob');
      if (!response.headersSent) refuse(request, response, RelayErrorCode.Internal);
      else response.destroy();
    }
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const address = this.#addressOf(request);
    const retryAfterMs = await this.#consume(address);
    if (retryAfterMs !== undefined) {
      refuse(request, response, RelayErrorCode.RateLimited, {
        'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      });
      return;
    }
    const store = this.#blobs.store;
    if (store === undefined) {
      refuse(request, response, RelayErrorCode.Unavailable);
      return;
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    const idBytes = blobIdFromText(path.slice(BLOB_PATH_PREFIX.length));
    const method = request.method ?? '';
    if (idBytes === undefined || !['HEAD', 'GET', 'PUT'].includes(method)) {
      refuse(request, response, RelayErrorCode.BlobBadRequest);
      return;
    }
    const id = path.slice(BLOB_PATH_PREFIX.length);
    const record = await this.#blobs.live(id);
    if (method === 'HEAD') {
      await this.#head(request, response, store, record);
      return;
    }
    if (record === undefined) {
      refuse(request, response, RelayErrorCode.BlobNotFound);
      return;
    }
    const transfers = this.#transfers.get(address) ?? 0;
    if (transfers >= this.#limits.maxBlobTransfersPerAddress) {
      refuse(request, response, RelayErrorCode.RateLimited, { 'retry-after': '1' });
      return;
    }
    this.#transfers.set(address, transfers + 1);
    // A transfer that moves nothing for this long is a slow or vanished client: cut it. Once per
    // socket: a keep-alive connection carries many requests.
    const socket = request.socket;
    if (!this.#timed.has(socket)) {
      this.#timed.add(socket);
      socket.setTimeout(this.#limits.blobIdleTimeoutMs);
      socket.once('timeout', () => {
        socket.destroy();
      });
    }
    try {
      if (method === 'PUT') await this.#put(request, response, store, record);
      else await this.#get(request, response, store, record);
    } finally {
      const left = (this.#transfers.get(address) ?? 1) - 1;
      if (left <= 0) this.#transfers.delete(address);
      else this.#transfers.set(address, left);
    }
  }

  async #head(
    request: IncomingMessage,
    response: ServerResponse,
    store: BlobStore,
    record: BlobRecord | undefined,
  ): Promise<void> {
    const token = request.headers[BLOB_TOKEN_HEADER];
    if (token !== undefined) {
      // The uploader asks how much the relay holds.
      if (record === undefined) {
        refuse(request, response, RelayErrorCode.BlobNotFound);
        return;
      }
      if (!tokenMatches(token, record)) {
        refuse(request, response, RelayErrorCode.BlobTokenInvalid);
        return;
      }
      // An upload of this blob still in flight (the uploader was cut and asks where to resume)
      // first writes out what it received: else the answer would be short of it, and the bytes
      // still on their way to the disk would be sent again.
      await this.#settle(record.id);
      const received = await store.received(record.id);
      response.writeHead(200, {
        [BLOB_RECEIVED_HEADER]: String(received),
        [BLOB_SIZE_HEADER]: String(record.size),
        'cache-control': 'no-store',
      });
      response.end();
      return;
    }
    // Anyone else sees complete blobs only: an upload in progress is nobody's business.
    if (record?.complete !== true) {
      refuse(request, response, RelayErrorCode.BlobNotFound);
      return;
    }
    response.writeHead(200, {
      'content-length': String(record.size),
      'accept-ranges': 'bytes',
      [BLOB_SIZE_HEADER]: String(record.size),
      'cache-control': 'no-store',
    });
    response.end();
  }

  /**
   * Waits for an upload of `id` still in flight to end and write out what it received: at most
   * UPLOAD_SETTLE_MS, after which its connection (half-open, say) is closed.
   */
  async #settle(id: string): Promise<void> {
    const previous = this.#uploads.get(id);
    if (previous === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => {
        resolve('late');
      }, UPLOAD_SETTLE_MS);
    });
    try {
      if ((await Promise.race([previous.done, late])) === 'late') {
        previous.request.destroy();
        await previous.done;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async #put(
    request: IncomingMessage,
    response: ServerResponse,
    store: BlobStore,
    record: BlobRecord,
  ): Promise<void> {
    const token = request.headers[BLOB_TOKEN_HEADER];
    if (token === undefined || !tokenMatches(token, record)) {
      refuse(request, response, RelayErrorCode.BlobTokenInvalid);
      return;
    }
    if (record.complete) {
      refuse(request, response, RelayErrorCode.BlobBadRange, {
        [BLOB_RECEIVED_HEADER]: String(record.size),
      });
      return;
    }
    const range = parseContentRange(request.headers['content-range'], record.size);
    const length = Number(request.headers['content-length']);
    if (
      range === undefined ||
      !Number.isSafeInteger(length) ||
      request.headers['content-length'] === undefined ||
      length !== range.end - range.start + 1
    ) {
      refuse(request, response, RelayErrorCode.BlobBadRange);
      return;
    }
    // A resumed upload may arrive while the relay still waits on the dropped one: end that first.
    await this.#settle(record.id);
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const upload = { request, done };
    this.#uploads.set(record.id, upload);
    try {
      const current = await store.get(record.id);
      if (current === undefined) {
        refuse(request, response, RelayErrorCode.BlobNotFound);
        return;
      }
      if (current.complete) {
        // Completed by the upload that just ended: nothing more to write.
        refuse(request, response, RelayErrorCode.BlobBadRange, {
          [BLOB_RECEIVED_HEADER]: String(record.size),
        });
        return;
      }
      const received = await store.received(record.id);
      if (range.start > received) {
        refuse(request, response, RelayErrorCode.BlobBadRange, {
          [BLOB_RECEIVED_HEADER]: String(received),
        });
        return;
      }
      const sink = await store.openWrite(record.id, range.start);
      if (!(await writeBody(request, sink))) {
        // The client went away or was cut: what it sent is on the disk, for a resumed upload.
        if (!response.headersSent) response.destroy();
        return;
      }
      if ((await store.get(record.id)) === undefined) {
        refuse(request, response, RelayErrorCode.BlobNotFound);
        return;
      }
      const now = range.end + 1;
      if (now === record.size) await store.complete(record.id);
      response.writeHead(200, {
        'content-type': 'application/json',
        [BLOB_RECEIVED_HEADER]: String(now),
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify({ received: now, complete: now === record.size }));
    } finally {
      if (this.#uploads.get(record.id) === upload) this.#uploads.delete(record.id);
      finish();
    }
  }

  async #get(
    request: IncomingMessage,
    response: ServerResponse,
    store: BlobStore,
    record: BlobRecord,
  ): Promise<void> {
    if (!record.complete) {
      refuse(request, response, RelayErrorCode.BlobIncomplete);
      return;
    }
    // A download that just delivered the last byte may be the last expected one: its deletion
    // comes first, or a fetch after everyone's would still be served.
    await this.#counting.get(record.id)?.catch(() => undefined);
    if ((await store.get(record.id)) === undefined) {
      refuse(request, response, RelayErrorCode.BlobNotFound);
      return;
    }
    const header = request.headers.range;
    const range =
      header === undefined ? { start: 0, end: record.size - 1 } : parseRange(header, record.size);
    if (range === undefined) {
      refuse(request, response, RelayErrorCode.BlobBadRange, {
        'content-range': `bytes */${record.size}`,
      });
      return;
    }
    let source;
    try {
      source = await store.openRead(record.id, range.start, range.end);
    } catch {
      // Deleted (fetched by everyone, or expired) between the lookup and the open.
      refuse(request, response, RelayErrorCode.BlobNotFound);
      return;
    }
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(range.end - range.start + 1),
      'accept-ranges': 'bytes',
      [BLOB_SIZE_HEADER]: String(record.size),
      'cache-control': 'no-store',
    };
    if (header !== undefined) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
    }
    response.writeHead(header === undefined ? 200 : 206, headers);
    let counting: Promise<void> | undefined;
    if (range.end === record.size - 1) {
      // Noted the moment the last byte is handed to the socket, before the client can have it
      // and ask again: a later request waits for this count (see above).
      response.once('finish', () => {
        counting = this.#countFetch(store, record.id);
      });
    }
    try {
      await pipeline(source, response);
    } catch {
      // The client went away: it resumes with a Range from what it has.
    }
    await counting;
  }

  /** Counts one whole download of `id`; the last expected one deletes the blob. */
  #countFetch(store: BlobStore, id: string): Promise<void> {
    const previous = (this.#counting.get(id) ?? Promise.resolve()).catch(() => undefined);
    const counting = previous.then(async () => {
      if ((await store.get(id)) === undefined) return;
      const counted = await store.countFetch(id);
      if (counted.fetches >= counted.expectedFetches) await store.delete(id);
    });
    this.#counting.set(id, counting);
    counting
      .finally(() => {
        if (this.#counting.get(id) === counting) this.#counting.delete(id);
      })
      // Its own download reports a failure; the waiters only need it settled.
      .catch(() => undefined);
    return counting;
  }

  async #consume(address: string): Promise<number | undefined> {
    if (this.#requests === undefined) return undefined;
    try {
      await this.#requests.consume(address, 1);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  }
}

/** Answers with a coded refusal; the connection closes after it, so no unread body is drained. */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  code: RelayErrorCode,
  headers: Record<string, string> = {},
): void {
  const body = request.method === 'HEAD' ? '' : JSON.stringify({ code });
  response.writeHead(STATUS[code] ?? 400, {
    ...headers,
    'content-type': 'application/json',
    'cache-control': 'no-store',
    connection: 'close',
    'content-length': String(Buffer.byteLength(body)),
    'kindred-error': code,
  });
  response.end(body);
}

function tokenMatches(header: string | string[], record: BlobRecord): boolean {
  if (typeof header !== 'string') return false;
  const token = fromHex(header.trim().toLowerCase());
  if (token?.length !== BLOB_UPLOAD_TOKEN_BYTES) return false;
  return timingSafeEqual(
    Buffer.from(tokenHash(token), 'hex'),
    Buffer.from(record.tokenHash, 'hex'),
  );
}

/** `bytes START-END/SIZE` with SIZE the blob's size and START ≤ END < SIZE. */
function parseContentRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const match = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(header ?? '');
  if (match === null) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (total !== size || start > end || end >= size) return undefined;
  return { start, end };
}

/** One range, `bytes=START-` or `bytes=START-END` (END past the blob is cut to it). */
function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || start > end) return undefined;
  return { start, end };
}
