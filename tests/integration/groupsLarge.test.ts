import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import { GroupTestClients } from './groupHelpers.js';
import { TempDirs, startTestRelay, waitFor } from './helpers.js';
import type { RunningRelay } from '../../server/index.js';

const MEMBERS = 50;
const SENDERS = 5;
const MESSAGES_PER_SENDER = 4;
const OFFLINE = 10;
/** Clients made (or reopened) at once: enough to overlap, few enough for two cores. */
const BATCH = 7;

const dirs = new TempDirs();
let relay: RunningRelay;
let clients: GroupTestClients;

beforeAll(async () => {
  // Every client runs on loopback, so every connection comes from one address: the relay's
  // per-address cap (meant for one person's devices) must make room for 50 people here.
  relay = await startTestRelay(dirs, { maxConnectionsPerAddress: 1_000 });
  // Fewer one-time prekeys per persona: each member is contacted by a handful of senders only.
  clients = new GroupTestClients(dirs, relay.url, { preKeyBatchSize: 20 });
});

afterEach(async () => {
  await clients.closeAll();
});

afterAll(async () => {
  await clients.closeAll();
  await relay.close();
  await dirs.cleanup();
});

/** Runs `work` on every item, `BATCH` at a time, keeping the order of the results. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let from = 0; from < items.length; from += BATCH) {
    results.push(...(await Promise.all(items.slice(from, from + BATCH).map(work))));
  }
  return results;
}

interface Member {
  client: KindredClient;
  group: GroupHandle;
}

describe('a 50-member group through a real relay', () => {
  it('delivers every message exactly once, in each sender’s order, also to members who were offline', async () => {
    const owner = await clients.add('Owner');
    const ownerGroup = await owner.createGroup({
      name: 'Fifty strong',
      description: 'a large group',
      rules: 'be kind',
    });
    const link = await ownerGroup.invite({ maxUses: 60, expiresAt: Date.now() + 3_600_000 });
    const joiners = await clients.addMany(
      Array.from({ length: MEMBERS - 1 }, (_, i) => `Member ${i + 1}`),
      BATCH,
    );
    // One after another: simultaneous joins race for the log head and back off, which is slower
    // here than taking turns (the burst test below covers the race).
    const joined: Member[] = [];
    for (const client of joiners) joined.push({ client, group: await client.joinGroup(link) });
    const members: Member[] = [{ client: owner, group: ownerGroup }, ...joined];
    expect(new Set(members.map((member) => member.group.persona)).size).toBe(MEMBERS);
    await waitFor(
      async () =>
        (await Promise.all(members.map(async (m) => (await m.group.members()).length))).every(
          (count) => count === MEMBERS,
        ),
      30_000,
      'every member to see every member',
    );

    // The last OFFLINE members go offline; the first SENDERS (the owner among them) write.
    const senders = members.slice(0, SENDERS);
    const offline = members.slice(MEMBERS - OFFLINE);
    await Promise.all(offline.map((member) => clients.close(member.client)));

    const expected = new Map<string, string[]>();
    for (const [k, sender] of senders.entries()) {
      expected.set(
        sender.group.persona,
        Array.from({ length: MESSAGES_PER_SENDER }, (_, i) => `sender ${k} says ${i + 1}`),
      );
    }
    await Promise.all(
      senders.map(async (sender) => {
        for (const text of expected.get(sender.group.persona) ?? []) await sender.group.send(text);
      }),
    );
    await Promise.all(senders.map((sender) => sender.client.flushOutbox(30_000)));

    // Back online: each opens its vault again and catches up from its cursor.
    const reopened = await inBatches(offline, async (member) => {
      const client = await clients.reopen(member.client);
      return { client, group: await client.group(member.group.id) };
    });
    const everyone = [...members.slice(0, MEMBERS - OFFLINE), ...reopened];
    const total = SENDERS * MESSAGES_PER_SENDER;
    await waitFor(
      async () =>
        (await Promise.all(everyone.map(async (m) => (await m.group.messages()).length))).every(
          (count) => count >= total,
        ),
      60_000,
      'every member to have every message',
    );
    // A duplicate would come after the last original: let every inbox settle before counting.
    await Promise.all(everyone.map((member) => member.client.whenInboxQuiet(300, 10_000)));

    const wanted = [...expected].flatMap(([sender, texts]) =>
      texts.map((text) => `${sender} ${text}`),
    );
    for (const member of everyone) {
      const messages = await member.group.messages();
      const got = messages.map((message) => `${message.sender} ${message.text}`);
      expect(got.toSorted(), `messages of ${member.group.persona}`).toStrictEqual(
        wanted.toSorted(),
      );
      for (const [sender, texts] of expected) {
        expect(
          messages.filter((message) => message.sender === sender).map((message) => message.text),
          `order of ${sender} at ${member.group.persona}`,
        ).toStrictEqual(texts);
      }
      expect((await member.group.warnings()).map((warning) => warning.kind)).toStrictEqual([]);
    }
    for (const sender of senders) {
      const own = (await sender.group.messages()).filter((message) => message.outgoing);
      expect(own.every((message) => message.status === 'sent')).toBe(true);
    }
  }, 120_000);

  it('lets a burst of people who open the same link at once all join', async () => {
    const owner = await clients.add('Burst owner');
    const ownerGroup = await owner.createGroup({ name: 'Burst', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 20, expiresAt: Date.now() + 3_600_000 });
    const joiners = await clients.addMany(
      Array.from({ length: BATCH + 1 }, (_, i) => `Burst ${i + 1}`),
      BATCH + 1,
    );
    // Each join is built on the log head; all but one lose each race and must rebuild.
    const outcomes = await Promise.allSettled(joiners.map((client) => client.joinGroup(link)));
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [String(outcome.reason)] : [],
    );
    expect(refused).toStrictEqual([]);
    await waitFor(
      async () => (await ownerGroup.members()).length === joiners.length + 1,
      10_000,
      'the owner to see every joiner',
    );
  }, 60_000);
});
