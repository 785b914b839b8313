/**
 * The baseline's libsignal stores: plain Maps in memory, no encryption, no padding, no checks
 * beyond trust on first use. They follow libsignal's own test stores: records are kept
 * serialized (what any store that persists must do), identity keys as PublicKey objects.
 * Kindred's persistent stores are measured against these.
 */
import {
  Direction,
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  SenderKeyRecord,
  SenderKeyStore,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
} from '@signalapp/libsignal-client';
import type {
  IdentityKeyPair,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  Uuid,
} from '@signalapp/libsignal-client';

function addressKey(address: ProtocolAddress): string {
  return `${address.name()}.${address.deviceId()}`;
}

export class RawSessionStore extends SessionStore {
  readonly #records = new Map<string, Uint8Array<ArrayBuffer>>();

  override saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.#records.set(addressKey(name), record.serialize());
    return Promise.resolve();
  }

  override getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
    const bytes = this.#records.get(addressKey(name));
    return Promise.resolve(bytes === undefined ? null : SessionRecord.deserialize(bytes));
  }

  override getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return Promise.resolve(
      addresses.map((address) => {
        const bytes = this.#records.get(addressKey(address));
        if (bytes === undefined) throw new Error('no session for a recipient');
        return SessionRecord.deserialize(bytes);
      }),
    );
  }
}

/** Trust on first use; a changed key is refused for sending, as Kindred's store does. */
export class RawIdentityKeyStore extends IdentityKeyStore {
  readonly #identity: IdentityKeyPair;
  readonly #registrationId: number;
  readonly #known = new Map<string, PublicKey>();

  constructor(identity: IdentityKeyPair, registrationId: number) {
    super();
    this.#identity = identity;
    this.#registrationId = registrationId;
  }

  override getIdentityKey(): Promise<PrivateKey> {
    return Promise.resolve(this.#identity.privateKey);
  }

  override getLocalRegistrationId(): Promise<number> {
    return Promise.resolve(this.#registrationId);
  }

  override saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    const existing = this.#known.get(name.name());
    this.#known.set(name.name(), key);
    return Promise.resolve(
      existing === undefined || existing.equals(key)
        ? IdentityChange.NewOrUnchanged
        : IdentityChange.ReplacedExisting,
    );
  }

  override isTrustedIdentity(
    name: ProtocolAddress,
    key: PublicKey,
    direction: Direction,
  ): Promise<boolean> {
    const existing = this.#known.get(name.name());
    return Promise.resolve(
      existing === undefined || direction === Direction.Receiving || existing.equals(key),
    );
  }

  override getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
    return Promise.resolve(this.#known.get(name.name()) ?? null);
  }
}

export class RawPreKeyStore extends PreKeyStore {
  readonly #records = new Map<number, Uint8Array<ArrayBuffer>>();

  override savePreKey(id: number, record: PreKeyRecord): Promise<void> {
    this.#records.set(id, record.serialize());
    return Promise.resolve();
  }

  override getPreKey(id: number): Promise<PreKeyRecord> {
    const bytes = this.#records.get(id);
    if (bytes === undefined) return Promise.reject(new Error('no such prekey'));
    return Promise.resolve(PreKeyRecord.deserialize(bytes));
  }

  override removePreKey(id: number): Promise<void> {
    this.#records.delete(id);
    return Promise.resolve();
  }
}

export class RawSignedPreKeyStore extends SignedPreKeyStore {
  readonly #records = new Map<number, Uint8Array<ArrayBuffer>>();

  override saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
    this.#records.set(id, record.serialize());
    return Promise.resolve();
  }

  override getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    const bytes = this.#records.get(id);
    if (bytes === undefined) return Promise.reject(new Error('no such signed prekey'));
    return Promise.resolve(SignedPreKeyRecord.deserialize(bytes));
  }
}

/** Keeps every Kyber prekey (no one-time deletion, no replay record): the least a store can do. */
export class RawKyberPreKeyStore extends KyberPreKeyStore {
  readonly #records = new Map<number, Uint8Array<ArrayBuffer>>();

  override saveKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
    this.#records.set(id, record.serialize());
    return Promise.resolve();
  }

  override getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    const bytes = this.#records.get(id);
    if (bytes === undefined) return Promise.reject(new Error('no such Kyber prekey'));
    return Promise.resolve(KyberPreKeyRecord.deserialize(bytes));
  }

  override markKyberPreKeyUsed(): Promise<void> {
    return Promise.resolve();
  }
}

export class RawSenderKeyStore extends SenderKeyStore {
  readonly #records = new Map<string, Uint8Array<ArrayBuffer>>();

  override saveSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
    record: SenderKeyRecord,
  ): Promise<void> {
    this.#records.set(`${addressKey(sender)}/${distributionId}`, record.serialize());
    return Promise.resolve();
  }

  override getSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
  ): Promise<SenderKeyRecord | null> {
    const bytes = this.#records.get(`${addressKey(sender)}/${distributionId}`);
    return Promise.resolve(bytes === undefined ? null : SenderKeyRecord.deserialize(bytes));
  }
}

/** One party's full set of raw stores. */
export interface RawStores {
  readonly sessions: RawSessionStore;
  readonly identities: RawIdentityKeyStore;
  readonly preKeys: RawPreKeyStore;
  readonly signedPreKeys: RawSignedPreKeyStore;
  readonly kyberPreKeys: RawKyberPreKeyStore;
  readonly senderKeys: RawSenderKeyStore;
}

export function createRawStores(identity: IdentityKeyPair, registrationId: number): RawStores {
  return {
    sessions: new RawSessionStore(),
    identities: new RawIdentityKeyStore(identity, registrationId),
    preKeys: new RawPreKeyStore(),
    signedPreKeys: new RawSignedPreKeyStore(),
    kyberPreKeys: new RawKyberPreKeyStore(),
    senderKeys: new RawSenderKeyStore(),
  };
}
