/**
 * Message requests in the real window, three people on a real relay: Ana owns "Night owls", Bo
 * and Cy are members. While the policy is off Bo's member list offers no "Write privately"; Ana
 * turns it on in About (its log says so in words) and writes privately to Bo, whose Requests
 * (with its count) shows who wrote, through which group and what; her conversation says "Sent as
 * a request" and claims no delivery. Bo accepts by keyboard and replies; Ana reads the reply. Cy
 * writes to Bo; Bo reports it to the moderators (Ana receives it) and blocks Cy, whose next
 * message is refused at the relay and said to be not delivered. Bo's notification of a request
 * has no text and opens Requests. Screenshots request-sent, requests-inbox and request-blocked;
 * axe in both themes on the inbox.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectAccessibleInBothThemes, expectNoSeriousAxeViolations } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  dialog,
  firstRun,
  groupOfTwo,
  messageItem,
  openChat,
  openSection,
  send,
} from './windowSteps.js';

const GROUP = 'Night owls';

let stage: UiStage | undefined;
let ana: Person;
let bo: Person;
let cy: Person;

/**
 * Wraps the page's Notification so that each one the window builds is recorded (title, body and
 * the notification, to click), then made by Chromium as usual (as tests/ui/schedules.test.ts).
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: (options && options.body) || '', notification: this });
    }
    static get permission() {
      return Real.permission;
    }
  }
  window.Notification = Recorded;
  window.shownNotifications = shown;
})()`;

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo, cy] = await Promise.all([stage.person('Ana'), stage.person('Bo'), stage.person('Cy')]);
  // Bo lets the window notify; each notification his page builds is recorded.
  await bo.context.grantPermissions(['notifications'], { origin: new URL(bo.host.url).origin });
  await bo.page.evaluate(RECORD_NOTIFICATIONS);
});

function shownNotifications(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() =>
    (
      window as unknown as { shownNotifications: { title: string; body: string }[] }
    ).shownNotifications.map(({ title, body }) => ({ title, body })),
  );
}

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/**
 * Opens the group's page on one of its tabs, from its chat (a tab with something waiting carries
 * it in its name: "Reports, 1 open").
 */
async function groupTab(page: Page, tab: string): Promise<void> {
  await openChat(page, GROUP);
  await page.getByRole('button', { name: 'Members', exact: true }).click();
  const name = new RegExp(`^${tab}(, \\d+ (open|pending))?$`, 'u');
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

/** The "Requests" section of the top bar (its name carries the count when there is one). */
function requestsButton(page: Page) {
  return page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: /^Requests(, \d+ pending)?$/u });
}

/** What the inbox said of the last thing done (the page's own status line, not the announcer). */
function outcome(page: Page) {
  return page.getByRole('region', { name: 'Requests', exact: true }).getByRole('status');
}

function requestCard(page: Page, from: string) {
  return page.getByRole('article', { name: from });
}

