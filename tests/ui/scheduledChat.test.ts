/**
 * A scheduled host-led chat in the real window, two members on a real relay. Ana (the owner)
 * schedules "Thursday check-in" through the desktop API (the scheduling form is another screen's
 * test); a clock injected into both vaults' schedule readings moves past Q1, then past Q2. Bo sees
 * each prompt appear as a highlighted host message and answers it, tagged A1 then A2; Ana sees the
 * tags on his messages; an answer to a prompt the clock says was not asked yet is refused in words;
 * the transcript groups the answers by prompt and says where there are none; the moderation log
 * words the scheduling.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectAccessibleInBothThemes } from './axeCheck.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { POLL, dialog, firstRun, groupOfTwo, messageItem, messageList } from './windowSteps.js';

const GROUP = 'Harbour Circle';
const CHAT = 'Thursday check-in';
const Q1 = 'How was your week, in a word or two?';
const Q2 = 'What helped you most this week?';
const Q3 = 'What will you try before next Thursday?';
const A1 = 'Tired, but okay';
const A2 = 'A walk after dinner with my sister';
const EARLY = 'Going for the third one already';
const MINUTE = 60_000;

/**
 * How far the vaults' schedule clock is from the real one. The chat is scheduled in the "past"
 * (by the real clock) so that messages, sent at real time, come after the prompts they answer.
 */
let skewMs = -60 * MINUTE;
let stage: UiStage | undefined;
let ana: Person;
let bo: Person;

beforeAll(async () => {
  stage = await UiStage.open({ clientOptions: { scheduleClock: () => Date.now() + skewMs } });
  [ana, bo] = await Promise.all([stage.person('Ana'), stage.person('Bo')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/** The highlighted host message of a prompt in the open group's list. */
function promptItem(page: Page, text: string): Locator {
  return messageList(page, GROUP)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: /^Question \d+ of/u }) })
    .filter({ hasText: text });
}

function answerPicker(page: Page): Locator {
  return page.getByLabel('Answer to');
}

