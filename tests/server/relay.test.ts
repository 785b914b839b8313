// The relay end to end over real sockets: authentication and registration, access keys,
// mailboxes and delivery, and the limits that protect them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLIC_KEY_BYTES,
  RelayErrorCode,
  checkProofOfWork,
  checkSenderCertificate,
  createRelayInviteToken,
  wire,
} from '../../core/index.js';
import { RelayCloseCode, issueRelayInviteToken } from '../../server/index.js';
import { RawClient } from './helpers/rawClient.js';
import type { ClientBody } from './helpers/rawClient.js';
import { authBody, authenticate, newTestPersona, sendBody } from './helpers/personas.js';
import { closeAll, connectAs, registered, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './helpers/tlsFixture.js';
import type { TestRelay } from './helpers/testRelay.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const untext = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('authentication and registration', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('challenges every connection with a fresh nonce and the same relay id and trust root', async () => {
    const a = await RawClient.connect(relay.url);
    const b = await RawClient.connect(relay.url);
    expect(a.challenge.relayId).toStrictEqual(relay.relay.relayId);
    expect(b.challenge.relayId).toStrictEqual(relay.relay.relayId);
    expect(a.challenge.nonce).toHaveLength(32);
    expect(a.challenge.nonce).not.toStrictEqual(b.challenge.nonce);
    expect(a.challenge.trustRoot).toStrictEqual(relay.relay.trustRoot);
    expect(a.challenge.trustRoot).toHaveLength(PUBLIC_KEY_BYTES);
    expect(a.challenge.registration).toBe(wire.RegistrationPolicy.POW);
    expect(a.challenge.powDifficulty).toBe(6);
    expect(Math.abs(Number(a.challenge.serverTime) - Date.now())).toBeLessThan(5000);
    await closeAll(a, b);
  });

  it('registers a persona, then authenticates it without registration', async () => {
    const tester = newTestPersona();
    const first = await RawClient.connect(relay.url);
    const ok = await authenticate(first, tester);
    expect(ok.address).toBe(tester.address);
    expect(ok.registeredNow).toBe(true);
    expect(ok.preKeyStatus).toMatchObject({ oneTimePreKeys: 0, oneTimeKyberPreKeys: 0, low: true });
    const facts = checkSenderCertificate(ok.senderCertificate, relay.relay.trustRoot, Date.now());
    expect(facts.address).toBe(tester.address);
    expect(facts.identityKey).toStrictEqual(tester.persona.identityPublicKey);
    await first.close();

    const again = await RawClient.connect(relay.url);
    const second = await authenticate(again, tester, { register: false });
    expect(second.registeredNow).toBe(false);
    expect(second.address).toBe(tester.address);
    await again.close();
  });

  it('refuses an AuthResponse replayed on another connection', async () => {
    const tester = newTestPersona();
    const original = await RawClient.connect(relay.url);
    const body = authBody(original, tester, { register: true });
    await original.expect(body, 'authOk');
    const replay = await RawClient.connect(relay.url);
    expect(await replay.errorCode(body)).toBe(RelayErrorCode.AuthFailed);
    expect((await replay.waitClosed()).code).toBe(RelayCloseCode.AuthFailed);
    await original.close();
  });

  it('refuses a signature by another key', async () => {
    const tester = newTestPersona();
    const impostor = newTestPersona();
    const client = await RawClient.connect(relay.url);
    const body = authBody(client, impostor);
    if (body.case !== 'auth') throw new Error('unexpected body');
    const forged = {
      ...body,
      value: { ...body.value, identityKey: tester.persona.identityPublicKey },
    };
    expect(await client.errorCode(forged)).toBe(RelayErrorCode.AuthFailed);
    await client.waitClosed();
  });

  it('requires registration, with valid proof of work, for an unknown persona', async () => {
    const tester = newTestPersona();
    const plain = await RawClient.connect(relay.url);
    expect(await plain.errorCode(authBody(plain, tester))).toBe(
      RelayErrorCode.RegistrationRequired,
    );
    expect((await plain.waitClosed()).code).toBe(RelayCloseCode.AuthFailed);

    const noGate = await RawClient.connect(relay.url);
    expect(
      await noGate.errorCode(authBody(noGate, tester, { register: true, gate: { kind: 'none' } })),
    ).toBe(RelayErrorCode.ProofOfWorkInvalid);

    const weak = await RawClient.connect(relay.url);
    const bad = failingPowNonce(weak.challenge.relayId, tester.persona.identityPublicKey, 6);
    expect(
      await weak.errorCode(
        authBody(weak, tester, { register: true, gate: { kind: 'pow', nonce: bad } }),
      ),
    ).toBe(RelayErrorCode.ProofOfWorkInvalid);

    const inviteInstead = await RawClient.connect(relay.url);
    expect(
      await inviteInstead.errorCode(
        authBody(inviteInstead, tester, {
          register: true,
          gate: { kind: 'invite', token: new Uint8Array(92) },
        }),
      ),
    ).toBe(RelayErrorCode.ProofOfWorkInvalid);

    // Still unregistered: nothing above stored the persona.
    const check = await RawClient.connect(relay.url);
    expect(await check.errorCode(authBody(check, tester))).toBe(
      RelayErrorCode.RegistrationRequired,
    );
  });

  it('answers a second AuthResponse with RELAY_ALREADY_AUTHENTICATED and stays usable', async () => {
    const { tester, client } = await connectAs(relay.url);
    expect(await client.errorCode(authBody(client, tester))).toBe(
      RelayErrorCode.AlreadyAuthenticated,
    );
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });

  it('accepts authentication only before any anonymous request', async () => {
    const tester = await registered(relay.url);
    const client = await RawClient.connect(relay.url);
    await client.expect({ case: 'ping', value: {} }, 'pong'); // ping does not end the handshake
    expect(await client.errorCode(sendBody(tester, text('x'), new Uint8Array(32)))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await client.errorCode(authBody(client, tester))).toBe(RelayErrorCode.HandshakeTimeout);
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });

  it('answers auth-only requests on an anonymous connection with RELAY_AUTH_REQUIRED', async () => {
    const client = await RawClient.connect(relay.url);
    const authOnly: ClientBody[] = [
      { case: 'uploadPreKeys', value: {} },
      { case: 'ackEnvelopes', value: { envelopeIds: [1n] } },
      { case: 'getSenderCertificate', value: {} },
      { case: 'setAccessKey', value: { accessKeyHash: new Uint8Array(32) } },
    ];
    for (const body of authOnly) {
      expect(await client.errorCode(body)).toBe(RelayErrorCode.AuthRequired);
    }
    await client.expect({ case: 'ping', value: {} }, 'pong');
    await client.close();
  });

  it('keeps one connection per persona: a newer one replaces the older', async () => {
    const { tester, client: older } = await connectAs(relay.url);
    const { client: newer } = await connectAs(relay.url, tester);
    expect((await older.waitClosed()).code).toBe(RelayCloseCode.Replaced);
    await newer.expect({ case: 'ping', value: {} }, 'pong');
    await newer.close();
  });

  it('issues sender certificates on request', async () => {
    const { tester, client } = await connectAs(relay.url);
    const answer = await client.expect(
      { case: 'getSenderCertificate', value: {} },
      'senderCertificate',
    );
    const facts = checkSenderCertificate(answer.certificate, relay.relay.trustRoot, Date.now());
    expect(facts.address).toBe(tester.address);
    expect(Number(answer.expiresAt)).toBe(facts.expiresAt);
    expect(facts.expiresAt - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    await client.close();
  });
});

