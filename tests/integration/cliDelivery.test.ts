// Issue 15, "Truthful", at the command line against a real relay: a link used up while its owner
// was offline leaves the later adder "not connected" once the owner's encrypted answer arrives
// (`contacts` says so, `send` fails with one coded line), read receipts are set per contact, and
// `retry` refuses what is not waiting for a retry.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
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

describe('kindred and delivery', () => {
  it('a used-up link, read receipts per contact, and retry', { timeout: 300_000 }, async () => {
    const home = async (name: string) => [
      '--home',
      path.join(await dirs.make('cli'), name),
      '--json',
    ];
    const [alice, bob, carol] = await Promise.all([home('alice'), home('bob'), home('carol')]);
    const inits = await Promise.all(
      [
        ['Alice', alice],
        ['Bob', bob],
        ['Carol', carol],
      ].map(([name, args]) =>
        kindred([
          'init',
          '--name',
          String(name),
          '--server',
          relay.url,
          '--kdf',
          'insecure-fast',
          ...(args as string[]),
        ]),
      ),
    );
    for (const init of inits) expect(init.code, init.stderr).toBe(0);

    const invite = await kindred(['invite', '--uses', '1', '--expires', '24h', ...alice]);
    expect(invite.code, invite.stderr).toBe(0);
    const link = String(invite.records[0]?.link);
    // Alice is offline: the relay still takes the link's key, so both adds go through.
    const bobAdds = await kindred(['contact', 'add', link, '--alias', 'alice', ...bob]);
    expect(bobAdds.code, bobAdds.stderr).toBe(0);
    const carolAdds = await kindred(['contact', 'add', link, '--alias', 'alice', ...carol]);
    expect(carolAdds.code, carolAdds.stderr).toBe(0);

    // Alice takes Bob (first in her mailbox) and answers Carol that the link was used.
    expect((await kindred(['sync', '--wait', '3', ...alice])).code).toBe(0);
    expect((await kindred(['sync', '--wait', '3', ...carol])).code).toBe(0);
    const carolsContacts = await kindred(['contacts', ...carol]);
    expect(carolsContacts.records[0]).toMatchObject({ alias: 'alice', refused: 'used-up' });
    expectFailure(await kindred(['send', 'alice', 'hello?', ...carol]), 'CORE_CONTACT_REFUSED');
    const human = await kindred(['contacts', '--home', String(carol[1])]);
    expect(human.stdout).toContain('not connected: link already used');

    // Read receipts: off by default, on per contact.
    const before = await kindred(['contacts', ...bob]);
    expect(before.records[0]).toMatchObject({ alias: 'alice', readReceipts: false });
    const on = await kindred(['contact', 'set', 'alice', '--read-receipts', 'on', ...bob]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.records[0]).toMatchObject({ event: 'contact-set', readReceipts: true });
    expectFailure(
      await kindred(['contact', 'set', 'alice', '--read-receipts', 'maybe', ...bob]),
      'CLI_USAGE',
    );

    // Bob's introduction was taken: nothing of his is failed, so there is nothing to retry.
    expectFailure(
      await kindred(['retry', 'alice', '0'.repeat(32), ...bob]),
      'CORE_MESSAGE_NOT_FOUND',
    );
  });
});
