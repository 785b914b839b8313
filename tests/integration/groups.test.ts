import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/index.js';
import { CoreErrorCode } from '../../core/index.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, newClient, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
const clients: KindredClient[] = [];

async function client(name: string): Promise<KindredClient> {
  const made = await newClient(dirs, relay.url, name);
  clients.push(made);
  await made.start({ receive: true });
  return made;
}

async function texts(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((message) => message.text);
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('a small group through a real relay', () => {
  it('creates, invites, joins, talks, removes, and the removed member reads nothing new', async () => {
    const owner = await client('Olive');
    const ana = await client('Ana');
    const bo = await client('Bo');
    const group = await owner.createGroup({
      name: 'Rare-1 circle',
      description: '',
      rules: 'be kind',
    });
    expect(group.persona).not.toBe(owner.address);
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const boGroup = await bo.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 3, 10_000, 'members');
    expect((await anaGroup.details()).name).toBe('Rare-1 circle');

    await anaGroup.send('hello from ana');
    await ana.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(group)).includes('hello from ana'),
      10_000,
      'owner gets ana',
    );
    await waitFor(
      async () => (await texts(boGroup)).includes('hello from ana'),
      10_000,
      'bo gets ana',
    );

    await group.remove(boGroup.persona, 'spam');
    await waitFor(async () => (await anaGroup.members()).length === 2, 10_000, 'ana sees removal');
    await anaGroup.send('after bo left');
    await ana.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(group)).includes('after bo left'),
      10_000,
      'owner gets it',
    );
    expect(await texts(boGroup)).not.toContain('after bo left');
    const log = await anaGroup.log();
    expect(log.at(-1)).toMatchObject({ action: 'remove', reason: 'spam' });
    await expect(boGroup.send('still here?')).rejects.toMatchObject({
      code: CoreErrorCode.GroupNotMember,
    });
  }, 60_000);
});
