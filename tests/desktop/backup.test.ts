// Settings → Back up and first run → Restore, through the service's calls (the router checks
// args as for the window), with real vaults, a real relay and real files: the backup crosses in
// pieces under the bridge's limit, a restore is refused wherever a vault exists, every core
// failure keeps the staged file for another try, and after a restore both sides see the
// "secure session renewed" line in their 1:1 chat and their group.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode } from '../../core/index.js';
import { DEV_HOST_DEFAULTS } from '../../desktop/devhost/devHost.main.js';
import type { ChooseBackupFile } from '../../desktop/main/VaultBackups.main.js';
import { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { BackupMadeView, ConversationId, MessageView } from '../../desktop/shared/api.std.js';
import { BACKUP_CHUNK_BYTES, DesktopErrorCode } from '../../desktop/shared/api.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { EventLog, PASSPHRASE, call, callError } from './desktopHelpers.js';

const NEW_PASSPHRASE = 'a new computer, a new passphrase';

const dirs = new TempDirs();
let relay: RunningRelay;
const services: DesktopService[] = [];

async function service(
  options: { chooseBackupFile?: ChooseBackupFile; maxRestoreBytes?: number } = {},
): Promise<{ service: DesktopService; home: string; transfers: string }> {
  const home = await dirs.make('backup-home');
  const transfers = await dirs.make('backup-transfers');
  const made = new DesktopService({
    home,
    defaultRelayUrl: relay.url,
    kdf: 'insecure-fast',
    clientOptions: TEST_CLIENT_OPTIONS,
    transferDir: transfers,
    ...options,
  });
  services.push(made);
  return { service: made, home, transfers };
}

/** Every file under `dir`, recursively (the transfers folder holds one private folder). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/** Reads a backup waiting for download, piece by piece, as the window does. */
async function download(target: DesktopService, made: BackupMadeView): Promise<Uint8Array> {
  const backupId = made.backupId ?? '';
  const pieces: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const piece = await call(target, 'backup.read', { backupId, offset });
    const bytes = Buffer.from(piece.data, 'base64');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThanOrEqual(BACKUP_CHUNK_BYTES);
    pieces.push(bytes);
    offset += bytes.length;
    if (piece.done) break;
  }
  return new Uint8Array(Buffer.concat(pieces));
}