describe('the window, message requests', () => {
  it('three people in one group', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([
      firstRun(ana, 'Rowan', relayUrl),
      firstRun(bo, 'Sky', relayUrl),
      firstRun(cy, 'Wren', relayUrl),
    ]);
    await groupOfTwo(ana.page, bo.page, GROUP, { owner: 'Ana', member: 'Bo' });
    // Cy joins with a link of her own.
    await groupTab(ana.page, 'Invite');
    await ana.page.getByRole('button', { name: 'Create group invite link' }).click();
    const linkField = ana.page.getByLabel('Group invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:group\//u);
    const link = await linkField.inputValue();
    await openSection(cy.page, 'Groups');
    await cy.page.getByRole('button', { name: 'Join a group' }).click();
    await dialog(cy.page).getByLabel('Group invite link').fill(link);
    await dialog(cy.page).getByLabel('Pseudonym in this group').fill('Cy');
    await dialog(cy.page).getByRole('button', { name: 'Join group' }).click();
    await cy.page.getByLabel('Write a message').waitFor();
  }, 240_000);

  it('stays closed until a moderator allows it, and the log says so in words', async () => {
    // Off by default: no "Write privately" on Bo's member list.
    await groupTab(bo.page, 'Members');
    await bo.page.getByRole('listitem').filter({ hasText: 'Cy' }).waitFor();
    expect(await bo.page.getByRole('button', { name: /^Write privately/u }).count()).toBe(0);

    // Ana allows it in About, with the reason it is off by default beside the switch.
    await groupTab(ana.page, 'About');
    const allow = ana.page.getByLabel('Members may write to each other privately');
    expect(await allow.isChecked()).toBe(false);
    await ana.page.getByText(/^Off by default: unsolicited private messages/u).waitFor();
    await allow.check();
    await ana.page.getByRole('button', { name: 'Save settings' }).click();
    await ana.page.getByText('Group settings saved.').first().waitFor();
    await ana.page.getByRole('tab', { name: 'Moderation log' }).click();
    await ana.page
      .getByRole('cell', { name: 'let members write to each other privately' })
      .waitFor();
  }, 120_000);

  it('a request is sent, shown in the inbox with its count, accepted and answered', async () => {
    // Bo's list now offers it; Ana writes to Bo from hers.
    await bo.page.getByRole('button', { name: 'Write privately to Cy' }).waitFor();
    await ana.page.getByRole('tab', { name: 'Members' }).click();
    await ana.page.getByRole('button', { name: 'Write privately to Bo' }).click();
    const compose = dialog(ana.page);
    await compose.getByText(/^Unless Bo is already a contact, this goes as a request/u).waitFor();
    await compose.getByLabel('Message').fill('Would you like to talk tonight?');
    await compose.getByRole('button', { name: 'Send', exact: true }).click();
    await compose.waitFor({ state: 'detached' });
    // Her conversation with Bo: sent as a request, and no delivery claimed.
    await ana.page.getByRole('heading', { level: 1, name: 'Bo', exact: true }).waitFor();
    const sent = messageItem(ana.page, 'Bo', 'Would you like to talk tonight?');
    await sent.getByText('Sent as a request — you’ll see replies if they accept').waitFor();
    expect(await sent.getByText(/^(Delivered|Read|Sent)$/u).count()).toBe(0);
    await screenshot(ana, 'request-sent');

    // Bo is notified with no text (the default), and the notification opens Requests.
    await expect
      .poll(() => shownNotifications(bo.page), POLL)
      .toStrictEqual([{ title: 'Message request from Ana', body: '' }]);
    await bo.page.evaluate(() => {
      const [first] = (
        window as unknown as { shownNotifications: { notification: Notification }[] }
      ).shownNotifications;
      first?.notification.dispatchEvent(new Event('click'));
    });
    await bo.page.getByRole('heading', { level: 1, name: 'Requests', exact: true }).waitFor();
    await openSection(bo.page, 'Settings');

    // Bo's Requests shows a count; reached by keyboard.
    await expect
      .poll(() => requestsButton(bo.page).getAttribute('aria-label'), POLL)
      .toBe('Requests, 1 pending');
    await requestsButton(bo.page).focus();
    await bo.page.keyboard.press('Enter');
    await bo.page.getByRole('heading', { level: 1, name: 'Requests', exact: true }).waitFor();
    const card = requestCard(bo.page, 'Ana');
    await card.getByText(`Through “${GROUP}”`).waitFor();
    await card.getByText('Would you like to talk tonight?').waitFor();
    await expectAccessibleInBothThemes(bo.page, 'requests inbox');
    await screenshot(bo, 'requests-inbox');
    await card.getByRole('button', { name: 'Accept' }).focus();
    await bo.page.keyboard.press('Enter');
    await bo.page.getByRole('heading', { level: 1, name: 'Ana', exact: true }).waitFor();
    await messageItem(bo.page, 'Ana', 'Would you like to talk tonight?').waitFor();
    await send(bo.page, 'Ana', 'Yes, gladly');

    // Ana reads the reply; her message is no longer shown as a request.
    await messageItem(ana.page, 'Bo', 'Yes, gladly').waitFor();
    await expect
      .poll(() => sent.getByText('Sent as a request', { exact: false }).count(), POLL)
      .toBe(0);
  }, 180_000);

  it('a request is reported to the moderators, then its sender blocked and refused', async () => {
    await groupTab(cy.page, 'Members');
    await cy.page.getByRole('button', { name: 'Write privately to Bo' }).click();
    await dialog(cy.page).getByLabel('Message').fill('Add me somewhere else, now');
    await dialog(cy.page).getByRole('button', { name: 'Send', exact: true }).click();
    await cy.page.getByRole('heading', { level: 1, name: 'Bo', exact: true }).waitFor();

    const { page } = bo;
    await requestsButton(page).click();
    const card = requestCard(page, 'Cy');
    await card.getByText('Add me somewhere else, now').waitFor();
    await card.getByRole('button', { name: 'Report to moderators' }).click();
    const report = dialog(page);
    await report.getByText(/^The moderators of “Night owls” receive what Cy wrote/u).waitFor();
    await report.getByLabel('Reason').fill('pushy');
    await report.getByRole('button', { name: 'Send report' }).click();
    await report.waitFor({ state: 'detached' });
    await expect.poll(() => outcome(page).textContent(), POLL).toBe('Reported to 1 moderator.');
    // The moderator receives it.
    await groupTab(ana.page, 'Reports');
    await ana.page.getByText('Add me somewhere else, now').first().waitFor();

    // Block, confirmed, and the outcome said.
    await card.getByRole('button', { name: 'Block' }).click();
    const block = dialog(page);
    await block.getByText(/can no longer reach you: the relay refuses/u).waitFor();
    await expectNoSeriousAxeViolations(page, 'block confirmation');
    await block.getByRole('button', { name: 'Block' }).click();
    await block.waitFor({ state: 'detached' });
    await expect
      .poll(() => outcome(page).textContent(), POLL)
      .toBe('Blocked — they can no longer reach you.');
    await page.getByText('No message requests.').waitFor();
    await screenshot(bo, 'request-blocked');

    // Cy's next message is refused at the relay; her window says it was not delivered.
    await send(cy.page, 'Bo', 'Hello?');
    await messageItem(cy.page, 'Bo', 'Hello?')
      .getByText('Not delivered — the contact no longer accepts messages from you')
      .waitFor();
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  }, 180_000);
});
