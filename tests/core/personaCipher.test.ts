/**
 * PersonaCipher end to end, each persona in its own vault on disk: prekeys, PQXDH session setup,
 * the Double Ratchet across vault lock and reopen, sealed sender, sender keys, safety numbers,
 * identity keys pinned to the addresses they derive, store failures reported with the store's own
 * code, and refusal of malformed, replayed and forged input, each with its exact CoreError code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ContentHint,
  Direction,
  IdentityKeyPair,
  KEMPublicKey,
  PreKeyBundle,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SenderCertificate,
  ServerCertificate,
  UnidentifiedSenderMessageContent,
  processPreKeyBundle,
  sealedSenderEncrypt,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { CiphertextMessage } from '@signalapp/libsignal-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MemoryKeyValueStore,
  PERSONA_DEVICE_ID,
  Persona,
  PersonaCipher,
  PersonaDirectory,
  SenderCertificateIssuer,
  Vault,
  createPersonaStores,
  ownedBytes,
  pad,
  safetyNumberFor,
  utf8,
} from '../../core/index.js';
import type {
  EncryptedMessage,
  PreKeyBundleData,
  PreKeyUpload,
  PublicPreKey,
  PublicSignedPreKey,
} from '../../core/index.js';

const PASSPHRASE = 'correct horse battery staple';
const HOUR_MS = 60 * 60 * 1000;
const GROUP = '3b9f6c1e-0d2a-4f7b-8e5c-9a1d2b3c4e5f';

interface Party {
  readonly name: string;
  readonly dir: string;
  readonly address: string;
  vault: Vault;
  persona: Persona;
  cipher: PersonaCipher;
}

let root = '';
const openVaults: Vault[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kindred-'));
});

afterEach(async () => {
  for (const vault of openVaults.splice(0)) await vault.lock();
  await rm(root, { recursive: true, force: true });
});

/** A persona in a fresh vault of its own, as a client install would hold it. */
async function createParty(name: string): Promise<Party> {
  const dir = path.join(root, name);
  const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
  openVaults.push(vault);
  const directory = new PersonaDirectory(vault);
  const persona = await directory.create(name);
  return {
    name,
    dir,
    address: persona.address,
    vault,
    persona,
    cipher: new PersonaCipher(persona, directory.dataFor(persona.address)),
  };
}

/** Locks the party's vault and opens it again, rebuilding everything from disk. */
async function reopen(party: Party): Promise<void> {
  await party.vault.lock();
  const vault = await Vault.open(party.dir, PASSPHRASE);
  openVaults.push(vault);
  const directory = new PersonaDirectory(vault);
  const persona = await directory.get(party.address);
  party.vault = vault;
  party.persona = persona;
  party.cipher = new PersonaCipher(persona, directory.dataFor(persona.address));
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

/** What the relay would hand out: the signed keys plus the one-time keys asked for. */
function bundleFrom(
  address: string,
  upload: PreKeyUpload,
  keys: { preKey?: PublicPreKey; kyberPreKey?: PublicSignedPreKey } = {},
): PreKeyBundleData {
  return {
    address,
    registrationId: upload.registrationId,
    identityKey: upload.identityKey,
    signedPreKey: upload.signedPreKey,
    kyberPreKey: keys.kyberPreKey ?? upload.lastResortKyberPreKey,
    ...(keys.preKey === undefined ? {} : { preKey: keys.preKey }),
  };
}

function oneTimeBundle(address: string, upload: PreKeyUpload, index = 0): PreKeyBundleData {
  return bundleFrom(address, upload, {
    preKey: at(upload.oneTimePreKeys, index),
    kyberPreKey: at(upload.oneTimeKyberPreKeys, index),
  });
}

function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  const position = index < 0 ? copy.length + index : index;
  copy[position] = (copy[position] ?? 0) ^ 0x01;
  return copy;
}

/** For `rejects.toSatisfy`: a CoreError with exactly this code. */
function coreError(code: CoreErrorCode): (error: unknown) => boolean {
  return (error) => CoreError.is(error, code);
}

/** Sends `text` and checks it arrives intact; returns the message kind used. */
async function deliver(from: Party, to: Party, text: string): Promise<EncryptedMessage['type']> {
  const message = await from.cipher.encrypt(to.address, utf8(text));
  expect(await to.cipher.decrypt(from.address, message)).toEqual(utf8(text));
  return message.type;
}

/** Alice starts a session from Bob's one-time keys and they exchange one message each way. */
async function connect(alice: Party, bob: Party): Promise<void> {
  const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
  await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
  expect(await deliver(alice, bob, 'hello')).toBe('prekey');
  expect(await deliver(bob, alice, 'hi')).toBe('whisper');
}

/**
 * An attacker who runs libsignal directly, names itself `claimedAddress` (someone else's address)
 * but signs with its own identity key, and starts a session with the recipient's bundle.
 */
async function forgePreKeyMessage(
  attacker: Persona,
  claimedAddress: string,
  bundle: PreKeyBundleData,
  plaintext: Uint8Array,
): Promise<EncryptedMessage> {
  const message = await forgeCiphertext(attacker, claimedAddress, bundle, plaintext);
  return { type: 'prekey', body: message.serialize() };
}

/** The libsignal message behind forgePreKeyMessage, e.g. to put in a sealed envelope. */
async function forgeCiphertext(
  attacker: Persona,
  claimedAddress: string,
  bundle: PreKeyBundleData,
  plaintext: Uint8Array,
): Promise<CiphertextMessage> {
  const stores = createPersonaStores(new MemoryKeyValueStore(), attacker);
  const remote = ProtocolAddress.new(bundle.address, PERSONA_DEVICE_ID);
  const claimed = ProtocolAddress.new(claimedAddress, PERSONA_DEVICE_ID);
  const preKey = bundle.preKey;
  await processPreKeyBundle(
    PreKeyBundle.new(
      bundle.registrationId,
      PERSONA_DEVICE_ID,
      preKey?.id ?? null,
      preKey === undefined ? null : PublicKey.deserialize(ownedBytes(preKey.publicKey)),
      bundle.signedPreKey.id,
      PublicKey.deserialize(ownedBytes(bundle.signedPreKey.publicKey)),
      ownedBytes(bundle.signedPreKey.signature),
      PublicKey.deserialize(ownedBytes(bundle.identityKey)),
      bundle.kyberPreKey.id,
      KEMPublicKey.deserialize(ownedBytes(bundle.kyberPreKey.publicKey)),
      ownedBytes(bundle.kyberPreKey.signature),
    ),
    remote,
    claimed,
    stores.sessions,
    stores.identities,
  );
  return signalEncrypt(pad(plaintext), remote, claimed, stores.sessions, stores.identities);
}

