import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectScheduleOptions, KindredClient } from '../../core/client/index.js';
import { CoreErrorCode, KindredClient as Client, toHex } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';
import { kindred } from './kindredCommand.js';
import type { ObservedConnection } from './ObservingSocksProxy.js';
import { ObservingSocksProxy } from './ObservingSocksProxy.js';

/**
 * The default schedule (5 s minimum, 30 s mean) scaled down 12.5 times so a test does not wait
 * minutes; its own properties are checked in tests/core/client/connectSchedule.test.ts.
 */
const SCALED_SCHEDULE: ConnectScheduleOptions = { minimumMs: 400, meanMs: 2_400, maximumMs: 8_000 };
/** The default idle close of an anonymous connection (KindredClientOptions.anonymousIdleMs). */
const ANONYMOUS_IDLE_MS = 5_000;
const GROUP_FRAMES = new Set(['fetchGroupLog', 'submitGroupOperation']);

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RunningRelay;
let proxy: ObservingSocksProxy;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function identityOf(client: KindredClient, address: string): string {
  return toHex(client.session(address).whoami().identityKey);
}

/** When each persona of `client` first authenticated through the proxy after `since`. */
function firstAuthentications(client: KindredClient, since: number): Map<string, number> {
  const firsts = new Map<string, number>();
  for (const session of client.sessions()) {
    const key = identityOf(client, session.address);
    const times = proxy
      .authenticatedAs(key)
      .map((c) => c.openedAt)
      .filter((t) => t >= since);
    if (times.length > 0) firsts.set(session.address, Math.min(...times));
  }
  return firsts;
}