describe('open and invite registration', () => {
  it('registers anyone when registration is open', async () => {
    const relay = await startTestRelay({ registration: 'open' });
    try {
      const client = await RawClient.connect(relay.url);
      expect(client.challenge.registration).toBe(wire.RegistrationPolicy.OPEN);
      expect(client.challenge.powDifficulty).toBe(0);
      const ok = await authenticate(client, newTestPersona(), {
        register: true,
        gate: { kind: 'none' },
      });
      expect(ok.registeredNow).toBe(true);
      await client.close();
    } finally {
      await relay.dispose();
    }
  });

  it('registers with an operator invite token, up to its use limit', async () => {
    const relay = await startTestRelay({ registration: 'invite' });
    try {
      const token = await issueRelayInviteToken(relay.dataDir, {
        maxUses: 2,
        expiresAt: Date.now() + 60_000,
      });
      for (let i = 0; i < 2; i++) {
        const { client } = await connectAs(relay.url, newTestPersona(), { kind: 'invite', token });
        expect(client.challenge.registration).toBe(wire.RegistrationPolicy.INVITE);
        await client.close();
      }
      const refuse = async (gate: Parameters<typeof authBody>[2]): Promise<string> => {
        const client = await RawClient.connect(relay.url);
        const code = await client.errorCode(authBody(client, newTestPersona(), gate));
        await client.waitClosed();
        return code;
      };
      expect(await refuse({ register: true, gate: { kind: 'invite', token } })).toBe(
        RelayErrorCode.InviteInvalid,
      );
      const forged = token.slice();
      forged[20] = (forged[20] ?? 0) ^ 1;
      expect(await refuse({ register: true, gate: { kind: 'invite', token: forged } })).toBe(
        RelayErrorCode.InviteInvalid,
      );
      const expired = await issueRelayInviteToken(relay.dataDir, {
        maxUses: 1,
        expiresAt: Date.now() - 1,
      });
      expect(await refuse({ register: true, gate: { kind: 'invite', token: expired } })).toBe(
        RelayErrorCode.InviteInvalid,
      );
      const otherOperator = createRelayInviteToken(new Uint8Array(32).fill(7), {
        maxUses: 5,
        expiresAt: 0,
      });
      expect(await refuse({ register: true, gate: { kind: 'invite', token: otherOperator } })).toBe(
        RelayErrorCode.InviteInvalid,
      );
      expect(
        await refuse({ register: true, gate: { kind: 'pow', nonce: new Uint8Array(8) } }),
      ).toBe(RelayErrorCode.InviteInvalid);
      const unlimited = await issueRelayInviteToken(relay.dataDir, { maxUses: 0, expiresAt: 0 });
      for (let i = 0; i < 3; i++) {
        const { client } = await connectAs(relay.url, newTestPersona(), {
          kind: 'invite',
          token: unlimited,
        });
        await client.close();
      }
    } finally {
      await relay.dispose();
    }
  });
});

