import { readdir, writeFile } from 'node:fs/promises';
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

describe('the kindred command', () => {
  it('runs a whole conversation between two homes', { timeout: 300_000 }, async () => {
    const alice = ['--home', path.join(await dirs.make('cli'), 'alice'), '--json'];
    const bob = ['--home', path.join(await dirs.make('cli'), 'bob'), '--json'];
    const fast = ['--kdf', 'insecure-fast'];

    const [initA, initB] = await Promise.all([
      kindred(['init', '--name', 'Alice Cli', '--server', relay.url, ...fast, ...alice]),
      kindred(['init', '--name', 'Bob Cli', '--server', relay.url, ...fast, ...bob]),
    ]);
    expect(initA.code, initA.stderr).toBe(0);
    expect(initB.code, initB.stderr).toBe(0);
    const aliceAddress = initA.records[0]?.address;
    const bobAddress = initB.records[0]?.address;
    expect(initA.records[0]).toMatchObject({ event: 'initialized', pseudonym: 'Alice Cli' });

    const whoami = await kindred(['whoami', ...alice]);
    expect(whoami.records).toStrictEqual([
      expect.objectContaining({
        address: aliceAddress,
        pseudonym: 'Alice Cli',
        relayUrl: relay.url,
      }),
    ]);

    const invite = await kindred(['invite', '--uses', '1', '--expires', '24h', ...alice]);
    expect(invite.code, invite.stderr).toBe(0);
    const link = invite.records[0]?.link;
    expect(typeof link === 'string' && link.startsWith('kindred:contact/')).toBe(true);

    const add = await kindred(['contact', 'add', String(link), '--alias', 'alice', ...bob]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.records[0]).toMatchObject({
      event: 'contact-added',
      address: aliceAddress,
      alias: 'alice',
    });

    const toAlice = await kindred(['send', 'alice', 'Hello from Bob, via the CLI', ...bob]);
    expect(toAlice.code, toAlice.stderr).toBe(0);
    expect(toAlice.records[0]).toMatchObject({ event: 'sent', to: aliceAddress });

    const syncA = await kindred(['sync', '--wait', '10', ...alice]);
    expect(syncA.code, syncA.stderr).toBe(0);
    expect(syncA.records).toContainEqual(
      expect.objectContaining({ event: 'contact-added', address: bobAddress }),
    );
    expect(syncA.records).toContainEqual(
      expect.objectContaining({
        event: 'message',
        from: bobAddress,
        text: 'Hello from Bob, via the CLI',
      }),
    );

    const contactsA = await kindred(['contacts', ...alice]);
    expect(contactsA.records).toStrictEqual([
      expect.objectContaining({ address: bobAddress, pseudonym: 'Bob Cli', verified: false }),
    ]);

    // Bob added Alice, so Alice has no alias for him: his pseudonym works, in any case.
    const toBob = await kindred(['send', 'bob cli', 'Hi Bob, Alice here', ...alice]);
    expect(toBob.code, toBob.stderr).toBe(0);
    const byAddress = await kindred(['messages', String(bobAddress), ...alice]);
    expect(byAddress.code, byAddress.stderr).toBe(0);
    const syncB = await kindred(['sync', '--wait', '10', ...bob]);
    expect(syncB.code, syncB.stderr).toBe(0);
    expect(syncB.records).toContainEqual(
      expect.objectContaining({
        event: 'message',
        from: aliceAddress,
        alias: 'alice',
        text: 'Hi Bob, Alice here',
      }),
    );

    const messagesB = await kindred(['messages', 'alice', ...bob]);
    expect(messagesB.records.map((r) => [r.direction, r.text])).toStrictEqual([
      ['out', 'Hello from Bob, via the CLI'],
      ['in', 'Hi Bob, Alice here'],
    ]);

    const [numberA, numberB] = await Promise.all([
      kindred(['safety-number', String(bobAddress), ...alice]),
      kindred(['safety-number', 'alice', ...bob]),
    ]);
    const digits = numberB.records[0]?.safetyNumber;
    expect(typeof digits === 'string' && /^\d{60}$/.test(digits)).toBe(true);
    expect(numberA.records[0]?.safetyNumber).toBe(digits);

    const wrong = await kindred(['verify', 'alice', '0'.repeat(60), ...bob]);
    expectFailure(wrong, 'CORE_SAFETY_NUMBER_MISMATCH');
    const right = await kindred(['verify', 'alice', String(digits), ...bob]);
    expect(right.code, right.stderr).toBe(0);
    const after = await kindred(['safety-number', 'alice', ...bob]);
    expect(after.records[0]).toMatchObject({ verified: true });

    // Human output works too (no --json).
    const human = await kindred(['messages', 'alice', '--home', String(bob[1])]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Hi Bob, Alice here');

    // Blocking revokes at the relay the key Bob writes with: his next message is refused there.
    const block = await kindred(['block', String(bobAddress), ...alice]);
    expect(block.code, block.stderr).toBe(0);
    expect(block.records[0]).toMatchObject({
      event: 'blocked',
      contact: bobAddress,
      revokedAtRelay: true,
    });
    const listed = await kindred(['contacts', ...alice]);
    expect(listed.records[0]).toMatchObject({ address: bobAddress, blocked: true });
    const refused = await kindred(['send', 'alice', 'are you still there?', ...bob]);
    expectFailure(refused, 'CORE_RELAY_REJECTED');
    expect(refused.stderr).toContain('RELAY_ACCESS_DENIED');
    expectFailure(await kindred(['send', 'bob cli', 'hi', ...alice]), 'CORE_CONTACT_BLOCKED');

    // Unblocking sends Bob a fresh key: once he has it, he writes again.
    const unblock = await kindred(['unblock', String(bobAddress), ...alice]);
    expect(unblock.code, unblock.stderr).toBe(0);
    expect(unblock.records[0]).toMatchObject({ event: 'unblocked', keySent: true });
    expect((await kindred(['sync', '--wait', '5', ...bob])).code).toBe(0);
    const again = await kindred(['send', 'alice', 'back again', ...bob]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('fails with one line and a non-zero exit on bad input', { timeout: 300_000 }, async () => {
    const home = ['--home', path.join(await dirs.make('cli'), 'carol')];
    const init = await kindred([
      'init',
      '--name',
      'Carol',
      '--server',
      relay.url,
      '--kdf',
      'insecure-fast',
      ...home,
    ]);
    expect(init.code, init.stderr).toBe(0);

    const runs = await Promise.all([
      kindred(['frobnicate', ...home]),
      kindred(['send', ...home]),
      kindred(['invite', '--uses', 'many', ...home]),
      kindred(['invite', '--expires', 'soon', ...home]),
      kindred(['invite', '--expires', '0', ...home]),
      kindred(['init', '--name', 'X', '--server', relay.url, '--kdf', 'weak', ...home]),
    ]);
    for (const run of runs) expectFailure(run, 'CLI_USAGE');
    // A link that should never expire is spelled `never`, and the refusal says so.
    expect(runs[4].stderr).toContain('or never');

    expectFailure(
      await kindred(['contact', 'add', 'kindred:contact/AAAA', ...home]),
      'CORE_INVALID_INVITE_LINK',
    );
    expectFailure(await kindred(['send', 'nobody', 'hi', ...home]), 'CORE_CONTACT_NOT_FOUND');
    expectFailure(
      await kindred(['whoami', ...home], { KINDRED_PASSPHRASE: 'not the passphrase' }),
      'CORE_VAULT_WRONG_PASSPHRASE',
    );
    expectFailure(await kindred(['whoami', ...home], {}), 'CLI_NO_PASSPHRASE');
    expectFailure(
      await kindred(['init', '--name', 'Carol', '--server', relay.url, ...home]),
      'CORE_VAULT_EXISTS',
    );
    const elsewhere = ['--home', path.join(await dirs.make('cli'), 'dave')];
    expectFailure(
      await kindred(['init', '--name', 'Dave', '--server', 'ws://192.0.2.1:1', ...elsewhere]),
      'CORE_INSECURE_RELAY_URL',
    );
    expectFailure(
      await kindred([
        'init',
        '--name',
        'Dave',
        '--server',
        'ws://127.0.0.1:1',
        '--kdf',
        'insecure-fast',
        ...elsewhere,
      ]),
      'CORE_RELAY_UNREACHABLE',
    );
    // A failed init leaves no vault behind: the next attempt can use the same folder.
    const retry = await kindred([
      'init',
      '--name',
      'Dave',
      '--server',
      relay.url,
      '--kdf',
      'insecure-fast',
      ...elsewhere,
    ]);
    expect(retry.code, retry.stderr).toBe(0);
  });

  it('takes the insecure-fast KDF only with the test flag, and never lists it', async () => {
    const help = await kindred(['init', '--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('--kdf');
    expect(help.stdout).toContain('sensitive');
    expect(help.stdout).not.toContain('insecure-fast');
    expect(help.stdout).not.toContain('fast');

    const home = ['--home', path.join(await dirs.make('cli'), 'erin')];
    const init = ['init', '--name', 'Erin', '--server', relay.url, '--kdf', 'insecure-fast'];
    const refused = await kindred([...init, ...home], {
      KINDRED_PASSPHRASE: 'integration passphrase',
      KINDRED_TEST_INSECURE_KDF: undefined,
    });
    expectFailure(refused, 'CLI_USAGE');
    // Refused before anything was made: with the flag, the same folder takes a vault.
    const allowed = await kindred([...init, ...home], {
      KINDRED_PASSPHRASE: 'integration passphrase',
      KINDRED_TEST_INSECURE_KDF: '1',
    });
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it(
    'says there is no vault, before asking for a passphrase, to every command given an empty --home',
    { timeout: 400_000 },
    async () => {
      const base = await dirs.make('cli-no-vault');
      const missing = ['--home', path.join(base, 'nonexistent')];
      const out = path.join(base, 'out');
      const commands = [
        ['search', 'methotrexate'],
        ['whoami'],
        ['contacts'],
        ['messages', 'someone'],
        ['send', 'someone', 'hi'],
        ['sync'],
        ['invite'],
        ['safety-number', 'someone'],
        ['timer', 'someone', 'off'],
        ['attachment', 'save', `${'ab'.repeat(16)}.1`, '--out', out],
        ['group', 'list'],
        ['group', 'messages', 'Circle'],
        ['group', 'create', 'Circle'],
        ['backup', '--out', out],
      ];
      // No KINDRED_PASSPHRASE and no terminal: before, each asked for one (CLI_NO_PASSPHRASE).
      for (const command of commands) {
        expectFailure(await kindred([...command, ...missing], {}), 'CORE_VAULT_NOT_FOUND');
      }
      // The same with a passphrase at hand, for an empty folder; nothing is made there.
      const empty = await dirs.make('cli-no-vault-empty');
      expectFailure(await kindred(['search', 'words', '--home', empty]), 'CORE_VAULT_NOT_FOUND');
      expect(await readdir(empty)).toEqual([]);
      await expect(readdir(path.join(base, 'nonexistent'))).rejects.toThrow();
      // A folder holding something else is no vault either, and says so with its own code.
      const other = await dirs.make('cli-no-vault-other');
      await writeFile(path.join(other, 'notes.txt'), 'not a vault');
      expectFailure(await kindred(['contacts', '--home', other], {}), 'CORE_VAULT_NOT_A_VAULT');
    },
  );
});