/**
 * A sender certificate signed by the issuer's own server key, for any claim at all: what a rogue
 * or compromised relay could hand out. SenderCertificateIssuer.issue refuses such claims, so this
 * goes to libsignal directly.
 */
function forgeCertificate(
  issuer: SenderCertificateIssuer,
  claim: { address: string; identityKey: Uint8Array; deviceId?: number },
): Uint8Array {
  const record = issuer.toRecord();
  return SenderCertificate.new(
    claim.address,
    null,
    claim.deviceId ?? PERSONA_DEVICE_ID,
    PublicKey.deserialize(ownedBytes(claim.identityKey)),
    Date.now() + HOUR_MS,
    ServerCertificate.deserialize(ownedBytes(record.serverCertificate)),
    PrivateKey.deserialize(ownedBytes(record.serverKey)),
  ).serialize();
}

describe('prekeys', () => {
  it('generatePreKeys returns signed keys and one-time keys with distinct ids', async () => {
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 5, oneTimeKyberPreKeys: 4 });

    expect(upload.identityKey).toEqual(bob.persona.identityPublicKey);
    expect(upload.registrationId).toBe(bob.persona.registrationId);
    expect(upload.oneTimePreKeys).toHaveLength(5);
    expect(upload.oneTimeKyberPreKeys).toHaveLength(4);
    const ids = [
      upload.signedPreKey.id,
      upload.lastResortKyberPreKey.id,
      ...upload.oneTimePreKeys.map((key) => key.id),
      ...upload.oneTimeKyberPreKeys.map((key) => key.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(Number.isInteger(id) && id >= 1 && id <= 0xffffff).toBe(true);
    }

    const identity = PublicKey.deserialize(ownedBytes(upload.identityKey));
    for (const signed of [
      upload.signedPreKey,
      upload.lastResortKyberPreKey,
      ...upload.oneTimeKyberPreKeys,
    ]) {
      expect(identity.verify(ownedBytes(signed.publicKey), ownedBytes(signed.signature))).toBe(
        true,
      );
    }
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 5, kyberPreKeys: 4 });
  });

  it('counts go down only as sessions consume one-time keys', async () => {
    const bob = await createParty('bob');
    const alice = await createParty('alice');
    const carol = await createParty('carol');
    const dave = await createParty('dave');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 3, oneTimeKyberPreKeys: 3 });

    await alice.cipher.startSession(oneTimeBundle(bob.address, upload, 0));
    await carol.cipher.startSession(oneTimeBundle(bob.address, upload, 1));
    await dave.cipher.startSession(bundleFrom(bob.address, upload));
    // Starting a session touches only the initiator's vault.
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 3, kyberPreKeys: 3 });

    await deliver(alice, bob, 'from alice');
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 2, kyberPreKeys: 2 });
    await deliver(carol, bob, 'from carol');
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 1, kyberPreKeys: 1 });
    // The last-resort Kyber key and no EC prekey: nothing one-time is used.
    await deliver(dave, bob, 'from dave');
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 1, kyberPreKeys: 1 });
    // A second message on the same session consumes nothing more.
    await deliver(alice, bob, 'again from alice');
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 1, kyberPreKeys: 1 });
  });

  it('a second batch does not reuse ids, and keys of the first batch stay usable', async () => {
    const bob = await createParty('bob');
    const alice = await createParty('alice');
    const carol = await createParty('carol');
    const first = await bob.cipher.generatePreKeys({ oneTimePreKeys: 3, oneTimeKyberPreKeys: 2 });
    const second = await bob.cipher.generatePreKeys({ oneTimePreKeys: 3, oneTimeKyberPreKeys: 2 });

    const idsOf = (upload: PreKeyUpload): number[] => [
      upload.signedPreKey.id,
      upload.lastResortKyberPreKey.id,
      ...upload.oneTimePreKeys.map((key) => key.id),
      ...upload.oneTimeKyberPreKeys.map((key) => key.id),
    ];
    const all = [...idsOf(first), ...idsOf(second)];
    expect(new Set(all).size).toBe(all.length);
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 6, kyberPreKeys: 4 });

    await alice.cipher.startSession(oneTimeBundle(bob.address, first, 1));
    await carol.cipher.startSession(oneTimeBundle(bob.address, second, 0));
    expect(await deliver(alice, bob, 'first batch')).toBe('prekey');
    expect(await deliver(carol, bob, 'second batch')).toBe('prekey');
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 4, kyberPreKeys: 2 });
  });

  it('prekey ids keep counting after the vault is reopened', async () => {
    const bob = await createParty('bob');
    const first = await bob.cipher.generatePreKeys({ oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 });
    await reopen(bob);
    const second = await bob.cipher.generatePreKeys({ oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 });
    const firstIds = new Set([
      first.signedPreKey.id,
      first.lastResortKyberPreKey.id,
      ...first.oneTimePreKeys.map((key) => key.id),
      ...first.oneTimeKyberPreKeys.map((key) => key.id),
    ]);
    for (const key of [
      second.signedPreKey,
      second.lastResortKyberPreKey,
      ...second.oneTimePreKeys,
      ...second.oneTimeKyberPreKeys,
    ]) {
      expect(firstIds.has(key.id)).toBe(false);
    }
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 4, kyberPreKeys: 4 });
  });
});

