// Three relay nodes on one Redis Cluster, behind one load balancer, are one relay to clients:
// real clients placed on different nodes talk 1:1 and in a group, every message shown once and
// in order, and a persona whose connection is cut mid-conversation lands on another node and
// carries on as if nothing happened (same relay id, same trust root, same mailbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient, KindredClientOptions } from '../../core/client/index.js';
import { RelayCluster, stopAll } from '../adversarial/clusterHelpers.js';
import { MessageLedger, introduce, teardown, waitUntil } from '../adversarial/crashHelpers.js';
import type { PoolPersona } from '../adversarial/crashHelpers.js';
import { redisAvailable } from '../server/helpers/redisServers.js';
import { TEST_CLIENT_OPTIONS, TempDirs, newClient } from './helpers.js';

/** Generous: two cores shared with other suites; every wait has its own deadline. */
const STEP_TIMEOUT_MS = 60_000;
const CLIENT_OPTIONS: KindredClientOptions = { ...TEST_CLIENT_OPTIONS, preKeyBatchSize: 20 };

const dirs = new TempDirs();
const stops: (() => Promise<void>)[] = [];
const clients: KindredClient[] = [];
let cluster: RelayCluster | undefined;

function running(): RelayCluster {
  if (cluster === undefined) throw new Error('the cluster starts in beforeAll');
  return cluster;
}

/**
 * A new receiving persona whose connections go to relay node `node`: the balancer sends every
 * new connection there until the client has registered and connected.
 */
async function personaOn(node: string, label: string): Promise<PoolPersona> {
  const relay = running();
  relay.balancer.prefer = node;
  try {
    const home = await dirs.make('home');
    const client = await newClient(dirs, relay.url, label, { ...CLIENT_OPTIONS, home });
    clients.push(client);
    await client.start({ receive: true });
    await client.flushOutbox(STEP_TIMEOUT_MS);
    return { label, client, session: client.mainSession, address: client.address, home };
  } finally {
    relay.balancer.prefer = undefined;
  }
}

/** Writes `count` numbered texts from `from` to `to`, one after another, each recorded. */
async function writeMany(
  ledger: MessageLedger,
  from: PoolPersona,
  to: PoolPersona,
  first: number,
  count: number,
): Promise<void> {
  for (let n = first; n < first + count; n++) {
    await ledger.write(from, to, `${from.label}>${to.label} #${n}`);
  }
}

