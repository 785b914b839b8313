/**
 * A journal in the real window, author and followers on one real relay: the author starts a
 * journal and makes a follow link; a follower pastes it into "Add someone", which opens the
 * Journal screen, and follows; the author posts an update with a photo behind a content
 * warning; the follower reads it in the feed, sends a heart and support, which the author sees
 * on that update; a second follower never sees the first; the author revokes the link and
 * removes a follower.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { POLL, chatList, dialog, firstRun, openSection } from './windowSteps.js';

const TITLE = 'Mara’s treatment diary';
const UPDATE = 'Scan results were good today. Thank you all for the soup.';
const WARNING = 'Hospital photo';
const SUPPORT = 'So glad to hear it. Thinking of you every day.';

let stage: UiStage | undefined;
/** The author (main persona Mara), a follower who answers, a follower who only reads. */
let ana: Person;
let bo: Person;
let cee: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  [ana, bo, cee] = await Promise.all([
    stage.person('Ana'),
    stage.person('Bo'),
    stage.person('Cee'),
  ]);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
});

/** Pastes the follow link where any link goes ("Add someone"), then follows on Journal. */
async function follow(person: Person, link: string, pseudonym: string): Promise<void> {
  const { page } = person;
  await openSection(page, 'Contacts');
  await page.getByLabel('Link you received').fill(link);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('heading', { level: 1, name: 'Journal', exact: true }).waitFor();
  await expect.poll(() => page.getByLabel('Follow link').inputValue(), POLL).toBe(link);
  await page.getByLabel('Your name for the author').fill(pseudonym);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await page.getByRole('heading', { name: 'Journals you follow' }).waitFor();
  await page.getByText(`Following: ${TITLE}`).waitFor();
}

function section(person: Person, name: string) {
  return person.page.getByRole('region', { name });
}

