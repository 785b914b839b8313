// Where an invite link stands for its maker (issue 15's trial: a used-up link was still shown as
// one to share): contact links by the uses the vault counted, group links by the group's log —
// used up, expired, or revoked when the member who came with it is removed. Real relay, real
// clients.
import { describe, expect, it } from 'vitest';
import { CoreErrorCode } from '../../core/client/index.js';
import { useGroupTestClients } from './groupHelpers.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);
const HOUR = 3_600_000;

describe("an invite link's standing, for its maker", () => {
  it('a contact link: live, then used up once its one use is granted', async () => {
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    const { link } = await ada.createInvite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    expect(await ada.inviteUse(link)).toMatchObject({ standing: 'live', uses: 0, maxUses: 1 });
    await ben.addContact(link);
    await ben.mainSession.flushOutbox(20_000);
    await waitFor(
      async () => (await ada.inviteUse(link)).standing === 'used-up',
      20_000,
      'the link used up at Ada',
    );
    expect(await ada.inviteUse(link)).toMatchObject({ uses: 1, maxUses: 1 });
    // Not Ben's link: he is told so, never shown someone else's counts.
    await expect(ben.inviteUse(link)).rejects.toMatchObject({ code: CoreErrorCode.InvalidInput });
  });

  it('a contact link past its expiry is expired', async () => {
    const ada = await clients.add('Ada');
    const { link } = await ada.createInvite({ maxUses: 5, expiresAt: Date.now() + 1500 });
    await waitFor(
      async () => (await ada.inviteUse(link)).standing === 'expired',
      10_000,
      'the link expired',
    );
  });

  it('group links: used up after their uses; revoked when the member who came with one is removed', async () => {
    const owner = await clients.add('Owner');
    const [bo, cy] = [await clients.add('Bo'), await clients.add('Cy')];
    const group = await owner.createGroup({ name: 'Circle', description: '', rules: '' });
    const once = await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    const five = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    expect(await owner.inviteUse(once)).toMatchObject({ standing: 'live', uses: 0 });

    await bo.joinGroup(once, { pseudonym: 'Bo' });
    const cyInGroup = await cy.joinGroup(five, { pseudonym: 'Cy' });
    await group.sync();
    expect(await owner.inviteUse(once)).toMatchObject({ standing: 'used-up', uses: 1 });
    expect(await owner.inviteUse(five)).toMatchObject({ standing: 'live', uses: 1, maxUses: 5 });

    await group.remove(cyInGroup.persona);
    expect((await owner.inviteUse(five)).standing).toBe('revoked');
    // A member reads the same log: the link is dead for everyone.
    await waitFor(
      async () => (await bo.inviteUse(five)).standing === 'revoked',
      20_000,
      'the revocation at Bo',
    );
  });

  it("refuses a link that is not an invite, with the parser's code", async () => {
    const ada = await clients.add('Ada');
    await expect(ada.inviteUse('kindred:group/AAAA')).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInviteLink,
    });
    await expect(ada.inviteUse('not a link')).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInviteLink,
    });
  });
});
