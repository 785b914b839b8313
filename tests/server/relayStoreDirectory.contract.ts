// The directory part of the RelayStore contract (relayStore.contract.ts runs it for every store):
// one version bumped with each change, deltas from tombstones, one pending request per group.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DIRECTORY_REMOVALS_KEPT } from '../../server/index.js';
import type { RelayStore } from '../../server/index.js';

function groupId(): Uint8Array {
  return new Uint8Array(randomBytes(16));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function directoryRecordsContract(store: () => RelayStore): void {
  describe('directory records', () => {
    it('starts empty at version 0', async () => {
      expect(await store().directoryVersion()).toBe(0);
      expect(await store().readDirectory()).toStrictEqual({
        version: 0,
        floor: 0,
        entries: [],
        removals: [],
        revocations: undefined,
      });
      expect(await store().listingRequests()).toStrictEqual([]);
      expect(await store().issuedCredentials()).toStrictEqual([]);
    });

    it('keeps one pending request per group, oldest first, and deletes it once', async () => {
      const a = groupId();
      const b = groupId();
      await store().putListingRequest({
        groupId: a,
        signedListing: Uint8Array.of(1),
        receivedAt: 10,
      });
      await store().putListingRequest({
        groupId: b,
        signedListing: Uint8Array.of(2),
        receivedAt: 5,
      });
      // A new request for a group replaces its earlier one.
      await store().putListingRequest({
        groupId: a,
        signedListing: Uint8Array.of(3),
        receivedAt: 20,
      });
      expect(await store().listingRequests()).toStrictEqual([
        { groupId: b, signedListing: Uint8Array.of(2), receivedAt: 5 },
        { groupId: a, signedListing: Uint8Array.of(3), receivedAt: 20 },
      ]);
      expect(await store().deleteListingRequest(a)).toStrictEqual({
        groupId: a,
        signedListing: Uint8Array.of(3),
        receivedAt: 20,
      });
      expect(await store().deleteListingRequest(a)).toBeUndefined();
      expect((await store().listingRequests()).map((r) => hex(r.groupId))).toStrictEqual([hex(b)]);
    });

    it('bumps the version with every change and records when each entry changed', async () => {
      const a = groupId();
      const b = groupId();
      expect(await store().listDirectoryEntry(a, Uint8Array.of(1))).toBe(1);
      expect(await store().listDirectoryEntry(b, Uint8Array.of(2))).toBe(2);
      expect(await store().listDirectoryEntry(a, Uint8Array.of(3))).toBe(3);
      expect(await store().putDirectoryRevocations(Uint8Array.of(9, 9))).toBe(4);
      const directory = await store().readDirectory();
      expect(directory.version).toBe(4);
      expect(await store().directoryVersion()).toBe(4);
      const byGroup = new Map(directory.entries.map((e) => [hex(e.groupId), e]));
      expect(byGroup.get(hex(a))).toStrictEqual({
        groupId: a,
        entry: Uint8Array.of(3),
        changedAt: 3,
      });
      expect(byGroup.get(hex(b))).toStrictEqual({
        groupId: b,
        entry: Uint8Array.of(2),
        changedAt: 2,
      });
      expect(directory.revocations).toStrictEqual(Uint8Array.of(9, 9));
      // Pages are cut in group-id order.
      expect(directory.entries.map((e) => hex(e.groupId))).toStrictEqual([hex(a), hex(b)].sort());
    });

    it('leaves a tombstone when a listed group is removed, and none for an unlisted one', async () => {
      const a = groupId();
      await store().listDirectoryEntry(a, Uint8Array.of(1));
      expect(await store().unlistDirectoryEntry(groupId())).toBeUndefined();
      expect(await store().directoryVersion()).toBe(1);
      expect(await store().unlistDirectoryEntry(a)).toBe(2);
      expect(await store().unlistDirectoryEntry(a)).toBeUndefined();
      let directory = await store().readDirectory();
      expect(directory.entries).toStrictEqual([]);
      expect(directory.removals).toStrictEqual([{ groupId: a, removedAt: 2 }]);
      // Listed again: the tombstone goes.
      expect(await store().listDirectoryEntry(a, Uint8Array.of(2))).toBe(3);
      directory = await store().readDirectory();
      expect(directory.removals).toStrictEqual([]);
      expect(directory.entries).toHaveLength(1);
    });

    it(`keeps the newest ${DIRECTORY_REMOVALS_KEPT} tombstones and raises the floor past the others`, async () => {
      const groups = Array.from({ length: DIRECTORY_REMOVALS_KEPT + 2 }, groupId);
      for (const group of groups) await store().listDirectoryEntry(group, Uint8Array.of(1));
      for (const group of groups) await store().unlistDirectoryEntry(group);
      const directory = await store().readDirectory();
      expect(directory.version).toBe(2 * groups.length);
      expect(directory.removals).toHaveLength(DIRECTORY_REMOVALS_KEPT);
      // The first two removals (versions n+1 and n+2) were dropped.
      expect(directory.floor).toBe(groups.length + 2);
      expect(Math.min(...directory.removals.map((r) => r.removedAt))).toBe(groups.length + 3);
    });

    it('never gives two changes made at once one version', async () => {
      const versions = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store().listDirectoryEntry(groupId(), Uint8Array.of(i)),
        ),
      );
      expect(new Set(versions).size).toBe(20);
      expect(Math.max(...versions)).toBe(20);
      expect(await store().directoryVersion()).toBe(20);
    });

    it('keeps issued credentials by id, oldest first', async () => {
      const first = {
        credentialId: hex(groupId()),
        address: 'a',
        roleTitle: 'Navigator',
        issuedAt: 1,
        expiresAt: 100,
        revokedAt: 0,
      };
      const second = { ...first, credentialId: hex(groupId()), issuedAt: 2 };
      await store().putIssuedCredential(second);
      await store().putIssuedCredential(first);
      await store().putIssuedCredential({ ...first, revokedAt: 50 });
      expect(await store().issuedCredentials()).toStrictEqual([
        { ...first, revokedAt: 50 },
        second,
      ]);
    });
  });
}
