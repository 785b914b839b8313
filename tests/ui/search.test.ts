/**
 * Search in the real window: Bo has a 1:1 chat with Ana and is in Ana's group. Ctrl+K opens the
 * search, whose results (conversation, author, time, marked snippet) are walked with the arrow
 * keys; Enter opens the conversation at the message, highlighted and focused. Ctrl+F does the
 * same for a group message. The conversations are set up through the vaults' own desktop
 * service (the calls the window makes); everything searched and chosen is done in the window.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import type { Locale } from '../../desktop/shared/i18n/locales.std.js';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import { POLL, dialog, firstRun, messageItem } from './windowSteps.js';

const GROUP = 'Rheuma Circle';
/** Bo's 1:1 message to Ana and Ana's message in the group: one word in common. */
const DIRECT = 'My rheumatology appointment moved to Thursday, can we talk after?';
const IN_GROUP = 'The rheumatology clinic now runs a methotrexate helpline on Mondays.';
const OLDER = 'Welcome, everyone. Introduce yourselves whenever you like.';

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

/** Opens Settings from the top bar, in the language the window speaks (the caller waits for it). */
async function openSettingsIn(page: Page, locale: Locale): Promise<void> {
  const words = MESSAGES[locale];
  await page
    .getByRole('navigation', { name: words['shell.sections'] })
    .getByRole('button', { name: words['shell.settings'], exact: true })
    .click();
}

function searchBox(page: Page): Locator {
  return dialog(page).getByRole('combobox', { name: 'Words to find' });
}

function results(page: Page): Locator {
  return dialog(page).getByRole('listbox', { name: 'Messages found' }).getByRole('option');
}

/** Waits until `person`'s conversation holds a message with `text` (over the relay). */
async function waitForMessage(person: Person, conversationId: string, text: string) {
  await expect
    .poll(
      async () =>
        (await person.service.handlers['conversations.messages']({ conversationId })).some(
          (message) => message.text === text,
        ),
      POLL,
    )
    .toBe(true);
}

