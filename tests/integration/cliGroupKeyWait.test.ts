// The README's group flow as real `kindred` processes against a real relay: a moderator approves
// Bo, and Bo writes at once. The approval sends Bo the group key before the command exits, Bo's
// send takes it from its mailbox, and nobody syncs by hand. A joiner whose key nobody has sent
// yet is told CORE_GROUP_KEY_MISSING at once, with the relay seeing a handful of connections.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import type { KindredRun } from './kindredCommand.js';
import { expectFailure, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs, { metrics: { port: 0 } });
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

function ok(run: KindredRun): Record<string, unknown>[] {
  expect(run.code, run.stderr).toBe(0);
  return run.records;
}

async function home(name: string): Promise<string[]> {
  const dir = path.join(await dirs.make('cli-keywait'), name);
  ok(
    await kindred([
      'init',
      '--name',
      name,
      '--server',
      relay.url,
      '--kdf',
      'insecure-fast',
      '--home',
      dir,
    ]),
  );
  return ['--home', dir, '--json'];
}

/** One counter of the relay's /metrics (kindred_NAME_total). */
async function counter(name: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${String(relay.opsPort)}/metrics`);
  const wanted = `kindred_${name}_total `;
  for (const line of (await response.text()).split('\n')) {
    if (line.startsWith(wanted)) return Number(line.slice(wanted.length));
  }
  return 0;
}

describe('kindred group send right after joining', () => {
  it('approve, then send at once: the key came with the approval', async () => {
    const [alice, bob] = await Promise.all([home('Alice'), home('Bob')]);
    const created = ok(await kindred(['group', 'create', 'Rare-1 circle', '--approval', ...alice]));
    const groupId = String(created[0]?.group);
    const invite = ok(await kindred(['group', 'invite', groupId, '--uses', '10', ...alice]));
    ok(await kindred(['group', 'join', String(invite[0]?.link), '--pseudonym', 'Bo', ...bob]));
    ok(await kindred(['group', 'requests', 'Rare-1 circle', ...alice]));
    ok(await kindred(['group', 'approve', 'Rare-1 circle', 'Bo', ...alice]));

    const before = await counter('connections_opened');
    const sent = ok(
      await kindred(['group', 'send', 'Rare-1 circle', '-', ...bob], undefined, {
        stdin: 'hello, I am new here\n',
      }),
    );
    expect(sent[0]).toMatchObject({ event: 'group-sent', group: groupId });
    // A log fetch, a receiving link, a post: nothing like the storm's thousand.
    expect((await counter('connections_opened')) - before).toBeLessThanOrEqual(8);

    ok(await kindred(['sync', ...alice]));
    const messages = ok(await kindred(['group', 'messages', 'Rare-1 circle', ...alice]));
    expect(messages.map((m) => m.text)).toContain('hello, I am new here');
  }, 180_000);

  it('says CORE_GROUP_KEY_MISSING at once while nobody has sent the key', async () => {
    const [olive, ann] = await Promise.all([home('Olive'), home('Ann')]);
    const created = ok(await kindred(['group', 'create', 'Quiet circle', ...olive]));
    const groupId = String(created[0]?.group);
    const invite = ok(await kindred(['group', 'invite', groupId, ...olive]));
    // An open invite: Ann is a member at once, but Olive's client has not run since.
    ok(await kindred(['group', 'join', String(invite[0]?.link), '--pseudonym', 'Ann', ...ann]));

    const before = await counter('connections_opened');
    const started = Date.now();
    const failed = await kindred(['group', 'send', groupId, 'anyone there?', ...ann]);
    expectFailure(failed, 'CORE_GROUP_KEY_MISSING');
    expect(failed.stderr).toMatch(/share the group key/);
    // Well inside the 20 s the send used to spend reconnecting.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await counter('connections_opened')) - before).toBeLessThanOrEqual(8);

    // Olive's next sync sends the key; Ann's next sync takes it and posts what waited.
    ok(await kindred(['sync', ...olive]));
    ok(await kindred(['sync', ...ann]));
    ok(await kindred(['sync', ...olive]));
    const messages = ok(await kindred(['group', 'messages', groupId, ...olive]));
    expect(messages.map((m) => m.text)).toContain('anyone there?');
  }, 180_000);
});
