/**
 * Attachments in the real window (Chromium on two dev hosts, one relay behind a proxy that can
 * slow blob transfers down): photos with GPS EXIF attached by the paperclip, by drag and drop and
 * by paste, in a 1:1 chat and in a group; the receiver sees the preview and a progress bar while
 * the download is held, opens the photo full size and saves it (no GPS or camera tags in the
 * saved file); a PDF whose metadata cannot be removed is sent only after the sender chooses to.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JSHandle, Locator, Page } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TempDirs } from '../integration/helpers.js';
import { StallingProxy } from './StallingProxy.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import {
  POLL,
  dialog,
  firstRun,
  messageItem,
  messageList,
  openChat,
  openSection,
} from './windowSteps.js';

const GROUP = 'Lupus evening circle';
const MAKE = 'KindredCam';
const GPS_DATUM = 'KINDREDDATUM';
const AUTHOR = 'Jane Patient';

let stage: UiStage | undefined;
let proxy: StallingProxy | undefined;
let alice: Person;
let bob: Person;
const dirs = new TempDirs();
let files: string;

beforeAll(async () => {
  stage = await UiStage.open();
  proxy = await StallingProxy.start(stage.relay.url);
  [alice, bob] = await Promise.all([stage.person('Alice'), stage.person('Bob')]);
  files = await dirs.make('ui-attach-files');
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  proxy?.release();
  await stage?.close();
  await proxy?.close();
  await dirs.cleanup();
});

/** A photo with GPS and camera tags, as a phone would make it. */
async function photoWithGps(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: MAKE, Model: 'Model-X9000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4000/100',
        GPSMapDatum: GPS_DATUM,
      },
    })
    .toBuffer();
}

/** A PDF naming its author that cannot be rewritten (permissions-encrypted): not cleaned. */
async function lockedPdfWithAuthor(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]);
  document.setAuthor(AUTHOR);
  const plain = Buffer.from(await document.save({ useObjectStreams: false })).toString('latin1');
  const trailerAt = plain.lastIndexOf('trailer');
  return Buffer.from(
    plain.slice(0, trailerAt) + plain.slice(trailerAt).replace('/Root', '/Encrypt 1 0 R\n/Root'),
    'latin1',
  );
}

function expectNoConsoleProblems(): void {
  expect(stage?.takeConsoleProblems()).toStrictEqual([]);
}

/** Chooses files with the composer's paperclip (the browser's file picker). */
async function attachByButton(page: Page, paths: string[]): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Attach files' }).click(),
  ]);
  await chooser.setFiles(paths);
}

/** A DataTransfer in the page holding these files (as a drop or a paste carries them). */
async function filesInPage(
  page: Page,
  chosen: { name: string; type: string; bytes: Buffer }[],
): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    (list) => {
      const transfer = new DataTransfer();
      for (const file of list) {
        const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      return transfer;
    },
    chosen.map((file) => ({
      name: file.name,
      type: file.type,
      base64: file.bytes.toString('base64'),
    })),
  );
}

/** Drops files onto the open conversation, as dragging them from the desktop does. */
async function attachByDrop(
  page: Page,
  conversation: string,
  file: { name: string; type: string; bytes: Buffer },
): Promise<void> {
  const transfer = await filesInPage(page, [file]);
  const target = page.getByRole('region', { name: conversation, exact: true });
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

/** Pastes an image into the message field, as Ctrl+V after copying a screenshot does. */
async function attachByPaste(
  page: Page,
  file: { name: string; type: string; bytes: Buffer },
): Promise<void> {
  const transfer = await filesInPage(page, [file]);
  await page.getByLabel('Write a message').evaluate((field, clipboardData) => {
    field.dispatchEvent(
      new ClipboardEvent('paste', {
        clipboardData: clipboardData,
        bubbles: true,
        cancelable: true,
      }),
    );
  }, transfer);
}

/** The composer's list of chosen files, once every one of `names` is staged. */
async function filesReady(page: Page, names: string[]): Promise<Locator> {
  const list = page.getByRole('list', { name: 'Files to send' });
  for (const name of names) {
    await list.getByRole('button', { name: `Remove ${name}` }).waitFor();
    await list
      .getByRole('progressbar', { name: `Preparing ${name}` })
      .waitFor({ state: 'detached' });
  }
  return list;
}

async function sendWithFiles(page: Page, text: string): Promise<void> {
  if (text !== '') await page.getByLabel('Write a message').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' });
}

/**
 * The receiver's side of a held download: the bar shows part of the file, then (released) the
 * preview and the Open and Save buttons.
 */
async function seeDownloadThrough(
  person: Person,
  title: string,
  text: string,
  name: string,
  shot: string,
): Promise<Locator> {
  const item = messageItem(person.page, title, text);
  const bar = item.getByRole('progressbar', { name: `Downloading ${name}` });
  try {
    await bar.waitFor();
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), POLL)
      .toBeGreaterThan(0);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100);
    await item.scrollIntoViewIfNeeded();
    await screenshot(person, shot);
  } finally {
    // Whatever happened, the link is fast again for the steps after.
    proxy?.release();
  }
  await item.getByRole('button', { name: `Open ${name}` }).waitFor();
  await bar.waitFor({ state: 'detached' });
  return item;
}

