/**
 * A contact link used up a moment ago (the relay still takes its key for a while, so only the
 * inviter's app can say no): adding it in the window waits for the inviter's answer and is
 * refused with the reason, and nobody is added (issue 15: never "is now a contact" of someone who
 * will never get a message). Real services, a real relay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode } from '../../core/index.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { call, callError, onlineService } from './desktopHelpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
const services: DesktopService[] = [];

async function person(pseudonym: string): Promise<DesktopService> {
  const made = await onlineService(dirs, relay.url, pseudonym);
  services.push(made);
  return made;
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('adding a contact link used up a moment ago', () => {
  it('waits for the inviter, is refused with the reason, and adds nobody', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const cee = await person('Cee');
    const invite = await call(alice, 'contacts.createInvite', { maxUses: 1, expiresInHours: 24 });
    // Bob's add is answered by Alice's grant: he is a contact on both sides.
    const bobSide = await call(bob, 'contacts.add', { link: invite.link });
    expect(bobSide.pseudonym).toBe('Alice');
    expect(bobSide.refused).toBeUndefined();
    await waitFor(
      async () => (await call(alice, 'contacts.list', {})).some((c) => c.pseudonym === 'Bob'),
      20_000,
      'Alice has Bob',
    );
    // Cee uses the same link within the relay's grace: Alice's app refuses it end to end.
    const refused = await callError(cee, {
      method: 'contacts.add',
      args: { link: invite.link },
    });
    expect(refused.code).toBe(CoreErrorCode.InviteUsedUp);
    expect(refused.message).toBe('This link was already used. Ask Alice for a new one.');
    expect(await call(cee, 'contacts.list', {})).toEqual([]);
    expect(await call(alice, 'contacts.list', {})).toHaveLength(1);
  });
});
