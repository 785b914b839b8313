// Edit and delete for everyone, through a real relay with real vaults and real files: ONE
// contract run by both paths (1:1 and group), then the author checks against a modified client
// that skips them (its own vault and outbox, as in reactions.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { KindredClient, StoredMessage } from '../../core/client/index.js';
import {
  ATTACHMENTS_FOLDER,
  AuthorChangeDrop,
  CoreErrorCode,
  PersonaDirectory,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  Vault,
  encodeContent,
  encodeMessageBody,
  fromHex,
  toHex,
} from '../../core/client/index.js';
import type { DeleteBody, EditBody } from '../../core/client/index.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import type { RunningRelay } from '../../server/index.js';
import { GroupTestClients, messageIdOf, textsOf } from './groupHelpers.js';
import {
  PASSPHRASE,
  TempDirs,
  connectPair,
  messagesOf,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
let clients: GroupTestClients;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  clients = new GroupTestClients(dirs, relay.url);
});

afterAll(async () => {
  await clients.closeAll();
  await relay.close();
  await dirs.cleanup();
});

/** One side of a conversation, 1:1 or group: what the contract needs of it. */
interface Side {
  readonly client: KindredClient;
  /** Our address in this conversation (a group has a persona of its own). */
  readonly address: string;
  send(text: string, options?: { attachments?: string[]; warning?: string }): Promise<string>;
  edit(id: string, text: string, options?: { warning?: string }): Promise<StoredMessage>;
  delete(id: string): Promise<StoredMessage>;
  messages(): Promise<StoredMessage[]>;
  /** Every change event heard: 'edited' or 'deleted'. */
  readonly changes: string[];
  /** Every new-message event heard (what notifies). */
  readonly arrivals: string[];
}

interface Conversation {
  readonly author: Side;
  readonly reader: Side;
}

async function direct(): Promise<Conversation> {
  const ada = await clients.add('Ada');
  const ben = await clients.add('Ben');
  await connectPair(ada, ben, { aliasForA: 'ada' });
  const side = (me: KindredClient, other: string): Side => {
    const changes: string[] = [];
    const arrivals: string[] = [];
    me.on('messageChanged', (event) => changes.push(event.change));
    me.on('message', (event) => arrivals.push(event.message.text));
    return {
      client: me,
      address: me.address,
      changes,
      arrivals,
      send: async (text, options = {}) => {
        const sent = await me.send(other, text, options);
        await me.flushOutbox(20_000);
        return toHex(sent.messageId);
      },
      edit: async (id, text, options = {}) => {
        const edited = await me.edit(other, bytes(id), text, options);
        await me.flushOutbox(20_000);
        return edited;
      },
      delete: async (id) => {
        const deleted = await me.deleteForEveryone(other, bytes(id));
        await me.flushOutbox(20_000);
        return deleted;
      },
      messages: async () => messagesOf(await me.messages(other)),
    };
  };
  return { author: side(ben, 'ada'), reader: side(ada, ben.address) };
}

async function group(): Promise<Conversation> {
  const olive = await clients.add('Olive');
  const ana = await clients.add('Ana');
  const owned = await olive.createGroup({ name: 'Rare-2 circle', description: '', rules: '' });
  const link = await owned.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
  const joined = await ana.joinGroup(link);
  for (const handle of [owned, joined]) {
    await waitFor(async () => (await handle.members()).length === 2, 10_000, 'members');
  }
  const side = (me: KindredClient, handle: typeof owned): Side => {
    const changes: string[] = [];
    const arrivals: string[] = [];
    me.on('groupMessageChanged', (event) => changes.push(event.change));
    me.on('groupMessage', (event) => arrivals.push(event.message.text));
    return {
      client: me,
      address: handle.persona,
      changes,
      arrivals,
      send: async (text, options = {}) => {
        await handle.send(text, options);
        await me.flushOutbox(20_000);
        return messageIdOf(handle, text);
      },
      edit: async (id, text, options = {}) => {
        const edited = await handle.edit(id, text, options);
        await me.flushOutbox(20_000);
        return edited;
      },
      delete: async (id) => {
        const deleted = await handle.deleteForEveryone(id);
        await me.flushOutbox(20_000);
        return deleted;
      },
      messages: () => handle.messages(),
    };
  };
  return { author: side(ana, joined), reader: side(olive, owned) };
}