async function initThroughProxy(name: string, options: { home?: string } = {}) {
  const made = await Client.init({
    home: options.home ?? (await dirs.make('home')),
    passphrase: PASSPHRASE,
    pseudonym: name,
    relayUrl: relay.url,
    kdf: 'insecure-fast',
    proxy: proxy.url,
    ...TEST_CLIENT_OPTIONS,
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  proxy = await ObservingSocksProxy.start();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy.close();
  await relay.close();
  await dirs.cleanup();
});

describe('personas that a relay cannot link', () => {
  let ada: KindredClient;
  let adaHome: string;
  let groupPersona: string;
  let bob: KindredClient;

  it('sends each persona through the proxy with its own credentials, anonymous ones fresh', async () => {
    adaHome = await dirs.make('home');
    ada = await initThroughProxy('Ada', { home: adaHome });
    bob = await newClient(dirs, relay.url, 'Bob');
    clients.push(bob);
    await bob.start({ receive: true });
    await ada.start({ receive: true });
    await connectPair(bob, ada);
    const group = await ada.createGroup({ name: 'Rare-2 circle', description: '', rules: '' });
    groupPersona = group.persona;
    const link = await group.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
    const bobGroup = await bob.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 2, 10_000, 'bob joins');
    // Group traffic (log fetches, a sender key sealed to Bob) and 1:1 traffic, from both personas.
    await group.send('hello group');
    await ada.send(bob.address, 'hello bob');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await bobGroup.messages()).some((m) => m.text === 'hello group'),
      10_000,
      'bob reads the group',
    );

    expect(proxy.refusedWithoutCredentials).toBe(0);
    const mainKey = identityOf(ada, ada.address);
    const groupKey = identityOf(ada, groupPersona);
    const usernamesOf = (key: string): Set<string> =>
      new Set(proxy.authenticatedAs(key).map((c) => c.username));
    const mainNames = usernamesOf(mainKey);
    const groupNames = usernamesOf(groupKey);
    // Each persona always presents one username of its own, from registration on.
    expect(mainNames.size).toBe(1);
    expect(groupNames.size).toBe(1);
    expect([...mainNames][0]).not.toBe([...groupNames][0]);
    const personaNames = new Set([...mainNames, ...groupNames]);
    // Anonymous connections present fresh credentials each, never a persona's.
    const anonymous = proxy.anonymous();
    expect(anonymous.length).toBeGreaterThan(2);
    for (const connection of anonymous) expect(personaNames.has(connection.username)).toBe(false);
    expect(new Set(anonymous.map((c) => c.username)).size).toBe(anonymous.length);
  });

  it('never carries a fetch that names a group and a sealed send on one anonymous connection', () => {
    const carried = (c: ObservedConnection, kinds: (kind: string) => boolean): boolean =>
      c.frames.some((f) => kinds(f.kind));
    const anonymous = proxy.anonymous();
    const groupConnections = anonymous.filter((c) => carried(c, (k) => GROUP_FRAMES.has(k)));
    const sendConnections = anonymous.filter((c) => carried(c, (k) => k === 'sendEnvelope'));
    // Both kinds happened (a join, posts' sender keys, a 1:1 message): the check below has teeth.
    expect(groupConnections.length).toBeGreaterThan(0);
    expect(sendConnections.length).toBeGreaterThan(0);
    for (const connection of groupConnections) {
      expect(carried(connection, (k) => k === 'sendEnvelope')).toBe(false);
      // And each names one group only.
      const groups = new Set(connection.frames.map((f) => f.groupId).filter(Boolean));
      expect(groups.size).toBeLessThanOrEqual(1);
    }
  });

  it('closes anonymous connections once idle; authenticated ones stay', async () => {
    await waitFor(
      () => Promise.resolve(proxy.anonymous().every((c) => c.closedAt !== undefined)),
      ANONYMOUS_IDLE_MS * 3,
      'idle anonymous connections to close',
    );
    const lifetimes = proxy.anonymous().map((c) => (c.closedAt ?? 0) - c.openedAt);
    // Short-lived: an anonymous connection lasts its work plus the idle time, not the session.
    expect(median(lifetimes)).toBeLessThan(ANONYMOUS_IDLE_MS + 3_000);
    const live = proxy.authenticatedAs(identityOf(ada, ada.address)).filter((c) => !c.closedAt);
    expect(live.length).toBe(1);
  });

  it('keeps the proxy in the vault: after reopening, every connection still goes through it', async () => {
    await ada.close();
    const before = proxy.connections.length;
    const reopened = await Client.open({
      home: adaHome,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    clients.push(reopened);
    expect(reopened.proxyUrl).toBe(proxy.url);
    expect(reopened.session(groupPersona).proxyUrl).toBe(proxy.url);
    await reopened.start({ receive: true });
    const after = proxy.connections.slice(before);
    for (const session of reopened.sessions()) {
      const key = identityOf(reopened, session.address);
      expect(after.some((c) => c.frames.some((f) => f.identityKey === key))).toBe(true);
    }
    ada = reopened;
  });

  it('refuses a proxy address that is not socks5://host:port, and changes nothing', async () => {
    for (const bad of ['http://127.0.0.1:8080', 'socks5://user:pw@127.0.0.1:9050', 'socks5://h']) {
      await expect(ada.setProxy(bad)).rejects.toMatchObject({ code: CoreErrorCode.InvalidInput });
    }
    expect(ada.proxyUrl).toBe(proxy.url);
  });
});

