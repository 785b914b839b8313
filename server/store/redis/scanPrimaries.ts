import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import type { RedisClient } from './redisConnection.js';
import type { SweepPattern } from './redisKeys.js';

const SCAN_COUNT = 500;
/** How many keys a sweep works on at once. */
const SWEEP_CONCURRENCY = 32;

/**
 * Calls `visit` with the base (the key without the pattern's suffix) of every key that matches
 * `pattern`, on every primary (a standalone server is its own primary), a few at a time; resolves
 * with the results. For the rare relay-wide sweeps only: SCAN walks the whole keyspace.
 */
export async function sweepPrimaries<T>(
  client: RedisClient,
  pattern: SweepPattern,
  visit: (base: string) => Promise<T>,
): Promise<T[]> {
  const primaries: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  const results: T[] = [];
  for (const primary of primaries) {
    let cursor = '0';
    do {
      const [next, keys] = await primary.scan(cursor, 'MATCH', pattern.match, 'COUNT', SCAN_COUNT);
      cursor = next;
      const bases = keys
        .filter((key) => key.endsWith(pattern.suffix))
        .map((key) => key.slice(0, key.length - pattern.suffix.length));
      for (let i = 0; i < bases.length; i += SWEEP_CONCURRENCY) {
        results.push(...(await Promise.all(bases.slice(i, i + SWEEP_CONCURRENCY).map(visit))));
      }
    } while (cursor !== '0');
  }
  return results;
}
