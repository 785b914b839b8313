import { byGroupId, byIssuedAt, byReceivedAt, trimRemovals } from './directoryRecords.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredDirectoryEntry,
  StoredDirectoryRemoval,
  StoredListingRequest,
} from './directoryRecords.js';

/**
 * The directory's records in memory (MemoryRelayStore's directory methods). Synchronous: the
 * store runs each in one turn, so each change and its version bump are one step.
 */
export class MemoryDirectoryRecords {
  readonly #requests = new Map<string, StoredListingRequest>();
  readonly #entries = new Map<string, StoredDirectoryEntry>();
  readonly #removals = new Map<string, StoredDirectoryRemoval>();
  readonly #credentials = new Map<string, StoredCredential>();
  #revocations: Uint8Array | undefined;
  #version = 0;
  #floor = 0;

  putListingRequest(request: StoredListingRequest): void {
    this.#requests.set(hex(request.groupId), copyRequest(request));
  }

  listingRequests(): StoredListingRequest[] {
    return [...this.#requests.values()].map(copyRequest).sort(byReceivedAt);
  }

  deleteListingRequest(groupId: Uint8Array): StoredListingRequest | undefined {
    const key = hex(groupId);
    const request = this.#requests.get(key);
    this.#requests.delete(key);
    return request === undefined ? undefined : copyRequest(request);
  }

  listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): number {
    const version = ++this.#version;
    const key = hex(groupId);
    this.#removals.delete(key);
    this.#entries.set(key, { groupId: copy(groupId), entry: copy(entry), changedAt: version });
    return version;
  }

  unlistDirectoryEntry(groupId: Uint8Array): number | undefined {
    const key = hex(groupId);
    if (!this.#entries.delete(key)) return undefined;
    const version = ++this.#version;
    this.#removals.set(key, { groupId: copy(groupId), removedAt: version });
    const { dropped, floor } = trimRemovals([...this.#removals.values()], this.#floor);
    for (const removal of dropped) this.#removals.delete(hex(removal.groupId));
    this.#floor = floor;
    return version;
  }

  putDirectoryRevocations(list: Uint8Array): number {
    this.#revocations = copy(list);
    return ++this.#version;
  }

  directoryVersion(): number {
    return this.#version;
  }

  readDirectory(): StoredDirectory {
    return {
      version: this.#version,
      floor: this.#floor,
      entries: [...this.#entries.values()]
        .map((entry) => ({ ...entry, groupId: copy(entry.groupId), entry: copy(entry.entry) }))
        .sort(byGroupId),
      removals: [...this.#removals.values()]
        .map((removal) => ({ ...removal, groupId: copy(removal.groupId) }))
        .sort(byGroupId),
      revocations: this.#revocations === undefined ? undefined : copy(this.#revocations),
    };
  }

  putIssuedCredential(credential: StoredCredential): void {
    this.#credentials.set(credential.credentialId, { ...credential });
  }

  issuedCredentials(): StoredCredential[] {
    return [...this.#credentials.values()]
      .map((credential) => ({ ...credential }))
      .sort(byIssuedAt);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function copyRequest(request: StoredListingRequest): StoredListingRequest {
  return {
    groupId: copy(request.groupId),
    signedListing: copy(request.signedListing),
    receivedAt: request.receivedAt,
  };
}
