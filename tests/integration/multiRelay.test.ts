import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import {
  CoreErrorCode,
  KindredClient as Client,
  Persona,
  PersonaDirectory,
  Vault,
  bytesEqual,
  createGroupInviteLink,
  parseGroupInviteLink,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { issueRelayInviteToken, startRelay } from '../../server/index.js';
import {
  PASSPHRASE,
  POW_DIFFICULTY,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

/**
 * Personas on several relays: a client homed on relay A joins a group and adds a contact on
 * relay B (each a fresh persona registered there, under B's own proof of work), and on an
 * invite-only relay C, while it keeps talking on A. Real relays on loopback, real LevelDB.
 */

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relayA: RunningRelay & { dataDir: string };
let relayB: RunningRelay & { dataDir: string };
/** Walt's home, and the personas the tests made for him on B (checked on both relays' disks). */
let waltHome: string;
/** Walt's client after the first test reopened it. */
let walt: KindredClient;
const onB: { address: string; identityKey: Uint8Array }[] = [];

async function client(
  relay: RunningRelay,
  pseudonym: string,
  options: { home?: string; inviteToken?: Uint8Array } = {},
): Promise<KindredClient> {
  const made = await newClient(dirs, relay.url, pseudonym, options);
  clients.push(made);
  await made.start({ receive: true });
  return made;
}

async function texts(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((message) => message.text);
}

/** The persona addresses in a (closed) vault. */
async function personasIn(home: string): Promise<string[]> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    return (await new PersonaDirectory(vault).list()).map((info) => info.address);
  } finally {
    await vault.lock();
  }
}

async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Everything a relay wrote to disk, as one latin1 string. */
async function diskOf(relay: { dataDir: string }): Promise<string> {
  const files = await filesBelow(relay.dataDir);
  return (await Promise.all(files.map((file) => readFile(file))))
    .map((b) => b.toString('latin1'))
    .join('\n');
}

beforeAll(async () => {
  // Both take proof of work (low difficulty, really checked): each registers its own newcomers.
  relayA = await startTestRelay(dirs);
  relayB = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relayA.close();
  await relayB.close();
  await dirs.cleanup();
});

