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

describe('kindred group commands', () => {
  it('create, invite, join, talk, report, remove, and the log shows why', async () => {
    const [owner, ana, cai] = await Promise.all([home('Olive'), home('Ana'), home('Cai')]);

    const created = jsonLines(
      await kindred(['group', 'create', 'Rare circle', '--rules', 'be kind', ...owner]),
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

    const sent = jsonLines(await kindred(['group', 'send', groupId, 'hello, circle', ...ana]));
    expect(sent[0]).toMatchObject({ event: 'group-sent', group: groupId });
    const messageId = String(sent[0]?.messageId);

    // The owner's sync prints the join and the message as they arrive, one JSON object a line.
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
      expect.objectContaining({ event: 'group-operation', action: 'join' }),
    );
    expect(synced.at(-1)).toMatchObject({ event: 'synced', groupReceived: 1 });

    const members = jsonLines(await kindred(['group', 'members', 'Rare circle', ...owner]));
    expect(members.map((m) => [m.pseudonym, m.role, m.self])).toStrictEqual([
      ['Olive', 'owner', true],
      ['Ana G', 'member', false],
    ]);

    // Ana reports her own message, to see the report reach the moderator (the owner).
    const reported = jsonLines(
      await kindred(['report', groupId, messageId, '--reason', 'test report', ...ana]),
    );
    expect(reported[0]).toMatchObject({ event: 'group-reported', moderators: 1 });
    const ownerSync = jsonLines(await kindred(['sync', ...owner]));
    expect(ownerSync).toContainEqual(
      expect.objectContaining({ event: 'group-report', messageId, reason: 'test report' }),
    );
    const reports = jsonLines(await kindred(['reports', 'Rare circle', ...owner]));
    expect(reports).toStrictEqual([
      expect.objectContaining({
        messageId,
        reporterPseudonym: 'Ana G',
        authorPseudonym: 'Ana G',
        text: 'hello, circle',
        reason: 'test report',
      }),
    ]);

    const removed = jsonLines(
      await kindred(['group', 'remove', 'Rare circle', 'ana g', '--reason', 'spam', ...owner]),
    );
    expect(removed[0]).toMatchObject({ event: 'group-action', action: 'remove', reason: 'spam' });
    const log = jsonLines(await kindred(['group', 'log', groupId, ...owner]));
    expect(log.at(-1)).toMatchObject({
      action: 'remove',
      actorPseudonym: 'Olive',
      targetPseudonym: 'Ana G',
      reason: 'spam',
    });
    const humanLog = await kindred(['group', 'log', groupId, '--home', String(owner[1])]);
    expect(humanLog.stdout).toMatch(/Olive removed Ana G; reason: spam\n$/);

    expectFailure(
      await kindred(['group', 'send', groupId, 'still here?', ...ana]),
      'CORE_GROUP_NOT_MEMBER',
    );

    // Approval: a join is a request until a moderator approves it.
    const policy = jsonLines(
      await kindred(['group', 'policy', groupId, '--approval', 'on', ...owner]),
    );
    expect(policy[0]).toMatchObject({ event: 'group-policy-changed', joinByApproval: true });
    const second = jsonLines(await kindred(['group', 'invite', groupId, ...owner]));
    const asked = jsonLines(
      await kindred(['group', 'join', String(second[0]?.link), '--persona', 'current', ...cai]),
    );
    expect(asked[0]).toMatchObject({ status: 'requested', personaPseudonym: 'Cai' });
    expectFailure(
      await kindred(['group', 'send', groupId, 'hi?', ...cai]),
      'CORE_GROUP_NOT_MEMBER',
    );
    const requests = jsonLines(await kindred(['group', 'requests', groupId, ...owner]));
    expect(requests).toStrictEqual([expect.objectContaining({ pseudonym: 'Cai' })]);
    const approved = jsonLines(await kindred(['group', 'approve', groupId, 'Cai', ...owner]));
    expect(approved[0]).toMatchObject({ action: 'approve', pseudonym: 'Cai' });
    jsonLines(await kindred(['sync', ...cai]));
    const list = jsonLines(await kindred(['group', 'list', ...cai]));
    expect(list).toStrictEqual([
      expect.objectContaining({ group: groupId, status: 'active', role: 'member' }),
    ]);
  }, 120_000);

  it('refuses bad arguments with the usage code', async () => {
    const owner = await home('Uma');
    const created = jsonLines(await kindred(['group', 'create', 'Usage circle', ...owner]));
    const groupId = String(created[0]?.group);
    const runs = await Promise.all([
      kindred(['group', 'pin', groupId, 'not-a-message-id', ...owner]),
      kindred(['group', 'delete', groupId, 'abc', ...owner]),
      kindred(['group', 'send', 'no such group', 'hi', ...owner]),
      kindred(['group', 'members', 'f'.repeat(32), ...owner]),
      kindred(['group', 'mute', groupId, 'someone', '--until', 'yesterday', ...owner]),
      kindred(['group', 'mute', groupId, 'someone', '--until', '2001-01-01T00:00Z', ...owner]),
      kindred(['group', 'remove', groupId, 'nobody here', ...owner]),
      kindred(['group', 'invite', groupId, '--uses', '0', ...owner]),
      kindred(['group', 'policy', groupId, '--slow-mode', 'forever', ...owner]),
      kindred(['group', 'policy', groupId, '--approval', 'maybe', ...owner]),
      kindred(['group', 'create', 'x', '--persona', 'current', '--pseudonym', 'y', ...owner]),
      kindred(['group', 'join', 'kindred:contact/AAAA', ...owner]),
      kindred(['report', groupId, '0'.repeat(32), ...owner]),
      kindred(['group', 'remove', groupId, 'nobody', '--until', '1h', ...owner]),
    ]);
    for (const run of runs) {
      expectFailure(run, 'CLI_USAGE');
      expect(run.code).toBe(2);
    }
  }, 60_000);
});
