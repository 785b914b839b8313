/**
 * "Find a community" in the real window, on a real relay: Ana, who owns a group (approval on),
 * lists it from its About panel (an empty form is refused field by field first); the relay's
 * operator approves it; Bo, at his first run with no group and no contact, goes from the home
 * screen to Find a community by keyboard, finds the group by another name of its condition
 * ("motor neurone disease" for ALS), opens its page, asks to join as a fresh persona under the
 * generated pseudonym with an introduction; the page says a moderator will decide; Ana approves
 * in the window and Bo posts. Screenshots directory-find and directory-listing (looked at), axe
 * in both themes on the Find page, the listing page and the owner's form, and forced colours.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectAccessibleInBothThemes } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { approvePendingListings } from '../desktop/directoryOperator.js';
import { POLL, dialog, firstRun, messageItem, openChat, send } from './windowSteps.js';

const GROUP = 'Evening MND circle';
const DESCRIPTION = 'For people living with ALS and those close to them. We talk most evenings.';
const CONDITION = 'Amyotrophic lateral sclerosis';
const SYNONYM = 'motor neurone disease';
const RHYTHM = 'Video call on Tuesdays, chat any time';
const INTRODUCTION = 'I was diagnosed in March and would like to talk to people who understand.';

let stage: UiStage | undefined;
let ana: Person;
let bo: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo] = await Promise.all([stage.person('Ana'), stage.person('Bo')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(async () => {
    await stage?.screenshotFailure();
  });
});

afterAll(async () => {
  await stage?.close();
});

/** What has the keyboard's focus: its text. */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent.trim() ?? '');
}

