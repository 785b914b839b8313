/**
 * The window tells the truth and the keys do what people expect (issue 15): "Get started" waits
 * for the passphrase's rating; "Welcome" on a first run and "Welcome back" after unlocking; focus
 * lands on the chat list; "Replying to you"; a verified contact's button says "Verified"; Escape
 * cancels a reply and closes menus and dialogs without ever locking unless "Escape twice locks"
 * is on, and then only with nothing open; locking leaves nothing of the vault for a screen
 * reader; a group made without a pseudonym gets a generated one, and a clash is warned about;
 * a chat opens at its newest message even under a pinned bar, and stays there.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  PASSPHRASE,
  POLL,
  dialog,
  firstRun,
  messageAction,
  messageItem,
  openChat,
  openSection,
  send,
} from './windowSteps.js';

let stage: UiStage | undefined;
let alice: Person;
let bob: Person;
/** Alice's 1:1 chat with Bob, as each side names it. */
let aliceToBob = '';
let bobToAlice = '';
const GROUP = 'Thursday circle';

beforeAll(async () => {
  stage = await UiStage.open();
  [alice, bob] = await Promise.all([stage.person('Alice'), stage.person('Bob')]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

function expectNoConsoleProblems(): void {
  expect(stage?.takeConsoleProblems()).toStrictEqual([]);
}

/** The page shows nothing: quick exit happened. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText.trim());
}

/** The accessible name (or text) of whatever has the keyboard focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement)) return '';
    return `${active.tagName.toLowerCase()}:${active.getAttribute('aria-label') ?? active.innerText.trim()}`;
  });
}

describe('the window, truthful words and keys', () => {
  it('waits for the passphrase rating on "Get started", then says Welcome and focuses', async () => {
    const relayUrl = stage?.relay.url ?? '';
    const { page } = alice;
    await page.getByRole('heading', { name: 'Welcome to Kindred' }).waitFor();
    // Hold the passphrase checker's code (loaded on first use) until Get started was pressed.
    const held: Route[] = [];
    await page.route('**/assets/*.js', (route) => {
      held.push(route);
    });
    await page.getByLabel('Pseudonym', { exact: true }).fill('Alice');
    await page.getByLabel('Relay address').fill(relayUrl);
    await page.getByLabel('Type it again').fill(PASSPHRASE);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await expect.poll(() => held.length, POLL).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Get started' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Checking how strong the passphrase is' })
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(alice, '50-get-started-waits-for-rating');
    for (const route of held.splice(0)) await route.continue();
    await page.unroute('**/assets/*.js');
    // No second press: it goes on by itself once the rating is in.
    await page.getByRole('heading', { name: 'Welcome, Alice', exact: true }).waitFor();
    // No chat yet: the keyboard starts on the first thing to do.
    await expect.poll(() => focused(page), POLL).toBe('button:Find a community');
    await screenshot(alice, '51-first-run-welcome');

    await firstRun(bob, 'Bob', relayUrl);
    expectNoConsoleProblems();
  });

  it('says "Replying to you" and "Verified"; Escape cancels and closes, and never locks', async () => {
    const invite = await alice.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    const contact = await bob.service.handlers['contacts.add']({ link: invite.link });
    bobToAlice = contact.conversationId;
    await openChat(bob.page, 'Alice');
    await send(bob.page, 'Alice', 'How was the appointment?');
    await openChat(alice.page, 'Bob');
    aliceToBob = (await alice.service.handlers['contacts.list']({}))[0]?.conversationId ?? '';

    // Alice answers Bob's message as a reply: Bob reads it as a reply to him.
    await messageAction(alice.page, 'Bob', 'How was the appointment?', 'Reply');
    await alice.page.getByText('Replying to Bob').waitFor();
    await send(alice.page, 'Bob', 'Long, but they listened this time.');
    const reply = messageItem(bob.page, 'Alice', 'Long, but they listened this time.');
    await expect
      .poll(() => reply.getByRole('blockquote').innerText(), POLL)
      .toMatch(/^Replying to you\s+How was the appointment\?$/u);
    // Alice, the author of the reply, sees whom she answered.
    await expect
      .poll(
        () =>
          messageItem(alice.page, 'Bob', 'Long, but they listened this time.')
            .getByRole('blockquote')
            .innerText(),
        POLL,
      )
      .toMatch(/^Replying to Bob\s+/u);

    // Escape cancels a reply in progress; nothing locks.
    const { page } = bob;
    await messageAction(page, 'Alice', 'Long, but they listened this time.', 'Reply');
    await page.getByText('Replying to Alice').waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('Replying to Alice').waitFor({ state: 'detached' });
    // Escape closes a menu; a second Escape right after does not lock (today it did).
    const item = messageItem(page, 'Alice', 'Long, but they listened this time.');
    await item.getByRole('button', { name: 'More actions' }).click();
    await item.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    await item.getByRole('menu').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    expect(await pageText(page)).not.toBe('');
    expect(await bob.service.state()).toMatchObject({ phase: 'unlocked' });

    // Bob verifies Alice: the button says so, and still shows the number to compare again.
    const digits = (
      await bob.service.handlers['contacts.safetyNumber']({ conversationId: bobToAlice })
    ).digits;
    await bob.service.handlers['contacts.verify']({ conversationId: bobToAlice, digits });
    const verified = page.getByRole('button', { name: 'Verified', exact: true });
    await verified.waitFor();
    expect(await page.getByRole('button', { name: 'Safety number', exact: true }).count()).toBe(0);
    await screenshot(bob, '52-replying-to-you-and-verified');
    await verified.click();
    await dialog(page).getByRole('heading', { name: 'Safety number with Alice' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    expect(await pageText(page)).not.toBe('');
    expect(await bob.service.state()).toMatchObject({ phase: 'unlocked' });
    expectNoConsoleProblems();
  });

  it('locks with Escape twice only when set, and only with nothing open', async () => {
    const { page } = bob;
    await openSection(page, 'Settings');
    const setting = page.getByRole('checkbox', { name: 'Escape twice locks' });
    expect(await setting.isChecked()).toBe(false);
    // The box shows the saved setting: it turns once main has saved it (slow on a busy machine).
    await setting.click();
    await expect.poll(() => setting.isChecked(), POLL).toBe(true);
    await expect.poll(() => bob.service.state(), POLL).toMatchObject({ escapeTwiceLocks: true });

    // A menu open: the first Escape closes it, the next alone does not make a pair.
    await openChat(page, 'Alice');
    const item = messageItem(page, 'Alice', 'Long, but they listened this time.');
    await item.getByRole('button', { name: 'More actions' }).click();
    await item.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    await item.getByRole('menu').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    expect(await pageText(page)).not.toBe('');
    // Nothing open: two quick presses are a quick exit (the one before may pair already).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => pageText(page), POLL).toBe('');
    await expect.poll(() => bob.service.state(), POLL).toMatchObject({ phase: 'locked' });

    // Unlocking says "Welcome back" and puts the keyboard on the chat list.
    await page.keyboard.press('Enter');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Welcome back, Bob', exact: true }).waitFor();
    await expect.poll(() => focused(page), POLL).toMatch(/^button:Alice\b/u);
    expectNoConsoleProblems();
  });

  it('leaves nothing of the vault in the live region, alerts or title once locked', async () => {
    const { page } = alice;
    await openChat(page, 'Bob');
    await bob.service.handlers['conversations.send']({
      conversationId: bobToAlice,
      text: 'Talk tomorrow? Same time.',
    });
    const live = page.locator('[aria-live="polite"][role="status"]').last();
    await expect.poll(() => live.innerText(), POLL).toMatch(/New message from Bob/u);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    const everything = await page.evaluate(() => document.body.textContent);
    expect(everything).not.toMatch(/Bob|Talk tomorrow|New message/u);
    expect(await page.title()).toBe('Kindred');
    await screenshot(alice, '53-locked-nothing-left');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Welcome back, Alice', exact: true }).waitFor();
    await expect.poll(() => focused(page), POLL).toMatch(/^button:Bob\b/u);
    expect(aliceToBob).not.toBe('');
    expectNoConsoleProblems();
  });

  it('gives a group persona a generated name, and warns of a name two personas share', async () => {
    const { page } = alice;
    await openSection(page, 'Groups');
    await page.getByRole('button', { name: 'Create a group' }).click();
    const create = dialog(page);
    await create.getByLabel('Group name').fill(GROUP);
    // Typing her main name warns at once, before anything is sent.
    const field = create.getByLabel('Pseudonym in this group');
    await field.fill('alice');
    await create
      .getByRole('status')
      .filter({ hasText: 'Another of your personas is called Alice: people could link them.' })
      .waitFor();
    await screenshot(alice, '54-pseudonym-clash-warning');
    // Left empty, Kindred makes one up.
    await field.fill('');
    await create.getByText('Another of your personas').waitFor({ state: 'detached' });
    await create.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    const personas = await alice.service.handlers['personas.list']({});
    const made = personas.find((persona) => persona.groups.includes(GROUP));
    expect(made?.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/u);
    expect(made?.pseudonym.toLowerCase()).not.toContain('alice');
    await page.getByText(`You appear here as ${made?.pseudonym ?? ''}`).waitFor();

    // The Personas screen no longer claims nobody can tell; a new persona's clash is warned too.
    await openSection(page, 'Personas');
    expect(await page.getByText('can tell that they belong to the same person').count()).toBe(0);
    await page.getByLabel('Pseudonym for the new persona').fill(made?.pseudonym ?? '');
    await page
      .getByRole('status')
      .filter({ hasText: `Another of your personas is called ${made?.pseudonym ?? ''}` })
      .waitFor();
    await screenshot(alice, '55-personas');
    expectNoConsoleProblems();
  });

  it('opens a chat at its newest message under a pinned bar, and stays there', async () => {
    const { page } = alice;
    const group = (await alice.service.handlers['conversations.list']({})).find(
      (conversation) => conversation.title === GROUP,
    );
    const conversationId = group?.id ?? '';
    let first = '';
    for (let n = 1; n <= 30; n++) {
      const sent = await alice.service.handlers['conversations.send']({
        conversationId,
        text: `Note ${n} of the week.`,
      });
      if (n === 1) first = sent.id;
    }
    await alice.service.handlers['groups.moderateMessage']({
      conversationId,
      action: 'pin',
      messageId: first,
      reason: '',
    });
    await openChat(page, 'Bob');
    await openChat(page, GROUP);
    await page.getByRole('region', { name: 'Pinned messages' }).waitFor();
    const newest = messageItem(page, GROUP, 'Note 30 of the week.');
    await expect.poll(() => distanceFromBottom(page), POLL).toBeLessThanOrEqual(1);
    await expect.poll(() => hiddenBelow(page, 'Note 30 of the week.'), POLL).toBeLessThanOrEqual(0);
    await screenshot(alice, '56-pinned-bar-newest-in-view');

    // A new message while at the bottom: still at the bottom, the new one in view.
    await send(page, GROUP, 'And one more, just now.');
    await expect.poll(() => distanceFromBottom(page), POLL).toBeLessThanOrEqual(1);
    await expect
      .poll(() => hiddenBelow(page, 'And one more, just now.'), POLL)
      .toBeLessThanOrEqual(0);
    await newest.waitFor();
    expectNoConsoleProblems();
  });
});

/** How far (px) the open chat's message list is scrolled above its bottom. */
function distanceFromBottom(page: Page): Promise<number> {
  return page.evaluate(() => {
    const scroller = document.querySelector('.message-scroller');
    if (scroller === null) return Number.POSITIVE_INFINITY;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
  });
}

/**
 * How many px of the message holding `text` are hidden below what is seen of the list, or behind
 * the composer (0 or less: all of it is in view).
 */
function hiddenBelow(page: Page, text: string): Promise<number> {
  return page.evaluate((wanted) => {
    const scroller = document.querySelector('.message-scroller');
    const composer = document.querySelector('.composer');
    const item = [...document.querySelectorAll('.messages > li')].find((li) =>
      li.textContent.includes(wanted),
    );
    if (scroller === null || item === undefined) return Number.POSITIVE_INFINITY;
    const visibleBottom = Math.min(
      scroller.getBoundingClientRect().bottom,
      composer?.getBoundingClientRect().top ?? Number.POSITIVE_INFINITY,
    );
    return item.getBoundingClientRect().bottom - visibleBottom;
  }, text);
}
