// Message text, links and relay invite tokens kept out of argv (where `ps` and shell history show
// them): `-` reads them from standard input, `--text-file`, `--link-file` and
// `--invite-token-file` from a file. Real `kindred` processes against a real relay on loopback.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { relayCommand } from '../commands/commandPaths.js';
import { startRelay } from '../../server/index.js';
import { TempDirs } from './helpers.js';
import { expectFailure, kindred } from './kindredCommand.js';

const SERVER_BIN = relayCommand();
const run = promisify(execFile);

const dirs = new TempDirs();
let relay: RunningRelay;
let tokens: string[];

beforeAll(async () => {
  // A relay that registers only with an operator's invite token, so the token really is checked.
  const dataDir = await dirs.make('relay');
  tokens = [];
  for (let n = 0; n < 2; n += 1) {
    const minted = await run(process.execPath, [
      SERVER_BIN,
      'invite-token',
      '--data',
      dataDir,
      '--uses',
      '1',
      '--expires',
      '1h',
    ]);
    tokens.push(minted.stdout.trim());
  }
  relay = await startRelay({ dataDir, host: '127.0.0.1', port: 0, registration: 'invite' });
}, 60_000);

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

function onlyOne<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error('none');
  return item;
}

describe('private input from stdin and files', () => {
  it(
    'registers, adds, joins and sends with nothing secret or personal in argv',
    { timeout: 240_000 },
    async () => {
      const folder = await dirs.make('cli-private');
      const alice = ['--home', path.join(folder, 'alice'), '--json'];
      const bob = ['--home', path.join(folder, 'bob'), '--json'];
      const fast = ['--kdf', 'insecure-fast'];
      const [tokenA, tokenB] = tokens;
      if (tokenA === undefined || tokenB === undefined) throw new Error('tokens');
      const tokenFile = path.join(folder, 'token.txt');
      await writeFile(tokenFile, `${tokenA}\n`);

      const [initA, initB] = await Promise.all([
        kindred([
          'init',
          '--name',
          'Alice',
          '--server',
          relay.url,
          '--invite-token-file',
          tokenFile,
          ...fast,
          ...alice,
        ]),
        kindred(
          ['init', '--name', 'Bob', '--server', relay.url, '--invite-token', '-', ...fast, ...bob],
          undefined,
          { stdin: `${tokenB}\n` },
        ),
      ]);
      expect(initA.code, initA.stderr).toBe(0);
      expect(initB.code, initB.stderr).toBe(0);
      const bobAddress = initB.records[0]?.address;

      const invite = await kindred(['invite', ...alice]);
      expect(invite.code, invite.stderr).toBe(0);
      const linkFile = path.join(folder, 'alice-link.txt');
      await writeFile(linkFile, `${String(invite.records[0]?.link)}\n`);
      const added = await kindred([
        'contact',
        'add',
        '--link-file',
        linkFile,
        '--alias',
        'alice',
        ...bob,
      ]);
      expect(added.code, added.stderr).toBe(0);

      // From stdin: one final newline goes (as `echo` adds it); inner lines stay.
      const fromStdin = await kindred(['send', 'alice', '-', ...bob], undefined, {
        stdin: 'Diagnosed last week: stage 2.\nWard 4 again.\n',
      });
      expect(fromStdin.code, fromStdin.stderr).toBe(0);
      const textFile = path.join(folder, 'note.txt');
      await writeFile(textFile, 'My biopsy is on Friday\n');
      const fromFile = await kindred(['send', 'alice', '--text-file', textFile, ...bob]);
      expect(fromFile.code, fromFile.stderr).toBe(0);

      const created = await kindred([
        'group',
        'create',
        'Circle',
        '--persona',
        'current',
        ...alice,
      ]);
      expect(created.code, created.stderr).toBe(0);
      const groupInvite = await kindred(['group', 'invite', 'Circle', ...alice]);
      expect(groupInvite.code, groupInvite.stderr).toBe(0);
      const joined = await kindred(
        ['group', 'join', '-', '--persona', 'current', ...bob],
        undefined,
        { stdin: `${String(groupInvite.records[0]?.link)}\n` },
      );
      expect(joined.code, joined.stderr).toBe(0);
      // The link carries no group key: Alice's next sync sends it to Bob, whose sync takes it up.
      const aliceFirstSync = await kindred(['sync', ...alice]);
      expect(aliceFirstSync.code, aliceFirstSync.stderr).toBe(0);
      expect((await kindred(['sync', '--wait', '5', ...bob])).code).toBe(0);
      const groupSent = await kindred(['group', 'send', 'Circle', '-', ...bob], undefined, {
        stdin: 'Scan results tomorrow\n',
      });
      expect(groupSent.code, groupSent.stderr).toBe(0);

      const synced = await kindred(['sync', '--wait', '10', ...alice]);
      expect(synced.code, synced.stderr).toBe(0);
      const texts = [...aliceFirstSync.records, ...synced.records]
        .filter((record) => record.event === 'message' && record.from === bobAddress)
        .map((record) => record.text);
      expect(texts).toEqual(
        expect.arrayContaining([
          'Diagnosed last week: stage 2.\nWard 4 again.',
          'My biopsy is on Friday',
        ]),
      );
      const groupMessages = await kindred(['group', 'messages', 'Circle', ...alice]);
      expect(
        onlyOne(groupMessages.records.filter((record) => record.text === 'Scan results tomorrow')),
      ).toMatchObject({ text: 'Scan results tomorrow' });
    },
  );

  it(
    'refuses a missing, doubled, empty or unreadable input with the usage code',
    {
      timeout: 120_000,
    },
    async () => {
      const home = ['--home', path.join(await dirs.make('cli-private'), 'nobody')];
      const textFile = path.join(await dirs.make('cli-private'), 'note.txt');
      await writeFile(textFile, 'hello');
      const runs = await Promise.all([
        kindred(['send', 'alice', ...home]),
        kindred(['send', 'alice', 'hello', '--text-file', textFile, ...home]),
        kindred(['send', 'alice', '-', ...home], undefined, { stdin: '' }),
        kindred(['group', 'send', 'Circle', '-', ...home], undefined, { stdin: '\n' }),
        kindred(['contact', 'add', '--link-file', path.join(textFile, 'missing'), ...home]),
        kindred(['group', 'join', ...home]),
        kindred(
          ['init', '--name', 'X', '--server', relay.url, '--invite-token', '-', ...home],
          undefined,
          {
            stdin: '   \n',
          },
        ),
      ]);
      for (const failed of runs) expectFailure(failed, 'CLI_USAGE');
    },
  );
});
