// RelayLink is internal to the client (core does not export it), so this suite imports it by path.
// reconnect() is what lets a running session follow a relay to a new address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayConnection } from '../../../core/client/index.js';
import { RelayConnection as Connection, toHex } from '../../../core/client/index.js';
import { RelayLink } from '../../../core/client/RelayLink.js';
import type { RunningRelay } from '../../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../../integration/helpers.js';

const dirs = new TempDirs();
let first: RunningRelay;
let second: RunningRelay;
const links: RelayLink[] = [];

beforeAll(async () => {
  first = await startTestRelay(dirs);
  second = await startTestRelay(dirs);
});

afterAll(async () => {
  for (const link of links) link.stop();
  await Promise.all([first.close(), second.close()]);
  await dirs.cleanup();
});

/** A link whose connect goes wherever `target.url` says at the time, optionally slowly. */
function linkTo(
  target: { url: string; delayMs?: number | undefined },
  persistent: boolean,
): RelayLink {
  const link = new RelayLink({
    persistent,
    backoff: { initialMs: 20, maxMs: 100 },
    keepAliveMs: 0,
    connect: async () => {
      const url = target.url;
      if (target.delayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, target.delayMs));
      }
      return Connection.open({ url });
    },
  });
  links.push(link);
  return link;
}

function relayIdOf(connection: RelayConnection): string {
  return toHex(connection.challenge.relayId);
}

async function relayIdAt(url: string): Promise<string> {
  const probe = await Connection.open({ url });
  probe.close();
  return relayIdOf(probe);
}

describe('RelayLink.reconnect', () => {
  it('moves a persistent link at once, reporting the drop and the new connection', async () => {
    const target = { url: first.url };
    const link = linkTo(target, true);
    const before = await link.connection();
    expect(relayIdOf(before)).toBe(await relayIdAt(first.url));
    const events: string[] = [];
    link.on('disconnected', () => events.push('disconnected'));
    link.on('connected', () => events.push('connected'));

    target.url = second.url;
    link.reconnect();
    expect(before.isOpen).toBe(false);
    await waitFor(() => events.length === 2, 5_000, 'the reconnect');
    expect(events).toStrictEqual(['disconnected', 'connected']);
    expect(relayIdOf(await link.connection())).toBe(await relayIdAt(second.url));
  });

  it('hands whoever waits on an attempt begun before it a connection to the new address', async () => {
    const target: { url: string; delayMs?: number | undefined } = { url: first.url, delayMs: 150 };
    const link = linkTo(target, false);
    const waiting = link.connection();
    target.url = second.url;
    target.delayMs = undefined;
    link.reconnect();
    const connection = await waiting;
    expect(relayIdOf(connection)).toBe(await relayIdAt(second.url));
    expect(await link.connection()).toBe(connection);
  });

  it('leaves an on-demand link idle until it is next used', async () => {
    const target = { url: first.url };
    const link = linkTo(target, false);
    const before = await link.connection();
    target.url = second.url;
    link.reconnect();
    expect(before.isOpen).toBe(false);
    expect(link.isConnected).toBe(false);
    expect(relayIdOf(await link.connection())).toBe(await relayIdAt(second.url));
  });
});
