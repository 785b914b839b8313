// Delivery keys against a real relay on loopback with a real LevelDB folder: one key per contact,
// invite link and group membership, each on its own share of the mailbox, revocable, expiring.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayErrorCode, accessKeyHash } from '../../core/index.js';
import { RawClient } from './helpers/rawClient.js';
import type { ClientBody } from './helpers/rawClient.js';
import { preKeyUpload, sendBody } from './helpers/personas.js';
import type { TestPersona } from './helpers/personas.js';
import { closeAll, connectAs, sleep } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

const SHARE = 40;
const DEPTH = 120;

function newKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

function addKey(key: Uint8Array, expiresAt = 0): ClientBody {
  return {
    case: 'addDeliveryKey',
    value: { accessKeyHash: accessKeyHash(key), expiresAt: BigInt(expiresAt) },
  };
}

function revokeKey(key: Uint8Array): ClientBody {
  return { case: 'revokeDeliveryKey', value: { accessKeyHash: accessKeyHash(key) } };
}

function fetchBody(target: TestPersona, accessKey: Uint8Array): ClientBody {
  return { case: 'fetchPreKeyBundle', value: { address: target.address, accessKey } };
}

/** Sends envelopes with `key` until the relay refuses one; returns how many it took, and why. */
async function flood(
  sender: RawClient,
  target: TestPersona,
  key: Uint8Array,
  max: number,
): Promise<{ accepted: number; refusal: string | undefined }> {
  for (let accepted = 0; accepted < max; accepted += 1) {
    const frame = await sender.request(sendBody(target, new Uint8Array(64).fill(7), key));
    if (frame.body.case === 'error') return { accepted, refusal: frame.body.value.code };
    if (frame.body.case !== 'sendAck') throw new Error(`unexpected ${String(frame.body.case)}`);
  }
  return { accepted: max, refusal: undefined };
}

