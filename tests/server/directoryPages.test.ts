// How the relay cuts its directory into pages (server/directory/directoryPages.ts): at most 500
// entries and a byte budget per page, deltas from tombstones, the whole past the kept history.
import { randomBytes } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { MAX_DIRECTORY_PAGE_ENTRIES, wire } from '../../core/index.js';
import { directoryPage } from '../../server/directory/directoryPages.js';
import type { StoredDirectory } from '../../server/index.js';

function entryBytes(size: number): Uint8Array {
  return toBinary(
    wire.DirectoryEntrySchema,
    create(wire.DirectoryEntrySchema, {
      listing: { listing: new Uint8Array(size), ownerSignature: new Uint8Array(64) },
      members: wire.MemberBucket.MEMBER_BUCKET_1_10,
      approvedAt: 1n,
      operatorSignature: new Uint8Array(64),
    }),
  );
}

function directoryOf(count: number, size = 100): StoredDirectory {
  return {
    version: count,
    floor: 0,
    entries: Array.from({ length: count }, (_, i) => ({
      groupId: new Uint8Array(randomBytes(16)),
      entry: entryBytes(size),
      changedAt: i + 1,
    })),
    removals: [],
    revocations: undefined,
  };
}

describe('directory pages', () => {
  it('cuts a directory of more than 500 entries into pages that together hold each once', () => {
    const directory = directoryOf(1200);
    const first = directoryPage(directory, { knownVersion: 0, fromPosition: 0 });
    expect(first.entries).toHaveLength(MAX_DIRECTORY_PAGE_ENTRIES);
    expect(first.nextPosition).toBe(500);
    const second = directoryPage(directory, { knownVersion: 0, fromPosition: 500 });
    const third = directoryPage(directory, { knownVersion: 0, fromPosition: 1000 });
    expect(second.entries).toHaveLength(500);
    expect(third.entries).toHaveLength(200);
    expect(third.nextPosition).toBe(0);
    expect(first.full && second.full && third.full).toBe(true);
  });

  it('keeps a page under its byte budget, with at least one entry', () => {
    const directory = directoryOf(10, 20_000);
    const page = directoryPage(directory, { knownVersion: 0, fromPosition: 0 }, 50_000);
    expect(page.entries).toHaveLength(2);
    expect(page.nextPosition).toBe(2);
    const tiny = directoryPage(directory, { knownVersion: 0, fromPosition: 0 }, 10);
    expect(tiny.entries).toHaveLength(1);
  });

  it('answers a version older than the kept history, or unknown, with the whole directory', () => {
    const directory = { ...directoryOf(5), floor: 3 };
    expect(directoryPage(directory, { knownVersion: 2, fromPosition: 0 }).full).toBe(true);
    expect(directoryPage(directory, { knownVersion: 9, fromPosition: 0 }).full).toBe(true);
    const delta = directoryPage(directory, { knownVersion: 3, fromPosition: 0 });
    expect(delta.full).toBe(false);
    expect(delta.entries).toHaveLength(2);
    expect(directoryPage(directory, { knownVersion: 5, fromPosition: 0 }).notModified).toBe(true);
  });
});
