import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { DirectoryEntry, SignedRevocationList } from '../../protocol/gen/kindred_pb.js';
import type { RelayConnection } from '../RelayConnection.js';

/** One answer to "what changed since `knownVersion`", all its pages together. */
export type DirectoryAnswer =
  | { readonly notModified: true; readonly version: number; readonly pages: 1 }
  | {
      readonly notModified: false;
      readonly version: number;
      /** A whole directory (drop what was held), else a delta. */
      readonly full: boolean;
      readonly entries: readonly DirectoryEntry[];
      readonly removed: readonly Uint8Array[];
      readonly revocations?: SignedRevocationList;
      readonly pages: number;
    };

/** More pages than a directory of the largest size has (500 entries a page). */
const MAX_PAGES = 1_000;
/** A directory that changes while it is paged through is asked for again, this often at most. */
const MAX_RESTARTS = 3;

/**
 * Fetches the directory on `connection` (FetchDirectory, docs/directory.md "Frames"): one
 * `not_modified` answer when `knownVersion` is current, else every page of the full directory or
 * of the delta. A page of another version than the first (the directory changed meanwhile)
 * starts the answer over. CORE_BAD_FRAME for a relay that pages forever or contradicts itself.
 */
export async function fetchDirectory(
  connection: RelayConnection,
  knownVersion: number,
): Promise<DirectoryAnswer> {
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt += 1) {
    const first = await connection.request(
      { case: 'fetchDirectory', value: { knownVersion: BigInt(knownVersion), fromPosition: 0 } },
      'directoryPage',
    );
    const version = safeVersion(first.version);
    if (first.notModified) return { notModified: true, version, pages: 1 };
    const entries = [...first.entries];
    const removed = [...first.removedGroupIds];
    let next = first.nextPosition;
    let pages = 1;
    let restarted = false;
    while (next !== 0) {
      if (pages >= MAX_PAGES) throw badDirectory('the relay sent too many directory pages');
      const page = await connection.request(
        {
          case: 'fetchDirectory',
          value: { knownVersion: BigInt(knownVersion), fromPosition: next },
        },
        'directoryPage',
      );
      pages += 1;
      if (page.notModified || safeVersion(page.version) !== version || page.full !== first.full) {
        restarted = true;
        break;
      }
      if (page.nextPosition !== 0 && page.nextPosition <= next) {
        throw badDirectory('the relay’s directory pages go backwards');
      }
      entries.push(...page.entries);
      removed.push(...page.removedGroupIds);
      next = page.nextPosition;
    }
    if (restarted) continue;
    return {
      notModified: false,
      version,
      full: first.full,
      entries,
      removed,
      ...(first.revocations === undefined ? {} : { revocations: first.revocations }),
      pages,
    };
  }
  throw new CoreError(
    CoreErrorCode.RelayTimeout,
    'the directory kept changing while it was fetched',
  );
}

function safeVersion(version: bigint): number {
  if (version > BigInt(Number.MAX_SAFE_INTEGER))
    throw badDirectory('the directory version is malformed');
  return Number(version);
}

function badDirectory(message: string): CoreError {
  return new CoreError(CoreErrorCode.BadFrame, message);
}
