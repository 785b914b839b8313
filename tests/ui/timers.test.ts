/**
 * Disappearing messages in the real window. 1:1: Bo sets 5 minutes from the header; both see the
 * event line and the header's timer, and new messages carry the timer mark. Group: the owner has
 * the control, a member sees the timer read-only; the change is an event line for both. Expiry:
 * the stage lowers the minimum timer and sweeps often (the relay's and the client's test
 * tunables, as tests/integration/disappearing.test.ts does), so a message under a 3-second timer
 * leaves both windows live, without a reload.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { POLL, firstRun, messageItem, openChat, send } from './windowSteps.js';

const GROUP = 'Night owls';
const TIMED = 'This one is only for the next few minutes.';
const FLEETING = 'Gone in a moment: my scan results are back.';

let stage: UiStage | undefined;
let ana: Person;
let bo: Person;
let contactAtBo = '';

beforeAll(async () => {
  stage = await UiStage.open({
    relay: { minDisappearingSeconds: 1, disappearingSweepIntervalMs: 100 },
    clientOptions: { minDisappearingSeconds: 1, disappearingSweepMs: 100 },
  });
  [ana, bo] = await Promise.all([stage.person('Ana'), stage.person('Bo')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

function timerControl(page: Page) {
  return page.getByRole('combobox', { name: 'Disappearing messages' });
}

describe('the window, disappearing messages', () => {
  it('1:1: either side sets 5 minutes from the header; both see the event line and the timer', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    contactAtBo = (await bo.service.handlers['contacts.add']({ link: invite.link })).conversationId;

    await openChat(bo.page, 'Rowan');
    expect(await timerControl(bo.page).inputValue()).toBe('0');
    await timerControl(bo.page).selectOption({ label: '5 minutes' });
    await messageItem(bo.page, 'Rowan', 'You set disappearing messages to 5 minutes.').waitFor();
    await expect.poll(() => timerControl(bo.page).inputValue(), POLL).toBe('300');

    await openChat(ana.page, 'Sky');
    await messageItem(ana.page, 'Sky', 'Sky set disappearing messages to 5 minutes.').waitFor();
    await expect.poll(() => timerControl(ana.page).inputValue(), POLL).toBe('300');

    // What is written from now on carries the timer mark, on both sides.
    await send(bo.page, 'Rowan', TIMED);
    for (const [person, title] of [
      [bo, 'Rowan'],
      [ana, 'Sky'],
    ] as const) {
      const item = messageItem(person.page, title, TIMED);
      await item.waitFor();
      await expect.poll(() => item.getByText(/^Disappears /u).count(), POLL).toBe(1);
    }
    await screenshot(bo, '50-timer-direct-sender');
    await screenshot(ana, '51-timer-direct-receiver');
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('1:1: a message whose timer runs out leaves both windows live', async () => {
    // Seconds, which only the tests' lowered minimum allows; set through Bo's own service.
    await bo.service.handlers['conversations.setTimer']({
      conversationId: contactAtBo,
      seconds: 3,
    });
    await messageItem(ana.page, 'Sky', 'Sky set disappearing messages to 3 seconds.').waitFor();
    await send(bo.page, 'Rowan', FLEETING);
    await messageItem(ana.page, 'Sky', FLEETING).waitFor();
    await screenshot(ana, '52-timer-before-expiry');
    await Promise.all([
      messageItem(bo.page, 'Rowan', FLEETING).waitFor({ state: 'detached' }),
      messageItem(ana.page, 'Sky', FLEETING).waitFor({ state: 'detached' }),
    ]);
    const left = await bo.service.handlers['conversations.messages']({
      conversationId: contactAtBo,
    });
    expect(left.map((message) => message.text)).not.toContain(FLEETING);
    await screenshot(ana, '53-timer-after-expiry');
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('group: moderators have the control, members see the timer; the change is an event line for both', async () => {
    const group = await ana.service.handlers['groups.create']({
      name: GROUP,
      description: '',
      rules: 'Be kind.',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ana',
    });
    const link = await ana.service.handlers['groups.invite']({
      conversationId: group.conversationId,
      maxUses: 1,
      expiresInHours: 1,
    });
    await bo.service.handlers['groups.join']({
      link: link.link,
      persona: 'fresh',
      pseudonym: 'Bo',
    });

    await openChat(bo.page, GROUP);
    await bo.page.getByText('Disappearing messages: Off').waitFor();
    expect(await timerControl(bo.page).count()).toBe(0);

    await openChat(ana.page, GROUP);
    await timerControl(ana.page).selectOption({ label: '1 day' });
    await messageItem(ana.page, GROUP, 'Ana set disappearing messages to 1 day.').waitFor();
    await messageItem(bo.page, GROUP, 'Ana set disappearing messages to 1 day.').waitFor();
    await bo.page.getByText('Disappearing messages: 1 day').waitFor();
    expect(await timerControl(bo.page).count()).toBe(0);
    // Posts from now on carry the timer mark for every member.
    await send(ana.page, GROUP, TIMED);
    const atBo = messageItem(bo.page, GROUP, TIMED);
    await atBo.waitFor();
    await expect.poll(() => atBo.getByText(/^Disappears /u).count(), POLL).toBe(1);
    await screenshot(ana, '54-timer-group-moderator');
    await screenshot(bo, '55-timer-group-member');
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('group: a post whose timer runs out leaves every member’s window live', async () => {
    const [group] = (await ana.service.handlers['conversations.list']({})).filter(
      (summary) => summary.title === GROUP,
    );
    const conversationId = group?.id ?? '';
    await ana.service.handlers['conversations.setTimer']({ conversationId, seconds: 3 });
    await messageItem(bo.page, GROUP, 'Ana set disappearing messages to 3 seconds.').waitFor();
    await send(ana.page, GROUP, FLEETING);
    await messageItem(bo.page, GROUP, FLEETING).waitFor();
    await Promise.all([
      messageItem(ana.page, GROUP, FLEETING).waitFor({ state: 'detached' }),
      messageItem(bo.page, GROUP, FLEETING).waitFor({ state: 'detached' }),
    ]);
    const left = await bo.service.handlers['conversations.messages']({ conversationId });
    expect(left.map((message) => message.text)).not.toContain(FLEETING);
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);
});
