/**
 * Two people in the real window (Chromium on their own dev hosts, one relay): first run, an
 * invite link, a 1:1 chat both ways with a reply and a reaction, safety numbers compared and
 * marked verified; then locking, unlocking and quick exit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  PASSPHRASE,
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
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';

let stage: UiStage | undefined;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  [alice, bob] = await Promise.all([stage.person('Alice'), stage.person('Bob')]);
});

beforeEach(({ onTestFailed }) => {
  // What everyone saw when it went wrong, before afterAll closes the browser.
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

function expectNoConsoleProblems(): void {
  expect(stage?.takeConsoleProblems()).toStrictEqual([]);
}

/** The safety number a dialog shows, as its twelve groups of five digits. */
async function safetyDigits(person: Person): Promise<string> {
  const number = person.page.getByRole('dialog').getByRole('group', { name: 'Safety number' });
  return ((await number.textContent()) ?? '').trim();
}

describe('the window, one to one', () => {
  it('takes two people from first run to a verified chat through an invite link', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([
      firstRun(alice, 'Alice', relayUrl, () => screenshot(alice, '01-first-run')),
      firstRun(bob, 'Bob', relayUrl),
    ]);
    await expect.poll(() => alice.service.state(), POLL).toMatchObject({ relayUrl, online: true });

    // Alice makes an invite link; it shows as text and as a QR code.
    await openSection(alice.page, 'Contacts');
    await alice.page.getByRole('button', { name: 'Create invite link' }).click();
    const linkField = alice.page.getByLabel('Your invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:contact\//u);
    const link = await linkField.inputValue();
    const qr = alice.page.getByRole('img', { name: 'QR code for adding you as a contact' });
    await qr.evaluate((element) => {
      element.scrollIntoView({ block: 'center' });
    });
    await screenshot(alice, '02-contacts-invite-qr');

    // Bob adds it and writes first.
    await openSection(bob.page, 'Contacts');
    await bob.page.getByLabel('Link you received').fill(link);
    await bob.page.getByRole('button', { name: 'Add contact' }).click();
    await bob.page.getByRole('button', { name: 'Write to Alice' }).click();
    await bob.page.getByRole('heading', { level: 1, name: 'Alice' }).waitFor();
    await send(bob.page, 'Alice', 'Hello Alice, it is Bob from the clinic.');

    // Its one use taken, Alice's panel no longer offers the link or its QR code.
    await alice.page
      .getByRole('status')
      .filter({ hasText: 'This link is used up (1 use). Make a new one to invite someone else.' })
      .waitFor();
    expect(await qr.count()).toBe(0);
    expect(await linkField.count()).toBe(0);
    await screenshot(alice, '02b-contacts-invite-used-up');

    // Alice sees Bob appear in her chats, opens the chat, reads and answers.
    await openChat(alice.page, 'Bob');
    await messageItem(alice.page, 'Bob', 'Hello Alice, it is Bob from the clinic.').waitFor();
    await send(alice.page, 'Bob', 'Hi Bob! So good to hear from you.');
    await messageItem(bob.page, 'Alice', 'Hi Bob! So good to hear from you.').waitFor();

    // Bob answers her message as a reply; Alice sees the quote.
    await messageAction(bob.page, 'Alice', 'Hi Bob! So good to hear from you.', 'Reply');
    await bob.page.getByText('Replying to Alice').waitFor();
    await send(bob.page, 'Alice', 'Thank you, that means a lot today.');
    const reply = messageItem(alice.page, 'Bob', 'Thank you, that means a lot today.');
    await reply.waitFor();
    await expect
      .poll(() => reply.getByRole('blockquote').innerText(), POLL)
      .toMatch(/Replying to you\s+Hi Bob! So good to hear from you\./u);

    // Alice sends a hug for it; Bob sees it on his message.
    await reply.getByRole('button', { name: 'Add reaction' }).click();
    await reply.getByRole('menuitem', { name: 'React with Hug' }).click();
    await reply.getByRole('button', { name: 'Hug: 1' }).waitFor();
    const reacted = messageItem(bob.page, 'Alice', 'Thank you, that means a lot today.');
    await reacted.getByRole('button', { name: 'Hug: 1' }).waitFor();
    expect(await reacted.getByRole('button', { name: 'Hug: 1' }).getAttribute('aria-pressed')).toBe(
      'false',
    );
    await alice.page.mouse.move(0, 0);
    await screenshot(alice, '03-chat-list-and-conversation');
    await screenshot(bob, '04-conversation-other-side');

    // A long story is never cut: past the limit the composer says so and keeps the draft whole
    // without sending it; a story under it goes whole.
    const field = alice.page.getByLabel('Write a message');
    const sendButton = alice.page.getByRole('button', { name: 'Send', exact: true });
    await field.fill('x'.repeat(65_537));
    await alice.page
      .getByRole('alert')
      .filter({
        hasText: 'This message is 65,537 characters long; one message holds up to 65,536.',
      })
      .waitFor();
    expect(await sendButton.isDisabled()).toBe(true);
    expect((await field.inputValue()).length).toBe(65_537);
    const story = `${'My story, paragraph by paragraph. '.repeat(140)}THE END.`;
    await send(alice.page, 'Bob', story);
    await messageItem(bob.page, 'Alice', 'THE END.').waitFor();
    expect(await messageItem(bob.page, 'Alice', 'THE END.').innerText()).toContain(story);

    // Safety numbers: both open theirs; the digits are the same on both sides.
    await alice.page.getByRole('button', { name: 'Safety number', exact: true }).click();
    await dialog(alice.page).getByRole('heading', { name: 'Safety number with Bob' }).waitFor();
    await bob.page.getByRole('button', { name: 'Safety number', exact: true }).click();
    await dialog(bob.page).getByRole('heading', { name: 'Safety number with Alice' }).waitFor();
    const alicesDigits = await safetyDigits(alice);
    const bobsDigits = await safetyDigits(bob);
    expect(alicesDigits).toMatch(/^\d{5}( \d{5}){11}$/u);
    expect(bobsDigits).toBe(alicesDigits);

    // Alice pastes Bob's number, sees it match, and marks him verified: the app compared the
    // numbers, so she is not asked whether she did.
    await dialog(alice.page).getByLabel('Their number, if they sent it to you').fill(bobsDigits);
    await dialog(alice.page).getByText('The numbers match.').waitFor();
    await screenshot(alice, '05-safety-number');
    await dialog(alice.page).getByRole('button', { name: 'Mark as verified' }).click();
    await dialog(alice.page).getByText('You verified Bob.').waitFor();
    expect(await alice.page.getByRole('heading', { name: 'Mark Bob as verified?' }).count()).toBe(
      0,
    );
    await dialog(alice.page).getByRole('button', { name: 'Done' }).click();
    await dialog(alice.page).waitFor({ state: 'detached' });
    // Without a pasted number, Bob is asked whether he compared them; he has not, and cancels.
    await dialog(bob.page).getByRole('button', { name: 'Mark as verified' }).click();
    await dialog(bob.page).getByRole('heading', { name: 'Mark Alice as verified?' }).waitFor();
    await dialog(bob.page).getByRole('button', { name: 'Cancel' }).click();
    await dialog(bob.page).getByRole('heading', { name: 'Safety number with Alice' }).waitFor();
    await dialog(bob.page).getByRole('button', { name: 'Done' }).click();

    // The chat and the contact list say so.
    // The chat's button says "Verified" (and still opens the number to compare again).
    await alice.page
      .getByRole('main')
      .getByRole('button', { name: 'Verified', exact: true })
      .waitFor();
    await openSection(alice.page, 'Contacts');
    const contactRow = alice.page.getByRole('listitem').filter({
      has: alice.page.getByRole('button', { name: 'Open chat with Bob' }),
    });
    await contactRow.getByText('Verified', { exact: true }).waitFor();
    // Bob did not verify: his side still says so.
    await openSection(bob.page, 'Contacts');
    await bob.page
      .getByRole('listitem')
      .filter({ has: bob.page.getByRole('button', { name: 'Open chat with Alice' }) })
      .getByText('Not verified')
      .waitFor();

    // In Spanish, whose buttons are longer, Alice's name keeps its width on Bob's contact row (it
    // once wrapped a letter per line): the actions move under it instead.
    const spanish = MESSAGES.es;
    await openSection(bob.page, 'Settings');
    await bob.page.getByLabel('Language', { exact: true }).selectOption('es');
    await bob.page.getByRole('button', { name: spanish['shell.contacts'], exact: true }).click();
    const name = bob.page
      .getByRole('listitem')
      .filter({ has: bob.page.getByRole('button', { name: /Alice/u }) })
      .locator('.row-title');
    await name.waitFor();
    const box = await name.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(box?.height ?? 0);
    await screenshot(bob, '08b-contacts-spanish');
    await bob.page.getByRole('button', { name: spanish['shell.settings'], exact: true }).click();
    await bob.page.getByLabel(spanish['settings.language'], { exact: true }).selectOption('system');
    await openSection(bob.page, 'Contacts');

    expectNoConsoleProblems();
  });

  it('locks and unlocks, and quick exit blanks the page and locks', async () => {
    // Alice locks; while she is locked Bob writes, and she reads it after unlocking.
    await alice.page.getByRole('button', { name: 'Lock', exact: true }).click();
    await alice.page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    await expect.poll(() => alice.service.state(), POLL).toMatchObject({ phase: 'locked' });
    await openChat(bob.page, 'Alice');
    await send(bob.page, 'Alice', 'Are you there? No rush.');

    await alice.page.getByLabel('Passphrase', { exact: true }).fill('not my passphrase at all');
    await alice.page.getByRole('button', { name: 'Unlock' }).click();
    await alice.page.getByRole('alert').waitFor();
    await screenshot(alice, '06-unlock-wrong-passphrase');
    await alice.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await alice.page.getByRole('button', { name: 'Unlock' }).click();
    await alice.page.getByRole('heading', { name: 'Welcome back, Alice' }).waitFor();
    await openChat(alice.page, 'Bob');
    await messageItem(alice.page, 'Bob', 'Are you there? No rush.').waitFor();
    await messageItem(alice.page, 'Bob', 'Thank you, that means a lot today.')
      .getByRole('button', { name: 'Hug: 1' })
      .waitFor();

    await openSection(alice.page, 'Settings');
    await screenshot(alice, '07-settings');

    // Quick exit, from the button: nothing left on the page, not even the title; the vault locks.
    await bob.page.getByRole('button', { name: 'Quick exit' }).click();
    await expect.poll(() => bob.page.evaluate(() => document.body.innerText.trim()), POLL).toBe('');
    expect(await bob.page.title()).toBe('');
    expect(await bob.page.getByRole('heading').count()).toBe(0);
    await expect.poll(() => bob.service.state(), POLL).toMatchObject({ phase: 'locked' });
    await screenshot(bob, '08-quick-exit-blank');

    // A click brings back the locked app, never the chat.
    await bob.page.mouse.click(640, 400);
    await bob.page.getByRole('heading', { name: 'Unlock Kindred' }).waitFor();
    expect(await bob.page.title()).toBe('Kindred');
    await screenshot(bob, '09-unlock');
    await bob.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await bob.page.getByRole('button', { name: 'Unlock' }).click();
    await bob.page.getByRole('heading', { name: 'Welcome back, Bob' }).waitFor();
    await chatList(bob.page).getByRole('button', { name: 'Alice', exact: true }).waitFor();

    // And from the keyboard: Ctrl+Shift+Q in an open chat. (Escape twice is a setting, off by
    // default: tests/ui/windowTruths.test.ts.)
    await openChat(bob.page, 'Alice');
    await bob.page.keyboard.press('Control+Shift+KeyQ');
    await expect.poll(() => bob.page.evaluate(() => document.body.innerText.trim()), POLL).toBe('');
    await expect.poll(() => bob.service.state(), POLL).toMatchObject({ phase: 'locked' });
    await bob.page.keyboard.press('Enter');
    await bob.page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await bob.page.getByRole('button', { name: 'Unlock' }).click();
    await bob.page.getByRole('heading', { name: 'Welcome back, Bob' }).waitFor();
    expectNoConsoleProblems();
  });
});
