// Disappearing messages end to end: real clients with real vaults on a real relay with a real
// LevelDB folder. Timers of seconds come from the test-only minimum, lowered alike on the relay
// (minDisappearingSeconds) and on every client; users keep 5 minutes.
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ATTACHMENTS_FOLDER,
  CoreError,
  CoreErrorCode,
  KindredClient,
} from '../../core/client/index.js';
import type { KindredClientEmits, KindredClientOptions } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';
import { textsOf } from './groupHelpers.js';

const dirs = new TempDirs();
const relays: RunningRelay[] = [];
const open = new Set<KindredClient>();

/** Timers of a second or two, swept often, on the relay and in the vaults. */
const SHORT: KindredClientOptions = { minDisappearingSeconds: 1, disappearingSweepMs: 100 };

afterAll(async () => {
  await Promise.all([...open].map((client) => client.close()));
  await Promise.all(relays.map((relay) => relay.close()));
  await dirs.cleanup();
});

async function shortTimerRelay(): Promise<RunningRelay & { dataDir: string }> {
  const relay = await startTestRelay(dirs, {
    minDisappearingSeconds: 1,
    disappearingSweepIntervalMs: 100,
  });
  relays.push(relay);
  return relay;
}

async function client(
  relayUrl: string,
  name: string,
  options: KindredClientOptions & { home?: string } = SHORT,
): Promise<KindredClient> {
  const made = await newClient(dirs, relayUrl, name, options);
  open.add(made);
  await made.start({ receive: true });
  return made;
}

async function close(made: KindredClient): Promise<void> {
  open.delete(made);
  await made.close();
}

/** The files of a vault's attachments folder (none when it was never made). */
async function attachmentFiles(home: string): Promise<string[]> {
  try {
    return await readdir(join(home, ATTACHMENTS_FOLDER));
  } catch {
    return [];
  }
}

async function texts(of: KindredClient, contact: string): Promise<string[]> {
  return messagesOf(await of.messages(contact)).map((message) => message.text);
}

/** How many search hits `query` has on this device (every persona, 1:1 and groups). */
async function hits(of: KindredClient, query: string): Promise<number> {
  return (await of.search(query)).length;
}

async function codeOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    if (CoreError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('disappearing 1:1 messages', () => {
  it('either side sets the timer, both see it, and messages leave both vaults when it runs out', async () => {
    const relay = await shortTimerRelay();
    const ada = await client(relay.url, 'Ada');
    const ben = await client(relay.url, 'Ben');
    await connectPair(ada, ben);
    // The timer line is a message of its own (a TimerChange body), stored under the new timer:
    // checked as stored here, since on a loaded machine it may be gone by the checks below.
    const line = await ben.setTimer(ada.address, 2);
    expect(line).toMatchObject({ outgoing: true, text: 'disappearing messages set to 2 seconds' });
    expect(line.timer).toBe(2);
    await ben.flushOutbox(10_000);
    await waitFor(async () => (await ada.timer(ben.address)) === 2, 10_000, 'ada gets the timer');
    expect(await texts(ada, ben.address)).toContain('disappearing messages set to 2 seconds');
    const sent = await ada.send(ben.address, 'this will vanish');
    expect(sent.expiresAt).toBeGreaterThan(sent.sentAt);
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(ben, ada.address)).includes('this will vanish'),
      10_000,
      'ben gets it',
    );
    const received = messagesOf(await ben.messages(ada.address)).find(
      (message) => message.text === 'this will vanish',
    );
    expect(received?.expiresAt).toBeDefined();
    // The timer line is never searchable.
    expect(await hits(ada, 'vanish')).toBe(1);
    expect(await hits(ben, 'vanish')).toBe(1);
    expect(await hits(ben, 'disappearing')).toBe(0);
    const expired: KindredClientEmits['expired'][] = [];
    ben.on('expired', (event) => expired.push(event));
    await waitFor(
      async () =>
        !(await texts(ada, ben.address)).includes('this will vanish') &&
        !(await texts(ben, ada.address)).includes('this will vanish'),
      10_000,
      'the message leaves both vaults',
    );
    // Gone from the search index too, and an open window heard of it.
    expect(await hits(ada, 'vanish')).toBe(0);
    expect(await hits(ben, 'vanish')).toBe(0);
    await waitFor(
      () =>
        Promise.resolve(
          expired.some((event) =>
            event.messages.some(
              (m) => m.kind === 'direct' && m.message.text === 'this will vanish',
            ),
          ),
        ),
      10_000,
      'the expired event names the message',
    );
    expect(expired[0]?.persona).toBe(ben.address);
    // Switched off: what comes after stays.
    await ada.setTimer(ben.address, 0);
    await ada.send(ben.address, 'this stays');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(ben, ada.address)).includes('this stays'),
      10_000,
      'ben gets the lasting one',
    );
    expect(await ben.timer(ada.address)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await texts(ben, ada.address)).toContain('this stays');
    expect(await texts(ada, ben.address)).toContain('this stays');
  });

  it('an expired message takes its attachment files out of both vault folders', async () => {
    const relay = await shortTimerRelay();
    const adaHome = await dirs.make('home');
    const benHome = await dirs.make('home');
    const ada = await client(relay.url, 'Ada', { ...SHORT, home: adaHome });
    const ben = await client(relay.url, 'Ben', { ...SHORT, home: benHome });
    await connectPair(ada, ben);
    await ada.setTimer(ben.address, 5);
    await ada.flushOutbox(10_000);
    await waitFor(async () => (await ben.timer(ada.address)) === 5, 10_000, 'ben gets the timer');
    const path = join(await dirs.make('files'), 'notes.bin');
    await writeFile(path, randomBytes(40_000));
    const sent = await ada.send(ben.address, 'fleeting file', {
      attachments: [path],
      sendUncleaned: true,
    });
    expect(sent.expiresAt).toBeDefined();
    // Our own ciphertext is kept in the vault folder from the moment it is sent.
    expect(sent.attachments?.[0]?.state).toBe('downloaded');
    expect(await attachmentFiles(adaHome)).toHaveLength(1);
    await ada.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await ben.messages(ada.address)).some(
          (m) => m.text === 'fleeting file' && m.attachments?.[0]?.state === 'downloaded',
        ),
      10_000,
      'ben downloads the attachment',
    );
    expect(await attachmentFiles(benHome)).toHaveLength(1);
    await waitFor(
      async () =>
        !(await texts(ada, ben.address)).includes('fleeting file') &&
        !(await texts(ben, ada.address)).includes('fleeting file'),
      10_000,
      'the message leaves both vaults',
    );
    // The sweeper's onExpired hook removes the files once the deletion is committed.
    await waitFor(
      async () =>
        (await attachmentFiles(adaHome)).length === 0 &&
        (await attachmentFiles(benHome)).length === 0,
      10_000,
      'the attachment files leave both vault folders',
    );
  });

  it('what ran out while the app was closed is gone at the next unlock', async () => {
    const relay = await shortTimerRelay();
    const ada = await client(relay.url, 'Ada');
    const home = await dirs.make('home');
    const ben = await client(relay.url, 'Ben', { ...SHORT, home });
    await connectPair(ada, ben);
    await ada.setTimer(ben.address, 2);
    await ada.send(ben.address, 'read, then closed');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(ben, ada.address)).includes('read, then closed'),
      10_000,
      'ben gets it',
    );
    expect(await hits(ben, 'closed')).toBe(1);
    await close(ben);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Reopened with a sweep an hour away and not started: only the sweep at unlock can act.
    const reopened = await KindredClient.open({
      home,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
      minDisappearingSeconds: 1,
      disappearingSweepMs: 3_600_000,
    });
    open.add(reopened);
    expect(await texts(reopened, ada.address)).not.toContain('read, then closed');
    expect(await hits(reopened, 'closed')).toBe(0);
    expect(await reopened.timer(ada.address)).toBe(2);
  });

  it('refuses timers outside 5 minutes .. 4 weeks with CORE_INVALID_INPUT', async () => {
    const relay = await shortTimerRelay();
    // Users' clients: the 5-minute minimum holds whatever the relay allows.
    const ada = await client(relay.url, 'Ada', {});
    const ben = await client(relay.url, 'Ben', {});
    await connectPair(ada, ben);
    for (const seconds of [1, 299, 2_419_201, 1.5, -300]) {
      expect(await codeOf(ada.setTimer(ben.address, seconds)), String(seconds)).toBe(
        CoreErrorCode.InvalidInput,
      );
    }
    expect(await ada.timer(ben.address)).toBe(0);
    await ada.setTimer(ben.address, 300);
    expect(await ada.timer(ben.address)).toBe(300);
  });
});

