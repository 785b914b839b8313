import type { Level } from 'level';

/** One write of a LevelDB batch. */
export type BatchOperation =
  { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/**
 * Writes `operations` as one atomic LevelDB batch (synced when `sync`), through a chained batch
 * rather than `db.batch(array)`. Why: the array form copies every operation into a new object in
 * abstract-level and then reads `type`, `key` and `value` back through N-API property lookups in
 * classic-level, one by one; the chained form hands each key and value straight to the native
 * WriteBatch. For a group commit of hundreds of 1 KiB envelopes that was about a third of the
 * main-thread cost of the batch (measured: ~3× less per put, ~2× less per delete). Same atomicity
 * and durability: one WriteBatch, one write, synced as asked.
 */
export async function writeBatch(
  db: Level<string, Uint8Array>,
  operations: readonly BatchOperation[],
  sync: boolean,
): Promise<void> {
  if (operations.length === 0) return;
  const batch = db.batch();
  try {
    for (const operation of operations) {
      if (operation.type === 'put') batch.put(operation.key, operation.value);
      else batch.del(operation.key);
    }
  } catch (error) {
    // A refused key or value: nothing was written; free the native batch before failing.
    await batch.close();
    throw error;
  }
  await batch.write({ sync });
}
