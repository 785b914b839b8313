/**
 * Moderators and members not left stuck, in the real window: a link's preview before joining,
 * with an introduction the moderator reads beside the request; badges that count requests and
 * open reports up and down; a report handled by another moderator shown as handled; dismissing;
 * a warned reported message covered until Reveal; ban, a banned member forgetting the group (its
 * Moderation page agreeing with its Groups page), unban, and handing the group over.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
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

const GROUP = 'Harbour Circle';
const RULES = 'Be kind. No selling. What is said here stays here.';
const INTRO = 'Hi, I am Cee. My son was diagnosed with Marfan syndrome last month.';
const SPAM = 'Miracle pills for sale, message me!';
const WARNED = 'Photos of my wound, before and after the pills';
const WARNING = 'Graphic medical image';

let stage: UiStage | undefined;
/** The owner (main persona Rowan), a moderator-to-be, a member who reports, one who spams. */
let ana: Person;
let bo: Person;
let cee: Person;
let dee: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo, cee, dee] = await Promise.all([
    stage.person('Ana'),
    stage.person('Bo'),
    stage.person('Cee'),
    stage.person('Dee'),
  ]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/** A top-bar section button by its full accessible name ("Moderation, 2 pending"). */
function section(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name, exact: true });
}

/** Waits until the Moderation (and Groups) buttons say this many things wait: 0 for none. */
async function pending(person: Person, count: number): Promise<void> {
  const words = count === 0 ? '' : `, ${count} pending`;
  await section(person.page, `Moderation${words}`).waitFor();
  await section(person.page, `Groups${words}`).waitFor();
}

/** Opens the link in the join dialog, checks the preview, then joins as `pseudonym`. */
async function joinWithPreview(
  person: Person,
  link: string,
  pseudonym: string,
  introduction?: string,
): Promise<void> {
  const { page } = person;
  await openSection(page, 'Groups');
  await page.getByRole('button', { name: 'Join a group' }).click();
  const join = dialog(page);
  await join.getByLabel('Group invite link').fill(link);
  const preview = join.getByRole('region', { name: GROUP });
  await preview.waitFor();
  const shown = await preview.innerText();
  expect(shown).toContain(RULES);
  expect(shown).toContain('A moderator approves each new member');
  if (introduction !== undefined) {
    await join.getByLabel('Introduce yourself (optional)').fill(introduction);
    await screenshot(person, '50-join-preview');
  }
  await join.getByLabel('Pseudonym in this group').fill(pseudonym);
  await join.getByRole('button', { name: 'Join group' }).click();
  await join.waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
}

/** The report (a list item of the Reports panel) whose reason is `reason`. */
function reportItem(page: Page, reason: string) {
  return page
    .getByRole('region', { name: 'Reports' })
    .getByRole('listitem')
    .filter({ hasText: reason });
}

