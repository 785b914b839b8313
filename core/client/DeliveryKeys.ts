import { randomBytes } from 'node:crypto';
import { ownedBytes, toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { ACCESS_KEY_BYTES } from '../protocol/frames.js';
import { accessKeyHash } from '../protocol/relayAuth.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

/**
 * What a delivery key was handed out for: one contact invite link (`invite:<id, hex>`), one
 * contact (`contact:<address>`), one group membership (`group:<id, hex>`) or one fellow member's
 * message requests in one group (`request:<group id, hex>:<address>`, core/client/requests).
 */
export type DeliveryKeyScope =
  `invite:${string}` | `contact:${string}` | `group:${string}` | `request:${string}`;

/**
 * - `pending`: made, not yet registered with the relay;
 * - `active`: registered;
 * - `revoking`: to be revoked at the relay (from `revokeAt` on), then forgotten.
 */
export type DeliveryKeyStatus = 'pending' | 'active' | 'revoking';

/** One delivery key this persona handed out, and where it stands with the relay. */
export interface OwnDeliveryKey {
  readonly key: Uint8Array;
  readonly scope: DeliveryKeyScope;
  /** ms since the epoch, 0 = never; the relay enforces it. */
  readonly expiresAt: number;
  readonly status: DeliveryKeyStatus;
  /** A contact's key not yet sent to that contact (DeliveryKeyGrant): sent once registered. */
  readonly grant: boolean;
  /** For `revoking`: not before this time (ms); 0 = at once. */
  readonly revokeAt: number;
}

const KEYS = 'client/delivery-keys';

/** The hex SHA-256 of a key: how both this store and the relay name it. */
export function deliveryKeyId(key: Uint8Array): string {
  return toHex(accessKeyHash(key));
}

/**
 * The delivery keys one persona handed out: one per contact, per invite link and per group
 * membership, so each can be revoked on its own (docs/protocol.md, "Delivery keys"). Only the
 * store: PersonaSession registers and revokes them at the relay.
 */
export class DeliveryKeys {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Makes a fresh key for `scope`, stored as `pending` (the caller then registers it). */
  async create(
    scope: DeliveryKeyScope,
    options: {
      readonly expiresAt?: number;
      readonly grant?: boolean;
      /** A key both sides derive (a request key); fresh random bytes otherwise. */
      readonly key?: Uint8Array;
    } = {},
  ): Promise<OwnDeliveryKey> {
    const record: OwnDeliveryKey = {
      key: options.key ?? ownedBytes(randomBytes(ACCESS_KEY_BYTES)),
      scope,
      expiresAt: options.expiresAt ?? 0,
      status: 'pending',
      grant: options.grant ?? false,
      revokeAt: 0,
    };
    await this.put(record);
    return record;
  }

  async put(record: OwnDeliveryKey): Promise<void> {
    await this.#store.put(`${KEYS}/${deliveryKeyId(record.key)}`, encodeRecord(record));
  }

  async delete(record: OwnDeliveryKey): Promise<void> {
    await this.#store.delete(`${KEYS}/${deliveryKeyId(record.key)}`);
  }

  /** A key by its id (`deliveryKeyId`). */
  async get(id: string): Promise<OwnDeliveryKey | undefined> {
    const bytes = await this.#store.get(`${KEYS}/${id}`);
    return bytes === undefined ? undefined : parseKey(bytes);
  }

  async list(): Promise<OwnDeliveryKey[]> {
    const entries = await this.#store.list(KEYS);
    return entries.map((entry) => parseKey(entry.value));
  }

  /** The key in use for `scope` (pending or active), if any. */
  async current(scope: DeliveryKeyScope): Promise<OwnDeliveryKey | undefined> {
    return (await this.list()).find((key) => key.scope === scope && key.status !== 'revoking');
  }

  /**
   * Marks every key of `scope` in use for revocation, from `at` (ms, 0 = at once). Returns how
   * many it marked. A key already marked keeps the earlier time.
   */
  async revoke(scope: DeliveryKeyScope, at = 0): Promise<number> {
    let marked = 0;
    for (const key of await this.list()) {
      if (key.scope !== scope || key.status === 'revoking') continue;
      await this.put({ ...key, status: 'revoking', grant: false, revokeAt: at });
      marked += 1;
    }
    return marked;
  }
}

function parseKey(bytes: Uint8Array): OwnDeliveryKey {
  const r = RecordReader.decode(bytes, 'delivery key');
  const scope = r.string('scope');
  if (!/^(invite|contact|group|request):/u.test(scope)) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'delivery key record malformed');
  }
  return {
    key: r.bytes('key'),
    scope: scope as DeliveryKeyScope,
    expiresAt: r.number('expiresAt'),
    status: r.oneOf('status', ['pending', 'active', 'revoking'] as const),
    grant: r.boolean('grant'),
    revokeAt: r.number('revokeAt'),
  };
}