describe('sessions', () => {
  it('start from one-time EC and Kyber prekeys and carry messages both ways', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 2, oneTimeKyberPreKeys: 2 });
    expect(await alice.cipher.hasSession(bob.address)).toBe(false);

    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    expect(await alice.cipher.hasSession(bob.address)).toBe(true);
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);

    expect(await deliver(alice, bob, 'first')).toBe('prekey');
    expect(await bob.cipher.hasSession(alice.address)).toBe(true);
    expect(await deliver(bob, alice, 'reply')).toBe('whisper');
    expect(await deliver(alice, bob, 'second')).toBe('whisper');
  });

  it('start from the last-resort Kyber key alone, with no EC prekey', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 });

    await alice.cipher.startSession(bundleFrom(bob.address, upload));
    expect(await deliver(alice, bob, 'first')).toBe('prekey');
    expect(await deliver(bob, alice, 'reply')).toBe('whisper');
    expect(await deliver(alice, bob, 'second')).toBe('whisper');
  });

  it('keep sending prekey messages until the first reply arrives', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));

    const first = await alice.cipher.encrypt(bob.address, utf8('one'));
    const second = await alice.cipher.encrypt(bob.address, utf8('two'));
    expect([first.type, second.type]).toEqual(['prekey', 'prekey']);
    // Out of order is fine: both carry the same session setup.
    expect(await bob.cipher.decrypt(alice.address, second)).toEqual(utf8('two'));
    expect(await bob.cipher.decrypt(alice.address, first)).toEqual(utf8('one'));
    expect(await deliver(bob, alice, 'reply')).toBe('whisper');
    expect(await deliver(alice, bob, 'three')).toBe('whisper');
  });

  it('carry empty, binary and large messages', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const large = new Uint8Array(64 * 1024);
    for (let i = 0; i < large.length; i++) large[i] = (i * 31) & 0xff;
    // Trailing zeros and a trailing 0x80 are where a padding bug would show.
    for (const plaintext of [
      new Uint8Array(0),
      new Uint8Array([0]),
      new Uint8Array([0x80]),
      new Uint8Array([1, 0x80, 0, 0]),
      large,
    ]) {
      const message = await alice.cipher.encrypt(bob.address, plaintext);
      expect(await bob.cipher.decrypt(alice.address, message)).toEqual(plaintext);
      const reply = await bob.cipher.encrypt(alice.address, plaintext);
      expect(await alice.cipher.decrypt(bob.address, reply)).toEqual(plaintext);
    }
  });

  it('continue after every vault is closed and reopened mid-conversation', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    await deliver(alice, bob, 'before 1');
    await deliver(bob, alice, 'before 2');
    await deliver(alice, bob, 'before 3');
    // Messages still in flight when both apps close.
    const fromAlice = await alice.cipher.encrypt(bob.address, utf8('in flight from alice'));
    const fromBob = await bob.cipher.encrypt(alice.address, utf8('in flight from bob'));

    await reopen(alice);
    await reopen(bob);
    expect(await alice.cipher.hasSession(bob.address)).toBe(true);
    expect(await bob.cipher.hasSession(alice.address)).toBe(true);
    expect(await bob.cipher.decrypt(alice.address, fromAlice)).toEqual(
      utf8('in flight from alice'),
    );
    expect(await alice.cipher.decrypt(bob.address, fromBob)).toEqual(utf8('in flight from bob'));
    for (let i = 0; i < 3; i++) {
      expect(await deliver(alice, bob, `after a${i}`)).toBe('whisper');
      expect(await deliver(bob, alice, `after b${i}`)).toBe('whisper');
    }

    // And once more, with only one side reopened.
    const pending = await alice.cipher.encrypt(bob.address, utf8('across a second reopen'));
    await reopen(bob);
    expect(await bob.cipher.decrypt(alice.address, pending)).toEqual(
      utf8('across a second reopen'),
    );
    expect(await deliver(bob, alice, 'still here')).toBe('whisper');
  });

  it('encrypting or sealing to a persona without a session rejects with CORE_NO_SESSION', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await expect(alice.cipher.encrypt(bob.address, utf8('hello'))).rejects.toMatchObject({
      code: CoreErrorCode.NoSession,
    });
    const certificate = SenderCertificateIssuer.generate().issuer.issue({
      address: alice.address,
      identityKey: alice.persona.identityPublicKey,
      expiresAt: Date.now() + HOUR_MS,
    });
    await expect(alice.cipher.seal(bob.address, utf8('hello'), certificate)).rejects.toMatchObject({
      code: CoreErrorCode.NoSession,
    });
  });

  it('decrypting a whisper message without a session rejects with CORE_DECRYPT_FAILED', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const carol = await createParty('carol');
    await connect(alice, bob);
    const message = await alice.cipher.encrypt(bob.address, utf8('for bob'));
    expect(message.type).toBe('whisper');
    await expect(carol.cipher.decrypt(alice.address, message)).rejects.toSatisfy(
      coreError(CoreErrorCode.DecryptFailed),
    );
    expect(await carol.cipher.hasSession(alice.address)).toBe(false);
    expect(await carol.cipher.remoteIdentity(alice.address)).toBeUndefined();
  });
});

