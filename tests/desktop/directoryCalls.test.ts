import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTING_LIMITS } from '../../core/directory/index.js';
import { MAX_INTRODUCTION_LENGTH } from '../../core/client/groups/groupCodec.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import { LISTING_FORM_LIMITS } from '../../desktop/shared/directoryViews.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from '../integration/helpers.js';
import { call, callError, onlineService } from './desktopHelpers.js';
import { approvePendingListings } from './directoryOperator.js';

/**
 * The window's directory calls on real services and a real relay: the owner asks to list (bad
 * args refused by the schema, a bad language tag by core), the operator approves, a newcomer's
 * overview, refresh, searches on the device (a condition's synonym, filters), a listing's page,
 * a generated pseudonym, asking to join as a fresh persona, standing requested then member.
 */

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
const services: DesktopService[] = [];

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
  await relay.close();
  await dirs.cleanup();
});

async function person(pseudonym: string): Promise<DesktopService> {
  const service = await onlineService(dirs, relay.url, pseudonym);
  services.push(service);
  return service;
}

describe('the directory through the desktop service', () => {
  it('keeps the window’s limits equal to core’s', () => {
    expect(LISTING_FORM_LIMITS).toEqual({
      nameLength: LISTING_LIMITS.nameLength,
      descriptionLength: LISTING_LIMITS.descriptionLength,
      conditions: LISTING_LIMITS.conditions,
      conditionLength: LISTING_LIMITS.conditionLength,
      languages: LISTING_LIMITS.languages,
      rhythmLength: LISTING_LIMITS.rhythmLength,
      introductionLength: MAX_INTRODUCTION_LENGTH,
    });
  });

  it('lists, approves, finds on the device, asks to join and is let in', async () => {
    const ada = await person('Ada');
    const group = await call(ada, 'groups.create', {
      name: 'Evening MND circle',
      description: 'For people living with ALS.',
      rules: '',
      joinByApproval: true,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada',
    });
    const listing = {
      conversationId: group.conversationId,
      description: 'For people living with ALS and those close to them.',
      conditions: ['c:als', 'Bulbar onset'],
      audiences: ['patients', 'family'] as const,
      languages: ['en', 'es'],
      region: 'GB',
      rhythm: 'Tuesdays, and chat any time',
    };
    // The schema refuses an empty audience; core refuses a language that is not a tag.
    expect(
      (
        await callError(ada, {
          method: 'groups.requestListing',
          args: { ...listing, audiences: [] },
        })
      ).code,
    ).toBe('DESKTOP_INVALID_ARGS');
    expect(
      (
        await callError(ada, {
          method: 'groups.requestListing',
          args: { ...listing, languages: ['English'] },
        })
      ).code,
    ).toBe('CORE_LISTING_INVALID');
    const sent = await call(ada, 'groups.requestListing', {
      ...listing,
      audiences: [...listing.audiences],
    });
    expect(sent.sentAt).toBeGreaterThan(0);
    expect(await approvePendingListings(relay)).toBe(1);

    const bo = await person('Bo');
    const before = await call(bo, 'directory.overview', {});
    expect(before.follows).toEqual([
      expect.objectContaining({ homeRelay: true, listings: 0, refreshedAt: null, refused: 0 }),
    ]);
    expect(before.vocabulary.find((term) => term.id === 'c:als')?.synonyms).toContain('MND');
    const after = await call(bo, 'directory.refresh', {});
    expect(after.follows[0]).toMatchObject({ listings: 1, refused: 0 });
    expect(after.follows[0]?.refreshedAt).toBeGreaterThan(0);
    expect(after.languages).toEqual(['en', 'es']);
    expect(after.regions).toEqual(['GB']);

    const found = await call(bo, 'directory.search', { text: 'motor neurone disease' });
    expect(found).toHaveLength(1);
    const card = found[0];
    expect(card).toMatchObject({
      name: 'Evening MND circle',
      audiences: ['patients', 'family'],
      languages: ['en', 'es'],
      region: 'GB',
      members: '1-10',
      joinByApproval: true,
      joinable: true,
      homeRelay: true,
    });
    expect(card?.conditions).toEqual([
      { id: 'c:als', name: 'Amyotrophic lateral sclerosis' },
      { id: '', name: 'Bulbar onset' },
    ]);
    // Filters narrow on the device.
    expect(await call(bo, 'directory.search', { text: '', audience: 'caregivers' })).toEqual([]);
    expect(await call(bo, 'directory.search', { text: '', condition: 'c:als' })).toHaveLength(1);
    expect(await call(bo, 'directory.search', { text: '', language: 'es' })).toHaveLength(1);
    expect(await call(bo, 'directory.search', { text: '', language: 'de' })).toEqual([]);
    expect(await call(bo, 'directory.search', { text: 'xylophone' })).toEqual([]);

    const groupId = card?.groupId ?? '';
    const page = await call(bo, 'directory.listing', { groupId });
    expect(page).toMatchObject({
      description: 'For people living with ALS and those close to them.',
      rhythm: 'Tuesdays, and chat any time',
      facilitators: [],
      uncheckedFacilitators: 0,
      standing: { kind: 'none' },
    });
    expect(page.personasOnRelay.map((persona) => persona.pseudonym)).toEqual(['Bo']);
    expect(
      (await callError(bo, { method: 'directory.listing', args: { groupId: 'ab'.repeat(16) } }))
        .code,
    ).toBe('CORE_LISTING_NOT_FOUND');

    const { pseudonym } = await call(bo, 'directory.suggestPseudonym', {});
    expect(pseudonym).toMatch(/^\p{L}+ \p{L}+$/u);
    const joined = await call(bo, 'directory.join', {
      groupId,
      persona: 'fresh',
      pseudonym,
      introduction: 'Diagnosed in March.',
    });
    expect(joined.status).toBe('requested');
    expect(joined.persona.pseudonym).toBe(pseudonym);
    expect((await call(bo, 'directory.listing', { groupId })).standing).toEqual({
      kind: 'requested',
      conversationId: joined.conversationId,
    });

    // Ada sees the request with its introduction, and lets the new persona in.
    await expect
      .poll(async () => call(ada, 'groups.requests', { conversationId: group.conversationId }), {
        timeout: 20_000,
        interval: 100,
      })
      .toContainEqual(expect.objectContaining({ introduction: 'Diagnosed in March.' }));
    const [request] = await call(ada, 'groups.requests', { conversationId: group.conversationId });
    await call(ada, 'groups.moderate', {
      conversationId: group.conversationId,
      action: 'approve',
      member: request?.address ?? '',
    });
    await expect
      .poll(async () => (await call(bo, 'directory.listing', { groupId })).standing.kind, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe('member');
  });
});
