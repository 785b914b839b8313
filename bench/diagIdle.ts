/**
 * Diagnosis, not a bench suite: `npx tsx bench/diagIdle.ts [N]` opens N idle authenticated
 * connections (default 2,000) on a relay child and prints what each adds to its memory after a
 * full GC. Quicker than `--only connections` (one run, registration in the same relay, so the
 * persona cache is warm and RSS shows reuse rather than first growth: read the heap figure). With
 * KINDRED_BENCH_HEAP_SNAPSHOTS=DIR the relay writes a snapshot at both readings.
 */
import { join } from 'node:path';
import { ChildGroup, sleep } from './relay/ChildGroup.js';
import type { HostMemory } from './relay/host.js';

const N = Number(process.argv[2] ?? 2000);
const group = await ChildGroup.create('kindred-diag-');
const clients = (await group.start('clients', new URL('./relay/clients.ts', import.meta.url), []))
  .child;
try {
  const settings = { nodeOptions: ['--expose-gc'] };
  const overrides = { maxConnections: N + 300, maxConnectionsPerAddress: N + 300 };
  const server = await group.startServer('relay', settings, {
    dataDir: join(group.root, 'relay'),
    overrides,
  });
  const open = (from: number, count: number) =>
    clients.call('openIdle', { url: server.url, from, count, concurrency: 64 }, 300_000);
  await open(0, N);
  await clients.call('closeIdle', null, 300_000);
  await open(N, 200);
  await clients.call('closeIdle', null, 300_000);
  await sleep(1000);
  const before = await server.child.call<HostMemory>('memory', { gc: true }, 120_000);
  await open(0, N);
  await sleep(1000);
  const after = await server.child.call<HostMemory>('memory', { gc: true }, 120_000);
  const per = (k: keyof HostMemory) =>
    (((after[k] as number) - (before[k] as number)) / N / 1024).toFixed(2);
  console.log(
    `per connection KiB: rss ${per('rssBytes')} heapUsed ${per('heapUsedBytes')} heapTotal ${per('heapTotalBytes')} external ${per('externalBytes')} arrayBuffers ${per('arrayBuffersBytes')}`,
  );
  await clients.call('closeIdle', null, 300_000);
  await group.stop(server.child);
} finally {
  await group.close([clients]);
}
