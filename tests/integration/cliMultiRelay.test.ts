// `kindred group join`, `contact add` and `persona list` with links of another relay than the
// home one, as real processes against two real relays: a fresh persona is registered there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, initHome, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relayA: RunningRelay;
let relayB: RunningRelay;

beforeAll(async () => {
  [relayA, relayB] = await Promise.all([startTestRelay(dirs), startTestRelay(dirs)]);
});

afterAll(async () => {
  await relayA.close();
  await relayB.close();
  await dirs.cleanup();
});

// Each step starts a `kindred` process: a loaded machine takes seconds for each.
describe('kindred with a group and a contact on another relay', { timeout: 300_000 }, () => {
  it('joins a group of relay B from a home on A, lists both relays, and refuses the current persona', async () => {
    const [walt, bea] = await Promise.all([
      initHome(dirs, relayA.url, 'Walt'),
      initHome(dirs, relayB.url, 'Bea'),
    ]);
    const json = (home: { args: string[] }): string[] => [...home.args, '--json'];
    const created = jsonLines(
      await kindred(['group', 'create', 'Harbour', '--persona', 'current', ...json(bea)]),
    );
    const groupId = String(created[0]?.group);
    const invite = (): Promise<string> =>
      kindred(['group', 'invite', groupId, '--uses', '1', '--expires', '1h', ...json(bea)]).then(
        (run) => String(jsonLines(run)[0]?.link),
      );

    // The current persona lives on A: refused with the core's code, and nothing is made.
    const link = await invite();
    expectFailure(
      await kindred(['group', 'join', link, '--persona', 'current', ...walt.args]),
      'CORE_RELAY_MISMATCH',
    );
    expect(jsonLines(await kindred(['persona', 'list', ...json(walt)]))).toHaveLength(1);
    expectFailure(
      await kindred(['group', 'join', link, '--persona', 'nobody', ...walt.args]),
      'CLI_USAGE',
    );

    const joined = jsonLines(
      await kindred(['group', 'join', link, '--pseudonym', 'Far Walt', ...json(walt)]),
    );
    expect(joined).toStrictEqual([
      expect.objectContaining({
        event: 'group-joined',
        group: groupId,
        personaPseudonym: 'Far Walt',
        relayUrl: relayB.url,
      }),
    ]);
    const farWalt = String(joined[0]?.persona);

    const personas = jsonLines(await kindred(['persona', 'list', ...json(walt)]));
    expect(personas).toStrictEqual([
      { address: walt.address, pseudonym: 'Walt', relayUrl: relayA.url, main: true },
      { address: farWalt, pseudonym: 'Far Walt', relayUrl: relayB.url, main: false },
    ]);
    const human = await kindred(['persona', 'list', ...walt.args]);
    expect(human.stdout).toContain(`* Walt  ${walt.address}  ${relayA.url}`);
    expect(human.stdout).toContain(`  Far Walt  ${farWalt}  ${relayB.url}`);

    // The persona already on B may join B's other groups by address.
    const other = jsonLines(
      await kindred(['group', 'create', 'Dock', '--persona', 'current', ...json(bea)]),
    );
    const dockLink = String(
      jsonLines(
        await kindred([
          'group',
          'invite',
          String(other[0]?.group),
          '--uses',
          '1',
          '--expires',
          '1h',
          ...json(bea),
        ]),
      )[0]?.link,
    );
    const dock = jsonLines(
      await kindred(['group', 'join', dockLink, '--persona', farWalt, ...json(walt)]),
    );
    expect(dock[0]).toMatchObject({ persona: farWalt, relayUrl: relayB.url });

    // A contact of B: added by a fresh persona registered there, named in the output.
    const cara = jsonLines(
      await kindred(['invite', '--uses', '1', '--expires', '1h', ...json(bea)]),
    );
    const added = jsonLines(
      await kindred(['contact', 'add', String(cara[0]?.link), '--alias', 'bea', ...json(walt)]),
    );
    expect(added[0]).toMatchObject({ event: 'contact-added', alias: 'bea' });
    expect([walt.address, farWalt]).not.toContain(added[0]?.persona);
    const after = jsonLines(await kindred(['persona', 'list', ...json(walt)]));
    expect(after.map((p) => p.relayUrl)).toStrictEqual([relayA.url, relayB.url, relayB.url]);
  });
});
