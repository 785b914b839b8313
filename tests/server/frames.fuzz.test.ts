// Thousands of random, mutated, truncated, oversize and text frames against a live relay, while a
// canary pair keeps exchanging envelopes. Every fuzz frame must be answered (an Error frame or
// another answer) or end in a close with a code; the relay must never send an undecodable frame,
// never crash, and never slow the canary down.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeClientFrame, isRelayErrorCode } from '../../core/index.js';
import { RelayCloseCode } from '../../server/index.js';
import type { ClientBody } from './helpers/rawClient.js';
import { RawClient } from './helpers/rawClient.js';
import { newTestPersona, sendBody } from './helpers/personas.js';
import type { TestPersona } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

const MAX_FRAME_BYTES = 16 * 1024;
const BATCHES = 100;
const FRAMES_PER_BATCH = 50;
/** How the relay may end a fuzz connection (1006: dropped by ws mid-frame). */
const ALLOWED_CLOSES = new Set<number>([
  RelayCloseCode.BadFrames,
  RelayCloseCode.AuthFailed,
  RelayCloseCode.FrameTooLarge,
  1002, // ws: protocol error (e.g. a malformed WebSocket frame)
]);

type FuzzFrame =
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string };

function seedBodies(decoy: TestPersona): ClientBody[] {
  const key = (n: number): Uint8Array => new Uint8Array(n).fill(n);
  return [
    { case: 'ping', value: {} },
    sendBody(decoy, Uint8Array.of(1, 2, 3)),
    sendBody(decoy, new Uint8Array(100).fill(5), key(32)),
    { case: 'fetchPreKeyBundle', value: { address: decoy.address, accessKey: decoy.accessKey } },
    { case: 'ackEnvelopes', value: { envelopeIds: [1n, 2n, 3n] } },
    { case: 'getSenderCertificate', value: {} },
    { case: 'submitGroupOperation', value: { operation: key(40) } },
    {
      case: 'fetchGroupLog',
      value: { groupId: key(16), logKey: key(32), fromSequence: 1n },
    },
    {
      case: 'postGroupMessage',
      value: { groupId: key(16), logLength: 2n, envelope: key(48) },
    },
    { case: 'ackGroup', value: { groupId: key(16), index: 3n } },
    { case: 'setAccessKey', value: { accessKeyHash: key(32) } },
    {
      case: 'uploadPreKeys',
      value: {
        signedPreKey: { id: 1, publicKey: key(33), signature: key(64) },
        oneTimePreKeys: [{ id: 2, publicKey: key(33) }],
      },
    },
    {
      case: 'auth',
      value: {
        identityKey: decoy.persona.identityPublicKey,
        signature: key(64),
        registration: {
          registrationId: 7,
          accessKeyHash: key(32),
          gate: { case: 'powNonce', value: key(8) },
        },
      },
    },
  ];
}

function fuzzFrames(decoy: TestPersona): fc.Arbitrary<FuzzFrame> {
  const seeds = seedBodies(decoy).map((body) => encodeClientFrame({ requestId: 5, body }));
  const seed = fc.constantFrom(...seeds);
  const binary = (arb: fc.Arbitrary<Uint8Array>): fc.Arbitrary<FuzzFrame> =>
    arb.map((bytes) => ({ kind: 'binary', bytes }));
  return fc.oneof(
    { weight: 3, arbitrary: binary(fc.uint8Array({ maxLength: 600 })) },
    {
      weight: 5,
      arbitrary: binary(
        fc
          .tuple(
            seed,
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
              minLength: 1,
              maxLength: 6,
            }),
          )
          .map(([bytes, flips]) => {
            const out = bytes.slice();
            for (const [index, value] of flips) out[index % out.length] = value;
            return out;
          }),
      ),
    },
    {
      weight: 3,
      arbitrary: binary(
        fc.tuple(seed, fc.nat()).map(([bytes, cut]) => bytes.slice(0, cut % bytes.length)),
      ),
    },
    {
      weight: 2,
      arbitrary: binary(
        fc
          .tuple(seed, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 40 }))
          .map(([bytes, at, extra]) => {
            const split = at % (bytes.length + 1);
            return Uint8Array.from([
              ...bytes.subarray(0, split),
              ...extra,
              ...bytes.subarray(split),
            ]);
          }),
      ),
    },
    {
      weight: 2,
      arbitrary: binary(fc.tuple(seed, seed).map(([a, b]) => Uint8Array.from([...a, ...b]))),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 200 }).map((text): FuzzFrame => ({ kind: 'text', text })),
    },
    {
      weight: 1,
      arbitrary: binary(
        fc
          .integer({ min: MAX_FRAME_BYTES + 1, max: MAX_FRAME_BYTES + 80 * 1024 })
          .map((length) => new Uint8Array(length).fill(0x08)),
      ),
    },
  );
}

