/**
 * The parties and timed workloads the crypto suite and the profiler share: the same operation,
 * once through Kindred's PersonaCipher and once through raw libsignal over bench/rawStores.ts.
 * Which store sits under a Kindred party (the Vault, or memory) is the caller's choice.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  CiphertextMessageType,
  IdentityKeyPair,
  KEMKeyPair,
  KEMPublicKey,
  KyberPreKeyRecord,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SenderCertificate,
  SenderKeyDistributionMessage,
  SignalMessage,
  SignedPreKeyRecord,
  groupDecrypt,
  groupEncrypt,
  processPreKeyBundle,
  processSenderKeyDistributionMessage,
  sealedSenderDecryptMessage,
  sealedSenderEncryptMessage,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import {
  PERSONA_DEVICE_ID,
  PersonaCipher,
  bytesEqual,
  ownedBytes,
  personaAddressFor,
  utf8,
} from '../core/index.js';
import type {
  KeyValueStore,
  Persona,
  PreKeyBundleData,
  SenderCertificateIssuer,
} from '../core/index.js';
import type { PreparedRun, ThroughputSide } from './measure.js';
import { createRawStores } from './rawStores.js';
import type { RawStores } from './rawStores.js';

/** Every message in every workload: 140 bytes of text (Kindred pads it to 160; raw sends it as
 * is). */
export const PAYLOAD = utf8(
  'Had my infusion today and the new nurse was kind. Tired, but the fog lifted by evening. ' +
    'Anyone else find the second week after a dose the hardest?',
).slice(0, 140);

export const PASSPHRASE = 'correct horse battery staple';

const CERTIFICATE_LIFETIME_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Parties

export interface KindredParty {
  readonly persona: Persona;
  readonly cipher: PersonaCipher;
  /** The store under the cipher, to flush at the end of a timed run. */
  readonly store: KeyValueStore;
  /** Serialized sender certificate, as the relay hands it out. */
  readonly certificate: Uint8Array;
}

export function kindredParty(
  persona: Persona,
  store: KeyValueStore,
  issuer: SenderCertificateIssuer,
): KindredParty {
  return {
    persona,
    cipher: new PersonaCipher(persona, store),
    store,
    certificate: issuer.issue({
      address: persona.address,
      identityKey: persona.identityPublicKey,
      expiresAt: Date.now() + CERTIFICATE_LIFETIME_MS,
    }),
  };
}

/** Bob publishes prekeys, Alice starts a session from his bundle, and one message each way
 * turns the prekey session into an ordinary one on both ends. */
export async function connectKindred(alice: KindredParty, bob: KindredParty): Promise<void> {
  const upload = await bob.cipher.generatePreKeys({ oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 });
  await alice.cipher.startSession({
    address: bob.persona.address,
    registrationId: upload.registrationId,
    identityKey: upload.identityKey,
    signedPreKey: upload.signedPreKey,
    kyberPreKey: at(upload.oneTimeKyberPreKeys, 0),
    preKey: at(upload.oneTimePreKeys, 0),
  });
  await kindredMessage(alice, bob);
  await kindredMessage(bob, alice);
}

export interface RawParty {
  readonly address: string;
  readonly protocolAddress: ProtocolAddress;
  readonly identity: IdentityKeyPair;
  readonly registrationId: number;
  readonly stores: RawStores;
  readonly certificate: SenderCertificate;
}

/** A raw libsignal party whose address is derived from its key as a persona's is (sealed sender
 * wants a UUID), with a sender certificate from `issuer`. */
export function createRawParty(issuer: SenderCertificateIssuer): RawParty {
  const identity = IdentityKeyPair.generate();
  const address = personaAddressFor(identity.publicKey.serialize());
  const registrationId = randomInt(1, 16381);
  const certificate = issuer.issue({
    address,
    identityKey: identity.publicKey.serialize(),
    expiresAt: Date.now() + CERTIFICATE_LIFETIME_MS,
  });
  return {
    address,
    protocolAddress: ProtocolAddress.new(address, PERSONA_DEVICE_ID),
    identity,
    registrationId,
    stores: createRawStores(identity, registrationId),
    certificate: SenderCertificate.deserialize(ownedBytes(certificate)),
  };
}