describe('sealed sender', () => {
  async function sealedPair(): Promise<{
    alice: Party;
    bob: Party;
    issuer: SenderCertificateIssuer;
  }> {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    return { alice, bob, issuer: SenderCertificateIssuer.generate().issuer };
  }

  function certificateFor(
    issuer: SenderCertificateIssuer,
    party: Party,
    expiresAt = Date.now() + HOUR_MS,
  ): Uint8Array {
    return issuer.issue({
      address: party.address,
      identityKey: party.persona.identityPublicKey,
      expiresAt,
    });
  }

  it('hides the sender from everyone but the recipient, who learns it from the certificate', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(
      bob.address,
      utf8('sealed hello'),
      certificateFor(issuer, alice),
    );
    const opened = await bob.cipher.unseal(sealed, issuer.trustRoot);
    expect(opened).toEqual({ senderAddress: alice.address, plaintext: utf8('sealed hello') });

    // The sealed message set up Bob's side of the session: he can answer, sealed or not.
    expect(await deliver(bob, alice, 'plain reply')).toBe('whisper');
    const sealedReply = await bob.cipher.seal(
      alice.address,
      utf8('sealed reply'),
      certificateFor(issuer, bob),
    );
    expect(await alice.cipher.unseal(sealedReply, issuer.trustRoot)).toEqual({
      senderAddress: bob.address,
      plaintext: utf8('sealed reply'),
    });
  });

  it('survives a vault reopen between sealing and unsealing', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(
      bob.address,
      utf8('later'),
      certificateFor(issuer, alice),
    );
    await reopen(alice);
    await reopen(bob);
    expect((await bob.cipher.unseal(sealed, issuer.trustRoot)).plaintext).toEqual(utf8('later'));
  });

  it('rejects a certificate from another trust root, without spoiling the message', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(bob.address, utf8('hi'), certificateFor(issuer, alice));
    const stranger = SenderCertificateIssuer.generate().issuer;
    await expect(bob.cipher.unseal(sealed, stranger.trustRoot)).rejects.toSatisfy(
      coreError(CoreErrorCode.InvalidSenderCertificate),
    );
    // The certificate is checked before the message inside is touched.
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);
    expect(await bob.cipher.remoteIdentity(alice.address)).toBeUndefined();
    expect((await bob.cipher.unseal(sealed, issuer.trustRoot)).plaintext).toEqual(utf8('hi'));
  });

  it('rejects an expired certificate with CORE_INVALID_SENDER_CERTIFICATE', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const expired = await alice.cipher.seal(
      bob.address,
      utf8('too late'),
      certificateFor(issuer, alice, Date.now() - 60_000),
    );
    await expect(bob.cipher.unseal(expired, issuer.trustRoot)).rejects.toSatisfy(
      coreError(CoreErrorCode.InvalidSenderCertificate),
    );
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);

    const valid = await alice.cipher.seal(
      bob.address,
      utf8('in time'),
      certificateFor(issuer, alice, Date.now() + 60_000),
    );
    await expect(
      bob.cipher.unseal(valid, issuer.trustRoot, Date.now() + 2 * 60_000),
    ).rejects.toSatisfy(coreError(CoreErrorCode.InvalidSenderCertificate));
    expect((await bob.cipher.unseal(valid, issuer.trustRoot)).plaintext).toEqual(utf8('in time'));
  });

  it('refuses to seal with a garbage certificate', async () => {
    const { alice, bob } = await sealedPair();
    for (const garbage of [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(200)]) {
      await expect(alice.cipher.seal(bob.address, utf8('x'), garbage)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidSenderCertificate,
      });
    }
  });

  it('refuses a trust root that is not a public key', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(bob.address, utf8('x'), certificateFor(issuer, alice));
    await expect(bob.cipher.unseal(sealed, new Uint8Array([5, 1, 2]))).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
  });

  it('rejects garbage and tampered envelopes with CORE_DECRYPT_FAILED', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(bob.address, utf8('x'), certificateFor(issuer, alice));
    for (const garbage of [new Uint8Array(0), new Uint8Array(100), flipByte(sealed, -1)]) {
      await expect(bob.cipher.unseal(garbage, issuer.trustRoot)).rejects.toSatisfy(
        coreError(CoreErrorCode.DecryptFailed),
      );
    }
    expect((await bob.cipher.unseal(sealed, issuer.trustRoot)).plaintext).toEqual(utf8('x'));
  });

  it('rejects a sealed message unsealed twice with CORE_DUPLICATE_MESSAGE', async () => {
    const { alice, bob, issuer } = await sealedPair();
    const sealed = await alice.cipher.seal(bob.address, utf8('x'), certificateFor(issuer, alice));
    await bob.cipher.unseal(sealed, issuer.trustRoot);
    await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
  });

  it('rejects a certificate that pairs an address with a key it was not derived from', async () => {
    // Addresses are derived from identity keys precisely so that nobody, the relay included, can
    // vouch for "alice" with another key. A certificate that does must not be believed.
    const { alice, bob, issuer } = await sealedPair();
    const mallory = await createParty('mallory');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await mallory.cipher.startSession(oneTimeBundle(bob.address, upload));
    const claim = { address: alice.address, identityKey: mallory.persona.identityPublicKey };
    // An honest issuer will not sign the claim; a rogue server key would, so forge it with that.
    expect(() => issuer.issue({ ...claim, expiresAt: Date.now() + HOUR_MS })).toThrow(
      expect.objectContaining({ code: CoreErrorCode.IdentityMismatch }),
    );
    const sealed = await mallory.cipher.seal(
      bob.address,
      utf8('I am alice'),
      forgeCertificate(issuer, claim),
    );
    await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidSenderCertificate,
    });
    expect(await bob.cipher.remoteIdentity(alice.address)).toBeUndefined();
    expect(await bob.cipher.remoteIdentity(mallory.address)).toBeUndefined();
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);
    expect(await bob.cipher.hasSession(mallory.address)).toBe(false);
  });

  it.each([
    ['a device other than 1', (party: Party) => ({ address: party.address, deviceId: 2 })],
    [
      'a sender that is not a persona address',
      () => ({ address: '0f1e2d3c-4b5a-4968-8776-655443322110' }),
    ],
  ])(
    'rejects a certificate naming %s with CORE_INVALID_SENDER_CERTIFICATE',
    async (_label, claimFor) => {
      const { bob, issuer } = await sealedPair();
      const mallory = await createParty('mallory');
      const upload = await bob.cipher.generatePreKeys({
        oneTimePreKeys: 1,
        oneTimeKyberPreKeys: 1,
      });
      await mallory.cipher.startSession(oneTimeBundle(bob.address, upload));
      const forged = forgeCertificate(issuer, {
        identityKey: mallory.persona.identityPublicKey,
        ...claimFor(mallory),
      });
      const sealed = await mallory.cipher.seal(bob.address, utf8('x'), forged);
      await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidSenderCertificate,
      });
      expect(await bob.cipher.hasSession(mallory.address)).toBe(false);
      // The same envelope with an honest certificate opens.
      const honest = await mallory.cipher.seal(
        bob.address,
        utf8('x'),
        certificateFor(issuer, mallory),
      );
      expect(await bob.cipher.unseal(honest, issuer.trustRoot)).toEqual({
        senderAddress: mallory.address,
        plaintext: utf8('x'),
      });
    },
  );

  it('rejects another persona’s genuine certificate with CORE_DECRYPT_FAILED', async () => {
    // Mallory got hold of Alice's certificate, but the envelope is sealed with Mallory's identity
    // key, which libsignal checks against the key in the certificate.
    const { alice, bob, issuer } = await sealedPair();
    const mallory = await createParty('mallory');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await mallory.cipher.startSession(oneTimeBundle(bob.address, upload));
    const sealed = await mallory.cipher.seal(
      bob.address,
      utf8('I am alice'),
      certificateFor(issuer, alice),
    );
    await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toMatchObject({
      code: CoreErrorCode.DecryptFailed,
    });
    expect(await bob.cipher.remoteIdentity(alice.address)).toBeUndefined();
    expect(await bob.cipher.remoteIdentity(mallory.address)).toBeUndefined();
  });

  it('rejects a sealed prekey message whose identity key does not derive the certified sender', async () => {
    // Mallory's envelope and certificate are genuine, but the session inside was set up with
    // another identity key: Bob must not pin that key to Mallory's address.
    const { bob, issuer } = await sealedPair();
    const mallory = Persona.generate('mallory');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    const inner = await forgeCiphertext(
      Persona.generate('zed'),
      mallory.address,
      oneTimeBundle(bob.address, upload),
      utf8('x'),
    );
    const certificate = issuer.issue({
      address: mallory.address,
      identityKey: mallory.identityPublicKey,
      expiresAt: Date.now() + HOUR_MS,
    });
    // Sealing needs only Mallory's identity key and Bob's.
    const sealer = createPersonaStores(new MemoryKeyValueStore(), mallory).identities;
    const bobAddress = ProtocolAddress.new(bob.address, PERSONA_DEVICE_ID);
    await sealer.saveIdentity(bobAddress, PublicKey.deserialize(ownedBytes(upload.identityKey)));
    const sealed = await sealedSenderEncrypt(
      UnidentifiedSenderMessageContent.new(
        inner,
        SenderCertificate.deserialize(ownedBytes(certificate)),
        ContentHint.Default,
        null,
      ),
      bobAddress,
      sealer,
    );
    await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toMatchObject({
      code: CoreErrorCode.IdentityMismatch,
    });
    expect(await bob.cipher.remoteIdentity(mallory.address)).toBeUndefined();
    expect(await bob.cipher.hasSession(mallory.address)).toBe(false);
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 2, kyberPreKeys: 2 });
  });
});

