/**
 * Scheduled chats in the real window, two people on a real relay in two time zones: Ana (owner,
 * London) reaches "Scheduled chats" from the group's Rules and info by keyboard and schedules a
 * weekly chat with two questions (an empty title is refused under its field first); Bo (member,
 * Kolkata, 5 h 30 ahead) sees it in his own zone, has no "Schedule a chat", sets "Remind me";
 * once his vault's clock passes the reminder's moment the window shows a notification that names
 * no chat, and clicking it opens the group; while it runs it reads "Now". Ana reschedules it and
 * cancels one date, then all of it, and Bo's list follows. Screenshots schedule-form,
 * schedule-list (Bo's) and schedule-list-moderator (Ana's); axe on the form and the list.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { POLL, dialog, firstRun, groupOfTwo, openChat, openSection } from './windowSteps.js';

const GROUP = 'Lupus circle';
const CHAT = 'Tuesday check-in';
const Q1 = 'How was your week?';
const Q2 = 'What helped you most?';
const MINUTE = 60_000;
/** How often Bo's main asks for due reminders (30 s in the app, shortened here). */
const REMINDER_POLL_MS = 200;
/** The window's list refresh (SchedulePanel). */
const LIST_REFRESH_MS = 60_000;

let stage: UiStage | undefined;
let ana: Person;
let bo: Person;
/** Bo's vault clock for scheduled chats; undefined: the real one. */
let boNow: number | undefined;
/** The chat's first start, as Ana typed it (tomorrow 18:00 in London). */
let startsAt = 0;

/**
 * Wraps the page's Notification so that each one the window builds is recorded (title, body and
 * the notification, to click), then made by Chromium as usual. A string, so that no helper of
 * the test's compiler travels into the page.
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

/** What the window's notifications were built with. */
interface ShownNotification {
  readonly title: string;
  readonly body: string;
}

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo] = await Promise.all([
    stage.person('Ana', { timeZone: 'Europe/London' }),
    stage.person('Bo', {
      timeZone: 'Asia/Kolkata',
      now: () => boNow ?? Date.now(),
      reminderPollMs: REMINDER_POLL_MS,
    }),
  ]);
  // Bo lets the window notify; each Notification the page builds is recorded, then shown by
  // Chromium as usual. His page's timers may be jumped ahead (the clock flows as usual till then).
  await bo.context.grantPermissions(['notifications'], { origin: new URL(bo.host.url).origin });
  await bo.page.clock.install();
  await bo.page.evaluate(RECORD_NOTIFICATIONS);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() =>
    (window as unknown as { shownNotifications: ShownNotification[] }).shownNotifications.map(
      ({ title, body }) => ({ title, body }),
    ),
  );
}

function scheduleList(page: Page): Locator {
  return page.getByRole('list', { name: 'Upcoming chats' });
}

function chatRow(page: Page): Locator {
  return scheduleList(page).getByRole('listitem').filter({ hasText: CHAT }).first();
}

