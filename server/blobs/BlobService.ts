import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import {
  BLOB_ID_BYTES,
  BLOB_UPLOAD_TOKEN_BYTES,
  RelayErrorCode,
  isBlobBucketSize,
  toHex,
} from '../../core/index.js';
import type { wire } from '../../core/index.js';
import { memoryLimiters } from '../cluster/sharedLimiters.js';
import type { LimiterFactory } from '../cluster/sharedLimiters.js';
import { errorNameOf } from '../errorFacts.js';
import { RelayError } from '../RelayError.js';
import type { RelayLimits } from '../relayLimits.js';
import type { StorageGauge } from '../StorageGauge.js';
import { isBlobExpired } from '../store/blobRecords.js';
import type { BlobRecord, BlobStore } from './BlobStore.js';

const DAY_SECONDS = 24 * 60 * 60;

/** What a grant hands back (the fields of a BlobUploadGrant frame). */
export interface BlobGrant {
  readonly blobId: Uint8Array;
  readonly uploadToken: Uint8Array;
  readonly size: bigint;
  readonly uploadExpiresAt: bigint;
  readonly expiresAt: bigint;
}

export interface BlobServiceOptions {
  /** Undefined: the relay keeps no blobs (it was given a store and no data folder). */
  readonly store: BlobStore | undefined;
  readonly limits: RelayLimits;
  /** Free disk space (minFreeDiskBytes) on the blob folder's disk. */
  readonly disk: StorageGauge;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Where the daily quotas count: in memory (default), or shared by relay nodes on Redis. */
  readonly limiters?: LimiterFactory;
}

/**
 * The relay's side of blobs apart from HTTP: upload grants with their checks and quotas, the
 * liveness rule (expiry, upload window) and the sweep. Quotas count per persona per day, like the
 * relay's other daily quotas (in memory, or in Redis for every node); records name no persona.
 */
export class BlobService {
  readonly store: BlobStore | undefined;
  readonly #limits: RelayLimits;
  readonly #disk: StorageGauge;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #dailyBytes: RateLimiterAbstract | undefined;
  readonly #dailyCount: RateLimiterAbstract | undefined;

  constructor(options: BlobServiceOptions) {
    this.store = options.store;
    this.#limits = options.limits;
    this.#disk = options.disk;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    const { maxBlobBytesPerPersonaPerDay: bytes, maxBlobsPerPersonaPerDay: count } = options.limits;
    const limiters = options.limiters ?? memoryLimiters;
    this.#dailyBytes = bytes === 0 ? undefined : limiters.create('blobBytes', bytes, DAY_SECONDS);
    this.#dailyCount = count === 0 ? undefined : limiters.create('blobCount', count, DAY_SECONDS);
  }

  /**
   * Checks a CreateBlobUpload from `persona`, charges its daily quotas and records an empty blob.
   * RELAY_BLOB_TOO_LARGE, RELAY_BLOB_BAD_SIZE, RELAY_BLOB_BAD_REQUEST (expected fetches out of
   * range), RELAY_STORAGE_FULL, RELAY_QUOTA_EXCEEDED, RELAY_UNAVAILABLE (no blob store).
   */
  async grant(persona: string, request: wire.CreateBlobUpload): Promise<BlobGrant> {
    const store = this.store;
    if (store === undefined) {
      throw new RelayError(RelayErrorCode.Unavailable, 'this relay keeps no blobs');
    }
    const limits = this.#limits;
    if (request.size > BigInt(limits.maxBlobBytes)) {
      throw new RelayError(RelayErrorCode.BlobTooLarge, 'blob larger than the relay allows');
    }
    const size = Number(request.size);
    if (!isBlobBucketSize(size)) {
      throw new RelayError(RelayErrorCode.BlobBadSize, 'blob size is not a bucket size');
    }
    const expectedFetches = request.expectedFetches === 0 ? 1 : request.expectedFetches;
    if (expectedFetches > limits.maxBlobExpectedFetches) {
      throw new RelayError(RelayErrorCode.BlobBadRequest, 'too many expected fetches');
    }
    const { count: stored, bytes: storedBytes } = await store.totals();
    if (
      stored >= limits.maxStoredBlobs ||
      (limits.maxBlobStorageBytes > 0 && storedBytes + size > limits.maxBlobStorageBytes)
    ) {
      throw new RelayError(RelayErrorCode.StorageFull, 'the relay is out of blob space');
    }
    await this.#disk.admit(size);
    await spend(this.#dailyCount, persona, 1);
    try {
      await spend(this.#dailyBytes, persona, size);
    } catch (error) {
      await this.#dailyCount?.reward(persona, 1);
      throw error;
    }
    const now = this.#now();
    const asked = Number(request.retentionMs);
    const retention =
      asked === 0 ? limits.blobRetentionMs : Math.min(asked, limits.blobRetentionMs);
    const expiresAt = now + retention;
    const uploadExpiresAt = Math.min(now + limits.blobUploadWindowMs, expiresAt);
    const blobId = new Uint8Array(randomBytes(BLOB_ID_BYTES));
    const uploadToken = new Uint8Array(randomBytes(BLOB_UPLOAD_TOKEN_BYTES));
    try {
      await store.create({
        id: toHex(blobId),
        size,
        tokenHash: tokenHash(uploadToken),
        expectedFetches,
        fetches: 0,
        uploadExpiresAt,
        expiresAt,
        complete: false,
      });
    } catch (error) {
      await this.#dailyCount?.reward(persona, 1);
      await this.#dailyBytes?.reward(persona, size);
      throw error;
    }
    return {
      blobId,
      uploadToken,
      size: BigInt(size),
      uploadExpiresAt: BigInt(uploadExpiresAt),
      expiresAt: BigInt(expiresAt),
    };
  }

  /** The record of a blob that still exists for clients (not expired, upload window open). */
  async live(id: string): Promise<BlobRecord | undefined> {
    const record = await this.store?.get(id);
    if (record === undefined || isBlobExpired(record, this.#now())) return undefined;
    return record;
  }

  /** Deletes expired blobs and uploads whose window closed; returns how many. */
  async sweep(): Promise<number> {
    const store = this.store;
    if (store === undefined) return 0;
    const deleted = await store.expire(this.#now(), (error) => {
      this.#logger.error(
        { event: 'blob-delete-failed', errorName: errorNameOf(error) },
        'blob delete failed',
      );
    });
    if (deleted > 0) this.#logger.info({ event: 'blobs-expired', count: deleted }, 'expired blobs');
    return deleted;
  }
}

/** SHA-256 of an upload token, hex: what the record keeps instead of the token. */
export function tokenHash(token: Uint8Array): string {
  return createHash('sha256').update(token).digest('hex');
}

async function spend(
  limiter: RateLimiterAbstract | undefined,
  key: string,
  amount: number,
): Promise<void> {
  if (limiter === undefined) return;
  try {
    await limiter.consume(key, amount);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      // A refused consume still counted its points: a refused grant takes nothing.
      await limiter.reward(key, amount);
      throw new RelayError(RelayErrorCode.QuotaExceeded, 'quota exceeded', {
        retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)),
      });
    }
    throw rejection;
  }
}
