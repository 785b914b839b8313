// `kindred group resources …` as real processes against a real relay. One moderator's home (each
// spawn costs seconds): what members see, and what a member may not do, are proven in
// groupResources.test.ts.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('kindred group resources', { timeout: 300_000 }, () => {
  it('sets from a file and from flags, lists with --json, clears, and refuses bad input with codes', async () => {
    const base = await dirs.make('cli-resources');
    const dir = path.join(base, 'Olive');
    const init = await kindred([
      ...['init', '--name', 'Olive', '--server', relay.url, '--kdf', 'insecure-fast'],
      ...['--home', dir],
    ]);
    expect(init.code, init.stderr).toBe(0);
    const home = ['--home', dir, '--json'];
    const created = jsonLines(
      await kindred(['group', 'create', 'Circle', '--pseudonym', 'Olive', ...home]),
    );
    const group = String(created[0]?.group);

    const file = path.join(base, 'resources.json');
    await writeFile(
      file,
      JSON.stringify([
        { name: 'Lupus UK', reach: 'phone', address: '+44 1604 213142', note: 'Weekdays' },
        { name: 'Clinic', reach: 'web', address: 'https://example.org/help' },
      ]),
    );
    expect(
      jsonLines(await kindred(['group', 'resources', 'set', group, '--file', file, ...home])),
    ).toStrictEqual([expect.objectContaining({ event: 'group-resources-set', count: 2 })]);
    const listed = jsonLines(await kindred(['group', 'resources', 'list', group, ...home]));
    expect(listed[0]?.resources).toEqual([
      {
        name: 'Lupus UK',
        reach: 'phone',
        address: '+44 1604 213142',
        note: 'Weekdays',
        uri: 'tel:+441604213142',
      },
      {
        name: 'Clinic',
        reach: 'web',
        address: 'https://example.org/help',
        note: '',
        uri: 'https://example.org/help',
      },
    ]);

    expect(
      jsonLines(
        await kindred([
          ...['group', 'resources', 'set', group, '--web', 'Clinic=https://example.org/help'],
          ...['--phone', 'Helpline=0800 123 456', ...home],
        ]),
      ),
    ).toStrictEqual([expect.objectContaining({ event: 'group-resources-set', count: 2 })]);

    // A malformed file or flag is CLI_USAGE; a well-formed but invalid resource CORE_INVALID_INPUT.
    await writeFile(file, '[{"name": "x", "reach": "fax", "address": "1"}]');
    expectFailure(
      await kindred(['group', 'resources', 'set', group, '--file', file, ...home]),
      'CLI_USAGE',
    );
    expectFailure(
      await kindred([
        'group',
        'resources',
        'set',
        group,
        '--web',
        'Clinic=http://example.org',
        ...home,
      ]),
      'CORE_INVALID_INPUT',
    );

    const cleared = jsonLines(await kindred(['group', 'resources', 'clear', group, ...home]));
    expect(cleared).toStrictEqual([expect.objectContaining({ event: 'group-resources-cleared' })]);
    const none = jsonLines(await kindred(['group', 'resources', 'list', group, ...home]));
    expect(none[0]?.resources).toEqual([]);
  });
});