describe('sender keys', () => {
  it('let each of three members send once to the whole group', async () => {
    const members = [
      await createParty('alice'),
      await createParty('bob'),
      await createParty('carol'),
    ];
    for (const sender of members) {
      const distribution = await sender.cipher.createSenderKeyDistribution(GROUP);
      for (const member of members) {
        if (member !== sender) {
          await member.cipher.processSenderKeyDistribution(sender.address, distribution);
        }
      }
    }
    for (const sender of members) {
      for (let i = 0; i < 3; i++) {
        const text = `${sender.name} to the group, ${i}`;
        const ciphertext = await sender.cipher.groupEncrypt(GROUP, utf8(text));
        for (const member of members) {
          if (member !== sender) {
            expect(await member.cipher.groupDecrypt(sender.address, ciphertext)).toEqual(
              utf8(text),
            );
          }
        }
      }
    }
  });

  it('decrypt out of order and across a vault reopen', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await bob.cipher.processSenderKeyDistribution(
      alice.address,
      await alice.cipher.createSenderKeyDistribution(GROUP),
    );
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 4; i++)
      messages.push(await alice.cipher.groupEncrypt(GROUP, utf8(`m${i}`)));
    expect(await bob.cipher.groupDecrypt(alice.address, at(messages, 3))).toEqual(utf8('m3'));
    await reopen(alice);
    await reopen(bob);
    expect(await bob.cipher.groupDecrypt(alice.address, at(messages, 0))).toEqual(utf8('m0'));
    expect(await bob.cipher.groupDecrypt(alice.address, at(messages, 2))).toEqual(utf8('m2'));
    expect(await bob.cipher.groupDecrypt(alice.address, at(messages, 1))).toEqual(utf8('m1'));
    const after = await alice.cipher.groupEncrypt(GROUP, utf8('after reopen'));
    expect(await bob.cipher.groupDecrypt(alice.address, after)).toEqual(utf8('after reopen'));
  });

  it('rotateSenderKey starts a chain that a removed member cannot read', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const carol = await createParty('carol');
    const dave = await createParty('dave');
    const first = await alice.cipher.createSenderKeyDistribution(GROUP);
    for (const member of [bob, carol, dave]) {
      await member.cipher.processSenderKeyDistribution(alice.address, first);
    }
    const beforeRotation = await alice.cipher.groupEncrypt(GROUP, utf8('before'));

    // Dave leaves: the new key goes only to Bob and Carol.
    await alice.cipher.rotateSenderKey(GROUP);
    const second = await alice.cipher.createSenderKeyDistribution(GROUP);
    expect(second).not.toEqual(first);
    for (const member of [bob, carol]) {
      await member.cipher.processSenderKeyDistribution(alice.address, second);
    }
    const afterRotation = await alice.cipher.groupEncrypt(GROUP, utf8('after'));

    for (const member of [bob, carol]) {
      expect(await member.cipher.groupDecrypt(alice.address, afterRotation)).toEqual(utf8('after'));
      // A message from the old chain, delivered late, still opens for those who remain.
      expect(await member.cipher.groupDecrypt(alice.address, beforeRotation)).toEqual(
        utf8('before'),
      );
    }
    expect(await dave.cipher.groupDecrypt(alice.address, beforeRotation)).toEqual(utf8('before'));
    // Dave still holds Alice's old chain for the group, just not the new one.
    await expect(dave.cipher.groupDecrypt(alice.address, afterRotation)).rejects.toSatisfy(
      coreError(CoreErrorCode.DecryptFailed),
    );
  });

  it('rejects a group message decrypted twice with CORE_DUPLICATE_MESSAGE', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await bob.cipher.processSenderKeyDistribution(
      alice.address,
      await alice.cipher.createSenderKeyDistribution(GROUP),
    );
    const ciphertext = await alice.cipher.groupEncrypt(GROUP, utf8('once'));
    await bob.cipher.groupDecrypt(alice.address, ciphertext);
    await expect(bob.cipher.groupDecrypt(alice.address, ciphertext)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
  });

  it('a member without the distribution gets CORE_NO_SENDER_KEY, garbage CORE_DECRYPT_FAILED', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const carol = await createParty('carol');
    const distribution = await alice.cipher.createSenderKeyDistribution(GROUP);
    await bob.cipher.processSenderKeyDistribution(alice.address, distribution);
    const ciphertext = await alice.cipher.groupEncrypt(GROUP, utf8('x'));

    await expect(carol.cipher.groupDecrypt(alice.address, ciphertext)).rejects.toSatisfy(
      coreError(CoreErrorCode.NoSenderKey),
    );
    // Bob holds Alice's key, not Carol's: a message claimed to be from Carol does not open.
    await expect(bob.cipher.groupDecrypt(carol.address, ciphertext)).rejects.toSatisfy(
      coreError(CoreErrorCode.NoSenderKey),
    );
    for (const garbage of [new Uint8Array(0), new Uint8Array(64), flipByte(ciphertext, -1)]) {
      await expect(bob.cipher.groupDecrypt(alice.address, garbage)).rejects.toSatisfy(
        coreError(CoreErrorCode.DecryptFailed),
      );
      await expect(
        carol.cipher.processSenderKeyDistribution(alice.address, garbage),
      ).rejects.toSatisfy(coreError(CoreErrorCode.DecryptFailed));
    }
    expect(await bob.cipher.groupDecrypt(alice.address, ciphertext)).toEqual(utf8('x'));
  });

  it('groupEncrypt before any distribution was created rejects with CORE_NO_SENDER_KEY', async () => {
    const alice = await createParty('alice');
    await expect(alice.cipher.groupEncrypt(GROUP, utf8('x'))).rejects.toMatchObject({
      code: CoreErrorCode.NoSenderKey,
    });
  });

  it.each([
    ['an upper-case UUID', GROUP.toUpperCase()],
    ['not a UUID', 'my-group'],
    ['empty', ''],
    ['a UUID with a path in it', `${GROUP}/x`],
  ])('refuses a distribution id that is %s with CORE_INVALID_INPUT', async (_label, id) => {
    const alice = await createParty('alice');
    await expect(alice.cipher.createSenderKeyDistribution(id)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    await expect(alice.cipher.groupEncrypt(id, utf8('x'))).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    await expect(alice.cipher.rotateSenderKey(id)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
  });
});

