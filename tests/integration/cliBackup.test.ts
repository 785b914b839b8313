// `kindred backup` and `kindred restore` as real processes against a real relay, with real vault
// homes: the restored home lists the same personas, contacts, groups and messages; a wrong key and
// a tampered file give the coded errors and leave nothing behind.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { PASSPHRASE, TempDirs, startTestRelay } from './helpers.js';
import type { KindredRun } from './kindredCommand.js';
import { expectFailure, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;
const NEW_PASSPHRASE = 'the passphrase on the new computer';
const FAST = ['--kdf', 'insecure-fast'];

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

function ok(run: KindredRun): Record<string, unknown>[] {
  expect(run.code, run.stderr).toBe(0);
  return run.records;
}

/** What a home shows: whoami, contacts, messages with the contact, groups and their texts. */
async function listing(
  home: readonly string[],
  contact: string,
  passphrase: string,
): Promise<unknown> {
  const env = { KINDRED_PASSPHRASE: passphrase };
  const whoami = ok(await kindred(['whoami', ...home], env)).map(
    ({ home: _home, ...rest }) => rest,
  );
  const contacts = ok(await kindred(['contacts', ...home], env));
  const messages = ok(await kindred(['messages', contact, ...home], env));
  const groups = ok(await kindred(['group', 'list', ...home], env));
  const groupMessages = [];
  for (const group of groups) {
    groupMessages.push(ok(await kindred(['group', 'messages', String(group.group), ...home], env)));
  }
  return { whoami, contacts, messages, groups, groupMessages };
}

describe('kindred backup and restore', { timeout: 300_000 }, () => {
  const state = {
    alice: [] as string[],
    bob: [] as string[],
    restored: [] as string[],
    backupFile: '',
    recoveryKey: '',
    root: '',
  };

  it('backs up a home with a contact, a group and messages, printing the key once', async () => {
    state.root = await dirs.make('cli-backup');
    state.alice = ['--home', path.join(state.root, 'alice'), '--json'];
    state.bob = ['--home', path.join(state.root, 'bob'), '--json'];
    const { alice, bob } = state;
    ok(await kindred(['init', '--name', 'Alice B', '--server', relay.url, ...FAST, ...alice]));
    ok(await kindred(['init', '--name', 'Bob B', '--server', relay.url, ...FAST, ...bob]));
    const link = String(ok(await kindred(['invite', ...alice]))[0]?.link);
    ok(await kindred(['contact', 'add', link, '--alias', 'alice', ...bob]));
    ok(await kindred(['send', 'alice', 'about methotrexate', ...bob]));
    ok(await kindred(['sync', '--wait', '10', ...alice]));
    ok(await kindred(['send', 'bob b', 'it helped me', ...alice]));
    const group = ok(
      await kindred(['group', 'create', 'Circle', '--persona', 'current', ...alice]),
    );
    const groupLink = String(
      ok(await kindred(['group', 'invite', String(group[0]?.group), ...alice]))[0]?.link,
    );
    ok(await kindred(['group', 'join', groupLink, '--persona', 'current', ...bob]));
    ok(await kindred(['sync', ...alice]));
    ok(await kindred(['sync', ...bob]));
    ok(await kindred(['group', 'send', 'Circle', 'hello circle', ...bob]));
    ok(await kindred(['sync', '--wait', '10', ...alice]));

    state.backupFile = path.join(state.root, 'alice.kindred-backup');
    const human = await kindred([
      'backup',
      '--out',
      state.backupFile,
      '--home',
      path.join(state.root, 'alice'),
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/shown only this once and stored nowhere/);
    const printed = /^ {4}([0-9A-Z]{4}(?:-[0-9A-Z]{4}){8})$/m.exec(human.stdout)?.[1];
    expect(printed).toBeDefined();
    const json = ok(await kindred(['backup', '--out', state.backupFile, ...alice]));
    expect(json[0]).toMatchObject({ event: 'backed-up', protection: 'recovery-key' });
    state.recoveryKey = String(json[0]?.recoveryKey);
    expect(state.recoveryKey).not.toBe(printed);
    // Nothing of the key stays in the vault folder or beside the file.
    const aliceFiles = await readdir(path.join(state.root, 'alice'), { recursive: true });
    for (const file of aliceFiles) {
      const full = path.join(state.root, 'alice', file);
      if ((await stat(full)).isFile()) {
        expect((await readFile(full)).includes(Buffer.from(state.recoveryKey))).toBe(false);
      }
    }
    expect((await readdir(state.root)).sort()).toStrictEqual([
      'alice',
      'alice.kindred-backup',
      'bob',
    ]);
  });

  it('refuses the key on the command line, a wrong key and a tampered file, leaving no home', async () => {
    const target = path.join(state.root, 'refused');
    const home = ['--home', target];
    const env = { KINDRED_PASSPHRASE: NEW_PASSPHRASE };
    expectFailure(
      await kindred(
        ['restore', state.backupFile, '--recovery-key', state.recoveryKey, ...home],
        env,
      ),
      'CLI_USAGE',
    );
    const wrongKey = `${state.recoveryKey.startsWith('A') ? 'B' : 'A'}${state.recoveryKey.slice(1)}`;
    expectFailure(
      await kindred(['restore', state.backupFile, '--recovery-key', '-', ...FAST, ...home], env, {
        stdin: `${wrongKey}\n`,
      }),
      'CORE_BACKUP_KEY_MALFORMED',
    );
    const otherKey = String(
      ok(await kindred(['backup', '--out', path.join(state.root, 'other'), ...state.bob]))[0]
        ?.recoveryKey,
    );
    expectFailure(
      await kindred(['restore', state.backupFile, '--recovery-key', '-', ...FAST, ...home], env, {
        stdin: otherKey,
      }),
      'CORE_BACKUP_WRONG_KEY',
    );
    const bytes = await readFile(state.backupFile);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x40;
    const tampered = path.join(state.root, 'tampered');
    await writeFile(tampered, bytes);
    expectFailure(
      await kindred(['restore', tampered, '--recovery-key', '-', ...FAST, ...home], env, {
        stdin: state.recoveryKey,
      }),
      'CORE_BACKUP_CORRUPT',
    );
    expect(await readdir(state.root)).not.toContain('refused');
    expect((await readdir(state.root)).filter((name) => name.includes('restoring'))).toStrictEqual(
      [],
    );
  });

  it('restores into a new home that lists the same personas, contacts, groups and messages', async () => {
    const target = path.join(state.root, 'restored');
    state.restored = ['--home', target, '--json'];
    const keyFile = path.join(state.root, 'key.txt');
    await writeFile(keyFile, `${state.recoveryKey}\n`);
    const restored = ok(
      await kindred(
        ['restore', state.backupFile, '--recovery-key-file', keyFile, ...FAST, ...state.restored],
        { KINDRED_PASSPHRASE: NEW_PASSPHRASE },
      ),
    );
    expect(restored[0]).toMatchObject({ event: 'restored', home: target });
    const original = await listing(state.alice, 'bob b', PASSPHRASE);
    const copy = await listing(state.restored, 'bob b', NEW_PASSPHRASE);
    expect(copy).toStrictEqual(original);
    expect(JSON.stringify(copy)).toContain('it helped me');
    expect(JSON.stringify(copy)).toContain('hello circle');
    // The old passphrase does not open the new home.
    expectFailure(await kindred(['whoami', ...state.restored]), 'CORE_VAULT_WRONG_PASSPHRASE');
  });

  it('renews the sessions on the restored home’s first sync, shown on both sides', async () => {
    const env = { KINDRED_PASSPHRASE: NEW_PASSPHRASE };
    ok(await kindred(['sync', ...state.restored], env));
    expect(ok(await kindred(['messages', 'bob b', ...state.restored], env))).toContainEqual(
      expect.objectContaining({ kind: 'notice', notice: 'session-renewed', direction: 'out' }),
    );
    ok(await kindred(['sync', '--wait', '10', ...state.bob]));
    expect(ok(await kindred(['messages', 'alice', ...state.bob]))).toContainEqual(
      expect.objectContaining({ kind: 'notice', notice: 'session-renewed', direction: 'in' }),
    );
    ok(await kindred(['send', 'alice', 'welcome back', ...state.bob]));
    const synced = ok(await kindred(['sync', '--wait', '10', ...state.restored], env));
    expect(synced).toContainEqual(
      expect.objectContaining({ event: 'message', text: 'welcome back' }),
    );
  });

  it('restores a passphrase-protected backup with that passphrase from stdin', async () => {
    const file = path.join(state.root, 'by-passphrase');
    const made = ok(
      await kindred(['backup', '--out', file, '--passphrase-protected', ...state.bob]),
    );
    expect(made[0]).toMatchObject({ protection: 'passphrase' });
    expect(made[0]?.recoveryKey).toBeUndefined();
    const target = ['--home', path.join(state.root, 'bob-restored'), '--json'];
    const env = { KINDRED_PASSPHRASE: NEW_PASSPHRASE };
    expectFailure(
      await kindred(['restore', file, '--backup-passphrase', '-', ...FAST, ...target], env, {
        stdin: 'not the passphrase',
      }),
      'CORE_BACKUP_WRONG_KEY',
    );
    ok(
      await kindred(['restore', file, '--backup-passphrase', '-', ...FAST, ...target], env, {
        stdin: PASSPHRASE,
      }),
    );
    expect(await listing(target, 'alice', NEW_PASSPHRASE)).toStrictEqual(
      await listing(state.bob, 'alice', PASSPHRASE),
    );
  });
});
