// A stranger cannot flood a relay: who may write to groups, the group quotas, the global disk
// quota, rates counted per persona and per address (not per connection), the cap on anonymous
// connections, and the bounds on half-finished upgrade requests. Real relays on loopback with
// real LevelDB folders.
import { readdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RelayErrorCode } from '../../core/index.js';
import { RelayCloseCode, issueRelayInviteToken } from '../../server/index.js';
import { addressRateKey } from '../../server/RelayRateLimits.js';
import { TestGroup, act, randomBytesOf, submitBody } from './helpers/groups.js';
import { newTestPersona, preKeyUpload, sendBody } from './helpers/personas.js';
import type { TestPersona } from './helpers/personas.js';
import { RawClient } from './helpers/rawClient.js';
import type { ServerFrame } from './helpers/rawClient.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

async function withRelay(
  options: Parameters<typeof startTestRelay>[0],
  body: (relay: TestRelay) => Promise<void>,
): Promise<void> {
  const relay = await startTestRelay(options);
  try {
    await body(relay);
  } finally {
    await relay.dispose();
  }
}

function errorOf(frame: ServerFrame): { code: string; retryAfterMs: number } {
  if (frame.body.case !== 'error') throw new Error(`expected an error, got ${frame.body.case}`);
  return frame.body.value;
}

/** A setInfo whose sealed info is `bytes` long, signed by `actor` on the group's head. */
function bigSetInfo(group: TestGroup, actor: TestPersona, bytes: number): Uint8Array {
  return group.sign(actor, { case: 'setInfo', value: { sealedInfo: randomBytesOf(bytes) } });
}

function postOf(group: TestGroup, bytes: number): Parameters<RawClient['request']>[0] {
  return {
    case: 'postGroupMessage',
    value: {
      groupId: group.groupId,
      logLength: BigInt(group.logLength),
      envelope: randomBytesOf(bytes),
    },
  };
}

