import {
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
} from '@signalapp/libsignal-client';
import type { PublicKey } from '@signalapp/libsignal-client';
import { ownedBytes, toBase64Url } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { StoreFailures } from './StoreFailures.js';

/** One-time EC prekeys: each is removed once a session consumes it. */
export class PersistentPreKeyStore extends PreKeyStore {
  readonly #store: KeyValueStore;
  readonly #failures: StoreFailures;

  constructor(store: KeyValueStore, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#failures = failures;
  }

  override savePreKey(id: number, record: PreKeyRecord): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#store.put(`prekeys/${id}`, record.serialize());
    });
  }

  override getPreKey(id: number): Promise<PreKeyRecord> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(`prekeys/${id}`);
      if (bytes === undefined) throw missingKey('one-time prekey');
      return PreKeyRecord.deserialize(ownedBytes(bytes));
    });
  }

  override removePreKey(id: number): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#store.delete(`prekeys/${id}`);
    });
  }

  async count(): Promise<number> {
    return (await this.#store.list('prekeys')).length;
  }
}

export class PersistentSignedPreKeyStore extends SignedPreKeyStore {
  readonly #store: KeyValueStore;
  readonly #failures: StoreFailures;

  constructor(store: KeyValueStore, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#failures = failures;
  }

  override saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#store.put(`signed-prekeys/${id}`, record.serialize());
    });
  }

  override getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(`signed-prekeys/${id}`);
      if (bytes === undefined) throw missingKey('signed prekey');
      return SignedPreKeyRecord.deserialize(ownedBytes(bytes));
    });
  }
}

/**
 * Kyber prekeys come in two kinds: one-time keys, deleted when used, and a last-resort key that
 * stays. libsignal asks the store to refuse a last-resort key used twice with the same base key,
 * which would mean a replayed session-initiating message, so those uses are recorded.
 */
export class PersistentKyberPreKeyStore extends KyberPreKeyStore {
  readonly #store: KeyValueStore;
  readonly #failures: StoreFailures;

  constructor(store: KeyValueStore, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#failures = failures;
  }

  override saveKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#save(id, record, ONE_TIME);
    });
  }

  async saveLastResortKyberPreKey(id: number, record: KyberPreKeyRecord): Promise<void> {
    await this.#save(id, record, LAST_RESORT);
  }

  override getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(`kyber-prekeys/${id}`);
      if (bytes === undefined || bytes.length < 2) throw missingKey('Kyber prekey');
      return KyberPreKeyRecord.deserialize(ownedBytes(bytes.subarray(1)));
    });
  }

  override markKyberPreKeyUsed(
    id: number,
    signedPreKeyId: number,
    baseKey: PublicKey,
  ): Promise<void> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(`kyber-prekeys/${id}`);
      if (bytes === undefined) throw missingKey('Kyber prekey');
      if (bytes[0] === ONE_TIME) {
        await this.#store.delete(`kyber-prekeys/${id}`);
        return;
      }
      const useKey = `kyber-last-resort-uses/${id}/${signedPreKeyId}/${toBase64Url(baseKey.serialize())}`;
      if ((await this.#store.get(useKey)) !== undefined) {
        throw new CoreError(CoreErrorCode.DuplicateMessage, 'last-resort Kyber prekey reused');
      }
      await this.#store.put(useKey, new Uint8Array([1]));
    });
  }

  async countOneTime(): Promise<number> {
    const entries = await this.#store.list('kyber-prekeys');
    return entries.filter((entry) => entry.value[0] === ONE_TIME).length;
  }

  async #save(id: number, record: KyberPreKeyRecord, kind: number): Promise<void> {
    const serialized = record.serialize();
    const value = new Uint8Array(1 + serialized.length);
    value[0] = kind;
    value.set(serialized, 1);
    await this.#store.put(`kyber-prekeys/${id}`, value);
  }
}

const ONE_TIME = 1;
const LAST_RESORT = 2;

function missingKey(kind: string): CoreError {
  return new CoreError(CoreErrorCode.DecryptFailed, `unknown ${kind}`);
}
