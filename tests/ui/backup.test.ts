/**
 * Back up and restore in the real window: Ana and Bo chat 1:1 and in a group; Ana backs up in
 * Settings with a recovery key (read from the screen, once, and confirmed by retyping two of its
 * groups), and the browser downloads the file; they keep chatting; Ana's computer is lost. On a
 * NEW dev host with an empty home, the first screen's "Restore from a backup" takes the file: a
 * tampered copy and a wrong key each give their sentence, the file stays chosen, and the right
 * key restores. Ana sees her history and the "secure session renewed" line in the 1:1 chat and
 * the group, and both sides carry on in both. Setting up the chats goes through the vaults' own
 * desktop service (the calls the window makes); the backup and the restore are done in the window.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  PASSPHRASE,
  POLL,
  firstRun,
  messageItem,
  openChat,
  openSection,
  send,
} from './windowSteps.js';
import { TempDirs } from '../integration/helpers.js';

const GROUP = 'Lupus Evenings';
const BEFORE_DIRECT = 'Did the new dose help with the joint pain?';
const BEFORE_GROUP = 'Tonight we talk about sleep and fatigue.';
const AFTER_DIRECT = 'Still here while you back up.';
const AFTER_GROUP = 'Posting after Ana’s backup.';
const RENEWED = 'Secure session renewed';
const NEW_COMPUTER_PASSPHRASE = 'copper meadow whistle ninety orchard';

const dirs = new TempDirs();
let stage: UiStage | undefined;
let ana: Person;
let bo: Person;
/** Ana on her new computer: a new dev host over an empty home. */
let anaNew: Person;
let directId = '';
let boDirectId = '';
let groupId = '';
let backupFile = '';
let tamperedFile = '';
let recoveryKey = '';

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo] = await Promise.all([stage.person('Ana'), stage.person('Bo')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
  await dirs.cleanup();
});

/** Waits until `person`'s conversation holds an entry whose text starts with `text`. */
async function waitForEntry(person: Person, conversationId: string, text: string) {
  await expect
    .poll(
      async () =>
        (await person.service.handlers['conversations.messages']({ conversationId })).some(
          (message) => message.text.startsWith(text),
        ),
      POLL,
    )
    .toBe(true);
}