/** Picks an action from a member's Moderate menu and confirms it in its dialog. */
async function moderateMember(page: Page, name: string, item: string, confirm: string) {
  await page.getByRole('tab', { name: 'Members', exact: true }).click();
  await page.getByRole('button', { name: `Moderate ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item }).click();
  await dialog(page).getByRole('button', { name: confirm, exact: true }).click();
  await dialog(page).waitFor({ state: 'detached' });
}

describe('the window, moderators and members not left stuck', () => {
  it('previews, counts, marks handled, dismisses, bans, forgets, unbans and hands over', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([
      firstRun(ana, 'Rowan', relayUrl),
      firstRun(bo, 'Sky', relayUrl),
      firstRun(cee, 'Lee', relayUrl),
      firstRun(dee, 'Kit', relayUrl),
    ]);

    // Ana creates the group, new members needing approval, and makes a link.
    await openSection(ana.page, 'Groups');
    await ana.page.getByRole('button', { name: 'Create a group' }).click();
    const create = dialog(ana.page);
    await create.getByLabel('Group name').fill(GROUP);
    await create.getByLabel('Rules').fill(RULES);
    await create.getByLabel('New members need a moderator’s approval').check();
    await create.getByLabel('Pseudonym in this group').fill('Ana');
    await create.getByRole('button', { name: 'Create group' }).click();
    await ana.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await ana.page.getByRole('button', { name: 'Members', exact: true }).click();
    await ana.page.getByRole('tab', { name: 'Invite' }).click();
    await ana.page.getByRole('button', { name: 'Create group invite link' }).click();
    const linkField = ana.page.getByLabel('Group invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:group\//u);
    const link = await linkField.inputValue();
    await pending(ana, 0);

    // Before joining, each sees the group's name, rules and that a moderator approves; Cee
    // introduces herself. The requests count up on Ana's badges.
    await joinWithPreview(bo, link, 'Bo');
    await pending(ana, 1);
    await joinWithPreview(cee, link, 'Cee', INTRO);
    await joinWithPreview(dee, link, 'Dee');
    await pending(ana, 3);
    await chatList(ana.page)
      .getByRole('button', { name: GROUP, exact: true, description: /3 waiting for a moderator/u })
      .waitFor();

    // Ana reads the introduction beside Cee's request, and lets everyone in: the count goes down.
    await openSection(ana.page, 'Moderation');
    await ana.page.getByRole('tab', { name: 'Join requests, 3 pending', exact: true }).click();
    const ceeRequest = ana.page.getByRole('listitem').filter({ hasText: 'Asked to join' }).filter({
      hasText: 'Cee',
    });
    await ceeRequest.getByText(INTRO).waitFor();
    await screenshot(ana, '51-request-with-introduction');
    for (const name of ['Bo', 'Cee', 'Dee']) {
      const approve = ana.page.getByRole('button', { name: `Approve ${name}` });
      await approve.click();
      await approve.waitFor({ state: 'detached' });
    }
    await pending(ana, 0);
    await ana.page.getByRole('tab', { name: 'Join requests', exact: true }).waitFor();

    // Bo becomes a moderator.
    await moderateMember(ana.page, 'Bo', 'Make moderator…', 'Make moderator');

    // Dee posts two messages, the second under a content warning; Cee reports both.
    await dee.page.getByLabel('Write a message').waitFor();
    await send(dee.page, GROUP, SPAM);
    await dee.page.getByLabel('Write a message').fill(WARNED);
    await dee.page.getByRole('button', { name: 'Add a content warning' }).click();
    await dee.page.getByRole('menuitem', { name: WARNING }).click();
    await dee.page.getByRole('button', { name: 'Send', exact: true }).click();
    const covered = `Content warning: ${WARNING}`;
    await messageItem(dee.page, GROUP, covered).waitFor();
    await cee.page.getByLabel('Write a message').waitFor();
    for (const [text, reason] of [
      [SPAM, 'Selling pills to sick people'],
      [covered, 'More selling, with pictures'],
    ] as const) {
      await messageItem(cee.page, GROUP, text).waitFor();
      await messageAction(cee.page, GROUP, text, 'Report');
      await dialog(cee.page).getByLabel('What is wrong with it?').fill(reason);
      await dialog(cee.page).getByRole('button', { name: 'Send report' }).click();
      await cee.page.getByRole('main').getByText('Report sent to 2 moderators.').waitFor();
    }
    await Promise.all([pending(ana, 2), pending(bo, 2)]);

    // The warned message stays covered in Ana's queue until she reveals it.
    await ana.page.getByRole('tab', { name: 'Reports, 2 open', exact: true }).click();
    const warnedReport = reportItem(ana.page, 'More selling, with pictures');
    await warnedReport.getByText(covered).waitFor();
    expect(await ana.page.getByText(WARNED).count()).toBe(0);
    await warnedReport.getByRole('button', { name: 'Reveal' }).click();
    await warnedReport.getByText(WARNED).waitFor();

    // Bo deletes the first message for everyone: Ana's report shows it handled, by Bo.
    await openChat(bo.page, GROUP);
    await messageAction(bo.page, GROUP, SPAM, 'Delete for everyone');
    await dialog(bo.page).getByRole('button', { name: 'Delete for everyone' }).click();
    await dialog(bo.page).waitFor({ state: 'detached' });
    await reportItem(ana.page, 'Selling pills to sick people')
      .getByText('Handled by Bo: removed the message')
      .waitFor();
    await Promise.all([pending(ana, 1), pending(bo, 1)]);
    await ana.page.getByRole('tab', { name: 'Reports, 1 open', exact: true }).waitFor();
    await screenshot(ana, '52-report-handled');

    // Ana dismisses the second one for herself; Bo still has it open.
    await warnedReport.getByRole('button', { name: 'Dismiss' }).click();
    await warnedReport.getByText('You dismissed this report.').waitFor();
    await pending(ana, 0);
    await pending(bo, 1);

    // Ana bans Dee: Bo's open report is handled by it, and his count goes to 0.
    await moderateMember(ana.page, 'Dee', 'Ban…', 'Ban');
    await pending(bo, 0);
    await openSection(bo.page, 'Moderation');
    await reportItem(bo.page, 'More selling, with pictures')
      .getByText('Handled by Ana: banned its author')
      .waitFor();

    // Dee: the Moderation page says what the Groups page says, and Dee can forget the group.
    await openSection(dee.page, 'Groups');
    await dee.page
      .getByRole('main')
      .getByRole('listitem')
      .filter({ hasText: 'You were banned' })
      .waitFor();
    await openSection(dee.page, 'Moderation');
    const choice = dee.page.getByLabel('Group', { exact: true });
    await expect.poll(() => choice.innerText(), POLL).toContain('You were banned');
    await dee.page.getByRole('heading', { name: 'You were banned' }).waitFor();
    await screenshot(dee, '53-banned-member-moderation');
    await dee.page.getByRole('button', { name: 'Forget this group' }).click();
    await dialog(dee.page).getByRole('button', { name: 'Forget group' }).click();
    await dialog(dee.page).waitFor({ state: 'detached' });
    await expect
      .poll(() => chatList(dee.page).getByRole('button', { name: GROUP }).count(), POLL)
      .toBe(0);

    // Ana lifts the ban from the Banned list.
    await ana.page.getByRole('tab', { name: 'Members', exact: true }).click();
    const banned = ana.page.getByRole('region', { name: 'Banned' });
    await banned.getByRole('button', { name: 'Lift the ban on Dee' }).click();
    await dialog(ana.page).getByRole('button', { name: 'Lift the ban', exact: true }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await banned.getByText('Nobody is banned.').waitFor();

    // Ana hands the group over to Bo, after a confirmation.
    await moderateMember(ana.page, 'Bo', 'Hand the group over…', 'Hand it over');
    await openChat(bo.page, GROUP);
    await bo.page.getByRole('button', { name: 'Members', exact: true }).click();
    await bo.page.getByText('You appear here as Bo · Owner').waitFor();
    await screenshot(bo, '54-new-owner');

    // The log: Cee asked to join before Ana let her in, and nobody "joined" before being let in.
    await ana.page.getByRole('tab', { name: 'Moderation log' }).click();
    const rows = ana.page.getByRole('row');
    await rows.filter({ hasText: 'handed the group over to Bo' }).waitFor();
    const texts = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/gu, ' '));
    // Newest first: the request sits below (after) the approval.
    const asked = texts.findIndex((text) => text.includes('Cee asked to join'));
    const letIn = texts.findIndex((text) => text.includes('Ana let Cee in'));
    expect(asked).toBeGreaterThan(letIn);
    expect(letIn).toBeGreaterThan(0);
    expect(texts.some((text) => ` ${text} `.includes(' joined '))).toBe(false);
    expect(texts.some((text) => text.includes('lifted the ban on Dee'))).toBe(true);

    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});