describe('personas connect on schedules of their own', () => {
  const CYCLES = 6;
  let home: string;
  let personas: string[];

  beforeAll(async () => {
    home = await dirs.make('home');
    const eve = await initThroughProxy('Eve', { home });
    await eve.createPersona('Eve in a group');
    await eve.createPersona('Eve in another group');
    personas = eve.sessions().map((s) => s.address);
    await eve.close();
  });

  async function openScheduled(): Promise<KindredClient> {
    const opened = await Client.open({
      home,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
      connectSchedule: SCALED_SCHEDULE,
    });
    clients.push(opened);
    return opened;
  }

  it('at start: the persona in focus first, the others at random gaps, median ≥ the minimum', async () => {
    const focusGaps: number[] = [];
    const otherGaps: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const client = await openScheduled();
      const since = Date.now();
      await client.start({ receive: true });
      const firsts = firstAuthentications(client, since);
      expect(firsts.size).toBe(3);
      const [main, ...others] = personas.map((address) => firsts.get(address) ?? Number.NaN);
      for (const other of others) {
        expect(other).toBeGreaterThan(main ?? Number.NaN);
        focusGaps.push(other - (main ?? 0));
      }
      otherGaps.push(Math.abs((others[0] ?? 0) - (others[1] ?? 0)));
      await client.close();
    }
    const allGaps = [...focusGaps, ...otherGaps];
    expect(median(allGaps)).toBeGreaterThanOrEqual(SCALED_SCHEDULE.minimumMs ?? 0);
    // Every persona not in focus waits at least the minimum after the one in focus (less the
    // focused one's own connect time, a few ms on loopback).
    expect(Math.min(...focusGaps)).toBeGreaterThan((SCALED_SCHEDULE.minimumMs ?? 0) - 100);
    // Random, not a fixed stagger: the gaps between the two background personas vary.
    expect(Math.max(...otherGaps) - Math.min(...otherGaps)).toBeGreaterThan(200);
  });

  it('lets the persona the user looks at go first', async () => {
    const client = await openScheduled();
    const focus = personas[2] ?? '';
    const since = Date.now();
    await client.start({ receive: true, focus });
    const firsts = firstAuthentications(client, since);
    const focusAt = firsts.get(focus) ?? Number.NaN;
    for (const address of personas) {
      if (address !== focus) expect(firsts.get(address)).toBeGreaterThan(focusAt + 300);
    }
    await client.close();
  });

  it('after a drop, only the persona in focus comes straight back; the others at random delays', async () => {
    const client = await openScheduled();
    await client.start({ receive: true });
    const since = Date.now();
    proxy.dropAll();
    await waitFor(
      () => Promise.resolve(firstAuthentications(client, since).size === 3),
      (SCALED_SCHEDULE.maximumMs ?? 0) + 10_000,
      'every persona to reconnect',
    );
    const firsts = firstAuthentications(client, since);
    const mainAt = firsts.get(personas[0] ?? '') ?? Number.NaN;
    for (const address of personas.slice(1)) {
      // The backoff (at most 500 ms in tests) plus at least the schedule's minimum.
      expect(firsts.get(address)).toBeGreaterThan(mainAt + (SCALED_SCHEDULE.minimumMs ?? 0) - 500);
    }
    await client.close();
  });
});

describe('kindred --proxy', () => {
  it('registers through the proxy, keeps it in the vault, and "none" connects directly', async () => {
    const home = await dirs.make('cli');
    const before = proxy.connections.length;
    const init = await kindred([
      'init',
      '--home',
      home,
      '--name',
      'Cli',
      '--server',
      relay.url,
      '--kdf',
      'insecure-fast',
      '--proxy',
      proxy.url,
      '--json',
    ]);
    expect(init.code).toBe(0);
    expect(proxy.connections.length).toBeGreaterThan(before);
    const registered = proxy.connections.slice(before).filter((c) => c.frames.length > 0);
    expect(registered.some((c) => c.frames.some((f) => f.kind === 'auth'))).toBe(true);

    const synced = proxy.connections.length;
    expect((await kindred(['sync', '--home', home, '--json'])).code).toBe(0);
    const throughProxy = proxy.connections.slice(synced);
    expect(throughProxy.some((c) => c.frames.some((f) => f.kind === 'auth'))).toBe(true);

    const direct = proxy.connections.length;
    expect((await kindred(['sync', '--home', home, '--proxy', 'none', '--json'])).code).toBe(0);
    expect((await kindred(['sync', '--home', home, '--json'])).code).toBe(0);
    expect(proxy.connections.length).toBe(direct);

    const refused = await kindred(['whoami', '--home', home, '--proxy', 'http://x:1', '--json']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain(CoreErrorCode.InvalidInput);
    // Six runs of the command, each a new Node process: slow on a loaded machine.
  }, 240_000);
});
