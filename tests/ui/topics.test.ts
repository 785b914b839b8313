/**
 * Topics and threads in the real window, two members on a real relay: the owner creates a topic
 * and posts into it; the member sees its unread count in the topic bar, opens it (the count goes),
 * and answers in a thread; "1 reply" opens the thread panel for the owner; the owner moves a
 * message from General into the topic and closes the topic; the member sees the moved message
 * there, the friendly log lines, and a composer that says why it is gone. Then the owner renames
 * the closed topic (Bo sees the name; the moderation log records it) and reopens it (Bo posts
 * again); and Bo gets "New topic" only while the group lets members create topics (screenshots
 * topic-policy, topic-policy-member).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { expectNoSeriousAxeViolations } from './axeCheck.js';
import {
  POLL,
  dialog,
  firstRun,
  groupOfTwo,
  messageAction,
  messageItem,
  send,
} from './windowSteps.js';

const GROUP = 'Lantern Circle';
const TOPIC = 'Treatments';
const IN_TOPIC = 'Has anyone tried the new enzyme infusion?';
const REPLY = 'Yes, twice a month since June. Happy to share notes.';
const STRAY = 'My infusion nurse swears by warm packs afterwards.';
const RENAMED = 'Treatments and trials';
const AFTER_REOPEN = 'Back from the monthly call: the trial is recruiting again.';
const MEMBER_TOPIC = 'Newly diagnosed';

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
    await groupOfTwo(ana.page, bo.page, GROUP, { owner: 'Ana', member: 'Bo' });

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

  it('renames and reopens a topic: members see the name, the log records it, and posting resumes', async () => {
    // Ana renames the closed topic from the bar.
    await topicButton(ana.page, new RegExp(`^${TOPIC}`, 'u')).click();
    await topicBar(ana.page).getByRole('button', { name: 'Rename topic' }).click();
    const rename = dialog(ana.page);
    await expect(rename.getByLabel('Topic name').inputValue()).resolves.toBe(TOPIC);
    await rename.getByLabel('Topic name').fill(RENAMED);
    await rename.getByRole('button', { name: 'Save', exact: true }).click();
    await rename.waitFor({ state: 'detached' });
    await topicBar(ana.page)
      .locator('[aria-current="page"]')
      .filter({ hasText: RENAMED })
      .waitFor();

    // Bo sees the new name in his bar, still closed, and the change among the group's messages.
    await topicButton(bo.page, new RegExp(`^${RENAMED}\\s*Closed`, 'u')).waitFor();
    expect(await topicButton(bo.page, new RegExp(`^${TOPIC}\\s*Closed`, 'u')).count()).toBe(0);
    await messageItem(bo.page, GROUP, `Ana renamed a topic to “${RENAMED}”.`).waitFor();

    // The moderation log, which every member reads, records it.
    await bo.page.getByRole('button', { name: 'Members', exact: true }).click();
    await bo.page.getByRole('tab', { name: 'Log' }).click();
    await bo.page
      .getByRole('table', { name: /log/iu })
      .getByRole('row')
      .filter({ hasText: 'Ana' })
      .filter({ hasText: `renamed a topic to “${RENAMED}”` })
      .waitFor();
    await bo.page.getByRole('button', { name: 'Back to the chat' }).click();

    // Ana reopens it; Bo can post in it again.
    await topicBar(ana.page).getByRole('button', { name: 'Reopen topic' }).click();
    await dialog(ana.page).getByRole('button', { name: 'Reopen topic' }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await topicBar(ana.page).getByRole('button', { name: 'Close topic' }).waitFor();
    await topicButton(bo.page, new RegExp(`^${RENAMED}$`, 'u')).click();
    await send(bo.page, GROUP, AFTER_REOPEN);
    await messageItem(ana.page, GROUP, AFTER_REOPEN).waitFor();
  });

  it('lets members create topics only when a moderator turns it on', async () => {
    // Off (the default): Bo, a member, has no New topic; Ana has.
    await topicBar(ana.page).getByRole('button', { name: 'New topic' }).waitFor();
    expect(await topicBar(bo.page).getByRole('button', { name: 'New topic' }).count()).toBe(0);

    // Ana turns it on in the group's settings.
    await ana.page.getByRole('button', { name: 'Members', exact: true }).click();
    await ana.page.getByRole('tab', { name: 'About' }).click();
    const allow = ana.page.getByLabel('Members may create topics');
    expect(await allow.isChecked()).toBe(false);
    await allow.check();
    await screenshot(ana, 'topic-policy');
    await ana.page.getByRole('button', { name: 'Save settings' }).click();
    await ana.page.getByText('Group settings saved.').waitFor();
    await expectNoSeriousAxeViolations(ana.page, 'group About, topic policy');
    await ana.page.getByRole('button', { name: 'Back to the chat' }).click();

    // Bo now has New topic, and creates one; both see it.
    const create = topicBar(bo.page).getByRole('button', { name: 'New topic' });
    await create.waitFor();
    expect(await topicBar(bo.page).getByRole('button', { name: 'Rename topic' }).count()).toBe(0);
    await create.click();
    await dialog(bo.page).getByLabel('Topic name').fill(MEMBER_TOPIC);
    await dialog(bo.page).getByRole('button', { name: 'Create topic' }).click();
    await dialog(bo.page).waitFor({ state: 'detached' });
    await topicBar(bo.page)
      .locator('[aria-current="page"]')
      .filter({ hasText: MEMBER_TOPIC })
      .waitFor();
    await topicButton(ana.page, new RegExp(`^${MEMBER_TOPIC}`, 'u')).waitFor();
    await messageItem(ana.page, GROUP, `Bo created the topic “${MEMBER_TOPIC}”.`).waitFor();
    await screenshot(bo, 'topic-policy-member');
    await expectNoSeriousAxeViolations(bo.page, 'topic bar, a member may create topics');

    // Off again: Bo's New topic goes.
    await ana.page.getByRole('button', { name: 'Members', exact: true }).click();
    await ana.page.getByRole('tab', { name: 'About' }).click();
    await ana.page.getByLabel('Members may create topics').uncheck();
    await ana.page.getByRole('button', { name: 'Save settings' }).click();
    await ana.page.getByText('Group settings saved.').waitFor();
    await expect
      .poll(() => topicBar(bo.page).getByRole('button', { name: 'New topic' }).count(), POLL)
      .toBe(0);
  });
});