describe('disappearing group messages', () => {
  it('moderators set the timer, a member cannot; messages leave every vault, and a member away longer than the timer sees no false withholding', async () => {
    const relay = await shortTimerRelay();
    const owner = await client(relay.url, 'Olive');
    const home = await dirs.make('home');
    const member = await client(relay.url, 'Mo', { ...SHORT, home });
    const group = await owner.createGroup({ name: 'Vanishing circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
    const joined = await member.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 2, 10_000, 'the member joins');
    expect(await codeOf(joined.setPolicy({ disappearingSeconds: 2 }))).toBe(
      CoreErrorCode.GroupForbidden,
    );
    expect(await codeOf(group.setPolicy({ disappearingSeconds: 2_419_201 }))).toBe(
      CoreErrorCode.InvalidInput,
    );
    await group.setPolicy({ disappearingSeconds: 2 });
    await waitFor(
      async () => (await joined.details()).policy.disappearingSeconds === 2,
      10_000,
      'the member sees the timer',
    );
    await group.send('group secret that vanishes');
    await owner.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(joined)).includes('group secret that vanishes'),
      10_000,
      'the member gets it',
    );
    expect(await hits(member, 'secret')).toBe(1);
    await waitFor(
      async () =>
        !(await textsOf(joined)).includes('group secret that vanishes') &&
        !(await textsOf(group)).includes('group secret that vanishes'),
      10_000,
      'the message leaves both vaults',
    );
    expect(await hits(member, 'secret')).toBe(0);
    expect(await hits(owner, 'secret')).toBe(0);
    expect(await joined.warnings()).toStrictEqual([]);

    // Away while a post expires at the relay: the hole in the owner's sequence is the timer's.
    await close(member);
    await group.send('posted while mo was away');
    await owner.flushOutbox(10_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await group.send('posted once it had gone');
    await owner.flushOutbox(10_000);
    const back = await KindredClient.open({
      home,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
      ...SHORT,
    });
    open.add(back);
    await back.start({ receive: true });
    const again = await back.group(group.id);
    await waitFor(
      async () => (await textsOf(again)).includes('posted once it had gone'),
      10_000,
      'the member gets the later post',
    );
    expect(await textsOf(again)).not.toContain('posted while mo was away');
    expect((await again.warnings()).map((warning) => warning.kind)).toStrictEqual([]);
  });
});
