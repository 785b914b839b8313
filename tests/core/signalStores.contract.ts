/**
 * The compliance suite every KeyValueStore must pass when it backs libsignal's stores (STYLE.md
 * rule 6): sessions, identities (pinned on first use; a key that does not derive the address it
 * claims, or differs from the pinned one, is refused with CORE_IDENTITY_MISMATCH), one-time, signed
 * and Kyber prekeys (with the last-resort replay guard) and sender keys. A backend runs it with
 * `describeSignalStoresContract(name, open)`.
 */
import {
  Direction,
  IdentityChange,
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  ProtocolAddress,
  SenderKeyDistributionMessage,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import type { PublicKey, SessionRecord } from '@signalapp/libsignal-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MemoryKeyValueStore,
  PERSONA_DEVICE_ID,
  Persona,
  PersonaCipher,
  ScopedKeyValueStore,
  createPersonaStores,
  fromUtf8,
  personaAddressFor,
  toBase64Url,
  utf8,
} from '../../core/index.js';
import type { KeyValueStore, PersonaStores } from '../../core/index.js';

export interface SignalStoresFixture {
  readonly store: KeyValueStore;
  /** Releases the store (locks a vault, removes its folder). */
  readonly close: () => Promise<void>;
}

const DISTRIBUTION_ID = '7d3f1c2a-9b84-4e61-a0f5-3c2d1e0b9a87';
const OTHER_DISTRIBUTION_ID = '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d';

function addressOf(persona: Persona, deviceId: number = PERSONA_DEVICE_ID): ProtocolAddress {
  return ProtocolAddress.new(persona.address, deviceId);
}

/** A remote persona as its identity store sees it: a key, and the address that key derives. */
interface RemoteParty {
  readonly key: PublicKey;
  readonly address: string;
  readonly protocolAddress: ProtocolAddress;
}

function remoteParty(): RemoteParty {
  const key = IdentityKeyPair.generate().publicKey;
  const address = personaAddressFor(key.serialize());
  return { key, address, protocolAddress: ProtocolAddress.new(address, PERSONA_DEVICE_ID) };
}

/** A real Double Ratchet record: Alice's side of a session started from Bob's last-resort keys. */
async function realSessionRecord(): Promise<{ record: SessionRecord; remote: ProtocolAddress }> {
  const alice = new PersonaCipher(Persona.generate('Alice'), new MemoryKeyValueStore());
  const bob = new PersonaCipher(Persona.generate('Bob'), new MemoryKeyValueStore());
  const upload = await bob.generatePreKeys({ oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 });
  await alice.startSession({
    address: bob.address,
    registrationId: upload.registrationId,
    identityKey: upload.identityKey,
    signedPreKey: upload.signedPreKey,
    kyberPreKey: upload.lastResortKyberPreKey,
  });
  const remote = ProtocolAddress.new(bob.address, PERSONA_DEVICE_ID);
  const record = await alice.stores.sessions.getSession(remote);
  if (record === null) throw new Error('the session was not created');
  return { record, remote };
}

function kyberRecord(id: number, signer: PrivateKey): KyberPreKeyRecord {
  const pair = KEMKeyPair.generate();
  return KyberPreKeyRecord.new(id, Date.now(), pair, signer.sign(pair.getPublicKey().serialize()));
}

function isCoreError(code: CoreErrorCode): (error: unknown) => boolean {
  return (error) => CoreError.is(error, code);
}