describe('the window, search', () => {
  it('finds words in a 1:1 and a group message and opens each at its message', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([firstRun(ana, 'Rowan', relayUrl), firstRun(bo, 'Sky', relayUrl)]);

    // A 1:1 chat: Bo adds Ana from her invite link and writes to her.
    const invite = await ana.service.handlers['contacts.createInvite']({
      maxUses: 1,
      expiresInHours: 1,
    });
    const contact = await bo.service.handlers['contacts.add']({ link: invite.link });
    await bo.service.handlers['conversations.send']({
      conversationId: contact.conversationId,
      text: DIRECT,
    });

    // A group: Ana creates it, Bo joins, Ana writes twice.
    const group = await ana.service.handlers['groups.create']({
      name: GROUP,
      description: '',
      rules: 'Be kind.',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ana',
    });
    const groupLink = await ana.service.handlers['groups.invite']({
      conversationId: group.conversationId,
      maxUses: 1,
      expiresInHours: 1,
    });
    await bo.service.handlers['groups.join']({
      link: groupLink.link,
      persona: 'fresh',
      pseudonym: 'Bo',
    });
    for (const text of [OLDER, IN_GROUP]) {
      await ana.service.handlers['conversations.send']({
        conversationId: group.conversationId,
        text,
      });
    }
    await waitForMessage(bo, group.conversationId, IN_GROUP);
    await waitForMessage(bo, contact.conversationId, DIRECT);

    // Ctrl+K opens the search with the words field focused.
    const { page } = bo;
    await page.getByRole('heading', { name: 'Welcome, Sky' }).waitFor();
    await page.keyboard.press('Control+K');
    await expect
      .poll(() => searchBox(page).evaluate((el) => el === document.activeElement), POLL)
      .toBe(true);
    await page.keyboard.type('Rheumatology');
    await expect.poll(() => results(page).count(), POLL).toBe(2);
    const box = searchBox(page);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await dialog(page).getByRole('status').filter({ hasText: '2 messages found' }).waitFor();

    // Newest first: Ana's group message, then Bo's own 1:1 message; the word is marked in each.
    const [first, second] = [results(page).nth(0), results(page).nth(1)];
    expect(await first.textContent()).toContain(GROUP);
    expect(await first.textContent()).toContain('Ana');
    expect(await second.textContent()).toContain('Rowan');
    expect(await second.textContent()).toContain('You');
    for (const option of [first, second]) {
      expect(await option.locator('mark').allTextContents()).toEqual(['rheumatology']);
    }
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await page.keyboard.press('ArrowDown');
    expect(await second.getAttribute('aria-selected')).toBe('true');
    expect(await first.getAttribute('aria-selected')).toBe('false');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await second.getAttribute('id'));
    await screenshot(bo, '30-search-results');

    // Enter opens the 1:1 chat with Rowan at that message: highlighted and focused.
    await page.keyboard.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Rowan', exact: true }).waitFor();
    const direct = messageItem(page, 'Rowan', DIRECT);
    await expect.poll(() => direct.getAttribute('aria-current'), POLL).toBe('true');
    await expect
      .poll(() => direct.evaluate((el) => el === document.activeElement), POLL)
      .toBe(true);
    await screenshot(bo, '31-search-opened-direct');

    // Ctrl+F, a prefix of a rarer word, and Enter on the only result: the group message.
    await page.keyboard.press('Control+F');
    await searchBox(page).waitFor();
    await page.keyboard.type('methotrex');
    await expect.poll(() => results(page).count(), POLL).toBe(1);
    expect(await results(page).nth(0).locator('mark').allTextContents()).toEqual(['methotrexate']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: GROUP, exact: true }).waitFor();
    const inGroup = messageItem(page, GROUP, IN_GROUP);
    await expect.poll(() => inGroup.getAttribute('aria-current'), POLL).toBe('true');
    await expect
      .poll(() => inGroup.evaluate((el) => el === document.activeElement), POLL)
      .toBe(true);
    expect(await messageItem(page, GROUP, OLDER).getAttribute('aria-current')).toBeNull();
    await expect.poll(() => inGroup.isVisible(), POLL).toBe(true);
    await screenshot(bo, '32-search-opened-group');

    // Escape closes the search without going anywhere; nothing found says so.
    await page.keyboard.press('Control+K');
    await page.keyboard.type('zzzabsentword');
    await dialog(page).getByRole('status').filter({ hasText: 'Nothing found' }).waitFor();
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: GROUP, exact: true }).waitFor();
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);

  it('speaks the browser’s language (Spanish, Arabic right to left) or the one chosen in Settings', async () => {
    const relayUrl = stage?.relay.url ?? '';
    const [cy, dee] = await Promise.all([
      stage?.person('Cy', { locale: 'es-ES' }),
      stage?.person('Dee', { locale: 'ar-EG' }),
    ]);
    if (cy === undefined || dee === undefined) throw new Error('no stage');
    await Promise.all([firstRun(cy, 'Cy', relayUrl), firstRun(dee, 'Dee', relayUrl)]);

    const spanish = cy.page;
    expect(await spanish.evaluate(() => document.documentElement.lang)).toBe('es');
    await spanish.keyboard.press('Control+K');
    const spanishBox = dialog(spanish).getByRole('combobox', { name: 'Palabras que buscar' });
    await spanishBox.waitFor();
    await spanish.getByRole('dialog', { name: 'Buscar mensajes' }).waitFor();
    await dialog(spanish)
      .getByRole('status')
      .filter({ hasText: 'Escribe palabras para encontrarlas' })
      .waitFor();
    await spanish.keyboard.type('quimioterapia');
    await dialog(spanish)
      .getByRole('status')
      .filter({ hasText: 'No se encontró nada para «quimioterapia».' })
      .waitFor();

    await spanish.keyboard.press('Escape');
    await dialog(spanish).waitFor({ state: 'detached' });

    // Settings → Appearance names each language in itself; a choice applies at once and stays.
    await openSettingsIn(spanish, 'es');
    const language = spanish.getByRole('combobox', { name: 'Idioma' });
    expect(await language.inputValue()).toBe('system');
    expect(await language.locator('option').allTextContents()).toEqual([
      'El idioma del sistema (Español)',
      'English',
      'Español',
      'Français',
      'Deutsch',
      'العربية',
    ]);
    await language.selectOption('fr');
    await spanish.getByRole('region', { name: 'Apparence' }).waitFor();
    expect(await spanish.evaluate(() => document.documentElement.lang)).toBe('fr');
    await spanish.reload();
    await spanish.getByRole('navigation', { name: MESSAGES.fr['shell.sections'] }).waitFor();
    expect(await spanish.evaluate(() => document.documentElement.lang)).toBe('fr');
    await openSettingsIn(spanish, 'fr');
    await spanish.getByRole('combobox', { name: 'Langue' }).selectOption('system');
    await spanish.getByRole('region', { name: 'Apariencia' }).waitFor();

    const arabic = dee.page;
    expect(
      await arabic.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
    ).toEqual(['ar', 'rtl']);
    await arabic.keyboard.press('Control+K');
    await dialog(arabic).getByRole('combobox', { name: 'الكلمات المطلوبة' }).waitFor();
    await arabic.keyboard.type('علاج');
    await dialog(arabic).getByRole('status').filter({ hasText: 'لم يُعثر على شيء' }).waitFor();
    // Right to left: the field's text starts at its right edge.
    expect(
      await dialog(arabic)
        .getByRole('combobox')
        .evaluate((field) => getComputedStyle(field).direction),
    ).toBe('rtl');
    await screenshot(dee, '33-search-arabic');
    expect(stage?.takeConsoleProblems()).toEqual([]);
  }, 120_000);
});