function bytes(hex: string): Uint8Array {
  const id = fromHex(hex);
  if (id === undefined) throw new Error('not hex');
  return id;
}

async function find(side: Side, id: string): Promise<StoredMessage | undefined> {
  return (await side.messages()).find((m) => toHex(m.messageId) === id);
}

async function hits(on: Side | KindredClient, word: string): Promise<number> {
  return (await clientOf(on).search(word)).length;
}

function clientOf(on: Side | KindredClient): KindredClient {
  return 'client' in on ? on.client : on;
}

async function attachmentFiles(on: Side | KindredClient): Promise<string[]> {
  const home = clients.home(clientOf(on));
  return (await readdir(join(home, ATTACHMENTS_FOLDER))).filter((f) => !f.endsWith('.tmp'));
}

async function photo(): Promise<string> {
  const path = join(await dirs.make('files'), 'scan.png');
  await sharp(randomBytes(32 * 24 * 3), { raw: { width: 32, height: 24, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}

describe.each([
  ['1:1', direct],
  ['group', group],
] as const)('edit and delete for everyone (%s)', (_path, make) => {
  it('an edit replaces the words and warning everywhere; a deletion leaves only its place', async () => {
    const { author, reader } = await make();
    const id = await author.send('my biopsy results came back', {
      attachments: [await photo()],
      warning: 'Graphic medical image',
    });
    await waitFor(
      async () => (await find(reader, id))?.attachments?.[0]?.state === 'downloaded',
      30_000,
      'the message and its photo',
    );
    expect(await attachmentFiles(reader)).toHaveLength(1);
    expect(await hits(reader, 'biopsy')).toBe(1);
    const arrivals = reader.arrivals.length;

    // Edit: new words, no warning; the photo stays; no new message (so no notification).
    const edited = await author.edit(id, 'my scan results came back clear');
    expect(edited).toMatchObject({ text: 'my scan results came back clear' });
    expect(edited.editedAt).toBeTypeOf('number');
    await waitFor(() => reader.changes.includes('edited'), 15_000, 'the edit');
    const there = await find(reader, id);
    expect(there).toMatchObject({ text: 'my scan results came back clear' });
    expect(there?.editedAt).toBe(edited.editedAt);
    expect(there?.warning).toBeUndefined();
    expect(there?.attachments).toHaveLength(1);
    expect(reader.arrivals).toHaveLength(arrivals);
    expect(await hits(reader, 'biopsy')).toBe(0);
    expect(await hits(reader, 'clear')).toBe(1);
    expect(await hits(author, 'biopsy')).toBe(0);

    // An edit can put a warning back on.
    await author.edit(id, 'my scan results came back clear', { warning: 'Loss / bereavement' });
    await waitFor(
      async () => (await find(reader, id))?.warning === 'Loss / bereavement',
      15_000,
      'the second edit',
    );

    // Only the author may change it.
    await expect(reader.edit(id, 'not mine')).rejects.toMatchObject({
      code: CoreErrorCode.NotAuthor,
    });
    await expect(reader.delete(id)).rejects.toMatchObject({ code: CoreErrorCode.NotAuthor });

    // Delete for everyone: its place stays, nothing of it does, the photo's file goes too.
    const gone = await author.delete(id);
    expect(gone).toMatchObject({ deletedByAuthor: true, text: '' });
    await waitFor(() => reader.changes.includes('deleted'), 15_000, 'the deletion');
    const left = await find(reader, id);
    expect(left).toMatchObject({ deletedByAuthor: true, text: '' });
    expect(left?.warning).toBeUndefined();
    expect(left?.attachments).toBeUndefined();
    expect(left?.editedAt).toBeUndefined();
    await waitFor(async () => (await attachmentFiles(reader)).length === 0, 10_000, 'files gone');
    expect(await attachmentFiles(author)).toHaveLength(0);
    expect(await hits(reader, 'clear')).toBe(0);
    expect(await hits(author, 'clear')).toBe(0);
    expect(reader.arrivals).toHaveLength(arrivals);

    // A deleted message takes no edit, deletion or reaction.
    await expect(author.edit(id, 'back again')).rejects.toMatchObject({
      code: CoreErrorCode.MessageNotFound,
    });
    await expect(author.delete(id)).rejects.toMatchObject({
      code: CoreErrorCode.MessageNotFound,
    });
  }, 120_000);
});

describe('the author checks, against a client that skips them', () => {
  it('1:1: an edit of the other side’s message, or of one never sent, is dropped with its reason', async () => {
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const dropped: string[] = [];
    ada.on('dropped', (event) => dropped.push(event.reason));
    const hers = await ada.send(ben.address, 'I start the new drug on Monday');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => messagesOf(await ben.messages('ada')).some((m) => m.text.includes('Monday')),
      10_000,
      'her message',
    );
    const benHome = clients.home(ben);
    await clients.close(ben);
    await queueRaw1to1(benHome, ada.address, [
      { kind: 'edit', messageId: hers.messageId, text: 'I stop the drug' },
      { kind: 'delete', messageId: hers.messageId },
      { kind: 'edit', messageId: new Uint8Array(16).fill(5), text: 'before its message' },
    ]);
    const back = await clients.reopen(ben);
    await back.flushOutbox(10_000);
    await back.send('ada', 'and a real one');
    await back.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await ada.messages(back.address)).some((m) => m.text === 'and a real one'),
      10_000,
      'the text after',
    );
    expect(dropped).toStrictEqual([
      AuthorChangeDrop.NotAuthor,
      AuthorChangeDrop.NotAuthor,
      AuthorChangeDrop.UnknownMessage,
    ]);
    const mine = messagesOf(await ada.messages(back.address)).find((m) =>
      m.text.includes('Monday'),
    );
    expect(mine?.text).toBe('I start the new drug on Monday');
    expect(mine?.editedAt).toBeUndefined();
    expect(mine?.deletedByAuthor).toBeUndefined();
  }, 60_000);

  it('group: a member’s edit or deletion of another member’s post is dropped by the sealed sender', async () => {
    const olive = await clients.add('Olive');
    const ana = await clients.add('Ana');
    const bo = await clients.add('Bo');
    const owned = await olive.createGroup({ name: 'Rare-3 circle', description: '', rules: '' });
    const link = await owned.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const boGroup = await bo.joinGroup(link);
    for (const handle of [owned, anaGroup, boGroup]) {
      await waitFor(async () => (await handle.members()).length === 3, 10_000, 'members');
    }
    await anaGroup.send('the clinic moved to the east wing');
    await ana.flushOutbox(10_000);
    for (const handle of [owned, boGroup]) {
      await waitFor(
        async () => (await textsOf(handle)).includes('the clinic moved to the east wing'),
        10_000,
        'her post',
      );
    }
    const id = bytes(await messageIdOf(owned, 'the clinic moved to the east wing'));
    const dropped: string[] = [];
    olive.on('dropped', (event) => dropped.push(event.reason));
    const changes: string[] = [];
    olive.on('groupMessageChanged', (event) => changes.push(event.change));

    await clients.close(bo);
    await queueRawGroupChanges(clients.home(bo), boGroup.persona, boGroup.id, [
      { kind: 'edit', messageId: id, text: 'the clinic closed' },
      { kind: 'delete', messageId: id },
    ]);
    const back = await clients.reopen(bo);
    await back.flushOutbox(15_000);
    await (await back.group(boGroup.id)).send('and a real post');
    await back.flushOutbox(15_000);
    await waitFor(async () => (await textsOf(owned)).includes('and a real post'), 15_000, 'after');
    expect(dropped).toStrictEqual([AuthorChangeDrop.NotAuthor, AuthorChangeDrop.NotAuthor]);
    expect(changes).toStrictEqual([]);
    const post = (await owned.messages()).find((m) => toHex(m.messageId) === toHex(id));
    expect(post).toMatchObject({ text: 'the clinic moved to the east wing' });
    expect(post?.deletedByAuthor).toBeUndefined();
  }, 90_000);
});

