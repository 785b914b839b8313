import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import { CoreErrorCode } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { GroupTestClients } from './groupHelpers.js';
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
    // The removal, then the rotation the owner's client made right after it.
    expect(log.slice(-2)).toMatchObject([
      { action: 'remove', reason: 'spam' },
      { action: 'rotateEpoch', detail: 'epoch 1' },
    ]);
    await expect(boGroup.send('still here?')).rejects.toMatchObject({
      code: CoreErrorCode.GroupNotMember,
    });
  }, 60_000);
});

describe('a member who joins while the owner is offline', () => {
  it('is read by the owner on its return, though the sender key came before the join', async () => {
    // The joiner's texts wait for the group key, which only a moderator's client sends: the
    // owner's, on its return. Then the joiner's sender key travels 1:1 and reaches the owner's
    // inbox together with the group stream; the owner may read the key before the stream shows
    // the join, and must keep it.
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Owner');
      const group = await owner.createGroup({ name: 'Night shift', description: '', rules: '' });
      const link = await group.invite({ maxUses: 3, expiresAt: Date.now() + 3_600_000 });
      await homes.close(owner);

      const joiner = await homes.add('Joiner');
      const joined = await joiner.joinGroup(link, { pseudonym: 'Joiner' });
      for (const text of ['first', 'second', 'third']) await joined.send(text);
      expect((await joined.details()).waitingForKey).toBe(true);

      const back = await homes.reopen(owner);
      const ownerGroup = await back.group(group.id);
      await joiner.flushOutbox(20_000);
      expect((await joined.details()).waitingForKey).toBe(false);
      await waitFor(
        async () => (await texts(ownerGroup)).length === 3,
        15_000,
        'the owner to read the messages written while it was away',
      );
      expect(await texts(ownerGroup)).toStrictEqual(['first', 'second', 'third']);
      expect(await ownerGroup.warnings()).toStrictEqual([]);
    } finally {
      await homes.closeAll();
    }
  }, 60_000);
});

describe('an owner back without its stream', () => {
  it('hears of a join from a sync it asks for, once, and names the new member at once', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Owner');
      const group = await owner.createGroup({
        name: 'Back late',
        description: '',
        rules: '',
        pseudonym: 'Owner',
      });
      const link = await group.invite({ maxUses: 3, expiresAt: Date.now() + 3_600_000 });
      await homes.close(owner);
      const joiner = await homes.add('Joiner');
      const joined = await joiner.joinGroup(link, { pseudonym: 'Joiner' });

      // Not receiving: only the calls below can bring the join in.
      const back = await homes.reopen(owner, { start: false });
      const actions: string[] = [];
      back.on('groupOperation', ({ entry }) => actions.push(entry.action));
      const ownerGroup = await back.group(group.id);
      expect((await ownerGroup.members()).length).toBe(1);
      await ownerGroup.sync();
      expect(actions).toStrictEqual(['join']);
      expect((await ownerGroup.members()).map((member) => member.pseudonym).sort()).toStrictEqual(
        ['Joiner', 'Owner'].sort(),
      );

      // The stream then delivers the same join: nothing new, so no second event. A message from
      // the joiner names its sender in the event itself.
      const received: { text: string; senderPseudonym: string }[] = [];
      back.on('groupMessage', ({ message, senderPseudonym }) =>
        received.push({ text: message.text, senderPseudonym }),
      );
      await back.start({ receive: true });
      await joined.send('hello, owner');
      await joiner.flushOutbox(10_000);
      await waitFor(() => received.length === 1, 10_000, 'the owner to get the message');
      await back.whenInboxQuiet(200, 10_000);
      expect(received).toStrictEqual([{ text: 'hello, owner', senderPseudonym: 'Joiner' }]);
      expect(actions).toStrictEqual(['join']);
    } finally {
      await homes.closeAll();
    }
  }, 60_000);

  it('can name a member who joined since its last sync, by pseudonym or address', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Owner');
      const group = await owner.createGroup({ name: 'Quick hands', description: '', rules: '' });
      const link = await group.invite({ maxUses: 3, expiresAt: Date.now() + 3_600_000 });
      await homes.close(owner);
      const [first, second] = await homes.addMany(['First Fen', 'Second Sol']);
      if (first === undefined || second === undefined) throw new Error('clients');
      const firstGroup = await first.joinGroup(link, { pseudonym: 'First Fen' });
      const secondGroup = await second.joinGroup(link);

      const back = await homes.reopen(owner, { start: false });
      const ownerGroup = await back.group(group.id);
      expect((await ownerGroup.members()).length).toBe(1);
      await ownerGroup.mute('First Fen', Date.now() + 3_600_000, 'calm down');
      await ownerGroup.remove(secondGroup.persona, 'spam');
      const log = await ownerGroup.log();
      expect(log.slice(-3)).toMatchObject([
        { action: 'mute', target: firstGroup.persona, reason: 'calm down' },
        { action: 'remove', target: secondGroup.persona, reason: 'spam' },
        { action: 'rotateEpoch' },
      ]);
      await expect(ownerGroup.ban('Nobody Here')).rejects.toMatchObject({
        code: CoreErrorCode.GroupBadTarget,
      });
    } finally {
      await homes.closeAll();
    }
  }, 60_000);
});

describe('a group held by two personas of one person', () => {
  it('is opened as the persona that is in it', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const [owner, person] = await homes.addMany(['Owner', 'Comes Back']);
      if (owner === undefined || person === undefined) throw new Error('clients');
      const group = await owner.createGroup({ name: 'Second try', description: '', rules: '' });
      const link = await group.invite({ maxUses: 3, expiresAt: Date.now() + 3_600_000 });
      const first = await person.joinGroup(link);
      await first.leave();
      expect((await first.details()).status).toBe('left');
      const second = await person.joinGroup(link);
      expect(second.persona).not.toBe(first.persona);

      for (const reference of [group.id, 'Second try']) {
        const opened = await person.group(reference);
        expect(opened.persona).toBe(second.persona);
        expect((await opened.details()).status).toBe('active');
      }
    } finally {
      await homes.closeAll();
    }
  }, 60_000);
});

describe('a member alone in a group', () => {
  it('can still write, and whoever joins later reads what comes after', async () => {
    const owner = await client('Solo');
    const group = await owner.createGroup({ name: 'Quiet room', description: '', rules: '' });
    await group.send('anyone here?');
    await owner.flushOutbox(10_000);
    expect((await group.messages()).map((message) => message.status)).toStrictEqual(['sent']);

    const link = await group.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
    const guest = await client('Guest');
    const guestGroup = await guest.joinGroup(link);
    await group.send('welcome in');
    await owner.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(guestGroup)).includes('welcome in'),
      10_000,
      'the guest to read the owner',
    );
    // What was written before the guest joined was never for the guest.
    expect(await texts(guestGroup)).toStrictEqual(['welcome in']);
  }, 60_000);
});
