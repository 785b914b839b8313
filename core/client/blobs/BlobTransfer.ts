import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, truncate } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { Agent, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BLOB_RECEIVED_HEADER,
  BLOB_SIZE_HEADER,
  BLOB_TOKEN_HEADER,
  blobUrl,
} from '../../blobs/blobProtocol.js';
import { toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import type { BackoffOptions } from '../Backoff.js';
import { Backoff } from '../Backoff.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import type { SocksProxy } from '../SocksProxy.js';
import { socksAgent } from '../SocksProxy.js';

/** What an upload needs from a BlobUploadGrant. */
export interface BlobUploadTarget {
  readonly blobId: Uint8Array;
  readonly uploadToken: Uint8Array;
  /** The padded size: the source must deliver exactly this many bytes. */
  readonly size: number;
}

/**
 * The ciphertext to upload: a file path, or a function giving the bytes from an offset on (a
 * resumed upload asks again from where the relay stands, so a one-shot stream cannot do).
 */
export type BlobSource = string | ((offset: number) => Readable);

/** Called as bytes move: `done` of `total`. */
export type BlobProgress = (done: number, total: number) => void;

export interface BlobTransferOptions {
  /** Connect through this SOCKS proxy (the persona's, with credentials of its own). */
  readonly proxy?: SocksProxy;
  /** Attempts after which a transfer that keeps failing gives up. Default 8. */
  readonly maxAttempts?: number;
  /** Waits between attempts. Default 250 ms doubling up to 10 s. */
  readonly backoff?: BackoffOptions;
  /** Bytes per upload request: each PUT is one resumable piece. Default 8 MiB. */
  readonly chunkBytes?: number;
  /** A request that moves no bytes for this long is dropped and retried, in ms. Default 30 s. */
  readonly idleTimeoutMs?: number;
  readonly onProgress?: BlobProgress;
  /** Trusted CA certificates (PEM) for a relay with its own TLS certificate (tests). */
  readonly ca?: string;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000 };
/** Refusals worth waiting out: the relay is busy, not saying no. */
const TRANSIENT_CODES = new Set<string>([
  RelayErrorCode.RateLimited,
  RelayErrorCode.Unavailable,
  // The relay holds other than we thought (a dropped piece landed after all): ask it again.
  RelayErrorCode.BlobBadRange,
]);

/**
 * Uploads a blob's ciphertext to the relay that granted it, in pieces (`chunkBytes` per PUT),
 * asking the relay how much it holds (HEAD) after any failure and going on from there, with up
 * to `maxAttempts` failures in a row. CORE_BLOB_SIZE_MISMATCH when a file is not the grant's
 * size, CORE_BLOB_NOT_FOUND when the relay no longer knows the blob, CORE_BLOB_TRANSFER_FAILED
 * when the attempts run out, a RelayRejectedError for any other refusal.
 */
export async function uploadBlob(
  relayUrl: string,
  target: BlobUploadTarget,
  source: BlobSource,
  options: BlobTransferOptions = {},
): Promise<void> {
  if (typeof source === 'string' && (await stat(source)).size !== target.size) {
    throw new CoreError(CoreErrorCode.BlobSizeMismatch, 'the file is not the blob size');
  }
  const transfer = new Transfer(relayUrl, target.blobId, options);
  const token = toHex(target.uploadToken);
  try {
    let offset: number | undefined;
    while (offset === undefined || offset < target.size) {
      try {
        offset ??= await transfer.received(token);
        offset = await transfer.put(token, target.size, offset, source);
        transfer.succeeded();
      } catch (error) {
        await transfer.failed(error);
        offset = undefined;
      }
    }
  } finally {
    transfer.close();
  }
}

/**
 * Downloads a blob by its id (no account: the id is the capability) into `outPath`, through
 * `outPath + '.part'` while it arrives: a dropped download, in this call or a later one, goes on
 * from the bytes already there with a Range request. CORE_BLOB_NOT_FOUND when the relay holds no
 * such blob, CORE_BLOB_TRANSFER_FAILED when the attempts run out. Returns the size.
 */
export async function downloadBlob(
  relayUrl: string,
  blobId: Uint8Array,
  outPath: string,
  options: BlobTransferOptions = {},
): Promise<number> {
  const transfer = new Transfer(relayUrl, blobId, options);
  const partPath = `${outPath}.part`;
  try {
    for (;;) {
      try {
        const size = await transfer.get(partPath);
        await rename(partPath, outPath);
        return size;
      } catch (error) {
        await transfer.failed(error);
      }
    }
  } finally {
    transfer.close();
  }
}

/** One blob transfer's connection settings and retry budget. */
class Transfer {
  readonly #url: URL;
  readonly #agent: Agent;
  readonly #request: typeof httpRequest;
  readonly #options: BlobTransferOptions;
  readonly #backoff: Backoff;
  readonly #maxAttempts: number;
  #failures = 0;

  constructor(relayUrl: string, blobId: Uint8Array, options: BlobTransferOptions) {
    this.#url = blobUrl(relayUrl, blobId);
    const secure = this.#url.protocol === 'https:';
    this.#options = options;
    this.#request = secure ? httpsRequest : httpRequest;
    this.#agent =
      options.proxy !== undefined
        ? socksAgent(options.proxy)
        : secure
          ? new HttpsAgent({
              keepAlive: true,
              ...(options.ca === undefined ? {} : { ca: options.ca }),
            })
          : new HttpAgent({ keepAlive: true });
    this.#backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  close(): void {
    this.#agent.destroy();
  }

  succeeded(): void {
    this.#failures = 0;
    this.#backoff.reset();
  }

  /** Rethrows what retrying cannot fix, else waits before the next attempt (or gives up). */
  async failed(error: unknown): Promise<void> {
    if (CoreError.is(error) && !isRetryable(error)) throw error;
    this.#failures += 1;
    if (this.#failures >= this.#maxAttempts) {
      throw new CoreError(CoreErrorCode.BlobTransferFailed, 'the blob transfer kept failing', {
        cause: error,
      });
    }
    const hinted = RelayRejectedError.isRelayRejection(error) ? error.retryAfterMs : 0;
    await sleep(Math.max(hinted, this.#backoff.next()));
  }

  /** How many bytes of the upload the relay holds. */
  async received(token: string): Promise<number> {
    const response = await this.#send('HEAD', { [BLOB_TOKEN_HEADER]: token });
    response.resume();
    refusal(response);
    return headerNumber(response, BLOB_RECEIVED_HEADER);
  }

  /** Sends one piece from `offset`; returns what the relay then holds. */
  async put(token: string, size: number, offset: number, source: BlobSource): Promise<number> {
    const end = Math.min(offset + (this.#options.chunkBytes ?? DEFAULT_CHUNK_BYTES), size) - 1;
    const length = end - offset + 1;
    const body =
      typeof source === 'string'
        ? createReadStream(source, { start: offset, end, highWaterMark: 256 * 1024 })
        : source(offset);
    const onProgress = this.#options.onProgress;
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (sent + chunk.length > length) {
          // A source function gave more than the piece: send the piece, no more.
          const rest = chunk.subarray(0, length - sent);
          sent = length;
          onProgress?.(offset + sent, size);
          callback(null, rest);
          return;
        }
        sent += chunk.length;
        onProgress?.(offset + sent, size);
        callback(null, chunk);
      },
      flush(callback) {
        // A source that ends early would leave the relay waiting for the rest of the piece.
        callback(
          sent === length
            ? null
            : new CoreError(
                CoreErrorCode.BlobSizeMismatch,
                'the source ended before the blob size',
              ),
        );
      },
    });
    const response = await this.#send(
      'PUT',
      {
        [BLOB_TOKEN_HEADER]: token,
        'content-range': `bytes ${offset}-${end}/${size}`,
        'content-length': String(length),
        'content-type': 'application/octet-stream',
      },
      (request) => pipeline(body, counter, request),
    );
    response.resume();
    refusal(response);
    if (sent !== length) {
      throw new CoreError(CoreErrorCode.BlobSizeMismatch, 'the source ended before the blob size');
    }
    return headerNumber(response, BLOB_RECEIVED_HEADER);
  }

  /** Downloads into `partPath` from what it holds; returns the blob's size once all is there. */
  async get(partPath: string): Promise<number> {
    const have = await sizeOf(partPath);
    const response = await this.#send(
      'GET',
      have === 0 ? {} : { range: `bytes=${have}-` },
      undefined,
    );
    if (response.statusCode === 416 && have > 0) {
      // What we hold is not a prefix of this blob (a stale part file): start again.
      response.resume();
      await truncate(partPath, 0);
      throw new RetryNow();
    }
    if (response.statusCode !== 200 && response.statusCode !== 206) response.resume();
    refusal(response);
    const size = headerNumber(response, BLOB_SIZE_HEADER);
    const from = response.statusCode === 206 ? have : 0;
    const expected = size - from;
    if (headerNumber(response, 'content-length') !== expected) {
      response.destroy();
      throw new CoreError(CoreErrorCode.BlobSizeMismatch, 'the relay served an unexpected length');
    }
    const onProgress = this.#options.onProgress;
    let got = from;
    onProgress?.(got, size);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        got += chunk.length;
        onProgress?.(got, size);
        callback(null, chunk);
      },
    });
    const sink = createWriteStream(
      partPath,
      from === 0 ? { flags: 'w' } : { flags: 'r+', start: from },
    );
    await pipeline(response, counter, sink);
    if (got !== size) throw new CoreError(CoreErrorCode.BlobTransferFailed, 'download cut short');
    return size;
  }

  /** Sends a request (writing its body with `write`) and waits for the response's head. */
  #send(
    method: string,
    headers: Record<string, string>,
    write?: (request: NodeJS.WritableStream) => Promise<void>,
  ): Promise<IncomingMessage> {
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const requestOptions: RequestOptions = { method, headers, agent: this.#agent };
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = this.#request(this.#url, requestOptions, (response) => {
        // The response streams on; an idle one is cut the same way.
        response.socket.setTimeout(idleTimeoutMs, () => {
          response.destroy(unreachable('the relay stopped sending'));
        });
        resolve(response);
      });
      request.setTimeout(idleTimeoutMs, () => {
        request.destroy(unreachable('the relay stopped answering'));
      });
      request.once('error', (error) => {
        reject(CoreError.is(error) ? error : unreachable('the blob request failed', error));
      });
      if (write === undefined) request.end();
      else {
        write(request).catch((error: unknown) => {
          request.destroy();
          reject(CoreError.is(error) ? error : unreachable('the upload was cut', error));
        });
      }
    });
  }
}

