/**
 * The stage for the window's end-to-end tests: one in-process relay, one Chromium, and per person
 * their own vault (a DesktopService over a temporary folder), their own dev host serving the
 * renderer build on 127.0.0.1, and their own browser context with one page. Every page's console
 * errors and uncaught exceptions are collected so a test can assert there were none.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { inject } from 'vitest';
import type { RunningDevHost } from '../../desktop/devhost/devHost.main.js';
import { startDevHost } from '../../desktop/devhost/devHost.main.js';
import { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { KindredClientOptions } from '../../core/client/index.js';
import type { RelayOptions, RunningRelay } from '../../server/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs, startTestRelay } from '../integration/helpers.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the run leaves its screenshots (tests/artifacts/ is gitignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'tests', 'artifacts', 'screenshots');

/** Debian's Chromium, never a downloaded browser; the flags keep it quiet and offline. */
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * How long one Playwright action or wait may take before it fails with a message naming what it
 * waited for: well inside a test's 90 s, yet generous for two loaded cores.
 */
export const STEP_TIMEOUT_MS = 20_000;

/** A default relay address nobody listens on: the first run must really use the typed one. */
const UNUSED_RELAY_URL = 'ws://127.0.0.1:9';

/** One person: a vault, the dev host in front of it, and a browser page on that host. */
export interface Person {
  /** Who this is in the test's words (console problems name them). */
  readonly name: string;
  /** The browser's language (BCP 47), which the window speaks unless told otherwise. */
  readonly locale: string;
  readonly service: DesktopService;
  readonly host: RunningDevHost;
  readonly context: BrowserContext;
  readonly page: Page;
}

/** What a test may change about its stage: the relay's options and every vault's client tunables. */
export interface UiStageOptions {
  readonly relay?: Partial<RelayOptions>;
  /** Laid over TEST_CLIENT_OPTIONS (e.g. short disappearing timers, swept often). */
  readonly clientOptions?: KindredClientOptions;
}

export class UiStage {
  readonly relay: RunningRelay & { readonly dataDir: string };
  readonly #browser: Browser;
  readonly #dirs: TempDirs;
  readonly #rendererDir: string;
  readonly #people: Person[] = [];
  /** Every vault and dev host made, even by a person() that failed half way, for close(). */
  readonly #services: DesktopService[] = [];
  readonly #hosts: RunningDevHost[] = [];
  readonly #problems: string[] = [];
  readonly #busyRefusals = new Map<Person, number>();
  readonly #clientOptions: KindredClientOptions;

  private constructor(
    relay: RunningRelay & { readonly dataDir: string },
    browser: Browser,
    dirs: TempDirs,
    rendererDir: string,
    clientOptions: KindredClientOptions,
  ) {
    this.relay = relay;
    this.#browser = browser;
    this.#dirs = dirs;
    this.#rendererDir = rendererDir;
    this.#clientOptions = clientOptions;
  }

  /** Starts the relay and the browser. Pair with {@link close} in afterAll. */
  static async open(options: UiStageOptions = {}): Promise<UiStage> {
    const rendererDir = inject('rendererDir');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const dirs = new TempDirs();
    const relay = await startTestRelay(dirs, options.relay);
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    } catch (error) {
      await relay.close();
      await dirs.cleanup();
      throw error;
    }
    return new UiStage(relay, browser, dirs, rendererDir, {
      ...TEST_CLIENT_OPTIONS,
      ...options.clientOptions,
    });
  }

  /**
   * A person at first run: an empty vault folder, its dev host, and a page showing the window.
   * `locale` is the browser's language (navigator.languages), British English unless given.
   */
  async person(
    name: string,
    {
      locale = 'en-GB',
      timeZone,
      now,
      reminderPollMs,
    }: {
      locale?: string;
      /** The browser's IANA zone (the system's unless given): the window writes times in it. */
      timeZone?: string;
      /** The vault's clock for scheduled chats (KindredClientOptions.scheduleClock). */
      now?: () => number;
      /** How often its main asks for due reminders (DesktopServiceOptions.reminderPollMs). */
      reminderPollMs?: number;
    } = {},
  ): Promise<Person> {
    // A failure screenshot of an earlier run must not pass for this run's.
    await rm(failureScreenshot(name), { force: true });
    // The dev host command offers no KDF choice; in process, the service takes the fast one
    // that tests/desktop uses, so a first run and each unlock cost milliseconds.
    const service = new DesktopService({
      home: await this.#dirs.make(`ui-${name.toLowerCase()}`),
      defaultRelayUrl: UNUSED_RELAY_URL,
      kdf: 'insecure-fast',
      clientOptions:
        now === undefined ? this.#clientOptions : { ...this.#clientOptions, scheduleClock: now },
      ...(reminderPollMs === undefined ? {} : { reminderPollMs }),
    });
    this.#services.push(service);
    const host = await startDevHost({ service, rendererDir: this.#rendererDir, port: 0 });
    this.#hosts.push(host);
    const context = await this.#browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale,
      colorScheme: 'light',
      ...(timeZone === undefined ? {} : { timezoneId: timeZone }),
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const person: Person = { name, locale, service, host, context, page };
    this.#people.push(person);
    this.#watch(person);
    await page.goto(host.url);
    return person;
  }

  /** Saves every person's page as failed-NAME.png: what each one saw when a test failed. */
  async screenshotFailure(): Promise<void> {
    await Promise.allSettled(
      this.#people.map((person) =>
        person.page.screenshot({ path: failureScreenshot(person.name) }),
      ),
    );
  }

  /**
   * How many of this person's calls the dev host refused as DESKTOP_BUSY (more than its
   * maxPendingCalls at once): zero, unless a burst of events makes the window flood the host.
   */
  busyRefusals(person: Person): number {
    return this.#busyRefusals.get(person) ?? 0;
  }

  /** Console errors and uncaught exceptions of every page so far, then forgets them. */
  takeConsoleProblems(): string[] {
    return this.#problems.splice(0);
  }

  /** Browser first (no page may see its host vanish), then hosts and vaults, then the relay. */
  async close(): Promise<void> {
    const outcomes = await Promise.allSettled([this.#browser.close()]);
    outcomes.push(...(await Promise.allSettled(this.#hosts.map((host) => host.close()))));
    outcomes.push(...(await Promise.allSettled(this.#services.map((service) => service.close()))));
    outcomes.push(...(await Promise.allSettled([this.relay.close()])));
    await this.#dirs.cleanup();
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  #watch(person: Person): void {
    // Nothing is allowed: the window must not log errors nor throw, whatever the test does.
    person.page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location();
      this.#problems.push(`${person.name}: console error: ${message.text()} (${where.url})`);
    });
    person.page.on('pageerror', (error) => {
      this.#problems.push(`${person.name}: uncaught ${error.name}: ${error.message}`);
    });
    person.page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"DESKTOP_BUSY"')) {
          this.#busyRefusals.set(person, this.busyRefusals(person) + 1);
        }
      });
    });
  }
}

function failureScreenshot(name: string): string {
  return path.join(SCREENSHOT_DIR, `failed-${name.toLowerCase()}.png`);
}

/** Saves what the person's page shows as tests/artifacts/screenshots/NAME.png. */
export async function screenshot(person: Person, name: string): Promise<void> {
  await person.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}
