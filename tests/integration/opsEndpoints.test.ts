// The operator's listener on a real relay with real clients: every counter moves as the traffic
// says, and a whole scrape names no persona, group or pseudonym; /healthz and /readyz answer as a
// load balancer expects, also while draining and when the store cannot take a write.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { fromHex, toBase64Url } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { RelayCloseCode } from '../../server/index.js';
import { WebSocket } from 'ws';
import { TempDirs, connectPair, newClient, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();
const clients: KindredClient[] = [];
const relays: RunningRelay[] = [];

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await Promise.allSettled(relays.map((relay) => relay.close()));
  await dirs.cleanup();
});

async function relayWithOps(options: Parameters<typeof startTestRelay>[1] = {}) {
  const relay = await startTestRelay(dirs, { metrics: { port: 0 }, ...options });
  relays.push(relay);
  return relay;
}

async function client(relay: RunningRelay, pseudonym: string): Promise<KindredClient> {
  const created = await newClient(dirs, relay.url, pseudonym);
  clients.push(created);
  return created;
}

async function get(relay: RunningRelay, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${String(relay.opsPort)}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one series in a scrape (`name` with its labels, as printed), or 0 when absent. */
function series(scrape: string, name: string): number {
  for (const line of scrape.split('\n')) {
    if (line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
  }
  return 0;
}

describe("the operator's listener", () => {
  it('counts what the traffic did, and a scrape names no persona, group or pseudonym', async () => {
    // The depth distribution is measured at every scrape here (by default once a minute).
    const relay = await relayWithOps({ mailboxScanIntervalMs: 1 });
    const before = (await get(relay, '/metrics')).body;
    expect(series(before, 'kindred_envelopes_stored_total')).toBe(0);

    const ada = await client(relay, 'Adalind Quennell');
    const ben = await client(relay, 'Benedikt Ormsby');
    const cy = await client(relay, 'Cyrielle Vantongeren');
    await Promise.all([ada.start({ receive: true }), ben.start({ receive: true })]);
    await connectPair(ada, ben);
    await connectPair(ada, cy);
    // Cy is away: what is sent to her waits in her mailbox (the depth distribution shows it).
    for (let i = 1; i <= 5; i++) await ben.send(ada.address, `ben says ${i}`);
    for (let i = 1; i <= 7; i++) await ada.send(cy.address, `ada to cy ${i}`);
    const group = await ada.createGroup({
      name: 'Sarcoidosis Thursdays',
      description: '',
      rules: '',
    });
    const link = await group.invite({ maxUses: 2, expiresAt: Date.now() + 600_000 });
    const benGroup = await ben.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 2, 10_000, 'ben in the group');
    for (let i = 1; i <= 3; i++) await benGroup.send(`in the group ${i}`);
    await Promise.all([ada.flushOutbox(10_000), ben.flushOutbox(10_000)]);
    await waitFor(
      async () =>
        (await group.messages()).filter((m) => m.text.startsWith('in the group')).length === 3,
      10_000,
      'the group posts',
    );

    const scrape = (await get(relay, '/metrics')).body;
    // 1:1: at least the 12 texts (introductions and receipts travel as envelopes too).
    expect(series(scrape, 'kindred_envelopes_stored_total')).toBeGreaterThanOrEqual(12);
    expect(series(scrape, 'kindred_envelopes_delivered_total')).toBeGreaterThanOrEqual(5);
    // Three people, and a persona of its own for each group membership (Ada's and Ben's).
    expect(series(scrape, 'kindred_registrations_total')).toBe(5);
    expect(series(scrape, 'kindred_group_messages_stored_total')).toBeGreaterThanOrEqual(3);
    expect(series(scrape, 'kindred_group_operations_stored_total')).toBeGreaterThanOrEqual(2);
    expect(
      series(scrape, 'kindred_frames_received_total{type="sendEnvelope"}'),
    ).toBeGreaterThanOrEqual(12);
    expect(series(scrape, 'kindred_connections{kind="authenticated"}')).toBeGreaterThanOrEqual(2);
    expect(series(scrape, 'kindred_delivery_age_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(series(scrape, 'kindred_store_synced_batch_requests_count')).toBeGreaterThan(0);
    // Cy's 7 (and her introduction) wait: one mailbox of 5 to 10 envelopes, at least.
    expect(series(scrape, 'kindred_mailbox_depth_count')).toBeGreaterThanOrEqual(1);
    expect(series(scrape, 'kindred_mailbox_depth_bucket{le="5"}')).toBeLessThan(
      series(scrape, 'kindred_mailbox_depth_bucket{le="10"}'),
    );
    expect(series(scrape, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(scrape).toContain('nodejs_eventloop_lag_seconds');

    // Nothing that names anyone: addresses (as printed and in their other spellings), the group's
    // id, pseudonyms, the group's name.
    const secrets: string[] = ['Adalind', 'Benedikt', 'Cyrielle', 'Sarcoidosis', group.id];
    for (const id of [ada.address, ben.address, cy.address, group.id, group.persona]) {
      secrets.push(id);
      const bytes = fromHex(id);
      if (bytes !== undefined) secrets.push(toBase64Url(bytes));
    }
    for (const secret of secrets) expect(scrape.toLowerCase()).not.toContain(secret.toLowerCase());
    // The only labels: kinds of connection, frame types, error codes, buckets, quantiles.
    const labels = new Set([...scrape.matchAll(/[{,]([a-z_]+)="/g)].map((match) => match[1]));
    for (const label of labels) {
      expect([
        'kind',
        'type',
        'code',
        'le',
        'quantile',
        'space',
        'version',
        'major',
        'minor',
        'patch',
        'kind',
      ]).toContain(label);
    }
  });

  it('answers /healthz and /readyz, 404 elsewhere and 405 to other methods', async () => {
    const relay = await relayWithOps();
    expect(await get(relay, '/healthz')).toStrictEqual({ status: 200, body: 'ok\n' });
    expect(await get(relay, '/readyz')).toStrictEqual({ status: 200, body: 'ready\n' });
    expect((await get(relay, '/nothing')).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${String(relay.opsPort)}/readyz`, {
      method: 'POST',
    });
    expect(post.status).toBe(405);
  });

  it('turns /readyz false while draining, keeps /healthz true and sends newcomers away', async () => {
    const relay = await relayWithOps({ drainDelayMs: 1_500 });
    const ops = relay.opsPort;
    const draining = relay.drain();
    expect(await get(relay, '/readyz')).toStrictEqual({ status: 503, body: 'draining\n' });
    expect((await get(relay, '/healthz')).status).toBe(200);
    // A connection that arrives while draining is told to go elsewhere at once.
    const socket = new WebSocket(relay.url);
    const code = await new Promise<number>((resolve, reject) => {
      socket.once('close', (closeCode) => {
        resolve(closeCode);
      });
      socket.once('error', reject);
    });
    expect(code).toBe(RelayCloseCode.GoingAway);
    await draining;
    // Drained and closed: the listener is gone with the relay.
    await expect(fetch(`http://127.0.0.1:${String(ops)}/healthz`)).rejects.toThrow();
  });

  it('turns /readyz false when the storage quota is used up', async () => {
    // A quota below what an empty store already takes: every write would be refused.
    const relay = await relayWithOps({ maxStorageBytes: 1 });
    await waitFor(
      async () => (await get(relay, '/readyz')).body === 'storage-full\n',
      10_000,
      '/readyz to say storage-full',
    );
    expect((await get(relay, '/readyz')).status).toBe(503);
    expect((await get(relay, '/healthz')).status).toBe(200);
  });

  it.skipIf(!canMount())(
    'turns /readyz false when the data folder cannot be written (its disk is full)',
    async () => {
      const mountPoint = await dirs.make('full-disk');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint]);
      try {
        const dataDir = `${mountPoint}/relay`;
        await mkdir(dataDir);
        // No free-space margin: this is the write failing, not the relay's own quota.
        const relay = await relayWithOps({ dataDir, minFreeDiskBytes: 0 });
        expect((await get(relay, '/readyz')).status).toBe(200);
        // Fill the disk to its last byte (dd stops at "No space left on device").
        spawnSync('dd', ['if=/dev/zero', `of=${mountPoint}/filler`, 'bs=1M'], { stdio: 'ignore' });
        await waitFor(
          async () => (await get(relay, '/readyz')).body === 'store-unwritable\n',
          10_000,
          '/readyz to say store-unwritable',
        );
        expect((await get(relay, '/readyz')).status).toBe(503);
        expect((await get(relay, '/healthz')).status).toBe(200);
        // Room again: ready again.
        await rm(`${mountPoint}/filler`);
        await waitFor(
          async () => (await get(relay, '/readyz')).status === 200,
          10_000,
          '/readyz to say ready again',
        );
        await relay.close();
      } finally {
        execFileSync('umount', ['-l', mountPoint]);
      }
    },
  );
});

/** Mounting a tmpfs needs root with CAP_SYS_ADMIN (CI's container has it; a laptop may not). */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync(
      'sh',
      ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && umount "$d" && rmdir "$d"'],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
}
