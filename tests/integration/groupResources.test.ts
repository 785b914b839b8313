import { describe, expect, it } from 'vitest';
import type { GroupResourceData } from '../../core/client/index.js';
import { CoreErrorCode, MAX_GROUP_RESOURCES, groupResourceUri } from '../../core/client/index.js';
import { fetchGroupState, groupKeysOf, useGroupTestClients } from './groupHelpers.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);
const HOUR = 3_600_000;

const PINNED: GroupResourceData[] = [
  { name: 'Lupus UK helpline', reach: 'phone', address: '+44 1604 213 142', note: 'Weekdays 9-5' },
  { name: 'Night text line', reach: 'text', address: '85258', note: '' },
  { name: 'Clinic patient portal', reach: 'web', address: 'https://example.org/help', note: '' },
];

describe('a group’s pinned local resources', () => {
  it('a moderator pins them, every member reads them, a member cannot, and bad lists are refused', async () => {
    const [ownerClient, adaClient] = await clients.addMany(['Owner', 'Ada']);
    if (ownerClient === undefined || adaClient === undefined) throw new Error('two clients');
    const owner = await ownerClient.createGroup({
      name: 'Lupus circle',
      description: '',
      rules: '',
    });
    const link = await owner.invite({ maxUses: 2, expiresAt: Date.now() + HOUR });
    const ada = await adaClient.joinGroup(link, { pseudonym: 'Ada' });
    expect(await owner.resources()).toEqual([]);

    await owner.setResources(PINNED);
    expect(await owner.resources()).toEqual(PINNED);
    // The other fields of the info are kept.
    expect((await owner.details()).name).toBe('Lupus circle');
    await waitFor(
      async () => (await ada.resources()).length === PINNED.length,
      15_000,
      'Ada to read the pinned resources',
    );
    expect(await ada.resources()).toEqual(PINNED);
    expect((await ada.resources()).map(groupResourceUri)).toEqual([
      'tel:+441604213142',
      'sms:85258',
      'https://example.org/help',
    ]);

    // Sealed: the relay's copy of the group state holds no name or address in the clear.
    const state = await fetchGroupState(relay.url, groupKeysOf(link));
    const stored = new TextDecoder().decode(state.sealedInfo);
    expect(stored).not.toContain('Lupus UK helpline');
    expect(stored).not.toContain('example.org');

    // A member cannot pin (set_info is a moderator's act), and nothing changed.
    await expect(ada.setResources(PINNED.slice(0, 1))).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });

    // Bad input is refused with a code, before anything is sent.
    const bad: GroupResourceData[][] = [
      [{ name: 'x', reach: 'web', address: 'http://example.org', note: '' }],
      [{ name: 'x', reach: 'web', address: 'javascript:alert(1)', note: '' }],
      [{ name: 'x', reach: 'phone', address: '12-34', note: '' }],
      [{ name: 'x', reach: 'phone', address: '12', note: '' }],
      [{ name: ' ', reach: 'phone', address: '112', note: '' }],
      [{ name: 'a'.repeat(65), reach: 'phone', address: '112', note: '' }],
      [{ name: 'x', reach: 'phone', address: '112', note: 'n'.repeat(201) }],
      [{ name: 'x\u001b[2J', reach: 'phone', address: '112', note: '' }],
      [{ name: 'x', reach: 'fax' as 'phone', address: '112', note: '' }],
      [
        { name: 'x', reach: 'phone', address: '112', note: '' },
        { name: 'y', reach: 'phone', address: '1 1 2', note: '' },
      ],
      Array.from({ length: MAX_GROUP_RESOURCES + 1 }, (_, i) => ({
        name: `n${i}`,
        reach: 'phone' as const,
        address: `11${i}`,
        note: '',
      })),
    ];
    for (const list of bad) {
      await expect(owner.setResources(list)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
    }
    expect(await owner.resources()).toEqual(PINNED);

    // Clearing leaves the list empty for every member.
    await owner.setResources([]);
    await waitFor(async () => (await ada.resources()).length === 0, 15_000, 'Ada to see none');
  });
});
