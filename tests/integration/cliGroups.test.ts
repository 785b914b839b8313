// `kindred group …`, `report`, `reports`, and group output of `sync`, as real processes against a
// real relay: the contract scripts and moderators' bots rely on.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import type { KindredRun } from './kindredCommand.js';
import { expectFailure, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

/** Every line of --json output is one JSON object; fails on anything else. */
function jsonLines(run: KindredRun): Record<string, unknown>[] {
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function home(name: string): Promise<string[]> {
  const dir = path.join(await dirs.make('cli-groups'), name);
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
  return ['--home', dir, '--json'];
}

// Three scenarios, each with homes of its own, run at once: each waits mostly on its processes.
// Each scenario runs dozens of `kindred` processes one after another: a loaded machine takes
// seconds to start each, so the window is wide (the checks are not).
describe.concurrent('kindred group commands', { timeout: 300_000 }, () => {
  it('create, invite, join, talk, report, remove, and the log says why', async () => {
    const [owner, ana] = await Promise.all([home('Olive'), home('Ana')]);

    const created = jsonLines(
      await kindred([
        'group',
        'create',
        'Rare circle',
        '--rules',
        'be kind',
        '--pseudonym',
        'Olive',
        ...owner,
      ]),
    );
    expect(created).toStrictEqual([
      expect.objectContaining({ event: 'group-created', name: 'Rare circle' }),
    ]);
    const groupId = String(created[0]?.group);
    expect(groupId).toMatch(/^[0-9a-f]{32}$/);

    const invite = jsonLines(
      await kindred(['group', 'invite', 'rare circle', '--uses', '3', '--expires', '1h', ...owner]),
    );
    const link = String(invite[0]?.link);
    expect(link.startsWith('kindred:group/')).toBe(true);
    expect(invite[0]).toMatchObject({ group: groupId, maxUses: 3 });

    const joined = jsonLines(
      await kindred(['group', 'join', link, '--pseudonym', 'Ana G', ...ana]),
    );
    expect(joined[0]).toMatchObject({
      event: 'group-joined',
      group: groupId,
      personaPseudonym: 'Ana G',
      status: 'active',
    });

    // The link carries no group key: the owner's client, on its next sync, applies the join and
    // sends Ana the key 1:1; Ana's sync takes it up. Only then can she write.
    const first = jsonLines(await kindred(['sync', ...owner]));
    expect(
      first.filter((line) => line.event === 'group-operation' && line.action === 'join'),
    ).toStrictEqual([expect.objectContaining({ actorPseudonym: 'Ana G' })]);
    jsonLines(await kindred(['sync', ...ana]));
    const info = jsonLines(await kindred(['group', 'info', groupId, ...ana]));
    expect(info[0]).toMatchObject({ epoch: 0, waitingForKey: false });

    const sent = jsonLines(await kindred(['group', 'send', groupId, 'hello, circle', ...ana]));
    expect(sent[0]).toMatchObject({ event: 'group-sent', group: groupId });
    const messageId = String(sent[0]?.messageId);
    // Ana reports her own message, so the report reaches the one moderator: the owner.
    const reported = jsonLines(
      await kindred(['report', groupId, messageId, '--reason', 'test report', ...ana]),
    );
    expect(reported[0]).toMatchObject({ event: 'group-reported', moderators: 1 });

    // The owner's sync prints the message and the report as they arrive.
    const synced = jsonLines(await kindred(['sync', ...owner]));
    expect(synced).toContainEqual(
      expect.objectContaining({
        event: 'group-message',
        group: groupId,
        groupName: 'Rare circle',
        pseudonym: 'Ana G',
        text: 'hello, circle',
        messageId,
      }),
    );
    expect(synced).toContainEqual(
      expect.objectContaining({ event: 'group-report', messageId, reason: 'test report' }),
    );
    expect(synced.at(-1)).toMatchObject({ event: 'synced', groupReceived: 1 });

    const reports = jsonLines(await kindred(['reports', 'Rare circle', ...owner]));
    expect(reports).toStrictEqual([
      expect.objectContaining({
        messageId,
        reporterPseudonym: 'Ana G',
        authorPseudonym: 'Ana G',
        text: 'hello, circle',
        check: 'matches',
        reason: 'test report',
      }),
    ]);
    const members = jsonLines(await kindred(['group', 'members', 'Rare circle', ...owner]));
    expect(members.map((m) => [m.pseudonym, m.role, m.self])).toStrictEqual([
      ['Olive', 'owner', true],
      ['Ana G', 'member', false],
    ]);

    const removed = jsonLines(
      await kindred(['group', 'remove', 'Rare circle', 'ana g', '--reason', 'spam', ...owner]),
    );
    expect(removed[0]).toMatchObject({ event: 'group-action', action: 'remove', reason: 'spam' });
    // Human output, this once.
    const log = await kindred(['group', 'log', groupId, '--home', String(owner[1])]);
    expect(log.code, log.stderr).toBe(0);
    // The removal, then the new epoch of the group key the owner's client started at once.
    expect(log.stdout).toMatch(
      /Olive removed Ana G; reason: spam\n\[[^\]]+\] #4 Olive changed the group key \(epoch 1\)\n$/,
    );

    expectFailure(
      await kindred(['group', 'send', groupId, 'still here?', ...ana]),
      'CORE_GROUP_NOT_MEMBER',
    );
  }, 300_000);

  it('admits by approval through requests and approve', async () => {
    const [owner, cai] = await Promise.all([home('Oren'), home('Cai')]);
    const created = jsonLines(
      await kindred(['group', 'create', 'Gated', '--approval', '--slow-mode', '10', ...owner]),
    );
    const groupId = String(created[0]?.group);
    const invite = jsonLines(await kindred(['group', 'invite', groupId, ...owner]));
    // Before joining, the link shows the group's name and that a moderator approves.
    const preview = jsonLines(await kindred(['group', 'preview', String(invite[0]?.link), ...cai]));
    expect(preview).toStrictEqual([
      expect.objectContaining({
        event: 'group-preview',
        groupId,
        name: 'Gated',
        joinByApproval: true,
      }),
    ]);
    const asked = jsonLines(
      await kindred([
        'group',
        'join',
        String(invite[0]?.link),
        '--persona',
        'current',
        '--intro',
        'Hello from Cai',
        ...cai,
      ]),
    );
    expect(asked[0]).toMatchObject({ status: 'requested', personaPseudonym: 'Cai' });
    expectFailure(
      await kindred(['group', 'send', groupId, 'hi?', ...cai]),
      'CORE_GROUP_NOT_MEMBER',
    );

    const requests = jsonLines(await kindred(['group', 'requests', 'gated', ...owner]));
    // The log so far: create (0), invite (1), Cai's join (2).
    expect(requests).toStrictEqual([
      expect.objectContaining({
        pseudonym: 'Cai',
        requestedAtSequence: 2,
        introduction: 'Hello from Cai',
      }),
    ]);
    const approved = jsonLines(await kindred(['group', 'approve', groupId, 'cai', ...owner]));
    expect(approved[0]).toMatchObject({ action: 'approve', pseudonym: 'Cai' });

    jsonLines(await kindred(['sync', ...cai]));
    const list = jsonLines(await kindred(['group', 'list', ...cai]));
    expect(list).toStrictEqual([
      expect.objectContaining({
        group: groupId,
        name: 'Gated',
        status: 'active',
        role: 'member',
        personaPseudonym: 'Cai',
      }),
    ]);
  }, 300_000);

  it('refuses bad arguments with the usage code', async () => {
    const owner = await home('Uma');
    const created = jsonLines(await kindred(['group', 'create', 'Usage circle', ...owner]));
    const groupId = String(created[0]?.group);
    // These fail on their arguments alone, before the vault is opened.
    const early = await Promise.all([
      kindred(['group', 'pin', groupId, 'not-a-message-id', ...owner]),
      kindred(['group', 'mute', groupId, 'someone', '--until', 'yesterday', ...owner]),
      kindred(['group', 'invite', groupId, '--uses', '0', ...owner]),
      kindred(['group', 'policy', groupId, '--approval', 'maybe', ...owner]),
      kindred(['group', 'create', 'x', '--persona', 'current', '--pseudonym', 'y', ...owner]),
      kindred(['group', 'remove', groupId, 'someone', '--until', '1h', ...owner]),
    ]);
    // These need the vault to tell, and a vault is open in one process at a time.
    const late = [
      await kindred(['group', 'send', 'no such group', 'hi', ...owner]),
      await kindred(['group', 'remove', groupId, 'nobody here', ...owner]),
      await kindred(['report', groupId, '0'.repeat(32), ...owner]),
    ];
    for (const run of [...early, ...late]) {
      expectFailure(run, 'CLI_USAGE');
      expect(run.code).toBe(2);
    }
  }, 300_000);
});
