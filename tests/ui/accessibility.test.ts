/**
 * axe-core on every main screen of the real window, with the system in light and in dark mode:
 * no serious or critical violation anywhere. Three people on one relay make the screens real:
 * Cee's first run and restore screens; Ana and Bo's 1:1 chat with a reply, a reaction, a photo and
 * a warned message, the contact screen and the safety number; Ana's moderated group with Bo in
 * it, Cee's join request and Bo's report; settings, backup, search and the lock screen. Chats and
 * groups are set up through the vaults' own desktop service (the calls the window makes); what is
 * checked is what the window then shows.
 */
import sharp from 'sharp';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TempDirs } from '../integration/helpers.js';
import { expectAccessibleInBothThemes, expectNoSeriousAxeViolations } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  PASSPHRASE,
  POLL,
  chatList,
  dialog,
  firstRun,
  messageAction,
  messageItem,
  openChat,
  openSection,
  send,
} from './windowSteps.js';

const GROUP = 'Marfan Friends';
const HELLO = 'Hello Ana, Bo here. How was the echo appointment?';
const ANSWER = 'It went well, thank you. The aorta is stable this year.';
const THANKS = 'That is such good news.';
const WARNED = 'The scar from the surgery, in case you want to see it.';
const WARNING = 'Medical image';
const WELCOME = 'Welcome, everyone. Introduce yourselves when you feel ready.';
const BO_POST = 'Hi all, I am Bo, newly diagnosed.';

const dirs = new TempDirs();
let stage: UiStage | undefined;
let ana: Person;
let bo: Person;
let cee: Person;
let directId = '';
let groupId = '';

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo, cee] = await Promise.all([
    stage.person('Ana'),
    stage.person('Bo'),
    stage.person('Cee'),
  ]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
  await dirs.cleanup();
});

/** The mouse away from everything: a hover must not change what axe or a screenshot sees. */
async function restMouse(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
}