export async function connectRaw(alice: RawParty, bob: RawParty): Promise<void> {
  const now = Date.now();
  const signed = PrivateKey.generate();
  const signedSignature = bob.identity.privateKey.sign(signed.getPublicKey().serialize());
  await bob.stores.signedPreKeys.saveSignedPreKey(
    1,
    SignedPreKeyRecord.new(1, now, signed.getPublicKey(), signed, signedSignature),
  );
  const kyber = KEMKeyPair.generate();
  const kyberSignature = bob.identity.privateKey.sign(kyber.getPublicKey().serialize());
  await bob.stores.kyberPreKeys.saveKyberPreKey(
    2,
    KyberPreKeyRecord.new(2, now, kyber, kyberSignature),
  );
  const preKey = PrivateKey.generate();
  await bob.stores.preKeys.savePreKey(3, PreKeyRecord.new(3, preKey.getPublicKey(), preKey));
  const bundle = PreKeyBundle.new(
    bob.registrationId,
    PERSONA_DEVICE_ID,
    3,
    preKey.getPublicKey(),
    1,
    signed.getPublicKey(),
    signedSignature,
    bob.identity.publicKey,
    2,
    kyber.getPublicKey(),
    kyberSignature,
  );
  await processPreKeyBundle(
    bundle,
    bob.protocolAddress,
    alice.protocolAddress,
    alice.stores.sessions,
    alice.stores.identities,
  );
  await rawMessage(alice, bob);
  await rawMessage(bob, alice);
}

// ---------------------------------------------------------------------------------------------
// One 1:1 message, each way of sending it

/** One message through PersonaCipher: encrypted by `from`, decrypted by `to`. */
export async function kindredMessage(from: KindredParty, to: KindredParty): Promise<Uint8Array> {
  return to.cipher.decrypt(
    from.persona.address,
    await from.cipher.encrypt(to.persona.address, PAYLOAD),
  );
}

/** One message through raw libsignal, via its wire form as any transport would carry it. */
export async function rawMessage(from: RawParty, to: RawParty): Promise<Uint8Array> {
  const message = await signalEncrypt(
    PAYLOAD,
    to.protocolAddress,
    from.protocolAddress,
    from.stores.sessions,
    from.stores.identities,
  );
  const wire = message.serialize();
  return message.type() === (CiphertextMessageType.PreKey as number)
    ? signalDecryptPreKey(
        PreKeySignalMessage.deserialize(wire),
        from.protocolAddress,
        to.protocolAddress,
        to.stores.sessions,
        to.stores.identities,
        to.stores.preKeys,
        to.stores.signedPreKeys,
        to.stores.kyberPreKeys,
      )
    : signalDecrypt(
        SignalMessage.deserialize(wire),
        from.protocolAddress,
        to.protocolAddress,
        to.stores.sessions,
        to.stores.identities,
      );
}

export function kindredSealedMessage(
  trustRoot: Uint8Array,
): (from: KindredParty, to: KindredParty) => Promise<Uint8Array> {
  return async (from, to) => {
    const sealed = await from.cipher.seal(to.persona.address, PAYLOAD, from.certificate);
    const opened = await to.cipher.unseal(sealed, trustRoot);
    if (opened.senderAddress !== from.persona.address) throw new Error('wrong sender');
    return opened.plaintext;
  };
}

export function rawSealedMessage(
  trustRoot: Uint8Array,
): (from: RawParty, to: RawParty) => Promise<Uint8Array> {
  const root = PublicKey.deserialize(ownedBytes(trustRoot));
  return async (from, to) => {
    const sealed = await sealedSenderEncryptMessage(
      PAYLOAD,
      to.protocolAddress,
      from.certificate,
      from.stores.sessions,
      from.stores.identities,
    );
    const opened = await sealedSenderDecryptMessage(
      sealed,
      root,
      Date.now(),
      null,
      to.address,
      PERSONA_DEVICE_ID,
      to.stores.sessions,
      to.stores.identities,
      to.stores.preKeys,
      to.stores.signedPreKeys,
      to.stores.kyberPreKeys,
    );
    if (opened.senderUuid() !== from.address) throw new Error('wrong sender');
    return opened.message();
  };
}

/**
 * A conversation: directions alternate (Alice, Bob, Alice …), carried on across runs, so every
 * message starts a new DH ratchet step, as in a real back-and-forth. One operation is one message
 * encrypted by its sender and decrypted by its recipient.
 */
export function pingPong<P>(
  alice: P,
  bob: P,
  exchange: (from: P, to: P) => Promise<Uint8Array>,
  finish?: () => Promise<void>,
): ThroughputSide {
  let turn = 0;
  return messageSide((): Promise<Uint8Array> => {
    const aliceSends = turn++ % 2 === 0;
    return exchange(aliceSends ? alice : bob, aliceSends ? bob : alice);
  }, finish);
}

