/**
 * Message and contact actions in the real window, Rowan (Ana's window) and Sky (Bo's), one flow:
 * Sky edits a message in place (Escape cancels first), both see the new words and "Edited";
 * Sky deletes one for everyone and Rowan sees "Deleted by its author"; Rowan reacts with an
 * emoji from the full picker (search, arrow keys, Enter; Escape closes), and in Spanish finds
 * "corazón rojo" by "corazon rojo"; Rowan blocks Sky, whose next message the relay refuses and
 * Rowan never sees.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  dialog,
  firstRun,
  messageAction,
  messageItem,
  messageList,
  openChat,
  openSection,
  send,
} from './windowSteps.js';

const TYPO = 'See you at the clinc tomorrow at nine.';
const FIXED = 'See you at the clinic tomorrow at nine.';
const REGRET = 'Please ignore what I said about the dosage.';
const AFTER_BLOCK = 'Are you there? Please answer.';

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

describe('the window, message and contact actions', () => {
  it('edit in place, delete for everyone, react from the picker, block', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    await bo.service.handlers['contacts.add']({ link: invite.link });
    await openChat(bo.page, 'Rowan');
    await send(bo.page, 'Rowan', TYPO);
    await openChat(ana.page, 'Sky');
    await messageItem(ana.page, 'Sky', TYPO).waitFor();

    // Edit: Escape leaves it as it was; Enter saves; both sides show the new words, "Edited".
    const editor = bo.page.getByRole('textbox', { name: 'Edit your message' });
    await messageAction(bo.page, 'Rowan', TYPO, 'Edit');
    await editor.waitFor();
    await editor.press('Escape');
    await editor.waitFor({ state: 'detached' });
    await messageItem(bo.page, 'Rowan', TYPO).waitFor();
    await messageAction(bo.page, 'Rowan', TYPO, 'Edit');
    await editor.fill(FIXED);
    await screenshot(bo, '70-edit-in-place');
    await editor.press('Enter');
    for (const [person, title] of [
      [bo, 'Rowan'],
      [ana, 'Sky'],
    ] as const) {
      const item = messageItem(person.page, title, FIXED);
      await item.getByText('Edited', { exact: true }).waitFor();
      await expect
        .poll(() => messageList(person.page, title).getByText(TYPO).count(), POLL)
        .toBe(0);
    }
    await screenshot(ana, '71-edited-at-receiver');

    // Delete for everyone, after a question that says what happens.
    await send(bo.page, 'Rowan', REGRET);
    await messageItem(ana.page, 'Sky', REGRET).waitFor();
    await messageAction(bo.page, 'Rowan', REGRET, 'Delete for everyone');
    await dialog(bo.page).getByText('“Deleted by its author”', { exact: false }).waitFor();
    await dialog(bo.page).getByRole('button', { name: 'Delete for everyone' }).click();
    await messageItem(ana.page, 'Sky', 'Deleted by its author').waitFor();
    await expect.poll(() => messageList(ana.page, 'Sky').getByText(REGRET).count(), POLL).toBe(0);
    await screenshot(ana, '72-deleted-by-author');

    // The full picker: Escape closes it; a search, arrow keys and Enter pick.
    const item = messageItem(ana.page, 'Sky', FIXED);
    const openPicker = async () => {
      await item.getByRole('button', { name: 'Add reaction' }).click();
      await item.getByRole('menuitem', { name: 'More reactions' }).click();
      await dialog(ana.page).getByRole('heading', { name: 'Choose a reaction' }).waitFor();
    };
    await openPicker();
    await dialog(ana.page).getByRole('button', { name: 'grinning face', exact: true }).waitFor();
    await ana.page.keyboard.press('Escape');
    await dialog(ana.page).waitFor({ state: 'detached' });
    await openPicker();
    await dialog(ana.page).getByRole('button', { name: 'Animals and nature' }).click();
    await dialog(ana.page).getByRole('button', { name: 'sunflower', exact: true }).waitFor();
    await dialog(ana.page).getByLabel('Search emoji').fill('sun');
    await screenshot(ana, '73-emoji-picker');
    await dialog(ana.page).getByLabel('Search emoji').press('ArrowDown');
    const focused = async () =>
      ana.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    const first = await focused();
    await ana.page.keyboard.press('ArrowRight');
    const second = await focused();
    expect(second).not.toBe(first);
    await ana.page.keyboard.press('Enter');
    await dialog(ana.page).waitFor({ state: 'detached' });
    await item.getByRole('list', { name: 'Reactions' }).waitFor();
    await messageItem(bo.page, 'Rowan', FIXED).getByRole('list', { name: 'Reactions' }).waitFor();
    await screenshot(bo, '74-picker-reaction-received');

    // In Spanish the picker names its emoji in Spanish, and finds them with or without accents.
    const es = MESSAGES.es;
    await ana.page.evaluate(() => {
      localStorage.setItem('kindred.language', 'es');
    });
    await ana.page.reload();
    await ana.page.getByRole('navigation', { name: es['shell.sections'] }).waitFor();
    await openChat(ana.page, 'Sky');
    const spanishItem = ana.page
      .getByRole('list', { name: es['conversation.messagesIn'].replace('{name}', 'Sky') })
      .getByRole('listitem')
      .filter({ hasText: FIXED })
      .first();
    await spanishItem.getByRole('button', { name: es['message.addReaction'] }).click();
    await spanishItem.getByRole('menuitem', { name: es['message.moreReactions'] }).click();
    await dialog(ana.page).getByRole('heading', { name: es['emoji.title'] }).waitFor();
    await dialog(ana.page).getByLabel(es['emoji.search']).fill('corazon rojo');
    await dialog(ana.page)
      .getByRole('group', { name: 'Emojis que coinciden con «corazon rojo»' })
      .getByRole('button', { name: 'corazón rojo', exact: true })
      .waitFor();
    await screenshot(ana, '74b-emoji-picker-spanish');
    // Escape in a search field with words first clears them (the browser's way); the next closes.
    await ana.page.keyboard.press('Escape');
    await expect.poll(() => dialog(ana.page).getByLabel(es['emoji.search']).inputValue()).toBe('');
    await ana.page.keyboard.press('Escape');
    await dialog(ana.page).waitFor({ state: 'detached' });
    await ana.page.evaluate(() => {
      localStorage.removeItem('kindred.language');
    });
    await ana.page.reload();
    await ana.page.getByRole('navigation', { name: 'Sections' }).waitFor();

    // Block: the relay refuses Sky's next message; Rowan never sees it.
    await openSection(ana.page, 'Contacts');
    await ana.page.getByRole('button', { name: 'Block Sky' }).click();
    await dialog(ana.page).getByRole('button', { name: 'Block', exact: true }).click();
    await dialog(ana.page).waitFor({ state: 'detached' });
    await ana.page.getByText('Blocked', { exact: true }).waitFor();
    await screenshot(ana, '75-blocked-contact');
    await send(bo.page, 'Rowan', AFTER_BLOCK);
    await messageItem(bo.page, 'Rowan', AFTER_BLOCK)
      .getByText(/^Not delivered/u)
      .waitFor();
    await openChat(ana.page, 'Sky');
    expect(await messageList(ana.page, 'Sky').getByText(AFTER_BLOCK).count()).toBe(0);
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 180_000);
});
