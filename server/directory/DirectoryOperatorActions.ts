import { fromBinary } from '@bufbuild/protobuf';
import {
  issueFacilitatorCredential,
  isPersonaAddress,
  openDirectoryEntry,
  openSignedListing,
  signRevocationList,
  toBase64Url,
  wire,
} from '../../core/index.js';
import { toBinary } from '@bufbuild/protobuf';
import type { StoredCredential } from '../store/directoryRecords.js';
import type { RelayStore } from '../store/RelayStore.js';
import { DirectoryCommandError } from './DirectoryCommandError.js';
import type { RelayDirectory } from './RelayDirectory.js';
import { ownerAddressOf } from './RelayDirectory.js';
import type { RelayOperator } from './RelayOperator.js';

/** A pending request as `kindred-server directory pending` shows it. */
export interface PendingListing {
  readonly groupId: string;
  readonly name: string;
  readonly conditions: readonly string[];
  readonly description: string;
  readonly ownerKey: string;
  readonly ownerAddress: string;
  readonly receivedAt: string;
}

/** A listed group as `kindred-server directory list` shows it. */
export interface ListedGroup {
  readonly groupId: string;
  readonly name: string;
  readonly members: string;
  readonly approvedAt: string;
  readonly changedAtVersion: number;
}

/**
 * What the operator does with the directory and facilitator credentials, through the running
 * relay's admin socket (docs/running-a-relay.md, "The directory"). Each action is one store
 * change; the ones that change what clients fetch bump the directory version.
 */
export class DirectoryOperatorActions {
  readonly #store: RelayStore;
  readonly #directory: RelayDirectory;
  readonly #operator: RelayOperator;
  readonly #relayId: Uint8Array;
  readonly #now: () => number;

  constructor(options: {
    readonly store: RelayStore;
    readonly directory: RelayDirectory;
    readonly operator: RelayOperator;
    readonly relayId: Uint8Array;
    readonly now?: () => number;
  }) {
    this.#store = options.store;
    this.#directory = options.directory;
    this.#operator = options.operator;
    this.#relayId = options.relayId;
    this.#now = options.now ?? Date.now;
  }

  async pending(): Promise<PendingListing[]> {
    const requests = await this.#store.listingRequests();
    return requests.map((request) => {
      const listing = openSignedListing(request.signedListing);
      return {
        groupId: hex(request.groupId),
        name: listing.name,
        conditions: listing.conditions,
        description: listing.description,
        ownerKey: toBase64Url(listing.ownerKey),
        ownerAddress: ownerAddressOf(listing),
        receivedAt: new Date(request.receivedAt).toISOString(),
      };
    });
  }

  /** Countersigns the group's pending listing and lists it; the new directory version. */
  async approve(groupId: Uint8Array): Promise<number> {
    this.#requireKey();
    const request = (await this.#store.listingRequests()).find(
      (pending) => hex(pending.groupId) === hex(groupId),
    );
    if (request === undefined) {
      throw new DirectoryCommandError('KINDRED_NOT_PENDING', 'no pending request for that group');
    }
    const entry = await this.#directory.countersign(request.signedListing, groupId);
    const version = await this.#store.listDirectoryEntry(groupId, entry);
    await this.#store.deleteListingRequest(groupId);
    return version;
  }

  /** Drops the group's pending request (the owner is not told: the relay keeps no reason). */
  async deny(groupId: Uint8Array): Promise<void> {
    if ((await this.#store.deleteListingRequest(groupId)) === undefined) {
      throw new DirectoryCommandError('KINDRED_NOT_PENDING', 'no pending request for that group');
    }
  }

  /** Takes a listed group out of the directory; the new directory version. */
  async remove(groupId: Uint8Array): Promise<number> {
    const version = await this.#store.unlistDirectoryEntry(groupId);
    if (version === undefined) {
      throw new DirectoryCommandError('KINDRED_NOT_LISTED', 'that group is not listed');
    }
    return version;
  }

  async list(): Promise<{ readonly version: number; readonly groups: ListedGroup[] }> {
    const directory = await this.#store.readDirectory();
    return {
      version: directory.version,
      groups: directory.entries.map((stored) => {
        const approved = openDirectoryEntry(fromBinary(wire.DirectoryEntrySchema, stored.entry), {
          relayId: this.#relayId,
          operatorKey: this.#operator.publicKey,
        });
        return {
          groupId: hex(stored.groupId),
          name: approved.listing.name,
          members: approved.members,
          approvedAt: new Date(approved.approvedAt).toISOString(),
          changedAtVersion: stored.changedAt,
        };
      }),
    };
  }

  /** Issues a credential; its base64url bytes for the persona, and its id for revoking. */
  async issue(options: {
    readonly address: string;
    readonly roleTitle: string;
    readonly lifetimeMs: number;
  }): Promise<{
    readonly credential: string;
    readonly credential_id: string;
    readonly expiresAt: string;
  }> {
    const privateKey = this.#requireKey();
    if (!isPersonaAddress(options.address)) {
      throw new DirectoryCommandError('KINDRED_BAD_ADDRESS', 'that is not a persona address');
    }
    const issuedAt = this.#now();
    const expiresAt = issuedAt + options.lifetimeMs;
    const bytes = issueFacilitatorCredential(privateKey, {
      roleTitle: options.roleTitle,
      address: options.address,
      relayId: this.#relayId,
      issuedAt,
      expiresAt,
    });
    const signed = fromBinary(wire.SignedFacilitatorCredentialSchema, bytes);
    const credential = fromBinary(wire.FacilitatorCredentialSchema, signed.credential);
    const credentialId = hex(credential.credentialId);
    await this.#store.putIssuedCredential({
      credentialId,
      address: options.address,
      roleTitle: credential.roleTitle,
      issuedAt,
      expiresAt,
      revokedAt: 0,
    });
    return {
      credential: toBase64Url(bytes),
      credential_id: credentialId,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Revokes an issued credential: re-signs the revocation list; the new directory version. */
  async revoke(credentialId: string): Promise<number> {
    const privateKey = this.#requireKey();
    const issued = await this.#store.issuedCredentials();
    const target = issued.find((credential) => credential.credentialId === credentialId);
    if (target === undefined) {
      throw new DirectoryCommandError('KINDRED_UNKNOWN_CREDENTIAL', 'no credential with that id');
    }
    const now = this.#now();
    if (target.revokedAt === 0)
      await this.#store.putIssuedCredential({ ...target, revokedAt: now });
    const revoked = issued
      .filter(
        (credential) => credential.revokedAt !== 0 || credential.credentialId === credentialId,
      )
      .map((credential) => credential.credentialId);
    const list = signRevocationList(privateKey, {
      relayId: this.#relayId,
      credentialIds: revoked,
      issuedAt: now,
    });
    return this.#store.putDirectoryRevocations(toBinary(wire.SignedRevocationListSchema, list));
  }

  credentials(): Promise<StoredCredential[]> {
    return this.#store.issuedCredentials();
  }

  #requireKey(): Uint8Array {
    const key = this.#operator.privateKey;
    if (key === undefined) {
      throw new DirectoryCommandError(
        'KINDRED_NO_OPERATOR_KEY',
        'this relay node holds no operator.key: run the command where it is',
      );
    }
    return key;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
