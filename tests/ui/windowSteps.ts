/**
 * What a person does in the window, written the way they see it: roles and labels only, no CSS
 * classes or test ids. Waits are Playwright's own (a locator waits until it can act, `waitFor`
 * until a state holds) or vitest's `expect.poll`; never a fixed sleep.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { matchLocale } from '../../desktop/shared/i18n/locales.std.js';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import type { Person } from './uiStage.js';
import { STEP_TIMEOUT_MS } from './uiStage.js';

/** Strong enough for zxcvbn's "Strong" or better, so no "Use it anyway" is needed. */
export const PASSPHRASE = 'quiet harbour lantern seventeen maple';

/** Polls that wait for the app (a message over the relay, a list refreshing). */
export const POLL = { timeout: STEP_TIMEOUT_MS, interval: 50 } as const;

export function chatList(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Chats' });
}

/** The list of messages of the open conversation. */
export function messageList(page: Page, title: string): Locator {
  return page.getByRole('list', { name: `Messages in ${title}` });
}

/** The list item of the message (or notice) holding `text`. */
export function messageItem(page: Page, title: string, text: string): Locator {
  return messageList(page, title).getByRole('listitem').filter({ hasText: text }).first();
}

/** A dialog that is open now (the window only ever shows one at a time). */
export function dialog(page: Page): Locator {
  return page.getByRole('dialog');
}

/** The first run: pseudonym, passphrase twice, relay; ends on the welcome ("Welcome", not "back"). */
export async function firstRun(
  person: Person,
  pseudonym: string,
  relayUrl: string,
  beforeSubmit?: () => Promise<void>,
): Promise<void> {
  const { page } = person;
  // In the person's language (the browser's): the first run speaks it.
  const words = MESSAGES[matchLocale([person.locale])];
  await page.getByRole('heading', { name: words['onboarding.welcomeTitle'] }).waitFor();
  await page.getByLabel(words['onboarding.pseudonym'], { exact: true }).fill(pseudonym);
  await page.getByLabel(words['onboarding.passphrase'], { exact: true }).fill(PASSPHRASE);
  await page.getByLabel(words['components.typeAgain']).fill(PASSPHRASE);
  await page.getByLabel(words['onboarding.relayAddress']).fill(relayUrl);
  // The form refuses to go on until the passphrase is rated; wait for the rating.
  const meter = page.getByRole('meter', { name: words['components.strength'] });
  await expect
    .poll(() => meter.getAttribute('aria-valuetext'), POLL)
    .toBeOneOf([words['passphrase.strong'], words['passphrase.veryStrong']]);
  await beforeSubmit?.();
  await page.getByRole('button', { name: words['onboarding.getStarted'] }).click();
  const welcome = words['shell.welcomeName'].replace('{pseudonym}', pseudonym);
  await page.getByRole('heading', { name: welcome, exact: true }).waitFor();
}

/** Opens one of the top bar's sections (Contacts, Groups, Personas, Moderation, Settings). */
export async function openSection(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    // A section may carry a count in its name ("Moderation, 2 pending").
    .getByRole('button', { name: new RegExp(`^${section}(, \\d+ pending)?$`, 'u') })
    .click();
  await page.getByRole('heading', { level: 1, name: section, exact: true }).waitFor();
}

/** Opens a chat from the chat list and waits for its heading. */
export async function openChat(page: Page, title: string): Promise<void> {
  await chatList(page).getByRole('button', { name: title, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
}

/** Writes in the open conversation's composer, sends, and waits until the message is listed. */
export async function send(page: Page, title: string, text: string): Promise<void> {
  await page.getByLabel('Write a message').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await messageItem(page, title, text).waitFor();
}

/** Picks an item of a message's "More actions" menu (Reply, Report, Pin, Delete for everyone). */
export async function messageAction(
  page: Page,
  title: string,
  text: string,
  action: string,
): Promise<void> {
  const item = messageItem(page, title, text);
  await item.getByRole('button', { name: 'More actions' }).click();
  await item.getByRole('menuitem', { name: action, exact: true }).click();
}

/**
 * `owner` creates an open group as `pseudonyms.owner` and an invite link; `member` joins with it
 * as `pseudonyms.member`. Both end in the group's chat, its composer showing.
 */
export async function groupOfTwo(
  owner: Page,
  member: Page,
  group: string,
  pseudonyms: { readonly owner: string; readonly member: string },
): Promise<void> {
  await openSection(owner, 'Groups');
  await owner.getByRole('button', { name: 'Create a group' }).click();
  const create = dialog(owner);
  await create.getByLabel('Group name').fill(group);
  await create.getByLabel('Pseudonym in this group').fill(pseudonyms.owner);
  await create.getByRole('button', { name: 'Create group' }).click();
  await owner.getByRole('heading', { level: 1, name: group }).waitFor();
  await owner.getByRole('button', { name: 'Members', exact: true }).click();
  await owner.getByRole('tab', { name: 'Invite' }).click();
  await owner.getByRole('button', { name: 'Create group invite link' }).click();
  const linkField = owner.getByLabel('Group invite link');
  await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:group\//u);
  const link = await linkField.inputValue();
  await owner.getByRole('button', { name: 'Back to the chat' }).click();

  await openSection(member, 'Groups');
  await member.getByRole('button', { name: 'Join a group' }).click();
  const join = dialog(member);
  await join.getByLabel('Group invite link').fill(link);
  await join.getByLabel('Pseudonym in this group').fill(pseudonyms.member);
  await join.getByRole('button', { name: 'Join group' }).click();
  await join.waitFor({ state: 'detached' });
  await member.getByRole('heading', { level: 1, name: group }).waitFor();
  await member.getByLabel('Write a message').waitFor();
}
