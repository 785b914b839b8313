import {
  Direction,
  IdentityChange,
  IdentityKeyStore,
  PublicKey,
} from '@signalapp/libsignal-client';
import type { PrivateKey, ProtocolAddress } from '@signalapp/libsignal-client';
import {
  bytesEqual,
  fromBase64Url,
  fromUtf8,
  ownedBytes,
  toBase64Url,
  utf8,
} from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { Persona } from '../../persona/Persona.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';

/** What we know of a remote persona's identity key. */
export interface RemoteIdentity {
  readonly address: string;
  /** The key sessions currently use. */
  readonly identityKey: Uint8Array;
  /** `changed`: the key was replaced (seen on an incoming message) and not yet accepted. */
  readonly status: 'trusted' | 'changed';
  /** A different key offered by a prekey bundle that we refused to send to. */
  readonly pendingIdentityKey?: Uint8Array;
  /** The user compared safety numbers and marked this key verified. */
  readonly verified: boolean;
}

/**
 * Trust on first use, then every identity change is reported and blocks sending until the user
 * accepts it (`acceptIdentityChange`). Receiving from a changed key is allowed, as in Signal: the
 * message is shown with the change, but nothing is sent back until the user has seen it.
 */
export class PersistentIdentityKeyStore extends IdentityKeyStore {
  readonly #store: KeyValueStore;
  readonly #persona: Persona;

  constructor(store: KeyValueStore, persona: Persona) {
    super();
    this.#store = store;
    this.#persona = persona;
  }

  override getIdentityKey(): Promise<PrivateKey> {
    return Promise.resolve(this.#persona.identityKeyPair().privateKey);
  }

  override getLocalRegistrationId(): Promise<number> {
    return Promise.resolve(this.#persona.registrationId);
  }

  override async saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    const address = name.name();
    const existing = await this.remoteIdentity(address);
    const keyBytes = key.serialize();
    if (existing === undefined) {
      await this.#write({ address, identityKey: keyBytes, status: 'trusted', verified: false });
      return IdentityChange.NewOrUnchanged;
    }
    if (bytesEqual(existing.identityKey, keyBytes)) return IdentityChange.NewOrUnchanged;
    await this.#write({ address, identityKey: keyBytes, status: 'changed', verified: false });
    return IdentityChange.ReplacedExisting;
  }

  override async isTrustedIdentity(
    name: ProtocolAddress,
    key: PublicKey,
    direction: Direction,
  ): Promise<boolean> {
    const existing = await this.remoteIdentity(name.name());
    if (existing === undefined) return true;
    const keyBytes = key.serialize();
    const same = bytesEqual(existing.identityKey, keyBytes);
    if (direction === Direction.Receiving) return true;
    if (same) return existing.status === 'trusted';
    if (
      existing.pendingIdentityKey === undefined ||
      !bytesEqual(existing.pendingIdentityKey, keyBytes)
    ) {
      await this.#write({ ...existing, pendingIdentityKey: keyBytes });
    }
    return false;
  }

  override async getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
    const existing = await this.remoteIdentity(name.name());
    return existing === undefined ? null : PublicKey.deserialize(ownedBytes(existing.identityKey));
  }

  async remoteIdentity(address: string): Promise<RemoteIdentity | undefined> {
    const bytes = await this.#store.get(`identities/${address}`);
    return bytes === undefined ? undefined : parseRemoteIdentity(bytes);
  }

  /** Remote personas whose key changed and who are waiting for the user's acceptance. */
  async pendingChanges(): Promise<RemoteIdentity[]> {
    const entries = await this.#store.list('identities');
    return entries
      .map((entry) => parseRemoteIdentity(entry.value))
      .filter(
        (identity) => identity.status === 'changed' || identity.pendingIdentityKey !== undefined,
      );
  }

  /** The user saw the change: the newest key becomes trusted (and unverified). */
  async acceptIdentityChange(address: string): Promise<void> {
    const existing = await this.remoteIdentity(address);
    if (existing === undefined) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'no identity known for that address');
    }
    await this.#write({
      address,
      identityKey: existing.pendingIdentityKey ?? existing.identityKey,
      status: 'trusted',
      verified: false,
    });
  }

  async setVerified(address: string, verified: boolean): Promise<void> {
    const existing = await this.remoteIdentity(address);
    if (existing === undefined) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'no identity known for that address');
    }
    await this.#write({ ...existing, verified });
  }

  async #write(identity: RemoteIdentity): Promise<void> {
    const json: RemoteIdentityJson = {
      identityKey: toBase64Url(identity.identityKey),
      status: identity.status,
      verified: identity.verified,
      ...(identity.pendingIdentityKey === undefined
        ? {}
        : { pendingIdentityKey: toBase64Url(identity.pendingIdentityKey) }),
    };
    await this.#store.put(
      `identities/${identity.address}`,
      utf8(JSON.stringify({ address: identity.address, ...json })),
    );
  }
}

interface RemoteIdentityJson {
  identityKey: string;
  status: 'trusted' | 'changed';
  verified: boolean;
  pendingIdentityKey?: string;
}

function parseRemoteIdentity(bytes: Uint8Array): RemoteIdentity {
  const corrupt = (): CoreError =>
    new CoreError(CoreErrorCode.VaultCorrupt, 'identity record malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch {
    throw corrupt();
  }
  const r = parsed as Partial<Record<keyof RemoteIdentityJson | 'address', unknown>>;
  const identityKey = typeof r.identityKey === 'string' ? fromBase64Url(r.identityKey) : undefined;
  const pending =
    typeof r.pendingIdentityKey === 'string' ? fromBase64Url(r.pendingIdentityKey) : undefined;
  if (
    typeof r.address !== 'string' ||
    identityKey === undefined ||
    (r.status !== 'trusted' && r.status !== 'changed') ||
    typeof r.verified !== 'boolean' ||
    (r.pendingIdentityKey !== undefined && pending === undefined)
  ) {
    throw corrupt();
  }
  return {
    address: r.address,
    identityKey,
    status: r.status,
    verified: r.verified,
    ...(pending === undefined ? {} : { pendingIdentityKey: pending }),
  };
}
