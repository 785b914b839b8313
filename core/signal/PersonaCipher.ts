import {
  CiphertextMessageType,
  Fingerprint,
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
  SenderKeyMessage,
  SignalMessage,
  SignedPreKeyRecord,
  groupDecrypt,
  groupEncrypt,
  processPreKeyBundle,
  processSenderKeyDistributionMessage,
  sealedSenderDecryptToUsmc,
  sealedSenderEncryptMessage,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import { fromUtf8, ownedBytes, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { pad, unpad } from '../padding/padding.js';
import type { Persona } from '../persona/Persona.js';
import { isPersonaAddress, personaAddressFor } from '../persona/personaAddress.js';
import { PERSONA_DEVICE_ID } from '../sealed/SenderCertificateIssuer.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { toCoreError } from './signalErrors.js';
import type {
  EncryptedMessage,
  PreKeyBundleData,
  PreKeyUpload,
  PublicPreKey,
  PublicSignedPreKey,
  SafetyNumber,
  UnsealedMessage,
} from './signalTypes.js';
import type { RemoteIdentity } from './stores/PersistentIdentityKeyStore.js';
import { PersistentIdentityKeyStore } from './stores/PersistentIdentityKeyStore.js';
import {
  PersistentKyberPreKeyStore,
  PersistentPreKeyStore,
  PersistentSignedPreKeyStore,
} from './stores/PersistentPreKeyStores.js';
import { PersistentSenderKeyStore } from './stores/PersistentSenderKeyStore.js';
import { PersistentSessionStore } from './stores/PersistentSessionStore.js';
import { SerialQueue } from '../concurrency/SerialQueue.js';
import { StoreFailures } from './stores/StoreFailures.js';

/** libsignal's stores for one persona, all over one KeyValueStore scope. */
export interface PersonaStores {
  readonly sessions: PersistentSessionStore;
  readonly identities: PersistentIdentityKeyStore;
  readonly preKeys: PersistentPreKeyStore;
  readonly signedPreKeys: PersistentSignedPreKeyStore;
  readonly kyberPreKeys: PersistentKyberPreKeyStore;
  readonly senderKeys: PersistentSenderKeyStore;
}

export function createPersonaStores(
  store: KeyValueStore,
  persona: Persona,
  failures: StoreFailures = new StoreFailures(),
): PersonaStores {
  return {
    sessions: new PersistentSessionStore(store, failures),
    identities: new PersistentIdentityKeyStore(store, persona, failures),
    preKeys: new PersistentPreKeyStore(store, failures),
    signedPreKeys: new PersistentSignedPreKeyStore(store, failures),
    kyberPreKeys: new PersistentKyberPreKeyStore(store, failures),
    senderKeys: new PersistentSenderKeyStore(store, failures),
  };
}

/** Safety numbers use Signal's parameters: version 2 identifiers, 5200 hash iterations. */
const FINGERPRINT_VERSION = 2;
const FINGERPRINT_ITERATIONS = 5200;
/** libsignal prekey ids are 24-bit. */
const MAX_PREKEY_ID = 0xffffff;

/**
 * Everything one persona does with libsignal, as a small typed API over bytes: prekeys, sessions
 * (PQXDH + Double Ratchet), sealed sender, sender keys and safety numbers. Every plaintext is
 * padded before encryption. Operations on one persona run one at a time, because libsignal reads
 * and writes ratchet state across awaits and two interleaved operations would lose an update.
 * Every failure is a CoreError.
 */
export class PersonaCipher {
  readonly #persona: Persona;
  readonly #stores: PersonaStores;
  readonly #store: KeyValueStore;
  readonly #self: ProtocolAddress;
  readonly #failures = new StoreFailures();
  readonly #queue = new SerialQueue();

  constructor(persona: Persona, store: KeyValueStore) {
    this.#persona = persona;
    this.#store = store;
    this.#stores = createPersonaStores(store, persona, this.#failures);
    this.#self = ProtocolAddress.new(persona.address, PERSONA_DEVICE_ID);
  }

  get address(): string {
    return this.#persona.address;
  }

  get stores(): PersonaStores {
    return this.#stores;
  }

  /**
   * Makes a fresh signed prekey and last-resort Kyber key, plus one-time EC and Kyber prekeys, and
   * stores their private halves. Returns what to upload.
   */
  generatePreKeys(options: {
    oneTimePreKeys: number;
    oneTimeKyberPreKeys: number;
  }): Promise<PreKeyUpload> {
    return this.#serial('generate prekeys', CoreErrorCode.Internal, async () => {
      const identity = this.#persona.identityKeyPair();
      const now = Date.now();
      const total = 2 + options.oneTimePreKeys + options.oneTimeKyberPreKeys;
      let nextId = await this.#allocatePreKeyIds(total);
      const takeId = (): number => {
        const id = nextId;
        nextId = (nextId % MAX_PREKEY_ID) + 1;
        return id;
      };

      const signedKey = PrivateKey.generate();
      const signedId = takeId();
      const signedSignature = identity.privateKey.sign(signedKey.getPublicKey().serialize());
      await this.#stores.signedPreKeys.saveSignedPreKey(
        signedId,
        SignedPreKeyRecord.new(signedId, now, signedKey.getPublicKey(), signedKey, signedSignature),
      );

      const makeKyber = (): { id: number; record: KyberPreKeyRecord } => {
        const id = takeId();
        const pair = KEMKeyPair.generate();
        const signature = identity.privateKey.sign(pair.getPublicKey().serialize());
        return { id, record: KyberPreKeyRecord.new(id, now, pair, signature) };
      };
      const lastResort = makeKyber();
      await this.#stores.kyberPreKeys.saveLastResortKyberPreKey(lastResort.id, lastResort.record);

      const oneTimeKyber: PublicSignedPreKey[] = [];
      for (let i = 0; i < options.oneTimeKyberPreKeys; i++) {
        const kyber = makeKyber();
        await this.#stores.kyberPreKeys.saveKyberPreKey(kyber.id, kyber.record);
        oneTimeKyber.push(publicKyber(kyber.record));
      }

      const oneTime: PublicPreKey[] = [];
      for (let i = 0; i < options.oneTimePreKeys; i++) {
        const id = takeId();
        const key = PrivateKey.generate();
        await this.#stores.preKeys.savePreKey(id, PreKeyRecord.new(id, key.getPublicKey(), key));
        oneTime.push({ id, publicKey: key.getPublicKey().serialize() });
      }

      return {
        identityKey: this.#persona.identityPublicKey,
        registrationId: this.#persona.registrationId,
        signedPreKey: {
          id: signedId,
          publicKey: signedKey.getPublicKey().serialize(),
          signature: signedSignature,
        },
        lastResortKyberPreKey: publicKyber(lastResort.record),
        oneTimePreKeys: oneTime,
        oneTimeKyberPreKeys: oneTimeKyber,
      };
    });
  }

  /** How many one-time keys of each kind are still unused, to know when to upload more. */
  async remainingOneTimePreKeys(): Promise<{ preKeys: number; kyberPreKeys: number }> {
    return {
      preKeys: await this.#stores.preKeys.count(),
      kyberPreKeys: await this.#stores.kyberPreKeys.countOneTime(),
    };
  }

  /** Starts a session (PQXDH) from a bundle the relay handed out. */
  startSession(bundle: PreKeyBundleData): Promise<void> {
    return this.#serial('start session', CoreErrorCode.InvalidPreKeyBundle, async () => {
      const parsed = parseBundle(bundle);
      await processPreKeyBundle(
        parsed,
        this.#remote(bundle.address),
        this.#self,
        this.#stores.sessions,
        this.#stores.identities,
      );
    });
  }

  async hasSession(address: string): Promise<boolean> {
    return this.#stores.sessions.hasSession(this.#remote(address));
  }

  encrypt(address: string, plaintext: Uint8Array): Promise<EncryptedMessage> {
    return this.#serial(
      'encrypt',
      CoreErrorCode.Internal,
      async () => {
        const remote = this.#remote(address);
        const message = await signalEncrypt(
          pad(plaintext),
          remote,
          this.#self,
          this.#stores.sessions,
          this.#stores.identities,
        );
        const type =
          message.type() === (CiphertextMessageType.PreKey as number) ? 'prekey' : 'whisper';
        return { type, body: message.serialize() };
      },
      () => this.#explainMissingSession(address),
    );
  }

  decrypt(address: string, message: EncryptedMessage): Promise<Uint8Array> {
    return this.#serial('decrypt', CoreErrorCode.DecryptFailed, async () => {
      // Messages come off the wire: check the type even though the compiler believes it.
      const type: unknown = message.type;
      if (type !== 'prekey' && type !== 'whisper') {
        throw new CoreError(CoreErrorCode.InvalidInput, 'unknown message type');
      }
      return this.#decryptFrom(this.#remote(address), type, ownedBytes(message.body));
    });
  }

  /**
   * Encrypts for `address` inside a sealed-sender envelope: only the recipient learns who sent it,
   * from the sender certificate inside.
   */
  seal(address: string, plaintext: Uint8Array, senderCertificate: Uint8Array): Promise<Uint8Array> {
    return this.#serial(
      'seal',
      CoreErrorCode.Internal,
      async () => {
        let certificate: SenderCertificate;
        try {
          certificate = SenderCertificate.deserialize(ownedBytes(senderCertificate));
        } catch (error) {
          throw new CoreError(
            CoreErrorCode.InvalidSenderCertificate,
            'sender certificate is invalid',
            {
              cause: error,
            },
          );
        }
        const remote = this.#remote(address);
        return sealedSenderEncryptMessage(
          pad(plaintext),
          remote,
          certificate,
          this.#stores.sessions,
          this.#stores.identities,
        );
      },
      () => this.#explainMissingSession(address),
    );
  }

  /**
   * Opens a sealed envelope. The sender certificate must chain to the pinned trust root, be
   * unexpired, and name an address that its key derives; only then is the inner message decrypted
   * with the session of that address.
   */
  unseal(
    sealed: Uint8Array,
    trustRoot: Uint8Array,
    now: number = Date.now(),
  ): Promise<UnsealedMessage> {
    return this.#serial('unseal', CoreErrorCode.DecryptFailed, async () => {
      let root: PublicKey;
      try {
        root = PublicKey.deserialize(ownedBytes(trustRoot));
      } catch (error) {
        throw new CoreError(CoreErrorCode.InvalidInput, 'trust root is invalid', { cause: error });
      }
      const content = await sealedSenderDecryptToUsmc(ownedBytes(sealed), this.#stores.identities);
      const certificate = content.senderCertificate();
      const senderAddress = certificate.senderUuid();
      if (
        !certificate.validate(root, now) ||
        certificate.senderDeviceId() !== PERSONA_DEVICE_ID ||
        !isPersonaAddress(senderAddress) ||
        personaAddressFor(certificate.key().serialize()) !== senderAddress
      ) {
        throw new CoreError(
          CoreErrorCode.InvalidSenderCertificate,
          'sender certificate is invalid',
        );
      }
      if (senderAddress === this.#persona.address) {
        throw new CoreError(CoreErrorCode.DecryptFailed, 'sealed message from ourselves');
      }
      const type = content.msgType();
      const kind =
        type === (CiphertextMessageType.PreKey as number)
          ? 'prekey'
          : type === (CiphertextMessageType.Whisper as number)
            ? 'whisper'
            : undefined;
      if (kind === undefined) {
        throw new CoreError(CoreErrorCode.DecryptFailed, 'unexpected sealed message type');
      }
      const plaintext = await this.#decryptFrom(
        this.#remote(senderAddress),
        kind,
        content.contents(),
      );
      return { senderAddress, plaintext };
    });
  }

  /** Our sender key for a group (created on first use), to send to each member over 1:1. */
  createSenderKeyDistribution(distributionId: string): Promise<Uint8Array> {
    return this.#serial('create sender key', CoreErrorCode.InvalidInput, async () => {
      const message = await SenderKeyDistributionMessage.create(
        this.#self,
        checkDistributionId(distributionId),
        this.#stores.senderKeys,
      );
      return message.serialize();
    });
  }

  /** Stores a member's sender key, received over a 1:1 sealed session from that member. */
  processSenderKeyDistribution(senderAddress: string, distribution: Uint8Array): Promise<void> {
    return this.#serial('process sender key', CoreErrorCode.DecryptFailed, async () => {
      await processSenderKeyDistributionMessage(
        this.#remote(senderAddress),
        SenderKeyDistributionMessage.deserialize(ownedBytes(distribution)),
        this.#stores.senderKeys,
      );
    });
  }

  /** One encryption for the whole group, whatever its size. */
  groupEncrypt(distributionId: string, plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#serial(
      'group encrypt',
      CoreErrorCode.Internal,
      async () => {
        const id = checkDistributionId(distributionId);
        const message = await groupEncrypt(this.#self, id, this.#stores.senderKeys, pad(plaintext));
        return message.serialize();
      },
      () => this.#explainMissingSenderKey(this.#self, distributionId),
    );
  }

  groupDecrypt(senderAddress: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.#serial(
      'group decrypt',
      CoreErrorCode.DecryptFailed,
      async () => {
        const padded = await groupDecrypt(
          this.#remote(senderAddress),
          this.#stores.senderKeys,
          ownedBytes(ciphertext),
        );
        return unpad(padded);
      },
      async () => {
        let distributionId: string;
        try {
          distributionId = SenderKeyMessage.deserialize(ownedBytes(ciphertext)).distributionId();
        } catch {
          return undefined;
        }
        return this.#explainMissingSenderKey(this.#remote(senderAddress), distributionId);
      },
    );
  }

  /**
   * Forgets our own sender key for a group so the next send creates a new chain. Called when a
   * member leaves or is removed: the new key goes only to those who remain.
   */
  rotateSenderKey(distributionId: string): Promise<void> {
    return this.#serial('rotate sender key', CoreErrorCode.Internal, () =>
      this.#stores.senderKeys.deleteSenderKey(this.#self, checkDistributionId(distributionId)),
    );
  }

  /** The safety number between this persona and `address`, from the identity key we hold. */
  async safetyNumber(address: string): Promise<SafetyNumber> {
    const remote = await this.#stores.identities.remoteIdentity(this.#checkAddress(address));
    if (remote === undefined) {
      throw new CoreError(CoreErrorCode.NoSession, 'no identity known for that address');
    }
    return safetyNumberFor(
      this.#persona.address,
      this.#persona.identityPublicKey,
      address,
      remote.identityKey,
    );
  }

  async remoteIdentity(address: string): Promise<RemoteIdentity | undefined> {
    return this.#stores.identities.remoteIdentity(this.#checkAddress(address));
  }

  async setVerified(address: string, verified: boolean): Promise<void> {
    await this.#stores.identities.setVerified(this.#checkAddress(address), verified);
  }

  /** Prekey ids come from one counter per persona so a new batch never overwrites a live key. */
  async #allocatePreKeyIds(count: number): Promise<number> {
    const raw = await this.#store.get('prekey-next-id');
    const first = raw === undefined ? 1 : Number.parseInt(fromUtf8(raw), 10);
    const start = Number.isSafeInteger(first) && first >= 1 && first <= MAX_PREKEY_ID ? first : 1;
    const next = ((start - 1 + count) % MAX_PREKEY_ID) + 1;
    await this.#store.put('prekey-next-id', utf8(String(next)));
    return start;
  }

  /** Decrypts a 1:1 message (bare or from inside a sealed envelope) and removes its padding. */
  async #decryptFrom(
    remote: ProtocolAddress,
    type: EncryptedMessage['type'],
    body: Uint8Array<ArrayBuffer>,
  ): Promise<Uint8Array> {
    const padded =
      type === 'prekey'
        ? await signalDecryptPreKey(
            PreKeySignalMessage.deserialize(body),
            remote,
            this.#self,
            this.#stores.sessions,
            this.#stores.identities,
            this.#stores.preKeys,
            this.#stores.signedPreKeys,
            this.#stores.kyberPreKeys,
          )
        : await signalDecrypt(
            SignalMessage.deserialize(body),
            remote,
            this.#self,
            this.#stores.sessions,
            this.#stores.identities,
          );
    return unpad(padded);
  }

  /**
   * libsignal reports a missing session or sender key as a generic error; these look at the
   * stores afterwards (on the failure path only) to give the caller the precise code.
   */
  async #explainMissingSession(address: string): Promise<CoreError | undefined> {
    if (await this.#stores.sessions.hasSession(this.#remote(address))) return undefined;
    return new CoreError(CoreErrorCode.NoSession, 'no session with that persona');
  }

  async #explainMissingSenderKey(
    sender: ProtocolAddress,
    distributionId: string,
  ): Promise<CoreError | undefined> {
    if ((await this.#stores.senderKeys.getSenderKey(sender, distributionId)) !== null) {
      return undefined;
    }
    return new CoreError(CoreErrorCode.NoSenderKey, 'no sender key for that group and member');
  }

  #checkAddress(address: string): string {
    if (!isPersonaAddress(address)) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'not a persona address');
    }
    return address;
  }

  #remote(address: string): ProtocolAddress {
    return ProtocolAddress.new(this.#checkAddress(address), PERSONA_DEVICE_ID);
  }

  #serial<T>(
    what: string,
    fallback: CoreErrorCode,
    operation: () => Promise<T>,
    explain?: () => Promise<CoreError | undefined>,
  ): Promise<T> {
    return this.#queue.run(async () => {
      this.#failures.take();
      try {
        return await operation();
      } catch (error) {
        // A store's own CoreError explains a failure better than libsignal's generic wrapper.
        const stored = this.#failures.take();
        if (stored !== undefined || CoreError.is(error))
          throw toCoreError(stored ?? error, fallback, what);
        const explained = await explain?.().catch(() => undefined);
        throw explained ?? toCoreError(error, fallback, what);
      }
    });
  }
}