describe('the window, accessibility (axe-core)', () => {
  it('first run, restore and a new vault’s empty chat list', async () => {
    const relayUrl = stage?.relay.url ?? '';
    const first = Promise.all([firstRun(ana, 'Ana', relayUrl), firstRun(bo, 'Bo', relayUrl)]);

    const { page } = cee;
    await page.getByRole('heading', { name: 'Welcome to Kindred' }).waitFor();
    await expectAccessibleInBothThemes(page, 'first run');
    await page.getByRole('button', { name: 'Restore from a backup' }).click();
    await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
    await expectAccessibleInBothThemes(page, 'restore');
    await page.getByRole('button', { name: 'Set up as someone new instead' }).click();
    // The filled form, strength rated: the vault about to be created.
    await firstRun(cee, 'Cee', relayUrl, () => expectAccessibleInBothThemes(page, 'create vault'));
    await chatList(page).getByText('No chats yet.').waitFor();
    await expectAccessibleInBothThemes(page, 'chat list, empty');
    await first;
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('a 1:1 chat with a reply, a reaction, a photo and a warned message; contact and safety number', async () => {
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    const added = await bo.service.handlers['contacts.add']({ link: invite.link });
    await bo.service.handlers['conversations.send']({
      conversationId: added.conversationId,
      text: HELLO,
    });
    await expect
      .poll(async () => (await ana.service.handlers['contacts.list']({})).length, POLL)
      .toBe(1);
    directId = (await ana.service.handlers['contacts.list']({}))[0]?.conversationId ?? '';

    const { page } = ana;
    await openChat(bo.page, 'Ana');
    await openChat(page, 'Bo');
    await messageItem(page, 'Bo', HELLO).waitFor();
    await messageAction(page, 'Bo', HELLO, 'Reply');
    await send(page, 'Bo', ANSWER);
    await messageItem(bo.page, 'Ana', ANSWER).waitFor();
    await bo.service.handlers['conversations.send']({
      conversationId: added.conversationId,
      text: THANKS,
    });
    const thanks = messageItem(page, 'Bo', THANKS);
    await thanks.getByRole('button', { name: 'Add reaction' }).click();
    await thanks.getByRole('menuitem', { name: 'React with Hug' }).click();
    await thanks.getByRole('button', { name: 'Hug: 1' }).waitFor();

    // A photo, chosen with the paperclip: the composer lists it before it is sent.
    const photo = path.join(await dirs.make('ui-a11y-files'), 'scan.png');
    await writeFile(
      photo,
      await sharp({
        create: { width: 320, height: 200, channels: 3, background: '#7a9e9f' },
      })
        .png()
        .toBuffer(),
    );
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles([photo]);
    await page.getByText('Sent as image.png').waitFor();
    await restMouse(page);
    await expectAccessibleInBothThemes(page, 'composer with a file');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await messageItem(page, 'Bo', 'image.png').getByRole('button', { name: 'Open' }).waitFor();

    await bo.service.handlers['conversations.send']({
      conversationId: added.conversationId,
      text: WARNED,
      warning: WARNING,
    });
    await messageItem(page, 'Bo', `Content warning: ${WARNING}`).waitFor();
    await restMouse(page);
    await expectAccessibleInBothThemes(page, '1:1 conversation and full chat list');
    await screenshot(ana, 'a11y-01-conversation');

    // Bo's side: the photo arrived; opened full size.
    const received = messageItem(bo.page, 'Ana', 'image.png');
    await received.getByRole('button', { name: 'Open' }).click();
    await dialog(bo.page).getByRole('img', { name: 'image.png' }).waitFor();
    await expectAccessibleInBothThemes(bo.page, 'photo opened');
    await bo.page.keyboard.press('Escape');
    await dialog(bo.page).waitFor({ state: 'detached' });

    // The contact screen with an invite link, and the safety number.
    await openSection(page, 'Contacts');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await expect
      .poll(() => page.getByLabel('Your invite link').inputValue(), POLL)
      .toMatch(/^kindred:contact\//u);
    await expectAccessibleInBothThemes(page, 'contacts with an invite link');
    await openChat(page, 'Bo');
    await page.getByRole('button', { name: 'Safety number', exact: true }).click();
    await dialog(page).getByRole('heading', { name: 'Safety number with Bo' }).waitFor();
    await expectAccessibleInBothThemes(page, 'safety number');
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    expect(directId).not.toBe('');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('a moderated group: list, conversation, members, requests, reports, about, invite', async () => {
    const group = await ana.service.handlers['groups.create']({
      name: GROUP,
      description: 'For people living with Marfan syndrome and those who love them.',
      rules: 'Be kind. No selling. What is said here stays here.',
      joinByApproval: true,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ana',
    });
    groupId = group.conversationId;
    const link = await ana.service.handlers['groups.invite']({
      conversationId: groupId,
      maxUses: 5,
      expiresInHours: 1,
    });
    await bo.service.handlers['groups.join']({
      link: link.link,
      persona: 'fresh',
      pseudonym: 'Bo',
    });
    await cee.service.handlers['groups.join']({
      link: link.link,
      persona: 'fresh',
      pseudonym: 'Cee',
    });
    await expect
      .poll(
        async () =>
          (await ana.service.handlers['groups.requests']({ conversationId: groupId })).length,
        POLL,
      )
      .toBe(2);
    const boRequest = (
      await ana.service.handlers['groups.requests']({ conversationId: groupId })
    ).find((request) => request.pseudonym === 'Bo');
    await ana.service.handlers['groups.moderate']({
      conversationId: groupId,
      action: 'approve',
      member: boRequest?.address ?? '',
    });
    await ana.service.handlers['conversations.send']({ conversationId: groupId, text: WELCOME });

    const { page } = ana;
    await openSection(page, 'Groups');
    await page.getByRole('main').getByText(GROUP, { exact: true }).waitFor();
    await expectAccessibleInBothThemes(page, 'groups list');

    // Bo, a member: the group conversation; he reports nothing yet, but posts and reports.
    await openChat(bo.page, GROUP);
    await messageItem(bo.page, GROUP, WELCOME).waitFor();
    await send(bo.page, GROUP, BO_POST);
    await messageAction(bo.page, GROUP, WELCOME, 'Report');
    await dialog(bo.page).getByLabel('What is wrong with it?').fill('Testing the report screen');
    await expectAccessibleInBothThemes(bo.page, 'report dialog');
    await dialog(bo.page).getByRole('button', { name: 'Send report' }).click();
    await dialog(bo.page).waitFor({ state: 'detached' });
    await restMouse(bo.page);
    await expectAccessibleInBothThemes(bo.page, 'group conversation, member');
    await bo.page.getByRole('button', { name: 'Members', exact: true }).click();
    await bo.page.getByRole('tab', { name: 'About' }).click();
    await bo.page.getByText('What is said here stays here.').waitFor();
    await expectAccessibleInBothThemes(bo.page, 'about and rules, member');

    await openChat(page, GROUP);
    await messageItem(page, GROUP, BO_POST).waitFor();
    await restMouse(page);
    await expectAccessibleInBothThemes(page, 'group conversation, owner');
    await screenshot(ana, 'a11y-02-group-conversation');

    await page.getByRole('button', { name: 'Members', exact: true }).click();
    await page.getByRole('tab', { name: 'About' }).click();
    await page.getByRole('textbox', { name: 'Rules' }).waitFor();
    await expectAccessibleInBothThemes(page, 'about and rules');
    await page.getByRole('tab', { name: 'Members' }).click();
    await page
      .getByRole('region', { name: 'Members', exact: true })
      .getByRole('listitem')
      .filter({ hasText: 'Bo' })
      .waitFor();
    await expectAccessibleInBothThemes(page, 'members');
    await page.getByRole('tab', { name: /^Join requests/u }).click();
    await page.getByRole('button', { name: 'Approve Cee' }).waitFor();
    await expectAccessibleInBothThemes(page, 'join requests');
    await page.getByRole('tab', { name: 'Invite' }).click();
    await page.getByRole('button', { name: 'Create group invite link' }).click();
    await expect
      .poll(() => page.getByLabel('Group invite link').inputValue(), POLL)
      .toMatch(/^kindred:group\//u);
    await expectAccessibleInBothThemes(page, 'group invite');

    await openSection(page, 'Moderation');
    await page.getByRole('listitem').filter({ hasText: 'Testing the report screen' }).waitFor();
    await expectAccessibleInBothThemes(page, 'moderation reports');
    await screenshot(ana, 'a11y-03-moderation');

    await openSection(page, 'Groups');
    await page.getByRole('button', { name: 'Join a group' }).click();
    await dialog(page).getByLabel('Group invite link').waitFor();
    await expectAccessibleInBothThemes(page, 'join a group dialog');
    // Cancel, not Escape: two Escapes close together are a quick exit.
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create a group' }).click();
    await dialog(page).getByLabel('Group name').waitFor();
    await expectAccessibleInBothThemes(page, 'create a group dialog');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('settings, backup, search, personas and the lock screen', async () => {
    const { page } = ana;
    await openSection(page, 'Settings');
    await expectAccessibleInBothThemes(page, 'settings');
    const card = page.getByRole('region', { name: 'Back up' });
    await card.getByRole('radio', { name: 'A recovery key (recommended)' }).check();
    await card.getByLabel('Your passphrase').fill(PASSPHRASE);
    await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Make a backup' }).click(),
    ]);
    await card.getByLabel('Your recovery key').waitFor();
    await expectAccessibleInBothThemes(page, 'backup, recovery key');
    await card.getByRole('button', { name: 'I wrote it down' }).click();
    await card
      .getByRole('textbox', { name: /^Group \d of your key$/u })
      .first()
      .waitFor();
    await expectAccessibleInBothThemes(page, 'backup, confirm key');

    await openSection(page, 'Personas');
    await expectAccessibleInBothThemes(page, 'personas');

    await page.keyboard.press('Control+K');
    const words = dialog(page).getByRole('combobox', { name: 'Words to find' });
    await words.fill('aorta');
    await dialog(page).getByRole('option').first().waitFor();
    await expectAccessibleInBothThemes(page, 'search');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    await expectAccessibleInBothThemes(page, 'lock screen');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Welcome back, Ana' }).waitFor();
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});

describe('the window’s theme', () => {
  /** The theme in force and the page's background, as the person sees it. */
  async function worn(page: Page): Promise<{ theme: string | undefined; background: string }> {
    return page.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      background: getComputedStyle(document.body).backgroundColor,
    }));
  }
  const LIGHT = { theme: 'light', background: 'rgb(246, 245, 241)' };
  const DARK = { theme: 'dark', background: 'rgb(21, 24, 26)' };

  it('follows the system by default; Light and Dark apply at once, before unlock and after a reload', async () => {
    const { page } = ana;
    await openSection(page, 'Settings');
    const appearance = page.getByRole('region', { name: 'Appearance' });
    const choice = (name: string) => appearance.getByRole('radio', { name, exact: true });
    expect(await choice('Follow the system').isChecked()).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => worn(page), POLL).toEqual(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => worn(page), POLL).toEqual(LIGHT);

    // Dark on a light system, and Light on a dark one: each at once, each axe-clean.
    await choice('Dark').check();
    await expect.poll(() => worn(page), POLL).toEqual(DARK);
    await restMouse(page);
    await expectNoSeriousAxeViolations(page, 'settings, Dark chosen, light system');
    await screenshot(ana, 'a11y-20-theme-dark');
    await page.emulateMedia({ colorScheme: 'dark' });
    await choice('Light').check();
    await expect.poll(() => worn(page), POLL).toEqual(LIGHT);
    await expectNoSeriousAxeViolations(page, 'settings, Light chosen, dark system');
    await page.emulateMedia({ colorScheme: 'light' });

    // Kept on this computer: the lock screen wears it, and so does the page after a reload.
    await choice('Dark').check();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    expect(await worn(page)).toEqual(DARK);
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    expect(await worn(page)).toEqual(DARK);
    await expectNoSeriousAxeViolations(page, 'lock screen, Dark chosen, light system');
    await screenshot(ana, 'a11y-21-theme-dark-unlock');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Welcome back, Ana' }).waitFor();
    await openSection(page, 'Settings');
    expect(await choice('Dark').isChecked()).toBe(true);
    await choice('Follow the system').check();
    await expect.poll(() => worn(page), POLL).toEqual(LIGHT);
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});

describe('the window at 200% zoom', () => {
  it('keeps the group chat usable and names on one line', async () => {
    // Zoom as a person sets it (Ctrl and +), not deviceScaleFactor alone (sharper pixels, the same
    // layout) nor CDP's page scale factor (a pinch: a magnifier over an unchanged layout). At
    // 200%, Chromium lays a 1280×800 window out in 640×400 CSS pixels, each drawn 2×2: exactly a
    // 640×400 viewport at deviceScaleFactor 2. Ana opens it in a second window on her dev host.
    const browser = ana.context.browser();
    if (browser === null) throw new Error('Ana’s page has no browser');
    const context = await browser.newContext({
      viewport: { width: 640, height: 400 },
      deviceScaleFactor: 2,
      locale: 'en-GB',
      colorScheme: 'light',
    });
    try {
      const page = await context.newPage();
      const zoomed: Person = { ...ana, name: 'Ana at 200%', context, page };
      await page.goto(ana.host.url);
      await page.getByRole('heading', { name: 'Welcome back, Ana' }).waitFor();
      await openChat(page, GROUP);
      const newest = messageItem(page, GROUP, BO_POST);
      await newest.waitFor();
      await restMouse(page);

      // The message area: at least 40% of the window's height, the newest message in it, and the
      // composer wholly on screen.
      const area = await page.locator('.message-scroller').boundingBox();
      expect(area?.height ?? 0).toBeGreaterThanOrEqual(160);
      const last = await newest.boundingBox();
      expect(last).not.toBeNull();
      expect(last?.y ?? -1).toBeGreaterThanOrEqual(area?.y ?? 0);
      expect((last?.y ?? 0) + (last?.height ?? 0)).toBeLessThanOrEqual(
        (area?.y ?? 0) + (area?.height ?? 0) + 1,
      );
      const field = await page.getByLabel('Write a message').boundingBox();
      const send = await page.getByRole('button', { name: 'Send', exact: true }).boundingBox();
      for (const box of [field, send]) {
        expect(box).not.toBeNull();
        expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(400);
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(640);
      }
      await screenshot(zoomed, 'a11y-10-zoom-200-group-chat');
      expect(await lineCounts(chatList(page).getByRole('button'))).toEqual([1, 1]);
      await expectNoSeriousAxeViolations(page, 'group chat at 200%');

      await page.getByRole('button', { name: 'Members', exact: true }).click();
      const members = page.getByRole('region', { name: 'Members', exact: true });
      await members.getByText('Bo', { exact: true }).waitFor();
      await screenshot(zoomed, 'a11y-11-zoom-200-members');
      expect(await lineCounts(members.getByRole('listitem').locator('.row-title'))).toEqual([1, 1]);
      await expectNoSeriousAxeViolations(page, 'members at 200%');
      // A chat row's focus ring goes round the whole row, not only round its title.
      await chatList(page).getByRole('button', { name: GROUP }).focus();
      await page.keyboard.press('ArrowDown');
      await screenshot(zoomed, 'a11y-12-zoom-200-chat-focus');
      // The whole row opens its chat, not only the title: a press on the preview line.
      const preview = await chatList(page)
        .getByText(`Content warning: ${WARNING}`, { exact: true })
        .boundingBox();
      await page.mouse.click((preview?.x ?? 0) + 10, (preview?.y ?? 0) + 5);
      await page.getByRole('heading', { level: 1, name: 'Bo', exact: true }).waitFor();
    } finally {
      await context.close();
    }
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});

/** How many lines each element's text takes (its height over its line height). */
async function lineCounts(elements: Locator): Promise<number[]> {
  return elements.evaluateAll((nodes) =>
    nodes.map((node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      const lineHeight = Number.parseFloat(getComputedStyle(node).lineHeight);
      return Math.round(range.getBoundingClientRect().height / lineHeight);
    }),
  );
}