/** Sends a backup file to a first-run service, piece by piece; returns the staging id. */
async function stage(target: DesktopService, bytes: Uint8Array): Promise<string> {
  const { stagingId } = await call(target, 'restore.begin', { size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += BACKUP_CHUNK_BYTES) {
    const piece = Buffer.from(bytes.subarray(offset, offset + BACKUP_CHUNK_BYTES));
    const { received } = await call(target, 'restore.append', {
      stagingId,
      offset,
      data: piece.toString('base64'),
    });
    expect(received).toBe(offset + piece.length);
  }
  return stagingId;
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('desktop backup and restore calls', () => {
  let ada: DesktopService;
  let ben: DesktopService;
  let benEvents: EventLog;
  let adaTransfers: string;
  let contactId: ConversationId;
  let benContactId: ConversationId;
  let groupId: ConversationId;
  let made: BackupMadeView;
  let backup: Uint8Array;

  it('two people chat 1:1 and in a group', async () => {
    const a = await service();
    ada = a.service;
    adaTransfers = a.transfers;
    ben = (await service()).service;
    benEvents = new EventLog(ben);
    for (const [who, pseudonym] of [
      [ada, 'Ada'],
      [ben, 'Ben'],
    ] as const) {
      await call(who, 'app.create', { pseudonym, passphrase: PASSPHRASE, relayUrl: relay.url });
    }
    const invite = await call(ada, 'contacts.createInvite', { maxUses: 1, expiresInHours: 1 });
    benContactId = (await call(ben, 'contacts.add', { link: invite.link })).conversationId;
    await call(ben, 'conversations.send', { conversationId: benContactId, text: 'hello Ada' });
    await waitFor(
      async () => (await call(ada, 'contacts.list', {})).length === 1,
      15_000,
      'Ada has Ben as a contact',
    );
    contactId = (await call(ada, 'contacts.list', {}))[0]?.conversationId ?? '';
    const group = await call(ada, 'groups.create', {
      name: 'Backup circle',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada in the circle',
    });
    groupId = group.conversationId;
    const link = await call(ada, 'groups.invite', {
      conversationId: groupId,
      maxUses: 1,
      expiresInHours: 1,
    });
    await call(ben, 'groups.join', { link: link.link, persona: 'fresh', pseudonym: 'Ben' });
    await call(ada, 'conversations.send', { conversationId: groupId, text: 'welcome, Ben' });
    await waitFor(
      async () =>
        (await call(ben, 'conversations.messages', { conversationId: groupId })).some(
          (message) => message.text === 'welcome, Ben',
        ),
      15_000,
      'Ben reads the group',
    );
  });

  it('refuses bad arguments before anything runs', async () => {
    const refusals = [
      { method: 'backup.create', args: { protection: 'recovery-key' } },
      { method: 'backup.create', args: { protection: 'paper', passphrase: PASSPHRASE } },
      { method: 'backup.read', args: { backupId: 'not-an-id', offset: 0 } },
      { method: 'backup.read', args: { backupId: '0'.repeat(32), offset: -1 } },
      { method: 'restore.begin', args: { size: 0 } },
      { method: 'restore.append', args: { stagingId: '0'.repeat(32), offset: 0, data: '%%%%' } },
      {
        method: 'restore.append',
        args: { stagingId: '0'.repeat(32), offset: 0, data: 'A'.repeat(50_000) },
      },
      { method: 'restore.run', args: { stagingId: '0'.repeat(32), secret: '', passphrase: 'x' } },
      { method: 'backup.checkKey', args: { key: 'K'.repeat(201) } },
    ];
    for (const payload of refusals) {
      expect((await callError(ada, payload)).code, payload.method).toBe(
        DesktopErrorCode.InvalidArgs,
      );
    }
    const none = { backupId: '0'.repeat(32), offset: 0 };
    expect((await callError(ada, { method: 'backup.read', args: none })).code).toBe(
      DesktopErrorCode.NoSuchTransfer,
    );
    expect(
      (await callError(ada, { method: 'backup.discard', args: { backupId: '0'.repeat(32) } })).code,
    ).toBe(DesktopErrorCode.NoSuchTransfer);
  });

  it('needs the vault passphrase to back up', async () => {
    const error = await callError(ada, {
      method: 'backup.create',
      args: { protection: 'recovery-key', passphrase: 'not the passphrase' },
    });
    expect(error.code).toBe(CoreErrorCode.WrongPassphrase);
    expect(await filesUnder(adaTransfers)).toEqual([]);
  });

  it('makes a backup for download and hands it over in pieces under the bridge limit', async () => {
    const events = new EventLog(ada);
    made = await call(ada, 'backup.create', { protection: 'recovery-key', passphrase: PASSPHRASE });
    events.stop();
    expect(made).toMatchObject({ protection: 'recovery-key', saved: 'download' });
    expect(made.fileName).toMatch(/^kindred-\d{4}-\d{2}-\d{2}\.backup$/u);
    expect(made.recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/u);
    expect(made.records).toBeGreaterThan(10);
    expect(
      events.events.some((event) => event.type === 'backup-progress' && event.bytes === made.bytes),
    ).toBe(true);
    backup = await download(ada, made);
    expect(backup.length).toBe(made.bytes);
    expect(backup.length).toBeGreaterThan(BACKUP_CHUNK_BYTES);
    expect(Buffer.from(backup.subarray(0, 8)).toString('latin1')).toBe('KDBACKUP');
    // The largest piece the window sends fits a dev host message with room to spare.
    const largest = JSON.stringify({
      type: 'call',
      id: Number.MAX_SAFE_INTEGER,
      call: {
        method: 'restore.append',
        args: {
          stagingId: '0'.repeat(32),
          offset: Number.MAX_SAFE_INTEGER,
          data: Buffer.alloc(BACKUP_CHUNK_BYTES).toString('base64'),
        },
      },
    });
    expect(largest.length).toBeLessThan(DEV_HOST_DEFAULTS.maxMessageBytes);
    const pastEnd = await callError(ada, {
      method: 'backup.read',
      args: { backupId: made.backupId, offset: made.bytes },
    });
    expect(pastEnd.code).toBe(DesktopErrorCode.BadChunk);
    expect(await filesUnder(adaTransfers)).toHaveLength(1);
    await call(ada, 'backup.discard', { backupId: made.backupId ?? '' });
    expect(await filesUnder(adaTransfers)).toEqual([]);
    const gone = await callError(ada, {
      method: 'backup.read',
      args: { backupId: made.backupId, offset: 0 },
    });
    expect(gone.code).toBe(DesktopErrorCode.NoSuchTransfer);
  });

  it('checks a recovery key as typed', async () => {
    const key = made.recoveryKey ?? '';
    const typed = key.replace(/-/gu, ' ').toLowerCase();
    expect(await call(ada, 'backup.checkKey', { key: typed })).toEqual({ formatted: key });
    const last = key.at(-1) === '0' ? '1' : '0';
    const typo = await callError(ada, {
      method: 'backup.checkKey',
      args: { key: key.slice(0, -1) + last },
    });
    expect(typo.code).toBe(CoreErrorCode.BackupKeyMalformed);
    expect(typo.message).toMatch(/typo/u);
  });

  it('refuses to restore wherever a vault exists, unlocked or locked', async () => {
    for (const phase of ['unlocked', 'locked'] as const) {
      if (phase === 'locked') await call(ada, 'app.lock', {});
      const error = await callError(ada, {
        method: 'restore.begin',
        args: { size: backup.length },
      });
      expect(error.code, phase).toBe(DesktopErrorCode.WrongPhase);
      expect(error.message).toMatch(/new, empty home folder/u);
    }
    expect(await filesUnder(adaTransfers)).toEqual([]);
    expect((await call(ada, 'app.unlock', { passphrase: PASSPHRASE })).phase).toBe('unlocked');
    const locked = (await service()).service;
    const notYet = await callError(locked, {
      method: 'backup.create',
      args: { protection: 'recovery-key', passphrase: PASSPHRASE },
    });
    expect(notYet.code).toBe(DesktopErrorCode.Locked);
  });

  it('stages a file only in order and within its size', async () => {
    const { service: fresh, transfers } = await service({ maxRestoreBytes: backup.length });
    const tooLarge = await callError(fresh, {
      method: 'restore.begin',
      args: { size: backup.length + 1 },
    });
    expect(tooLarge.code).toBe(DesktopErrorCode.TooLarge);
    const { stagingId } = await call(fresh, 'restore.begin', { size: backup.length });
    const piece = (from: number, to: number) =>
      Buffer.from(backup.subarray(from, to)).toString('base64');
    const skipped = await callError(fresh, {
      method: 'restore.append',
      args: { stagingId, offset: 10, data: piece(10, 20) },
    });
    expect(skipped.code).toBe(DesktopErrorCode.BadChunk);
    await call(fresh, 'restore.append', { stagingId, offset: 0, data: piece(0, 30) });
    const again = await callError(fresh, {
      method: 'restore.append',
      args: { stagingId, offset: 0, data: piece(0, 30) },
    });
    expect(again.code).toBe(DesktopErrorCode.BadChunk);
    const early = await callError(fresh, { method: 'restore.inspect', args: { stagingId } });
    expect(early.code).toBe(DesktopErrorCode.BadChunk);
    const notWhole = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId, secret: made.recoveryKey, passphrase: NEW_PASSPHRASE },
    });
    expect(notWhole.code).toBe(DesktopErrorCode.BadChunk);
    const other = await callError(fresh, {
      method: 'restore.append',
      args: { stagingId: 'f'.repeat(32), offset: 30, data: piece(30, 60) },
    });
    expect(other.code).toBe(DesktopErrorCode.NoSuchTransfer);
    expect(await filesUnder(transfers)).toHaveLength(1);
    await call(fresh, 'restore.discard', { stagingId });
    expect(await filesUnder(transfers)).toEqual([]);
    expect((await call(fresh, 'app.state', {})).phase).toBe('first-run');
  });

  it('a tampered file, a malformed key and a wrong key fail with their codes and keep the file', async () => {
    const { service: fresh, home, transfers } = await service();
    const tampered = Uint8Array.from(backup);
    const middle = tampered.length - 1000;
    tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
    const tamperedId = await stage(fresh, tampered);
    expect(await call(fresh, 'restore.inspect', { stagingId: tamperedId })).toEqual({
      protection: 'recovery-key',
    });
    const corrupt = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId: tamperedId, secret: made.recoveryKey, passphrase: NEW_PASSPHRASE },
    });
    expect(corrupt.code).toBe(CoreErrorCode.BackupCorrupt);
    expect(await readdir(home)).toEqual([]);

    const stagingId = await stage(fresh, backup);
    const key = made.recoveryKey ?? '';
    const malformed = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId, secret: key.slice(0, -2), passphrase: NEW_PASSPHRASE },
    });
    expect(malformed.code).toBe(CoreErrorCode.BackupKeyMalformed);
    // A well-formed key of another backup: the checksum passes, the key check does not.
    const otherKey = (
      await call(ben, 'backup.create', { protection: 'recovery-key', passphrase: PASSPHRASE })
    ).recoveryKey;
    const wrong = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId, secret: otherKey, passphrase: NEW_PASSPHRASE },
    });
    expect(wrong.code).toBe(CoreErrorCode.BackupWrongKey);
    expect(wrong.message).toMatch(/does not open this backup/u);
    expect(await readdir(home)).toEqual([]);
    expect((await call(fresh, 'app.state', {})).phase).toBe('first-run');
    // The staged file is still there: the right key now restores it.
    expect(await filesUnder(transfers)).toHaveLength(1);
    expect(await call(fresh, 'restore.inspect', { stagingId })).toEqual({
      protection: 'recovery-key',
    });
    await fresh.close();
  });

  it('a passphrase-protected backup says so, and Electron saves where the person chose', async () => {
    const chosen = path.join(await dirs.make('chosen'), 'my.backup');
    const answer: { path?: string } = {};
    const asked: string[] = [];
    const { service: electron } = await service({
      chooseBackupFile: (fileName) => {
        asked.push(fileName);
        return Promise.resolve(answer.path);
      },
    });
    await call(electron, 'app.create', {
      pseudonym: 'Eli',
      passphrase: PASSPHRASE,
      relayUrl: relay.url,
    });
    const cancelled = await call(electron, 'backup.create', {
      protection: 'passphrase',
      passphrase: PASSPHRASE,
    });
    expect(cancelled).toMatchObject({ saved: 'cancelled', bytes: 0 });
    expect(await readdir(path.dirname(chosen))).toEqual([]);
    answer.path = chosen;
    const saved = await call(electron, 'backup.create', {
      protection: 'passphrase',
      passphrase: PASSPHRASE,
    });
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/^kindred-.*\.backup$/u);
    expect(saved).toMatchObject({ saved: 'file', fileName: 'my.backup', protection: 'passphrase' });
    expect(saved.recoveryKey).toBeUndefined();
    expect(saved.backupId).toBeUndefined();
    expect((await stat(chosen)).size).toBe(saved.bytes);
    const fresh = (await service()).service;
    const stagingId = await stage(fresh, new Uint8Array(await readFile(chosen)));
    expect(await call(fresh, 'restore.inspect', { stagingId })).toEqual({
      protection: 'passphrase',
    });
    const wrong = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId, secret: 'not the passphrase', passphrase: NEW_PASSPHRASE },
    });
    expect(wrong.code).toBe(CoreErrorCode.BackupWrongKey);
    await fresh.close();
  });

  let restored: DesktopService;
  let restoredHome: string;

  it('restores into an empty home at first run, opens it, and refuses a second restore', async () => {
    // The old computer is gone: its vault closes for good before the new one connects.
    await ada.close();
    const fresh = await service();
    restored = fresh.service;
    restoredHome = fresh.home;
    const stagingId = await stage(restored, backup);
    const events = new EventLog(restored);
    const state = await call(restored, 'restore.run', {
      stagingId,
      secret: (made.recoveryKey ?? '').toLowerCase(),
      passphrase: NEW_PASSPHRASE,
    });
    expect(state).toMatchObject({ phase: 'unlocked', pseudonym: 'Ada', relayUrl: relay.url });
    expect(
      events.events.some((event) => event.type === 'backup-progress' && event.stage === 'restore'),
    ).toBe(true);
    expect(await filesUnder(fresh.transfers)).toEqual([]);
    const again = await callError(restored, {
      method: 'restore.begin',
      args: { size: backup.length },
    });
    expect(again.code).toBe(DesktopErrorCode.WrongPhase);
    // The new passphrase opens it; the history came along.
    await call(restored, 'app.lock', {});
    await call(restored, 'app.unlock', { passphrase: NEW_PASSPHRASE });
    const texts = (await call(restored, 'conversations.messages', { conversationId: contactId }))
      .filter((message) => message.kind === 'message')
      .map((message) => message.text);
    expect(texts).toContain('hello Ada');
    const group = await call(restored, 'conversations.messages', { conversationId: groupId });
    expect(group.some((message) => message.text === 'welcome, Ben')).toBe(true);
    expect((await readdir(restoredHome)).length).toBeGreaterThan(0);
  });

  it('shows "secure session renewed" in the 1:1 chat and the group on both sides', async () => {
    const renewed = (messages: readonly MessageView[]) =>
      messages.filter((message) => message.kind === 'notice' && message.notice?.kind === 'renewed');
    const seen = async (who: DesktopService, conversationId: ConversationId) =>
      renewed(await call(who, 'conversations.messages', { conversationId }));
    await waitFor(
      async () => (await seen(restored, contactId)).length === 1,
      20_000,
      'the 1:1 notice on the restored side',
    );
    await waitFor(
      async () => (await seen(restored, groupId)).length === 1,
      20_000,
      'the group notice on the restored side',
    );
    expect((await seen(restored, groupId))[0]?.notice).toStrictEqual({
      kind: 'renewed',
      who: 'you',
    });
    expect((await seen(restored, contactId))[0]?.notice).toStrictEqual({ kind: 'renewed' });
    await waitFor(
      async () => (await seen(ben, benContactId)).length === 1,
      20_000,
      'the 1:1 notice on Ben’s side',
    );
    await waitFor(
      async () => (await seen(ben, groupId)).length === 1,
      20_000,
      'the group notice on Ben’s side',
    );
    expect((await seen(ben, groupId))[0]?.notice).toStrictEqual({
      kind: 'renewed',
      who: 'member',
      name: 'Ada in the circle',
    });
    expect(
      benEvents.events.some(
        (event) => event.type === 'changed' && event.conversationIds.includes(groupId),
      ),
    ).toBe(true);
    // Both sides carry on, in the 1:1 chat and in the group.
    await call(restored, 'conversations.send', { conversationId: contactId, text: 'back again' });
    await call(restored, 'conversations.send', { conversationId: groupId, text: 'I am back' });
    await waitFor(
      async () =>
        (await call(ben, 'conversations.messages', { conversationId: benContactId })).some(
          (message) => message.text === 'back again',
        ),
      20_000,
      'Ben reads the restored side 1:1',
    );
    await waitFor(
      async () =>
        (await call(ben, 'conversations.messages', { conversationId: groupId })).some(
          (message) => message.text === 'I am back',
        ),
      20_000,
      'Ben reads the restored side in the group',
    );
    // The group's notice is kept in the vault: it is still there after a lock and unlock.
    await call(restored, 'app.lock', {});
    await call(restored, 'app.unlock', { passphrase: NEW_PASSPHRASE });
    expect(await seen(restored, groupId)).toHaveLength(1);
  });

  it('a restore never writes over a vault folder that is not empty', async () => {
    const { service: fresh, home } = await service();
    const stagingId = await stage(fresh, backup);
    // Another program made a file in the home folder after the window began.
    await writeFile(path.join(home, 'somebody-elses-file'), 'keep me');
    const error = await callError(fresh, {
      method: 'restore.run',
      args: { stagingId, secret: made.recoveryKey, passphrase: NEW_PASSPHRASE },
    });
    expect(error.code).toBe(CoreErrorCode.VaultExists);
    expect(await readFile(path.join(home, 'somebody-elses-file'), 'utf8')).toBe('keep me');
    await fresh.close();
  });
});