describe('fuzzed frames', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({
      maxFrameBytes: MAX_FRAME_BYTES,
      maxFramesPerSecond: 0,
      maxSendsPerSecond: 0,
    });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it(`answers ${BATCHES * FRAMES_PER_BATCH} hostile frames while the canary keeps flowing`, async () => {
    const decoy = await registered(relay.url, { oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 });
    const canary = await startCanary(relay.url);
    let fuzzer: RawClient | undefined;
    let closes = 0;
    let answered = 0;
    const expectAllowedClose = async (client: RawClient): Promise<void> => {
      const info = await client.waitClosed(10_000);
      expect(ALLOWED_CLOSES, `close code ${info.code}`).toContain(info.code);
      closes += 1;
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fuzzFrames(decoy), { minLength: FRAMES_PER_BATCH, maxLength: FRAMES_PER_BATCH }),
          async (frames) => {
            for (const frame of frames) {
              if (fuzzer?.isOpen !== true) {
                if (fuzzer !== undefined) await expectAllowedClose(fuzzer);
                fuzzer = await RawClient.connect(relay.url);
              }
              const client = fuzzer;
              client.sendRaw(frame.kind === 'text' ? frame.text : frame.bytes);
              const answer = await Promise.race([client.next(() => true, 10_000), client.closed]);
              if ('code' in answer) {
                // Closed without an answer: only ws's own refusals (far oversize, broken framing).
                expect([1009, 1002, 1006], `close code ${answer.code}`).toContain(answer.code);
                closes += 1;
                continue;
              }
              answered += 1;
              expect(client.undecodable).toHaveLength(0);
              if (answer.body.case === 'error') {
                expect(isRelayErrorCode(answer.body.value.code)).toBe(true);
              }
              // One frame, one answer: nothing else may be waiting.
              expect(client.pending()).toHaveLength(0);
            }
          },
        ),
        { numRuns: BATCHES, seed: 20_250_101, endOnFailure: true },
      );
    } finally {
      await fuzzer?.close();
    }
    const report = await canary.stop();
    expect(closes).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(BATCHES * FRAMES_PER_BATCH * 0.9);
    expect(report.sent).toBeGreaterThan(20);
    expect(report.outOfOrder).toBe(0);
    expect(report.delivered).toBe(report.sent);
    expect(report.maxLatencyMs).toBeLessThan(1500);
    expect(report.medianLatencyMs).toBeLessThan(150);

    // And the relay still takes new connections and registrations.
    const { client } = await connectAs(relay.url, newTestPersona());
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });
});

interface CanaryReport {
  readonly sent: number;
  readonly delivered: number;
  readonly outOfOrder: number;
  readonly maxLatencyMs: number;
  readonly medianLatencyMs: number;
}

/** A receiver that acknowledges everything and a sender that sends every 10 ms. */
async function startCanary(url: string): Promise<{ stop(): Promise<CanaryReport> }> {
  const { tester: receiver, client: inbox } = await connectAs(url);
  const sender = await RawClient.connect(url);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let sent = 0;
  let lastSeen = -1;
  let outOfOrder = 0;
  const state = { stopped: false };

  const receiving = (async () => {
    while (!state.stopped || latencies.length < sent) {
      let deliveries;
      try {
        deliveries = await inbox.deliveries(1, 2000);
      } catch {
        if (state.stopped) return;
        continue;
      }
      for (const delivery of deliveries) {
        const n = new DataView(delivery.sealed.buffer, delivery.sealed.byteOffset).getUint32(0);
        if (n !== lastSeen + 1) outOfOrder += 1;
        lastSeen = n;
        latencies.push(Date.now() - (sentAt.get(n) ?? Date.now()));
        inbox.send({ case: 'ackEnvelopes', value: { envelopeIds: [delivery.envelopeId] } });
      }
    }
  })();
  const sending = (async () => {
    while (!state.stopped) {
      const sealed = new Uint8Array(64);
      new DataView(sealed.buffer).setUint32(0, sent);
      sentAt.set(sent, Date.now());
      await sender.expect(sendBody(receiver, sealed), 'sendAck');
      sent += 1;
      await sleep(10);
    }
  })();

  return {
    async stop() {
      state.stopped = true;
      await sending;
      await receiving;
      await closeAll(inbox, sender);
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        sent,
        delivered: latencies.length,
        outOfOrder,
        maxLatencyMs: sorted[sorted.length - 1] ?? 0,
        medianLatencyMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
      };
    },
  };
}