describe('the window, backup and restore', () => {
  it('Ana and Bo chat 1:1 and in a group', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    boDirectId = (await bo.service.handlers['contacts.add']({ link: invite.link })).conversationId;
    await bo.service.handlers['conversations.send']({
      conversationId: boDirectId,
      text: BEFORE_DIRECT,
    });
    const group = await ana.service.handlers['groups.create']({
      name: GROUP,
      description: '',
      rules: 'Be kind.',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ana',
    });
    groupId = group.conversationId;
    const link = await ana.service.handlers['groups.invite']({
      conversationId: groupId,
      maxUses: 1,
      expiresInHours: 1,
    });
    await bo.service.handlers['groups.join']({
      link: link.link,
      persona: 'fresh',
      pseudonym: 'Bo',
    });
    await ana.service.handlers['conversations.send']({
      conversationId: groupId,
      text: BEFORE_GROUP,
    });
    await expect
      .poll(async () => (await ana.service.handlers['contacts.list']({})).length, POLL)
      .toBe(1);
    directId = (await ana.service.handlers['contacts.list']({}))[0]?.conversationId ?? '';
    await waitForEntry(ana, directId, BEFORE_DIRECT);
    await waitForEntry(bo, groupId, BEFORE_GROUP);
  });

  it('Ana backs up in Settings: the key is shown once and confirmed by retyping', async () => {
    const { page } = ana;
    await openSection(page, 'Settings');
    const card = page.getByRole('region', { name: 'Back up' });
    expect(await card.textContent()).toContain('every persona, contact, group and message');
    await card.getByRole('radio', { name: 'A recovery key (recommended)' }).check();
    await card.getByLabel('Your passphrase').fill(PASSPHRASE);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Make a backup' }).click(),
    ]);
    backupFile = path.join(await dirs.make('ui-backup'), download.suggestedFilename());
    await download.saveAs(backupFile);
    expect(download.suggestedFilename()).toMatch(/^kindred-\d{4}-\d{2}-\d{2}\.backup$/u);

    const keyField = card.getByLabel('Your recovery key');
    await keyField.waitFor();
    recoveryKey = await keyField.inputValue();
    expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/u);
    await card.getByText('This is the only time Kindred shows it').waitFor();
    await screenshot(ana, '40-backup-recovery-key');

    // "I wrote it down" asks for two groups of the key, typed again.
    await card.getByRole('button', { name: 'I wrote it down' }).click();
    const fields = card.getByRole('textbox', { name: /^Group \d of your key$/u });
    await expect.poll(() => fields.count(), POLL).toBe(2);
    expect(await keyField.count()).toBe(0);
    const groups = recoveryKey.split('-');
    const asked: number[] = [];
    for (let n = 0; n < 2; n++) {
      const label = (await fields.nth(n).getAttribute('id')) ?? '';
      const text = await card.locator(`label[for="${label}"]`).textContent();
      asked.push(Number(/Group (\d)/u.exec(text ?? '')?.[1]));
    }
    await screenshot(ana, '45-backup-confirm-key');
    await fields.nth(0).fill('ZZZZ');
    await fields.nth(1).fill(groups[(asked[1] ?? 1) - 1] ?? '');
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card
      .getByRole('alert')
      .filter({ hasText: `does not match group ${asked[0]}` })
      .waitFor();
    await fields.nth(0).fill((groups[(asked[0] ?? 1) - 1] ?? '').toLowerCase());
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card
      .getByRole('status')
      .filter({ hasText: `Backup saved as ${download.suggestedFilename()}` })
      .waitFor();
    await screenshot(ana, '47-backup-done');
    // Gone from the screen for good.
    expect(await card.getByLabel('Your recovery key').count()).toBe(0);
    expect(await page.content()).not.toContain(recoveryKey);
    const bytes = await readFile(backupFile);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('KDBACKUP');
    // A copy with one byte flipped inside its sealed stream: a damaged file.
    const tampered = Buffer.from(bytes);
    const at = tampered.length - 500;
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    tamperedFile = path.join(path.dirname(backupFile), 'tampered.backup');
    await writeFile(tamperedFile, tampered);
  });

  it('they keep chatting, then Ana’s computer is lost', async () => {
    await bo.service.handlers['conversations.send']({
      conversationId: boDirectId,
      text: AFTER_DIRECT,
    });
    await bo.service.handlers['conversations.send']({ conversationId: groupId, text: AFTER_GROUP });
    await waitForEntry(ana, directId, AFTER_DIRECT);
    await waitForEntry(ana, groupId, AFTER_GROUP);
    await ana.service.close();
  });

  it('a new computer restores from the file: a damaged file and a wrong key say so', async () => {
    if (stage === undefined) throw new Error('no stage');
    anaNew = await stage.person('AnaNew');
    const { page } = anaNew;
    await page.getByRole('heading', { name: 'Welcome to Kindred' }).waitFor();
    const restoreButton = page.getByRole('button', { name: 'Restore from a backup' });
    await restoreButton.scrollIntoViewIfNeeded();
    await screenshot(anaNew, '46-first-run-restore-choice');
    await restoreButton.click();
    await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();

    // The damaged copy first, with the right key.
    await page.getByLabel('Backup file').setInputFiles(tamperedFile);
    const keyField = page.getByRole('textbox', { name: 'Recovery key' });
    await keyField.waitFor();
    // Typed loosely (lower case, no dashes), shown in groups of four.
    await keyField.pressSequentially(recoveryKey.replace(/-/gu, '').toLowerCase());
    expect(await keyField.inputValue()).toBe(recoveryKey);
    await page.getByRole('status').filter({ hasText: 'checksum matches' }).waitFor();
    await page
      .getByLabel('Passphrase for this computer', { exact: true })
      .fill(NEW_COMPUTER_PASSPHRASE);
    await page.getByLabel('Type it again').fill(NEW_COMPUTER_PASSPHRASE);
    const meter = page.getByRole('meter', { name: 'Strength' });
    await expect
      .poll(() => meter.getAttribute('aria-valuetext'), POLL)
      .toMatch(/^(Strong|Very strong)$/u);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'This backup file is damaged or incomplete. Nothing was restored.' })
      .waitFor();

    // The real file; a typo is caught as it is typed, before anything is tried.
    await page.getByLabel('Backup file').setInputFiles(backupFile);
    await page.getByText(`${path.basename(backupFile)}: a Kindred backup`).waitFor();
    const last = recoveryKey.endsWith('0') ? '1' : '0';
    await keyField.fill(recoveryKey.slice(0, -1) + last);
    await page.getByRole('status').filter({ hasText: 'That recovery key has a typo' }).waitFor();
    await keyField.fill(recoveryKey.slice(0, 10));
    await page.getByText('8 of 36 characters.').waitFor();
    await screenshot(anaNew, '41-restore-screen');

    // A well-formed key of another backup: the checksum passes, the backup does not open.
    const otherKey =
      (
        await bo.service.handlers['backup.create']({
          protection: 'recovery-key',
          passphrase: PASSPHRASE,
        })
      ).recoveryKey ?? '';
    await keyField.fill(otherKey);
    await page.getByRole('status').filter({ hasText: 'checksum matches' }).waitFor();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'That recovery key does not open this backup' })
      .waitFor();
    await screenshot(anaNew, '42-restore-wrong-key');

    // The file stays chosen: the right key is all it takes now.
    await keyField.fill(recoveryKey);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('heading', { name: 'Welcome back, Rowan' }).waitFor();
  });

  it('after the restore Ana sees her history and the renewal line in 1:1 and the group', async () => {
    const { page } = anaNew;
    await openChat(page, 'Sky');
    await messageItem(page, 'Sky', BEFORE_DIRECT).waitFor();
    await messageItem(page, 'Sky', RENEWED).waitFor();
    await openChat(page, GROUP);
    await messageItem(page, GROUP, BEFORE_GROUP).waitFor();
    await messageItem(page, GROUP, `${RENEWED} (you restored from a backup).`).waitFor();
    await screenshot(anaNew, '43-restored-group');
  });

  it('both sides carry on, 1:1 and in the group, and Bo sees the renewal lines', async () => {
    await send(anaNew.page, GROUP, 'Back on my new computer.');
    await waitForEntry(bo, groupId, 'Back on my new computer.');
    await openChat(anaNew.page, 'Sky');
    await send(anaNew.page, 'Sky', 'Hello from the new laptop.');
    await waitForEntry(bo, boDirectId, 'Hello from the new laptop.');

    const { page } = bo;
    await openChat(page, 'Rowan');
    await messageItem(page, 'Rowan', RENEWED).waitFor();
    await messageItem(page, 'Rowan', 'Hello from the new laptop.').waitFor();
    await send(page, 'Rowan', 'Good to have you back.');
    await openChat(page, GROUP);
    await messageItem(page, GROUP, `${RENEWED} (Ana restored from a backup).`).waitFor();
    await messageItem(page, GROUP, 'Back on my new computer.').waitFor();
    await send(page, GROUP, 'Welcome back, Ana.');
    await screenshot(bo, '44-bo-group-renewed');

    await messageItem(anaNew.page, 'Sky', 'Good to have you back.').waitFor();
    await openChat(anaNew.page, GROUP);
    await messageItem(anaNew.page, GROUP, 'Welcome back, Ana.').waitFor();
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);
});
