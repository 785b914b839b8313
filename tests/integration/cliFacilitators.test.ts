// `kindred facilitator add|remove|show` and the badge in `group members`, as real processes
// against a real relay: the operator issues with the relay's own operator.key.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  generateOperatorKeyPair,
  issueFacilitatorCredential,
  toBase64Url,
} from '../../core/index.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
const TITLE = 'Navigator, St James’s Cancer Centre';

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

async function home(name: string): Promise<string[]> {
  const dir = path.join(await dirs.make('cli-facilitators'), name);
  const init = await kindred([
    'init',
    '--name',
    name,
    '--server',
    relay.url,
    '--kdf',
    'insecure-fast',
    '--home',
    dir,
  ]);
  expect(init.code, init.stderr).toBe(0);
  return ['--home', dir];
}

async function issue(address: string, signer?: Uint8Array): Promise<string> {
  const key = fromBase64Url(
    (await readFile(path.join(relay.dataDir, 'operator.key'), 'utf8')).trim(),
  );
  if (key === undefined) throw new Error('operator.key is malformed');
  return toBase64Url(
    issueFacilitatorCredential(signer ?? key, {
      roleTitle: TITLE,
      address,
      relayId: relay.relayId,
      expiresAt: Date.now() + 30 * 24 * 3_600_000,
    }),
  );
}

describe('kindred facilitator', { timeout: 300_000 }, () => {
  it('adds a credential, members see the badge, a forged one is refused, remove takes it away', async () => {
    const [owner, ana] = await Promise.all([home('Olive'), home('Ana')]);
    const created = jsonLines(
      await kindred(['group', 'create', 'Navigators', '--pseudonym', 'Olive', ...owner, '--json']),
    );
    const groupId = String(created[0]?.group);
    const invite = jsonLines(
      await kindred([
        'group',
        'invite',
        groupId,
        '--uses',
        '3',
        '--expires',
        '1h',
        ...owner,
        '--json',
      ]),
    );
    const joined = jsonLines(
      await kindred([
        'group',
        'join',
        String(invite[0]?.link),
        '--pseudonym',
        'Ana',
        ...ana,
        '--json',
      ]),
    );
    const persona = String(joined[0]?.persona);
    jsonLines(await kindred(['sync', ...owner, '--json']));
    jsonLines(await kindred(['sync', ...ana, '--json']));

    const added = jsonLines(
      await kindred(['facilitator', 'add', await issue(persona), ...ana, '--json']),
    );
    expect(added[0]).toMatchObject({
      event: 'facilitator-added',
      persona,
      roleTitle: TITLE,
      standing: 'valid',
      shown: true,
    });
    const shown = jsonLines(await kindred(['facilitator', 'show', ...ana, '--json']));
    expect(shown).toStrictEqual([expect.objectContaining({ persona, standing: 'valid' })]);
    expectFailure(
      await kindred([
        'facilitator',
        'add',
        await issue(persona, generateOperatorKeyPair().privateKey),
        ...ana,
      ]),
      'CORE_CREDENTIAL_INVALID',
    );

    jsonLines(await kindred(['sync', ...owner, '--json']));
    const members = jsonLines(await kindred(['group', 'members', groupId, ...owner, '--json']));
    expect(members.find((member) => member.address === persona)?.badge).toMatchObject({
      roleTitle: TITLE,
    });
    expect(members.find((member) => member.pseudonym === 'Olive')?.badge).toBeNull();
    const human = await kindred(['group', 'members', groupId, ...owner]);
    expect(human.stdout).toContain('Ana [Navigator, St James’s C…]');

    const removed = jsonLines(await kindred(['facilitator', 'remove', ...ana, '--json']));
    expect(removed[0]).toMatchObject({ event: 'facilitator-removed', removed: 1 });
    jsonLines(await kindred(['sync', ...owner, '--json']));
    const after = jsonLines(await kindred(['group', 'members', groupId, ...owner, '--json']));
    expect(after.find((member) => member.address === persona)?.badge).toBeNull();
  });
});
