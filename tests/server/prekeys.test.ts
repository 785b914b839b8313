// The prekey directory over real sockets, with real libsignal keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeyValueStore, Persona, PersonaCipher, RelayErrorCode } from '../../core/index.js';
import { RawClient } from './helpers/rawClient.js';
import type { ClientBody } from './helpers/rawClient.js';
import { authenticate, newTestPersona, preKeyUpload } from './helpers/personas.js';
import type { TestPersona } from './helpers/personas.js';
import { closeAll, connectAs, registered } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

function fetchBody(target: TestPersona, accessKey = target.accessKey): ClientBody {
  return { case: 'fetchPreKeyBundle', value: { address: target.address, accessKey } };
}

describe('prekey directory', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay({ lowPreKeyThreshold: 2, maxStoredOneTimePreKeys: 10 });
  });
  afterAll(async () => {
    await relay.dispose();
  });

  it('hands out bundles that start a real session, consuming each one-time key once', async () => {
    const bob = await registered(relay.url, { oneTimePreKeys: 2, oneTimeKyberPreKeys: 1 });
    const anon = await RawClient.connect(relay.url);
    const first = await anon.expect(fetchBody(bob), 'preKeyBundle');
    const second = await anon.expect(fetchBody(bob), 'preKeyBundle');
    const third = await anon.expect(fetchBody(bob), 'preKeyBundle');
    expect(first.address).toBe(bob.address);
    expect(first.identityKey).toStrictEqual(bob.persona.identityPublicKey);
    expect(first.registrationId).toBe(bob.persona.registrationId);
    expect(first.preKey).toBeDefined();
    expect(second.preKey).toBeDefined();
    expect(second.preKey?.id).not.toBe(first.preKey?.id);
    expect(third.preKey).toBeUndefined();
    expect(first.kyberPreKey?.id).not.toBe(second.kyberPreKey?.id);
    expect(second.kyberPreKey?.id).toBe(third.kyberPreKey?.id); // the last-resort key

    // The keys survived the relay byte for byte: libsignal accepts the bundle.
    const alice = new PersonaCipher(Persona.generate('alice'), new MemoryKeyValueStore());
    const { signedPreKey, kyberPreKey, preKey } = first;
    if (signedPreKey === undefined || kyberPreKey === undefined) throw new Error('incomplete');
    await alice.startSession({
      address: first.address,
      registrationId: first.registrationId,
      identityKey: first.identityKey,
      signedPreKey,
      kyberPreKey,
      ...(preKey === undefined ? {} : { preKey }),
    });
    expect(await alice.hasSession(bob.address)).toBe(true);
    await anon.close();
  });

  it('refuses a wrong access key and an unknown persona alike', async () => {
    const bob = await registered(relay.url, { oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    const anon = await RawClient.connect(relay.url);
    expect(await anon.errorCode(fetchBody(bob, new Uint8Array(32)))).toBe(
      RelayErrorCode.AccessDenied,
    );
    expect(await anon.errorCode(fetchBody(newTestPersona()))).toBe(RelayErrorCode.AccessDenied);
    await anon.close();
  });

  it('answers RELAY_NO_PREKEYS for a persona that never uploaded', async () => {
    const { tester, client } = await connectAs(relay.url);
    const anon = await RawClient.connect(relay.url);
    expect(await anon.errorCode(fetchBody(tester))).toBe(RelayErrorCode.NoPreKeys);
    await closeAll(client, anon);
  });

  it('refuses uploads whose signatures do not verify, and uploads over the cap', async () => {
    const { tester, client } = await connectAs(relay.url);
    const stranger = newTestPersona();
    expect(
      await client.errorCode(
        await preKeyUpload(stranger, { oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 }),
      ),
    ).toBe(RelayErrorCode.BadFrame);
    const good = await preKeyUpload(tester, { oneTimePreKeys: 8, oneTimeKyberPreKeys: 1 });
    await client.expect(good, 'ok');
    const tooMany = await preKeyUpload(tester, { oneTimePreKeys: 3, oneTimeKyberPreKeys: 0 });
    expect(await client.errorCode(tooMany)).toBe(RelayErrorCode.BadFrame);
    // Nothing of a refused upload was stored.
    const anon = await RawClient.connect(relay.url);
    const bundles = [];
    for (let i = 0; i < 9; i++) bundles.push(await anon.expect(fetchBody(tester), 'preKeyBundle'));
    expect(bundles.filter((b) => b.preKey !== undefined)).toHaveLength(8);
    await closeAll(client, anon);
  });

  it('replaces every one-time prekey held when an upload sets replace_one_time (field 110)', async () => {
    const { tester, client } = await connectAs(relay.url);
    // The old device: 8 of each kind, the cap is 10.
    await client.expect(
      await preKeyUpload(tester, { oneTimePreKeys: 8, oneTimeKyberPreKeys: 8 }),
      'ok',
    );
    // The restored device: 3 of each, replacing the old ones (8 + 3 would be over the cap).
    const replacing = await new PersonaCipher(
      tester.persona,
      new MemoryKeyValueStore(),
    ).generatePreKeys({ oneTimePreKeys: 3, oneTimeKyberPreKeys: 3 });
    await client.expect(
      {
        case: 'uploadPreKeys',
        value: {
          signedPreKey: replacing.signedPreKey,
          lastResortKyberPreKey: replacing.lastResortKyberPreKey,
          oneTimePreKeys: [...replacing.oneTimePreKeys],
          oneTimeKyberPreKeys: [...replacing.oneTimeKyberPreKeys],
          replaceOneTime: true,
        },
      },
      'ok',
    );
    const newKeys = replacing.oneTimePreKeys.map((key) =>
      Buffer.from(key.publicKey).toString('hex'),
    );
    const newKyber = replacing.oneTimeKyberPreKeys.map((key) =>
      Buffer.from(key.publicKey).toString('hex'),
    );
    // Durable: the relay's LevelDB folder holds only the new keys after a restart.
    await client.close();
    await relay.restart();
    const anon = await RawClient.connect(relay.url);
    const bundles = [];
    for (let i = 0; i < 4; i++) bundles.push(await anon.expect(fetchBody(tester), 'preKeyBundle'));
    const handed = bundles.flatMap((b) =>
      b.preKey === undefined ? [] : [Buffer.from(b.preKey.publicKey).toString('hex')],
    );
    expect(handed.sort()).toStrictEqual([...newKeys].sort());
    const kyber = bundles.map((b) => Buffer.from(b.kyberPreKey?.publicKey ?? []).toString('hex'));
    expect(kyber.slice(0, 3).sort()).toStrictEqual([...newKyber].sort());
    // The fourth fell back to the (new) last-resort key.
    expect(kyber[3]).toBe(Buffer.from(replacing.lastResortKyberPreKey.publicKey).toString('hex'));
    // Without the flag an upload appends, and the cap counts what is held.
    const owner = await RawClient.connect(relay.url);
    await authenticate(owner, tester, { register: false });
    await owner.expect(
      await preKeyUpload(tester, { oneTimePreKeys: 6, oneTimeKyberPreKeys: 6 }),
      'ok',
    );
    expect(
      await owner.errorCode(
        await preKeyUpload(tester, { oneTimePreKeys: 5, oneTimeKyberPreKeys: 0 }),
      ),
    ).toBe(RelayErrorCode.BadFrame);
    await closeAll(owner, anon);
  });

  it('tells a connected owner when its one-time prekeys run low', async () => {
    const { tester, client } = await connectAs(relay.url);
    await client.expect(
      await preKeyUpload(tester, { oneTimePreKeys: 3, oneTimeKyberPreKeys: 3 }),
      'ok',
    );
    const anon = await RawClient.connect(relay.url);
    await anon.expect(fetchBody(tester), 'preKeyBundle');
    await anon.expect(fetchBody(tester), 'preKeyBundle');
    const pushed = await client.next((f) => f.body.case === 'preKeyStatus' && f.requestId === 0);
    expect(pushed.body.value).toMatchObject({
      oneTimePreKeys: 1,
      oneTimeKyberPreKeys: 1,
      low: true,
    });
    await closeAll(client, anon);
  });

  it('limits fetches per address and per target persona', async () => {
    const own = await startTestRelay({
      maxFetchesPerMinute: 3,
      maxFetchesPerTargetPerMinute: 4,
      addressRateFactor: 1,
    });
    try {
      const bob = await registered(own.url, { oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 });
      const first = await RawClient.connect(own.url);
      for (let i = 0; i < 3; i++) await first.expect(fetchBody(bob), 'preKeyBundle');
      const limited = await first.expect(fetchBody(bob), 'error');
      expect(limited.code).toBe(RelayErrorCode.RateLimited);
      expect(limited.retryAfterMs).toBeGreaterThan(0);
      // Another connection from the same address shares its budget; one from another address
      // has its own, but bob's bundles are down to their last one this minute.
      const again = await RawClient.connect(own.url);
      expect(await again.errorCode(fetchBody(bob))).toBe(RelayErrorCode.RateLimited);
      await again.close();
      const second = await RawClient.connect(own.url, undefined, { localAddress: '127.0.0.2' });
      await second.expect(fetchBody(bob), 'preKeyBundle');
      expect(await second.errorCode(fetchBody(bob))).toBe(RelayErrorCode.RateLimited);
      await closeAll(first, second);
    } finally {
      await own.dispose();
    }
  });
});
