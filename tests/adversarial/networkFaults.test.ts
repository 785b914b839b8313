// Ten clients talking 1:1 and in one group through a FaultProxy that delays, stalls, resets
// mid-frame and drops their connections to the relay: every message arrives, once, in its
// sender's order.
import { afterAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient, KindredClientOptions } from '../../core/client/index.js';
import { RelayConnection, toHex } from '../../core/client/index.js';
// RelayLink is internal to the client (core does not export it); its regression test needs it.
import { RelayLink } from '../../core/client/RelayLink.js';
import type { RunningRelay } from '../../server/index.js';
import {
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
} from '../integration/helpers.js';
import type { PoolPersona } from './crashHelpers.js';
import {
  MessageLedger,
  RestartableRelay,
  introduce,
  report,
  seededRandom,
  suiteSeed,
  teardown,
  waitUntil,
} from './crashHelpers.js';
import type { FaultRates } from './FaultProxy.js';
import { FaultProxy } from './FaultProxy.js';

const SEED = suiteSeed('KINDRED_FAULT_SEED', 20_261_203);

const CLIENTS = 10;
/** Texts each client writes to each of its two neighbours on the ring. */
const PER_CONVERSATION = 50;
/** Texts each member posts to the group. */
const PER_MEMBER = 50;
const DIRECT_TOTAL = CLIENTS * 2 * PER_CONVERSATION;
const GROUP_TOTAL = CLIENTS * PER_MEMBER;

/**
 * Per chunk, either way: one in seven is held back a little; about one in a hundred stalls its
 * direction for seconds (often past the clients' request timeout, so requests are retried on a
 * connection that later wakes up); as many reset the connection mid-frame or drop it; and no
 * connection lives longer than a few seconds.
 */
const FAULTS: FaultRates = {
  delay: 0.15,
  maxDelayMs: 60,
  stall: 0.01,
  minStallMs: 500,
  maxStallMs: 5_000,
  reset: 0.008,
  drop: 0.008,
  maxLifetimeMs: 4_000,
};

/**
 * Short timeouts and keep-alives, so stalled connections are given up on and replaced; fast
 * retries.
 */
const CLIENT_OPTIONS: KindredClientOptions = {
  ...TEST_CLIENT_OPTIONS,
  requestTimeoutMs: 2_500,
  connectTimeoutMs: 2_500,
  keepAliveMs: 1_000,
  preKeyBatchSize: 20,
};

// Wide: quiet, delivery through the faults takes ~75 s on 2 cores, but a loaded machine
// (a full suite beside other work) has taken over twice that.
const STEP_TIMEOUT_MS = 200_000;

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RestartableRelay | undefined;
let proxy: FaultProxy | undefined;
let quietRelay: RunningRelay | undefined;

afterAll(async () => {
  teardown.abort();
  await proxy?.close();
  await Promise.allSettled(clients.map((client) => client.close()));
  await relay?.stop();
  await quietRelay?.close();
  await dirs.cleanup();
});

/** Every group post written, and how often each member showed each. */
class GroupLedger {
  /** sender address → texts in the order posted. */
  readonly #posted = new Map<string, string[]>();
  readonly #ids = new Set<string>();
  readonly #acknowledged = new Set<string>();
  /** member address → message id → times shown. */
  readonly #shown = new Map<string, Map<string, number>>();
  failures = 0;

