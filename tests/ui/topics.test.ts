/**
 * Topics and threads in the real window, two members on a real relay: the owner creates a topic
 * and posts into it; the member sees its unread count in the topic bar, opens it (the count goes),
 * and answers in a thread; "1 reply" opens the thread panel for the owner; the owner moves a
 * message from General into the topic and closes the topic; the member sees the moved message
 * there, the friendly log lines, and a composer that says why it is gone.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  dialog,
  firstRun,
  messageAction,
  messageItem,
  openSection,
  send,
} from './windowSteps.js';

const GROUP = 'Lantern Circle';
const TOPIC = 'Treatments';
const IN_TOPIC = 'Has anyone tried the new enzyme infusion?';
const REPLY = 'Yes, twice a month since June. Happy to share notes.';
const STRAY = 'My infusion nurse swears by warm packs afterwards.';

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

function topicBar(page: Page): Locator {
  return page.getByRole('navigation', { name: `Topics in ${GROUP}` });
}

/** A topic's button in the bar; its name carries the unread count ("Treatments 1 unread"). */
function topicButton(page: Page, name: RegExp): Locator {
  return topicBar(page).getByRole('button', { name });
}

function threadPanel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Thread' });
}

describe('the window, topics and threads', () => {
  it('creates a topic, counts unread, threads replies, moves a message and closes a topic', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);

    // Ana creates an open group and an invite; Bo joins.
    await openSection(ana.page, 'Groups');
    await ana.page.getByRole('button', { name: 'Create a group' }).click();
    const create = dialog(ana.page);
    await create.getByLabel('Group name').fill(GROUP);
    await create.getByLabel('Pseudonym in this group').fill('Ana');
    await create.getByRole('button', { name: 'Create group' }).click();
    await ana.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await ana.page.getByRole('button', { name: 'Members', exact: true }).click();
    await ana.page.getByRole('tab', { name: 'Invite' }).click();
    await ana.page.getByRole('button', { name: 'Create group invite link' }).click();
    const linkField = ana.page.getByLabel('Group invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:group\//u);
    const link = await linkField.inputValue();
    await ana.page.getByRole('button', { name: 'Back to the chat' }).click();

    await openSection(bo.page, 'Groups');
    await bo.page.getByRole('button', { name: 'Join a group' }).click();
    await dialog(bo.page).getByLabel('Group invite link').fill(link);
    await dialog(bo.page).getByLabel('Pseudonym in this group').fill('Bo');
    await dialog(bo.page).getByRole('button', { name: 'Join group' }).click();
    await dialog(bo.page).waitFor({ state: 'detached' });
    await bo.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await bo.page.getByLabel('Write a message').waitFor();

    // No topics yet: no topic bar; Ana, the owner, creates the first from Rules and info. It
    // opens at once, empty.
    expect(await topicBar(ana.page).count()).toBe(0);
    await ana.page.getByRole('button', { name: 'Rules and info' }).click();
    await ana.page.getByRole('complementary').getByRole('button', { name: 'New topic' }).click();
    await dialog(ana.page).getByLabel('Topic name').fill(TOPIC);
    await dialog(ana.page).getByRole('button', { name: 'Create topic' }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await topicBar(ana.page).locator('[aria-current="page"]').filter({ hasText: TOPIC }).waitFor();
    await ana.page.getByText(`No messages in “${TOPIC}” yet.`).waitFor();
    await send(ana.page, GROUP, IN_TOPIC);

    // Bo sees the topic appear with one unread, General first; the message is not in General.
    const boTopic = topicButton(bo.page, new RegExp(`^${TOPIC}\\s*1 unread$`, 'u'));
    await boTopic.waitFor();
    const names = await topicBar(bo.page).getByRole('listitem').allInnerTexts();
    expect(names[0]).toMatch(/^General/u);
    expect(await messageItem(bo.page, GROUP, IN_TOPIC).count()).toBe(0);
    await messageItem(bo.page, GROUP, `Ana created the topic “${TOPIC}”.`).waitFor();
    await screenshot(bo, '60-topics-list');

    // He opens it: the message is there and the count goes.
    await boTopic.click();
    await messageItem(bo.page, GROUP, IN_TOPIC).waitFor();
    await topicButton(bo.page, new RegExp(`^${TOPIC}$`, 'u')).waitFor();

    // He answers in a thread: the reply lives in the panel, not in the topic's list.
    await messageAction(bo.page, GROUP, IN_TOPIC, 'Reply in thread');
    const boThread = threadPanel(bo.page);
    await boThread.getByText('No replies yet. Yours will be the first.').waitFor();
    await boThread.getByLabel('Write a message').fill(REPLY);
    await boThread.getByRole('button', { name: 'Send', exact: true }).click();
    await boThread.getByRole('listitem').filter({ hasText: REPLY }).waitFor();
    await boThread.getByText('1 reply', { exact: true }).waitFor();
    expect(await messageItem(bo.page, GROUP, REPLY).count()).toBe(0);

    // Ana sees "1 reply" under her message in the topic; it opens the thread, replies in order.
    const replies = messageItem(ana.page, GROUP, IN_TOPIC).getByRole('button', {
      name: '1 reply',
    });
    await replies.click();
    const anaThread = threadPanel(ana.page);
    await anaThread.getByRole('listitem').filter({ hasText: REPLY }).waitFor();
    await screenshot(ana, '61-topics-thread');
    await anaThread.getByRole('button', { name: 'Close thread' }).click();
    await anaThread.waitFor({ state: 'detached' });

    // Bo posts in General; Ana moves it into the topic from its menu.
    await bo.page.getByRole('button', { name: 'Close thread' }).click();
    await topicButton(bo.page, /^General/u).click();
    await send(bo.page, GROUP, STRAY);
    await topicButton(ana.page, /^General/u).click();
    await messageAction(ana.page, GROUP, STRAY, 'Move to another topic');
    await dialog(ana.page).getByLabel('Topic to move it to').selectOption({ label: TOPIC });
    await dialog(ana.page).getByRole('button', { name: 'Move', exact: true }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await ana.page.getByRole('main').getByText(`Message moved to “${TOPIC}”.`).waitFor();
    await messageItem(ana.page, GROUP, STRAY).waitFor({ state: 'detached' });
    await messageItem(bo.page, GROUP, `Ana moved a message to “${TOPIC}”.`).waitFor();
    await messageItem(bo.page, GROUP, STRAY).waitFor({ state: 'detached' });

    // Ana closes the topic with a reason.
    await topicButton(ana.page, new RegExp(`^${TOPIC}`, 'u')).click();
    await messageItem(ana.page, GROUP, STRAY).waitFor();
    await topicBar(ana.page).getByRole('button', { name: 'Close topic' }).click();
    await dialog(ana.page).getByLabel('Reason').fill('Moving this to the monthly call');
    await dialog(ana.page).getByRole('button', { name: 'Close topic' }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await topicBar(ana.page).getByRole('button', { name: 'Reopen topic' }).waitFor();

    // Bo: the topic is marked closed; in it, the moved message, and no composer but why.
    await topicButton(bo.page, new RegExp(`^${TOPIC}\\s*Closed`, 'u')).click();
    await messageItem(bo.page, GROUP, STRAY).waitFor();
    await bo.page
      .getByRole('status')
      .filter({ hasText: 'A moderator closed this topic' })
      .waitFor();
    expect(await bo.page.getByLabel('Write a message').count()).toBe(0);
    await topicButton(bo.page, /^General/u).click();
    await messageItem(
      bo.page,
      GROUP,
      `Ana closed the topic “${TOPIC}”. Reason: Moving this to the monthly call`,
    ).waitFor();
    await bo.page.getByLabel('Write a message').waitFor();
  });
});
