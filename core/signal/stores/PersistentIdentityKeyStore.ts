import { IdentityChange, IdentityKeyStore, PublicKey } from '@signalapp/libsignal-client';
import type { Direction, PrivateKey, ProtocolAddress } from '@signalapp/libsignal-client';
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
import { personaAddressFor } from '../../persona/personaAddress.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { StoreFailures } from './StoreFailures.js';

/** What we know of a remote persona's identity key. */
export interface RemoteIdentity {
  readonly address: string;
  readonly identityKey: Uint8Array;
  /** The user compared safety numbers and marked this key verified. */
  readonly verified: boolean;
}

/**
 * Remote identity keys, pinned on first use.
 *
 * Unlike Signal, where an account's identifier is independent of its key, a Kindred address is
 * derived from the identity key (personaAddressFor). So an address can never legitimately change
 * key: a key that does not derive the address it claims — in a prekey bundle, a prekey message or
 * a sender certificate — is an impersonation attempt. It is refused with CORE_IDENTITY_MISMATCH
 * in both directions, which is stronger than "trust on first use, then ask the user to accept".
 */
export class PersistentIdentityKeyStore extends IdentityKeyStore {
  readonly #store: KeyValueStore;
  readonly #persona: Persona;
  readonly #failures: StoreFailures;
  /** Parsed remote identities: libsignal asks for them four or five times per message. */
  readonly #known = new Map<string, RemoteIdentity>();

  constructor(store: KeyValueStore, persona: Persona, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#persona = persona;
    this.#failures = failures;
  }

  override getIdentityKey(): Promise<PrivateKey> {
    return Promise.resolve(this.#persona.identityKeyPair().privateKey);
  }

  override getLocalRegistrationId(): Promise<number> {
    return Promise.resolve(this.#persona.registrationId);
  }

  override saveIdentity(name: ProtocolAddress, key: PublicKey): Promise<IdentityChange> {
    return this.#failures.guard(async () => {
      const address = name.name();
      const keyBytes = key.serialize();
      const existing = await this.#checked(address, keyBytes);
      if (existing === undefined)
        await this.#write({ address, identityKey: keyBytes, verified: false });
      return IdentityChange.NewOrUnchanged;
    });
  }

  /** The same answer in both directions: see the class comment. */
  override isTrustedIdentity(
    name: ProtocolAddress,
    key: PublicKey,
    _direction: Direction,
  ): Promise<boolean> {
    return this.#failures.guard(async () => {
      await this.#checked(name.name(), key.serialize());
      return true;
    });
  }

  override getIdentity(name: ProtocolAddress): Promise<PublicKey | null> {
    return this.#failures.guard(async () => {
      const existing = await this.remoteIdentity(name.name());
      return existing === undefined
        ? null
        : PublicKey.deserialize(ownedBytes(existing.identityKey));
    });
  }

  async remoteIdentity(address: string): Promise<RemoteIdentity | undefined> {
    const known = this.#known.get(address);
    if (known !== undefined) return known;
    const bytes = await this.#store.get(`identities/${address}`);
    if (bytes === undefined) return undefined;
    const identity = parseRemoteIdentity(bytes);
    this.#known.set(address, identity);
    return identity;
  }

  async setVerified(address: string, verified: boolean): Promise<void> {
    const existing = await this.remoteIdentity(address);
    if (existing === undefined) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'no identity known for that address');
    }
    await this.#write({ ...existing, verified });
  }

  /** Refuses a key that does not derive `address` or differs from the pinned one. */
  async #checked(address: string, identityKey: Uint8Array): Promise<RemoteIdentity | undefined> {
    const mismatch = (): CoreError =>
      new CoreError(CoreErrorCode.IdentityMismatch, 'identity key does not match the address');
    const existing = await this.remoteIdentity(address);
    // A key equal to the pinned one was checked when it was pinned.
    if (existing !== undefined && bytesEqual(existing.identityKey, identityKey)) return existing;
    // Two keys deriving one address would take a SHA-256 collision; refuse it all the same.
    if (existing !== undefined || personaAddressFor(identityKey) !== address) throw mismatch();
    return undefined;
  }

  async #write(identity: RemoteIdentity): Promise<void> {
    const json: RemoteIdentityJson = {
      address: identity.address,
      identityKey: toBase64Url(identity.identityKey),
      verified: identity.verified,
    };
    await this.#store.put(`identities/${identity.address}`, utf8(JSON.stringify(json)));
    this.#known.set(identity.address, identity);
  }
}

interface RemoteIdentityJson {
  address: string;
  identityKey: string;
  verified: boolean;
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
  if (typeof parsed !== 'object' || parsed === null) throw corrupt();
  const r = parsed as Partial<Record<keyof RemoteIdentityJson, unknown>>;
  const identityKey = typeof r.identityKey === 'string' ? fromBase64Url(r.identityKey) : undefined;
  if (
    typeof r.address !== 'string' ||
    identityKey === undefined ||
    typeof r.verified !== 'boolean'
  ) {
    throw corrupt();
  }
  return { address: r.address, identityKey, verified: r.verified };
}