/** Opens the photo full size, then saves it; returns the saved bytes. */
async function openAndSave(person: Person, item: Locator, name: string): Promise<Buffer> {
  const { page } = person;
  await item.getByRole('button', { name: `Open ${name}` }).click();
  const viewer = dialog(page);
  const full = viewer.getByRole('img', { name });
  await full.waitFor();
  await expect
    .poll(() => full.evaluate((image) => (image as HTMLImageElement).naturalWidth), POLL)
    .toBeGreaterThan(0);
  await viewer.getByRole('button', { name: 'Close' }).click();
  await viewer.waitFor({ state: 'detached' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.getByRole('button', { name: `Save ${name}` }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  const out = path.join(files, `saved-${person.name}-${name}`);
  await download.saveAs(out);
  return readFile(out);
}

/** A saved photo: a real JPEG of the sent size, with no EXIF, GPS or camera strings. */
async function expectClean(bytes: Buffer, width: number, height: number): Promise<void> {
  const metadata = await sharp(bytes).metadata();
  expect(metadata).toMatchObject({ format: 'jpeg', width, height });
  expect(metadata.exif).toBeUndefined();
  for (const secret of [MAKE, GPS_DATUM]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
}

describe('attachments in the window', () => {
  it('1:1: a photo by the paperclip arrives with a preview, a progress bar, Open and a clean Save', async () => {
    const relayUrl = proxy?.url ?? '';
    await Promise.all([firstRun(alice, 'Alice', relayUrl), firstRun(bob, 'Bob', relayUrl)]);
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

    const photo = path.join(files, 'rash.jpg');
    await writeFile(photo, await photoWithGps(640, 480));
    await attachByButton(bob.page, [photo]);
    const chosen = await filesReady(bob.page, ['rash.jpg']);
    await expect.poll(() => chosen.getByText('rash.jpg').count(), POLL).toBe(1);
    // The composer says what will be sent: a neutral name, unless the person sends file names.
    await chosen.getByText('Sent as photo.jpg').waitFor();
    const sendNames = bob.page.getByRole('checkbox', { name: 'Send file names' });
    expect(await sendNames.isChecked()).toBe(false);
    await screenshot(bob, '40-composer-with-files');

    // The relay link is slow from now on: Alice's download stops part way.
    proxy?.hold('GET', 24 * 1024);
    await sendWithFiles(bob.page, 'The rash this morning');
    const mine = messageItem(bob.page, 'Alice', 'The rash this morning');
    await mine.getByRole('img', { name: 'Preview of photo.jpg' }).waitFor();

    await alice.page
      .getByRole('navigation', { name: 'Chats' })
      .getByRole('button', { name: 'Bob' })
      .waitFor();
    await openChat(alice.page, 'Bob');
    const item = await seeDownloadThrough(
      alice,
      'Bob',
      'The rash this morning',
      'photo.jpg',
      '41-download-progress',
    );
    await expect
      .poll(
        () =>
          item
            .getByRole('img', { name: 'Preview of photo.jpg' })
            .evaluate((image) => (image as HTMLImageElement).naturalWidth),
        POLL,
      )
      .toBeGreaterThan(0);
    await screenshot(alice, '42-message-with-preview');
    expect(await item.getByText('rash.jpg').count()).toBe(0);
    await expectClean(await openAndSave(alice, item, 'photo.jpg'), 640, 480);
    expectNoConsoleProblems();
  });

  it('1:1: photos dropped on the conversation and pasted into the field go in one message', async () => {
    const dropped = {
      name: 'dropped.jpg',
      type: 'image/jpeg',
      bytes: await photoWithGps(200, 150),
    };
    const pasted = {
      name: 'image.png',
      type: 'image/png',
      bytes: await sharp(randomBytes(90 * 60 * 3), { raw: { width: 90, height: 60, channels: 3 } })
        .png()
        .toBuffer(),
    };
    await attachByDrop(bob.page, 'Alice', dropped);
    await attachByPaste(bob.page, pasted);
    const chosen = await filesReady(bob.page, ['dropped.jpg', 'image.png']);
    await chosen.getByText('Sent as photo.jpg').waitFor();
    // Bob chooses to send the real names: each file says so before it goes.
    await bob.page.getByRole('checkbox', { name: 'Send file names' }).check();
    await chosen.getByText('Sent as dropped.jpg').waitFor();
    await screenshot(bob, '47-composer-sending-file-names');
    await sendWithFiles(bob.page, 'Two more');

    const item = messageItem(alice.page, 'Bob', 'Two more');
    await item.getByRole('button', { name: 'Open dropped.jpg' }).waitFor();
    await item.getByRole('button', { name: 'Open image.png' }).waitFor();
    await expectClean(await openAndSave(alice, item, 'dropped.jpg'), 200, 150);
    const png = await sharp(await openAndSave(alice, item, 'image.png')).metadata();
    expect(png).toMatchObject({ format: 'png', width: 90, height: 60 });
    expectNoConsoleProblems();
  });

  it('1:1: a PDF whose author cannot be removed is sent only after the sender chooses to', async () => {
    const pdf = path.join(files, 'report.pdf');
    await writeFile(pdf, await lockedPdfWithAuthor());
    await attachByButton(bob.page, [pdf]);
    await filesReady(bob.page, ['report.pdf']);
    await bob.page.getByLabel('Write a message').fill('My lab report');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();

    const ask = dialog(bob.page);
    await ask.getByRole('heading', { name: 'Send without removing hidden details?' }).waitFor();
    await expect.poll(() => ask.textContent(), POLL).toMatch(/author’s name/u);
    await screenshot(bob, '43-uncleaned-warning');
    // Nothing went out while the question is open, and cancelling keeps the file listed.
    expect(await messageList(bob.page, 'Alice').getByText('My lab report').count()).toBe(0);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    await filesReady(bob.page, ['report.pdf']);
    expect(await messageList(alice.page, 'Bob').getByText('My lab report').count()).toBe(0);

    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await dialog(bob.page).getByRole('button', { name: 'Send as it is' }).click();
    await bob.page.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' });
    const item = messageItem(alice.page, 'Bob', 'My lab report');
    await item.getByRole('button', { name: 'Save document.pdf' }).waitFor();
    await item.getByText('PDF document').waitFor();
    expectNoConsoleProblems();
  });

  it('a group: a dropped photo reaches the other member with a progress bar, preview and a clean Save', async () => {
    await openSection(alice.page, 'Groups');
    await alice.page.getByRole('button', { name: 'Create a group' }).click();
    const create = dialog(alice.page);
    await create.getByLabel('Group name').fill(GROUP);
    await create.getByLabel('Description').fill('Evenings, flares and fatigue.');
    await create.getByLabel('Rules').fill('Be kind.');
    await create.getByLabel('Pseudonym in this group').fill('Wren');
    await create.getByRole('button', { name: 'Create group' }).click();
    await alice.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await alice.page.getByRole('button', { name: 'Members', exact: true }).click();
    await alice.page.getByRole('tab', { name: 'Invite' }).click();
    await alice.page.getByRole('button', { name: 'Create group invite link' }).click();
    const linkField = alice.page.getByLabel('Group invite link');
    await expect.poll(() => linkField.inputValue(), POLL).toMatch(/^kindred:group\//u);
    const link = await linkField.inputValue();

    await openSection(bob.page, 'Groups');
    await bob.page.getByRole('button', { name: 'Join a group' }).click();
    await dialog(bob.page).getByLabel('Group invite link').fill(link);
    await dialog(bob.page).getByLabel('Pseudonym in this group').fill('Ash');
    await dialog(bob.page).getByRole('button', { name: 'Join group' }).click();
    await dialog(bob.page).waitFor({ state: 'detached' });
    await bob.page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    await bob.page.getByLabel('Write a message').waitFor();

    await openChat(alice.page, GROUP);
    const photo = { name: 'swelling.jpg', type: 'image/jpeg', bytes: await photoWithGps(320, 240) };
    await attachByDrop(alice.page, GROUP, photo);
    const chosen = await filesReady(alice.page, ['swelling.jpg']);
    await chosen.getByText('Sent as photo.jpg').waitFor();
    // Her upload is held part way first: the composer shows its bar until the relay has it.
    proxy?.hold('PUT', 8 * 1024);
    await alice.page.getByLabel('Write a message').fill('My knee tonight');
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    try {
      const upload = alice.page.getByRole('progressbar', { name: 'Uploading swelling.jpg' });
      await upload.waitFor();
      expect(Number(await upload.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
      await screenshot(alice, '46-group-upload-progress');
    } finally {
      proxy?.release();
    }
    // Bob's download is held next.
    proxy?.hold('GET', 24 * 1024);
    await alice.page.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' });

    const item = await seeDownloadThrough(
      bob,
      GROUP,
      'My knee tonight',
      'photo.jpg',
      '44-group-download-progress',
    );
    await item.getByRole('img', { name: 'Preview of photo.jpg' }).waitFor();
    await screenshot(bob, '45-group-message-with-preview');
    await expectClean(await openAndSave(bob, item, 'photo.jpg'), 320, 240);
    expectNoConsoleProblems();
  });
});