describe('removing a contact', () => {
  it('takes the contact, its conversation, files and search entries out of the vault, and revokes its key', async () => {
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    await ben.send('ada', 'my genetic test results', { attachments: [await photo()] });
    await ben.flushOutbox(20_000);
    await waitFor(
      async () =>
        messagesOf(await ada.messages(ben.address)).some(
          (m) => m.attachments?.[0]?.state === 'downloaded',
        ),
      30_000,
      'his message and file',
    );
    await ada.send(ben.address, 'thank you for sharing');
    await ada.flushOutbox(10_000);
    const bensKey = (await ben.contact('ada')).accessKey;

    const removed = await ada.removeContact(ben.address);
    expect(removed).toMatchObject({ messages: 2, revokedAtRelay: true });
    expect((await ada.contacts()).map((c) => c.address)).not.toContain(ben.address);
    await expect(ada.messages(ben.address)).rejects.toMatchObject({
      code: CoreErrorCode.ContactNotFound,
    });
    expect(await hits(ada, 'genetic')).toBe(0);
    expect(await hits(ada, 'sharing')).toBe(0);
    expect(await attachmentFiles(ada)).toStrictEqual([]);
    // He cannot even queue an envelope to her any more; he is not told why.
    expect(await relayAnswer(ada.address, bensKey)).toBe(RelayErrorCode.AccessDenied);
    await expect(ada.removeContact(ben.address)).rejects.toMatchObject({
      code: CoreErrorCode.ContactNotFound,
    });
  }, 60_000);
});

