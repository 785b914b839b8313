// Disappearing messages on a real relay with a real LevelDB folder: timed envelopes and group
// messages leave the mailbox, the stream and the folder's files when their timer runs out,
// delivered or not, also across a restart; bad timers get RELAY_BAD_RETENTION, and only
// moderators set a group's timer. Short timers come from the relay's test-only minimum.
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayErrorCode } from '../../core/index.js';
import { RawClient } from './helpers/rawClient.js';
import type { ClientBody } from './helpers/rawClient.js';
import { sendBody } from './helpers/personas.js';
import type { TestPersona } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { TestGroup, act, describeDelivery, groupDeliveries } from './helpers/groups.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

const relays: TestRelay[] = [];

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.dispose();
});

async function relayWith(options: Parameters<typeof startTestRelay>[0] = {}): Promise<TestRelay> {
  const relay = await startTestRelay(options);
  relays.push(relay);
  return relay;
}

/** A relay whose timers may be a second long, swept every 100 ms. */
function shortTimerRelay(): Promise<TestRelay> {
  return relayWith({ minDisappearingSeconds: 1, disappearingSweepIntervalMs: 100 });
}

function timedSend(recipient: TestPersona, sealed: Uint8Array, seconds: number): ClientBody {
  const body = sendBody(recipient, sealed);
  if (body.case !== 'sendEnvelope') throw new Error('not a send');
  return { case: 'sendEnvelope', value: { ...body.value, expiresInSeconds: seconds } };
}

/** Random bytes long enough that finding them in a file is no accident. */
function ciphertext(): Uint8Array {
  return new Uint8Array(randomBytes(48));
}

async function folderBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      parts.push(await readFile(path.join(entry.parentPath, entry.name)));
    } catch (error) {
      // LevelDB deletes files as it compacts: one listed a moment ago may be gone.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return Buffer.concat(parts);
}

async function folderHolds(dir: string, bytes: Uint8Array): Promise<boolean> {
  return (await folderBytes(dir)).includes(Buffer.from(bytes));
}