  watch(client: KindredClient): void {
    client.on('groupSent', ({ messageId }) => this.#acknowledged.add(toHex(messageId)));
    client.on('groupSendFailed', () => {
      this.failures++;
    });
    client.on('groupMessage', ({ persona, message }) => {
      let shown = this.#shown.get(persona);
      if (shown === undefined) {
        shown = new Map();
        this.#shown.set(persona, shown);
      }
      const id = toHex(message.messageId);
      shown.set(id, (shown.get(id) ?? 0) + 1);
    });
  }

  async post(member: PoolPersona, group: GroupHandle, text: string): Promise<void> {
    const message = await group.send(text);
    this.#ids.add(toHex(message.messageId));
    const texts = this.#posted.get(member.address) ?? [];
    texts.push(text);
    this.#posted.set(member.address, texts);
  }

  get acknowledged(): number {
    return this.#acknowledged.size;
  }

  /** Copies shown to members other than their poster (each post: one per other member). */
  get delivered(): number {
    let count = 0;
    for (const shown of this.#shown.values()) {
      for (const id of shown.keys()) if (this.#ids.has(id)) count++;
    }
    return count;
  }

  /** Copies shown to one member. */
  deliveredTo(member: string): number {
    let count = 0;
    for (const id of this.#shown.get(member)?.keys() ?? []) if (this.#ids.has(id)) count++;
    return count;
  }

  get shownTwice(): number {
    let count = 0;
    for (const shown of this.#shown.values())
      for (const times of shown.values()) if (times > 1) count++;
    return count;
  }

  /** Each member's history: every post once, each poster's in the order posted. */
  async check(members: readonly { persona: PoolPersona; group: GroupHandle }[]): Promise<void> {
    const problems: string[] = [];
    for (const { persona, group } of members) {
      const messages = await group.messages();
      const ids = messages.map((m) => toHex(m.messageId));
      const texts = messages.map((m) => m.text);
      if (new Set(ids).size !== ids.length) problems.push(`${persona.label}: an id twice`);
      if (new Set(texts).size !== texts.length) problems.push(`${persona.label}: a text twice`);
      for (const [sender, expected] of this.#posted) {
        const got = messages.filter((m) => m.sender === sender).map((m) => m.text);
        if (got.join('\n') !== expected.join('\n')) {
          problems.push(
            `${persona.label} holds ${got.length} of ${expected.length} from one poster, ` +
              `or out of order`,
          );
        }
      }
    }
    if (this.shownTwice > 0) problems.push(`${this.shownTwice} posts shown twice`);
    if (this.failures > 0) problems.push(`${this.failures} posts refused for good`);
    if (problems.length > 0) {
      throw new Error(`${problems.length} problems: ${problems.slice(0, 10).join('; ')}`);
    }
  }
}

describe('a contact who is also a fellow group member', () => {
  // Found by the faulty-network run below: every 1:1 body takes the sender's next sequence number,
  // sender keys included, but the receiver did not count a sender key's, so the next text from a
  // contact in a shared group showed a "missing messages" marker for a message that never was.
  it('counts sender keys in the 1:1 sequence, so no false gap shows', async () => {
    quietRelay = await startTestRelay(dirs);
    const ana = await newClient(dirs, quietRelay.url, 'Ana', CLIENT_OPTIONS);
    const bo = await newClient(dirs, quietRelay.url, 'Bo', CLIENT_OPTIONS);
    clients.push(ana, bo);
    await Promise.all([ana.start({ receive: true }), bo.start({ receive: true })]);
    await connectPair(ana, bo);
    const anaGroup = await ana.createGroup({
      name: 'Two',
      description: '',
      rules: '',
      persona: 'current',
    });
    const link = await anaGroup.invite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    const boGroup = await bo.joinGroup(link, { persona: 'current' });
    await waitUntil(async () => (await anaGroup.members()).length === 2, 10_000, 'the join');
    // Ana's first message to Bo was his own delivery key (a DeliveryKeyGrant, after his
    // introduction): sequence 1. As the owner she then sends him the group key: sequence 2. Her
    // first group post sends him her sender key 1:1: sequence 3.
    await anaGroup.send('to the group');
    await waitUntil(async () => (await boGroup.messages()).length === 1, 10_000, 'the post');
    await ana.send(bo.address, 'to Bo alone');
    await waitUntil(
      async () => messagesOf(await bo.messages(ana.address)).length === 1,
      10_000,
      'the text',
    );
    const history = await bo.messages(ana.address);
    expect(history.filter((entry) => entry.kind === 'gap')).toStrictEqual([]);
    expect(messagesOf(history).map((m) => [m.text, m.sequence])).toStrictEqual([
      ['to Bo alone', 4],
    ]);
  });
});

describe('a persistent link whose new connection drops while it is being set up', () => {
  // Found by the faulty-network run below: a receiving link's connect() authenticates, then stores
  // the sender certificate; a connection that dropped in between was kept as the live one, its
  // close never seen, so the persona stopped receiving for good while its link showed "up".
  it('reconnects instead of keeping the dead connection', async () => {
    quietRelay ??= await startTestRelay(dirs);
    const url = quietRelay.url;
    let attempts = 0;
    const link = new RelayLink({
      persistent: true,
      backoff: { initialMs: 20, maxMs: 100 },
      keepAliveMs: 50,
      connect: async () => {
        attempts++;
        const connection = await RelayConnection.open({ url });
        // The first reconnect: the connection is gone by the time the link takes it.
        if (attempts === 2) connection.close();
        return connection;
      },
    });
    try {
      const first = await link.connection();
      first.close();
      await waitUntil(
        () => attempts >= 3 && link.isConnected,
        10_000,
        'a live connection',
        () => `${attempts} attempts, connected: ${String(link.isConnected)}`,
      );
    } finally {
      link.stop();
    }
  });
});

describe('clients behind a faulty network', () => {
  it(
    `deliver every 1:1 and group message once, in order (seed ${SEED})`,
    { timeout: 480_000 },
    async () => {
      report(`networkFaults: seed ${SEED} (replay with KINDRED_FAULT_SEED=${SEED})`);
      const began = Date.now();
      relay = await RestartableRelay.start(await dirs.make('faults-relay'));
      // Calm while everyone registers, meets and joins; the faults start with the messages.
      proxy = await FaultProxy.start({ targetPort: relay.port, random: seededRandom(SEED) });
      const url = proxy.url;

      const personas: PoolPersona[] = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          const home = await dirs.make('home');
          const client = await newClient(dirs, url, `c${i}`, { ...CLIENT_OPTIONS, home });
          clients.push(client);
          await client.start({ receive: true });
          const { address, mainSession: session } = client;
          return { label: `c${i}`, client, session, address, home };
        }),
      );
      const at = (i: number): PoolPersona => {
        const persona = personas[((i % CLIENTS) + CLIENTS) % CLIENTS];
        if (persona === undefined) throw new Error('no such client');
        return persona;
      };
      // A ring: each client and the next are contacts, and write to each other.
      await Promise.all(
        personas.map((persona, i) => introduce(persona, at(i + 1), STEP_TIMEOUT_MS)),
      );
      const owner = at(0);
      const ownerGroup = await owner.client.createGroup({
        name: 'Faulty line',
        description: '',
        rules: '',
        persona: 'current',
      });
      const link = await ownerGroup.invite({ maxUses: CLIENTS, expiresAt: Date.now() + 600_000 });
      const members = [{ persona: owner, group: ownerGroup }];
      for (const persona of personas.slice(1)) {
        members.push({
          persona,
          group: await persona.client.joinGroup(link, { persona: 'current' }),
        });
      }
      await waitUntil(
        async () =>
          (
            await Promise.all(members.map(async ({ group }) => (await group.members()).length))
          ).every((count) => count === CLIENTS),
        STEP_TIMEOUT_MS,
        'every member to see every member',
      );
      await Promise.all(clients.map((client) => client.flushOutbox(STEP_TIMEOUT_MS)));
      const setupMs = Date.now() - began;

      const direct = new MessageLedger();
      const grouped = new GroupLedger();
      for (const client of clients) {
        direct.watch(client);
        grouped.watch(client);
      }
      const errors: string[] = [];
      /** Each persona's receiving link: up or down, and since when. */
      const links = new Map<string, { up: boolean; since: number; changes: number }>();
      for (const client of clients) {
        client.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
        client.on('personaConnection', ({ persona, connected }) => {
          const link = links.get(persona);
          links.set(persona, {
            up: connected,
            since: Date.now(),
            changes: (link?.changes ?? 0) + 1,
          });
        });
      }
      const describe = (): string => {
        const perPersona = personas.map((persona) => {
          const link = links.get(persona.address);
          return (
            `${persona.label}: 1:1 in ${direct.deliveredTo(persona.address)}, group in ` +
            `${grouped.deliveredTo(persona.address)}, link ` +
            (link === undefined
              ? 'unchanged'
              : `${link.up ? 'up' : 'down'} for ${Date.now() - link.since} ms after ` +
                `${link.changes} changes`)
          );
        });
        return (
          `1:1 ${direct.describe()}; group: acknowledged ${grouped.acknowledged} of ` +
          `${GROUP_TOTAL}, copies shown ${grouped.delivered} of ${GROUP_TOTAL * (CLIENTS - 1)}; ` +
          `proxy ${JSON.stringify(proxy?.counts)}; ${perPersona.join('; ')}; errors: ` +
          errors.slice(-5).join(' | ')
        );
      };

      proxy.faults = FAULTS;
      const sendStart = Date.now();
      await Promise.all(
        members.map(async ({ persona, group }, i) => {
          for (let n = 1; n <= Math.max(PER_CONVERSATION, PER_MEMBER); n++) {
            if (n <= PER_CONVERSATION) {
              for (const contact of [at(i - 1), at(i + 1)]) {
                await direct.write(persona, contact, `${persona.label}>${contact.label} #${n}`);
              }
            }
            if (n <= PER_MEMBER)
              await grouped.post(persona, group, `${persona.label} in group #${n}`);
          }
        }),
      );
      await waitUntil(
        () =>
          direct.delivered >= DIRECT_TOTAL &&
          grouped.delivered >= GROUP_TOTAL * (CLIENTS - 1) &&
          direct.acknowledged >= DIRECT_TOTAL &&
          grouped.acknowledged >= GROUP_TOTAL,
        STEP_TIMEOUT_MS,
        'every message acknowledged and delivered through the faults',
        describe,
      );
      const deliveredMs = Date.now() - sendStart;
      const faultCounts = { ...proxy.counts };
      // Copies whose acks were lost to a fault may come again: let them, then check.
      await Promise.all(clients.map((client) => client.whenInboxQuiet(500, 20_000)));

      await direct.checkDelivered(personas);
      await direct.checkAccounted(personas);
      await grouped.check(members);
      expect(direct.counts()).toMatchObject({
        written: DIRECT_TOTAL,
        acknowledged: DIRECT_TOTAL,
        delivered: DIRECT_TOTAL,
      });
      expect(grouped.delivered).toBe(GROUP_TOTAL * (CLIENTS - 1));
      expect(grouped.shownTwice).toBe(0);
      // The faults really happened.
      expect(faultCounts.resets).toBeGreaterThan(0);
      expect(faultCounts.drops + faultCounts.expired).toBeGreaterThan(0);
      expect(faultCounts.stalls).toBeGreaterThan(0);

      // The proxy ends everything it holds.
      await Promise.all(clients.map((client) => client.close()));
      await proxy.close();
      expect(proxy.openConnections).toBe(0);
      expect(proxy.pendingTimers).toBe(0);

      report(
        `networkFaults: ${DIRECT_TOTAL} 1:1 and ${GROUP_TOTAL} group messages ` +
          `(${GROUP_TOTAL * (CLIENTS - 1)} copies) among ${CLIENTS} clients delivered in ` +
          `${deliveredMs} ms (setup ${setupMs} ms, total ${Date.now() - began} ms); proxy: ` +
          `${JSON.stringify(faultCounts)}; client errors ` +
          (errors.length === 0 ? 'none' : errors.join(', ')),
      );
    },
  );
});
