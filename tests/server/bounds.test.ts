// Limits on frames and connections: every violation gets a coded Error frame or a close code,
// and the relay keeps serving everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayErrorCode, encodeClientFrame } from '../../core/index.js';
import { RelayCloseCode } from '../../server/index.js';
import { RawClient } from './helpers/rawClient.js';
import { sendBody } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

describe('frame bounds', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ maxFrameBytes: 4096, maxBadFrames: 3 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('answers a malformed frame with RELAY_BAD_FRAME and its request id, and stays usable', async () => {
    const client = await RawClient.connect(relay.url);
    // request_id 77, then a field number the schema does not have with a broken length.
    client.sendRaw(Uint8Array.from([0x08, 77, 0x12, 0x7f, 0x01]));
    const answer = await client.next((f) => f.body.case === 'error');
    expect(answer.requestId).toBe(77);
    expect(answer.body.value).toMatchObject({ code: RelayErrorCode.BadFrame });
    // Valid protobuf that fails validation (a short access key).
    const bad = encodeClientFrame({
      requestId: 78,
      body: {
        case: 'fetchPreKeyBundle',
        value: { address: '00000000-0000-8000-8000-000000000000', accessKey: new Uint8Array(3) },
      },
    });
    client.sendRaw(bad);
    const second = await client.next((f) => f.requestId === 78);
    expect(second.body.value).toMatchObject({ code: RelayErrorCode.BadFrame });
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });

  it('answers a text frame with RELAY_BAD_FRAME', async () => {
    const client = await RawClient.connect(relay.url);
    client.sendRaw('hello');
    const answer = await client.next((f) => f.body.case === 'error');
    expect(answer.body.value).toMatchObject({ code: RelayErrorCode.BadFrame });
    expect(answer.requestId).toBe(0);
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });

  it('closes a connection that keeps sending bad frames', async () => {
    const client = await RawClient.connect(relay.url);
    for (let i = 0; i < 3; i++) client.sendRaw(Uint8Array.from([0xff, 0xff, 0xff]));
    expect((await client.waitClosed()).code).toBe(RelayCloseCode.BadFrames);
    const errors = client.pending().filter((f) => f.body.case === 'error');
    expect(errors).toHaveLength(3);
  });

  it('answers an oversize frame with RELAY_FRAME_TOO_LARGE, then closes', async () => {
    const client = await RawClient.connect(relay.url);
    const frame = new Uint8Array(5000);
    frame.set([0x08, 9]);
    client.sendRaw(frame);
    const answer = await client.next((f) => f.body.case === 'error');
    expect(answer.requestId).toBe(9);
    expect(answer.body.value).toMatchObject({ code: RelayErrorCode.FrameTooLarge });
    expect((await client.waitClosed()).code).toBe(RelayCloseCode.FrameTooLarge);
  });

  it('lets ws itself close on frames far beyond the limit', async () => {
    const client = await RawClient.connect(relay.url);
    client.sendRaw(new Uint8Array(200 * 1024));
    expect((await client.waitClosed()).code).toBe(1009);
  });
});