describe.skipIf(!redisAvailable() && process.env.CI === undefined)(
  'three relay nodes on one Redis Cluster behind one balancer',
  () => {
    beforeAll(async () => {
      cluster = await RelayCluster.start(dirs, (stop) => stops.push(stop));
    }, 180_000);

    afterAll(async () => {
      teardown.abort();
      await Promise.allSettled(clients.map((client) => client.close()));
      await stopAll(stops);
      await dirs.cleanup();
    });

    let ana: PoolPersona;
    let bo: PoolPersona;
    const ledger = new MessageLedger();

    it('1:1 messages between personas on two nodes arrive once and in order', async () => {
      ana = await personaOn('node-a', 'Ana');
      bo = await personaOn('node-b', 'Bo');
      expect(running().balancer.connectionsTo('node-a')).toBeGreaterThan(0);
      expect(running().balancer.connectionsTo('node-b')).toBeGreaterThan(0);
      for (const persona of [ana, bo]) ledger.watch(persona.client);
      await introduce(ana, bo, STEP_TIMEOUT_MS);
      await Promise.all([writeMany(ledger, ana, bo, 1, 15), writeMany(ledger, bo, ana, 1, 15)]);
      await waitUntil(
        () => ledger.delivered >= 30,
        STEP_TIMEOUT_MS,
        'both sides to show every message',
        () => ledger.describe(),
      );
      await Promise.all([ana, bo].map((p) => p.client.whenInboxQuiet(300, 10_000)));
      await ledger.checkDelivered([ana, bo]);
      expect(ledger.shownTwice).toBe(0);
      expect(ledger.acknowledged).toBe(30);
    }, 120_000);

    it('a persona cut off mid-conversation lands on another node and misses nothing', async () => {
      const relay = running();
      const onC = relay.balancer.accepted.get('node-c') ?? 0;
      // Ana's connections are the only ones on node-a. Bo writes; halfway through Ana's
      // connections are cut and her client reconnects, through the balancer, to node-c.
      const writing = writeMany(ledger, bo, ana, 16, 20);
      await waitUntil(
        () => ledger.deliveredTo(ana.address) >= 15 + 5,
        STEP_TIMEOUT_MS,
        'Ana to show some of the new messages',
        () => ledger.describe(),
      );
      relay.balancer.prefer = 'node-c';
      const cut = relay.balancer.cut('node-a');
      expect(cut).toBeGreaterThan(0);
      await waitUntil(
        () =>
          relay.balancer.connectionsTo('node-a') === 0 &&
          (relay.balancer.accepted.get('node-c') ?? 0) > onC,
        STEP_TIMEOUT_MS,
        'Ana to reconnect to node-c',
        () => relay.balancer.describe(),
      );
      await writing;
      // Bo's next messages go through node-b, live to Ana on node-c; and Ana writes back from
      // node-c to Bo on node-b.
      relay.balancer.prefer = 'node-b';
      await Promise.all([writeMany(ledger, bo, ana, 36, 10), writeMany(ledger, ana, bo, 16, 10)]);
      await waitUntil(
        () => ledger.delivered >= 30 + 20 + 20,
        STEP_TIMEOUT_MS,
        'every message to be shown',
        () => ledger.describe(),
      );
      // Ana stayed off node-a since the cut (new connections went to node-c, then node-b).
      expect(relay.balancer.connectionsTo('node-a')).toBe(0);
      relay.balancer.prefer = undefined;
      await Promise.all([ana, bo].map((p) => p.client.whenInboxQuiet(300, 10_000)));
      await ledger.checkDelivered([ana, bo]);
      await ledger.checkAccounted([ana, bo]);
      expect(ledger.shownTwice).toBe(0);
    }, 120_000);

    it('a group with members on three nodes: every post shown once, in order', async () => {
      const owner = await personaOn('node-a', 'Olive');
      const [cy, di] = await Promise.all([personaOn('node-b', 'Cy'), personaOn('node-c', 'Di')]);
      const group = await owner.client.createGroup({
        name: 'Cluster circle',
        description: '',
        rules: 'be kind',
      });
      const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + 3_600_000 });
      const handles = new Map<string, GroupHandle>([['Olive', group]]);
      handles.set('Cy', await cy.client.joinGroup(link));
      handles.set('Di', await di.client.joinGroup(link));
      for (const handle of handles.values()) {
        await waitUntil(
          async () => (await handle.members()).length === 3,
          STEP_TIMEOUT_MS,
          'every member to see three members',
        );
      }
      const posts = 8;
      const members = [owner, cy, di];
      await Promise.all(
        members.map(async (member) => {
          const handle = handles.get(member.label);
          if (handle === undefined) throw new Error('no handle');
          for (let n = 1; n <= posts; n++) await handle.send(`${member.label} says #${n}`);
          await member.client.flushOutbox(STEP_TIMEOUT_MS);
        }),
      );
      const expected = (label: string): string[] =>
        Array.from({ length: posts }, (_, i) => `${label} says #${i + 1}`);
      for (const [reader, handle] of handles) {
        await waitUntil(
          async () => (await handle.messages()).length >= posts * members.length,
          STEP_TIMEOUT_MS,
          `${reader} to show every post`,
        );
        const texts = (await handle.messages()).map((message) => message.text);
        expect(new Set(texts).size).toBe(texts.length);
        for (const member of members) {
          // Each author's posts in the order written, once, on every member's screen.
          expect(
            texts.filter((text) => text.startsWith(`${member.label} says`)),
            `${member.label}'s posts as ${reader} shows them (all: ${texts.join(' | ')})`,
          ).toStrictEqual(expected(member.label));
        }
        expect(await handle.warnings()).toStrictEqual([]);
      }
    }, 180_000);
  },
);