describe('mailboxes and delivery', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ maxUnackedDeliveries: 5, maxMailboxDepth: 40 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('refuses anonymous sends with a wrong key or to an unknown persona alike', async () => {
    const bob = await registered(relay.url);
    const sender = await RawClient.connect(relay.url);
    expect(await sender.errorCode(sendBody(bob, text('hi'), new Uint8Array(32)))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await sender.errorCode(sendBody(newTestPersona(), text('hi')))).toBe(
      RelayErrorCode.AccessDenied,
    );
    const missingKey = sendBody(bob, text('hi'), new Uint8Array(0));
    expect(await sender.errorCode(missingKey)).toBe(RelayErrorCode.BadFrame);
    await sender.expect(sendBody(bob, text('hi')), 'sendAck');
    await sender.close();
  });

  it('delivers queued then live envelopes in order, exactly once, within the unacked window', async () => {
    const bob = await registered(relay.url);
    const sender = await RawClient.connect(relay.url);
    const ids: bigint[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push((await sender.expect(sendBody(bob, text(`queued ${i}`)), 'sendAck')).envelopeId);
    }
    for (let i = 1; i < ids.length; i++) expect((ids[i] ?? 0n) > (ids[i - 1] ?? 0n)).toBe(true);

    const { client } = await connectAs(relay.url, bob);
    const firstWindow = await client.deliveries(5);
    expect(firstWindow.map((d) => untext(d.sealed))).toStrictEqual(
      [0, 1, 2, 3, 4].map((i) => `queued ${i}`),
    );
    expect(firstWindow.map((d) => d.envelopeId)).toStrictEqual(ids.slice(0, 5));
    await sleep(100);
    expect(client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);

    await client.expect(
      { case: 'ackEnvelopes', value: { envelopeIds: firstWindow.map((d) => d.envelopeId) } },
      'ok',
    );
    const rest = await client.deliveries(3);
    expect(rest.map((d) => untext(d.sealed))).toStrictEqual([5, 6, 7].map((i) => `queued ${i}`));
    await client.expect(
      { case: 'ackEnvelopes', value: { envelopeIds: rest.map((d) => d.envelopeId) } },
      'ok',
    );

    const live = await sender.expect(sendBody(bob, text('live')), 'sendAck');
    const [pushed] = await client.deliveries(1);
    expect(pushed?.envelopeId).toBe(live.envelopeId);
    expect(untext(pushed?.sealed ?? new Uint8Array())).toBe('live');
    expect(Math.abs(Number(pushed?.receivedAt) - Date.now())).toBeLessThan(5000);
    await client.expect({ case: 'ackEnvelopes', value: { envelopeIds: [live.envelopeId] } }, 'ok');
    await sleep(100);
    expect(client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
    await client.close();

    const { client: later } = await connectAs(relay.url, bob);
    await sleep(150);
    expect(later.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
    await closeAll(later, sender);
  });

  it('delivers unacknowledged envelopes again on the next connection', async () => {
    const bob = await registered(relay.url);
    const sender = await RawClient.connect(relay.url);
    for (let i = 0; i < 4; i++) await sender.expect(sendBody(bob, text(`m${i}`)), 'sendAck');
    const { client } = await connectAs(relay.url, bob);
    const got = await client.deliveries(4);
    await client.expect(
      {
        case: 'ackEnvelopes',
        value: { envelopeIds: [got[0]?.envelopeId ?? 0n, got[2]?.envelopeId ?? 0n] },
      },
      'ok',
    );
    await client.close();
    const { client: again } = await connectAs(relay.url, bob);
    const redelivered = await again.deliveries(2);
    expect(redelivered.map((d) => untext(d.sealed))).toStrictEqual(['m1', 'm3']);
    expect(redelivered.map((d) => d.envelopeId)).toStrictEqual([
      got[1]?.envelopeId,
      got[3]?.envelopeId,
    ]);
    await closeAll(again, sender);
  });

  it('refuses sends to a full mailbox with RELAY_MAILBOX_FULL', async () => {
    const bob = await registered(relay.url);
    const sender = await RawClient.connect(relay.url);
    for (let i = 0; i < 40; i++) await sender.expect(sendBody(bob, text(`m${i}`)), 'sendAck');
    expect(await sender.errorCode(sendBody(bob, text('one too many')))).toBe(
      RelayErrorCode.MailboxFull,
    );
    // Acknowledging makes room again.
    const { client } = await connectAs(relay.url, bob);
    const got = await client.deliveries(5);
    await client.expect(
      { case: 'ackEnvelopes', value: { envelopeIds: got.map((d) => d.envelopeId) } },
      'ok',
    );
    await sender.expect(sendBody(bob, text('fits again')), 'sendAck');
    await closeAll(client, sender);
  });

  it('replaces the access key on request', async () => {
    const { tester: bob, client } = await connectAs(relay.url);
    const sender = await RawClient.connect(relay.url);
    await sender.expect(sendBody(bob, text('before')), 'sendAck');
    const newKey = new Uint8Array(32).fill(9);
    const { accessKeyHash } = await import('../../core/index.js');
    await client.expect(
      { case: 'setAccessKey', value: { accessKeyHash: accessKeyHash(newKey) } },
      'ok',
    );
    expect(await sender.errorCode(sendBody(bob, text('old key')))).toBe(
      RelayErrorCode.AccessDenied,
    );
    await sender.expect(sendBody(bob, text('new key'), newKey), 'sendAck');
    await closeAll(client, sender);
  });

  it('keeps an offline mailbox across a relay restart', async () => {
    const own = await startTestRelay();
    try {
      const bob = await registered(own.url);
      const sender = await RawClient.connect(own.url);
      const acks: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        acks.push((await sender.expect(sendBody(bob, text(`kept ${i}`)), 'sendAck')).envelopeId);
      }
      const relayId = own.relay.relayId;
      const trustRoot = own.relay.trustRoot;
      await own.restart();
      expect(own.relay.relayId).toStrictEqual(relayId);
      expect(own.relay.trustRoot).toStrictEqual(trustRoot);
      const client = await RawClient.connect(own.url);
      const ok = await authenticate(client, bob, { register: false });
      expect(ok.registeredNow).toBe(false);
      const got = await client.deliveries(3);
      expect(got.map((d) => untext(d.sealed))).toStrictEqual(['kept 0', 'kept 1', 'kept 2']);
      expect(got.map((d) => d.envelopeId)).toStrictEqual(acks);
      const next = await (
        await RawClient.connect(own.url)
      ).expect(sendBody(bob, text('after')), 'sendAck');
      expect(next.envelopeId > (acks[2] ?? 0n)).toBe(true);
      await client.close();
    } finally {
      await own.dispose();
    }
  });
});

