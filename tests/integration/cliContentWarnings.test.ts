// `kindred group send --warning`, `messages` covered unless --reveal, and `group policy
// --image-warnings`, as real processes against a real relay.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import type { KindredRun } from './kindredCommand.js';
import { kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

function jsonLines(run: KindredRun): Record<string, unknown>[] {
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function home(name: string): Promise<string[]> {
  const dir = path.join(await dirs.make('cli-warnings'), name);
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

describe('kindred content warnings', () => {
  it('group send --warning arrives covered, --reveal shows it, and the policy shows image warnings', async () => {
    const [owner, ana] = await Promise.all([home('Olive'), home('Ana')]);
    const created = jsonLines(await kindred(['group', 'create', 'Circle', ...owner, '--json']));
    const groupId = String(created[0]?.group);
    const invite = jsonLines(
      await kindred([
        'group',
        'invite',
        groupId,
        '--uses',
        '2',
        '--expires',
        '1h',
        ...owner,
        '--json',
      ]),
    );
    jsonLines(await kindred(['group', 'join', String(invite[0]?.link), ...ana, '--json']));
    jsonLines(await kindred(['sync', ...owner, '--json']));
    jsonLines(await kindred(['sync', ...ana, '--json']));

    const bad = await kindred(['group', 'send', groupId, 'x', '--warning', '', ...ana]);
    expect(bad.code).not.toBe(0);
    jsonLines(
      await kindred([
        'group',
        'send',
        groupId,
        'the photo of my wound',
        '--warning',
        'Graphic medical image',
        ...ana,
        '--json',
      ]),
    );
    jsonLines(await kindred(['sync', ...owner, '--json']));

    const covered = jsonLines(await kindred(['messages', groupId, ...owner, '--json']));
    expect(covered).toStrictEqual([
      expect.objectContaining({ warning: 'Graphic medical image', text: null }),
    ]);
    const human = await kindred(['group', 'messages', groupId, ...owner]);
    expect(human.stdout).toContain('[content warning: Graphic medical image] (hidden');
    expect(human.stdout).not.toContain('my wound');
    const revealed = jsonLines(
      await kindred(['group', 'messages', groupId, '--reveal', ...owner, '--json']),
    );
    expect(revealed[0]).toMatchObject({
      warning: 'Graphic medical image',
      text: 'the photo of my wound',
    });

    const policy = jsonLines(
      await kindred([
        'group',
        'policy',
        groupId,
        '--image-warnings',
        'required',
        ...owner,
        '--json',
      ]),
    );
    expect(policy[0]).toMatchObject({ event: 'group-policy-changed', requireImageWarnings: true });
    jsonLines(await kindred(['sync', ...ana, '--json']));
    const atAna = await kindred(['group', 'policy', groupId, ...ana]);
    expect(atAna.stdout).toContain('image warnings required');
  }, 120_000);
});