describe('who may write to a group', () => {
  it('refuses a create by a key that never registered (invite mode) and stores nothing', async () => {
    await withRelay({ registration: 'invite' }, async (relay) => {
      const stranger = newTestPersona();
      const anon = await RawClient.connect(relay.url);
      const group = new TestGroup();
      expect(await anon.errorCode(submitBody(group.createOperation(stranger)))).toBe(
        RelayErrorCode.AuthRequired,
      );
      // Nothing was written: the group does not exist, so nothing can be appended after it.
      expect(await anon.errorCode(group.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      const token = await issueRelayInviteToken(relay.dataDir, {
        maxUses: 1,
        expiresAt: Date.now() + 60_000,
      });
      const member = await connectAs(relay.url, newTestPersona(), { kind: 'invite', token });
      // A registered persona's create, but on an anonymous connection: refused too.
      expect(await anon.errorCode(submitBody(group.createOperation(member.tester)))).toBe(
        RelayErrorCode.AuthRequired,
      );
      // The stranger's create, carried by a registered persona's connection: refused.
      expect(await member.client.errorCode(submitBody(group.createOperation(stranger)))).toBe(
        RelayErrorCode.AuthRequired,
      );
      expect(await anon.errorCode(group.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      // The registered creator on its own authenticated connection.
      expect(await group.create(member.client, member.tester)).toBe(1);
      await closeAll(anon, member.client);
    });
  });

  it("takes later operations only on their actor's connection, anonymous joins only from registered personas", async () => {
    await withRelay({}, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      const anon = await RawClient.connect(relay.url);
      expect(await anon.errorCode(submitBody(group.sign(owner.tester, act.setInfo())))).toBe(
        RelayErrorCode.AuthRequired,
      );
      const other = await connectAs(relay.url);
      expect(
        await other.client.errorCode(submitBody(group.sign(owner.tester, act.setInfo()))),
      ).toBe(RelayErrorCode.AuthRequired);
      // A valid invite, used by a key that never registered: refused, and the use not spent.
      const { signed, invite } = group.inviteOperation(owner.tester, 1);
      await group.submit(owner.client, signed);
      const stranger = newTestPersona();
      expect(await anon.errorCode(submitBody(group.joinOperation(stranger, invite)))).toBe(
        RelayErrorCode.RegistrationRequired,
      );
      const page = await anon.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(page.logLength)).toBe(2);
      // A registered persona joins with it anonymously, as older clients do.
      const joiner = await registered(relay.url);
      expect(await group.submit(anon, group.joinOperation(joiner, invite))).toBe(3);
      expect(group.state.members.has(joiner.address)).toBe(true);
      await closeAll(owner.client, other.client, anon);
    });
  });
});

describe('group quotas', () => {
  it('caps the groups one persona creates per day', async () => {
    await withRelay({ maxGroupsCreatedPerPersonaPerDay: 2 }, async (relay) => {
      const owner = await connectAs(relay.url);
      await new TestGroup().create(owner.client, owner.tester);
      await new TestGroup().create(owner.client, owner.tester);
      const third = await owner.client.request(
        submitBody(new TestGroup().createOperation(owner.tester)),
      );
      expect(errorOf(third).code).toBe(RelayErrorCode.QuotaExceeded);
      expect(errorOf(third).retryAfterMs).toBeGreaterThan(60 * 60 * 1000);
      // Reconnecting buys nothing; another persona has its own.
      await owner.client.close();
      const back = await connectAs(relay.url, owner.tester);
      expect(
        await back.client.errorCode(submitBody(new TestGroup().createOperation(owner.tester))),
      ).toBe(RelayErrorCode.QuotaExceeded);
      const other = await connectAs(relay.url);
      expect(await new TestGroup().create(other.client, other.tester)).toBe(1);
      await closeAll(back.client, other.client);
    });
  });

  it("caps a group's operation log in bytes, and a refused operation is not stored", async () => {
    await withRelay({ maxGroupLogBytes: 16 * 1024 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      let stored = 0;
      let refusal: string | undefined;
      for (let i = 0; i < 10 && refusal === undefined; i++) {
        const signed = bigSetInfo(group, owner.tester, 4000);
        const answer = await owner.client.request(submitBody(signed));
        if (answer.body.case === 'groupAppended') {
          group.accept(signed);
          stored += 1;
        } else {
          refusal = errorOf(answer).code;
        }
      }
      expect(refusal).toBe(RelayErrorCode.QuotaExceeded);
      // Four 4 KB operations and the create fit under 16 KiB less a little; the next does not.
      expect(stored).toBe(3);
      const page = await owner.client.expect(group.fetchBody(0), 'groupLogPage');
      expect(Number(page.logLength)).toBe(1 + stored);
      const total = page.operations.reduce((sum, operation) => sum + operation.length, 0);
      expect(total).toBeLessThanOrEqual(16 * 1024);
      // Small operations still fit, and posts are not part of the log.
      await group.run(owner.client, owner.tester, act.setInfo());
      expect(await group.post(owner.client, 'still here')).toBeGreaterThan(0);
      await owner.client.close();
    });
  });

  it('caps the bytes one persona writes to groups per day, and one group takes per day', async () => {
    await withRelay({ maxGroupBytesPerPersonaPerDay: 8 * 1024 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const member = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await owner.client.request(postOf(group, 3000)));
      const codes = answers.map((f) => (f.body.case === 'error' ? f.body.value.code : f.body.case));
      // The create, the invite and 2 posts fit under 8 KiB; the third post does not.
      expect(codes).toStrictEqual([
        'groupAppended',
        'groupAppended',
        RelayErrorCode.QuotaExceeded,
        RelayErrorCode.QuotaExceeded,
      ]);
      // Another member of the same group has a budget of its own.
      await member.client.expect(postOf(group, 3000), 'groupAppended');
      await closeAll(owner.client, member.client);
    });
    await withRelay({ maxGroupBytesPerGroupPerDay: 12 * 1024 }, async (relay) => {
      const owner = await connectAs(relay.url);
      const member = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      await owner.client.expect(postOf(group, 4000), 'groupAppended');
      await member.client.expect(postOf(group, 4000), 'groupAppended');
      // The group has taken about 8.5 KiB: one more 4 KB post from anyone is too much.
      expect(await owner.client.errorCode(postOf(group, 4000))).toBe(RelayErrorCode.QuotaExceeded);
      expect(await member.client.errorCode(postOf(group, 4000))).toBe(RelayErrorCode.QuotaExceeded);
      // Another group is not affected.
      const second = new TestGroup();
      await second.create(member.client, member.tester);
      await member.client.expect(postOf(second, 4000), 'groupAppended');
      await closeAll(owner.client, member.client);
    });
  });
});

/** Bytes of the relay's LevelDB folder now. */
async function storeBytes(dataDir: string): Promise<number> {
  const folder = join(dataDir, 'relay.db');
  let bytes = 0;
  for (const name of await readdir(folder)) bytes += (await stat(join(folder, name))).size;
  return bytes;
}

describe('global disk quota', () => {
  it('refuses envelopes and group writes with RELAY_STORAGE_FULL past maxStorageBytes; reads and acks go on', async () => {
    await withRelay({}, async (relay) => {
      const bob = await registered(relay.url);
      const owner = await connectAs(relay.url);
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      await owner.client.close();
      // Room for about 128 KiB more than there is now.
      const quota = (await storeBytes(relay.dataDir)) + 128 * 1024;
      await relay.restart({ maxStorageBytes: quota });
      const sender = await RawClient.connect(relay.url);
      let accepted = 0;
      let refusal: string | undefined;
      for (let i = 0; i < 40 && refusal === undefined; i++) {
        const answer = await sender.request(sendBody(bob, randomBytesOf(16 * 1024)));
        if (answer.body.case === 'sendAck') accepted += 1;
        else refusal = errorOf(answer).code;
      }
      expect(refusal).toBe(RelayErrorCode.StorageFull);
      // About 128 KiB of 16 KiB envelopes (LevelDB's own framing makes it a little less).
      expect(accepted).toBeGreaterThanOrEqual(5);
      expect(accepted).toBeLessThanOrEqual(8);
      // Smaller ones fill what room is left, to under 1 KiB.
      let small = 0;
      for (let i = 0; i < 40; i++) {
        const answer = await sender.request(sendBody(bob, randomBytesOf(1024)));
        if (answer.body.case !== 'sendAck') {
          expect(errorOf(answer).code).toBe(RelayErrorCode.StorageFull);
          break;
        }
        small += 1;
      }
      expect(small).toBeLessThan(20);
      accepted += small;
      expect(await storeBytes(relay.dataDir)).toBeLessThanOrEqual(quota + 32 * 1024);
      // Group operations and posts are refused alike.
      const back = await connectAs(relay.url, owner.tester);
      expect(await back.client.errorCode(submitBody(bigSetInfo(group, owner.tester, 2000)))).toBe(
        RelayErrorCode.StorageFull,
      );
      expect(await back.client.errorCode(postOf(group, 2000))).toBe(RelayErrorCode.StorageFull);
      // The recipient still gets and acknowledges what was stored.
      const bobBack = await connectAs(relay.url, bob);
      const delivered = await bobBack.client.deliveries(accepted);
      await bobBack.client.expect(
        { case: 'ackEnvelopes', value: { envelopeIds: delivered.map((d) => d.envelopeId) } },
        'ok',
      );
      await closeAll(sender, back.client, bobBack.client);
    });
  });

  it('refuses writes when the disk has less free space than minFreeDiskBytes', async () => {
    await withRelay({ minFreeDiskBytes: Number.MAX_SAFE_INTEGER }, async (relay) => {
      // Registering stores a small persona record and is not gated (proof of work or an invite
      // bounds it); prekey uploads, envelopes and group writes are.
      const bob = await connectAs(relay.url);
      expect(
        await bob.client.errorCode(
          await preKeyUpload(bob.tester, { oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 }),
        ),
      ).toBe(RelayErrorCode.StorageFull);
      const sender = await RawClient.connect(relay.url);
      expect(await sender.errorCode(sendBody(bob.tester, randomBytesOf(100)))).toBe(
        RelayErrorCode.StorageFull,
      );
      expect(
        await bob.client.errorCode(submitBody(new TestGroup().createOperation(bob.tester))),
      ).toBe(RelayErrorCode.StorageFull);
      await closeAll(bob.client, sender);
    });
  });
});

describe('rates count per address and per persona, not per connection', () => {
  it('counts IPv4 addresses as they are and IPv6 addresses by their /64', () => {
    expect(addressRateKey('2001:db8:1:2:3:4:5:6')).toBe(addressRateKey('2001:db8:1:2::9'));
    expect(addressRateKey('2001:DB8:1:2:ffff::')).toBe(addressRateKey('2001:db8:0001:0002::1'));
    expect(addressRateKey('2001:db8:1:2::1')).not.toBe(addressRateKey('2001:db8:1:3::1'));
    expect(addressRateKey('2001:db8::1%eth0')).toBe(addressRateKey('2001:db8::2'));
    expect(addressRateKey('::1')).toBe('0:0:0:0::/64');
    expect(addressRateKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressRateKey('::ffff:7f00:1')).toBe('0:0:0:0::/64');
    expect(addressRateKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressRateKey('127.0.0.1')).not.toBe(addressRateKey('127.0.0.2'));
  });

  it('shares one budget between all anonymous connections from an address', async () => {
    const options = { maxGroupLogFetchesPerMinute: 3, addressRateFactor: 2 };
    await withRelay(options, async (relay) => {
      const unknown = new TestGroup();
      const first = await RawClient.connect(relay.url);
      const second = await RawClient.connect(relay.url);
      // 3 × 2 fetches for the address, whichever connection makes them.
      for (let i = 0; i < 3; i++) {
        expect(await first.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
        expect(await second.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      }
      const third = await RawClient.connect(relay.url);
      expect(await third.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      expect(await first.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      // An authenticated persona from the same address draws on it too.
      const persona = await connectAs(relay.url);
      expect(await persona.client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      await closeAll(first, second, third, persona.client);
    });
  });

  it('keeps a persona to its budget across reconnections, and gives each persona its own', async () => {
    const options = { maxGroupLogFetchesPerMinute: 3, addressRateFactor: 100 };
    await withRelay(options, async (relay) => {
      const unknown = new TestGroup();
      const alice = await connectAs(relay.url);
      for (let i = 0; i < 3; i++) {
        expect(await alice.client.errorCode(unknown.fetchBody(0))).toBe(
          RelayErrorCode.GroupNotFound,
        );
      }
      expect(await alice.client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      await alice.client.close();
      const again = await connectAs(relay.url, alice.tester);
      expect(await again.client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      const bob = await connectAs(relay.url);
      expect(await bob.client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      await closeAll(again.client, bob.client);
    });
  });

  it('gives another address its own budget', async () => {
    const options = { maxGroupLogFetchesPerMinute: 1, addressRateFactor: 1 };
    await withRelay(options, async (relay) => {
      const unknown = new TestGroup();
      const here = await RawClient.connect(relay.url);
      expect(await here.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      expect(await here.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.RateLimited);
      const there = await RawClient.connect(relay.url, undefined, { localAddress: '127.0.0.2' });
      expect(await there.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      await closeAll(here, there);
    });
  });
});

describe('anonymous connections', () => {
  it('refuses the anonymous connection over the cap while an authenticated one still gets in', async () => {
    await withRelay({ maxAnonymousConnections: 2, handshakeTimeoutMs: 500 }, async (relay) => {
      const unknown = new TestGroup();
      const first = await RawClient.connect(relay.url);
      const second = await RawClient.connect(relay.url);
      for (const client of [first, second]) {
        expect(await client.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.GroupNotFound);
      }
      const third = await RawClient.connect(relay.url);
      expect(await third.errorCode(unknown.fetchBody(0))).toBe(RelayErrorCode.TooManyConnections);
      expect((await third.waitClosed()).code).toBe(RelayCloseCode.TooManyConnections);
      // A connection that stays silent past the handshake deadline becomes anonymous: no room.
      const silent = await RawClient.connect(relay.url);
      expect((await silent.waitClosed(5000)).code).toBe(RelayCloseCode.TooManyConnections);
      // Members still get in, and work.
      const member = await connectAs(relay.url);
      const group = new TestGroup();
      expect(await group.create(member.client, member.tester)).toBe(1);
      // A slot freed is a slot taken again.
      await first.close();
      let fourth: RawClient | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        const client = await RawClient.connect(relay.url);
        const answer = await client.request(unknown.fetchBody(0));
        if (errorOf(answer).code === RelayErrorCode.GroupNotFound) {
          fourth = client;
          break;
        }
        await client.waitClosed();
        await sleep(100);
      }
      expect(fourth).toBeDefined();
      await closeAll(second, member.client, fourth);
    });
  });
});

interface HalfOpen {
  readonly socket: Socket;
  /** Resolves with the time the relay dropped it, in ms since it was opened. */
  readonly dropped: Promise<number>;
}

/** A TCP connection that starts an upgrade request and never finishes it. */
async function halfOpen(port: number, localAddress = '127.0.0.1'): Promise<HalfOpen> {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const opened = Date.now();
  socket.on('error', () => undefined);
  socket.write('GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\n');
  const dropped = new Promise<number>((resolve) => {
    socket.once('close', () => {
      resolve(Date.now() - opened);
    });
  });
  return { socket, dropped };
}

function portOf(relay: TestRelay): number {
  return relay.relay.port;
}

describe('half-finished upgrade requests', () => {
  it('drops those over the per-address cap at once, the rest after the timeout; a real client still connects', async () => {
    const options = {
      maxPendingUpgrades: 50,
      maxPendingUpgradesPerAddress: 3,
      upgradeTimeoutMs: 1500,
    };
    await withRelay(options, async (relay) => {
      const port = portOf(relay);
      const held = await Promise.all([1, 2, 3].map(() => halfOpen(port, '127.0.0.2')));
      const extra = await halfOpen(port, '127.0.0.2');
      expect(await extra.dropped).toBeLessThan(1000);
      // From another address, a real client connects and works meanwhile.
      const client = await RawClient.connect(relay.url);
      await client.expect({ case: 'ping', value: {} }, 'pong');
      for (const { dropped } of held) {
        const after = await dropped;
        expect(after).toBeGreaterThanOrEqual(1400);
        expect(after).toBeLessThan(1500 + 5000);
      }
      // Once they are gone, the address may try again.
      const later = await RawClient.connect(relay.url, undefined, { localAddress: '127.0.0.2' });
      await later.expect({ case: 'ping', value: {} }, 'pong');
      await closeAll(client, later);
    });
  });

  it('drops those over the total cap, and frees room as they time out', async () => {
    const options = { maxPendingUpgrades: 4, upgradeTimeoutMs: 1500 };
    await withRelay(options, async (relay) => {
      const port = portOf(relay);
      const held = await Promise.all(
        ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].map((from) => halfOpen(port, from)),
      );
      const extra = await halfOpen(port, '127.0.0.6');
      expect(await extra.dropped).toBeLessThan(1000);
      await Promise.all(held.map(({ dropped }) => dropped));
      const client = await RawClient.connect(relay.url);
      await client.expect({ case: 'ping', value: {} }, 'pong');
      await client.close();
    });
  });
});