describe('retention and transport', () => {
  it('expires envelopes nobody acknowledged within the retention period', async () => {
    const relay = await startTestRelay({ retentionMs: 100, sweepIntervalMs: 50 });
    try {
      const bob = await registered(relay.url);
      const sender = await RawClient.connect(relay.url);
      await sender.expect(sendBody(bob, text('too late')), 'sendAck');
      await sender.close();
      await sleep(400);
      const { client } = await connectAs(relay.url, bob);
      await sleep(100);
      expect(client.pending().filter((f) => f.body.case === 'deliver')).toHaveLength(0);
      await client.close();
    } finally {
      await relay.dispose();
    }
  });

  it('serves wss:// with a certificate', async () => {
    const relay = await startTestRelay({ tls: { cert: TEST_TLS_CERT, key: TEST_TLS_KEY } });
    try {
      expect(relay.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
      const client = await RawClient.connect(relay.url, 5000, { ca: TEST_TLS_CERT });
      expect(client.challenge.trustRoot).toStrictEqual(relay.relay.trustRoot);
      await authenticate(client, newTestPersona());
      await client.expect({ case: 'ping', value: {} }, 'pong');
      await client.close();
    } finally {
      await relay.dispose();
    }
  });
});

describe('rate limits', () => {
  // Anonymous connections count per address, here with no more than a persona's budget
  // (addressRateFactor 1); sharing across connections and personas: tests/server/limits.test.ts.
  it('limits envelopes per address, with a retry hint', async () => {
    const relay = await startTestRelay({ maxSendsPerSecond: 5, addressRateFactor: 1 });
    try {
      const bob = await registered(relay.url);
      const sender = await RawClient.connect(relay.url);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => sender.request(sendBody(bob, text(`r${i}`)))),
      );
      const limited = answers.filter((f) => f.body.case === 'error');
      expect(answers.filter((f) => f.body.case === 'sendAck')).toHaveLength(5);
      expect(limited).toHaveLength(3);
      for (const frame of limited) {
        if (frame.body.case !== 'error') continue;
        expect(frame.body.value.code).toBe(RelayErrorCode.RateLimited);
        expect(frame.body.value.retryAfterMs).toBeGreaterThan(0);
        expect(frame.body.value.retryAfterMs).toBeLessThanOrEqual(1000);
      }
      // Once the hint has passed, the budget is back.
      const waits = limited.map((f) => (f.body.case === 'error' ? f.body.value.retryAfterMs : 0));
      await sleep(Math.max(...waits) + 50);
      await sender.expect(sendBody(bob, text('later')), 'sendAck');
      await sender.close();
    } finally {
      await relay.dispose();
    }
  });

  it('limits frames of any kind per address', async () => {
    const relay = await startTestRelay({ maxFramesPerSecond: 10, addressRateFactor: 1 });
    try {
      const client = await RawClient.connect(relay.url);
      const answers = await Promise.all(
        Array.from({ length: 15 }, () => client.request({ case: 'ping', value: {} })),
      );
      expect(answers.filter((f) => f.body.case === 'pong')).toHaveLength(10);
      expect(
        answers.filter(
          (f) => f.body.case === 'error' && f.body.value.code === RelayErrorCode.RateLimited,
        ),
      ).toHaveLength(5);
      await client.close();
    } finally {
      await relay.dispose();
    }
  });
});

/** A nonce that does not meet `difficulty` (most do not). */
function failingPowNonce(
  relayId: Uint8Array,
  identityKey: Uint8Array,
  difficulty: number,
): Uint8Array {
  for (let i = 0; ; i++) {
    const nonce = new Uint8Array(8);
    new DataView(nonce.buffer).setUint32(4, i);
    if (!checkProofOfWork(relayId, identityKey, nonce, difficulty)) return nonce;
  }
}
