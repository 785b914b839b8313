// SharedBlobStore on a real folder with a real store: what a node may delete in a blob folder
// that other nodes write to at the same time.
import { randomBytes } from 'node:crypto';
import { readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedBlobStore } from '../../server/blobs/SharedBlobStore.js';
import { MemoryRelayStore } from '../../server/index.js';
import { makeTempDir } from './helpers/testRelay.js';

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(
    folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
  );
});

function record(overrides: { expiresAt?: number } = {}) {
  const now = Date.now();
  return {
    id: randomBytes(16).toString('hex'),
    size: 1024,
    tokenHash: randomBytes(32).toString('hex'),
    expectedFetches: 1,
    fetches: 0,
    uploadExpiresAt: now + 60_000,
    expiresAt: overrides.expiresAt ?? now + 120_000,
    complete: false,
  };
}

describe('a blob folder shared by several nodes', () => {
  it('deletes nothing when a node opens it, and only old unrecorded files when it sweeps', async () => {
    const folder = await makeTempDir('kindred-shared-blobs-');
    folders.push(folder);
    const store = new MemoryRelayStore();
    const kept = record();
    const expired = record({ expiresAt: Date.now() - 1 });
    const writer = await SharedBlobStore.open({ folder, store, orphanGraceMs: 60_000 });
    await writer.create(kept);
    await writer.create(expired);
    // Files no record explains: one a crash left long ago, one another node is still creating.
    const old = `${randomBytes(16).toString('hex')}.blob`;
    const fresh = `${randomBytes(16).toString('hex')}.part`;
    await writeFile(join(folder, old), 'x');
    await writeFile(join(folder, fresh), 'x');
    const longAgo = new Date(Date.now() - 120_000);
    await utimes(join(folder, old), longAgo, longAgo);
    // A record's file, however old, is never an orphan.
    await utimes(join(folder, `${kept.id}.part`), longAgo, longAgo);
    const before = (await readdir(folder)).sort();

    // Another node starting on the same folder leaves every file where it is.
    const other = await SharedBlobStore.open({ folder, store, orphanGraceMs: 60_000 });
    expect((await readdir(folder)).sort()).toStrictEqual(before);

    const errors: unknown[] = [];
    expect(await other.expire(Date.now(), (error) => errors.push(error))).toBe(1);
    expect(errors).toStrictEqual([]);
    expect((await readdir(folder)).sort()).toStrictEqual([`${kept.id}.part`, fresh].sort());
    expect(await other.get(expired.id)).toBeUndefined();
    expect(await writer.get(kept.id)).toStrictEqual(kept);
    expect(await other.totals()).toStrictEqual({ count: 1, bytes: 1024 });
    await store.close();
  });
});