export function describeSignalStoresContract(
  name: string,
  open: () => Promise<SignalStoresFixture>,
): void {
  describe(`signal stores over ${name}`, () => {
    const owner = Persona.generate('Store owner');
    const bob = Persona.generate('Bob');
    const carol = Persona.generate('Carol');
    let fixture: SignalStoresFixture | undefined;
    let stores: PersonaStores;

    beforeEach(async () => {
      fixture = await open();
      stores = createPersonaStores(fixture.store, owner);
    });

    afterEach(async () => {
      const current = fixture;
      fixture = undefined;
      await current?.close();
    });

    function currentStore(): KeyValueStore {
      if (fixture === undefined) throw new Error('no fixture open');
      return fixture.store;
    }

    describe('sessions', () => {
      it('returns null for an address it has never seen', async () => {
        expect(await stores.sessions.getSession(addressOf(bob))).toBeNull();
        expect(await stores.sessions.hasSession(addressOf(bob))).toBe(false);
      });

      it('saves and returns a session record byte for byte', async () => {
        const { record, remote } = await realSessionRecord();
        await stores.sessions.saveSession(remote, record);
        const loaded = await stores.sessions.getSession(remote);
        expect(loaded?.serialize()).toEqual(record.serialize());
        expect(loaded?.remoteRegistrationId()).toBe(record.remoteRegistrationId());
        expect(await stores.sessions.hasSession(remote)).toBe(true);
      });

      it('keeps sessions apart per address and per device', async () => {
        const { record, remote } = await realSessionRecord();
        await stores.sessions.saveSession(remote, record);
        expect(await stores.sessions.getSession(ProtocolAddress.new(remote.name(), 2))).toBeNull();
        expect(await stores.sessions.getSession(addressOf(carol))).toBeNull();
      });

      it('overwrites a session, and an archived one no longer counts as a session', async () => {
        const { record, remote } = await realSessionRecord();
        await stores.sessions.saveSession(remote, record);
        record.archiveCurrentState();
        await stores.sessions.saveSession(remote, record);
        const loaded = await stores.sessions.getSession(remote);
        expect(loaded?.serialize()).toEqual(record.serialize());
        expect(loaded?.hasCurrentState()).toBe(false);
        expect(await stores.sessions.hasSession(remote)).toBe(false);
      });

      it('getExistingSessions returns every record in order', async () => {
        const first = await realSessionRecord();
        const second = await realSessionRecord();
        await stores.sessions.saveSession(first.remote, first.record);
        await stores.sessions.saveSession(second.remote, second.record);
        const records = await stores.sessions.getExistingSessions([second.remote, first.remote]);
        expect(records.map((record) => record.serialize())).toEqual([
          second.record.serialize(),
          first.record.serialize(),
        ]);
      });

      it('getExistingSessions rejects when one of the sessions is missing', async () => {
        const { record, remote } = await realSessionRecord();
        await stores.sessions.saveSession(remote, record);
        await expect(
          stores.sessions.getExistingSessions([remote, addressOf(carol)]),
        ).rejects.toThrow();
      });
    });

    describe('identities', () => {
      it('answers for the persona it belongs to', async () => {
        const privateKey = await stores.identities.getIdentityKey();
        expect(privateKey.getPublicKey().serialize()).toEqual(owner.identityPublicKey);
        expect(await stores.identities.getLocalRegistrationId()).toBe(owner.registrationId);
      });

      it('knows nothing of a stranger and trusts its first key both ways without pinning it', async () => {
        const dave = remoteParty();
        expect(await stores.identities.getIdentity(dave.protocolAddress)).toBeNull();
        expect(await stores.identities.remoteIdentity(dave.address)).toBeUndefined();
        for (const direction of [Direction.Sending, Direction.Receiving]) {
          expect(
            await stores.identities.isTrustedIdentity(dave.protocolAddress, dave.key, direction),
          ).toBe(true);
        }
        // Asking is not saving: only saveIdentity pins a key.
        expect(await stores.identities.remoteIdentity(dave.address)).toBeUndefined();
        expect(await stores.identities.getIdentity(dave.protocolAddress)).toBeNull();
      });

      it('pins the first key saved and treats saving it again as unchanged', async () => {
        const dave = remoteParty();
        expect(await stores.identities.saveIdentity(dave.protocolAddress, dave.key)).toBe(
          IdentityChange.NewOrUnchanged,
        );
        expect(await stores.identities.saveIdentity(dave.protocolAddress, dave.key)).toBe(
          IdentityChange.NewOrUnchanged,
        );
        expect((await stores.identities.getIdentity(dave.protocolAddress))?.serialize()).toEqual(
          dave.key.serialize(),
        );
        expect(await stores.identities.remoteIdentity(dave.address)).toEqual({
          address: dave.address,
          identityKey: dave.key.serialize(),
          verified: false,
        });
        for (const direction of [Direction.Sending, Direction.Receiving]) {
          expect(
            await stores.identities.isTrustedIdentity(dave.protocolAddress, dave.key, direction),
          ).toBe(true);
        }
      });

      it('refuses a key that does not derive an unknown address, both ways, and stores nothing', async () => {
        const dave = remoteParty();
        const mallory = remoteParty();
        await expect(
          stores.identities.saveIdentity(dave.protocolAddress, mallory.key),
        ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        for (const direction of [Direction.Sending, Direction.Receiving]) {
          await expect(
            stores.identities.isTrustedIdentity(dave.protocolAddress, mallory.key, direction),
          ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        }
        expect(await stores.identities.remoteIdentity(dave.address)).toBeUndefined();
        expect(await stores.identities.getIdentity(dave.protocolAddress)).toBeNull();
        expect(await stores.identities.remoteIdentity(mallory.address)).toBeUndefined();
      });

      it('refuses a key that does not derive a known address, both ways, and keeps the pinned one', async () => {
        const dave = remoteParty();
        const mallory = remoteParty();
        await stores.identities.saveIdentity(dave.protocolAddress, dave.key);
        await stores.identities.setVerified(dave.address, true);

        await expect(
          stores.identities.saveIdentity(dave.protocolAddress, mallory.key),
        ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        for (const direction of [Direction.Sending, Direction.Receiving]) {
          await expect(
            stores.identities.isTrustedIdentity(dave.protocolAddress, mallory.key, direction),
          ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        }
        // Nothing moved: the pinned key, still verified, and still trusted.
        expect(await stores.identities.remoteIdentity(dave.address)).toEqual({
          address: dave.address,
          identityKey: dave.key.serialize(),
          verified: true,
        });
        expect((await stores.identities.getIdentity(dave.protocolAddress))?.serialize()).toEqual(
          dave.key.serialize(),
        );
        expect(
          await stores.identities.isTrustedIdentity(
            dave.protocolAddress,
            dave.key,
            Direction.Sending,
          ),
        ).toBe(true);
        expect(await stores.identities.remoteIdentity(mallory.address)).toBeUndefined();
      });

      it('refuses a key that differs from the pinned one even when it derives the address', async () => {
        // Two keys deriving one address would take a SHA-256 collision, so the pinned record is
        // planted directly in storage, in the store's own format, with a different key.
        const dave = remoteParty();
        const planted = remoteParty();
        await stores.identities.saveIdentity(dave.protocolAddress, dave.key);
        const recordKey = `identities/${dave.address}`;
        const raw = await currentStore().get(recordKey);
        if (raw === undefined) throw new Error(`the identity was not stored under ${recordKey}`);
        const record = JSON.parse(fromUtf8(raw)) as Record<string, unknown>;
        expect(record.identityKey).toBe(toBase64Url(dave.key.serialize()));
        await currentStore().put(
          recordKey,
          utf8(JSON.stringify({ ...record, identityKey: toBase64Url(planted.key.serialize()) })),
        );
        // The store keeps what it pinned in memory; a planted record is read by a fresh one.
        stores = createPersonaStores(currentStore(), owner);

        await expect(
          stores.identities.saveIdentity(dave.protocolAddress, dave.key),
        ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        for (const direction of [Direction.Sending, Direction.Receiving]) {
          await expect(
            stores.identities.isTrustedIdentity(dave.protocolAddress, dave.key, direction),
          ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
        }
        expect((await stores.identities.remoteIdentity(dave.address))?.identityKey).toEqual(
          planted.key.serialize(),
        );
      });

      it('marks a key verified and unverified, and saving the key again keeps the mark', async () => {
        const dave = remoteParty();
        await stores.identities.saveIdentity(dave.protocolAddress, dave.key);
        await stores.identities.setVerified(dave.address, true);
        expect((await stores.identities.remoteIdentity(dave.address))?.verified).toBe(true);
        // Verifying does not change trust, and seeing the same key again does not reset it.
        expect(
          await stores.identities.isTrustedIdentity(
            dave.protocolAddress,
            dave.key,
            Direction.Sending,
          ),
        ).toBe(true);
        await stores.identities.saveIdentity(dave.protocolAddress, dave.key);
        expect((await stores.identities.remoteIdentity(dave.address))?.verified).toBe(true);
        await stores.identities.setVerified(dave.address, false);
        expect(await stores.identities.remoteIdentity(dave.address)).toEqual({
          address: dave.address,
          identityKey: dave.key.serialize(),
          verified: false,
        });
      });

      it('refuses to verify an identity it does not know', async () => {
        const dave = remoteParty();
        await expect(stores.identities.setVerified(dave.address, true)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.InvalidInput),
        );
        expect(await stores.identities.remoteIdentity(dave.address)).toBeUndefined();
      });

      it('is read back the same by a fresh set of stores over the same storage', async () => {
        const dave = remoteParty();
        await stores.identities.saveIdentity(dave.protocolAddress, dave.key);
        await stores.identities.setVerified(dave.address, true);
        const again = createPersonaStores(currentStore(), owner);
        expect(await again.identities.remoteIdentity(dave.address)).toEqual({
          address: dave.address,
          identityKey: dave.key.serialize(),
          verified: true,
        });
        expect((await again.identities.getIdentity(dave.protocolAddress))?.serialize()).toEqual(
          dave.key.serialize(),
        );
        await expect(
          again.identities.saveIdentity(dave.protocolAddress, remoteParty().key),
        ).rejects.toSatisfy(isCoreError(CoreErrorCode.IdentityMismatch));
      });
    });

    describe('one-time prekeys', () => {
      it('saves, returns and removes a prekey', async () => {
        const key = PrivateKey.generate();
        await stores.preKeys.savePreKey(7, PreKeyRecord.new(7, key.getPublicKey(), key));
        const loaded = await stores.preKeys.getPreKey(7);
        expect(loaded.id()).toBe(7);
        expect(loaded.publicKey().serialize()).toEqual(key.getPublicKey().serialize());
        expect(loaded.privateKey().serialize()).toEqual(key.serialize());
        expect(await stores.preKeys.count()).toBe(1);

        await stores.preKeys.removePreKey(7);
        await expect(stores.preKeys.getPreKey(7)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.DecryptFailed),
        );
        expect(await stores.preKeys.count()).toBe(0);
      });

      it('rejects a prekey it never had, and removing one is harmless', async () => {
        await expect(stores.preKeys.getPreKey(99)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.DecryptFailed),
        );
        await stores.preKeys.removePreKey(99);
        expect(await stores.preKeys.count()).toBe(0);
      });

      it('counts only one-time prekeys', async () => {
        for (const id of [1, 2, 3]) {
          const key = PrivateKey.generate();
          await stores.preKeys.savePreKey(id, PreKeyRecord.new(id, key.getPublicKey(), key));
        }
        const signed = PrivateKey.generate();
        await stores.signedPreKeys.saveSignedPreKey(
          4,
          SignedPreKeyRecord.new(4, Date.now(), signed.getPublicKey(), signed, new Uint8Array(64)),
        );
        expect(await stores.preKeys.count()).toBe(3);
      });
    });

    describe('signed prekeys', () => {
      it('saves and returns a signed prekey', async () => {
        const identity = await stores.identities.getIdentityKey();
        const key = PrivateKey.generate();
        const signature = identity.sign(key.getPublicKey().serialize());
        const timestamp = 1_700_000_000_000;
        await stores.signedPreKeys.saveSignedPreKey(
          12,
          SignedPreKeyRecord.new(12, timestamp, key.getPublicKey(), key, signature),
        );
        const loaded = await stores.signedPreKeys.getSignedPreKey(12);
        expect(loaded.id()).toBe(12);
        expect(loaded.timestamp()).toBe(timestamp);
        expect(loaded.publicKey().serialize()).toEqual(key.getPublicKey().serialize());
        expect(loaded.signature()).toEqual(signature);
      });

      it('rejects a signed prekey it never had', async () => {
        await expect(stores.signedPreKeys.getSignedPreKey(12)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.DecryptFailed),
        );
      });
    });

    describe('Kyber prekeys', () => {
      it('saves and returns both kinds, counting only the one-time keys', async () => {
        const identity = await stores.identities.getIdentityKey();
        const oneTime = kyberRecord(21, identity);
        const lastResort = kyberRecord(22, identity);
        await stores.kyberPreKeys.saveKyberPreKey(21, oneTime);
        await stores.kyberPreKeys.saveLastResortKyberPreKey(22, lastResort);
        expect((await stores.kyberPreKeys.getKyberPreKey(21)).serialize()).toEqual(
          oneTime.serialize(),
        );
        expect((await stores.kyberPreKeys.getKyberPreKey(22)).serialize()).toEqual(
          lastResort.serialize(),
        );
        expect(await stores.kyberPreKeys.countOneTime()).toBe(1);
      });

      it('deletes a one-time key once it is used', async () => {
        const identity = await stores.identities.getIdentityKey();
        await stores.kyberPreKeys.saveKyberPreKey(31, kyberRecord(31, identity));
        await stores.kyberPreKeys.markKyberPreKeyUsed(31, 1, PrivateKey.generate().getPublicKey());
        await expect(stores.kyberPreKeys.getKyberPreKey(31)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.DecryptFailed),
        );
        expect(await stores.kyberPreKeys.countOneTime()).toBe(0);
      });

      it('keeps the last-resort key and refuses the same (signed prekey, base key) twice', async () => {
        const identity = await stores.identities.getIdentityKey();
        const record = kyberRecord(41, identity);
        await stores.kyberPreKeys.saveLastResortKyberPreKey(41, record);
        const baseKey = PrivateKey.generate().getPublicKey();

        await stores.kyberPreKeys.markKyberPreKeyUsed(41, 5, baseKey);
        expect((await stores.kyberPreKeys.getKyberPreKey(41)).serialize()).toEqual(
          record.serialize(),
        );
        await expect(stores.kyberPreKeys.markKyberPreKeyUsed(41, 5, baseKey)).rejects.toMatchObject(
          { code: CoreErrorCode.DuplicateMessage },
        );

        // A different base key is a different session: fine, and so is another signed prekey.
        await stores.kyberPreKeys.markKyberPreKeyUsed(41, 5, PrivateKey.generate().getPublicKey());
        await stores.kyberPreKeys.markKyberPreKeyUsed(41, 6, baseKey);
        expect((await stores.kyberPreKeys.getKyberPreKey(41)).serialize()).toEqual(
          record.serialize(),
        );
        expect(await stores.kyberPreKeys.countOneTime()).toBe(0);
      });

      it('rejects a Kyber key it never had, to read or to mark used', async () => {
        await expect(stores.kyberPreKeys.getKyberPreKey(51)).rejects.toSatisfy(
          isCoreError(CoreErrorCode.DecryptFailed),
        );
        await expect(
          stores.kyberPreKeys.markKyberPreKeyUsed(51, 1, PrivateKey.generate().getPublicKey()),
        ).rejects.toSatisfy(isCoreError(CoreErrorCode.DecryptFailed));
      });
    });

    describe('sender keys', () => {
      it('returns null for an unknown (sender, distribution id)', async () => {
        expect(await stores.senderKeys.getSenderKey(addressOf(bob), DISTRIBUTION_ID)).toBeNull();
      });

      it('saves and returns records per (sender, distribution id)', async () => {
        // libsignal creates a real record in the store under test.
        await SenderKeyDistributionMessage.create(
          addressOf(bob),
          DISTRIBUTION_ID,
          stores.senderKeys,
        );
        await SenderKeyDistributionMessage.create(
          addressOf(bob),
          OTHER_DISTRIBUTION_ID,
          stores.senderKeys,
        );
        const bobs = await stores.senderKeys.getSenderKey(addressOf(bob), DISTRIBUTION_ID);
        const bobsOther = await stores.senderKeys.getSenderKey(
          addressOf(bob),
          OTHER_DISTRIBUTION_ID,
        );
        if (bobs === null || bobsOther === null) throw new Error('sender keys were not saved');
        expect(bobs.serialize()).not.toEqual(bobsOther.serialize());
        expect(await stores.senderKeys.getSenderKey(addressOf(carol), DISTRIBUTION_ID)).toBeNull();
        expect(await stores.senderKeys.getSenderKey(addressOf(bob, 2), DISTRIBUTION_ID)).toBeNull();

        await stores.senderKeys.saveSenderKey(addressOf(carol), DISTRIBUTION_ID, bobsOther);
        expect(
          (await stores.senderKeys.getSenderKey(addressOf(carol), DISTRIBUTION_ID))?.serialize(),
        ).toEqual(bobsOther.serialize());
        // Saving Carol's did not touch Bob's.
        expect(
          (await stores.senderKeys.getSenderKey(addressOf(bob), DISTRIBUTION_ID))?.serialize(),
        ).toEqual(bobs.serialize());
      });
    });

    it('keeps two personas apart when each has its own scope', async () => {
      const other = Persona.generate('Other owner');
      const mine = createPersonaStores(new ScopedKeyValueStore(currentStore(), 'mine'), owner);
      const theirs = createPersonaStores(new ScopedKeyValueStore(currentStore(), 'theirs'), other);
      const dave = remoteParty();
      await mine.identities.saveIdentity(dave.protocolAddress, dave.key);
      const key = PrivateKey.generate();
      await mine.preKeys.savePreKey(1, PreKeyRecord.new(1, key.getPublicKey(), key));
      expect((await mine.identities.remoteIdentity(dave.address))?.identityKey).toEqual(
        dave.key.serialize(),
      );
      expect(await theirs.identities.remoteIdentity(dave.address)).toBeUndefined();
      expect(await theirs.preKeys.count()).toBe(0);
      await expect(theirs.preKeys.getPreKey(1)).rejects.toSatisfy(
        isCoreError(CoreErrorCode.DecryptFailed),
      );
    });
  });
}
