// `kindred search`, as real processes against a real relay: texts sent and received 1:1 and in a
// group are found from the index sealed in the vault, and the vault folder holds none of them.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { filesBelow } from './groupHelpers.js';
import { useTestRelay } from './helpers.js';
import type { CliHome } from './kindredCommand.js';
import { expectFailure, initHome, jsonLines, kindred } from './kindredCommand.js';

const relay = useTestRelay();

async function home(name: string): Promise<CliHome> {
  const made = await initHome(relay.dirs, relay.url, name);
  return { ...made, args: [...made.args, '--json'] };
}

describe('kindred search', () => {
  let alice: Awaited<ReturnType<typeof home>>;
  let bob: Awaited<ReturnType<typeof home>>;
  let groupId: string;

  it('finds words in 1:1 and group messages, sent and received', async () => {
    [alice, bob] = await Promise.all([home('Alice Search'), home('Bob Search')]);
    const invite = jsonLines(
      await kindred(['invite', '--uses', '1', '--expires', '1h', ...alice.args]),
    );
    jsonLines(
      await kindred(['contact', 'add', String(invite[0]?.link), '--alias', 'alice', ...bob.args]),
    );
    jsonLines(
      await kindred(['send', 'alice', 'Méthotrexatezz made me tired all weekend', ...bob.args]),
    );
    jsonLines(await kindred(['sync', '--wait', '10', ...alice.args]));
    jsonLines(
      await kindred([
        'send',
        bob.address,
        'Folic acid helps with methotrexatezz nausea',
        ...alice.args,
      ]),
    );

    const created = jsonLines(await kindred(['group', 'create', 'Rare circle', ...alice.args]));
    groupId = String(created[0]?.group);
    const groupInvite = jsonLines(
      await kindred(['group', 'invite', groupId, '--uses', '1', '--expires', '1h', ...alice.args]),
    );
    jsonLines(await kindred(['group', 'join', String(groupInvite[0]?.link), ...bob.args]));
    jsonLines(await kindred(['sync', ...alice.args]));
    jsonLines(await kindred(['sync', ...bob.args]));
    jsonLines(
      await kindred([
        'group',
        'send',
        groupId,
        'Anyone on METHOTREXATEZZ injections?',
        ...bob.args,
      ]),
    );
    const synced = jsonLines(await kindred(['sync', '--wait', '10', ...alice.args]));
    expect(synced).toContainEqual(
      expect.objectContaining({ event: 'group-message', group: groupId }),
    );

    const hits = jsonLines(await kindred(['search', 'metho', ...alice.args]));
    expect(hits).toStrictEqual([
      expect.objectContaining({
        kind: 'searchHit',
        conversation: `group:${groupId}`,
        group: groupId,
        snippet: 'Anyone on METHOTREXATEZZ injections?',
      }),
      expect.objectContaining({
        persona: alice.address,
        conversation: `direct:${bob.address}`,
        contact: bob.address,
        snippet: 'Folic acid helps with methotrexatezz nausea',
      }),
      expect.objectContaining({
        conversation: `direct:${bob.address}`,
        snippet: 'Méthotrexatezz made me tired all weekend',
      }),
    ]);
    for (const hit of hits) expect(String(hit.messageId)).toMatch(/^[0-9a-f]{32}$/);
    // Every word must match; accents and case do not matter; --in keeps one conversation.
    expect(
      jsonLines(await kindred(['search', 'methotrexatezz', 'TIRED', ...alice.args])),
    ).toHaveLength(1);
    expect(
      jsonLines(await kindred(['search', 'methotrexatezz', '--in', groupId, ...alice.args])),
    ).toHaveLength(1);
    expect(
      jsonLines(await kindred(['search', 'methotrexatezz', '--limit', '2', ...alice.args])),
    ).toHaveLength(2);
    expect(jsonLines(await kindred(['search', 'chemotherapy', ...alice.args]))).toStrictEqual([]);
    // Bob finds the group message he wrote and the one he received 1:1.
    expect(jsonLines(await kindred(['search', 'methotrexatezz', ...bob.args]))).toHaveLength(3);
    // Human output, this once.
    const human = await kindred(['search', 'folic', '--home', alice.dir]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /^\[\d{4}-\d\d-\d\dT[^\]]+\] Bob Search: Folic acid helps with methotrexatezz nausea\n$/,
    );
  }, 400_000);

  it('leaves no searchable word in plaintext in the vault folder', async () => {
    for (const dir of [alice.dir, bob.dir]) {
      const files = await filesBelow(dir);
      expect(files.length).toBeGreaterThan(2);
      for (const file of files) {
        const bytes = await readFile(file);
        for (const needle of [
          'methotrexatezz',
          'METHOTREXATEZZ',
          'Méthotrexatezz',
          'Methotrexatezz',
          'nausea',
        ]) {
          for (const encoding of ['utf8', 'utf16le'] as const) {
            expect(bytes.includes(Buffer.from(needle, encoding)), `${needle} in ${file}`).toBe(
              false,
            );
          }
        }
      }
    }
  }, 60_000);

  it('answers bad queries with a coded error, never a crash', async () => {
    expect(jsonLines(await kindred(['search', '?!…', ...alice.args]))).toStrictEqual([]);
    expectFailure(await kindred(['search', 'x'.repeat(600), ...alice.args]), 'CORE_INVALID_INPUT');
    expectFailure(
      await kindred(['search', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', ...alice.args]),
      'CORE_INVALID_INPUT',
    );
    expectFailure(await kindred(['search', 'dose', '--limit', '0', ...alice.args]), 'CLI_USAGE');
    expectFailure(
      await kindred(['search', 'dose', '--in', 'nobody', ...alice.args]),
      'CORE_CONTACT_NOT_FOUND',
    );
  }, 200_000);

  it('covers warned messages in search and in sync, as messages does; --reveal shows them', async () => {
    const warned = ['--warning', 'Graphic medical image'];
    jsonLines(await kindred(['send', 'alice', 'photo of the rashzz', ...warned, ...bob.args]));
    jsonLines(await kindred(['group', 'send', groupId, 'my rashzz today', ...warned, ...bob.args]));
    // sync prints what arrived covered (human output).
    const synced = await kindred(['sync', '--wait', '10', '--home', alice.dir]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(
      synced.stdout.match(/\[content warning: Graphic medical image\] \(hidden/g),
    ).toHaveLength(2);
    expect(synced.stdout).not.toContain('rashzz');

    const human = await kindred(['search', 'rashzz', '--home', alice.dir]);
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatch(
        /: \[content warning: Graphic medical image\] \(hidden; --reveal shows it\)$/,
      );
    }
    const hits = jsonLines(await kindred(['search', 'rashzz', ...alice.args]));
    expect(hits).toStrictEqual([
      expect.objectContaining({ group: groupId, snippet: null, warning: 'Graphic medical image' }),
      expect.objectContaining({
        contact: bob.address,
        snippet: null,
        warning: 'Graphic medical image',
      }),
    ]);
    const revealed = await kindred(['search', 'rashzz', '--reveal', '--home', alice.dir]);
    expect(revealed.stdout).toContain(
      '[content warning: Graphic medical image] photo of the rashzz',
    );
    expect(revealed.stdout).toContain('[content warning: Graphic medical image] my rashzz today');
    // An unwarned hit carries no warning.
    expect(jsonLines(await kindred(['search', 'folic', ...alice.args]))).toStrictEqual([
      expect.objectContaining({
        warning: null,
        snippet: 'Folic acid helps with methotrexatezz nausea',
      }),
    ]);

    // sync --json: the words stay out of the record too.
    jsonLines(await kindred(['send', 'alice', 'second rashzz', ...warned, ...bob.args]));
    jsonLines(await kindred(['group', 'send', groupId, 'third rashzz', ...warned, ...bob.args]));
    const records = jsonLines(await kindred(['sync', '--wait', '10', ...alice.args]));
    const received = records.filter((r) => r.event === 'message' || r.event === 'group-message');
    expect(received).toStrictEqual([
      expect.objectContaining({ text: null, warning: 'Graphic medical image' }),
      expect.objectContaining({ text: null, warning: 'Graphic medical image' }),
    ]);
    expect(JSON.stringify(records)).not.toContain('rashzz');
  }, 300_000);
});
