import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OPERATOR_KEY_FILE, loadOrCreateOperatorKey, readOperatorKey } from '../OperatorKey.js';
import { RelayConfigError } from '../RelayError.js';
import type { RelayStore } from '../store/RelayStore.js';

/** The operator's public key, as the nodes of one relay agreed on it. */
export const OPERATOR_PUBLIC_KEY_SETTING = 'operator-public-key';

/**
 * The operator public key every node of a relay on a shared store checks invite tokens against:
 * one for the whole relay, kept in the store's settings. A node whose data folder holds
 * `operator.key` offers its public half (the first one kept wins) and refuses to start if it is
 * not the relay's, rather than reject every token minted with the relay's key; a node without the
 * file uses the relay's key (it only verifies; minting needs the private key file). On an empty
 * relay, the first node creates the key in its data folder.
 */
export async function agreeOperatorKey(
  store: RelayStore,
  dataDir: string | undefined,
): Promise<Uint8Array> {
  const own = dataDir === undefined ? undefined : await readOperatorKey(dataDir);
  const stored = await store.getSetting(OPERATOR_PUBLIC_KEY_SETTING);
  if (own !== undefined) {
    const kept = stored ?? (await store.claimSetting(OPERATOR_PUBLIC_KEY_SETTING, own.publicKey));
    if (!sameBytes(kept, own.publicKey)) {
      throw new RelayConfigError(
        `${OPERATOR_KEY_FILE} in this data folder is not the relay's operator key: give every node the same file, or none`,
      );
    }
    return kept;
  }
  if (stored !== undefined) return stored;
  if (dataDir === undefined) {
    throw new RelayConfigError(
      'invite registration needs an operator key: start with a data folder',
    );
  }
  const created = await loadOrCreateOperatorKey(dataDir);
  const kept = await store.claimSetting(OPERATOR_PUBLIC_KEY_SETTING, created.publicKey);
  if (!sameBytes(kept, created.publicKey)) {
    // Another node created one at the same moment and was kept: this one is nobody's key.
    await rm(join(dataDir, OPERATOR_KEY_FILE), { force: true });
  }
  return kept;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
