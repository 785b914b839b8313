/**
 * The client's directory parts without a relay: the condition vocabulary, the on-device index
 * (synonyms, prefixes, filters), every entry through openDirectoryEntry (altered, re-bucketed,
 * uncountersigned and other relays' listings refused with a reason), the newest revocation list
 * kept, and the vault store (full then delta, counts).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ScopedKeyValueStore,
  Vault,
  approveListing,
  signRevocationList,
  wire,
} from '../../../core/index.js';
import {
  CONDITION_VOCABULARY,
  conditionIdsFor,
  conditionLabel,
} from '../../../core/directory/conditionVocabulary.js';
import { DirectoryIndex } from '../../../core/client/directory/DirectoryIndex.js';
import { checkEntries, newerRevocations } from '../../../core/client/directory/checkEntries.js';
import { DirectoryStore } from '../../../core/client/directory/DirectoryStore.js';
import type { FollowRecord } from '../../../core/client/directory/DirectoryStore.js';
import { fixtureEntry, fixtureRelay } from './listingFixtures.js';

const relay = fixtureRelay();
const trusted = { relayId: relay.relayId, operatorKey: relay.operator.publicKey };

describe('the condition vocabulary', () => {
  it('has stable, unique, well-formed ids and finds a condition by any of its names', () => {
    const ids = CONDITION_VOCABULARY.map((term) => term.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    for (const id of ids) expect(id).toMatch(/^c:[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(conditionIdsFor('Lou Gehrig’s disease')).toEqual(['c:als']);
    expect(conditionIdsFor('lou gehrigs disease')).toEqual(['c:als']);
    expect(conditionIdsFor('Motor Neurone Disease')).toEqual(['c:als']);
    expect(conditionIdsFor('c:als')).toEqual(['c:als']);
    expect(conditionIdsFor('desmoid tumour')).toEqual([]);
    expect(conditionLabel('c:als')).toBe('Amyotrophic lateral sclerosis');
    expect(conditionLabel('desmoid tumour')).toBe('desmoid tumour');
  });
});

describe('the on-device index', () => {
  const entries = [
    fixtureEntry(relay, {
      name: 'ALS carers circle',
      conditions: ['c:als'],
      audiences: ['caregivers'],
      languages: ['en-GB'],
      region: 'GB-SCT',
    }),
    fixtureEntry(relay, {
      name: 'Sarcoma Thursdays',
      conditions: ['c:sarcoma', 'desmoid tumour'],
      rhythm: 'weekly chat, Thursdays',
      region: 'GB',
    }),
    fixtureEntry(relay, {
      name: 'Grupo de apoio',
      conditions: ['c:breast-cancer'],
      languages: ['pt-BR'],
      audiences: ['anyone'],
      region: 'BR',
    }),
  ];
  const checked = checkEntries(entries, trusted);
  const index = new DirectoryIndex(checked.accepted.map((listing) => listing.view));
  const names = (hits: { listing: { name: string } }[]): string[] =>
    hits.map((hit) => hit.listing.name);

  it('finds listings by a synonym, a word prefix and free text', () => {
    expect(checked.refused).toEqual([]);
    expect(names(index.search({ text: 'motor neurone' }))).toEqual(['ALS carers circle']);
    expect(names(index.search({ text: "Lou Gehrig's" }))).toEqual(['ALS carers circle']);
    expect(names(index.search({ text: 'thursd' }))).toEqual(['Sarcoma Thursdays']);
    expect(names(index.search({ text: 'desmoid' }))).toEqual(['Sarcoma Thursdays']);
    expect(names(index.search({ text: 'sarcoma nothing-like-this' }))).toEqual([]);
  });

  it('filters by condition, language, audience and region', () => {
    expect(names(index.search({ condition: 'MND' }))).toEqual(['ALS carers circle']);
    expect(names(index.search({ condition: 'Desmoid Tumour' }))).toEqual(['Sarcoma Thursdays']);
    expect(names(index.search({ language: 'pt' }))).toEqual(['Grupo de apoio']);
    expect(names(index.search({ language: 'en' })).sort()).toEqual([
      'ALS carers circle',
      'Sarcoma Thursdays',
    ]);
    // "anyone" listings are for caregivers too.
    expect(names(index.search({ audience: 'caregivers' })).sort()).toEqual([
      'ALS carers circle',
      'Grupo de apoio',
    ]);
    expect(names(index.search({ region: 'GB' })).sort()).toEqual([
      'ALS carers circle',
      'Sarcoma Thursdays',
    ]);
    expect(names(index.search({ region: 'GB-SCT' })).sort()).toEqual([
      'ALS carers circle',
      'Sarcoma Thursdays',
    ]);
    expect(names(index.search({ region: 'GB-WLS' }))).toEqual(['Sarcoma Thursdays']);
  });
});

describe('checking a relay’s entries', () => {
  it('refuses altered, re-bucketed, uncountersigned and other relays’ listings, and says why', () => {
    const good = fixtureEntry(relay, { name: 'Kept' });
    const altered = fixtureEntry(relay, { description: 'The owner wrote this.' });
    const signedListing = altered.listing;
    if (signedListing === undefined) throw new Error('no listing');
    // The relay rewrites a byte of the description inside the owner-signed bytes.
    const bytes = signedListing.listing.slice();
    const at = Buffer.from(bytes).indexOf('The owner');
    bytes[at] = 'X'.charCodeAt(0);
    // A relay holds its operator key, so it can countersign what it altered: the owner's
    // signature is what catches it.
    const alteredEntry = approveListing({
      operatorPrivateKey: relay.operator.privateKey,
      relayId: relay.relayId,
      signedListing: toBinary(
        wire.SignedListingSchema,
        create(wire.SignedListingSchema, { ...signedListing, listing: bytes }),
      ),
      members: '11-50',
      approvedAt: Date.now(),
    });
    // A bucket number outside the enum, as raw bytes from a relay would carry.
    const rebucketed = fixtureEntry(relay);
    Reflect.set(rebucketed, 'members', 9);
    const uncountersigned = create(wire.DirectoryEntrySchema, {
      ...fixtureEntry(relay),
      operatorSignature: new Uint8Array(),
    });
    const bumped = fixtureEntry(relay, {}, { members: '1-10' });
    const bumpedEntry = create(wire.DirectoryEntrySchema, {
      ...bumped,
      members: wire.MemberBucket.MEMBER_BUCKET_OVER_200,
    });
    const elsewhere = fixtureRelay();
    const foreign = fixtureEntry(elsewhere, {}, { approvedBy: relay });
    const result = checkEntries(
      [good, alteredEntry, rebucketed, uncountersigned, bumpedEntry, foreign],
      trusted,
    );
    expect(result.accepted.map((listing) => listing.view.name)).toEqual(['Kept']);
    expect(result.refused.map((refusal) => refusal.reason)).toEqual([
      expect.stringMatching(/altered/),
      expect.stringMatching(/outside the known ranges/),
      expect.stringMatching(/countersignature/),
      expect.stringMatching(/countersignature/),
      expect.stringMatching(/names another relay/),
    ]);
    expect(result.refused.every((refusal) => /^[0-9a-f]{32}$/.test(refusal.groupId))).toBe(true);
  });

  it('keeps the newest revocation list, never an older one or a forged one', () => {
    const list = (issuedAt: number, key = relay.operator.privateKey): wire.SignedRevocationList =>
      signRevocationList(key, {
        relayId: relay.relayId,
        credentialIds: ['00'.repeat(16)],
        issuedAt,
      });
    const held = newerRevocations(list(2_000), undefined, trusted);
    expect(held?.issuedAt).toBe(2_000);
    expect(newerRevocations(list(1_000), held, trusted)).toBe(held);
    expect(newerRevocations(list(3_000, fixtureRelay().operator.privateKey), held, trusted)).toBe(
      held,
    );
    expect(newerRevocations(list(3_000), held, trusted)?.issuedAt).toBe(3_000);
    expect(toBinary(wire.SignedRevocationListSchema, list(5))).toBeInstanceOf(Uint8Array);
  });
});

describe('the vault store', () => {
  const folders: string[] = [];
  afterAll(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('replaces on a full sync, adds and removes on a delta, and keeps it all across a reopen', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'kindred-directory-'));
    folders.push(folder);
    const vault = await Vault.create(folder, 'a long enough passphrase', { kdf: 'insecure-fast' });
    const store = new DirectoryStore(new ScopedKeyValueStore(vault, 'directory'));
    const first = checkEntries(
      [fixtureEntry(relay, { name: 'One' }), fixtureEntry(relay, { name: 'Two' })],
      trusted,
    );
    const follow: FollowRecord = {
      relayId: Buffer.from(relay.relayId).toString('hex'),
      url: relay.relayUrl,
      trustRoot: relay.operator.publicKey,
      allowInsecureTransport: false,
      home: false,
      followedAt: 1,
      version: 1,
      listings: 2,
    };
    await store.applySync(follow, { full: true, put: first.accepted, removed: [] });
    const third = checkEntries([fixtureEntry(relay, { name: 'Three' })], trusted);
    const removed = first.accepted[0]?.view.groupId ?? '';
    await store.applySync(
      { ...follow, version: 2 },
      { full: false, put: third.accepted, removed: [removed] },
    );
    expect(await store.has(follow.relayId, removed)).toBe(false);
    await vault.lock();
    const reopened = await Vault.open(folder, 'a long enough passphrase');
    const again = new DirectoryStore(new ScopedKeyValueStore(reopened, 'directory'));
    expect((await again.listings()).map((listing) => listing.view.name).sort()).toEqual([
      'Three',
      'Two',
    ]);
    expect((await again.follow(follow.relayId))?.version).toBe(2);
    await again.removeFollow(follow.relayId);
    expect(await again.listings()).toEqual([]);
    await reopened.lock();
  });
});
