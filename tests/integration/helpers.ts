import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  HistoryEntry,
  HistoryMessage,
  KindredClientOptions,
} from '../../core/client/index.js';
import { IMMEDIATE_CONNECT_SCHEDULE, KindredClient } from '../../core/client/index.js';
import type { RelayOptions, RunningRelay } from '../../server/index.js';
import { startRelay } from '../../server/index.js';
import { afterAll, beforeAll } from 'vitest';

export const PASSPHRASE = 'integration passphrase';
/** Small, so registration costs milliseconds, yet the proof of work is really checked. */
export const POW_DIFFICULTY = 6;

/**
 * Fast retries so tests that break the relay recover quickly; personas connect without the
 * default random delays (tests of the connect schedule set their own).
 */
export const TEST_CLIENT_OPTIONS: KindredClientOptions = {
  backoff: { initialMs: 50, maxMs: 500 },
  connectSchedule: IMMEDIATE_CONNECT_SCHEDULE,
  // Wide: a relay on a machine loaded by parallel suites can take seconds to answer (5 s flaked).
  requestTimeoutMs: 12_000,
  connectTimeoutMs: 5_000,
};

/** Temporary folders, all removed by `cleanup()`. */
export class TempDirs {
  readonly #dirs: string[] = [];

  async make(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), `kindred-${prefix}-`));
    this.#dirs.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

export async function startTestRelay(
  dirs: TempDirs,
  options: Partial<RelayOptions> = {},
): Promise<RunningRelay & { dataDir: string }> {
  const dataDir = await dirs.make('relay');
  const relay = await startRelay({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    registration: 'pow',
    powDifficulty: POW_DIFFICULTY,
    // Every client here comes from 127.0.0.1, as if all behind one NAT: room for them all within
    // one address's rates (which tests/server/limits.test.ts checks).
    addressRateFactor: 1_000,
    ...options,
  });
  return Object.assign(relay, { dataDir });
}

/** Something a test opens and the file's end closes (a client, a group's clients, a relay). */
interface Closable {
  close(): Promise<void>;
}

/** A test file's relay and folders; see `useTestRelay`. */
export interface FileRelay {
  readonly dirs: TempDirs;
  /** The running relay (from the file's beforeAll on). */
  readonly running: RunningRelay & { dataDir: string };
  /** The running relay's ws:// URL. */
  readonly url: string;
  /** Closes `thing` after the file's tests, before the relay. */
  track<T extends Closable>(thing: T): T;
  /** Closes what is tracked so far now (a test that needs the relay to itself). */
  closeTracked(): Promise<void>;
  /** A new persona in a fresh home (see newClient), closed after the file's tests. */
  client(pseudonym: string, options?: KindredClientOptions): Promise<KindredClient>;
}

/**
 * The set-up most integration test files share: a relay started before the file's tests, and
 * after them every tracked client closed, then the relay, then the file's folders removed.
 */
export function useTestRelay(
  options: Partial<RelayOptions> = {},
  dirs: TempDirs = new TempDirs(),
): FileRelay {
  let running: (RunningRelay & { dataDir: string }) | undefined;
  const open: Closable[] = [];
  beforeAll(async () => {
    running = await startTestRelay(dirs, options);
  });
  afterAll(async () => {
    await fixture.closeTracked();
    await running?.close();
    await dirs.cleanup();
  });
  const fixture: FileRelay = {
    dirs,
    get running() {
      if (running === undefined) throw new Error('the relay starts in beforeAll');
      return running;
    },
    get url() {
      return fixture.running.url;
    },
    track(thing) {
      open.push(thing);
      return thing;
    },
    async closeTracked() {
      await Promise.all(open.splice(0).map((thing) => thing.close()));
    },
    async client(pseudonym, clientOptions = {}) {
      return fixture.track(await newClient(dirs, fixture.url, pseudonym, clientOptions));
    },
  };
  return fixture;
}

/** A new persona, registered on the relay, in `home` (default: a fresh temporary folder). */
export async function newClient(
  dirs: TempDirs,
  relayUrl: string,
  pseudonym: string,
  options: KindredClientOptions & { home?: string } = {},
): Promise<KindredClient> {
  const { home, ...clientOptions } = options;
  return KindredClient.init({
    home: home ?? (await dirs.make('home')),
    passphrase: PASSPHRASE,
    pseudonym,
    relayUrl,
    kdf: 'insecure-fast',
    ...TEST_CLIENT_OPTIONS,
    ...clientOptions,
  });
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function messagesOf(entries: readonly HistoryEntry[]): HistoryMessage[] {
  return entries.filter((entry): entry is HistoryMessage => entry.kind === 'message');
}

/** Makes `b` a contact of `a` (b uses a's invite) and waits until a has accepted b. */
export async function connectPair(
  a: KindredClient,
  b: KindredClient,
  options: { aliasForA?: string } = {},
): Promise<void> {
  const invite = await a.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
  await b.addContact(
    invite.link,
    options.aliasForA === undefined ? {} : { alias: options.aliasForA },
  );
  await b.flushOutbox(10_000);
  await waitFor(
    async () => (await a.contacts()).some((contact) => contact.address === b.address),
    10_000,
    'the introduction',
  );
}