/** Safety numbers for any pair of personas, given both identity keys. Symmetric by construction. */
export function safetyNumberFor(
  localAddress: string,
  localIdentityKey: Uint8Array,
  remoteAddress: string,
  remoteIdentityKey: Uint8Array,
): SafetyNumber {
  try {
    const fingerprint = Fingerprint.new(
      FINGERPRINT_ITERATIONS,
      FINGERPRINT_VERSION,
      utf8(localAddress),
      PublicKey.deserialize(ownedBytes(localIdentityKey)),
      utf8(remoteAddress),
      PublicKey.deserialize(ownedBytes(remoteIdentityKey)),
    );
    return {
      digits: fingerprint.displayableFingerprint().toString(),
      scannable: fingerprint.scannableFingerprint().toBuffer(),
    };
  } catch (error) {
    throw toCoreError(error, CoreErrorCode.InvalidInput, 'safety number');
  }
}

function publicKyber(record: KyberPreKeyRecord): PublicSignedPreKey {
  return {
    id: record.id(),
    publicKey: record.publicKey().serialize(),
    signature: record.signature(),
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkDistributionId(distributionId: string): string {
  if (!UUID_PATTERN.test(distributionId)) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a distribution id is a lower-case UUID');
  }
  return distributionId;
}

/** Checks a bundle's shape and that its address is the one its identity key implies. */
function parseBundle(bundle: PreKeyBundleData): PreKeyBundle {
  const invalid = (reason: string, cause?: unknown): CoreError =>
    new CoreError(CoreErrorCode.InvalidPreKeyBundle, `prekey bundle ${reason}`, { cause });
  if (!isPersonaAddress(bundle.address)) throw invalid('has no valid address');
  if (personaAddressFor(bundle.identityKey) !== bundle.address) {
    throw invalid('identity key does not match its address');
  }
  try {
    return PreKeyBundle.new(
      bundle.registrationId,
      PERSONA_DEVICE_ID,
      bundle.preKey?.id ?? null,
      bundle.preKey === undefined
        ? null
        : PublicKey.deserialize(ownedBytes(bundle.preKey.publicKey)),
      bundle.signedPreKey.id,
      PublicKey.deserialize(ownedBytes(bundle.signedPreKey.publicKey)),
      ownedBytes(bundle.signedPreKey.signature),
      PublicKey.deserialize(ownedBytes(bundle.identityKey)),
      bundle.kyberPreKey.id,
      KEMPublicKey.deserialize(ownedBytes(bundle.kyberPreKey.publicKey)),
      ownedBytes(bundle.kyberPreKey.signature),
    );
  } catch (error) {
    throw invalid('is malformed', error);
  }
}
