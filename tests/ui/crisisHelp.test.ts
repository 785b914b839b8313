/**
 * "Get help now" in the real window: reachable by keyboard from every screen (Tab to the button,
 * and Ctrl+Shift+H wherever the focus is) on the first run, every section of the open vault and
 * the lock screen; the panel shows the emergency number first and each line's numbers as words
 * and tel:/sms: links with its source and date; the country picked is remembered; Arabic runs
 * right to left; the neutral screen of a quick exit shows no button. Screenshots 95 (English) and 96 (Arabic).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import { expectNoSeriousAxeViolations } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { PASSPHRASE, firstRun, openChat, openSection } from './windowSteps.js';

/** Tab presses allowed to reach the button: every control of the busiest screen, and some. */
const MAX_TABS = 40;
const AR = MESSAGES.ar;

let stage: UiStage | undefined;
let dee: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  dee = await stage.person('Dee');
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

function panel(page: Page, title = 'Get help now'): Locator {
  return page.getByRole('dialog', { name: title });
}

/** Presses Tab until the "Get help now" button has the focus; fails after MAX_TABS presses. */
async function tabToHelpButton(page: Page, name = 'Get help now'): Promise<void> {
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const active = document.activeElement;
      return active instanceof HTMLButtonElement ? active.textContent : null;
    });
    if (focused === name) return;
  }
  throw new Error(`"${name}" was not reached in ${MAX_TABS} presses of Tab`);
}

/** Ctrl+Shift+H opens the panel, Escape closes it. */
async function shortcutOpensPanel(page: Page, where: string): Promise<void> {
  await page.keyboard.press('Control+Shift+H');
  await expect(panel(page).isVisible(), where).resolves.toBe(true);
  await page.keyboard.press('Escape');
  await panel(page).waitFor({ state: 'detached' });
}

