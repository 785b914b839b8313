import { timingSafeEqual } from 'node:crypto';
import { ACCESS_KEY_HASH_BYTES, RelayErrorCode, accessKeyHash } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayStore, StoredPersona } from './store/RelayStore.js';

/** Compared against when the persona does not exist, so both refusals take the same work. */
const NO_HASH = new Uint8Array(ACCESS_KEY_HASH_BYTES);

/**
 * Checks a delivery access key against the hash the persona registered. An unknown persona and a
 * wrong key are refused alike (RELAY_ACCESS_DENIED), so the answer does not reveal whether a
 * persona exists on this relay.
 */
export async function checkAccessKey(
  store: RelayStore,
  address: string,
  accessKey: Uint8Array,
): Promise<StoredPersona> {
  const persona = await store.getPersona(address);
  const presented = accessKeyHash(accessKey);
  const expected = persona?.accessKeyHash ?? NO_HASH;
  const matches = expected.length === presented.length && timingSafeEqual(expected, presented);
  if (persona === undefined || !matches) {
    throw new RelayError(RelayErrorCode.AccessDenied, 'access denied');
  }
  return persona;
}
