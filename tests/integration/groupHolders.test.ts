// One person, two personas in one group over time (removed as the first, banned as the second):
// the group is theirs in the voice of the membership that is live, else of the one that ended
// last — so a ban after rejoining is what they see, not the older removal. Real relay, real
// clients.
import { describe, expect, it } from 'vitest';
import { useGroupTestClients } from './groupHelpers.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);
const HOUR = 3_600_000;

describe('a group several personas of one vault have held', () => {
  it('is the live membership, else the one that ended last', async () => {
    const owner = await clients.add('Owner');
    const bo = await clients.add('Bo');
    const group = await owner.createGroup({ name: 'Circle', description: '', rules: '' });

    const first = await bo.joinGroup(
      await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR }),
    );
    await group.remove(first.persona);
    await waitFor(
      async () => (await first.details()).status === 'removed',
      20_000,
      'the removal at Bo',
    );

    const second = await bo.joinGroup(
      await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR }),
    );
    expect(second.persona).not.toBe(first.persona);
    expect((await bo.group(group.id)).persona).toBe(second.persona);

    await group.ban(second.persona);
    await waitFor(
      async () => (await second.details()).status === 'banned',
      20_000,
      'the ban at Bo',
    );
    const held = await bo.group(group.id);
    expect(held.persona).toBe(second.persona);
    expect((await held.details()).status).toBe('banned');
    expect((await bo.groups()).map((each) => each.status).sort()).toEqual(['banned', 'removed']);
  });
});
