/**
 * A group's pinned local resources in the real window: a moderator (a core client on the same
 * relay) pins a phone line, a text line and a page; a member who joins in the window sees them in
 * Get help now, under the country's lines, only while that group is open, with tel:/sms:/https
 * links, and in the group's "Rules and info". Screenshot 97.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { TempDirs, newClient } from '../integration/helpers.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { dialog, firstRun, openSection } from './windowSteps.js';

const GROUP = 'Lupus circle';
const HOUR = 3_600_000;

let stage: UiStage | undefined;
let eve: Person;
const dirs = new TempDirs();
let host: KindredClient | undefined;

beforeAll(async () => {
  stage = await UiStage.open();
  eve = await stage.person('Eve');
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
    const link = await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });

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
});