describe('connection bounds', () => {
  it('refuses connections over the per-address limit with a coded error', async () => {
    const relay = await startTestRelay({ maxConnectionsPerAddress: 3 });
    try {
      const open = await Promise.all([1, 2, 3].map(() => RawClient.connect(relay.url)));
      const refused = await RawClient.connect(relay.url);
      const error = await refused.next((f) => f.body.case === 'error');
      expect(error.body.value).toMatchObject({ code: RelayErrorCode.TooManyConnections });
      expect((await refused.waitClosed()).code).toBe(RelayCloseCode.TooManyConnections);
      await open[0]?.close();
      await sleep(50);
      const again = await RawClient.connect(relay.url);
      await again.expect({ case: 'ping', value: {} }, 'pong');
      await closeAll(again, ...open);
    } finally {
      await relay.dispose();
    }
  });

  it('closes idle anonymous connections but keeps authenticated ones', async () => {
    const relay = await startTestRelay({ handshakeTimeoutMs: 100, anonymousIdleTimeoutMs: 200 });
    try {
      const { client: member } = await connectAs(relay.url);
      const idle = await RawClient.connect(relay.url);
      const busy = await RawClient.connect(relay.url);
      const keepBusy = setInterval(() => {
        busy.send({ case: 'ping', value: {} });
      }, 50);
      try {
        expect((await idle.waitClosed(3000)).code).toBe(RelayCloseCode.Idle);
        expect(busy.isOpen).toBe(true);
      } finally {
        clearInterval(keepBusy);
      }
      expect(member.isOpen).toBe(true);
      await member.expect({ case: 'ping', value: {} }, 'pong');
      await closeAll(member, busy);
    } finally {
      await relay.dispose();
    }
  });

  it('answers a late AuthResponse with RELAY_HANDSHAKE_TIMEOUT', async () => {
    const relay = await startTestRelay({ handshakeTimeoutMs: 50 });
    try {
      const tester = await registered(relay.url);
      const client = await RawClient.connect(relay.url);
      await sleep(150);
      const { authBody } = await import('./helpers/personas.js');
      expect(await client.errorCode(authBody(client, tester))).toBe(
        RelayErrorCode.HandshakeTimeout,
      );
      await client.close();
    } finally {
      await relay.dispose();
    }
  });

  it('drops peers that stop answering heartbeats', async () => {
    const relay = await startTestRelay({ heartbeatIntervalMs: 100 });
    try {
      const { client: dead } = await connectAs(relay.url);
      const { client: alive } = await connectAs(relay.url);
      dead.pauseReading();
      await sleep(450);
      dead.resumeReading();
      expect((await dead.waitClosed(2000)).code).toBe(1006);
      await alive.expect({ case: 'ping', value: {} }, 'pong');
      await alive.close();
    } finally {
      await relay.dispose();
    }
  });

  it('answers every frame of a flood, reading it at its own pace', async () => {
    const relay = await startTestRelay({
      maxPendingFrames: 4,
      maxFramesPerSecond: 0,
      maxSendsPerSecond: 0,
    });
    try {
      const bob = await registered(relay.url);
      const client = await RawClient.connect(relay.url);
      const answers = await Promise.all(
        Array.from({ length: 600 }, (_, i) =>
          client.request(
            i % 2 === 0 ? { case: 'ping', value: {} } : sendBody(bob, Uint8Array.of(i % 256)),
          ),
        ),
      );
      expect(answers.filter((f) => f.body.case === 'pong')).toHaveLength(300);
      expect(answers.filter((f) => f.body.case === 'sendAck')).toHaveLength(300);
      await client.close();
    } finally {
      await relay.dispose();
    }
  });

  it('keeps delivering to others while one recipient stops reading', async () => {
    const relay = await startTestRelay({
      maxBufferedBytes: 256 * 1024,
      maxSendsPerSecond: 0,
      maxFramesPerSecond: 0,
    });
    try {
      const slow = await registered(relay.url);
      const fast = await registered(relay.url);
      const { client: slowClient } = await connectAs(relay.url, slow);
      const { client: fastClient } = await connectAs(relay.url, fast);
      slowClient.pauseReading();
      const sender = await RawClient.connect(relay.url);
      const big = new Uint8Array(60 * 1024).fill(1);
      await Promise.all(
        Array.from({ length: 40 }, () => sender.expect(sendBody(slow, big), 'sendAck')),
      );
      const started = Date.now();
      await sender.expect(sendBody(fast, Uint8Array.of(1)), 'sendAck');
      await fastClient.deliveries(1);
      expect(Date.now() - started).toBeLessThan(1000);
      slowClient.resumeReading();
      await closeAll(slowClient, fastClient, sender);
    } finally {
      await relay.dispose();
    }
  });
});