/** A burst one way: every message moves the same symmetric chain on, no DH ratchet step. */
export function oneWay<P>(
  from: P,
  to: P,
  exchange: (from: P, to: P) => Promise<Uint8Array>,
  finish?: () => Promise<void>,
): ThroughputSide {
  return messageSide(() => exchange(from, to), finish);
}

/** Flushes both parties' stores: the `finish` of a Kindred message workload. */
export function flushBoth(alice: KindredParty, bob: KindredParty): () => Promise<void> {
  return async () => {
    await Promise.all([alice.store.flush(), bob.store.flush()]);
  };
}

function messageSide(
  send: () => Promise<Uint8Array>,
  finish: (() => Promise<void>) | undefined,
): ThroughputSide {
  return {
    async prepare() {
      // Nothing deferred from before (the previous run, the other side) may land in this run.
      await finish?.();
      let last: Uint8Array | undefined;
      const run: PreparedRun = {
        ...(finish === undefined ? {} : { finish }),
        operation: async () => {
          last = await send();
        },
        verify: () => {
          if (last === undefined || !bytesEqual(last, PAYLOAD)) {
            throw new Error('the last message did not round-trip');
          }
        },
      };
      return run;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Session setup

/** Recipients' prekey bundles: key material only (nobody answers), grown on demand and reused
 * across runs, each of which has a fresh initiator. */
export class BundlePool {
  readonly #bundles: PreKeyBundleData[] = [];

  take(count: number): readonly PreKeyBundleData[] {
    while (this.#bundles.length < count) this.#bundles.push(generateRecipientBundle());
    return this.#bundles.slice(0, count);
  }
}

function generateRecipientBundle(): PreKeyBundleData {
  const identity = IdentityKeyPair.generate();
  const signed = PrivateKey.generate().getPublicKey().serialize();
  const kyber = KEMKeyPair.generate().getPublicKey().serialize();
  return {
    address: personaAddressFor(identity.publicKey.serialize()),
    registrationId: randomInt(1, 16381),
    identityKey: identity.publicKey.serialize(),
    signedPreKey: { id: 1, publicKey: signed, signature: identity.privateKey.sign(signed) },
    kyberPreKey: { id: 2, publicKey: kyber, signature: identity.privateKey.sign(kyber) },
    preKey: { id: 3, publicKey: PrivateKey.generate().getPublicKey().serialize() },
  };
}

/** Each run: a fresh initiator (from `newInitiator`) meets `count` recipients it has never seen,
 * one bundle each, generated before the timer starts. */
export function kindredSetupSide(
  pool: BundlePool,
  newInitiator: () => Promise<{ cipher: PersonaCipher; store: KeyValueStore }>,
): ThroughputSide {
  return {
    async prepare(count) {
      const bundles = pool.take(count);
      const { cipher, store } = await newInitiator();
      await store.flush();
      return {
        operation: (i) => cipher.startSession(at(bundles, i)),
        finish: () => store.flush(),
        verify: async () => {
          if (!(await cipher.hasSession(at(bundles, count - 1).address))) {
            throw new Error('Kindred session setup left no session');
          }
        },
      };
    },
  };
}

/** The same, through processPreKeyBundle. The bundle is built from the same bytes Kindred gets,
 * inside the timed loop, since any client must do that with what the relay sends. */
export function rawSetupSide(pool: BundlePool, issuer: SenderCertificateIssuer): ThroughputSide {
  return {
    prepare(count) {
      const bundles = pool.take(count);
      const self = createRawParty(issuer);
      return Promise.resolve({
        operation: (i) => {
          const data = at(bundles, i);
          return processPreKeyBundle(
            rawBundleFrom(data),
            ProtocolAddress.new(data.address, PERSONA_DEVICE_ID),
            self.protocolAddress,
            self.stores.sessions,
            self.stores.identities,
          );
        },
        verify: async () => {
          const last = at(bundles, count - 1);
          const session = await self.stores.sessions.getSession(
            ProtocolAddress.new(last.address, PERSONA_DEVICE_ID),
          );
          if (session?.hasCurrentState() !== true) throw new Error('raw setup left no session');
        },
      });
    },
  };
}

function rawBundleFrom(data: PreKeyBundleData): PreKeyBundle {
  return PreKeyBundle.new(
    data.registrationId,
    PERSONA_DEVICE_ID,
    data.preKey?.id ?? null,
    data.preKey === undefined ? null : PublicKey.deserialize(ownedBytes(data.preKey.publicKey)),
    data.signedPreKey.id,
    PublicKey.deserialize(ownedBytes(data.signedPreKey.publicKey)),
    ownedBytes(data.signedPreKey.signature),
    PublicKey.deserialize(ownedBytes(data.identityKey)),
    data.kyberPreKey.id,
    KEMPublicKey.deserialize(ownedBytes(data.kyberPreKey.publicKey)),
    ownedBytes(data.kyberPreKey.signature),
  );
}

// ---------------------------------------------------------------------------------------------
// Groups (sender keys)

export interface GroupSides {
  /** Alice encrypts for the group; one op is one message. */
  readonly encrypt: ThroughputSide;
  /** Bob decrypts Alice's messages, in order, encrypted before the timer starts. */
  readonly decrypt: ThroughputSide;
}

/**
 * Encrypt runs and decrypt runs use two different groups: messages from encrypt runs are never
 * decrypted, and in one group the receiver would have to skip over all of them (libsignal caps
 * how far a sender-key chain may jump forward).
 */
export async function kindredGroupSides(
  alice: KindredParty,
  bob: KindredParty,
): Promise<GroupSides> {
  const encryptGroup = randomUUID();
  const decryptGroup = randomUUID();
  for (const group of [encryptGroup, decryptGroup]) {
    await bob.cipher.processSenderKeyDistribution(
      alice.persona.address,
      await alice.cipher.createSenderKeyDistribution(group),
    );
  }
  const flushAll = flushBoth(alice, bob);
  return {
    encrypt: encryptSide(() => alice.cipher.groupEncrypt(encryptGroup, PAYLOAD), flushAll),
    decrypt: decryptSide(
      () => alice.cipher.groupEncrypt(decryptGroup, PAYLOAD),
      (ciphertext) => bob.cipher.groupDecrypt(alice.persona.address, ciphertext),
      flushAll,
    ),
  };
}

export async function rawGroupSides(alice: RawParty, bob: RawParty): Promise<GroupSides> {
  const encryptGroup = randomUUID();
  const decryptGroup = randomUUID();
  for (const group of [encryptGroup, decryptGroup]) {
    const distribution = await SenderKeyDistributionMessage.create(
      alice.protocolAddress,
      group,
      alice.stores.senderKeys,
    );
    await processSenderKeyDistributionMessage(
      alice.protocolAddress,
      SenderKeyDistributionMessage.deserialize(distribution.serialize()),
      bob.stores.senderKeys,
    );
  }
  const encrypt = async (group: string): Promise<Uint8Array> =>
    (
      await groupEncrypt(alice.protocolAddress, group, alice.stores.senderKeys, PAYLOAD)
    ).serialize();
  return {
    encrypt: encryptSide(() => encrypt(encryptGroup)),
    decrypt: decryptSide(
      () => encrypt(decryptGroup),
      (ciphertext) =>
        groupDecrypt(alice.protocolAddress, bob.stores.senderKeys, ownedBytes(ciphertext)),
    ),
  };
}

function encryptSide(
  encryptOne: () => Promise<Uint8Array>,
  finish?: () => Promise<void>,
): ThroughputSide {
  return {
    async prepare() {
      await finish?.();
      return {
        ...(finish === undefined ? {} : { finish }),
        operation: async () => {
          await encryptOne();
        },
      };
    },
  };
}

function decryptSide(
  encryptOne: () => Promise<Uint8Array>,
  decryptOne: (ciphertext: Uint8Array) => Promise<Uint8Array>,
  finish?: () => Promise<void>,
): ThroughputSide {
  return {
    async prepare(count) {
      const ciphertexts: Uint8Array[] = [];
      for (let i = 0; i < count; i++) ciphertexts.push(await encryptOne());
      // The sender's deferred writes belong to preparing, not to the timed decrypts.
      await finish?.();
      let last: Uint8Array | undefined;
      return {
        ...(finish === undefined ? {} : { finish }),
        operation: async (i) => {
          last = await decryptOne(at(ciphertexts, i));
        },
        verify: () => {
          if (last === undefined || !bytesEqual(last, PAYLOAD)) {
            throw new Error('the last group message did not decrypt');
          }
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------

export function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`no item ${index}`);
  return item;
}
