import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBatch } from '../../server/store/levelBatch.js';
import type { BatchOperation } from '../../server/store/levelBatch.js';
import { TempDirs } from '../integration/helpers.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

async function openDb(): Promise<Level<string, Uint8Array>> {
  const db = new Level<string, Uint8Array>(await dirs.make('level-batch'), {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
  });
  await db.open();
  return db;
}

/** A value as a plain Uint8Array (the 'view' encoding reads Buffers). */
async function bytesAt(db: Level<string, Uint8Array>, key: string): Promise<Uint8Array> {
  return Uint8Array.from(await db.get(key));
}

describe('writeBatch', () => {
  it('writes puts and deletes in order, as one batch, synced or not', async () => {
    const db = await openDb();
    try {
      await db.put('old', Uint8Array.of(9));
      const sealed = new Uint8Array(1024).map((_, i) => i & 0xff);
      const operations: BatchOperation[] = [
        { type: 'put', key: 'e!a!1', value: sealed },
        { type: 'put', key: 'e!a!2', value: Uint8Array.of(1) },
        { type: 'del', key: 'old' },
        // A later operation on the same key wins, as in any LevelDB batch.
        { type: 'put', key: 'e!a!2', value: Uint8Array.of(2) },
      ];
      await writeBatch(db, operations, true);
      expect(await bytesAt(db, 'e!a!1')).toEqual(sealed);
      expect(await bytesAt(db, 'e!a!2')).toEqual(Uint8Array.of(2));
      expect(await db.has('old')).toBe(false);
      await writeBatch(db, [{ type: 'del', key: 'e!a!1' }], false);
      expect(await db.has('e!a!1')).toBe(false);
      await writeBatch(db, [], true);
    } finally {
      await db.close();
    }
  });

  it('writes nothing when one operation is refused', async () => {
    const db = await openDb();
    try {
      const operations = [
        { type: 'put', key: 'first', value: Uint8Array.of(1) },
        { type: 'put', key: 'second', value: null },
      ] as unknown as BatchOperation[];
      await expect(writeBatch(db, operations, true)).rejects.toMatchObject({
        code: 'LEVEL_INVALID_VALUE',
      });
      expect(await db.has('first')).toBe(false);
      // The refused batch was closed: the database still takes writes.
      await writeBatch(db, [{ type: 'put', key: 'third', value: Uint8Array.of(3) }], true);
      expect(await bytesAt(db, 'third')).toEqual(Uint8Array.of(3));
    } finally {
      await db.close();
    }
  });
});
