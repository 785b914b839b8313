import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/index.js';
import { toHex } from '../../core/index.js';
import { TempDirs, connectPair, messagesOf, newClient, waitFor } from './helpers.js';
import type { RelayProcess } from './relayProcess.js';
import { spawnRelay } from './relayProcess.js';

const SENDERS = 10;
const PER_SENDER = 100;
const TOTAL = SENDERS * PER_SENDER;

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RelayProcess | undefined;

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await relay?.kill();
  await dirs.cleanup();
});

describe('a relay killed mid-flight', () => {
  it('loses no acknowledged message and shows none twice', { timeout: 150_000 }, async () => {
    const dataDir = await dirs.make('relay-crash');
    relay = await spawnRelay({ dataDir });
    const url = relay.url;

    const recipient = await newClient(dirs, url, 'Recipient');
    clients.push(recipient);
    await recipient.start({ receive: true });
    const senders: KindredClient[] = [];
    for (let i = 0; i < SENDERS; i++) {
      const sender = await newClient(dirs, url, `Sender ${i}`);
      clients.push(sender);
      senders.push(sender);
    }
    for (const sender of senders) await connectPair(recipient, sender);

    const acknowledged = new Set<string>();
    for (const sender of senders) {
      sender.on('sent', ({ messageId }) => acknowledged.add(toHex(messageId)));
    }
    let received = 0;
    recipient.on('message', () => received++);

    // Every sender writes its share into its outbox at once; the outboxes drain in the background.
    await Promise.all(
      senders.map(async (sender, s) => {
        for (let n = 1; n <= PER_SENDER; n++) await sender.send(recipient.address, `s${s} m${n}`);
      }),
    );
    await waitFor(() => acknowledged.size >= TOTAL * 0.3, 60_000, 'the first acks');
    await relay.kill('SIGKILL');
    const ackedBeforeCrash = new Set(acknowledged);
    expect(ackedBeforeCrash.size).toBeLessThan(TOTAL);

    // Same data, same port: the clients' pinned URL, trust root and relay id still hold.
    await new Promise((resolve) => setTimeout(resolve, 300));
    relay = await spawnRelay({ dataDir, port: relay.port });

    await Promise.all(senders.map((sender) => sender.flushOutbox(90_000)));
    await waitFor(() => received >= TOTAL, 60_000, 'every message at the recipient');
    await recipient.whenInboxQuiet(500, 10_000);

    const seenIds = new Set<string>();
    for (const [s, sender] of senders.entries()) {
      const history = await recipient.messages(sender.address);
      const messages = messagesOf(history).filter((m) => m.direction === 'in');
      // Exactly once each, in the order sent, with no gap.
      expect(messages.map((m) => m.text)).toStrictEqual(
        Array.from({ length: PER_SENDER }, (_, n) => `s${s} m${n + 1}`),
      );
      expect(history.some((entry) => entry.kind === 'gap')).toBe(false);
      for (const message of messages) seenIds.add(toHex(message.messageId));
      // The sender's own history shows every message acknowledged.
      expect(
        messagesOf(await sender.messages(recipient.address)).every((m) => m.status === 'sent'),
      ).toBe(true);
    }
    expect(seenIds.size).toBe(TOTAL);
    for (const id of ackedBeforeCrash) expect(seenIds.has(id)).toBe(true);
    expect(received).toBe(TOTAL);
  });
});
