// The first message a restored vault sends, written before the client ever connected (as
// `kindred send` does right after `kindred restore`), arrives, after the old device went on
// chatting past the backup. Real relay, real vault folders.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, KindredClient } from '../../core/client/index.js';
import { KindredClient as Client, restoreVaultBackup } from '../../core/client/index.js';
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
const NEW_PASSPHRASE = 'restored on a new laptop';
let relay: RunningRelay;
const open: KindredClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(open.map((client) => client.close()));
  await relay.close();
  await dirs.cleanup();
});

async function chat(from: KindredClient, to: KindredClient, text: string): Promise<void> {
  await from.send(to.address, text);
  await from.flushOutbox(20_000);
  await waitFor(
    async () => messagesOf(await to.messages(from.address)).some((m) => m.text === text),
    20_000,
    `"${text}" to arrive`,
  );
}

function kinds(entries: readonly HistoryEntry[]): string[] {
  return entries.map((entry) =>
    entry.kind === 'notice'
      ? `${entry.notice}:${entry.direction}`
      : entry.kind === 'gap'
        ? `gap ${entry.from}-${entry.to}`
        : `${entry.direction}:${entry.text}`,
  );
}

describe('the first send after a restore', { timeout: 240_000 }, () => {
  it('arrives when written before the restored client first connected', async () => {
    const alice = await newClient(dirs, relay.url, 'Alice F');
    const bobHome = await dirs.make('first-send-bob');
    let bob = await newClient(dirs, relay.url, 'Bob F', { home: bobHome });
    open.push(alice, bob);
    await Promise.all([alice.start({ receive: true }), bob.start({ receive: true })]);
    await connectPair(alice, bob);
    await chat(alice, bob, 'before backup');
    const file = path.join(await dirs.make('first-send'), 'alice.backup');
    const { recoveryKey } = await alice.backup(file, {
      passphrase: PASSPHRASE,
      protection: 'recovery-key',
    });
    // The old device goes on: Bob writes, and Alice answers past the backup.
    await chat(bob, alice, 'from bob after backup');
    await chat(alice, bob, 'after backup');
    open.splice(open.indexOf(alice), 1);
    await alice.close();
    // Bob is offline while the restored side writes, as with `kindred sync` later.
    open.splice(open.indexOf(bob), 1);
    await bob.close();

    const home = path.join(await dirs.make('first-send-home'), 'alice');
    await restoreVaultBackup({
      file,
      home,
      secret: recoveryKey ?? '',
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    const restored = await Client.open({
      home,
      passphrase: NEW_PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    open.push(restored);
    // As `kindred send`: queued first, then a sending-only start and a flush.
    const sent = await restored.send(bob.address, 'hello from restored');
    await restored.start({ receive: false });
    await restored.flushOutbox(20_000);
    bob = await Client.open({ home: bobHome, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
    open.push(bob);
    await bob.start({ receive: true });
    const reopened = bob;
    await waitFor(
      async () =>
        messagesOf(await reopened.messages(restored.address)).some(
          (m) => m.text === 'hello from restored',
        ),
      20_000,
      'the first message after the restore to arrive',
    );
    // The renewal notice comes before it, and no gap shows on either side.
    const seen = kinds(await bob.messages(restored.address));
    expect(seen.slice(-2)).toStrictEqual(['session-renewed:in', 'in:hello from restored']);
    expect(seen.some((entry) => entry.startsWith('gap'))).toBe(false);
    const ours = messagesOf(await restored.messages(bob.address)).find(
      (m) => m.text === 'hello from restored',
    );
    // The relay has it; Bob's receipt may have made it `delivered` already.
    expect(['sent', 'delivered']).toContain(ours?.status);
    // Renumbered after the renewal, in the sender's history as in the envelope Bob read.
    expect(ours?.sequence).toBeGreaterThan(sent.sequence);
    const theirs = messagesOf(await bob.messages(restored.address)).find(
      (m) => m.text === 'hello from restored',
    );
    expect(theirs?.sequence).toBe(ours?.sequence);

    // The next one arrives too, still without a gap.
    await chat(restored, bob, 'second from restored');
    expect(kinds(await bob.messages(restored.address)).some((e) => e.startsWith('gap'))).toBe(
      false,
    );
  });
});
