import { fromBinary } from '@bufbuild/protobuf';
import { MAX_DIRECTORY_PAGE_ENTRIES, wire } from '../../core/index.js';
import type { StoredDirectory } from '../store/directoryRecords.js';

/**
 * Most bytes of entries (and the revocation list) one DirectoryPage carries: clients accept
 * frames of 576 KiB (core/client/RelayConnection.ts), and the largest entry is about 24 KiB.
 */
export const MAX_DIRECTORY_PAGE_BYTES = 448 * 1024;

export type DirectoryPageInit = Omit<
  Partial<wire.DirectoryPage>,
  '$typeName' | 'entries' | 'revocations'
> & {
  readonly entries: wire.DirectoryEntry[];
  readonly revocations?: wire.SignedRevocationList;
};

/** One item of an answer: an entry (new or changed), or the id of a removed listing. */
type Item =
  | { readonly kind: 'entry'; readonly bytes: Uint8Array }
  | { readonly kind: 'removed'; readonly groupId: Uint8Array };

/**
 * The page of the answer to `request` starting at its position (docs/directory.md, "Frames"):
 * not_modified when the client holds the current version; the whole directory when it holds
 * none, a version older than the kept history (`floor`) or one the relay never reached (a store
 * restored from a backup); else a delta: entries changed after its version, then ids removed
 * after it. Items are cut into pages of at most MAX_DIRECTORY_PAGE_ENTRIES and
 * MAX_DIRECTORY_PAGE_BYTES; a client that sees the version change between pages starts again.
 */
export function directoryPage(
  directory: StoredDirectory,
  request: { readonly knownVersion: number; readonly fromPosition: number },
  maxBytes: number = MAX_DIRECTORY_PAGE_BYTES,
): DirectoryPageInit {
  const { version } = directory;
  const known = request.knownVersion;
  if (known !== 0 && known === version) {
    return { version: BigInt(version), notModified: true, entries: [] };
  }
  const full = known === 0 || known > version || known < directory.floor;
  const items: Item[] = full
    ? directory.entries.map((entry) => ({ kind: 'entry', bytes: entry.entry }))
    : [
        ...directory.entries
          .filter((entry) => entry.changedAt > known)
          .map((entry): Item => ({ kind: 'entry', bytes: entry.entry })),
        ...directory.removals
          .filter((removal) => removal.removedAt > known)
          .map((removal): Item => ({ kind: 'removed', groupId: removal.groupId })),
      ];
  const first = request.fromPosition === 0;
  const revocations =
    first && directory.revocations !== undefined
      ? fromBinary(wire.SignedRevocationListSchema, directory.revocations)
      : undefined;
  let bytes = first ? (directory.revocations?.length ?? 0) : 0;
  const entries: wire.DirectoryEntry[] = [];
  const removed: Uint8Array[] = [];
  let position = Math.min(request.fromPosition, items.length);
  while (position < items.length) {
    const item = items[position];
    if (item === undefined) break;
    const size = item.kind === 'entry' ? item.bytes.length : item.groupId.length;
    const count = entries.length + removed.length;
    // At least one item per page, so an answer always moves on.
    if (count > 0 && (count >= MAX_DIRECTORY_PAGE_ENTRIES || bytes + size > maxBytes)) break;
    if (item.kind === 'entry') entries.push(fromBinary(wire.DirectoryEntrySchema, item.bytes));
    else removed.push(item.groupId);
    bytes += size;
    position += 1;
  }
  return {
    version: BigInt(version),
    full,
    entries,
    removedGroupIds: removed,
    nextPosition: position < items.length ? position : 0,
    ...(revocations === undefined ? {} : { revocations }),
  };
}