describe('the window, get help now', () => {
  it('first run: Tab reaches the button, which opens the lines of the browser region (GB)', async () => {
    const { page } = dee;
    await page.getByRole('heading', { name: 'Welcome to Kindred' }).waitFor();
    await tabToHelpButton(page);
    await page.keyboard.press('Enter');
    const help = panel(page);
    await help.waitFor();
    const emergency = help.getByRole('link', { name: 'Call 999' });
    await expect(emergency.getAttribute('href')).resolves.toBe('tel:999');
    // The emergency number comes before every line.
    const links = await help.getByRole('link').allTextContents();
    expect(links[0]).toBe('Call 999');
    expect(links).toContain('Call 116 123');
    expect(links).toContain('Text SHOUT to 85258');
    await expect(
      help.getByRole('link', { name: 'Text SHOUT to 85258' }).getAttribute('href'),
    ).resolves.toBe('sms:85258?body=SHOUT');
    await help.getByText(/^Source: www\.samaritans\.org, written down on .*\d{4}$/u).waitFor();
    await expect(help.getByLabel('Country').inputValue()).resolves.toBe('GB');
    await expectNoSeriousAxeViolations(page, 'crisis panel');
    await screenshot(dee, '95-crisis-panel-en');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // From inside a field too.
    await page.getByLabel('Pseudonym', { exact: true }).focus();
    await shortcutOpensPanel(page, 'first run, in a field');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('every section of the open vault: the shortcut, and Tab to the top bar button', async () => {
    const { page } = dee;
    await firstRun(dee, 'Wren', stage?.relay.url ?? '');
    await shortcutOpensPanel(page, 'home');
    // Every section the top bar offers, read from it, so a section added later is covered too.
    const sections = (
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('button').allInnerTexts()
    ).map((label) => label.trim());
    expect(sections).toEqual(expect.arrayContaining(['Contacts', 'Groups', 'Settings', 'Journal']));
    for (const section of sections) {
      await openSection(page, section);
      await shortcutOpensPanel(page, section);
    }
    await page.getByRole('button', { name: 'Home' }).focus();
    await tabToHelpButton(page);
    await page.keyboard.press('Enter');
    await panel(page).waitFor();
    await page.keyboard.press('Escape');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('the lock screen: the shortcut opens it, and a country picked there is remembered', async () => {
    const { page } = dee;
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    await shortcutOpensPanel(page, 'lock screen');
    await page.keyboard.press('Control+Shift+H');
    await panel(page).getByLabel('Country').selectOption('FR');
    await panel(page).getByRole('link', { name: 'Call 3114' }).waitFor();
    await page.keyboard.press('Escape');
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    await tabToHelpButton(page);
    await page.keyboard.press('Enter');
    await expect(panel(page).getByLabel('Country').inputValue()).resolves.toBe('FR');
    await expect(
      panel(page).getByRole('link', { name: 'Call 3114' }).getAttribute('href'),
    ).resolves.toBe('tel:3114');
    await page.keyboard.press('Escape');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('the crisis-language notice: off by default; on, it offers the panel once, sending nothing', async () => {
    const { page } = dee;
    await dee.service.handlers['groups.create']({
      name: 'Night Owls',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
    });
    const notice = page.getByRole('status').filter({ hasText: 'sounds like things may be' });
    const field = page.getByLabel('Write a message');
    await openChat(page, 'Night Owls');
    await field.fill('Some nights I just want to die.');
    await expect(field.inputValue()).resolves.toContain('want to die');
    await expect(notice.count(), 'off by default').resolves.toBe(0);

    await openSection(page, 'Settings');
    const setting = page.getByLabel('Offer crisis lines when what I type sounds like a crisis');
    await expect(setting.isChecked()).resolves.toBe(false);
    await setting.check();
    await openChat(page, 'Night Owls');
    // What the window sends its vault's process while the person types (the relay can only get
    // what main is asked for): nothing but the idle-lock clock's activity ping.
    await page.evaluate(() => {
      const sent: string[] = [];
      Object.assign(window, { crisisTestSent: sent });
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the socket as `this`
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        if (typeof data === 'string' && !data.includes('"app.activity"')) sent.push(data);
        send.call(this, data);
      };
    });
    await field.fill('');
    await field.pressSequentially('I want to end my life', { delay: 5 });
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Get help now' }).click();
    await panel(page).waitFor();
    await page.keyboard.press('Escape');
    await field.fill('Still thinking about suicide.');
    await expect(notice.count(), 'not offered again in this conversation').resolves.toBe(0);
    const sent = await page.evaluate(
      () => (window as unknown as { crisisTestSent: string[] }).crisisTestSent,
    );
    // Opening the panel reads the list shipped with the app from main, and in a group that
    // group's pinned resources (opened from the vault); nothing else goes out, and never the draft.
    expect(
      sent.filter(
        (frame) => !frame.includes('"crisis.directory"') && !frame.includes('"groups.resources"'),
      ),
    ).toStrictEqual([]);
    expect(sent.join('\n')).not.toContain('end my life');
    await field.fill('');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('after a quick exit: no button on the neutral screen, but the shortcut still opens the panel', async () => {
    const { page } = dee;
    await page.keyboard.press('Control+Shift+Q');
    await expect.poll(() => page.title()).toBe('');
    await expect(page.getByRole('button', { name: 'Get help now' }).count()).resolves.toBe(0);
    await shortcutOpensPanel(page, 'neutral screen');
    await expect(page.getByRole('button', { name: 'Get help now' }).count()).resolves.toBe(0);
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('in Arabic, right to left, with the country chosen in the picker', async () => {
    const sam = await stage?.person('Sam', { locale: 'ar' });
    if (sam === undefined) throw new Error('no stage');
    const { page } = sam;
    await page.getByRole('heading', { name: AR['onboarding.welcomeTitle'] }).waitFor();
    await expect(page.evaluate(() => document.documentElement.dir)).resolves.toBe('rtl');
    await page.keyboard.press('Control+Shift+H');
    const help = panel(page, AR['crisis.title']);
    await help.waitFor();
    await help.getByLabel(AR['crisis.country']).selectOption('GB');
    const call = AR['crisis.call'].replace('{number}', '116 123');
    await expect(help.getByRole('link', { name: call }).getAttribute('href')).resolves.toBe(
      'tel:116123',
    );
    await expectNoSeriousAxeViolations(page, 'crisis panel in Arabic');
    await screenshot(sam, '96-crisis-panel-ar');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});