describe('safety numbers', () => {
  it('are 60 digits and the same from both sides', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const fromAlice = await alice.cipher.safetyNumber(bob.address);
    const fromBob = await bob.cipher.safetyNumber(alice.address);
    expect(fromAlice.digits).toMatch(/^[0-9]{60}$/);
    expect(fromBob.digits).toBe(fromAlice.digits);
    expect(fromAlice.scannable.length).toBeGreaterThan(0);
    expect(
      safetyNumberFor(
        alice.address,
        alice.persona.identityPublicKey,
        bob.address,
        bob.persona.identityPublicKey,
      ).digits,
    ).toBe(fromAlice.digits);
  });

  it('differ for a different pair', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const carol = await createParty('carol');
    await connect(alice, bob);
    await connect(alice, carol);
    await connect(bob, carol);
    const aliceBob = (await alice.cipher.safetyNumber(bob.address)).digits;
    const aliceCarol = (await alice.cipher.safetyNumber(carol.address)).digits;
    const bobCarol = (await bob.cipher.safetyNumber(carol.address)).digits;
    expect(new Set([aliceBob, aliceCarol, bobCarol]).size).toBe(3);
  });

  it('need a known identity', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await expect(alice.cipher.safetyNumber(bob.address)).rejects.toMatchObject({
      code: CoreErrorCode.NoSession,
    });
  });

  it('safetyNumberFor refuses keys that are not public keys', () => {
    const alice = Persona.generate('alice');
    const bob = Persona.generate('bob');
    expect(() =>
      safetyNumberFor(alice.address, new Uint8Array([1, 2, 3]), bob.address, bob.identityPublicKey),
    ).toThrow(expect.objectContaining({ code: CoreErrorCode.InvalidInput }));
  });
});

describe('identity', () => {
  it('rejects a bundle for one address built from another persona’s keys', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const mallory = await createParty('mallory');
    const upload = await mallory.cipher.generatePreKeys({
      oneTimePreKeys: 1,
      oneTimeKyberPreKeys: 1,
    });
    await expect(
      alice.cipher.startSession(oneTimeBundle(bob.address, upload)),
    ).rejects.toMatchObject({ code: CoreErrorCode.InvalidPreKeyBundle });
    expect(await alice.cipher.hasSession(bob.address)).toBe(false);
    expect(await alice.cipher.remoteIdentity(bob.address)).toBeUndefined();
  });

  it('refuses another key for a known persona, both ways, and keeps the pinned one', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const mallory = await createParty('mallory');
    await connect(alice, bob);
    const before = (await alice.cipher.safetyNumber(bob.address)).digits;

    const bobAddress = ProtocolAddress.new(bob.address, PERSONA_DEVICE_ID);
    const otherKey = IdentityKeyPair.generate().publicKey;
    await expect(
      alice.cipher.stores.identities.saveIdentity(bobAddress, otherKey),
    ).rejects.toMatchObject({ code: CoreErrorCode.IdentityMismatch });
    for (const direction of [Direction.Sending, Direction.Receiving]) {
      await expect(
        alice.cipher.stores.identities.isTrustedIdentity(bobAddress, otherKey, direction),
      ).rejects.toMatchObject({ code: CoreErrorCode.IdentityMismatch });
    }
    // Nor can a bundle for Bob's address bring in another key.
    const upload = await mallory.cipher.generatePreKeys({
      oneTimePreKeys: 1,
      oneTimeKyberPreKeys: 1,
    });
    await expect(
      alice.cipher.startSession(oneTimeBundle(bob.address, upload)),
    ).rejects.toMatchObject({ code: CoreErrorCode.InvalidPreKeyBundle });

    // Nothing changed, on disk either, and the conversation goes on.
    await reopen(alice);
    expect(await alice.cipher.remoteIdentity(bob.address)).toEqual({
      address: bob.address,
      identityKey: bob.persona.identityPublicKey,
      verified: false,
    });
    expect((await alice.cipher.safetyNumber(bob.address)).digits).toBe(before);
    expect(await deliver(alice, bob, 'still bob')).toBe('whisper');
    expect(await deliver(bob, alice, 'still alice')).toBe('whisper');
  });

  it('records verification', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    expect((await alice.cipher.remoteIdentity(bob.address))?.verified).toBe(false);
    await alice.cipher.setVerified(bob.address, true);
    await reopen(alice);
    expect(await alice.cipher.remoteIdentity(bob.address)).toEqual({
      address: bob.address,
      identityKey: bob.persona.identityPublicKey,
      verified: true,
    });
    await alice.cipher.setVerified(bob.address, false);
    expect((await alice.cipher.remoteIdentity(bob.address))?.verified).toBe(false);
  });

  it('refuses to verify an identity it has never seen', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await expect(alice.cipher.setVerified(bob.address, true)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    expect(await alice.cipher.remoteIdentity(bob.address)).toBeUndefined();
  });

  it('does not take another persona’s message as Alice’s (CORE_IDENTITY_MISMATCH)', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const mallory = await createParty('mallory');
    await connect(alice, bob);
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await mallory.cipher.startSession(oneTimeBundle(bob.address, upload));
    const message = await mallory.cipher.encrypt(bob.address, utf8('I am alice'));
    expect(message.type).toBe('prekey');
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toSatisfy(
      coreError(CoreErrorCode.IdentityMismatch),
    );
    expect((await bob.cipher.remoteIdentity(alice.address))?.identityKey).toEqual(
      alice.persona.identityPublicKey,
    );
    expect(await deliver(alice, bob, 'the real alice')).toBe('whisper');
  });

  it('rejects a prekey message whose identity key does not derive the sender address', async () => {
    // Mallory drives libsignal herself, naming herself "alice" but holding her own key. Bob has
    // never heard from Alice, so trust on first use would pin Mallory's key to Alice's address.
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const mallory = Persona.generate('mallory');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    const forged = await forgePreKeyMessage(
      mallory,
      alice.address,
      oneTimeBundle(bob.address, upload),
      utf8('I am alice'),
    );
    await expect(bob.cipher.decrypt(alice.address, forged)).rejects.toSatisfy(
      coreError(CoreErrorCode.IdentityMismatch),
    );
    // Nothing was stored: no identity, no session, and the one-time keys are still there.
    expect(await bob.cipher.remoteIdentity(alice.address)).toBeUndefined();
    expect(await bob.cipher.remoteIdentity(mallory.address)).toBeUndefined();
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);
    expect(await bob.cipher.remainingOneTimePreKeys()).toEqual({ preKeys: 1, kyberPreKeys: 1 });
    // So the real Alice can still use them.
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    expect(await deliver(alice, bob, 'the real alice')).toBe('prekey');
    expect((await bob.cipher.remoteIdentity(alice.address))?.identityKey).toEqual(
      alice.persona.identityPublicKey,
    );
  });
});

