import { describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { MemoryRelayStore, startRelay } from '../../server/index.js';
import {
  CoreErrorCode,
  KindredClient as Client,
  RelayErrorCode,
  toHex,
} from '../../core/client/index.js';
import { sendImpersonatingMessage } from './impersonator.js';
import { RelayProxy } from './RelayProxy.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  useTestRelay,
  waitFor,
} from './helpers.js';

const relay = useTestRelay();
const { dirs } = relay;

/** The ring member at `index`, wrapping around. */
function member(ring: readonly KindredClient[], index: number): KindredClient {
  const found = ring[index % ring.length];
  if (found === undefined) throw new Error('empty ring');
  return found;
}

async function client(name: string, url = relay.url): Promise<KindredClient> {
  return relay.track(await newClient(dirs, url, name));
}

describe('one-to-one messaging through a real relay', () => {
  it('two personas exchange messages both ways, in order', async () => {
    const ada = await client('Ada');
    const ben = await client('Ben');
    await ada.start({ receive: true });
    await ben.start({ receive: true });
    await connectPair(ada, ben, { aliasForA: 'ada' });

    for (let i = 1; i <= 5; i++) await ben.send('ada', `ben says ${i}`);
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => messagesOf(await ada.messages(ben.address)).length === 5,
      10_000,
      'ada',
    );
    for (let i = 1; i <= 5; i++) await ada.send(ben.address, `ada says ${i}`);
    await ada.flushOutbox(10_000);
    await waitFor(async () => messagesOf(await ben.messages('ada')).length === 10, 10_000, 'ben');

    const atAda = messagesOf(await ada.messages(ben.address));
    expect(atAda.map((m) => m.text)).toStrictEqual([
      ...[1, 2, 3, 4, 5].map((i) => `ben says ${i}`),
      ...[1, 2, 3, 4, 5].map((i) => `ada says ${i}`),
    ]);
    // Ben's sequence numbers start at 2: his introduction was number 1.
    expect(atAda.filter((m) => m.direction === 'in').map((m) => m.sequence)).toStrictEqual([
      2, 3, 4, 5, 6,
    ]);
    // The relay has each (and Ben's receipts may have told Ada they reached his device).
    expect(
      atAda
        .filter((m) => m.direction === 'out')
        .every((m) => m.status === 'sent' || m.status === 'delivered'),
    ).toBe(true);
    const atBen = messagesOf(await ben.messages('ada'));
    expect(atBen.filter((m) => m.direction === 'in').map((m) => m.text)).toStrictEqual(
      [1, 2, 3, 4, 5].map((i) => `ada says ${i}`),
    );
    expect((await ada.messages(ben.address)).some((e) => e.kind === 'gap')).toBe(false);

    const adaSees = await ada.safetyNumber(ben.address);
    const benSees = await ben.safetyNumber('ada');
    expect(adaSees.digits).toBe(benSees.digits);
    await expect(ben.verify('ada', '1'.repeat(60))).rejects.toMatchObject({
      code: CoreErrorCode.SafetyNumberMismatch,
    });
    expect((await ben.safetyNumber('ada')).verified).toBe(false);
    await ben.verify('ada', benSees.digits.replace(/(\d{5})/g, '$1 '));
    expect((await ben.safetyNumber('ada')).verified).toBe(true);
  });

  it('twenty personas in a ring exchange messages', async () => {
    const ring: KindredClient[] = [];
    for (let i = 0; i < 20; i++) ring.push(await client(`Ring ${i}`));
    await Promise.all(ring.map((c) => c.start({ receive: true })));
    // Each persona adds the next one's invite, then everyone writes to both neighbours.
    await Promise.all(ring.map((c, i) => connectPair(member(ring, i + 1), c)));
    await Promise.all(
      ring.map(async (c, i) => {
        const next = member(ring, i + 1);
        const previous = member(ring, i + 19);
        for (let n = 1; n <= 3; n++) {
          await c.send(next.address, `${i} to next ${n}`);
          await c.send(previous.address, `${i} to previous ${n}`);
        }
        await c.flushOutbox(20_000);
      }),
    );
    await Promise.all(
      ring.map(async (c, i) => {
        const next = member(ring, i + 1);
        const previous = member(ring, i + 19);
        await waitFor(
          async () =>
            messagesOf(await c.messages(previous.address)).filter((m) => m.direction === 'in')
              .length === 3 &&
            messagesOf(await c.messages(next.address)).filter((m) => m.direction === 'in')
              .length === 3,
          20_000,
          `ring member ${i}`,
        );
        const fromPrevious = messagesOf(await c.messages(previous.address)).filter(
          (m) => m.direction === 'in',
        );
        expect(fromPrevious.map((m) => m.text)).toStrictEqual(
          [1, 2, 3].map((n) => `${(i + 19) % 20} to next ${n}`),
        );
      }),
    );
  });

  it('a recipient offline for the whole exchange gets everything, in order, exactly once', async () => {
    const home = await dirs.make('offline');
    const olga = await newClient(dirs, relay.url, 'Olga', { home });
    const invite = await olga.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    const olgaAddress = olga.address;
    await olga.close();

    const sam = await client('Sam');
    await sam.addContact(invite.link, { alias: 'olga' });
    const sent: string[] = [];
    for (let i = 1; i <= 40; i++) {
      sent.push(`while you were away ${i}`);
      await sam.send('olga', `while you were away ${i}`);
    }
    await sam.flushOutbox(20_000);
    expect(messagesOf(await sam.messages('olga')).every((m) => m.status === 'sent')).toBe(true);

    const back = await Client.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
    expect(back.address).toBe(olgaAddress);
    let arrivals = 0;
    back.on('message', () => arrivals++);
    await back.start({ receive: true });
    await waitFor(() => arrivals >= 40, 20_000, 'the backlog');
    await back.whenInboxQuiet(300, 5_000);
    const received = messagesOf(await back.messages(sam.address));
    expect(received.map((m) => m.text)).toStrictEqual(sent);
    expect(new Set(received.map((m) => toHex(m.messageId))).size).toBe(40);
    expect((await back.messages(sam.address)).some((e) => e.kind === 'gap')).toBe(false);
    await back.close();

    // Everything was acknowledged: a second session receives nothing again.
    const again = await Client.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
    let repeats = 0;
    again.on('message', () => repeats++);
    await again.start({ receive: true });
    await again.whenInboxQuiet(500, 5_000);
    expect(repeats).toBe(0);
    expect(messagesOf(await again.messages(sam.address))).toHaveLength(40);
    await again.close();
  });

  it('refuses (CORE_IDENTITY_MISMATCH) a prekey bundle whose key is not the one the link pins', async () => {
    const proxy = await RelayProxy.start(relay.url);
    try {
      const victim = await client('Vera');
      const mallory = await client('Mallory');
      // Vera talks to the relay through a hostile middle that swaps identity keys in bundles.
      const viaProxy = await client('Via Proxy', proxy.url);
      const invite = await victim.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });

      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case === 'preKeyBundle') {
          frame.body.value.identityKey = mallory.whoami().identityKey;
        }
        return frame;
      };
      await expect(viaProxy.addContact(invite.link, { alias: 'vera' })).rejects.toMatchObject({
        code: CoreErrorCode.IdentityMismatch,
      });
      // A whole bundle of someone else (address and key consistent) is refused too.
      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case === 'preKeyBundle') {
          frame.body.value.identityKey = mallory.whoami().identityKey;
          frame.body.value.address = mallory.address;
        }
        return frame;
      };
      await expect(viaProxy.addContact(invite.link, { alias: 'vera' })).rejects.toMatchObject({
        code: CoreErrorCode.IdentityMismatch,
      });
      expect(await viaProxy.contacts()).toStrictEqual([]);

      // With an honest path the same link works.
      proxy.rewriteServerFrame = (frame) => frame;
      await viaProxy.addContact(invite.link, { alias: 'vera' });
      expect((await viaProxy.contacts()).map((c) => c.address)).toStrictEqual([victim.address]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses and reports a message whose identity key does not derive its sender', async () => {
    const vic = await client('Vic');
    const mismatches: string[] = [];
    const dropped: string[] = [];
    vic.on('identityMismatch', ({ error }) => mismatches.push(error.code));
    vic.on('dropped', ({ reason }) => dropped.push(reason));
    await vic.start({ receive: true });
    const invite = await vic.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });

    await sendImpersonatingMessage(relay.url, invite.link);
    await waitFor(() => mismatches.length === 1, 10_000, 'the refusal');
    expect(mismatches).toStrictEqual([CoreErrorCode.IdentityMismatch]);
    expect(dropped).toStrictEqual([CoreErrorCode.IdentityMismatch]);
    // Nothing of it was kept: no contact, and the invite was not used up.
    expect(await vic.contacts()).toStrictEqual([]);
    const honest = await client('Honest');
    await connectPair(vic, honest);
    expect((await vic.contacts()).map((c) => c.address)).toStrictEqual([honest.address]);
  });

  it('can start receiving after a first start found no relay', async () => {
    const ownRelay = await startTestRelay(dirs);
    const { dataDir, port } = ownRelay;
    const home = await dirs.make('late');
    const late = await newClient(dirs, ownRelay.url, 'Late Starter', { home });
    const early = await client('Early Writer', ownRelay.url);
    await late.start({ receive: true });
    await connectPair(late, early);
    await late.close();
    await ownRelay.close();

    const again = await Client.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
    relay.track(again);
    await expect(again.start({ receive: true })).rejects.toMatchObject({
      code: CoreErrorCode.RelayUnreachable,
    });
    // Same data and port: the pinned relay is back.
    const back = await startTestRelay(dirs, { dataDir, port });
    try {
      await again.start({ receive: true });
      await early.send(again.address, 'you are back');
      await early.flushOutbox(10_000);
      await waitFor(
        async () => messagesOf(await again.messages(early.address)).length === 1,
        10_000,
        'the message after the restart',
      );
    } finally {
      await Promise.all([again.close(), early.close()]);
      await back.close();
    }
  });

  it('enforces invite use limits and expiry', async () => {
    const ivy = await client('Ivy');
    await ivy.start({ receive: true });
    const dropped: string[] = [];
    ivy.on('dropped', ({ reason }) => dropped.push(reason));

    // One use: the first introduction makes a contact, the second is dropped, and so is anything
    // the refused persona writes afterwards.
    const once = await ivy.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    const first = await client('First');
    const second = await client('Second');
    await first.addContact(once.link, { alias: 'ivy' });
    await first.flushOutbox(10_000);
    await waitFor(async () => (await ivy.contacts()).length === 1, 10_000, 'the first use');
    await second.addContact(once.link, { alias: 'ivy' });
    await second.send('ivy', 'let me in');
    await second.flushOutbox(10_000);
    await waitFor(() => dropped.length >= 2, 10_000, 'the refusals');
    expect(dropped).toStrictEqual(['introduction refused', 'sender is not a contact']);
    expect((await ivy.contacts()).map((c) => c.address)).toStrictEqual([first.address]);

    // An expired link is refused by whoever tries to use it...
    const brief = await ivy.createInvite({ maxUses: 5, expiresAt: Date.now() + 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect((await client('Late')).addContact(brief.link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteExpired,
    });

    // ...and by the relay, which holds the link's delivery key with the link's expiry: a request
    // that reaches it after expiry is refused, though the link was valid when it was used (here
    // the network holds it back). The inviter's own check (by the relay's receive time) stays
    // behind it, for a relay that would not enforce the expiry.
    const proxy = await RelayProxy.start(relay.url);
    try {
      const slow = await client('Slow', proxy.url);
      const soon = await ivy.createInvite({ maxUses: 5, expiresAt: Date.now() + 1_500 });
      proxy.clientFrameDelayMs = 2_000;
      // The relay's refusal (RELAY_ACCESS_DENIED) is told as what it means here: expired.
      await expect(slow.addContact(soon.link, { alias: 'ivy' })).rejects.toMatchObject({
        code: CoreErrorCode.InviteExpired,
        cause: { relayCode: RelayErrorCode.AccessDenied },
      });
      expect(dropped).toHaveLength(2);
      expect((await ivy.contacts()).map((c) => c.address)).toStrictEqual([first.address]);
    } finally {
      await proxy.close();
    }
  });

  it('tops up one-time prekeys when the relay says they run low', async () => {
    const store = new MemoryRelayStore();
    const low = await startRelay({
      store,
      host: '127.0.0.1',
      port: 0,
      registration: 'open',
      lowPreKeyThreshold: 100,
    });
    try {
      const owner = await client('Owner', low.url);
      await owner.start({ receive: true });
      expect(await store.countPreKeys(owner.address)).toStrictEqual({
        oneTimePreKeys: 100,
        oneTimeKyberPreKeys: 100,
      });
      // Taking one bundle leaves 99, under the threshold: the relay asks the owner for more.
      const invite = await owner.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
      await (await client('Fetcher', low.url)).addContact(invite.link);
      await waitFor(
        async () => (await store.countPreKeys(owner.address)).oneTimePreKeys === 199,
        10_000,
        'the top-up',
      );
      expect((await store.countPreKeys(owner.address)).oneTimeKyberPreKeys).toBe(199);
    } finally {
      await relay.closeTracked();
      await low.close();
    }
  });
});