describe('blocking a contact who shares a group', () => {
  it('hides their posts there from us alone, when they post under the same address', async () => {
    const olive = await clients.add('Olive');
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const owned = await olive.createGroup({ name: 'Rare-4 circle', description: '', rules: '' });
    const link = await owned.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
    const adaGroup = await ada.joinGroup(link, { persona: 'current' });
    const benGroup = await ben.joinGroup(link, { persona: 'current' });
    expect(benGroup.persona).toBe(ben.address);
    for (const handle of [owned, adaGroup, benGroup]) {
      await waitFor(async () => (await handle.members()).length === 3, 10_000, 'members');
    }
    await benGroup.send('before the block');
    await ben.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(adaGroup)).includes('before the block'), 10_000, 'a');

    await ada.block(ben.address);
    await benGroup.send('after the block');
    await ben.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(owned)).includes('after the block'), 10_000, 'olive');
    // Olive's next post comes after Ben's in the stream: once Ada has it, she has read his.
    await owned.send('olive writes next');
    await olive.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(adaGroup)).includes('olive writes next'),
      10_000,
      'the post after',
    );
    expect(await textsOf(adaGroup)).toStrictEqual(['before the block', 'olive writes next']);
  }, 90_000);
});

/** What the relay answers to one sealed-looking envelope sent with `accessKey`: 'ok' or a code. */
async function relayAnswer(recipient: string, accessKey: Uint8Array): Promise<string> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    await connection.request(
      { case: 'sendEnvelope', value: { recipient, accessKey, sealed: new Uint8Array(96).fill(9) } },
      'sendAck',
    );
    return 'ok';
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  } finally {
    connection.close();
  }
}

/** Puts edit/delete contents into the closed vault's outbox, as a client that skips the checks. */
async function queueRaw1to1(
  home: string,
  recipient: string,
  bodies: readonly (EditBody | DeleteBody)[],
): Promise<void> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    const persona = await directory.selected();
    if (persona === undefined) throw new Error('no persona');
    const state = new PersonaState(persona, directory.dataFor(persona.address));
    await state.transact(async () => {
      for (const body of bodies) {
        const sequence = await state.history.takeOutgoingSequence(recipient);
        const messageId = new Uint8Array(randomBytes(16));
        const { bytes: content } = encodeContent({
          messageId,
          sequence,
          sentAt: Date.now(),
          body: { case: 'message', value: encodeMessageBody(body) },
        });
        await state.outbox.put({
          messageId,
          recipient,
          sequence,
          content,
          enqueuedAt: Date.now(),
        });
      }
    });
    await vault.flush();
  } finally {
    await vault.lock();
  }
}

/** The same for a group's outbox: the real poster seals and posts them as its own. */
async function queueRawGroupChanges(
  home: string,
  address: string,
  groupIdHex: string,
  bodies: readonly (EditBody | DeleteBody)[],
): Promise<void> {
  const groupId = bytes(groupIdHex);
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    const persona = await directory.get(address);
    const state = new PersonaState(persona, directory.dataFor(address));
    await state.transact(async () => {
      let record = await state.groups.require(groupId);
      for (const change of bodies) {
        const id = record.outboxCount + 1;
        const sequence = record.sequence + 1;
        await state.groups.putOutbox(groupId, {
          id,
          messageId: new Uint8Array(randomBytes(16)),
          text: '',
          sequence,
          sentAt: Date.now(),
          historyIndex: 0,
          change,
        });
        record = { ...record, outboxCount: id, sequence };
      }
      await state.groups.put(record);
    });
    await vault.flush();
  } finally {
    await vault.lock();
  }
}