describe('malformed bundles', () => {
  const truncated = (bytes: Uint8Array): Uint8Array => bytes.slice(0, bytes.length - 1);
  const mutations: [string, (bundle: PreKeyBundleData) => PreKeyBundleData][] = [
    ['a truncated identity key', (b) => ({ ...b, identityKey: truncated(b.identityKey) })],
    ['an address that is not a persona address', (b) => ({ ...b, address: 'bob' })],
    ['an upper-case address', (b) => ({ ...b, address: b.address.toUpperCase() })],
    [
      'a truncated signed prekey',
      (b) => ({
        ...b,
        signedPreKey: { ...b.signedPreKey, publicKey: truncated(b.signedPreKey.publicKey) },
      }),
    ],
    [
      'a flipped byte in the signed prekey signature',
      (b) => ({
        ...b,
        signedPreKey: { ...b.signedPreKey, signature: flipByte(b.signedPreKey.signature, 5) },
      }),
    ],
    [
      'an empty signed prekey signature',
      (b) => ({ ...b, signedPreKey: { ...b.signedPreKey, signature: new Uint8Array(0) } }),
    ],
    [
      'a signed prekey signed by another key',
      (b) => ({
        ...b,
        signedPreKey: {
          ...b.signedPreKey,
          signature: PrivateKey.generate().sign(ownedBytes(b.signedPreKey.publicKey)),
        },
      }),
    ],
    [
      'a flipped byte in the Kyber signature',
      (b) => ({
        ...b,
        kyberPreKey: { ...b.kyberPreKey, signature: flipByte(b.kyberPreKey.signature, 7) },
      }),
    ],
    [
      'a truncated Kyber key',
      (b) => ({
        ...b,
        kyberPreKey: { ...b.kyberPreKey, publicKey: truncated(b.kyberPreKey.publicKey) },
      }),
    ],
    [
      'a flipped byte in the Kyber key',
      (b) => ({
        ...b,
        kyberPreKey: { ...b.kyberPreKey, publicKey: flipByte(b.kyberPreKey.publicKey, 100) },
      }),
    ],
    [
      'a truncated one-time EC prekey',
      (b) =>
        b.preKey === undefined
          ? b
          : { ...b, preKey: { ...b.preKey, publicKey: truncated(b.preKey.publicKey) } },
    ],
    [
      'a one-time EC prekey of the wrong type',
      (b) =>
        b.preKey === undefined
          ? b
          : { ...b, preKey: { ...b.preKey, publicKey: flipByte(b.preKey.publicKey, 0) } },
    ],
  ];

  it.each(mutations)(
    'rejects %s with CORE_INVALID_PREKEY_BUNDLE and starts no session',
    async (_label, mutate) => {
      const alice = await createParty('alice');
      const bob = await createParty('bob');
      const upload = await bob.cipher.generatePreKeys({
        oneTimePreKeys: 1,
        oneTimeKyberPreKeys: 1,
      });
      await expect(
        alice.cipher.startSession(mutate(oneTimeBundle(bob.address, upload))),
      ).rejects.toMatchObject({ code: CoreErrorCode.InvalidPreKeyBundle });
      expect(await alice.cipher.hasSession(bob.address)).toBe(false);
      // The genuine bundle still works afterwards.
      await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
      expect(await deliver(alice, bob, 'after a bad bundle')).toBe('prekey');
    },
  );
});

describe('replays and garbage', () => {
  it('rejects a whisper message decrypted twice with CORE_DUPLICATE_MESSAGE', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const message = await alice.cipher.encrypt(bob.address, utf8('once'));
    expect(message.type).toBe('whisper');
    await bob.cipher.decrypt(alice.address, message);
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
    // Also after a reopen, and the conversation is unharmed.
    await reopen(bob);
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
    expect(await deliver(alice, bob, 'next')).toBe('whisper');
    expect(await deliver(bob, alice, 'reply')).toBe('whisper');
  });

  it('rejects a prekey message decrypted twice with CORE_DUPLICATE_MESSAGE', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    const message = await alice.cipher.encrypt(bob.address, utf8('once'));
    await bob.cipher.decrypt(alice.address, message);
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
    // Even after the session has moved on.
    await deliver(bob, alice, 'reply');
    await deliver(alice, bob, 'more');
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
  });

  it('rejects a replayed last-resort prekey message even once the session is gone', async () => {
    // The last-resort Kyber key stays, so only the store's record of (signed prekey, base key)
    // pairs stops a session-starting message from being replayed after Bob's session is lost.
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 });
    await alice.cipher.startSession(bundleFrom(bob.address, upload));
    const message = await alice.cipher.encrypt(bob.address, utf8('once'));
    await bob.cipher.decrypt(alice.address, message);
    await new PersonaDirectory(bob.vault).dataFor(bob.address).deleteTree('sessions');
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toMatchObject({
      code: CoreErrorCode.DuplicateMessage,
    });
  });

  it('rejects a replayed one-time prekey message once the session is gone', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    const message = await alice.cipher.encrypt(bob.address, utf8('once'));
    await bob.cipher.decrypt(alice.address, message);
    await new PersonaDirectory(bob.vault).dataFor(bob.address).deleteTree('sessions');
    // The one-time keys it used are gone: the store reports an unknown key.
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toSatisfy(
      coreError(CoreErrorCode.DecryptFailed),
    );
    expect(await bob.cipher.hasSession(alice.address)).toBe(false);
  });

  it('rejects a tampered message with CORE_DECRYPT_FAILED without spoiling the genuine one', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const message = await alice.cipher.encrypt(bob.address, utf8('genuine'));
    for (const index of [-1, -9, 10, 1]) {
      await expect(
        bob.cipher.decrypt(alice.address, { ...message, body: flipByte(message.body, index) }),
      ).rejects.toSatisfy(coreError(CoreErrorCode.DecryptFailed));
    }
    expect(await bob.cipher.decrypt(alice.address, message)).toEqual(utf8('genuine'));
  });

  it('rejects a whisper message presented as a prekey message and vice versa', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
    await alice.cipher.startSession(oneTimeBundle(bob.address, upload));
    const prekey = await alice.cipher.encrypt(bob.address, utf8('p'));
    await expect(
      bob.cipher.decrypt(alice.address, { type: 'whisper', body: prekey.body }),
    ).rejects.toSatisfy(coreError(CoreErrorCode.DecryptFailed));
    expect(await bob.cipher.decrypt(alice.address, prekey)).toEqual(utf8('p'));
    const whisper = await bob.cipher.encrypt(alice.address, utf8('w'));
    await expect(
      alice.cipher.decrypt(bob.address, { type: 'prekey', body: whisper.body }),
    ).rejects.toSatisfy(coreError(CoreErrorCode.DecryptFailed));
    expect(await alice.cipher.decrypt(bob.address, whisper)).toEqual(utf8('w'));
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['zeros', new Uint8Array(64)],
    ['a version byte and nothing else', new Uint8Array([0x44])],
    ['random-looking bytes', Uint8Array.from({ length: 300 }, (_, i) => (i * 167 + 13) & 0xff)],
  ])('rejects %s as a message with CORE_DECRYPT_FAILED', async (_label, body) => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    for (const type of ['prekey', 'whisper'] as const) {
      await expect(bob.cipher.decrypt(alice.address, { type, body })).rejects.toSatisfy(
        coreError(CoreErrorCode.DecryptFailed),
      );
    }
    expect(await deliver(alice, bob, 'still fine')).toBe('whisper');
  });

  it('rejects an unknown message type with CORE_INVALID_INPUT', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const message = await alice.cipher.encrypt(bob.address, utf8('x'));
    const unknown = { type: 'sealed', body: message.body } as unknown as EncryptedMessage;
    await expect(bob.cipher.decrypt(alice.address, unknown)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
  });
});

