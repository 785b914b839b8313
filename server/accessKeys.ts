import { timingSafeEqual } from 'node:crypto';
import { ACCESS_KEY_HASH_BYTES, RelayErrorCode, accessKeyHash, toHex } from '../core/index.js';
import type { wire } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayStore, StoredPersona } from './store/RelayStore.js';

/** Compared against when the persona does not exist, so both refusals take the same work. */
const NO_HASH = new Uint8Array(ACCESS_KEY_HASH_BYTES);
/** Hex digits of a delivery key's hash that tag the envelopes written with it. */
const KEY_TAG_HEX_DIGITS = 16;
/** Recipients whose last accepted key one connection remembers (a sender writes to a few). */
const MEMO_SIZE = 64;

/** A key the relay accepted for a persona, and the tag its share of the mailbox is counted on. */
export interface AcceptedAccessKey {
  readonly persona: StoredPersona;
  /**
   * '' for the persona's registration key (which clients keep to themselves: it is limited only
   * by the mailbox depth), else the first 16 hex digits of the delivery key's SHA-256.
   */
  readonly keyTag: string;
}

/**
 * The access keys one connection presented and had hashed, by recipient. Why: a sender sends many
 * envelopes to the same recipients, and hashing the key (SHA-256) for each was a visible share of
 * the relay's time per message. The memo only saves the hash: every envelope is still checked
 * against the recipient's current keys, so a revocation takes effect at once.
 *
 * Each entry is one pooled buffer holding the key and then its hash (not an object and two
 * arrays, three times the memory): a connection that sends to many recipients fills its memo to
 * MEMO_SIZE, and under a sustained load across many connections the entries are most of what
 * the relay's heap grows by (docs/performance.md).
 */
export class AccessKeyMemo {
  /** Made on the first send (a connection that only receives never needs it). */
  #entries: Map<string, Uint8Array> | undefined;

  /** SHA-256 of `accessKey`, from the memo when this connection last presented it for `address`. */
  hash(address: string, accessKey: Uint8Array): Uint8Array {
    const entries = (this.#entries ??= new Map<string, Uint8Array>());
    const known = entries.get(address);
    if (known?.length === accessKey.length + ACCESS_KEY_HASH_BYTES) {
      const key = known.subarray(0, accessKey.length);
      if (timingSafeEqual(key, accessKey)) return known.subarray(accessKey.length);
    }
    const hash = accessKeyHash(accessKey);
    if (entries.size >= MEMO_SIZE) entries.clear();
    // Copied (the presented key is a view into the whole received frame) into a slice of Node's
    // shared buffer pool, every byte written here.
    const entry = Buffer.allocUnsafe(accessKey.length + hash.length);
    entry.set(accessKey, 0);
    entry.set(hash, accessKey.length);
    entries.set(address, entry);
    return hash;
  }
}

/**
 * Checks a delivery access key: the persona's registration key, or one of the delivery keys it
 * registered that has not expired (the relay enforces the expiry itself, so an invite link's key
 * stops working on time even while its owner is offline). An unknown persona, a wrong key, a
 * revoked and an expired one are refused alike (RELAY_ACCESS_DENIED), so the answer does not
 * reveal whether a persona exists on this relay or which keys it had.
 */
export async function checkAccessKey(
  store: RelayStore,
  address: string,
  accessKey: Uint8Array,
  memo?: AccessKeyMemo,
  now: number = Date.now(),
): Promise<AcceptedAccessKey> {
  const persona = await store.getPersona(address);
  const presented = memo === undefined ? accessKeyHash(accessKey) : memo.hash(address, accessKey);
  const expected = persona?.accessKeyHash ?? NO_HASH;
  const isRegistrationKey =
    expected.length === presented.length && timingSafeEqual(expected, presented);
  if (persona !== undefined && isRegistrationKey) return { persona, keyTag: '' };
  if (persona !== undefined) {
    // A map lookup is not constant-time, but what it compares is a hash of a 256-bit random key:
    // timing can at most tell an attacker about hashes of keys it does not have.
    const hashHex = toHex(presented);
    const expiresAt = (await store.getDeliveryKeys(address)).get(hashHex);
    if (expiresAt !== undefined && (expiresAt === 0 || expiresAt > now)) {
      return { persona, keyTag: hashHex.slice(0, KEY_TAG_HEX_DIGITS) };
    }
  }
  throw new RelayError(RelayErrorCode.AccessDenied, 'access denied');
}

/**
 * Registers a delivery key for `owner` (or replaces its expiry), after dropping its expired keys.
 * RELAY_TOO_MANY_DELIVERY_KEYS when it would hold more than `maxKeys` live ones; an expiry in the
 * past is RELAY_BAD_FRAME.
 */
export async function addDeliveryKey(
  store: RelayStore,
  owner: StoredPersona,
  frame: wire.AddDeliveryKey,
  maxKeys: number,
  now: number = Date.now(),
): Promise<void> {
  const expiresAt = Number(frame.expiresAt);
  if (expiresAt !== 0 && expiresAt <= now) {
    throw new RelayError(RelayErrorCode.BadFrame, 'the delivery key has already expired');
  }
  const hashHex = toHex(frame.accessKeyHash);
  const keys = await store.getDeliveryKeys(owner.address);
  const expired = [...keys].filter(([, at]) => at !== 0 && at <= now).map(([hash]) => hash);
  if (expired.length > 0) await store.deleteDeliveryKeys(owner.address, expired);
  const live = keys.size - expired.length;
  const replacing = keys.has(hashHex) && !expired.includes(hashHex);
  if (!replacing && live >= maxKeys) {
    throw new RelayError(
      RelayErrorCode.TooManyDeliveryKeys,
      `a persona holds at most ${maxKeys} delivery keys`,
    );
  }
  await store.putDeliveryKey(owner.address, hashHex, expiresAt);
}

/** Revokes one of `owner`'s delivery keys; a key that is not registered is not an error. */
export async function revokeDeliveryKey(
  store: RelayStore,
  owner: StoredPersona,
  frame: wire.RevokeDeliveryKey,
): Promise<void> {
  await store.deleteDeliveryKeys(owner.address, [toHex(frame.accessKeyHash)]);
}
