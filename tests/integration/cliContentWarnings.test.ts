// `kindred group send --warning`, `messages` covered unless --reveal, and `group policy
// --image-warnings`, as real processes against a real relay; `sync` covers warned messages too,
// and `group messages` and `sync` name attachments by the id `attachment save` takes.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTestRelay } from './helpers.js';
import { initHome, jsonLines, kindred } from './kindredCommand.js';

const relay = useTestRelay();
const { dirs } = relay;

async function home(name: string): Promise<string[]> {
  return (await initHome(dirs, relay.url, name)).args;
}

describe('kindred content warnings', () => {
  it('group send --warning arrives covered, --reveal shows it, and the policy shows image warnings', async () => {
    const [owner, ana] = await Promise.all([home('Olive'), home('Ana')]);
    const created = jsonLines(await kindred(['group', 'create', 'Circle', ...owner, '--json']));
    const groupId = String(created[0]?.group);
    const invite = jsonLines(
      await kindred([
        'group',
        'invite',
        groupId,
        '--uses',
        '2',
        '--expires',
        '1h',
        ...owner,
        '--json',
      ]),
    );
    jsonLines(await kindred(['group', 'join', String(invite[0]?.link), ...ana, '--json']));
    jsonLines(await kindred(['sync', ...owner, '--json']));
    jsonLines(await kindred(['sync', ...ana, '--json']));

    const bad = await kindred(['group', 'send', groupId, 'x', '--warning', '', ...ana]);
    expect(bad.code).not.toBe(0);
    jsonLines(
      await kindred([
        'group',
        'send',
        groupId,
        'the photo of my wound',
        '--warning',
        'Graphic medical image',
        ...ana,
        '--json',
      ]),
    );
    jsonLines(await kindred(['sync', ...owner, '--json']));

    const covered = jsonLines(await kindred(['messages', groupId, ...owner, '--json']));
    expect(covered).toStrictEqual([
      expect.objectContaining({ warning: 'Graphic medical image', text: null }),
    ]);
    const human = await kindred(['group', 'messages', groupId, ...owner]);
    expect(human.stdout).toContain('[content warning: Graphic medical image] (hidden');
    expect(human.stdout).not.toContain('my wound');
    const revealed = jsonLines(
      await kindred(['group', 'messages', groupId, '--reveal', ...owner, '--json']),
    );
    expect(revealed[0]).toMatchObject({
      warning: 'Graphic medical image',
      text: 'the photo of my wound',
    });

    const policy = jsonLines(
      await kindred([
        'group',
        'policy',
        groupId,
        '--image-warnings',
        'required',
        ...owner,
        '--json',
      ]),
    );
    expect(policy[0]).toMatchObject({ event: 'group-policy-changed', requireImageWarnings: true });
    jsonLines(await kindred(['sync', ...ana, '--json']));
    const atAna = await kindred(['group', 'policy', groupId, ...ana]);
    expect(atAna.stdout).toContain('image warnings required');
  }, 300_000);

  it('sync prints warned messages covered unless --reveal, and group messages and sync show attachment ids', async () => {
    const [owner, ana] = await Promise.all([home('Oona'), home('Anders')]);
    const created = jsonLines(await kindred(['group', 'create', 'Scans', ...owner, '--json']));
    const groupId = String(created[0]?.group);
    const invite = jsonLines(
      await kindred(['group', 'invite', groupId, '--uses', '1', ...owner, '--json']),
    );
    jsonLines(await kindred(['group', 'join', String(invite[0]?.link), ...ana, '--json']));
    jsonLines(await kindred(['sync', ...owner, '--json']));
    jsonLines(await kindred(['sync', ...ana, '--json']));
    // A 1:1 contact too: the owner invites Anders.
    const contactInvite = jsonLines(await kindred(['invite', ...owner, '--json']));
    jsonLines(
      await kindred([
        'contact',
        'add',
        String(contactInvite[0]?.link),
        '--alias',
        'oona',
        ...ana,
        '--json',
      ]),
    );
    jsonLines(await kindred(['sync', ...owner, '--json']));

    const photo = path.join(await dirs.make('cli-warnings-files'), 'rash.png');
    await sharp(randomBytes(24 * 16 * 3), { raw: { width: 24, height: 16, channels: 3 } })
      .png()
      .toFile(photo);
    const withFile = jsonLines(
      await kindred(['group', 'send', groupId, 'my rash', '--attach', photo, ...ana, '--json']),
    );
    const fileId = `${String(withFile[0]?.messageId)}.1`;
    jsonLines(
      await kindred([
        'group',
        'send',
        groupId,
        'the open wound',
        '--warning',
        'Graphic medical image',
        '--attach',
        photo,
        ...ana,
        '--json',
      ]),
    );
    jsonLines(
      await kindred([
        'send',
        'oona',
        'what the doctor said',
        '--warning',
        'Loss',
        ...ana,
        '--json',
      ]),
    );

    const synced = await kindred(['sync', ...owner]);
    expect(synced.code, synced.stderr).toBe(0);
    // Sent without --keep-names: the file travels under a neutral name, not `rash.png`.
    expect(synced.stdout).toContain(`attachment ${fileId}: image.png`);
    expect(synced.stdout).toContain('[content warning: Graphic medical image] (hidden');
    expect(synced.stdout).toContain('[content warning: Loss] (hidden');
    expect(synced.stdout).not.toContain('open wound');
    expect(synced.stdout).not.toContain('doctor');
    // Only one file is named: the covered message hides its file.
    expect(synced.stdout.match(/attachment [0-9a-f]{32}\.1/g)).toHaveLength(1);

    const listed = await kindred(['group', 'messages', groupId, ...owner]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`attachment ${fileId}: image.png`);
    const records = jsonLines(await kindred(['group', 'messages', groupId, ...owner, '--json']));
    expect(records.find((r) => r.text === 'my rash')).toMatchObject({
      attachments: [expect.objectContaining({ id: fileId, name: 'image.png' })],
    });
    expect(records.find((r) => r.warning !== null)).not.toHaveProperty('attachments');
    const out = path.join(await dirs.make('cli-warnings-out'), 'saved.png');
    jsonLines(await kindred(['attachment', 'save', fileId, '--out', out, ...owner, '--json']));
    expect((await stat(out)).size).toBeGreaterThan(0);
    expect(await sharp(out).metadata()).toMatchObject({ width: 24, height: 16 });

    // JSON live output: covered (text null) by default, uncovered with --reveal.
    jsonLines(
      await kindred([
        'group',
        'send',
        groupId,
        'second wound',
        '--warning',
        'Graphic',
        ...ana,
        '--json',
      ]),
    );
    jsonLines(await kindred(['send', 'oona', 'more news', '--warning', 'Loss', ...ana, '--json']));
    const revealed = jsonLines(await kindred(['sync', '--reveal', ...owner, '--json']));
    expect(revealed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event: 'group-message',
          text: 'second wound',
          warning: 'Graphic',
        }),
        expect.objectContaining({ event: 'message', text: 'more news', warning: 'Loss' }),
      ]),
    );
    jsonLines(
      await kindred(['send', 'oona', 'still covered', '--warning', 'Loss', ...ana, '--json']),
    );
    const covered = jsonLines(await kindred(['sync', ...owner, '--json']));
    expect(covered).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'message', text: null, warning: 'Loss' }),
      ]),
    );
  }, 400_000);
});
