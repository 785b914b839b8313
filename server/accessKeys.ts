import { timingSafeEqual } from 'node:crypto';
import { ACCESS_KEY_HASH_BYTES, RelayErrorCode, accessKeyHash } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayStore, StoredPersona } from './store/RelayStore.js';

/** Compared against when the persona does not exist, so both refusals take the same work. */
const NO_HASH = new Uint8Array(ACCESS_KEY_HASH_BYTES);

/**
 * The access keys one connection presented and had accepted, each with the persona record it
 * was checked against. Why: a sender sends many envelopes to the same recipients, and hashing
 * the key (SHA-256) for each was a visible share of the relay's time per message. The memo lives
 * and dies with the connection that presented the keys and only ever short-cuts an acceptance.
 * It is keyed by the record itself, weakly: a new access key means a new record, so the memo
 * stops matching at once, and entries go when the store lets go of their record.
 */
export class AccessKeyMemo {
  readonly #accepted = new WeakMap<StoredPersona, Uint8Array>();

  /** Whether `accessKey` was already accepted for exactly this persona record. */
  matches(persona: StoredPersona, accessKey: Uint8Array): boolean {
    const accepted = this.#accepted.get(persona);
    return accepted?.length === accessKey.length && timingSafeEqual(accepted, accessKey);
  }

  remember(persona: StoredPersona, accessKey: Uint8Array): void {
    // Copied: the presented key is a view into the whole received frame.
    this.#accepted.set(persona, Uint8Array.from(accessKey));
  }
}

/**
 * Checks a delivery access key against the hash the persona registered. An unknown persona and a
 * wrong key are refused alike (RELAY_ACCESS_DENIED), so the answer does not reveal whether a
 * persona exists on this relay. With a `memo`, a key this connection just had accepted for the
 * same record is not hashed again.
 */
export async function checkAccessKey(
  store: RelayStore,
  address: string,
  accessKey: Uint8Array,
  memo?: AccessKeyMemo,
): Promise<StoredPersona> {
  const persona = await store.getPersona(address);
  if (persona !== undefined && memo?.matches(persona, accessKey) === true) return persona;
  const presented = accessKeyHash(accessKey);
  const expected = persona?.accessKeyHash ?? NO_HASH;
  const matches = expected.length === presented.length && timingSafeEqual(expected, presented);
  if (persona === undefined || !matches) {
    throw new RelayError(RelayErrorCode.AccessDenied, 'access denied');
  }
  memo?.remember(persona, accessKey);
  return persona;
}
