/**
 * The directory end to end, on a real relay with real LevelDB: an owner asks to list a group, the
 * operator approves it (through the running relay's admin socket, as `kindred-server directory
 * approve` does), another person refreshes, finds it by a condition synonym, shows it and asks
 * to join (approval on: a request the owner approves). Through a frame-watching proxy: searching
 * sends nothing (no frame, and the words are nowhere in the relay's data folder), a refresh with
 * nothing changed is one FetchDirectory answered not_modified, and listings a hostile relay
 * altered, re-bucketed or stripped of the countersignature are refused with the reason while the
 * others are kept.
 */
import { create } from '@bufbuild/protobuf';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wire } from '../../core/index.js';
import type { KindredClient } from '../../core/client/index.js';
import { requestAdmin } from '../../server/ops/AdminSocket.js';
import { RelayProxy } from './RelayProxy.js';
import { newClient, useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
let proxy: RelayProxy;
const clientFrames: string[] = [];
let owner: KindredClient;
const groups: string[] = [];

async function approve(groupId: string): Promise<void> {
  const answer = await requestAdmin(relay.running.dataDir, {
    command: 'directory',
    action: 'approve',
    groupId,
  });
  expect(answer).toMatchObject({ ok: true });
}

async function filesHolding(folder: string, words: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    if (bytes.includes(Buffer.from(words))) found.push(file);
  }
  return found;
}

beforeAll(async () => {
  proxy = await RelayProxy.start(relay.url);
  proxy.rewriteClientFrame = (frame) => {
    clientFrames.push(frame.body.case ?? '');
    return frame;
  };
  owner = await relay.client('Owner');
  for (const [name, conditions] of [
    ['ALS carers circle', ['c:als']],
    ['Sarcoma Thursdays', ['c:sarcoma', 'desmoid tumour']],
  ] as const) {
    const group = await owner.createGroup({
      name,
      description: 'People who meet to talk, week by week.',
      rules: 'Be kind.',
      joinByApproval: true,
      persona: 'current',
    });
    await group.requestListing({
      conditions,
      audiences: ['caregivers', 'patients'],
      languages: ['en'],
      region: 'GB',
      rhythm: 'weekly chat, Tuesdays',
    });
    await approve(group.id);
    groups.push(group.id);
  }
}, 60_000);
afterAll(async () => {
  await proxy.close();
});

describe('a listed group', () => {
  it('is found by a synonym, shown and asked to join; the owner approves', async () => {
    const reader = await relay.client('Reader');
    const [synced] = await reader.directory.refresh();
    expect(synced).toMatchObject({ full: true, listings: 2, refused: 0, notModified: false });
    const hits = await reader.directory.search({ text: 'motor neurone', language: 'en' });
    expect(hits.map((hit) => hit.listing.groupId)).toEqual([groups[0]]);
    const shown = await reader.directory.listing(groups[0] ?? '');
    expect(shown).toMatchObject({
      name: 'ALS carers circle',
      relayUrl: relay.url,
      members: '1-10',
      joinByApproval: true,
      openToJoin: true,
      region: 'GB',
    });
    const joined = await reader.directory.join(groups[0] ?? '', { introduction: 'My dad has ALS' });
    expect((await joined.details()).status).toBe('requested');
    const group = await owner.group(groups[0] ?? '');
    await waitFor(
      async () => {
        await group.sync();
        return (await group.requests()).some((request) => request.address === joined.persona);
      },
      20_000,
      'the join request',
    );
    expect((await group.requests())[0]?.introduction).toBe('My dad has ALS');
    await group.approve(joined.persona);
    await waitFor(
      async () => {
        await joined.sync();
        return (await joined.details()).status === 'active';
      },
      20_000,
      'the approval',
    );
  });

  it('is searched without a frame, and an unchanged directory costs one not_modified answer', async () => {
    const watcher = relay.track(await newClient(relay.dirs, proxy.url, 'Watcher'));
    const [first] = await watcher.directory.refresh();
    expect(first?.listings).toBe(2);
    clientFrames.length = 0;
    const hits = await watcher.directory.search({ text: 'lou gehrigs', condition: 'MND' });
    expect(hits).toHaveLength(1);
    await watcher.directory.listing(hits[0]?.listing.groupId ?? '');
    expect(clientFrames).toEqual([]);
    expect(await filesHolding(relay.running.dataDir, 'gehrig')).toEqual([]);
    const [again] = await watcher.directory.refresh();
    expect(again).toMatchObject({ notModified: true, pages: 1, listings: 2 });
    expect(clientFrames).toEqual(['fetchDirectory']);
  });

  it('refuses what a hostile relay altered, and keeps the rest', async () => {
    const victim = relay.track(await newClient(relay.dirs, proxy.url, 'Victim'));
    for (const alter of [
      (entry: wire.DirectoryEntry): wire.DirectoryEntry => {
        const listing = entry.listing;
        if (listing === undefined) return entry;
        const bytes = listing.listing.slice();
        const at = Buffer.from(bytes).indexOf('week by week');
        bytes[at] = 'W'.charCodeAt(0);
        return { ...entry, listing: { ...listing, listing: bytes } };
      },
      (entry: wire.DirectoryEntry) => ({
        ...entry,
        members: wire.MemberBucket.MEMBER_BUCKET_OVER_200,
      }),
      // A countersignature replaced (a dropped one fails the frame's checks: see below).
      (entry: wire.DirectoryEntry) => ({ ...entry, operatorSignature: new Uint8Array(64) }),
    ]) {
      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case !== 'directoryPage') return frame;
        const page = frame.body.value;
        const entries = page.entries.map((entry, index) =>
          create(wire.DirectoryEntrySchema, index === 0 ? alter(entry) : entry),
        );
        return create(wire.ServerFrameSchema, {
          ...frame,
          body: {
            case: 'directoryPage',
            value: create(wire.DirectoryPageSchema, { ...page, entries }),
          },
        });
      };
      await victim.directory.unfollow(proxy.url).catch(() => undefined);
      const result = await victim.directory.follow(proxy.url);
      expect(result.error).toBeUndefined();
      expect(result).toMatchObject({ listings: 1, refused: 1 });
      expect(result.refusals[0]?.reason).toMatch(/countersignature/);
      expect((await victim.directory.search({})).length).toBe(1);
    }
    // A countersignature dropped outright: the page is malformed (frames.ts), so the whole
    // answer is refused and what was kept stays as it was.
    proxy.rewriteServerFrame = (frame) => {
      if (frame.body.case !== 'directoryPage') return frame;
      const page = frame.body.value;
      const entries = page.entries.map((entry) =>
        create(wire.DirectoryEntrySchema, { ...entry, operatorSignature: new Uint8Array() }),
      );
      return create(wire.ServerFrameSchema, {
        ...frame,
        body: {
          case: 'directoryPage',
          value: create(wire.DirectoryPageSchema, { ...page, entries }),
        },
      });
    };
    await victim.directory.unfollow(proxy.url);
    const dropped = await victim.directory.follow(proxy.url);
    expect(dropped.error?.code).toBe('CORE_BAD_FRAME');
    expect(await victim.directory.search({})).toEqual([]);
    proxy.rewriteServerFrame = (frame) => frame;
  });
});