/** Polls until `check` holds (the sweep runs on its own timer), or fails after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('disappearing 1:1 envelopes', () => {
  it('refuses a timer outside 5 minutes .. 4 weeks with RELAY_BAD_RETENTION', async () => {
    const relay = await relayWith();
    const bob = await registered(relay.url);
    const sender = await RawClient.connect(relay.url);
    try {
      for (const seconds of [1, 299, 2_419_201, 0xffff_ffff]) {
        expect(await sender.errorCode(timedSend(bob, ciphertext(), seconds)), String(seconds)).toBe(
          RelayErrorCode.BadRetention,
        );
      }
      for (const seconds of [0, 300, 86_400, 2_419_200]) {
        await sender.expect(timedSend(bob, ciphertext(), seconds), 'sendAck');
      }
    } finally {
      await sender.close();
    }
  });

  it('deletes a timed envelope when its timer runs out, undelivered, and its bytes leave the folder', async () => {
    const relay = await shortTimerRelay();
    const bob = await registered(relay.url);
    const timed = ciphertext();
    const untimed = ciphertext();
    const sender = await RawClient.connect(relay.url);
    await sender.expect(timedSend(bob, timed, 1), 'sendAck');
    await sender.expect(sendBody(bob, untimed), 'sendAck');
    await sender.close();
    // Written through: the scan can see it (so its absence later means something).
    expect(await folderHolds(relay.dataDir, timed)).toBe(true);
    await eventually(async () => !(await folderHolds(relay.dataDir, timed)));
    const { client } = await connectAs(relay.url, bob);
    try {
      const [only] = await client.deliveries(1);
      expect(Buffer.from(only?.sealed ?? []).equals(Buffer.from(untimed))).toBe(true);
      await sleep(300);
      expect(client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
    } finally {
      await client.close();
    }
    expect(await folderHolds(relay.dataDir, untimed)).toBe(true);
  });

  it('deletes a delivered, unacknowledged envelope at its time too', async () => {
    const relay = await shortTimerRelay();
    const bob = await registered(relay.url);
    const timed = ciphertext();
    const sender = await RawClient.connect(relay.url);
    await sender.expect(timedSend(bob, timed, 1), 'sendAck');
    await sender.close();
    const first = await connectAs(relay.url, bob);
    expect(await first.client.deliveries(1)).toHaveLength(1);
    // Never acknowledged: without the timer it would come again on the next connection.
    await first.client.close();
    await eventually(async () => !(await folderHolds(relay.dataDir, timed)));
    const second = await connectAs(relay.url, bob);
    try {
      await sleep(300);
      expect(second.client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
    } finally {
      await second.client.close();
    }
  });

  it('deletes at start what ran out while the relay was down', async () => {
    const relay = await shortTimerRelay();
    const bob = await registered(relay.url);
    const timed = ciphertext();
    const sender = await RawClient.connect(relay.url);
    await sender.expect(timedSend(bob, timed, 1), 'sendAck');
    await sender.close();
    await relay.relay.close();
    expect(await folderHolds(relay.dataDir, timed)).toBe(true);
    await sleep(1500);
    // The periodic sweep is an hour away: only the sweep at start can take it.
    await relay.restart({ disappearingSweepIntervalMs: 3_600_000 });
    await eventually(async () => !(await folderHolds(relay.dataDir, timed)));
    const { client } = await connectAs(relay.url, bob);
    try {
      await sleep(300);
      expect(client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
    } finally {
      await client.close();
    }
  });
});

describe('disappearing group messages', () => {
  it('lets only moderators set the timer, within 5 minutes .. 4 weeks', async () => {
    const relay = await relayWith();
    const group = new TestGroup();
    const owner = await connectAs(relay.url);
    const member = await connectAs(relay.url);
    try {
      await group.create(owner.client, owner.tester);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      const byMember = group.sign(member.tester, act.setPolicy({ disappearingSeconds: 86_400 }));
      expect(
        await member.client.errorCode({
          case: 'submitGroupOperation',
          value: { operation: byMember },
        }),
      ).toBe(RelayErrorCode.GroupForbidden);
      for (const seconds of [1, 299, 2_419_201]) {
        const signed = group.sign(owner.tester, act.setPolicy({ disappearingSeconds: seconds }));
        expect(
          await owner.client.errorCode({
            case: 'submitGroupOperation',
            value: { operation: signed },
          }),
          String(seconds),
        ).toBe(RelayErrorCode.GroupInvalid);
      }
      await group.run(owner.client, owner.tester, act.setPolicy({ disappearingSeconds: 300 }));
      expect(group.state.policy.disappearingSeconds).toBe(300);
    } finally {
      await closeAll(owner.client, member.client);
    }
  });

  it('deletes messages older than the timer, read or not, keeps operations, and their bytes leave the folder', async () => {
    const relay = await shortTimerRelay();
    const group = new TestGroup();
    group.ruleContext = { minDisappearingSeconds: 1 };
    const owner = await connectAs(relay.url);
    const member = await connectAs(relay.url);
    const away = await connectAs(relay.url);
    try {
      await group.create(owner.client, owner.tester);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      await group.add(owner.client, owner.tester, away.client, away.tester);
      await away.client.close();
      const early = `early ${randomBytes(24).toString('hex')}`;
      await group.post(owner.client, early);
      expect(await folderHolds(relay.dataDir, Buffer.from(early))).toBe(true);
      await group.run(owner.client, owner.tester, act.setPolicy({ disappearingSeconds: 2 }));
      const timed = `timed ${randomBytes(24).toString('hex')}`;
      await group.post(owner.client, timed);
      await eventually(async () => !(await folderHolds(relay.dataDir, Buffer.from(timed))));
      // Posted before the timer was set, and older than it now: it goes as well.
      expect(await folderHolds(relay.dataDir, Buffer.from(early))).toBe(false);
      // The member who was away gets every operation and no message.
      const back = await connectAs(relay.url, away.tester);
      try {
        // From its join on: the join and the timer; both messages are gone.
        const entries = await groupDeliveries(back.client, 2, group);
        expect(entries.map(describeDelivery).map((d) => d.split(':')[1])).toStrictEqual([
          'operation',
          'operation',
        ]);
        await sleep(300);
        expect(back.client.pending().filter((f) => f.body.case === 'groupDeliver')).toHaveLength(0);
      } finally {
        await back.client.close();
      }
      const log = await owner.client.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(log.logLength)).toBe(group.logLength);
      // Switched off: new messages stay.
      await group.run(owner.client, owner.tester, act.setPolicy({ disappearingSeconds: 0 }));
      const kept = `kept ${randomBytes(24).toString('hex')}`;
      await group.post(owner.client, kept);
      await sleep(2500);
      expect(await folderHolds(relay.dataDir, Buffer.from(kept))).toBe(true);
    } finally {
      await closeAll(owner.client, member.client);
    }
  });
});
