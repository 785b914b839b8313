import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  Persona,
  RelayConnection,
  RelayRejectedError,
  checkRelayUrl,
  isLoopbackHost,
} from '../../../core/client/index.js';
import type { RunningRelay } from '../../../server/index.js';
import { MemoryRelayStore, startRelay } from '../../../server/index.js';

let relay: RunningRelay;

beforeAll(async () => {
  relay = await startRelay({
    store: new MemoryRelayStore(),
    host: '127.0.0.1',
    port: 0,
    registration: 'open',
  });
});

afterAll(async () => {
  await relay.close();
});

describe('relay URLs', () => {
  it('allows plain ws:// only to loopback unless explicitly allowed', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
      expect(isLoopbackHost(new URL(`ws://${host}:1`).hostname), host).toBe(true);
      expect(() => checkRelayUrl(`ws://${host}:1`)).not.toThrow();
    }
    for (const url of [
      'ws://10.0.0.1:1',
      'ws://relay.example:1',
      'ws://[::2]:1',
      'ws://128.0.0.1',
    ]) {
      expect(() => checkRelayUrl(url), url).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InsecureRelayUrl }),
      );
      expect(() => checkRelayUrl(url, { allowInsecureTransport: true })).not.toThrow();
    }
    expect(() => checkRelayUrl('wss://relay.example')).not.toThrow();
    for (const url of ['http://127.0.0.1', 'not a url', 'wss://user:pw@relay.example', '']) {
      expect(() => checkRelayUrl(url), url).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
      );
    }
  });
});

describe('RelayConnection', () => {
  it('reads the challenge and answers requests', async () => {
    const connection = await RelayConnection.open({ url: relay.url });
    try {
      expect(connection.challenge.trustRoot).toStrictEqual(relay.trustRoot);
      expect(connection.challenge.relayId).toStrictEqual(relay.relayId);
      await expect(connection.request({ case: 'ping', value: {} }, 'pong')).resolves.toBeDefined();
    } finally {
      connection.close();
    }
  });

  it('refuses a relay that is not the pinned one', async () => {
    const wrong = new Uint8Array(relay.trustRoot);
    wrong[5] = (wrong[5] ?? 0) ^ 1;
    await expect(
      RelayConnection.open({ url: relay.url, pin: { trustRoot: wrong, relayId: relay.relayId } }),
    ).rejects.toMatchObject({ code: CoreErrorCode.RelayMismatch });
    await expect(
      RelayConnection.open({
        url: relay.url,
        pin: { trustRoot: relay.trustRoot, relayId: new Uint8Array(32) },
      }),
    ).rejects.toMatchObject({ code: CoreErrorCode.RelayMismatch });
  });

  it('reports an unreachable relay', async () => {
    await expect(
      RelayConnection.open({ url: 'ws://127.0.0.1:1', connectTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ code: CoreErrorCode.RelayUnreachable });
  });

  it('turns Error frames into RelayRejectedError with the relay code', async () => {
    const connection = await RelayConnection.open({ url: relay.url });
    try {
      const error: unknown = await connection
        .authenticate(Persona.generate('Unregistered'))
        .catch((caught: unknown) => caught);
      expect(RelayRejectedError.isRelayRejection(error, 'RELAY_REGISTRATION_REQUIRED')).toBe(true);
      expect(error).toMatchObject({ code: CoreErrorCode.RelayRejected });
    } finally {
      connection.close();
    }
  });
});