async function sendText(page: Page, text: string): Promise<void> {
  await page.getByLabel('Write a message').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

describe('the window, a scheduled chat while it runs and after', () => {
  it('shows prompts at their time, tags answers, refuses an early one, and keeps a transcript', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);

    // Ana creates an open group and an invite; Bo joins.
    await groupOfTwo(ana.page, bo.page, GROUP, { owner: 'Ana', member: 'Bo' });

    // Ana schedules the chat through the API: it starts 10 minutes after the schedule clock's
    // now, asks Q1 at once, Q2 after 20 minutes and Q3 after 55, and lasts an hour.
    const groups = await ana.service.handlers['conversations.list']({});
    const conversationId = groups.find((c) => c.title === GROUP)?.id ?? '';
    const startsAt = Date.now() + skewMs + 10 * MINUTE;
    await ana.service.handlers['schedules.create']({
      conversationId,
      title: CHAT,
      startsAt,
      durationMinutes: 60,
      occurrences: 1,
      prompts: [
        { offsetMinutes: 0, text: Q1 },
        { offsetMinutes: 20, text: Q2 },
        { offsetMinutes: 55, text: Q3 },
      ],
    });
    // Bo's vault has the schedule once it lists it as upcoming (not running yet: no prompt).
    const boGroups = await bo.service.handlers['conversations.list']({});
    const boConversation = boGroups.find((c) => c.title === GROUP)?.id ?? '';
    await expect
      .poll(
        async () =>
          (await bo.service.handlers['schedules.upcoming']({ conversationId: boConversation }))
            .length,
        POLL,
      )
      .toBe(1);
    expect(await answerPicker(bo.page).count()).toBe(0);

    // The clock passes the start: Q1 appears for both, highlighted, from the host.
    skewMs = startsAt + MINUTE - Date.now();
    const q1 = promptItem(bo.page, Q1);
    await q1.waitFor();
    await expect.poll(() => q1.innerText(), POLL).toMatch(/\bQ1\s*Ana · host\b/u);
    await promptItem(ana.page, Q1).waitFor();

    // Bo answers: the picker offers Q1 (the latest asked) and his message carries "A1".
    await expect.poll(() => answerPicker(bo.page).inputValue(), POLL).toMatch(/\/1$/u);
    expect(await answerPicker(bo.page).locator('option').allInnerTexts()).toStrictEqual([
      `Q1: ${Q1}`,
      'Not an answer',
    ]);
    await sendText(bo.page, A1);
    const boA1 = messageItem(bo.page, GROUP, A1);
    await boA1.getByText('A1', { exact: true }).waitFor();
    await messageItem(ana.page, GROUP, A1).getByText('A1', { exact: true }).waitFor();

    // The clock passes Q2's time: Q2 appears after Q1; the picker now defaults to it.
    skewMs = startsAt + 21 * MINUTE - Date.now();
    await promptItem(bo.page, Q2).waitFor();
    await expect.poll(() => answerPicker(bo.page).inputValue(), POLL).toMatch(/\/2$/u);
    await sendText(bo.page, A2);
    await messageItem(bo.page, GROUP, A2).getByText('A2', { exact: true }).waitFor();
    await messageItem(ana.page, GROUP, A2).getByText('A2', { exact: true }).waitFor();
    const order = await messageList(bo.page, GROUP).getByRole('listitem').allInnerTexts();
    const at = (text: string) => order.findIndex((item) => item.includes(text));
    expect(at(Q1)).toBeLessThan(at(A1));
    expect(at(Q1)).toBeLessThan(at(Q2));
    expect(at(Q2)).toBeLessThan(at(A2));
    await screenshot(bo, 'scheduled-chat-prompts');
    // High contrast (forced colours): the prompt keeps its frame in the system's colours.
    await bo.page.emulateMedia({ forcedColors: 'active' });
    await screenshot(bo, 'scheduled-chat-prompts-forced-colors');
    await bo.page.emulateMedia({ forcedColors: 'none' });
    await expectAccessibleInBothThemes(bo.page, 'scheduled chat prompts');

    // Bo keeps Q2 chosen while (by the clock) it has not been asked yet: refused in words, and
    // his draft stays. Q2 leaves the list; the picker keeps his choice rather than retag it.
    await answerPicker(bo.page).selectOption({ label: `Q2: ${Q2}` });
    skewMs = startsAt + 5 * MINUTE - Date.now();
    await promptItem(bo.page, Q2).waitFor({ state: 'detached' });
    await sendText(bo.page, EARLY);
    await bo.page
      .getByRole('alert')
      .filter({ hasText: 'That chat is not on now, or its question was not asked yet.' })
      .waitFor();
    expect(await bo.page.getByLabel('Write a message').inputValue()).toBe(EARLY);
    expect(await messageItem(ana.page, GROUP, EARLY).count()).toBe(0);
    skewMs = startsAt + 21 * MINUTE - Date.now();
    await promptItem(bo.page, Q2).waitFor();
    await bo.page.getByLabel('Write a message').fill('');

    // The transcript, opened by keyboard from the group: each prompt with its answers; Q3,
    // not asked yet, says it has none. Escape closes it and gives focus back.
    const transcriptButton = ana.page.getByRole('button', { name: 'Transcript', exact: true });
    await transcriptButton.focus();
    await ana.page.keyboard.press('Enter');
    const transcript = dialog(ana.page);
    await transcript.getByRole('heading', { name: `Transcript: ${CHAT}` }).waitFor();
    const section = (n: number) =>
      transcript.getByRole('region', { name: new RegExp(`^Q${n} `, 'u') });
    await section(1).getByRole('listitem').filter({ hasText: A1 }).waitFor();
    expect(await section(1).getByRole('listitem').allInnerTexts()).toHaveLength(1);
    expect(await section(1).innerText()).toContain('Bo');
    await section(2).getByRole('listitem').filter({ hasText: A2 }).waitFor();
    expect(await section(2).getByRole('listitem').count()).toBe(1);
    await section(3).getByText('No answers to this question.').waitFor();
    await screenshot(ana, 'scheduled-chat-transcript');
    await expectAccessibleInBothThemes(ana.page, 'scheduled chat transcript');
    await ana.page.keyboard.press('Escape');
    await transcript.waitFor({ state: 'detached' });
    await expect
      .poll(() => transcriptButton.evaluate((button) => button === document.activeElement), POLL)
      .toBe(true);

    // The moderation log words the scheduling after the actor, in Bo's window too.
    await bo.page.getByRole('button', { name: 'Members', exact: true }).click();
    await bo.page.getByRole('tab', { name: 'Moderation log' }).click();
    await bo.page
      .getByRole('row')
      .filter({ hasText: 'Ana' })
      .filter({ hasText: `scheduled “${CHAT}”` })
      .waitFor();

    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});
