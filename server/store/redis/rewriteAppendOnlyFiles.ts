import type { Redis } from 'ioredis';

const POLL_MS = 25;

/** Opens a short-lived connection to one node (a replica) with the store's credentials. */
export type NodeConnector = (host: string, port: number) => Redis;

/**
 * Rewrites the append-only file of every primary and of each of their replicas, and resolves
 * once each rewrite that started after this call has finished. Redis's AOF is a log: a deleted
 * envelope's bytes stay in it until a rewrite replaces the file with the data as it is now, so
 * `expireDue` calls this whenever it deleted something (RelayStore's promise for disappearing
 * messages). A replica is rewritten only once it has caught up with its primary's offset (so it
 * has the deletes); a rewrite already running may have forked before the deletes, so it is
 * waited out and a new one started. Nodes without AOF are skipped (the store requires AOF; RDB
 * snapshots are the operator's to turn off).
 */
export async function rewriteAppendOnlyFiles(
  primaries: readonly Redis[],
  connect: NodeConnector,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    primaries.map(async (primary) => {
      const replication = await infoSection(primary, 'replication');
      const offset = Number(replication.get('master_repl_offset') ?? 0);
      const replicas = [...replication]
        .filter(([field]) => /^slave\d+$/.test(field))
        .map(([, value]) => parseReplica(value));
      await Promise.all([
        rewriteOne(primary, deadline),
        ...replicas.map(async ({ host, port }) => {
          const replica = connect(host, port);
          try {
            await waitFor(
              replica,
              deadline,
              (info) => {
                return Number(info.get('slave_repl_offset') ?? -1) >= offset;
              },
              'replication',
            );
            await rewriteOne(replica, deadline);
          } finally {
            replica.disconnect();
          }
        }),
      ]);
    }),
  );
}

async function rewriteOne(node: Redis, deadline: number): Promise<void> {
  if ((await infoSection(node, 'persistence')).get('aof_enabled') !== '1') return;
  for (;;) {
    await waitFor(node, deadline, rewriteIdle, 'persistence');
    try {
      await node.bgrewriteaof();
      break;
    } catch (error) {
      // Another rewrite began between our check and our command: wait it out too.
      if (!(error instanceof Error && /in progress/i.test(error.message))) throw error;
    }
  }
  await waitFor(node, deadline, rewriteIdle, 'persistence');
  if ((await infoSection(node, 'persistence')).get('aof_last_bgrewrite_status') !== 'ok') {
    throw new Error('the append-only file rewrite failed');
  }
}

function rewriteIdle(info: ReadonlyMap<string, string>): boolean {
  return info.get('aof_rewrite_in_progress') === '0' && info.get('aof_rewrite_scheduled') === '0';
}

async function waitFor(
  node: Redis,
  deadline: number,
  done: (info: ReadonlyMap<string, string>) => boolean,
  section: string,
): Promise<void> {
  for (;;) {
    if (done(await infoSection(node, section))) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting on a node's ${section}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function infoSection(node: Redis, section: string): Promise<Map<string, string>> {
  const text = await node.info(section);
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** `ip=10.0.0.2,port=6380,state=online,...` (INFO replication, on a primary) → where. */
function parseReplica(value: string): { host: string; port: number } {
  const fields = new Map(
    value.split(',').map((pair) => {
      const equals = pair.indexOf('=');
      return [pair.slice(0, equals), pair.slice(equals + 1)] as const;
    }),
  );
  const port = Number(fields.get('port'));
  const host = fields.get('ip');
  if (host === undefined || !Number.isInteger(port)) throw new Error('unreadable replica in INFO');
  return { host, port };
}