/** A failure after which the next attempt may start at once (counted like any other). */
class RetryNow extends CoreError {
  constructor() {
    super(CoreErrorCode.RelayUnreachable, 'retry');
  }
}

function unreachable(message: string, cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.RelayUnreachable, message, { cause });
}

function isRetryable(error: CoreError): boolean {
  if (RelayRejectedError.isRelayRejection(error)) return TRANSIENT_CODES.has(error.relayCode);
  return error.code === CoreErrorCode.RelayUnreachable || error.code === CoreErrorCode.RelayTimeout;
}

/** Throws the relay's coded refusal, if the response is one. */
function refusal(response: IncomingMessage): void {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  const code = response.headers['kindred-error'];
  const relayCode = typeof code === 'string' ? code : `HTTP_${status}`;
  if (relayCode === RelayErrorCode.BlobNotFound) {
    throw new CoreError(CoreErrorCode.BlobNotFound, 'the relay holds no such blob');
  }
  const retryAfter = Number(response.headers['retry-after'] ?? 0);
  throw new RelayRejectedError(relayCode, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
}

function headerNumber(response: IncomingMessage, name: string): number {
  const value = Number(response.headers[name]);
  if (!Number.isSafeInteger(value) || value < 0) {
    response.destroy();
    throw new CoreError(CoreErrorCode.BlobSizeMismatch, `the relay sent no valid ${name}`);
  }
  return value;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