describe('personas on several relays', () => {
  it('joins a group on relay B as a fresh persona there, talks in it, and keeps working on A', async () => {
    waltHome = await dirs.make('home');
    walt = await client(relayA, 'Walt', { home: waltHome });
    const ada = await client(relayA, 'Ada');
    const bea = await client(relayB, 'Bea');
    await connectPair(walt, ada);

    const group = await bea.createGroup({ name: 'Harbour', description: 'on B', rules: 'calm' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + 3_600_000 });

    // The preview reads B's log anonymously; it makes no persona anywhere.
    const preview = await walt.previewGroup(link);
    expect(preview).toMatchObject({ name: 'Harbour', description: 'on B', rules: 'calm' });
    expect(walt.sessions()).toHaveLength(1);

    // Walt's main persona lives on A: it cannot join a group on B.
    await expect(walt.joinGroup(link, { persona: 'current' })).rejects.toMatchObject({
      code: CoreErrorCode.RelayMismatch,
    });
    await expect(
      walt.joinGroup(link, { persona: { address: walt.address } }),
    ).rejects.toMatchObject({ code: CoreErrorCode.RelayMismatch });
    expect(walt.sessions()).toHaveLength(1);

    const joined = await walt.joinGroup(link, { pseudonym: 'Harbour Walt' });
    const persona = walt.session(joined.persona);
    expect(joined.persona).not.toBe(walt.address);
    expect(persona.whoami().relayUrl).toBe(relayB.url);
    expect(bytesEqual(persona.whoami().trustRoot, relayB.trustRoot)).toBe(true);
    expect(bytesEqual(persona.relay.pin?.relayId ?? new Uint8Array(), relayB.relayId)).toBe(true);
    expect(walt.mainSession.whoami().relayUrl).toBe(relayA.url);
    onB.push({ address: joined.persona, identityKey: persona.whoami().identityKey });
    await waitFor(async () => (await group.members()).length === 2, 15_000, 'Bea sees Walt');

    // Group talk on B, both ways, while 1:1 goes on on A.
    await joined.send('hello from Walt on B');
    await walt.send(ada.address, 'still here on A');
    await walt.flushOutbox(15_000);
    await group.send('welcome, Walt');
    await bea.flushOutbox(15_000);
    await ada.send(walt.address, 'Ada answers on A');
    await ada.flushOutbox(15_000);
    await waitFor(
      async () => (await texts(group)).includes('hello from Walt on B'),
      15_000,
      'Bea gets Walt',
    );
    await waitFor(
      async () => (await texts(joined)).includes('welcome, Walt'),
      15_000,
      'Walt gets Bea',
    );
    await waitFor(
      async () =>
        messagesOf(await ada.messages(walt.address)).some((m) => m.text === 'still here on A'),
      15_000,
      'Ada gets Walt',
    );
    await waitFor(
      async () =>
        messagesOf(await walt.messages(ada.address)).some((m) => m.text === 'Ada answers on A'),
      15_000,
      'Walt gets Ada',
    );

    // A persona of the vault already on B may join B's groups by choice.
    const second = await bea.createGroup({ name: 'Dock', description: '', rules: '' });
    const secondLink = await second.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
    const again = await walt.joinGroup(secondLink, { persona: { address: joined.persona } });
    expect(again.persona).toBe(joined.persona);
    expect(walt.sessions()).toHaveLength(2);

    // A relay that does not answer: a coded error, and no persona left behind.
    const gone = await startTestRelay(dirs);
    const goneOwner = await newClient(dirs, gone.url, 'Gone');
    const goneLink = await (
      await goneOwner.createGroup({ name: 'Gone', description: '', rules: '' })
    ).invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
    await goneOwner.close();
    await gone.close();
    await expect(walt.previewGroup(goneLink)).rejects.toMatchObject({
      code: CoreErrorCode.RelayUnreachable,
    });
    await expect(walt.joinGroup(goneLink)).rejects.toMatchObject({
      code: CoreErrorCode.RelayUnreachable,
    });
    expect(walt.sessions()).toHaveLength(2);

    // Reopened, the persona on B reconnects to B (and only there).
    await walt.close();
    expect(walt.sessions()).toHaveLength(2);
    expect((await personasIn(waltHome)).sort()).toEqual([walt.address, joined.persona].sort());
    const reopened = await Client.open({
      home: waltHome,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    clients.push(reopened);
    await reopened.start({ receive: true });
    expect(reopened.session(joined.persona).whoami().relayUrl).toBe(relayB.url);
    await group.send('after your restart');
    await bea.flushOutbox(15_000);
    const rejoined = await reopened.group(joined.id);
    await waitFor(
      async () => (await texts(rejoined)).includes('after your restart'),
      15_000,
      'the reopened persona gets B',
    );
    await reopened.send(ada.address, 'back on A');
    await reopened.flushOutbox(15_000);
    await waitFor(
      async () => messagesOf(await ada.messages(walt.address)).some((m) => m.text === 'back on A'),
      15_000,
      'Ada gets Walt after the restart',
    );
    walt = reopened;
  });

  it('adds a contact from a contact link of relay B as a fresh persona there; 1:1 both ways', async () => {
    const reopened = walt;
    const cara = await client(relayB, 'Cara');
    const invite = await cara.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    // The main persona is on A: naming it for a B link is refused, and nothing is made.
    const before = reopened.sessions().length;
    await expect(reopened.addContact(invite.link, { persona: 'current' })).rejects.toMatchObject({
      code: CoreErrorCode.RelayMismatch,
    });
    expect(reopened.sessions()).toHaveLength(before);

    const contact = await reopened.addContact(invite.link, {
      alias: 'cara',
      pseudonym: 'Quay Walt',
    });
    expect(contact.address).toBe(cara.address);
    expect(contact.persona).not.toBe(reopened.address);
    expect(onB.map((p) => p.address)).not.toContain(contact.persona);
    const persona = reopened.session(contact.persona);
    expect(bytesEqual(persona.whoami().trustRoot, relayB.trustRoot)).toBe(true);
    onB.push({ address: contact.persona, identityKey: persona.whoami().identityKey });
    await persona.flushOutbox(15_000);
    await waitFor(
      async () => (await cara.contacts()).some((c) => c.address === contact.persona),
      15_000,
      'the introduction on B',
    );

    // Sealed sender both ways, under B's trust root (certificates B issued).
    await cara.send(contact.persona, 'hello from Cara');
    await cara.flushOutbox(15_000);
    await waitFor(
      async () =>
        messagesOf(await persona.direct.messages('cara')).some((m) => m.text === 'hello from Cara'),
      15_000,
      'Walt on B gets Cara',
    );
    await persona.direct.send('cara', 'hello back');
    await persona.flushOutbox(15_000);
    await waitFor(
      async () =>
        messagesOf(await cara.messages(contact.persona)).some((m) => m.text === 'hello back'),
      15_000,
      'Cara gets Walt on B',
    );
  });

  it('registers a fresh persona on an invite-only relay with a token, and with none leaves nothing', async () => {
    const relayC = await startTestRelay(dirs, { registration: 'invite' });
    try {
      const token = (): Promise<Uint8Array> =>
        issueRelayInviteToken(relayC.dataDir, { maxUses: 1, expiresAt: Date.now() + 60_000 });
      const cy = await client(relayC, 'Cy', { inviteToken: await token() });
      const group = await cy.createGroup({
        name: 'Invited',
        description: '',
        rules: '',
        persona: 'current',
      });
      const link = await group.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
      const dee = await client(relayA, 'Dee');
      await expect(dee.joinGroup(link)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      expect(dee.sessions()).toHaveLength(1);
      const joined = await dee.joinGroup(link, { inviteToken: await token() });
      expect(dee.session(joined.persona).whoami().relayUrl).toBe(relayC.url);
      await waitFor(async () => (await group.members()).length === 2, 15_000, 'Cy sees Dee');
      await dee.close();
      await cy.close();
    } finally {
      await relayC.close();
    }
  });

  it('refuses a link whose address leads to another relay than its trust root names', async () => {
    const bea = await client(relayB, 'Bea again');
    const group = await bea.createGroup({ name: 'Elsewhere', description: '', rules: '' });
    const genuine = parseGroupInviteLink(
      await group.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 }),
    );
    // Signed by someone, naming B's trust root at A's address: A cannot vouch for B.
    const forged = createGroupInviteLink(Persona.generate('Forger'), {
      ...genuine,
      relayUrl: relayA.url,
    });
    const dee = await client(relayA, 'Dee on A');
    await expect(dee.previewGroup(forged)).rejects.toMatchObject({
      code: CoreErrorCode.RelayMismatch,
    });
    await expect(dee.joinGroup(forged)).rejects.toMatchObject({
      code: CoreErrorCode.RelayMismatch,
    });
    expect(dee.sessions()).toHaveLength(1);
  });

  it('moves only the personas of the relay that moved: a persona on B stays with B', async () => {
    // A home relay of its own, moved by its operator: same data folder, another port.
    const dataDir = await dirs.make('relay');
    const onDir = (): Promise<RunningRelay> =>
      startRelay({
        dataDir,
        host: '127.0.0.1',
        port: 0,
        registration: 'pow',
        powDifficulty: POW_DIFFICULTY,
      });
    const original = await onDir();
    const moe = await client(original, 'Moe');
    // createPersona by address: B is pinned on first use for this vault.
    const far = await moe.createPersona('Moe far', { relayUrl: relayB.url });
    expect(bytesEqual(far.whoami().trustRoot, relayB.trustRoot)).toBe(true);
    onB.push({ address: far.address, identityKey: far.whoami().identityKey });
    await original.close();
    const moved = await onDir();
    try {
      await moe.moveRelay(moved.url);
      expect(moe.sessions().map((s) => s.relay.url)).toStrictEqual([moved.url, relayB.url]);
      // The persona on B still talks there: a contact of B, added by choosing it.
      const bo = await client(relayB, 'Bo');
      const invite = await bo.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
      const added = await moe.addContact(invite.link, { persona: { address: far.address } });
      expect(added.persona).toBe(far.address);
      await far.flushOutbox(15_000);
      await waitFor(
        async () => (await bo.contacts()).some((c) => c.address === far.address),
        15_000,
        'Bo hears of Moe far on B',
      );
      await moe.close();
    } finally {
      await moved.close();
    }
  });

  it('leaves on relay A no trace of the personas made on B', async () => {
    await Promise.all(clients.map((c) => c.close()));
    await relayA.close();
    await relayB.close();
    const diskA = await diskOf(relayA);
    const diskB = await diskOf(relayB);
    expect(onB).toHaveLength(3);
    expect(diskA.includes(walt.address)).toBe(true);
    for (const { address, identityKey } of onB) {
      // Positive control: B keeps them (the scan can see an address).
      expect(diskB.includes(address)).toBe(true);
      expect(diskA.includes(address)).toBe(false);
      const key = Buffer.from(identityKey);
      for (const form of [key.toString('latin1'), key.toString('hex'), key.toString('base64')]) {
        expect(diskA.includes(form)).toBe(false);
      }
    }
  });
});
