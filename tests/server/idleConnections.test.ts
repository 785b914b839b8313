// What an idle connection costs the relay, in the ways a test can see without timing anything
// (the figures are in the bench: docs/performance.md). A real relay on loopback, real LevelDB.
import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeAll, connectAs } from './helpers/sessions.js';
import type { Session } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

const IDLE = 200;

/**
 * Timers alive in this process, unref'd ones included (process.getActiveResourcesInfo() lists
 * only those that keep the process alive, and the relay unrefs its own).
 */
class LiveTimers {
  readonly #live = new Set<number>();
  readonly #hook = createHook({
    init: (asyncId, type) => {
      if (type === 'Timeout') this.#live.add(asyncId);
    },
    destroy: (asyncId) => {
      this.#live.delete(asyncId);
    },
  });

  start(): void {
    this.#hook.enable();
  }

  stop(): void {
    this.#hook.disable();
  }

  get count(): number {
    return this.#live.size;
  }
}

/** Lets the timers cleared so far report their destruction (destroy hooks run asynchronously). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('an idle connection', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    // All from 127.0.0.1: the per-address bound (100 by default) would refuse the last ones.
    relay = await startTestRelay({ registration: 'open', maxConnectionsPerAddress: IDLE + 10 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('holds no timer once authenticated: the heartbeat is one timer for all connections', async () => {
    const timers = new LiveTimers();
    timers.start();
    const sessions: Session[] = [];
    try {
      await settle();
      const before = timers.count;
      for (let n = 0; n < IDLE; n++) sessions.push(await connectAs(relay.url));
      await settle();
      const grown = timers.count - before;
      // A timer per connection (the handshake deadline, the anonymous idle clock, a heartbeat)
      // would be IDLE more; a few at most belong to the relay's shared jobs and the store.
      expect(grown).toBeLessThan(IDLE / 10);
    } finally {
      timers.stop();
      await closeAll(...sessions.map((session) => session.client));
    }
  });

  it('refuses per-message compression in the handshake (no zlib state per connection)', async () => {
    const ws = new WebSocket(relay.url, { perMessageDeflate: true });
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      // The client offered permessage-deflate; the relay's answer took no extension.
      expect(ws.extensions).toBe('');
    } finally {
      ws.terminate();
    }
  });
});
