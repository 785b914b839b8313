import { RelayConnection } from '../RelayConnection.js';
import type { RelayLink } from '../RelayLink.js';
import type { BlobUploadTarget } from './BlobTransfer.js';

/** What to ask the relay for: `size` must already be a bucket size (blobBucketSize). */
export interface BlobUploadRequest {
  readonly size: number;
  /** Whole downloads before the relay deletes the blob: 1 for a 1:1 message, the other members of a group. */
  readonly expectedFetches?: number;
  /** Keep the blob at most this long, in ms (disappearing messages); default: the relay's longest. */
  readonly retentionMs?: number;
}

/** A grant: the target of `uploadBlob`, and when the relay will delete the blob. */
export interface BlobUploadGrant extends BlobUploadTarget {
  /** The upload must be complete by then (ms since the epoch). */
  readonly uploadExpiresAt: number;
  /** The relay deletes the blob by then at the latest (ms since the epoch). */
  readonly expiresAt: number;
}

/**
 * Asks the relay, over the persona's authenticated link (or an authenticated connection), for
 * the right to upload one blob. The relay's refusals come as RelayRejectedError:
 * RELAY_BLOB_TOO_LARGE, RELAY_BLOB_BAD_SIZE, RELAY_QUOTA_EXCEEDED, RELAY_STORAGE_FULL, ...
 */
export async function requestBlobUpload(
  via: RelayLink | RelayConnection,
  request: BlobUploadRequest,
): Promise<BlobUploadGrant> {
  const connection = via instanceof RelayConnection ? via : await via.connection();
  const grant = await connection.request(
    {
      case: 'createBlobUpload',
      value: {
        size: BigInt(request.size),
        expectedFetches: request.expectedFetches ?? 1,
        retentionMs: BigInt(request.retentionMs ?? 0),
      },
    },
    'blobUploadGrant',
  );
  return {
    blobId: grant.blobId,
    uploadToken: grant.uploadToken,
    size: Number(grant.size),
    uploadExpiresAt: Number(grant.uploadExpiresAt),
    expiresAt: Number(grant.expiresAt),
  };
}