describe('store failures', () => {
  it('are reported with the store’s own code, even from inside libsignal', async () => {
    const alice = await createParty('alice');
    const bob = await createParty('bob');
    await connect(alice, bob);
    const issuer = SenderCertificateIssuer.generate().issuer;
    const message = await alice.cipher.encrypt(bob.address, utf8('while locked'));
    const sealed = await alice.cipher.seal(
      bob.address,
      utf8('sealed while locked'),
      issuer.issue({
        address: alice.address,
        identityKey: alice.persona.identityPublicKey,
        expiresAt: Date.now() + HOUR_MS,
      }),
    );
    await bob.cipher.processSenderKeyDistribution(
      alice.address,
      await alice.cipher.createSenderKeyDistribution(GROUP),
    );
    const group = await alice.cipher.groupEncrypt(GROUP, utf8('group while locked'));

    // libsignal reads Bob's session, prekeys and sender keys through store callbacks; the vault
    // refuses each, and the caller learns why instead of a generic "decrypt failed".
    await bob.vault.lock();
    const locked = coreError(CoreErrorCode.VaultLocked);
    await expect(bob.cipher.decrypt(alice.address, message)).rejects.toSatisfy(locked);
    await expect(bob.cipher.unseal(sealed, issuer.trustRoot)).rejects.toSatisfy(locked);
    await expect(bob.cipher.groupDecrypt(alice.address, group)).rejects.toSatisfy(locked);
    await expect(bob.cipher.encrypt(alice.address, utf8('x'))).rejects.toSatisfy(locked);

    // Nothing was consumed, and a later failure is reported with its own code, not the old one.
    await reopen(bob);
    await expect(
      bob.cipher.decrypt(alice.address, { ...message, body: flipByte(message.body, -1) }),
    ).rejects.toSatisfy(coreError(CoreErrorCode.DecryptFailed));
    expect(await bob.cipher.decrypt(alice.address, message)).toEqual(utf8('while locked'));
    expect((await bob.cipher.unseal(sealed, issuer.trustRoot)).plaintext).toEqual(
      utf8('sealed while locked'),
    );
    expect(await bob.cipher.groupDecrypt(alice.address, group)).toEqual(utf8('group while locked'));
  });
});

describe('invalid addresses', () => {
  const valid = Persona.generate('someone').address;
  const badAddresses: [string, string][] = [
    ['empty', ''],
    ['a pseudonym', 'bob'],
    ['upper case', valid.toUpperCase()],
    ['a version-4 UUID', '0f1e2d3c-4b5a-4968-8776-655443322110'],
    ['padded with a space', ` ${valid}`],
    ['with a device suffix', `${valid}.1`],
  ];

  /** How `call` fails: a CoreError code, or how it misbehaved instead of rejecting. */
  async function outcome(call: () => Promise<unknown>): Promise<string> {
    let promise: Promise<unknown>;
    try {
      promise = call();
    } catch (error) {
      // A promise-returning method should reject, not throw: callers chain .catch() on it.
      return `threw synchronously (${CoreError.is(error) ? error.code : 'not a CoreError'})`;
    }
    try {
      await promise;
      return 'resolved';
    } catch (error) {
      return CoreError.is(error) ? error.code : 'rejected with something else than a CoreError';
    }
  }

  it.each(badAddresses)('are refused with CORE_INVALID_INPUT (%s)', async (_label, address) => {
    const alice = await createParty('alice');
    const issuer = SenderCertificateIssuer.generate().issuer;
    const certificate = issuer.issue({
      address: alice.address,
      identityKey: alice.persona.identityPublicKey,
      expiresAt: Date.now() + HOUR_MS,
    });
    const calls: [string, () => Promise<unknown>][] = [
      ['encrypt', () => alice.cipher.encrypt(address, utf8('x'))],
      [
        'decrypt',
        () => alice.cipher.decrypt(address, { type: 'whisper', body: new Uint8Array(60) }),
      ],
      ['seal', () => alice.cipher.seal(address, utf8('x'), certificate)],
      ['hasSession', () => alice.cipher.hasSession(address)],
      [
        'processSenderKeyDistribution',
        () => alice.cipher.processSenderKeyDistribution(address, new Uint8Array(60)),
      ],
      ['groupDecrypt', () => alice.cipher.groupDecrypt(address, new Uint8Array(60))],
      ['safetyNumber', () => alice.cipher.safetyNumber(address)],
      ['remoteIdentity', () => alice.cipher.remoteIdentity(address)],
      ['setVerified', () => alice.cipher.setVerified(address, true)],
    ];
    const codes: Record<string, string> = {};
    for (const [name, call] of calls) codes[name] = await outcome(call);
    expect(codes).toEqual(
      Object.fromEntries(calls.map(([name]) => [name, CoreErrorCode.InvalidInput])),
    );
  });

  it('are refused by remoteIdentity through a rejected promise, not a synchronous throw', async () => {
    const alice = await createParty('alice');
    expect(await outcome(() => alice.cipher.remoteIdentity('bob'))).toBe(
      CoreErrorCode.InvalidInput,
    );
  });

  it.each(badAddresses)(
    'in a bundle are refused with CORE_INVALID_PREKEY_BUNDLE (%s)',
    async (_label, address) => {
      const alice = await createParty('alice');
      const bob = await createParty('bob');
      const upload = await bob.cipher.generatePreKeys({
        oneTimePreKeys: 0,
        oneTimeKyberPreKeys: 0,
      });
      await expect(alice.cipher.startSession(bundleFrom(address, upload))).rejects.toMatchObject({
        code: CoreErrorCode.InvalidPreKeyBundle,
      });
    },
  );
});
