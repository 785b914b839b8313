/**
 * Truthful delivery in the real window (issue 15): a used-up contact link is refused with its
 * reason; a message goes Sent → Delivered, and Read only once the recipient turned read receipts
 * on for that person; a message the relay refuses shows "Not delivered" with the reason and a
 * Retry button, and the retry delivers it once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  chatList,
  dialog,
  firstRun,
  messageItem,
  messageList,
  openChat,
  openSection,
  send,
} from './windowSteps.js';

let stage: UiStage | undefined;
let alice: Person;
let bob: Person;
let carol: Person;

beforeAll(async () => {
  // A used-up link's key is revoked at once (no grace), so a later adder is refused by the relay.
  stage = await UiStage.open({ clientOptions: { usedInviteKeyGraceMs: 0 } });
  [alice, bob, carol] = await Promise.all([
    stage.person('Alice'),
    stage.person('Bob'),
    stage.person('Carol'),
  ]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/** The delivery mark of one of our messages, as the window words it. */
function mark(person: Person, title: string, text: string) {
  return messageItem(person.page, title, text).locator('.delivery');
}

describe('the window tells the truth about delivery', () => {
  it('refuses a used-up link, shows Delivered and Read, and retries a refused message', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([
      firstRun(alice, 'Alice', relayUrl),
      firstRun(bob, 'Bob', relayUrl),
      firstRun(carol, 'Carol', relayUrl),
    ]);

    // Alice makes a one-use link; Bob uses it and writes.
    await openSection(alice.page, 'Contacts');
    await alice.page.getByRole('button', { name: 'Create invite link' }).click();
    const linkField = alice.page.getByLabel('Your invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:contact\//u);
    const link = await linkField.inputValue();
    await openSection(bob.page, 'Contacts');
    await bob.page.getByLabel('Link you received').fill(link);
    await bob.page.getByRole('button', { name: 'Add contact' }).click();
    await bob.page.getByRole('button', { name: 'Write to Alice' }).click();
    await bob.page.getByRole('heading', { level: 1, name: 'Alice' }).waitFor();
    await send(bob.page, 'Alice', 'Hello Alice, it is Bob.');
    await chatList(alice.page).getByRole('button', { name: 'Bob', exact: true }).waitFor();

    // A paste far too large for any link is refused in a sentence, and the form stays usable.
    await openSection(carol.page, 'Contacts');
    await carol.page.getByLabel('Link you received').fill('x'.repeat(600_000));
    await carol.page.getByRole('button', { name: 'Add contact' }).click();
    await carol.page
      .getByRole('alert')
      .filter({ hasText: 'That is too large to send at once.' })
      .waitFor();
    // A group's link pasted here is named for what it is.
    await carol.page.getByLabel('Link you received').fill('kindred:group/a-group-link');
    await carol.page.getByRole('button', { name: 'Add contact' }).click();
    await carol.page
      .getByRole('alert')
      .filter({ hasText: 'That is a group invite link: join it under Groups.' })
      .waitFor();

    // Carol tries the same link: refused, with the reason, and nobody is added.
    await carol.page.getByLabel('Link you received').fill(link);
    const refusal = carol.page.getByRole('alert').filter({ hasText: 'This link was already used' });
    await expect
      .poll(async () => {
        await carol.page.getByRole('button', { name: 'Add contact' }).click();
        await carol.page.waitForTimeout(300);
        return refusal.count();
      }, POLL)
      .toBe(1);
    await expect
      .poll(() => refusal.textContent(), POLL)
      .toContain('This link was already used. Ask Alice for a new one.');
    expect(await carol.page.getByRole('button', { name: 'Write to Alice' }).count()).toBe(0);
    await screenshot(carol, 'delivery-01-link-used');

    // Alice has it on her device: Bob's message says Delivered (never Read: her receipts are off).
    await expect
      .poll(() => mark(bob, 'Alice', 'Hello Alice').textContent(), POLL)
      .toBe('Delivered');
    await openChat(alice.page, 'Bob');
    await messageItem(alice.page, 'Bob', 'Hello Alice').waitFor();
    await alice.page.waitForTimeout(1_000);
    expect(await mark(bob, 'Alice', 'Hello Alice').textContent()).toBe('Delivered');
    await screenshot(bob, 'delivery-02-delivered');

    // Alice turns read receipts on for Bob; what she then has on screen reads as Read for Bob.
    await openSection(alice.page, 'Contacts');
    await alice.page.getByLabel('Send read receipts to Bob').click();
    await expect
      .poll(() => alice.page.getByLabel('Send read receipts to Bob').isChecked(), POLL)
      .toBe(true);
    await screenshot(alice, 'delivery-03-read-receipts-setting');
    await send(bob.page, 'Alice', 'Are you there?');
    await expect
      .poll(() => mark(bob, 'Alice', 'Are you there?').textContent(), POLL)
      .toBe('Delivered');
    await openChat(alice.page, 'Bob');
    await messageItem(alice.page, 'Bob', 'Are you there?').waitFor();
    await expect.poll(() => mark(bob, 'Alice', 'Are you there?').textContent(), POLL).toBe('Read');
    await expect.poll(() => mark(bob, 'Alice', 'Hello Alice').textContent(), POLL).toBe('Read');
    await screenshot(bob, 'delivery-04-read');

    // Alice blocks Bob: the relay refuses what he sends, and his window says so, with Retry.
    await openSection(alice.page, 'Contacts');
    await alice.page.getByRole('button', { name: 'Block Bob' }).click();
    await dialog(alice.page).getByRole('button', { name: 'Block', exact: true }).click();
    await alice.page.getByRole('button', { name: 'Unblock Bob' }).waitFor();
    await send(bob.page, 'Alice', 'Did my message reach you?');
    const failed = mark(bob, 'Alice', 'Did my message reach you?');
    await expect
      .poll(() => failed.textContent(), POLL)
      .toBe('Not delivered — the contact no longer accepts messages from youRetry');
    await screenshot(bob, 'delivery-05-not-delivered');

    // Unblocked, Alice hands Bob a fresh key; his retry sends the same message, which arrives once.
    await alice.page.getByRole('button', { name: 'Unblock Bob' }).click();
    await dialog(alice.page).getByRole('button', { name: 'Unblock', exact: true }).click();
    await alice.page.getByRole('button', { name: 'Block Bob' }).waitFor();
    await expect
      .poll(async () => {
        const retry = failed.getByRole('button', { name: 'Retry' });
        if ((await retry.count()) > 0) await retry.click();
        await bob.page.waitForTimeout(500);
        return failed.textContent();
      }, POLL)
      .toMatch(/^(Delivered|Read)$/u);
    await openChat(alice.page, 'Bob');
    await messageItem(alice.page, 'Bob', 'Did my message reach you?').waitFor();
    await expect
      .poll(
        () =>
          messageList(alice.page, 'Bob')
            .getByRole('listitem')
            .filter({ hasText: 'Did my message reach you?' })
            .count(),
        POLL,
      )
      .toBe(1);
    await screenshot(bob, 'delivery-06-retried');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});
