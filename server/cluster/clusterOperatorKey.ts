import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OPERATOR_KEY_FILE, loadOrCreateOperatorKey, readOperatorKey } from '../OperatorKey.js';
import { RelayConfigError } from '../RelayError.js';
import type { RelayStore } from '../store/RelayStore.js';

/** The operator's public key, as the nodes of one relay agreed on it. */
export const OPERATOR_PUBLIC_KEY_SETTING = 'operator-public-key';

/** The relay's operator key as one node knows it: the private half only where operator.key is. */
export interface AgreedOperatorKey {
  readonly publicKey: Uint8Array;
  /** Undefined on a node whose data folder holds no operator.key: it only verifies. */
  readonly privateKey: Uint8Array | undefined;
}

/**
 * The operator key of a relay on a shared store: one for the whole relay, its public half kept
 * in the store's settings. Every relay has one (its Challenge shows it; it signs directory
 * approvals, facilitator credentials and invite tokens). A node whose data folder holds
 * `operator.key` offers its public half (the first one kept wins) and refuses to start if it is
 * not the relay's, rather than serve a key nobody else signs with; a node without the file uses
 * the relay's key (it only verifies; signing needs the private key file). On an empty relay, the
 * first node with a data folder creates the key there. Undefined only when there is neither a
 * stored key nor a data folder to create one in.
 */
export async function agreeOperatorKey(
  store: RelayStore,
  dataDir: string | undefined,
): Promise<AgreedOperatorKey | undefined> {
  const own = dataDir === undefined ? undefined : await readOperatorKey(dataDir);
  const stored = await store.getSetting(OPERATOR_PUBLIC_KEY_SETTING);
  if (own !== undefined) {
    const kept = stored ?? (await store.claimSetting(OPERATOR_PUBLIC_KEY_SETTING, own.publicKey));
    if (!sameBytes(kept, own.publicKey)) {
      throw new RelayConfigError(
        `${OPERATOR_KEY_FILE} in this data folder is not the relay's operator key: give every node the same file, or none`,
      );
    }
    return own;
  }
  if (stored !== undefined) return { publicKey: stored, privateKey: undefined };
  if (dataDir === undefined) return undefined;
  const created = await loadOrCreateOperatorKey(dataDir);
  const kept = await store.claimSetting(OPERATOR_PUBLIC_KEY_SETTING, created.publicKey);
  if (!sameBytes(kept, created.publicKey)) {
    // Another node created one at the same moment and was kept: this one is nobody's key.
    await rm(join(dataDir, OPERATOR_KEY_FILE), { force: true });
    return { publicKey: kept, privateKey: undefined };
  }
  return created;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * Before minting invite tokens for a relay on a shared store: the data folder must hold the
 * relay's operator key. Minting elsewhere would create a new key whose tokens no node accepts
 * (and which would then stop that node from starting), so it is refused instead.
 */
export async function checkOperatorKeyFile(store: RelayStore, dataDir: string): Promise<void> {
  const own = await readOperatorKey(dataDir);
  if (own === undefined) {
    throw new RelayConfigError(
      `this data folder holds no ${OPERATOR_KEY_FILE}: mint invite tokens where the relay's is`,
    );
  }
  const relays = await store.getSetting(OPERATOR_PUBLIC_KEY_SETTING);
  if (relays !== undefined && !sameBytes(relays, own.publicKey)) {
    throw new RelayConfigError(
      `${OPERATOR_KEY_FILE} in this data folder is not the relay's operator key`,
    );
  }
}
