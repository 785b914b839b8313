// A relay backed up while it runs: `kindred-server backup` asks the running relay (over its admin
// socket) for a copy from one store snapshot, while senders keep writing a thousand messages. The
// backup is restored into a new folder and a relay started on it at the same port: every message
// the relay acknowledged before the backup began reaches its recipient, and the clients, which
// pinned the relay's identity, carry on as before. Damaged backups are refused with codes.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient, KindredClientOptions } from '../../core/client/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs } from '../integration/helpers.js';
import {
  MessageLedger,
  RELAY_BIN,
  RestartableRelay,
  introduce,
  personaPool,
  reopenPool,
  report,
  teardown,
  waitUntil,
} from './crashHelpers.js';

const run = promisify(execFile);

const SENDERS = 10;
const PER_SENDER = 100;
const TOTAL = SENDERS * PER_SENDER;
const STEP_TIMEOUT_MS = 120_000;
const CLIENT_OPTIONS: KindredClientOptions = { ...TEST_CLIENT_OPTIONS, preKeyBatchSize: 20 };

const dirs = new TempDirs();
const clients: KindredClient[] = [];
const relays: RestartableRelay[] = [];

afterAll(async () => {
  teardown.abort();
  await Promise.allSettled(relays.map((relay) => relay.stop()));
  await Promise.allSettled(clients.map((client) => client.close()));
  await dirs.cleanup();
});

/** Runs bin/kindred-server.js; resolves with its exit code, stdout and stderr. */
async function kindredServer(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [RELAY_BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('a relay backed up while it runs', () => {
  it(
    'keeps every message acknowledged before the backup began, and pinned clients carry on',
    { timeout: 420_000 },
    async () => {
      const dataDir = await dirs.make('backup-relay');
      const relay = await RestartableRelay.start(dataDir);
      relays.push(relay);
      const [recipients, senders] = await Promise.all([
        personaPool(dirs, relay.url, {
          label: 'r',
          clients: 1,
          perClient: 1,
          clientOptions: CLIENT_OPTIONS,
          track: clients,
        }),
        personaPool(dirs, relay.url, {
          label: 's',
          clients: 1,
          perClient: SENDERS,
          clientOptions: CLIENT_OPTIONS,
          track: clients,
        }),
      ]);
      const recipient = recipients[0];
      const senderClient = senders[0]?.client;
      if (recipient === undefined || senderClient === undefined) throw new Error('no pool');
      await recipient.client.start({ receive: true });
      await senderClient.start({ receive: false });
      await Promise.all(senders.map((sender) => introduce(recipient, sender, STEP_TIMEOUT_MS)));
      await senderClient.flushOutbox(STEP_TIMEOUT_MS);
      // The recipient goes away: everything sent from now on waits in its mailbox on the relay.
      await recipient.client.close();

      const ledger = new MessageLedger();
      ledger.watch(senderClient);
      const writing = Promise.all(
        senders.map(async (sender) => {
          for (let n = 1; n <= PER_SENDER; n++) {
            await ledger.write(sender, recipient, `${sender.label} #${n}`);
          }
        }),
      );
      writing.catch(() => undefined);
      await waitUntil(
        () => ledger.acknowledged >= TOTAL / 3,
        STEP_TIMEOUT_MS,
        'a third of the messages acknowledged',
        () => ledger.describe(),
      );
      // The backup begins with messages in flight: what was acknowledged by now must survive.
      const acknowledgedBefore = ledger.acknowledgedIds();
      const writtenAtStart = ledger.written;
      const backupFile = `${await dirs.make('backup-file')}/relay.backup`;
      const backedUp = await kindredServer(['backup', '--data', dataDir, '--out', backupFile]);
      expect(backedUp.stderr).toBe('');
      expect(backedUp.code).toBe(0);
      const summary = JSON.parse(backedUp.stdout) as { event: string; records: number };
      expect(summary.event).toBe('backup');
      await writing;
      await senderClient.flushOutbox(STEP_TIMEOUT_MS);
      report(
        `relayBackup: ${acknowledgedBefore.size} acknowledged and ${writtenAtStart} written ` +
          `when the backup began; ${summary.records} records`,
      );
      // It began mid-flight: written messages were still on their way to the relay.
      expect(writtenAtStart - acknowledgedBefore.size).toBeGreaterThan(0);

      // The machine is lost; the backup is restored into a new folder, at the same port.
      const port = relay.port;
      await relay.stop();
      const restoredDir = `${await dirs.make('restored')}/relay`;
      const restored = await kindredServer(['restore', backupFile, '--data', restoredDir]);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      const again = await RestartableRelay.start(restoredDir, [], port);
      relays.push(again);

      // The recipient comes back: every message acknowledged before the backup arrives.
      const back = await reopenPool([recipient], CLIENT_OPTIONS);
      clients.push(back.client);
      ledger.watch(back.client);
      await back.client.start({ receive: true });
      await waitUntil(
        () => [...acknowledgedBefore].every((id) => ledger.wasDelivered(id)),
        STEP_TIMEOUT_MS,
        'every message acknowledged before the backup',
        () => ledger.describe(),
      );
      expect(ledger.shownTwice).toBe(0);
      // And the conversation goes on through the restored relay, which the sender still trusts.
      const sender = senders[0];
      const backRecipient = back.personas[0];
      if (sender === undefined || backRecipient === undefined) throw new Error('no persona');
      await ledger.write(sender, backRecipient, 'after the restore');
      await senderClient.flushOutbox(STEP_TIMEOUT_MS);
      await waitUntil(
        () => ledger.delivered > acknowledgedBefore.size && ledger.shownTwice === 0,
        STEP_TIMEOUT_MS,
        'the message after the restore',
        () => ledger.describe(),
      );
    },
  );

  it('refuses a damaged backup, a foreign file, a missing file and a folder that is not empty, with codes', async () => {
    const dataDir = await dirs.make('small-relay');
    const relay = await RestartableRelay.start(dataDir);
    relays.push(relay);
    const out = `${await dirs.make('small-backup')}/relay.backup`;
    expect((await kindredServer(['backup', '--data', dataDir, '--out', out])).code).toBe(0);
    await relay.stop();

    const bytes = new Uint8Array(await readFile(out));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    const flipped = `${out}.flipped`;
    await writeFile(flipped, bytes);
    const target = async (): Promise<string> => `${await dirs.make('target')}/relay`;
    const damaged = await kindredServer(['restore', flipped, '--data', await target()]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^kindred-server: RELAY_BACKUP_CORRUPT: .+\n$/);

    const foreign = `${out}.txt`;
    await writeFile(foreign, 'not a backup at all, just some text that is long enough to be read');
    const notBackup = await kindredServer(['restore', foreign, '--data', await target()]);
    expect(notBackup.stderr).toMatch(/^kindred-server: RELAY_BACKUP_CORRUPT: /);

    const occupied = await kindredServer(['restore', out, '--data', dataDir]);
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toMatch(/^kindred-server: RELAY_BACKUP_TARGET_NOT_EMPTY: /);

    // A mistyped path, or a folder, is named as such in one line, not as a stack trace.
    for (const missing of [`${out}.typo`, dirname(out)]) {
      const notFound = await kindredServer(['restore', missing, '--data', await target()]);
      expect(notFound.code).toBe(1);
      expect(notFound.stderr).toMatch(/^kindred-server: RELAY_BACKUP_NOT_FOUND: .+\n$/);
    }

    // The untouched backup restores, offline as well.
    expect((await kindredServer(['restore', out, '--data', await target()])).code).toBe(0);
  });
});