/** Presses Tab until the focused element is the button named `name` (at most `tries` times). */
async function tabTo(page: Page, name: string, tries = 40): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const active = document.activeElement;
      return active instanceof HTMLButtonElement ? active.textContent.trim() : '';
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached the button “${name}”`);
}

/** Opens the group's page on its Scheduled chats tab (through Rules and info). */
async function openSchedules(page: Page): Promise<void> {
  await openChat(page, GROUP);
  await page.getByRole('button', { name: 'Rules and info' }).click();
  await page.getByRole('complementary').getByRole('button', { name: 'Scheduled chats' }).click();
  await page.getByRole('tab', { name: 'Scheduled chats', selected: true }).waitFor();
}

describe('the window, scheduled chats', () => {
  it('a moderator schedules a weekly chat with two questions, reached by keyboard', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);

    // Ana creates an open group and an invite; Bo joins.
    await groupOfTwo(ana.page, bo.page, GROUP, { owner: 'Ana', member: 'Bo' });

    // By keyboard: Rules and info, then its Scheduled chats, then Schedule a chat.
    const { page } = ana;
    await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await page.getByRole('button', { name: 'Rules and info' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('complementary').waitFor();
    await tabTo(page, 'Scheduled chats');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Scheduled chats', selected: true }).waitFor();
    await page.getByText('No chats are scheduled in this group.').waitFor();
    await page.getByText('Times are in your time zone, United Kingdom Time.').waitFor();
    await tabTo(page, 'Schedule a chat');
    await page.keyboard.press('Enter');
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Schedule a chat' }).waitFor();

    // Sent without a title: the problem shows under the title, which is marked invalid.
    await form.getByRole('button', { name: 'Schedule chat' }).click();
    await form.getByText('Give the chat a title.').waitFor();
    expect(await form.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');

    // Tomorrow (London) at 18:00 for an hour, three weeks running, Q1 at the start, Q2 at +10.
    const tomorrow = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(Date.now() + 24 * 60 * MINUTE);
    await form.getByLabel('Title').fill(CHAT);
    await form.getByLabel('Date').fill(tomorrow);
    await form.getByLabel('Start time').fill('18:00');
    await form.getByLabel('Length in minutes').fill('60');
    await form.getByLabel('How many times, a week apart').fill('3');
    await form.getByLabel('Q1', { exact: true }).fill(Q1);
    await form.getByRole('button', { name: 'Add a question' }).focus();
    await page.keyboard.press('Enter');
    expect(await form.getByLabel('Q2, minutes in').inputValue()).toBe('10');
    await form.getByLabel('Q2', { exact: true }).fill(Q2);
    await expectNoSeriousAxeViolations(page, 'schedule form');
    await screenshot(ana, 'schedule-form');
    await form.getByRole('button', { name: 'Schedule chat' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('tabpanel').getByText(`“${CHAT}” is scheduled.`).waitFor();

    // Ana's own row, in London time, with the host, the repeat and the questions.
    const row = chatRow(page);
    await row.getByText('Hosted by Ana').waitFor();
    await row.getByText('Weekly, 3 times (this is number 1)').waitFor();
    await row.getByText(`Q1, at the start ${Q1}`).waitFor();
    await row.getByText(`Q2, 10 minutes in ${Q2}`).waitFor();
    const when = await row.locator('time').innerText();
    expect(when).toMatch(/18:00\s*–\s*19:00/u);
    await screenshot(ana, 'schedule-list-moderator');
    startsAt = Date.parse(`${tomorrow}T18:00:00Z`) - londonOffsetMs(tomorrow);
  });

  it('a member sees it in his own zone, sets a reminder and is reminded without its title', async () => {
    const { page } = bo;
    await openSchedules(page);
    await page.getByText('Times are in your time zone, India Standard Time.').waitFor();
    const row = chatRow(page);
    await row.getByText('Hosted by Ana').waitFor();
    // 18:00 in London is 23:30 in Kolkata, and the hour ends after midnight there.
    const when = await row.locator('time').innerText();
    expect(when).toMatch(/23:30/u);
    expect(when).toMatch(/00:30/u);
    expect(when).not.toMatch(/18:00/u);
    // Members schedule nothing, reschedule nothing, cancel nothing.
    expect(await page.getByRole('button', { name: 'Schedule a chat' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Reschedule' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Cancel chat' }).count()).toBe(0);

    await row.getByLabel('Remind me').selectOption({ label: '15 minutes before' });
    await page.getByRole('tabpanel').getByText(`Reminder saved for “${CHAT}”.`).waitFor();
    await expectNoSeriousAxeViolations(page, 'schedule list');
    await screenshot(bo, 'schedule-list');

    // Bo goes elsewhere (Settings); nothing is due yet, so main's polls show nothing.
    await openSection(page, 'Settings');
    await page.waitForTimeout(5 * REMINDER_POLL_MS);
    expect(await shownNotifications(page)).toStrictEqual([]);

    // His clock passes the moment (10 minutes before the start): main's next poll notifies once,
    // with no title, no group and no time of the chat (notification text is off by default).
    boNow = startsAt - 10 * MINUTE;
    await expect
      .poll(() => shownNotifications(page), POLL)
      .toStrictEqual([{ title: 'A scheduled chat starts soon', body: '' }]);
    await page.waitForTimeout(5 * REMINDER_POLL_MS);
    expect(await shownNotifications(page)).toHaveLength(1);

    // Clicking it opens the group.
    await page.evaluate(() => {
      const [first] = (
        window as unknown as { shownNotifications: { notification: Notification }[] }
      ).shownNotifications;
      first?.notification.dispatchEvent(new Event('click'));
    });
    await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();

    // While it runs, the list says so.
    boNow = startsAt + 5 * MINUTE;
    await page.getByRole('button', { name: 'Rules and info' }).click();
    await page.getByRole('complementary').getByRole('button', { name: 'Scheduled chats' }).click();
    await chatRow(page).getByText('Now, until 00:30').waitFor();
    boNow = undefined;
    await page.clock.fastForward(LIST_REFRESH_MS);
    await chatRow(page).locator('time').waitFor();
  });

  it('a moderator reschedules and cancels; the member’s list follows', async () => {
    const { page } = ana;
    const row = chatRow(page);
    await row.getByRole('button', { name: 'Reschedule' }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: `Reschedule “${CHAT}”` }).waitFor();
    expect(await form.getByLabel('Start time').inputValue()).toBe('18:00');
    expect(await form.getByLabel('Q2', { exact: true }).inputValue()).toBe(Q2);
    await form.getByLabel('Start time').fill('19:00');
    await form.getByRole('button', { name: 'Remove Q2' }).click();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('tabpanel').getByText(`“${CHAT}” is rescheduled.`).waitFor();
    await expect.poll(() => row.locator('time').innerText(), POLL).toMatch(/19:00\s*–\s*20:00/u);
    expect(await row.getByText(Q2).count()).toBe(0);

    // Bo's list (open on his page) follows: 00:30 in Kolkata, Q2 gone.
    const boRow = chatRow(bo.page);
    await expect.poll(() => boRow.locator('time').innerText(), POLL).toMatch(/00:30\s*–\s*01:30/u);
    expect(await boRow.getByText(Q2).count()).toBe(0);

    // Only the next date goes: the row moves on to the second week.
    await row.getByRole('button', { name: 'Cancel chat' }).click();
    const cancel = dialog(page);
    await cancel.getByRole('radio', { name: /^Only the chat on / }).check();
    await cancel.getByRole('button', { name: 'Cancel chat' }).click();
    await cancel.waitFor({ state: 'detached' });
    await row.getByText('Weekly, 3 times (this is number 2)').waitFor();
    await boRow.getByText('Weekly, 3 times (this is number 2)').waitFor();

    // Then all of it: both lists are empty.
    await row.getByRole('button', { name: 'Cancel chat' }).click();
    await dialog(page).getByRole('radio', { name: 'Every date of this chat' }).check();
    await dialog(page).getByRole('button', { name: 'Cancel chat' }).click();
    await page.getByRole('tabpanel').getByText(`“${CHAT}” is cancelled.`).waitFor();
    await page.getByText('No chats are scheduled in this group.').waitFor();
    await bo.page.getByText('No chats are scheduled in this group.').waitFor();
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});

/** London's offset from UTC at 18:00 on `date` (0 in winter, an hour in summer). */
function londonOffsetMs(date: string): number {
  const sixUtc = Date.parse(`${date}T18:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    hour12: false,
  }).format(sixUtc);
  return (Number(parts) - 18) * 60 * MINUTE;
}
