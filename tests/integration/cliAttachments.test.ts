// `kindred send --attach`, `kindred messages` attachment ids and `kindred attachment save`, as
// real processes against a real relay with real files.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, kindred, spawnKindred } from './kindredCommand.js';
import { sleep } from './groupHelpers.js';
import { ATTACHMENTS_FOLDER } from '../../core/client/index.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

async function home(name: string): Promise<string[]> {
  const dir = path.join(await dirs.make('cli-attach'), name);
  const init = await kindred([
    'init',
    '--name',
    name,
    '--server',
    relay.url,
    '--kdf',
    'insecure-fast',
    '--home',
    dir,
  ]);
  expect(init.code, init.stderr).toBe(0);
  return ['--home', dir, '--json'];
}

/** Alice and Bob, Bob holding Alice as the contact `alice` (and Alice holding him). */
async function pair(): Promise<[string[], string[]]> {
  const [alice, bob] = await Promise.all([home('Alice'), home('Bob')]);
  const invite = await kindred(['invite', '--uses', '1', '--expires', '24h', ...alice]);
  expect(invite.code, invite.stderr).toBe(0);
  const add = await kindred([
    'contact',
    'add',
    String(invite.records[0]?.link),
    '--alias',
    'alice',
    ...bob,
  ]);
  expect(add.code, add.stderr).toBe(0);
  expect((await kindred(['sync', '--wait', '10', ...alice])).code).toBe(0);
  return [alice, bob];
}

/** The upload leftovers in an attachments folder: cleaned copies and partial files. */
async function leftoversIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);
  return names.filter((name) => name.endsWith('.clean') || name.endsWith('.partial'));
}

describe('kindred attachments', () => {
  it(
    'send --attach, messages show the id, attachment save decrypts it; an uncleanable file needs --send-uncleaned; names are neutral unless --keep-names',
    { timeout: 300_000 },
    async () => {
      const [alice, bob] = await pair();

      const files = await dirs.make('cli-attach-files');
      // Real names that name the patient: by default they do not travel.
      const photo = path.join(files, 'Jane Patient MRI St Marys.jpg');
      await sharp(randomBytes(40 * 30 * 3), { raw: { width: 40, height: 30, channels: 3 } })
        .jpeg()
        .withExif({ IFD0: { Make: 'KindredCam', Model: 'Model-X9000' } })
        .toFile(photo);
      const notes = path.join(files, 'Jane Patient notes.dat');
      await writeFile(notes, randomBytes(300_000));

      const refused = await kindred(['send', 'alice', '--attach', notes, ...bob]);
      expectFailure(refused, 'CORE_ATTACHMENT_NOT_CLEANED');
      // The refusal says what happened and which flag sends it anyway, and no file name.
      expect(refused.stderr).toMatch(/Nothing was sent\. --send-uncleaned sends/);
      expect(refused.stderr).not.toContain('Jane');
      const sent = await kindred([
        'send',
        'alice',
        'two files',
        '--attach',
        photo,
        '--attach',
        notes,
        '--send-uncleaned',
        ...bob,
      ]);
      expect(sent.code, sent.stderr).toBe(0);
      expect(sent.stderr).toMatch(/--send-uncleaned/);
      expect(sent.stderr).toMatch(/uploading attachment 2: 100%/);
      const messageId = String(sent.records[0]?.messageId);

      expect((await kindred(['sync', '--wait', '10', ...alice])).code).toBe(0);
      const contacts = await kindred(['contacts', ...alice]);
      const bobAt = String(contacts.records[0]?.address);
      const listed = await kindred(['messages', bobAt, ...alice]);
      expect(listed.code, listed.stderr).toBe(0);
      const record = listed.records.find((r) => r.messageId === messageId);
      const attachments = record?.attachments as { id: string; name: string }[] | undefined;
      expect(attachments?.map((a) => a.id)).toEqual([`${messageId}.1`, `${messageId}.2`]);
      expect(attachments?.map((a) => a.name)).toEqual(['photo.jpg', 'file.bin']);
      expect(listed.stdout).not.toContain('Jane');

      const out = path.join(files, 'notes.out');
      const saved = await kindred(['attachment', 'save', `${messageId}.2`, '--out', out, ...alice]);
      expect(saved.code, saved.stderr).toBe(0);
      const digest = async (p: string) =>
        createHash('sha256')
          .update(await readFile(p))
          .digest('hex');
      expect(await digest(out)).toBe(await digest(notes));
      const photoOut = path.join(files, 'photo.out.jpg');
      const savedPhoto = await kindred([
        'attachment',
        'save',
        `${messageId}.1`,
        '--out',
        photoOut,
        ...alice,
      ]);
      expect(savedPhoto.code, savedPhoto.stderr).toBe(0);
      expect((await sharp(photoOut).metadata()).exif).toBeUndefined();
      expectFailure(
        await kindred(['attachment', 'save', 'nonsense', '--out', out, ...alice]),
        'CORE_INVALID_INPUT',
      );

      // --keep-names: the sender chose to send the real names.
      const kept = await kindred([
        'send',
        'alice',
        '--attach',
        photo,
        '--attach',
        photo,
        '--keep-names',
        ...bob,
      ]);
      expect(kept.code, kept.stderr).toBe(0);
      const keptId = String(kept.records[0]?.messageId);
      expect((await kindred(['sync', '--wait', '10', ...alice])).code).toBe(0);
      const again = await kindred(['messages', bobAt, ...alice]);
      const keptRecord = again.records.find((r) => r.messageId === keptId);
      expect(
        (keptRecord?.attachments as { name: string }[] | undefined)?.map((a) => a.name),
      ).toEqual(['Jane Patient MRI St Marys.jpg', 'Jane Patient MRI St Marys.jpg']);
    },
  );

  it(
    'a send killed while cleaning or encrypting leaves temporary files, and the next unlock removes them',
    { timeout: 300_000 },
    async () => {
      const [, bob] = await pair();
      const bobHome = String(bob[1]);
      const attachments = path.join(bobHome, ATTACHMENTS_FOLDER);
      const files = await dirs.make('cli-attach-crash');
      const scan = path.join(files, 'scan.png');
      // Large enough that cleaning and encrypting take a while: the kill lands in the middle.
      await sharp(randomBytes(2400 * 1800 * 3), { raw: { width: 2400, height: 1800, channels: 3 } })
        .png({ compressionLevel: 0 })
        .toFile(scan);

      let left: string[] = [];
      // Kill it as soon as a temporary file shows; if the send got past that step in between
      // (a loaded machine), try again.
      for (let attempt = 0; attempt < 5 && left.length === 0; attempt++) {
        const child = spawnKindred(['send', 'alice', 'scan', '--attach', scan, ...bob]);
        const exited = new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
        });
        const running = (): boolean => child.exitCode === null && child.signalCode === null;
        while (running() && (await leftoversIn(attachments)).length === 0) await sleep(2);
        child.kill('SIGKILL');
        await exited;
        left = await leftoversIn(attachments);
      }
      expect(left.length).toBeGreaterThan(0);
      // A download's partial ciphertext is what a restart resumes from: it stays.
      const download = path.join(attachments, `${'ab'.repeat(16)}.part`);
      await writeFile(download, randomBytes(1000));

      const contacts = await kindred(['contacts', ...bob]);
      expect(contacts.code, contacts.stderr).toBe(0);
      expect(await leftoversIn(attachments)).toEqual([]);
      expect(await readdir(attachments)).toContain(path.basename(download));
    },
  );
});
