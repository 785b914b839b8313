// Issue 15, "Truthful" (docs/messages.md, "Delivery states"), against a real relay on loopback
// with real LevelDB folders: a spent contact link is refused when added (by the relay, or later
// by the inviter's end-to-end encrypted answer), "Delivered" and "Read" come from the contact's
// encrypted receipts (read receipts off by default, per contact), and a message the relay will
// not take shows failed with its reason until a retry delivers it once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryMessage } from '../../core/client/index.js';
import {
  CoreErrorCode,
  KindredClient,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  parseContactInviteLink,
} from '../../core/client/index.js';
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

const dirs = new TempDirs();
let relay: RunningRelay;
const clients: KindredClient[] = [];

async function client(
  name: string,
  options: Parameters<typeof newClient>[3] = {},
  url = relay.url,
): Promise<KindredClient> {
  const made = await newClient(dirs, url, name, options);
  clients.push(made);
  return made;
}

async function ours(from: KindredClient, to: string, text: string): Promise<HistoryMessage> {
  const found = messagesOf(await from.messages(to)).find((m) => m.outgoing && m.text === text);
  if (found === undefined) throw new Error(`no message "${text}"`);
  return found;
}

async function statusOf(from: KindredClient, to: string, text: string): Promise<string> {
  return (await ours(from, to, text)).status;
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('a spent contact link', () => {
  it('is refused when added once the inviter revoked its key: CORE_INVITE_USED_UP', async () => {
    const kim = await client('Kim', { usedInviteKeyGraceMs: 0 });
    const lee = await client('Lee');
    const max = await client('Max');
    await Promise.all([kim.start({ receive: true }), lee.start({ receive: true })]);
    const invite = await kim.createInvite({ maxUses: 1, expiresAt: Date.now() + 600_000 });
    await lee.addContact(invite.link, { alias: 'kim' });
    await lee.flushOutbox(10_000);
    await waitFor(async () => (await kim.contacts()).length === 1, 10_000, 'Lee accepted');
    // Kim revokes the link's key at the relay once its one use is spent (grace 0 here).
    const key = parseContactInviteLink(invite.link).card.accessKey;
    await waitFor(
      async () => (await probe(kim.address, key)) === RelayErrorCode.AccessDenied,
      10_000,
      'the used-up link’s key revoked',
    );
    const refusal = await max.addContact(invite.link, { alias: 'kim' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: CoreErrorCode.InviteUsedUp });
    expect(await max.contacts()).toHaveLength(0);
  });

  it('is refused when added after its expiry: CORE_INVITE_EXPIRED, nothing added', async () => {
    const ivy = await client('Ivy');
    const jo = await client('Jo');
    await ivy.start({ receive: true });
    const invite = await ivy.createInvite({ maxUses: 5, expiresAt: Date.now() + 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(jo.addContact(invite.link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteExpired,
    });
    expect(await jo.contacts()).toHaveLength(0);
  });

  it('used by two while the inviter was offline: the second learns it from the inviter’s answer', async () => {
    const anaHome = await dirs.make('home');
    const ana = await client('Ana', { home: anaHome });
    const first = await client('First');
    const second = await client('Second');
    await ana.start({ receive: true });
    const invite = await ana.createInvite({ maxUses: 1, expiresAt: Date.now() + 600_000 });
    await ana.close();
    await Promise.all([first.start({ receive: true }), second.start({ receive: true })]);
    // The relay still takes the link's key: both adds succeed and both first messages are "sent".
    await first.addContact(invite.link, { alias: 'ana' });
    await first.flushOutbox(10_000);
    await second.addContact(invite.link, { alias: 'ana' });
    await second.send('ana', 'hello from second');
    await second.flushOutbox(10_000);
    await first.send('ana', 'hello from first');
    await first.flushOutbox(10_000);
    expect(await statusOf(second, 'ana', 'hello from second')).toBe('sent');

    const refusals: string[] = [];
    second.on('contactRefused', ({ contact }) => refusals.push(contact.refused ?? ''));
    // Ana comes back: the first introduction in her mailbox takes the one use.
    const back = await reopen(anaHome);
    await back.start({ receive: true });
    await waitFor(
      async () => (await second.contact('ana')).refused !== undefined,
      15_000,
      'the refusal',
    );
    expect((await second.contact('ana')).refused).toBe('used-up');
    expect(refusals).toEqual(['used-up']);
    // What it sent can never arrive: not "Sent" but failed, and nothing more goes.
    const failed = await ours(second, 'ana', 'hello from second');
    expect(failed.status).toBe('failed');
    expect(failed.failure).toBe(CoreErrorCode.ContactRefused);
    await expect(second.send('ana', 'again')).rejects.toMatchObject({
      code: CoreErrorCode.ContactRefused,
    });
    // The first is Ana's contact, and its message arrived.
    expect((await back.contacts()).map((c) => c.address)).toEqual([first.address]);
    await waitFor(
      async () =>
        messagesOf(await back.messages(first.address)).some((m) => m.text === 'hello from first'),
      10_000,
      'the first one’s message',
    );
    expect((await first.contact('ana')).refused).toBeUndefined();
  });
});

/** What the relay answers to a bundle fetch with `accessKey`: 'ok' or its code. */
async function probe(address: string, accessKey: Uint8Array): Promise<string> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    await connection.request(
      { case: 'fetchPreKeyBundle', value: { address, accessKey } },
      'preKeyBundle',
    );
    return 'ok';
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  } finally {
    connection.close();
  }
}

/** The vault in `home` opened again (after its client closed). */
async function reopen(home: string): Promise<KindredClient> {
  const opened = await KindredClient.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
  clients.push(opened);
  return opened;
}

describe('delivered and read', () => {
  it('batches delivered receipts, and sends read receipts only once turned on for that person', async () => {
    const alice = await client('Alice');
    const bobHome = await dirs.make('home');
    const bob = await client('Bob', { home: bobHome });
    await Promise.all([alice.start({ receive: true }), bob.start({ receive: true })]);
    await connectPair(alice, bob, { aliasForA: 'alice' });
    await bob.close();
    for (const text of ['one', 'two', 'three']) await alice.send(bob.address, text);
    await alice.flushOutbox(10_000);
    expect(await statusOf(alice, bob.address, 'one')).toBe('sent');

    const receipts: number[] = [];
    alice.on('receipt', ({ messages }) => receipts.push(messages.length));
    const bobAgain = await reopen(bobHome);
    await bobAgain.start({ receive: true });
    await waitFor(
      async () => (await statusOf(alice, bob.address, 'three')) === 'delivered',
      15_000,
      'delivered',
    );
    for (const text of ['one', 'two']) {
      expect(await statusOf(alice, bob.address, text)).toBe('delivered');
    }
    // Three messages stored in one pass: one receipt for them all.
    expect(receipts).toEqual([3]);

    // Read receipts are off by default: Bob reading names nothing.
    expect(await bobAgain.markRead('alice')).toBe(0);
    await alice.send(bob.address, 'four');
    await alice.flushOutbox(10_000);
    await waitFor(
      async () => (await statusOf(alice, bob.address, 'four')) === 'delivered',
      15_000,
      'four delivered',
    );
    expect(await statusOf(alice, bob.address, 'one')).toBe('delivered');

    // Turned on for Alice: what is on Bob's screen is reported read, once.
    expect((await bobAgain.setReadReceipts('alice', true)).readReceipts).toBe(true);
    expect(await bobAgain.markRead('alice')).toBe(4);
    expect(await bobAgain.markRead('alice')).toBe(0);
    await waitFor(
      async () => (await statusOf(alice, bob.address, 'four')) === 'read',
      15_000,
      'read',
    );
    for (const text of ['one', 'two', 'three']) {
      expect(await statusOf(alice, bob.address, text)).toBe('read');
    }
    // Turned off again: a new message is delivered, never read.
    await bobAgain.setReadReceipts('alice', false);
    await alice.send(bob.address, 'five');
    await alice.flushOutbox(10_000);
    await waitFor(
      async () => (await statusOf(alice, bob.address, 'five')) === 'delivered',
      15_000,
      'five delivered',
    );
    expect(await bobAgain.markRead('alice')).toBe(0);
    // Bob's own messages carry no receipt state of Alice's making until she stores them.
    await bobAgain.send('alice', 'hi back');
    await bobAgain.flushOutbox(10_000);
    await waitFor(
      async () => (await statusOf(bobAgain, alice.address, 'hi back')) === 'delivered',
      15_000,
      'Bob’s message delivered',
    );
    expect(await statusOf(alice, bob.address, 'five')).toBe('delivered');
  });
});

describe('not delivered, and retry', () => {
  it('a message the relay refuses shows failed with the relay’s code; retry delivers it once', async () => {
    const cara = await client('Cara');
    const dan = await client('Dan');
    await Promise.all([cara.start({ receive: true }), dan.start({ receive: true })]);
    await connectPair(cara, dan, { aliasForA: 'cara' });
    // Dan blocks Cara: the key Cara writes with is revoked at the relay.
    await dan.block(cara.address);
    await cara.send(dan.address, 'are you there?');
    await waitFor(
      async () => (await statusOf(cara, dan.address, 'are you there?')) === 'failed',
      15_000,
      'the refusal',
    );
    const failed = await ours(cara, dan.address, 'are you there?');
    expect(failed.failure).toBe(RelayErrorCode.AccessDenied);

    // Dan unblocks (a fresh key is granted to Cara); Cara retries the same message.
    const revokedKey = (await cara.contact(dan.address)).accessKey;
    await dan.unblock(cara.address);
    await waitFor(
      async () =>
        !Buffer.from((await cara.contact(dan.address)).accessKey).equals(Buffer.from(revokedKey)),
      15_000,
      'the fresh key granted',
    );
    const retried = await cara.retry(dan.address, failed.messageId);
    expect(retried.status).toBe('queued');
    await expect(cara.retry(dan.address, failed.messageId)).rejects.toMatchObject({
      code: CoreErrorCode.MessageNotFailed,
    });
    await waitFor(
      async () => (await statusOf(cara, dan.address, 'are you there?')) === 'delivered',
      15_000,
      'the retried message delivered',
    );
    const received = messagesOf(await dan.messages(cara.address)).filter(
      (m) => m.text === 'are you there?',
    );
    expect(received).toHaveLength(1);
    expect(received[0]?.messageId).toEqual(failed.messageId);
  });

  it('a message the relay cannot take in time shows failed, not sent', async () => {
    const own = await startTestRelay(dirs);
    try {
      const eve = await client('Eve', { sendDeadlineMs: 1_500 }, own.url);
      const fay = await client('Fay', {}, own.url);
      await Promise.all([eve.start({ receive: true }), fay.start({ receive: true })]);
      await connectPair(eve, fay, { aliasForA: 'eve' });
      await own.close();
      await eve.send(fay.address, 'into the void');
      expect(await statusOf(eve, fay.address, 'into the void')).toBe('queued');
      await waitFor(
        async () => (await statusOf(eve, fay.address, 'into the void')) === 'failed',
        15_000,
        'the deadline',
      );
      const failed = await ours(eve, fay.address, 'into the void');
      expect([CoreErrorCode.RelayUnreachable, CoreErrorCode.RelayTimeout]).toContain(
        failed.failure,
      );
    } finally {
      await own.close().catch(() => undefined);
    }
  });
});
