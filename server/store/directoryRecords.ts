/**
 * The directory's records (docs/directory.md), as every RelayStore keeps them: pending listing
 * requests, listed entries with the directory version they last changed at, tombstones of the
 * removed ones (the change history deltas are served from), the operator's signed revocation
 * list, and the facilitator credentials the operator issued. Every change bumps one version,
 * atomically with the change itself, so two nodes changing the directory at once never give two
 * changes one version.
 */

/** An owner's request to list a group, kept until the operator approves or denies it. */
export interface StoredListingRequest {
  readonly groupId: Uint8Array;
  /** SignedListing bytes, checked (openSignedListing) before they were kept. */
  readonly signedListing: Uint8Array;
  readonly receivedAt: number;
}

/** A listed group: its DirectoryEntry bytes (countersigned) and the version it last changed at. */
export interface StoredDirectoryEntry {
  readonly groupId: Uint8Array;
  readonly entry: Uint8Array;
  readonly changedAt: number;
}

/** A listing removed from the directory, at `removedAt` (a directory version). */
export interface StoredDirectoryRemoval {
  readonly groupId: Uint8Array;
  readonly removedAt: number;
}

/** The whole directory as of one version, read in one atomic step. */
export interface StoredDirectory {
  /** 0 for a directory nothing ever changed. */
  readonly version: number;
  /**
   * The oldest version a delta can start from: tombstones of removals at or before it were
   * dropped (DIRECTORY_REMOVALS_KEPT), so a client holding an older version gets the whole.
   */
  readonly floor: number;
  readonly entries: readonly StoredDirectoryEntry[];
  readonly removals: readonly StoredDirectoryRemoval[];
  /** SignedRevocationList bytes, once the operator revoked anything. */
  readonly revocations: Uint8Array | undefined;
}

/** A facilitator credential the operator issued, so that it can be listed and revoked by id. */
export interface StoredCredential {
  /** 16 bytes, hex: what the revocation list names. */
  readonly credentialId: string;
  readonly address: string;
  readonly roleTitle: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** 0 while not revoked. */
  readonly revokedAt: number;
}

/** How many removal tombstones a store keeps; the oldest beyond go and raise the floor. */
export const DIRECTORY_REMOVALS_KEPT = 1000;

/** The store methods of the directory (part of RelayStore). */
export interface DirectoryRecords {
  /** Keeps a listing request, replacing the group's earlier one (one pending per group). */
  putListingRequest(request: StoredListingRequest): Promise<void>;
  /** Every pending request, oldest first. */
  listingRequests(): Promise<StoredListingRequest[]>;
  /** Deletes a group's pending request; the one deleted, undefined when there was none. */
  deleteListingRequest(groupId: Uint8Array): Promise<StoredListingRequest | undefined>;
  /** Adds or replaces a group's entry and drops its tombstone; the new directory version. */
  listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): Promise<number>;
  /**
   * Removes a group's entry and leaves a tombstone at the new version (keeping at most
   * DIRECTORY_REMOVALS_KEPT); the new version, undefined (nothing changed) when it was not listed.
   */
  unlistDirectoryEntry(groupId: Uint8Array): Promise<number | undefined>;
  /** Replaces the signed revocation list; the new directory version. */
  putDirectoryRevocations(list: Uint8Array): Promise<number>;
  /** The current version alone: cheap, for "has anything changed". */
  directoryVersion(): Promise<number>;
  readDirectory(): Promise<StoredDirectory>;
  /** Adds or replaces an issued credential's record (by its id). */
  putIssuedCredential(credential: StoredCredential): Promise<void>;
  /** Every issued credential, oldest first. */
  issuedCredentials(): Promise<StoredCredential[]>;
}

/** Oldest first, then by group id: the order every store lists requests in. */
export function byReceivedAt(a: StoredListingRequest, b: StoredListingRequest): number {
  return a.receivedAt - b.receivedAt || compareBytes(a.groupId, b.groupId);
}

export function byIssuedAt(a: StoredCredential, b: StoredCredential): number {
  return a.issuedAt - b.issuedAt || a.credentialId.localeCompare(b.credentialId);
}

/** Entries in group-id order: the order pages are cut in. */
export function byGroupId(a: { groupId: Uint8Array }, b: { groupId: Uint8Array }): number {
  return compareBytes(a.groupId, b.groupId);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/**
 * The tombstones to keep after a removal, and the floor that results: the newest
 * DIRECTORY_REMOVALS_KEPT stay, the floor rises to the newest one dropped.
 */
export function trimRemovals(
  removals: readonly StoredDirectoryRemoval[],
  floor: number,
): {
  readonly kept: StoredDirectoryRemoval[];
  readonly dropped: StoredDirectoryRemoval[];
  readonly floor: number;
} {
  const sorted = [...removals].sort((a, b) => a.removedAt - b.removedAt);
  const excess = Math.max(0, sorted.length - DIRECTORY_REMOVALS_KEPT);
  const dropped = sorted.slice(0, excess);
  const kept = sorted.slice(excess);
  const newest = dropped.at(-1);
  return { kept, dropped, floor: newest === undefined ? floor : Math.max(floor, newest.removedAt) };
}

/** A credential record as JSON (the embedded and Redis stores keep it so). */
export function encodeCredential(credential: StoredCredential): string {
  return JSON.stringify(credential);
}

export function decodeCredential(text: string): StoredCredential | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const numbers = [v.issuedAt, v.expiresAt, v.revokedAt];
  if (
    typeof v.credentialId !== 'string' ||
    typeof v.address !== 'string' ||
    typeof v.roleTitle !== 'string' ||
    numbers.some((n) => !Number.isSafeInteger(n) || (n as number) < 0)
  ) {
    return undefined;
  }
  return {
    credentialId: v.credentialId,
    address: v.address,
    roleTitle: v.roleTitle,
    issuedAt: v.issuedAt as number,
    expiresAt: v.expiresAt as number,
    revokedAt: v.revokedAt as number,
  };
}
