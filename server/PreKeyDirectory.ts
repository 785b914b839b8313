import { RelayErrorCode, verifyIdentitySignature } from '../core/index.js';
import type { wire } from '../core/index.js';
import { checkAccessKey } from './accessKeys.js';
import type { ConnectionRegistry } from './ConnectionRegistry.js';
import { RelayError } from './RelayError.js';
import type { RelayRateLimits } from './RelayRateLimits.js';
import type {
  RelayStore,
  StoredOneTimePreKey,
  StoredPersona,
  StoredSignedPreKey,
} from './store/RelayStore.js';

export interface PreKeyStatusInit {
  readonly oneTimePreKeys: number;
  readonly oneTimeKyberPreKeys: number;
  readonly low: boolean;
}

/** The body of a PreKeyBundle frame. */
export interface PreKeyBundleReply {
  readonly address: string;
  readonly registrationId: number;
  readonly identityKey: Uint8Array;
  readonly signedPreKey: StoredSignedPreKey;
  readonly kyberPreKey: StoredSignedPreKey;
  readonly preKey?: StoredOneTimePreKey;
}

export interface PreKeyDirectoryOptions {
  readonly store: RelayStore;
  readonly limits: RelayRateLimits;
  readonly registry: ConnectionRegistry;
  readonly maxStoredOneTimePreKeys: number;
  readonly lowPreKeyThreshold: number;
}

/**
 * The prekey directory: personas upload their public prekeys; anyone holding one of a persona's
 * live delivery keys (the same ones that let them write to its mailbox) may fetch one bundle, which consumes one one-time key of each kind.
 */
export class PreKeyDirectory {
  readonly #options: PreKeyDirectoryOptions;

  constructor(options: PreKeyDirectoryOptions) {
    this.#options = options;
  }

  /**
   * Stores an upload after checking that the identity key signed the signed and Kyber keys, and
   * that the persona stays within maxStoredOneTimePreKeys of each kind (counting only the new
   * keys when they replace the one-time keys held). Stores nothing otherwise.
   */
  async upload(owner: StoredPersona, upload: wire.UploadPreKeys): Promise<PreKeyStatusInit> {
    const signed: StoredSignedPreKey[] = [...upload.oneTimeKyberPreKeys];
    if (upload.signedPreKey !== undefined) signed.push(upload.signedPreKey);
    if (upload.lastResortKyberPreKey !== undefined) signed.push(upload.lastResortKyberPreKey);
    for (const key of signed) {
      if (!verifyIdentitySignature(owner.identityKey, key.publicKey, key.signature)) {
        throw new RelayError(RelayErrorCode.BadFrame, 'a prekey signature does not verify');
      }
    }
    const store = this.#options.store;
    const before = upload.replaceOneTime
      ? { oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 }
      : await store.countPreKeys(owner.address);
    const max = this.#options.maxStoredOneTimePreKeys;
    if (
      before.oneTimePreKeys + upload.oneTimePreKeys.length > max ||
      before.oneTimeKyberPreKeys + upload.oneTimeKyberPreKeys.length > max
    ) {
      throw new RelayError(
        RelayErrorCode.BadFrame,
        `the relay keeps at most ${max} one-time prekeys of each kind`,
      );
    }
    await store.putPreKeys(owner.address, {
      ...(upload.signedPreKey === undefined ? {} : { signedPreKey: upload.signedPreKey }),
      ...(upload.lastResortKyberPreKey === undefined
        ? {}
        : { lastResortKyberPreKey: upload.lastResortKyberPreKey }),
      oneTimePreKeys: upload.oneTimePreKeys,
      oneTimeKyberPreKeys: upload.oneTimeKyberPreKeys,
      ...(upload.replaceOneTime ? { replaceOneTime: true } : {}),
    });
    return this.status(owner.address);
  }

  /** Hands out one bundle. `connectionKey` scopes the per-connection fetch rate. */
  async fetch(request: wire.FetchPreKeyBundle, connectionKey: string): Promise<PreKeyBundleReply> {
    const { store, limits } = this.#options;
    await limits.consume('fetches', connectionKey);
    const { persona: target } = await checkAccessKey(store, request.address, request.accessKey);
    // Counted only for callers holding the key, so strangers cannot starve the persona's contacts.
    await limits.consume('fetchTargets', target.address);
    const bundle = await store.takePreKeyBundle(target.address);
    if (bundle === undefined) {
      throw new RelayError(RelayErrorCode.NoPreKeys, 'this persona has not uploaded prekeys');
    }
    const status = await this.status(target.address);
    if (status.low) this.#options.registry.get(target.address)?.notifyPreKeysLow();
    return {
      address: target.address,
      registrationId: target.registrationId,
      identityKey: target.identityKey,
      signedPreKey: bundle.signedPreKey,
      kyberPreKey: bundle.kyberPreKey,
      ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
    };
  }

  async status(address: string): Promise<PreKeyStatusInit> {
    const counts = await this.#options.store.countPreKeys(address);
    const threshold = this.#options.lowPreKeyThreshold;
    return {
      ...counts,
      low: counts.oneTimePreKeys < threshold || counts.oneTimeKyberPreKeys < threshold,
    };
  }
}
