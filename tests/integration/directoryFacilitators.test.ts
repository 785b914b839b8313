/**
 * Facilitators and the directory together (docs/directory.md, "Facilitators"): a listing the
 * owner asks for carries the credentials its owner and moderators show in the group, and a reader
 * sees their role titles; when the operator revokes a credential, the revocation list reaches the
 * group's members with their next directory refresh and the badge goes.
 */
import { describe, expect, it } from 'vitest';
import type { GroupHandle } from '../../core/client/index.js';
import { requestAdmin } from '../../server/ops/AdminSocket.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const DAY = 24 * 60 * 60 * 1000;
const WAIT_MS = 30_000;
const TITLE = 'Navigator, St James’s Cancer Centre';

/** A credential for `address`, issued by the running relay as `kindred-server facilitator issue`. */
async function credentialFor(address: string): Promise<string> {
  const answer = await requestAdmin(relay.running.dataDir, {
    command: 'facilitator',
    action: 'issue',
    address,
    roleTitle: TITLE,
    lifetimeMs: 30 * DAY,
  });
  const credential: unknown =
    answer?.ok === true ? (answer as Record<string, unknown>).credential : undefined;
  if (typeof credential !== 'string') {
    throw new Error(`the relay issued no credential: ${JSON.stringify(answer)}`);
  }
  return credential;
}

async function badgeOf(group: GroupHandle, address: string): Promise<string | undefined> {
  return (await group.members()).find((member) => member.address === address)?.badge?.roleTitle;
}

describe('a facilitator in a listed group', () => {
  it('the listing shows the badge; a revocation reaches members through the directory', async () => {
    const nora = await relay.client('Nora');
    await nora.start({ receive: true });
    const ada = await relay.client('Ada');
    await ada.start({ receive: true });
    const reader = await relay.client('Reader');

    const noraGroup = await nora.createGroup({
      name: 'Sarcoma circle',
      description: 'Adults with sarcoma.',
      rules: 'Be kind.',
    });
    const added = await nora.facilitator.add(await credentialFor(noraGroup.persona));
    const link = await noraGroup.invite({ maxUses: 5, expiresAt: Date.now() + DAY });
    const adaGroup = await ada.joinGroup(link, { pseudonym: 'Ada' });
    await waitFor(
      async () => (await badgeOf(adaGroup, noraGroup.persona)) === TITLE,
      WAIT_MS,
      'Ada to see Nora’s badge',
    );

    await noraGroup.requestListing({
      conditions: ['c:sarcoma'],
      audiences: ['patients'],
      languages: ['en'],
    });
    expect(
      await requestAdmin(relay.running.dataDir, {
        command: 'directory',
        action: 'approve',
        groupId: noraGroup.id,
      }),
    ).toMatchObject({ ok: true });
    await reader.directory.refresh();
    const listing = await reader.directory.listing(noraGroup.id);
    expect(listing.facilitatorCredentials).toEqual([
      expect.objectContaining({ roleTitle: TITLE, address: noraGroup.persona, valid: true }),
    ]);

    expect(
      await requestAdmin(relay.running.dataDir, {
        command: 'facilitator',
        action: 'revoke',
        credentialId: added.credentialId,
      }),
    ).toMatchObject({ ok: true });
    // Until Ada's client learns of the revocation, the badge stands; her refresh brings it.
    expect(await badgeOf(adaGroup, noraGroup.persona)).toBe(TITLE);
    await ada.directory.refresh();
    await waitFor(
      async () => (await badgeOf(adaGroup, noraGroup.persona)) === undefined,
      WAIT_MS,
      'the revoked badge to go at Ada',
    );
    await reader.directory.refresh();
    expect((await reader.directory.listing(noraGroup.id)).facilitatorCredentials).toEqual([
      expect.objectContaining({ valid: false, problem: 'revoked' }),
    ]);
  });
});
