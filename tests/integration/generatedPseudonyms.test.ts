// A group created or joined under a fresh persona without a chosen pseudonym gets a generated
// one: two words, never the main persona's name, never another persona's — in the client and in
// `kindred group create/join` without --pseudonym, against a real relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { PSEUDONYM_ADJECTIVES, PSEUDONYM_NOUNS, pseudonymKey } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, newClient, startTestRelay } from './helpers.js';
import { initHome, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await relay.close();
  await dirs.cleanup();
});

function isGenerated(name: string): boolean {
  const [adjective, noun, ...rest] = name.split(' ');
  return (
    rest.length === 0 &&
    PSEUDONYM_ADJECTIVES.includes(adjective ?? '') &&
    PSEUDONYM_NOUNS.includes(noun ?? '')
  );
}

describe('fresh personas without a chosen pseudonym', () => {
  it('get generated, distinct names in the client: never the main persona’s', async () => {
    const alice = await newClient(dirs, relay.url, 'Alice');
    const bob = await newClient(dirs, relay.url, 'Bob');
    clients.push(alice, bob);
    // A persona of her own whose name a generated one must not take either.
    await alice.createPersona('Quiet Heron');

    const first = await alice.createGroup({ name: 'First', description: '', rules: '' });
    const second = await alice.createGroup({ name: 'Second', description: '', rules: '' });
    const link = await first.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
    const joined = await bob.joinGroup(link);

    const names = alice.sessions().map((session) => session.whoami().pseudonym);
    const firstName = alice.session(first.persona).whoami().pseudonym;
    const secondName = alice.session(second.persona).whoami().pseudonym;
    const joinedName = bob.session(joined.persona).whoami().pseudonym;
    for (const name of [firstName, secondName, joinedName]) expect(isGenerated(name)).toBe(true);
    expect(names).toHaveLength(4);
    expect(new Set(names.map(pseudonymKey)).size).toBe(4);
    expect(joinedName).not.toBe('Bob');
    // Members see the generated name, not the main one.
    expect((await first.members()).map((member) => member.pseudonym)).toStrictEqual([firstName]);

    // A chosen name is kept as chosen (the window warns about a clash; the client does not refuse).
    const chosen = await alice.createGroup({
      name: 'Third',
      description: '',
      rules: '',
      pseudonym: 'Alice',
    });
    expect(alice.session(chosen.persona).whoami().pseudonym).toBe('Alice');
  }, 60_000);

  it('get generated names from `kindred group create` and `group join` too', async () => {
    const [olive, ana] = (
      await Promise.all([initHome(dirs, relay.url, 'Olive'), initHome(dirs, relay.url, 'Ana')])
    ).map((home) => [...home.args, '--json']);
    const created = jsonLines(await kindred(['group', 'create', 'Circle', ...(olive ?? [])]));
    const ownerName = String(created[0]?.personaPseudonym);
    expect(isGenerated(ownerName)).toBe(true);
    const invite = jsonLines(
      await kindred(['group', 'invite', String(created[0]?.group), ...(olive ?? [])]),
    );
    const joined = jsonLines(
      await kindred(['group', 'join', String(invite[0]?.link), ...(ana ?? [])]),
    );
    const joinerName = String(joined[0]?.personaPseudonym);
    expect(isGenerated(joinerName)).toBe(true);
    expect(joinerName).not.toBe('Ana');
  }, 120_000);
});