describe('the window, a journal for family and friends', () => {
  it('creates, links, follows, posts, hearts and supports back, and removes', async () => {
    const relayUrl = stage?.relay.url ?? '';
    await Promise.all([
      firstRun(ana, 'Mara', relayUrl),
      firstRun(bo, 'Bo', relayUrl),
      firstRun(cee, 'Cee', relayUrl),
    ]);

    // The author starts the journal and makes a link for two.
    const author = ana.page;
    await openSection(author, 'Journal');
    await author.getByLabel('Title', { exact: true }).fill(TITLE);
    await author.getByRole('button', { name: 'Start the journal' }).click();
    await author.getByRole('heading', { level: 2, name: TITLE }).waitFor();
    await author.getByLabel('Uses', { exact: true }).fill('2');
    await author.getByRole('button', { name: 'Make a follow link' }).click();
    const linkField = author.getByLabel('Your follow link');
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(/^kindred:follow\//u);
    await section(ana, 'Follow links')
      .getByText(/^Used 0 of 2 times/u)
      .waitFor();

    // Both follow through "Add someone"; the author sees them, only the author.
    await follow(bo, link, 'Bea');
    await follow(cee, link, 'Cal');
    const followers = section(ana, 'Followers');
    await followers.getByText('Bea', { exact: true }).waitFor();
    await followers.getByText('Cal', { exact: true }).waitFor();
    // Used up: no live link is offered any more.
    await section(ana, 'Follow links')
      .getByRole('list', { name: 'Links that still work' })
      .waitFor({ state: 'detached' });

    // An update with a photo behind a content warning.
    const photo = await sharp(randomBytes(60 * 40 * 3), {
      raw: { width: 60, height: 40, channels: 3 },
    })
      .png()
      .toBuffer();
    await author.getByLabel('What would you like to share?').fill(UPDATE);
    await author
      .getByLabel('Photos', { exact: true })
      .setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: photo });
    await author.getByLabel('Content warning', { exact: true }).fill(WARNING);
    await author.getByRole('button', { name: 'Send update' }).click();
    const posted = section(ana, 'Your updates').getByRole('listitem').first();
    await posted.getByText(/sent to 2 followers$/u).waitFor();
    // The author's own view shows the photo (the one kept copy both followers' messages share).
    await posted.getByRole('img', { name: 'Preview of image.png' }).waitFor();
    await posted.getByRole('button', { name: 'Open image.png' }).waitFor();

    // The follower reads it covered, opens it, and answers with a heart and support.
    const feed = section(bo, 'Journals you follow');
    const item = feed.getByRole('listitem', { name: `Update from ${TITLE}` });
    await item.getByText(`Content warning: ${WARNING}`).waitFor();
    expect(await item.innerText()).not.toContain(UPDATE);
    // Covered: the photo too, until "Show the update".
    expect(await item.getByRole('img').count()).toBe(0);
    await item.getByRole('button', { name: 'Show the update' }).click();
    await item.getByText(UPDATE).waitFor();
    // The photo, in the feed, with the conversation's viewer and Save.
    await item.getByRole('img', { name: 'Preview of image.png' }).waitFor();
    await item.getByRole('button', { name: 'Open image.png' }).click();
    const viewer = dialog(bo.page);
    const full = viewer.getByRole('img', { name: 'image.png' });
    await full.waitFor();
    await expect
      .poll(() => full.evaluate((image) => (image as HTMLImageElement).naturalWidth), POLL)
      .toBe(60);
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'detached' });
    const [download] = await Promise.all([
      bo.page.waitForEvent('download'),
      item.getByRole('button', { name: 'Save image.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('image.png');
    const saved = await sharp(await readFile(await download.path())).metadata();
    expect(saved).toMatchObject({ format: 'png', width: 60, height: 40 });
    await item.getByRole('button', { name: '♡ Send a heart' }).click();
    await item.getByRole('button', { name: '♥ Hearted', pressed: true }).waitFor();
    await item.getByLabel('Send support').fill(SUPPORT);
    await item.getByRole('button', { name: 'Send', exact: true }).click();
    await item.getByRole('list', { name: 'Your support' }).getByText(SUPPORT).waitFor();
    await feed.scrollIntoViewIfNeeded();
    await screenshot(bo, 'journal-follower-feed');
    // A feed, not a chat: the journal is no conversation in the chat list.
    expect(await chatList(bo.page).innerText()).not.toContain(TITLE);

    // The author sees both on that update.
    await posted.getByText('♥ 1 heart').waitFor();
    await posted
      .getByRole('list', { name: 'Support received' })
      .getByText(`Bea: ${SUPPORT}`)
      .waitFor();
    await section(ana, 'Your updates').scrollIntoViewIfNeeded();
    await screenshot(ana, 'journal-author');
    const chats = await chatList(author).innerText();
    expect(chats).not.toContain('Bea');
    expect(chats).not.toContain(SUPPORT);

    // The other follower got the update too, and sees nothing of Bea.
    const ceeItem = section(cee, 'Journals you follow').getByRole('listitem', {
      name: `Update from ${TITLE}`,
    });
    await ceeItem.getByText(`Content warning: ${WARNING}`).waitFor();
    const ceeSees = await cee.page.locator('body').innerText();
    expect(ceeSees).not.toContain('Bea');
    expect(ceeSees).not.toContain(SUPPORT);

    // A fresh link revoked leaves no live link; a removed follower is gone from the list.
    await author.getByRole('button', { name: 'Make a follow link' }).click();
    const live = section(ana, 'Follow links').getByRole('list', { name: 'Links that still work' });
    await live.getByRole('listitem').first().waitFor();
    await live.getByRole('button', { name: 'Revoke' }).click();
    await live.waitFor({ state: 'detached' });
    await followers.getByRole('button', { name: 'Remove Cal' }).click();
    await dialog(author).getByRole('button', { name: 'Remove', exact: true }).click();
    await dialog(author).waitFor({ state: 'detached' });
    await followers.getByText('Cal', { exact: true }).waitFor({ state: 'detached' });
    await followers.getByText('Bea', { exact: true }).waitFor();

    // The next update goes to Bea alone.
    await author.getByLabel('What would you like to share?').fill('Home tomorrow.');
    await author.getByRole('button', { name: 'Send update' }).click();
    await section(ana, 'Your updates')
      .getByRole('listitem')
      .first()
      .getByText(/sent to 1 follower$/u)
      .waitFor();
    await feed.getByText('Home tomorrow.').waitFor();

    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  }, 150_000);
});
