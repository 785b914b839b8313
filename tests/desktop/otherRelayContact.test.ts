/**
 * The window adds a contact from another relay's link: core makes a persona registered on that
 * relay (docs/messages.md, "Groups and contacts on other relays"), and the window keeps the
 * conversation with that persona, so messages go both ways through the other relay.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { call, onlineService } from './desktopHelpers.js';

const dirs = new TempDirs();
let home: RunningRelay;
let other: RunningRelay;
const services: DesktopService[] = [];

beforeAll(async () => {
  home = await startTestRelay(dirs);
  other = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await Promise.all([home.close(), other.close()]);
  await dirs.cleanup();
});

it('a contact link of another relay is added under a persona there, and both can write', async () => {
  const ada = await onlineService(dirs, home.url, 'Ada');
  services.push(ada);
  const cara = await onlineService(dirs, other.url, 'Cara');
  services.push(cara);

  const invite = await call(cara, 'contacts.createInvite', { maxUses: 1, expiresInHours: 24 });
  const contact = await call(ada, 'contacts.add', { link: invite.link, alias: 'cara' });
  expect(contact).toMatchObject({ alias: 'cara', pseudonym: 'Cara' });
  const personas = await call(ada, 'personas.list', {});
  expect(personas).toHaveLength(2);

  await call(ada, 'conversations.send', {
    conversationId: contact.conversationId,
    text: 'hi from A',
  });
  let caraSide = '';
  await waitFor(
    async () => {
      const contacts = await call(cara, 'contacts.list', {});
      caraSide = contacts[0]?.conversationId ?? '';
      if (caraSide === '') return false;
      const messages = await call(cara, 'conversations.messages', { conversationId: caraSide });
      return messages.some((m) => m.text === 'hi from A');
    },
    30_000,
    'Ada’s message at Cara',
  );
  await call(cara, 'conversations.send', { conversationId: caraSide, text: 'hi back' });
  await waitFor(
    async () =>
      (await call(ada, 'conversations.messages', { conversationId: contact.conversationId })).some(
        (m) => m.text === 'hi back' && !m.author.self,
      ),
    30_000,
    'Cara’s answer at Ada',
  );
});
