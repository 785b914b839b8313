import type { GroupAppendConflict } from './GroupAppendConflictError.js';
import type { GroupCursor, NewGroupEntry, StoredGroupSnapshot } from './RelayStore.js';

/**
 * The rules of a group's stream that every backend applies the same way: when an append's
 * condition holds, how an acknowledgement moves a cursor, and which message entries some cursor
 * still needs.
 */

/** Why `entry` may not be appended to a log of `operations` operations; undefined if it may. */
export function groupConflict(
  entry: NewGroupEntry,
  operations: number,
): GroupAppendConflict | undefined {
  if (entry.kind === 'operation') {
    if (entry.sequence === 0) return operations === 0 ? undefined : 'exists';
    if (operations === 0) return 'missing';
    return entry.sequence === operations ? undefined : 'moved';
  }
  if (operations === 0) return 'missing';
  return entry.logLength === operations ? undefined : 'moved';
}

/**
 * Whether `snapshot` may replace `kept` for a log of `operations` operations: it must cover at
 * least one operation, no more than the log holds, and no fewer than the one kept (an equal one
 * replaces it, so a damaged snapshot is overwritten by the replay it caused).
 */
export function snapshotFits(
  snapshot: StoredGroupSnapshot,
  operations: number,
  kept: StoredGroupSnapshot | undefined,
): boolean {
  return (
    Number.isSafeInteger(snapshot.length) &&
    snapshot.length >= 1 &&
    snapshot.length <= operations &&
    snapshot.length >= (kept?.length ?? 0)
  );
}

/** `cursor` after acknowledging `index`: never backwards, never past `lastIndex` or `readUntil`. */
export function advancedCursor(cursor: GroupCursor, index: number, lastIndex: number): GroupCursor {
  const limit = Math.min(lastIndex, cursor.readUntil ?? Number.POSITIVE_INFINITY);
  const acked = Math.max(cursor.acked, Math.min(index, limit));
  return cursor.readUntil === undefined ? { acked } : { acked, readUntil: cursor.readUntil };
}

/**
 * Whether some cursor still needs the entry at an index: a member needs everything after its
 * acknowledged index; a former member only up to its `readUntil`.
 */
export function neededEntries(cursors: Iterable<GroupCursor>): (index: number) => boolean {
  let members = Number.POSITIVE_INFINITY;
  const formers: GroupCursor[] = [];
  for (const cursor of cursors) {
    if (cursor.readUntil === undefined) members = Math.min(members, cursor.acked);
    else if (cursor.acked < cursor.readUntil) formers.push(cursor);
  }
  return (index) =>
    index > members ||
    formers.some((cursor) => index > cursor.acked && index <= (cursor.readUntil ?? 0));
}

export function groupKey(groupId: Uint8Array): string {
  return Buffer.from(groupId.buffer, groupId.byteOffset, groupId.byteLength).toString('hex');
}

export function groupIdFromKey(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, 'hex'));
}
