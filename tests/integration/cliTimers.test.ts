// `kindred timer` and `kindred group timer` against a real relay with real homes.
import { describe, expect, it } from 'vitest';
import { useTestRelay } from './helpers.js';
import { expectFailure, initHome, kindred } from './kindredCommand.js';

const relay = useTestRelay();

describe('kindred timer', () => {
  it(
    'sets a contact’s timer, which the contact sees, and refuses bad timers',
    { timeout: 180_000 },
    async () => {
      const [homeA, homeB] = await Promise.all([
        initHome(relay.dirs, relay.url, 'Alice Timer'),
        initHome(relay.dirs, relay.url, 'Bob Timer'),
      ]);
      const alice = [...homeA.args, '--json'];
      const bob = [...homeB.args, '--json'];
      const bobAddress = homeB.address;
      const invite = await kindred(['invite', '--uses', '1', '--expires', '24h', ...alice]);
      const add = await kindred([
        'contact',
        'add',
        String(invite.records[0]?.link),
        '--alias',
        'alice',
        ...bob,
      ]);
      expect(add.code, add.stderr).toBe(0);

      const set = await kindred(['timer', 'alice', '1d', ...bob]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.records[0]).toMatchObject({ event: 'timer', seconds: 86_400 });

      const sync = await kindred(['sync', '--wait', '10', ...alice]);
      expect(sync.code, sync.stderr).toBe(0);
      const shown = await kindred(['messages', bobAddress, ...alice]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain('disappearing messages set to 1 day');

      for (const bad of ['4m', '5w', 'soon', '-1d']) {
        expectFailure(await kindred(['timer', 'alice', bad, ...bob.slice(0, 2)]), 'CLI_USAGE');
      }
      const off = await kindred(['timer', 'alice', 'off', ...bob]);
      expect(off.records[0]).toMatchObject({ event: 'timer', seconds: 0 });

      const created = await kindred(['group', 'create', 'Timed circle', ...alice]);
      expect(created.code, created.stderr).toBe(0);
      const groupId = String(created.records[0]?.group);
      const timed = await kindred(['group', 'timer', groupId, '1w', ...alice]);
      expect(timed.code, timed.stderr).toBe(0);
      expect(timed.records[0]).toMatchObject({ event: 'group-timer', seconds: 604_800 });
      expectFailure(
        await kindred(['group', 'timer', groupId, '30s', ...alice.slice(0, 2)]),
        'CLI_USAGE',
      );
    },
  );
});