describe('Find a community', () => {
  it('lists a group, finds it by another name, asks to join, is let in and posts', async () => {
    if (stage === undefined) throw new Error('no stage');
    const relayUrl = stage.relay.url;
    await firstRun(ana, 'Ana', relayUrl);

    // Ana creates a group that asks to join.
    await ana.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Groups' })
      .click();
    await ana.page.getByRole('button', { name: 'Create a group' }).click();
    const create = dialog(ana.page);
    await create.getByLabel('Group name').fill(GROUP);
    await create.getByLabel('New members need a moderator’s approval').check();
    await create.getByLabel('Pseudonym in this group').fill('Ana');
    await create.getByRole('button', { name: 'Create group' }).click();
    await ana.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();

    // About → List this group. Sending the form empty shows each problem under its field.
    await ana.page.getByRole('button', { name: 'Members', exact: true }).click();
    await ana.page.getByRole('tab', { name: 'About' }).click();
    await ana.page.getByRole('button', { name: 'List this group in the directory' }).click();
    const form = dialog(ana.page);
    await form.getByRole('button', { name: 'Send for approval' }).click();
    await form.getByText('Add at least one condition.').waitFor();
    await form.getByText('Choose who the group is for.').waitFor();
    expect(await form.getByLabel('Condition to add').getAttribute('aria-invalid')).toBe('true');
    await expectAccessibleInBothThemes(ana.page, 'list this group');
    await form.getByLabel('Description').fill(DESCRIPTION);
    await form.getByLabel('Condition to add').fill(CONDITION);
    await form.getByRole('button', { name: 'Add condition' }).click();
    await form.getByRole('button', { name: `Remove ${CONDITION}` }).waitFor();
    await form.getByLabel('Patients').check();
    await form.getByLabel('Family').check();
    await form.getByLabel('Languages').fill('en, es');
    await form.getByLabel('Region (optional)').fill('gb');
    await form.getByLabel('Rhythm (optional)').fill(RHYTHM);
    expect(await form.getByLabel('Condition to add').getAttribute('aria-invalid')).toBe('false');
    await form.getByRole('button', { name: 'Send for approval' }).click();
    await form.waitFor({ state: 'detached' });
    await ana.page
      .getByRole('status')
      .filter({ hasText: 'Sent to the relay’s operator for approval.' })
      // The section's line, and the screen readers' announcement of it.
      .first()
      .waitFor();

    // The relay's operator approves it.
    const running = stage.relay;
    await expect.poll(() => approvePendingListings(running), POLL).toBe(1);

    // Bo's first run: nothing yet, and the first thing offered is Find a community.
    await firstRun(bo, 'Bo', relayUrl);
    await expect.poll(() => focusedText(bo.page), POLL).toBe('Find a community');
    await bo.page.keyboard.press('Enter');
    await bo.page.getByRole('heading', { level: 1, name: 'Find a community' }).waitFor();
    await bo.page
      .getByText('Searching happens on this device; the relay never sees what you look for.')
      .waitFor();
    // The first visit fetches the directory; then the group is there.
    await bo.page
      .getByRole('status')
      .filter({ hasText: /^Updated / })
      .waitFor();
    await bo.page.getByRole('searchbox', { name: 'Search groups' }).fill(SYNONYM);
    const results = bo.page.getByRole('list', { name: 'Groups found' });
    const card = results.getByRole('article', { name: GROUP });
    await card.waitFor();
    await card.getByText('Asks to join').waitFor();
    await card.getByText('1–10 members').waitFor();
    await card.getByText('For patients and family').waitFor();
    await card.getByText('Hosted by your relay').waitFor();
    await bo.page.getByRole('status').filter({ hasText: '1 group found.' }).waitFor();
    await screenshot(bo, 'directory-find');
    await expectAccessibleInBothThemes(bo.page, 'find a community');
    // A search with nothing to find says so kindly.
    await bo.page.getByRole('searchbox', { name: 'Search groups' }).fill('xylophone');
    await bo.page.getByText(/^No group matches that yet\./u).waitFor();
    await bo.page.getByRole('searchbox', { name: 'Search groups' }).fill(SYNONYM);

    // The listing's page, opened by keyboard from the card.
    await card.getByRole('button', { name: GROUP }).focus();
    await bo.page.keyboard.press('Enter');
    await bo.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await bo.page.getByText(DESCRIPTION).waitFor();
    await bo.page.getByText(RHYTHM).waitFor();
    await bo.page.getByText('Asks to join: a moderator reads each request and decides.').waitFor();
    await screenshot(bo, 'directory-listing');
    await expectAccessibleInBothThemes(bo.page, 'listing');
    await bo.page.emulateMedia({ forcedColors: 'active' });
    await screenshot(bo, 'directory-listing-forced-colors');
    await bo.page.emulateMedia({ forcedColors: 'none' });

    // Ask to join: a fresh persona under a generated pseudonym, the relay named.
    await bo.page.getByRole('button', { name: 'Ask to join' }).click();
    const ask = dialog(bo.page);
    await ask.getByText(/This group is hosted on 127\.0\.0\.1:\d+\./u).waitFor();
    const pseudonym = ask.getByLabel('Pseudonym in this group');
    await expect.poll(() => pseudonym.inputValue(), POLL).toMatch(/^\p{L}+ \p{L}+$/u);
    const generated = await pseudonym.inputValue();
    await ask.getByLabel('Introduce yourself (optional)').fill(INTRODUCTION);
    await ask.getByText(`${String(INTRODUCTION.length)} of 500 characters`).waitFor();
    await ask.getByRole('button', { name: 'Ask to join' }).click();
    await ask.waitFor({ state: 'detached' });
    await bo.page
      .getByRole('status')
      .filter({ hasText: 'Asked to join — a moderator will decide' })
      .waitFor();

    // Ana lets the generated persona in, reading the introduction.
    await ana.page.getByRole('tab', { name: /^Join requests/u }).click();
    await ana.page.getByText(INTRODUCTION).waitFor();
    await ana.page.getByRole('button', { name: `Approve ${generated}` }).click();
    await ana.page.getByText('Nobody is waiting.').waitFor();

    // Bo is in, and posts; Ana reads it.
    await bo.page.getByRole('status').filter({ hasText: 'You are in this group.' }).waitFor();
    await openChat(bo.page, GROUP);
    await send(bo.page, GROUP, 'Hello, and thank you for having me.');
    await ana.page.getByRole('button', { name: 'Back to the chat' }).click();
    await messageItem(ana.page, GROUP, 'Hello, and thank you for having me.').waitFor();
    expect(stage.takeConsoleProblems()).toEqual([]);
  });
});
