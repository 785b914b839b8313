// The blob-record part of the RelayStore contract (relayStore.contract.ts runs it for every
// store): what relay nodes sharing one store rely on to serve any blob from any node.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RelayStore } from '../../server/index.js';

type BlobRecord = NonNullable<Awaited<ReturnType<RelayStore['getBlob']>>>;

function blob(overrides: Partial<BlobRecord> = {}): BlobRecord {
  const now = Date.now();
  return {
    id: randomBytes(16).toString('hex'),
    size: 1024,
    tokenHash: randomBytes(32).toString('hex'),
    expectedFetches: 2,
    fetches: 0,
    uploadExpiresAt: now + 60_000,
    expiresAt: now + 120_000,
    complete: false,
    ...overrides,
  };
}

export function blobRecordsContract(store: () => RelayStore): void {
  describe('blob records', () => {
    it('creates a record once, reads it back and completes it', async () => {
      const record = blob();
      expect(await store().createBlob(record)).toBe(true);
      expect(await store().createBlob({ ...record, size: 4096 })).toBe(false);
      expect(await store().getBlob(record.id)).toStrictEqual(record);
      expect(await store().getBlob(blob().id)).toBeUndefined();
      expect(await store().completeBlob(record.id)).toStrictEqual({ ...record, complete: true });
      expect(await store().getBlob(record.id)).toStrictEqual({ ...record, complete: true });
      expect(await store().completeBlob(blob().id)).toBeUndefined();
    });

    it('counts fetches; the one reaching the expected count deletes the record', async () => {
      const record = blob({ expectedFetches: 2, complete: true });
      await store().createBlob(record);
      expect(await store().countBlobFetch(record.id)).toStrictEqual({
        record: { ...record, fetches: 1 },
        deleted: false,
      });
      expect(await store().countBlobFetch(record.id)).toStrictEqual({
        record: { ...record, fetches: 2 },
        deleted: true,
      });
      expect(await store().getBlob(record.id)).toBeUndefined();
      expect(await store().countBlobFetch(record.id)).toBeUndefined();
    });

    it('lets exactly one of many concurrent last fetches delete the record', async () => {
      const record = blob({ expectedFetches: 3, complete: true });
      await store().createBlob(record);
      const counted = await Promise.all(
        Array.from({ length: 6 }, () => store().countBlobFetch(record.id)),
      );
      expect(counted.filter((each) => each?.deleted === true)).toHaveLength(1);
      expect(counted.filter((each) => each !== undefined)).toHaveLength(3);
      expect(await store().getBlob(record.id)).toBeUndefined();
      expect(await store().blobTotals()).toStrictEqual({ count: 0, bytes: 0 });
    });

    it('keeps totals of the blobs recorded, and deletes a record once', async () => {
      expect(await store().blobTotals()).toStrictEqual({ count: 0, bytes: 0 });
      const first = blob({ size: 1024 });
      const second = blob({ size: 8192 });
      await store().createBlob(first);
      await store().createBlob(second);
      await store().createBlob({ ...second, size: 99 });
      expect(await store().blobTotals()).toStrictEqual({ count: 2, bytes: 9216 });
      const deleted = await Promise.all([
        store().deleteBlob(first.id),
        store().deleteBlob(first.id),
      ]);
      expect(deleted.filter((each) => each !== undefined)).toStrictEqual([first]);
      expect(await store().getBlob(first.id)).toBeUndefined();
      expect(await store().blobTotals()).toStrictEqual({ count: 1, bytes: 8192 });
    });

    it('expires blobs past their expiry and incomplete ones past their upload window', async () => {
      const now = Date.now();
      const kept = blob({ uploadExpiresAt: now + 1000, expiresAt: now + 5000 });
      const keptComplete = blob({ complete: true, uploadExpiresAt: now - 1, expiresAt: now + 1 });
      const expired = blob({ complete: true, uploadExpiresAt: now - 10, expiresAt: now });
      const unfinished = blob({ uploadExpiresAt: now, expiresAt: now + 5000 });
      for (const record of [kept, keptComplete, expired, unfinished]) {
        await store().createBlob(record);
      }
      const gone = await Promise.all([store().expireBlobs(now), store().expireBlobs(now)]);
      const ids = gone.flat().map((record) => record.id);
      expect(ids.sort()).toStrictEqual([expired.id, unfinished.id].sort());
      expect(await store().getBlob(expired.id)).toBeUndefined();
      expect(await store().getBlob(unfinished.id)).toBeUndefined();
      expect(await store().getBlob(kept.id)).toStrictEqual(kept);
      expect(await store().getBlob(keptComplete.id)).toStrictEqual(keptComplete);
      expect(await store().blobTotals()).toStrictEqual({ count: 2, bytes: 2048 });
    });
  });
}
