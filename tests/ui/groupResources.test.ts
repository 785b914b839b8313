/**
 * A group's pinned local resources in the real window: a moderator (a core client on the same
 * relay) pins a phone line, a text line and a page; a member who joins in the window sees them in
 * Get help now, under the country's lines, only while that group is open, with tel:/sms:/https
 * links, and in the group's "Rules and info". Screenshot 97.
 *
 * Then the host makes Eve a moderator: in the group's About she adds, edits, reorders and removes
 * resources; a bad web address and a bad number are refused in words (core's CORE_INVALID_INPUT,
 * naming the resource's place) and nothing is saved; Fay, a member, sees the new list in Get help
 * now and has no edit controls. Screenshot group-resources-edit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { TempDirs, newClient } from '../integration/helpers.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { expectNoSeriousAxeViolations } from './axeCheck.js';
import { POLL, dialog, firstRun, openChat, openSection } from './windowSteps.js';

const GROUP = 'Lupus circle';
const HOUR = 3_600_000;

let stage: UiStage | undefined;
let eve: Person;
let fay: Person;
const dirs = new TempDirs();
let host: KindredClient | undefined;
let link = '';

beforeAll(async () => {
  stage = await UiStage.open();
  [eve, fay] = await Promise.all([stage.person('Eve'), stage.person('Fay')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await host?.close();
  await stage?.close();
  await dirs.cleanup();
});

describe('the window, a group’s pinned resources', () => {
  it('shows them in Get help now while the group is open, and in its Rules and info', async () => {
    const relayUrl = stage?.relay.url ?? '';
    host = await newClient(dirs, relayUrl, 'Host');
    const group = await host.createGroup({ name: GROUP, description: '', rules: '' });
    await group.setResources([
      {
        name: 'Lupus UK helpline',
        reach: 'phone',
        address: '+44 1604 213142',
        note: 'Weekdays 9-5',
      },
      { name: 'Night text line', reach: 'text', address: '85258', note: '' },
      { name: 'Clinic portal', reach: 'web', address: 'https://example.org/help', note: '' },
    ]);
    link = await group.invite({ maxUses: 2, expiresAt: Date.now() + HOUR });

    const { page } = eve;
    await firstRun(eve, 'Eve', relayUrl);
    await openSection(page, 'Groups');
    await page.getByRole('button', { name: 'Join a group' }).click();
    await dialog(page).getByLabel('Group invite link').fill(link);
    await dialog(page).getByLabel('Pseudonym in this group').fill('Eve');
    await dialog(page).getByRole('button', { name: 'Join group' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();

    // In the group: the panel adds what its moderators pinned, after the country's lines.
    await page.keyboard.press('Control+Shift+H');
    const help = page.getByRole('dialog', { name: 'Get help now' });
    await help.getByRole('heading', { name: `Pinned by ${GROUP}` }).waitFor();
    const links = await help.getByRole('link').allTextContents();
    expect(links[0]).toBe('Call 999');
    expect(links.slice(-3)).toEqual([
      'Call +44 1604 213142',
      'Text 85258',
      'Open example.org/help',
    ]);
    const hrefs = await Promise.all(
      ['Call +44 1604 213142', 'Text 85258', 'Open example.org/help'].map((name) =>
        help.getByRole('link', { name }).getAttribute('href'),
      ),
    );
    expect(hrefs).toEqual(['tel:+441604213142', 'sms:85258', 'https://example.org/help']);
    await help.getByText('Weekdays 9-5').waitFor();
    await help.getByText('Chosen by this group’s moderators, not checked by Kindred.').waitFor();
    // The pinned list is below the country's lines: show it in the screenshot.
    await help.getByRole('link', { name: 'Open example.org/help' }).scrollIntoViewIfNeeded();
    await screenshot(eve, '97-group-resources-panel');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // The group's Rules and info list them too.
    await page.getByRole('button', { name: 'Rules and info' }).click();
    const drawer = page.getByRole('complementary', { name: 'Rules and info' });
    await drawer.getByRole('heading', { name: 'Local resources' }).waitFor();
    await expect(
      drawer.getByRole('link', { name: 'Call +44 1604 213142' }).getAttribute('href'),
    ).resolves.toBe('tel:+441604213142');
    await page.keyboard.press('Escape');

    // Elsewhere (another section), the panel shows only the country's lines.
    await openSection(page, 'Settings');
    await page.keyboard.press('Control+Shift+H');
    await help.getByRole('link', { name: 'Call 999' }).waitFor();
    await expect(help.getByRole('heading', { name: `Pinned by ${GROUP}` }).count()).resolves.toBe(
      0,
    );
    await expect(help.getByRole('link', { name: 'Text 85258' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });

  it('lets a moderator add, edit, reorder and remove them in About; a member sees the change', async () => {
    const group = await host?.group(GROUP);
    if (group === undefined) throw new Error('the first test did not create the group');
    const { page } = eve;
    await joinInWindow(fay, 'Fay');
    await group.promote('Eve', 'Keeps our local lines current');

    // Eve, now a moderator, edits the list in the group's About tab.
    await openChat(page, GROUP);
    await page.getByRole('button', { name: 'Members', exact: true }).click();
    await page.getByRole('tab', { name: 'About' }).click();
    const editor = page.getByRole('region', { name: 'Local resources' });
    await editor.getByRole('button', { name: 'Add a resource' }).waitFor();
    await expect
      .poll(() => editor.getByRole('listitem').locator('.row-title').allTextContents(), POLL)
      .toEqual(['Lupus UK helpline', 'Night text line', 'Clinic portal']);

    // A page that is not https is refused in words, and nothing is saved.
    await editor.getByRole('button', { name: 'Add a resource' }).click();
    const add = dialog(page);
    await add.getByLabel('Name').fill('Night nurse line');
    await add.getByLabel('How members reach it').selectOption({ label: 'A web page' });
    await add.getByLabel('Number or web address').fill('http://nurses.example.org/night');
    await add.getByLabel('Note (optional)').fill('Every night 8pm-8am');
    await add.getByRole('button', { name: 'Save resource' }).click();
    await add
      .getByRole('alert')
      .filter({ hasText: 'Resource 4: a web address starts with https://.' })
      .waitFor();
    await add.getByLabel('Number or web address').fill('https://nurses.example.org/night');
    await add.getByRole('button', { name: 'Save resource' }).click();
    await add.waitFor({ state: 'detached' });
    await editor.getByText('Open nurses.example.org/night').waitFor();

    // A malformed number is refused too; Cancel keeps what was saved.
    await editor.getByRole('button', { name: 'Edit “Night text line”' }).click();
    const edit = dialog(page);
    await edit.getByLabel('Number or web address').fill('85x258');
    await edit.getByRole('button', { name: 'Save resource' }).click();
    await edit
      .getByRole('alert')
      .filter({
        hasText: 'Resource 2: a number has 3 to 15 digits, single spaces, an optional leading +.',
      })
      .waitFor();
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });

    // An edit: the helpline's hours.
    await editor.getByRole('button', { name: 'Edit “Lupus UK helpline”' }).click();
    await expect(dialog(page).getByLabel('Name').inputValue()).resolves.toBe('Lupus UK helpline');
    await dialog(page).getByLabel('Note (optional)').fill('Weekdays 9-5, Saturdays 10-2');
    await dialog(page).getByRole('button', { name: 'Save resource' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await editor.getByText('Weekdays 9-5, Saturdays 10-2').waitFor();

    // The nurse line goes first, by keyboard: focus follows the row it moves.
    await editor.getByRole('button', { name: 'Move “Night nurse line” up' }).focus();
    const rowNames = () => editor.getByRole('listitem').locator('.row-title').allTextContents();
    for (const place of [3, 2, 1]) {
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => (await rowNames()).indexOf('Night nurse line'), POLL)
        .toBe(place - 1);
      await page.getByText(`“Night nurse line” moved to place ${place}.`).waitFor();
    }
    // At the top its Up button is disabled: focus stays in its row, on Down.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), POLL)
      .toBe('Move “Night nurse line” down');

    // The portal goes, after a question.
    await editor.getByRole('button', { name: 'Remove “Clinic portal”' }).click();
    await dialog(page).getByRole('button', { name: 'Remove resource' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    const saved = ['Night nurse line', 'Lupus UK helpline', 'Night text line'];
    await expect
      .poll(() => editor.getByRole('listitem').locator('.row-title').allTextContents(), POLL)
      .toEqual(saved);
    await expectNoSeriousAxeViolations(page, 'group About, resource editor');
    await editor.scrollIntoViewIfNeeded();
    await screenshot(eve, 'group-resources-edit');

    // What the host's core reads from the group's log is what the window showed.
    await group.sync();
    const held = await group.resources();
    expect(held.map((each) => each.name)).toEqual(saved);
    expect(held[1]?.note).toBe('Weekdays 9-5, Saturdays 10-2');
    expect(held[0]).toEqual({
      name: 'Night nurse line',
      reach: 'web',
      address: 'https://nurses.example.org/night',
      note: 'Every night 8pm-8am',
    });

    // Fay, a member: the new list in Get help now, in order, and no edit controls in About.
    await fay.page.keyboard.press('Control+Shift+H');
    const help = fay.page.getByRole('dialog', { name: 'Get help now' });
    await expect
      .poll(async () => (await help.getByRole('link').allTextContents()).slice(-3), POLL)
      .toEqual(['Open nurses.example.org/night', 'Call +44 1604 213142', 'Text 85258']);
    await help.getByText('Weekdays 9-5, Saturdays 10-2').waitFor();
    await fay.page.keyboard.press('Escape');
    await fay.page.getByRole('button', { name: 'Members', exact: true }).click();
    await fay.page.getByRole('tab', { name: 'About' }).click();
    const about = fay.page.getByRole('region', { name: 'Local resources' });
    await about.getByRole('link', { name: 'Open nurses.example.org/night' }).waitFor();
    await expect(fay.page.getByRole('button', { name: 'Add a resource' }).count()).resolves.toBe(0);
    await expect(fay.page.getByRole('button', { name: /^Edit “/u }).count()).resolves.toBe(0);
    await expect(fay.page.getByRole('button', { name: /^Remove “/u }).count()).resolves.toBe(0);
    await expectNoSeriousAxeViolations(fay.page, 'group About, a member’s resources');
  });
});

/** Joins the group in the window with the shared link, as a fresh persona with this pseudonym. */
async function joinInWindow(person: Person, pseudonym: string): Promise<void> {
  const { page } = person;
  await firstRun(person, pseudonym, stage?.relay.url ?? '');
  await openSection(page, 'Groups');
  await page.getByRole('button', { name: 'Join a group' }).click();
  await dialog(page).getByLabel('Group invite link').fill(link);
  await dialog(page).getByLabel('Pseudonym in this group').fill(pseudonym);
  await dialog(page).getByRole('button', { name: 'Join group' }).click();
  await dialog(page).waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
}