describe('delivery keys', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({
      maxEnvelopesPerDeliveryKey: SHARE,
      maxMailboxDepth: DEPTH,
      maxDeliveryKeysPerPersona: 4,
      maxSendsPerSecond: 0,
      maxFramesPerSecond: 0,
    });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('a leaked key fills only its own share; other keys still write, also after a restart', async () => {
    const alice = await connectAs(relay.url);
    const leaked = newKey();
    const contact = newKey();
    await alice.client.expect(addKey(leaked), 'ok');
    await alice.client.expect(addKey(contact), 'ok');
    await alice.client.close();

    const flooder = await RawClient.connect(relay.url);
    const result = await flood(flooder, alice.tester, leaked, DEPTH);
    expect(result).toStrictEqual({ accepted: SHARE, refusal: RelayErrorCode.DeliveryKeyQuota });

    const friend = await RawClient.connect(relay.url);
    await friend.expect(sendBody(alice.tester, new Uint8Array(64).fill(1), contact), 'sendAck');

    // Each key's share is counted again from the folder after a restart.
    await closeAll(flooder, friend);
    await relay.restart();
    const again = await RawClient.connect(relay.url);
    expect(await again.errorCode(sendBody(alice.tester, new Uint8Array(8), leaked))).toBe(
      RelayErrorCode.DeliveryKeyQuota,
    );
    await again.expect(sendBody(alice.tester, new Uint8Array(64).fill(2), contact), 'sendAck');
    await again.close();
  });

  it('acknowledged envelopes give a key its share back', async () => {
    const bob = await connectAs(relay.url);
    const key = newKey();
    await bob.client.expect(addKey(key), 'ok');
    const sender = await RawClient.connect(relay.url);
    const before = await flood(sender, bob.tester, key, DEPTH);
    expect(before).toStrictEqual({ accepted: SHARE, refusal: RelayErrorCode.DeliveryKeyQuota });
    // Bob is online: the relay delivers what it queued; acknowledging frees the share.
    const ids: bigint[] = [];
    while (ids.length < SHARE) {
      const frame = await bob.client.next((f) => f.body.case === 'deliver');
      if (frame.body.case === 'deliver') ids.push(frame.body.value.envelopeId);
    }
    await bob.client.expect({ case: 'ackEnvelopes', value: { envelopeIds: ids } }, 'ok');
    await sender.expect(sendBody(bob.tester, new Uint8Array(64).fill(3), key), 'sendAck');
    await closeAll(sender, bob.client);
  });

  it('a revoked key no longer writes nor fetches prekeys; the others still do', async () => {
    const carol = await connectAs(relay.url);
    await carol.client.expect(
      await preKeyUpload(carol.tester, { oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 }),
      'ok',
    );
    const blocked = newKey();
    const kept = newKey();
    await carol.client.expect(addKey(blocked), 'ok');
    await carol.client.expect(addKey(kept), 'ok');
    const sender = await RawClient.connect(relay.url);
    await sender.expect(fetchBody(carol.tester, blocked), 'preKeyBundle');
    await sender.expect(sendBody(carol.tester, new Uint8Array(16), blocked), 'sendAck');

    await carol.client.expect(revokeKey(blocked), 'ok');
    expect(await sender.errorCode(sendBody(carol.tester, new Uint8Array(16), blocked))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await sender.errorCode(fetchBody(carol.tester, blocked))).toBe(
      RelayErrorCode.AccessDenied,
    );
    await sender.expect(sendBody(carol.tester, new Uint8Array(16), kept), 'sendAck');
    await sender.expect(fetchBody(carol.tester, kept), 'preKeyBundle');
    // Revoking again, or a key never added, is not an error.
    await carol.client.expect(revokeKey(blocked), 'ok');
    await carol.client.expect(revokeKey(newKey()), 'ok');
    await closeAll(sender, carol.client);
  });

  it('the relay enforces a key’s expiry while its owner is offline', async () => {
    const dave = await connectAs(relay.url);
    await dave.client.expect(
      await preKeyUpload(dave.tester, { oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 }),
      'ok',
    );
    const invite = newKey();
    await dave.client.expect(addKey(invite, Date.now() + 1500), 'ok');
    await dave.client.close();
    const sender = await RawClient.connect(relay.url);
    await sender.expect(sendBody(dave.tester, new Uint8Array(16), invite), 'sendAck');
    await sleep(1600);
    expect(await sender.errorCode(sendBody(dave.tester, new Uint8Array(16), invite))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await sender.errorCode(fetchBody(dave.tester, invite))).toBe(
      RelayErrorCode.AccessDenied,
    );
    await sender.close();
  });

  it('bounds the keys per persona, and only their owner may add or revoke them', async () => {
    const erin = await connectAs(relay.url);
    const keys = [newKey(), newKey(), newKey(), newKey()];
    for (const key of keys) await erin.client.expect(addKey(key), 'ok');
    const fifth = newKey();
    expect(await erin.client.errorCode(addKey(fifth))).toBe(RelayErrorCode.TooManyDeliveryKeys);
    // Re-adding a registered key only replaces its expiry.
    const [first] = keys;
    if (first === undefined) throw new Error('no key');
    await erin.client.expect(addKey(first, Date.now() + 60_000), 'ok');
    await erin.client.expect(revokeKey(first), 'ok');
    await erin.client.expect(addKey(fifth), 'ok');
    // An expiry in the past is refused; expired keys do not count against the bound.
    expect(await erin.client.errorCode(addKey(newKey(), Date.now() - 1))).toBe(
      RelayErrorCode.BadFrame,
    );
    await erin.client.expect(revokeKey(fifth), 'ok');
    await erin.client.expect(addKey(newKey(), Date.now() + 300), 'ok');
    await sleep(400);
    await erin.client.expect(addKey(newKey()), 'ok');

    const anonymous = await RawClient.connect(relay.url);
    expect(await anonymous.errorCode(addKey(newKey()))).toBe(RelayErrorCode.AuthRequired);
    expect(await anonymous.errorCode(revokeKey(newKey()))).toBe(RelayErrorCode.AuthRequired);
    // A malformed hash is a bad frame.
    expect(
      await anonymous.errorCode({
        case: 'addDeliveryKey',
        value: { accessKeyHash: new Uint8Array(31), expiresAt: 0n },
      }),
    ).toBe(RelayErrorCode.BadFrame);
    await closeAll(anonymous, erin.client);
  });

  it('refuses an unknown persona and a wrong key alike', async () => {
    const frank = await connectAs(relay.url);
    await frank.client.close();
    const sender = await RawClient.connect(relay.url);
    const stranger = { ...frank.tester, address: '01234567-89ab-8cde-8f01-23456789abcd' };
    expect(await sender.errorCode(sendBody(frank.tester, new Uint8Array(8), newKey()))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await sender.errorCode(sendBody(stranger, new Uint8Array(8), newKey()))).toBe(
      RelayErrorCode.AccessDenied,
    );
    await sender.close();
  });
});
