/**
 * Content warnings in the real window: Bo writes to Ana under a warning chosen in the composer;
 * both see the message covered (its words nowhere in the page) until they reveal it, and it is
 * covered again when the chat is opened again. In a group the same: a member's warned post is
 * covered for the others. The owner turns on "Require warnings on images" on the group page and
 * members are told in the composer. (The refusal of an unwarned image through the send path is
 * tests/desktop/contentWarnings.test.ts: this branch's window has no attach button yet.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  chatList,
  firstRun,
  messageItem,
  messageList,
  openChat,
  openSection,
} from './windowSteps.js';

const GROUP = 'Wound care';
const DIRECT = 'The dressing came off and the wound looks deep and raw today.';
const IN_GROUP = 'We buried my father on Sunday; the hospice nurses were with us to the end.';

let stage: UiStage | undefined;
let ana: Person;
let bo: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo] = await Promise.all([stage.person('Ana'), stage.person('Bo')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/** Everything the page holds: its text and its markup (attributes too). */
async function pageHolds(page: Page, words: string): Promise<boolean> {
  const text = await page.evaluate(() => document.body.textContent);
  return text.includes(words) || (await page.content()).includes(words);
}

/** The covered item of a conversation: its warning and a Reveal button. */
function coveredItem(page: Page, title: string, warning: string) {
  return messageItem(page, title, `Content warning: ${warning}`);
}

describe('the window, content warnings', () => {
  let groupConversation = '';

  it('1:1: a warning from the composer covers the message on both sides until revealed, per viewing', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    await bo.service.handlers['contacts.add']({ link: invite.link });

    // Bo writes, puts a preset warning on the draft (a chip until removed) and sends.
    await openChat(bo.page, 'Rowan');
    await bo.page.getByLabel('Write a message').fill(DIRECT);
    await bo.page.getByRole('button', { name: 'Add a content warning' }).click();
    await bo.page.getByRole('menuitem', { name: 'Graphic medical image' }).click();
    const chip = bo.page.getByLabel('Content warning', { exact: true });
    expect(await chip.inputValue()).toBe('Graphic medical image');
    await screenshot(bo, '40-warning-draft-chip');
    await bo.page.getByRole('button', { name: 'Send', exact: true }).click();
    const own = coveredItem(bo.page, 'Rowan', 'Graphic medical image');
    await own.waitFor();
    await chip.waitFor({ state: 'detached' });
    expect(await own.getByRole('button', { name: 'Reveal' }).count()).toBe(1);
    expect(await pageHolds(bo.page, DIRECT)).toBe(false);

    // Ana: the chat list says the warning, never the words; the message is covered.
    const { page } = ana;
    await chatList(page)
      .getByText('Content warning: Graphic medical image', { exact: true })
      .waitFor();
    await openChat(page, 'Sky');
    const covered = coveredItem(page, 'Sky', 'Graphic medical image');
    await covered.waitFor();
    expect(await pageHolds(page, DIRECT)).toBe(false);
    expect(await pageHolds(page, 'wound')).toBe(false);
    await screenshot(ana, '41-warning-covered-direct');

    // Reveal shows it here, with its warning still named and a way to cover it again.
    await covered.getByRole('button', { name: 'Reveal' }).click();
    const shown = messageItem(page, 'Sky', DIRECT);
    await shown.waitFor();
    expect(await shown.textContent()).toContain('Content warning: Graphic medical image');
    await screenshot(ana, '42-warning-revealed-direct');
    await shown.getByRole('button', { name: 'Cover again' }).click();
    await covered.getByRole('button', { name: 'Reveal' }).waitFor();
    expect(await pageHolds(page, DIRECT)).toBe(false);

    // Revealed again, then the chat is closed and opened: covered again.
    await covered.getByRole('button', { name: 'Reveal' }).click();
    await shown.waitFor();
    await openSection(page, 'Contacts');
    expect(await pageHolds(page, DIRECT)).toBe(false);
    await openChat(page, 'Sky');
    await coveredItem(page, 'Sky', 'Graphic medical image').waitFor();
    expect(await pageHolds(page, DIRECT)).toBe(false);
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('1:1: a warning in the person’s own words; a blank one is refused and the draft kept', async () => {
    const { page } = bo;
    await openChat(page, 'Rowan');
    const own = 'Results came back; it is not good news.';
    await page.getByLabel('Write a message').fill(own);
    await page.getByRole('button', { name: 'Add a content warning' }).click();
    await page.getByRole('menuitem', { name: 'Your own words…' }).click();
    const chip = page.getByLabel('Content warning', { exact: true });
    await expect.poll(() => chip.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Write the content warning, or remove it.' })
      .waitFor();
    expect(await page.getByLabel('Write a message').inputValue()).toBe(own);
    await chip.fill('Hard news');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await coveredItem(page, 'Rowan', 'Hard news').waitFor();
    await coveredItem(ana.page, 'Sky', 'Hard news').waitFor();
    expect(await pageHolds(ana.page, own)).toBe(false);
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('group: a warned post is covered for members until revealed', async () => {
    const group = await ana.service.handlers['groups.create']({
      name: GROUP,
      description: '',
      rules: 'Be kind.',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ana',
    });
    groupConversation = group.conversationId;
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
    await expect
      .poll(
        async () =>
          (await ana.service.handlers['groups.members']({ conversationId: groupConversation }))
            .length,
        POLL,
      )
      .toBe(2);
    await expect
      .poll(
        async () =>
          (await bo.service.handlers['groups.details']({ conversationId: groupConversation }))
            .waitingForKey,
        POLL,
      )
      .toBe(false);
    await ana.service.handlers['conversations.send']({
      conversationId: groupConversation,
      text: IN_GROUP,
      warning: 'Loss / bereavement',
    });
    await expect
      .poll(
        async () =>
          (
            await bo.service.handlers['conversations.messages']({
              conversationId: groupConversation,
            })
          ).some((message) => message.warning === 'Loss / bereavement'),
        POLL,
      )
      .toBe(true);

    const { page } = bo;
    await openChat(page, GROUP);
    const covered = coveredItem(page, GROUP, 'Loss / bereavement');
    await covered.waitFor();
    expect(await pageHolds(page, IN_GROUP)).toBe(false);
    expect(await pageHolds(page, 'hospice')).toBe(false);
    await screenshot(bo, '43-warning-covered-group');
    await covered.getByRole('button', { name: 'Reveal' }).click();
    await messageItem(page, GROUP, IN_GROUP).waitFor();
    expect(await messageList(page, GROUP).getByRole('button', { name: 'Reveal' }).count()).toBe(0);
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('group: the owner requires warnings on images, and members are told in the composer', async () => {
    const { page } = ana;
    await openChat(page, GROUP);
    await page.getByRole('button', { name: 'Members', exact: true }).click();
    await page.getByRole('tab', { name: 'About' }).click();
    const box = page.getByLabel('Require warnings on images');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await screenshot(ana, '44-require-image-warnings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(
        async () =>
          (await ana.service.handlers['groups.details']({ conversationId: groupConversation }))
            .policy.requireImageWarnings,
        POLL,
      )
      .toBe(true);

    // Bo's client reads the policy from the log; his composer says it.
    await bo.page.getByText('This group asks for a content warning on images.').waitFor();
    await screenshot(bo, '45-image-warnings-hint');
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);
});
