// `kindred group policy --private-messages`, `group message-member`, `requests` and `request
// accept|decline|block|report`, as real processes against a real relay (issue 11).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, initHome, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('kindred message requests', { timeout: 300_000 }, () => {
  it('policy off refuses; on, a request waits for accept, report or block', async () => {
    const [owner, ana, bea] = await Promise.all(
      ['Olive', 'Ana', 'Bea'].map((name) => initHome(dirs, relay.url, name)),
    );
    if (!owner || !ana || !bea) throw new Error('homes');
    const o = [...owner.args, '--json'];
    const a = [...ana.args, '--json'];
    const b = [...bea.args, '--json'];
    const created = jsonLines(
      await kindred(['group', 'create', 'Circle', '--pseudonym', 'Olive', ...o]),
    );
    const group = String(created[0]?.group);
    const link = String(
      jsonLines(
        await kindred(['group', 'invite', group, '--uses', '3', '--expires', '1h', ...o]),
      )[0]?.link,
    );
    jsonLines(await kindred(['group', 'join', link, '--pseudonym', 'Ana', ...a]));
    jsonLines(await kindred(['group', 'join', link, '--pseudonym', 'Bea', ...b]));
    // The owner's sync applies the joins and sends the group key; the members' take it.
    jsonLines(await kindred(['sync', ...o]));
    jsonLines(await kindred(['sync', ...a]));
    jsonLines(await kindred(['sync', ...b]));

    // Off by default: shown, and the sender is refused with a code.
    const shown = jsonLines(await kindred(['group', 'policy', group, ...o]));
    expect(shown[0]).toMatchObject({ membersMessagePrivately: false });
    expectFailure(
      await kindred(['group', 'message-member', group, 'Bea', 'hello', ...ana.args]),
      'CORE_PRIVATE_MESSAGES_OFF',
    );

    const changed = jsonLines(
      await kindred(['group', 'policy', group, '--private-messages', 'on', ...o]),
    );
    expect(changed[0]).toMatchObject({
      event: 'group-policy-changed',
      membersMessagePrivately: true,
    });
    // Bea's client takes the change and registers her fellow members' request keys.
    expect(jsonLines(await kindred(['requests', ...b]))).toStrictEqual([]);

    const sent = jsonLines(
      await kindred(['group', 'message-member', group, 'Bea', 'Hi Bea, may I ask you?', ...a]),
    );
    expect(sent[0]).toMatchObject({ event: 'member-messaged', group, request: true });

    const listed = jsonLines(await kindred(['requests', ...b]));
    expect(listed).toStrictEqual([
      expect.objectContaining({
        event: 'request',
        pseudonym: 'Ana',
        group,
        messages: [expect.objectContaining({ text: 'Hi Bea, may I ask you?' })],
      }),
    ]);
    const id = String(listed[0]?.id);
    expect(id).toMatch(/^[0-9a-f]{16}$/);

    expectFailure(
      await kindred(['request', 'accept', '0000000000000000', ...bea.args]),
      'CORE_REQUEST_NOT_FOUND',
    );
    expectFailure(await kindred(['request', 'ignore', id, ...bea.args]), 'CLI_USAGE');

    const reported = jsonLines(
      await kindred(['request', 'report', id, '--reason', 'checking', ...b]),
    );
    expect(reported[0]).toMatchObject({ event: 'request-reported', id, moderators: 1 });
    const ownerSync = jsonLines(await kindred(['sync', ...o]));
    expect(ownerSync).toContainEqual(
      expect.objectContaining({
        event: 'group-report',
        reason: 'private message request: checking',
      }),
    );

    const accepted = jsonLines(await kindred(['request', 'accept', id, ...b]));
    expect(accepted[0]).toMatchObject({ event: 'request-accepted', id, messages: 1 });
    expect(jsonLines(await kindred(['requests', ...b]))).toStrictEqual([]);
    // The owner writes to Bea too; Bea blocks the request, and the relay refuses what follows.
    jsonLines(await kindred(['group', 'message-member', group, 'Bea', 'psst', ...o]));
    const fromOwner = jsonLines(await kindred(['requests', ...b]));
    expect(fromOwner).toHaveLength(1);
    const blocked = jsonLines(await kindred(['request', 'block', String(fromOwner[0]?.id), ...b]));
    expect(blocked[0]).toMatchObject({ event: 'request-blocked', revokedAtRelay: true });
    const refused = await kindred([
      'group',
      'message-member',
      group,
      'Bea',
      'psst again',
      ...owner.args,
    ]);
    expectFailure(refused, 'CORE_RELAY_REJECTED');
    expect(refused.stderr).toContain('RELAY_ACCESS_DENIED');
    expect(jsonLines(await kindred(['requests', ...b]))).toStrictEqual([]);
  });
});
