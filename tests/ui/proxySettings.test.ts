/**
 * The proxy setting in the real window: saying plainly, with none set, that the relay sees one
 * address for every persona; saving a SOCKS5 proxy that the persona then connects through (a real
 * observing proxy on loopback); refusing a wrong address; and connecting directly again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ObservingSocksProxy } from '../integration/ObservingSocksProxy.js';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import type { Person } from './uiStage.js';
import { UiStage, screenshot } from './uiStage.js';
import { POLL, firstRun, openSection } from './windowSteps.js';

let stage: UiStage | undefined;
let observer: ObservingSocksProxy;
let gwen: Person;

beforeAll(async () => {
  stage = await UiStage.open();
  observer = await ObservingSocksProxy.start();
  gwen = await stage.person('Gwen');
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => stage?.screenshotFailure());
});

afterAll(async () => {
  await stage?.close();
  await observer.close();
});

describe('the window, proxy setting', () => {
  it('says what the relay sees, saves a proxy the persona connects through, and clears it', async () => {
    await firstRun(gwen, 'Gwen', stage?.relay.url ?? '');
    await openSection(gwen.page, 'Settings');
    const page = gwen.page;
    await page.getByText(/the relay can tell they share it/u).waitFor();

    const field = page.getByLabel('SOCKS5 proxy');
    await field.fill('http://127.0.0.1:8080');
    await page.getByRole('button', { name: 'Save proxy' }).click();
    await page.getByRole('alert').first().waitFor();
    expect((await gwen.service.state()).proxy).toBe('');

    await field.fill(observer.url);
    await page.getByRole('button', { name: 'Save proxy' }).click();
    await expect.poll(async () => (await gwen.service.state()).proxy, POLL).toBe(observer.url);
    await page.getByText(/with its own credentials/u).waitFor();
    await expect
      .poll(() => observer.connections.some((c) => c.frames.some((f) => f.kind === 'auth')), POLL)
      .toBe(true);

    await field.fill('');
    await page.getByRole('button', { name: 'Connect directly' }).click();
    await expect.poll(async () => (await gwen.service.state()).proxy, POLL).toBe('');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });

  it('says the same in Arabic, right to left, down to the passphrase meter’s advice', async () => {
    // Gwen, still in Settings from the test above, chooses Arabic.
    const page = gwen.page;
    const arabic = MESSAGES.ar;
    await page.getByLabel('Language', { exact: true }).selectOption('ar');
    await page.getByRole('heading', { name: arabic['settings.proxy'], exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByText(arabic['settings.proxyHintNone']).waitFor();
    await page.getByRole('button', { name: arabic['settings.connectDirectly'] }).waitFor();
    await page.getByLabel(arabic['settings.newPassphrase'], { exact: true }).fill('qwertyuiop');
    const advice = page.getByText(arabic['passphrase.warning.topHundred']);
    await advice.waitFor();
    await advice.scrollIntoViewIfNeeded();
    await page.getByText(arabic['passphrase.veryWeak']).first().waitFor();
    await screenshot(gwen, '86-settings-arabic');
    expect(stage?.takeConsoleProblems()).toStrictEqual([]);
  });
});
