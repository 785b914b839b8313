import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  Direction,
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SenderKeyDistributionMessage,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MemoryKeyValueStore,
  PERSONA_DEVICE_ID,
  Persona,
  PersonaCipher,
  PersonaDirectory,
  Vault,
  createPersonaStores,
  ownedBytes,
  personaAddressFor,
} from '../../core/index.js';
import { describeSignalStoresContract } from './signalStores.contract.js';

const PASSPHRASE = 'correct horse battery staple';
const DISTRIBUTION_ID = '5c0e7a91-3f2b-4d8e-9a61-0b7c4d2e8f13';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'kindred-'));
}

describeSignalStoresContract('MemoryKeyValueStore', () =>
  Promise.resolve({ store: new MemoryKeyValueStore(), close: () => Promise.resolve() }),
);

describeSignalStoresContract('Vault', async () => {
  const dir = await tempDir();
  const vault = await Vault.create(path.join(dir, 'vault'), PASSPHRASE, { kdf: 'insecure-fast' });
  return {
    store: vault,
    close: async () => {
      await vault.lock();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeSignalStoresContract('a persona scope inside a Vault', async () => {
  const dir = await tempDir();
  const vault = await Vault.create(path.join(dir, 'vault'), PASSPHRASE, { kdf: 'insecure-fast' });
  const directory = new PersonaDirectory(vault);
  const persona = await directory.create('Scope holder');
  return {
    store: directory.dataFor(persona.address),
    close: async () => {
      await vault.lock();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('signal stores in a Vault across lock and reopen', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('keeps sessions, identities, prekeys, Kyber uses and sender keys', async () => {
    const root = await tempDir();
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const dir = path.join(root, 'vault');
    const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
    cleanups.push(() => vault.lock());
    const owner = await new PersonaDirectory(vault).create('Owner');
    const stores = createPersonaStores(new PersonaDirectory(vault).dataFor(owner.address), owner);

    // A real session, made by libsignal through the stores under test.
    const bob = new PersonaCipher(Persona.generate('Bob'), new MemoryKeyValueStore());
    const upload = await bob.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    const ownerCipher = new PersonaCipher(
      owner,
      new PersonaDirectory(vault).dataFor(owner.address),
    );
    const [bobPreKey] = upload.oneTimePreKeys;
    const [bobKyber] = upload.oneTimeKyberPreKeys;
    if (bobPreKey === undefined || bobKyber === undefined) throw new Error('no one-time keys');
    await ownerCipher.startSession({
      address: bob.address,
      registrationId: upload.registrationId,
      identityKey: upload.identityKey,
      signedPreKey: upload.signedPreKey,
      kyberPreKey: bobKyber,
      preKey: bobPreKey,
    });
    const bobAddress = ProtocolAddress.new(bob.address, PERSONA_DEVICE_ID);
    const session = await stores.sessions.getSession(bobAddress);
    if (session === null) throw new Error('no session');

    // Carol's key is pinned; a key that does not derive her address is refused, and stays so.
    const carolKey = IdentityKeyPair.generate().publicKey;
    const carol = personaAddressFor(carolKey.serialize());
    const carolAddress = ProtocolAddress.new(carol, PERSONA_DEVICE_ID);
    const malloryKey = IdentityKeyPair.generate().publicKey;
    await stores.identities.saveIdentity(carolAddress, carolKey);
    await expect(stores.identities.saveIdentity(carolAddress, malloryKey)).rejects.toSatisfy(
      (error: unknown) => CoreError.is(error, CoreErrorCode.IdentityMismatch),
    );
    await stores.identities.setVerified(bob.address, true);

    const identity = await stores.identities.getIdentityKey();
    const preKey = PrivateKey.generate();
    await stores.preKeys.savePreKey(3, PreKeyRecord.new(3, preKey.getPublicKey(), preKey));
    const signed = PrivateKey.generate();
    const signedRecord = SignedPreKeyRecord.new(
      4,
      Date.now(),
      signed.getPublicKey(),
      signed,
      identity.sign(signed.getPublicKey().serialize()),
    );
    await stores.signedPreKeys.saveSignedPreKey(4, signedRecord);
    const kem = KEMKeyPair.generate();
    const lastResort = KyberPreKeyRecord.new(
      5,
      Date.now(),
      kem,
      identity.sign(kem.getPublicKey().serialize()),
    );
    await stores.kyberPreKeys.saveLastResortKyberPreKey(5, lastResort);
    const usedBaseKey = PrivateKey.generate().getPublicKey();
    await stores.kyberPreKeys.markKyberPreKeyUsed(5, 4, usedBaseKey);
    await SenderKeyDistributionMessage.create(
      ProtocolAddress.new(owner.address, PERSONA_DEVICE_ID),
      DISTRIBUTION_ID,
      stores.senderKeys,
    );
    const senderKey = await stores.senderKeys.getSenderKey(
      ProtocolAddress.new(owner.address, PERSONA_DEVICE_ID),
      DISTRIBUTION_ID,
    );
    if (senderKey === null) throw new Error('no sender key');

    await vault.lock();
    const reopened = await Vault.open(dir, PASSPHRASE);
    cleanups.push(() => reopened.lock());
    const directory = new PersonaDirectory(reopened);
    const again = createPersonaStores(
      directory.dataFor(owner.address),
      await directory.get(owner.address),
    );

    expect((await again.sessions.getSession(bobAddress))?.serialize()).toEqual(session.serialize());
    expect(await again.sessions.hasSession(bobAddress)).toBe(true);
    const bobIdentity = await again.identities.remoteIdentity(bob.address);
    expect(bobIdentity).toEqual({
      address: bob.address,
      identityKey: upload.identityKey,
      verified: true,
    });
    expect(await again.identities.remoteIdentity(carol)).toEqual({
      address: carol,
      identityKey: carolKey.serialize(),
      verified: false,
    });
    expect(
      await again.identities.isTrustedIdentity(carolAddress, carolKey, Direction.Sending),
    ).toBe(true);
    for (const direction of [Direction.Sending, Direction.Receiving]) {
      await expect(
        again.identities.isTrustedIdentity(carolAddress, malloryKey, direction),
      ).rejects.toSatisfy((error: unknown) => CoreError.is(error, CoreErrorCode.IdentityMismatch));
    }
    expect((await again.preKeys.getPreKey(3)).privateKey().serialize()).toEqual(preKey.serialize());
    expect((await again.signedPreKeys.getSignedPreKey(4)).serialize()).toEqual(
      signedRecord.serialize(),
    );
    expect((await again.kyberPreKeys.getKyberPreKey(5)).serialize()).toEqual(
      lastResort.serialize(),
    );
    await expect(again.kyberPreKeys.markKyberPreKeyUsed(5, 4, usedBaseKey)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
    expect(
      (
        await again.senderKeys.getSenderKey(
          ProtocolAddress.new(owner.address, PERSONA_DEVICE_ID),
          DISTRIBUTION_ID,
        )
      )?.serialize(),
    ).toEqual(senderKey.serialize());

    // And the reopened session still encrypts to Bob.
    const reopenedCipher = new PersonaCipher(
      await directory.get(owner.address),
      directory.dataFor(owner.address),
    );
    const message = await reopenedCipher.encrypt(bob.address, new Uint8Array([1, 2, 3]));
    expect(message.type).toBe('prekey');
    expect(await bob.decrypt(owner.address, message)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('a locked vault refuses every store operation with CORE_VAULT_LOCKED', async () => {
    const root = await tempDir();
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const vault = await Vault.create(path.join(root, 'vault'), PASSPHRASE, {
      kdf: 'insecure-fast',
    });
    const owner = Persona.generate('Owner');
    const stores = createPersonaStores(vault, owner);
    await vault.lock();
    // Bob's own key, which derives his address: only the locked vault stands in the way.
    const bobPersona = Persona.generate('Bob');
    const bob = ProtocolAddress.new(bobPersona.address, PERSONA_DEVICE_ID);
    const bobKey = PublicKey.deserialize(ownedBytes(bobPersona.identityPublicKey));
    await expect(stores.sessions.getSession(bob)).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });
    await expect(stores.identities.saveIdentity(bob, bobKey)).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });
    await expect(
      stores.identities.isTrustedIdentity(bob, bobKey, Direction.Receiving),
    ).rejects.toMatchObject({ code: CoreErrorCode.VaultLocked });
    await expect(stores.identities.getIdentity(bob)).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });
    await expect(stores.preKeys.count()).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });
  });
});
