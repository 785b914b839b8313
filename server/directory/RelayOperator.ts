import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  endorseOperatorKey,
  fromBase64Url,
  generateOperatorKeyPair,
  operatorKeyEndorsed,
} from '../../core/index.js';
import { agreeOperatorKey } from '../cluster/clusterOperatorKey.js';
import { loadOrCreateOperatorKey } from '../OperatorKey.js';
import { RelayConfigError } from '../RelayError.js';
import { TRUST_ROOT_KEY_FILE } from '../RelayIdentity.js';
import type { RelayStore } from '../store/RelayStore.js';

/** The trust root's endorsement of the operator key, kept once for every node (claimSetting). */
export const OPERATOR_ENDORSEMENT_SETTING = 'operator-key-endorsement';

/**
 * The relay's operator as the relay itself knows it: the key every Challenge shows
 * (docs/directory.md, "Keys"), the private half where this node may sign (approvals, bucket
 * re-signing, facilitator credentials), and the trust root's endorsement when there is one.
 */
export interface RelayOperator {
  readonly publicKey: Uint8Array;
  /** Undefined on a cluster node without operator.key, or with only a given public key. */
  readonly privateKey: Uint8Array | undefined;
  /** Undefined until the trust root endorsed the key (kindred-server endorse-operator-key). */
  readonly endorsement: Uint8Array | undefined;
}

export interface RelayOperatorSources {
  readonly store: RelayStore;
  readonly dataDir: string | undefined;
  /** Several nodes share the store: they agree on one key through its settings. */
  readonly shared: boolean;
  readonly relayId: Uint8Array;
  readonly trustRoot: Uint8Array;
  /** Only on the start that created the trust root (RelayIdentity). */
  readonly trustRootPrivateKey: Uint8Array | undefined;
  /** A public key given by the embedding code (tests), which then signs nothing itself. */
  readonly givenPublicKey: Uint8Array | undefined;
  /** Invite registration cannot run on a key whose private half nobody will ever hold. */
  readonly inviteRegistration: boolean;
  readonly logger: Logger;
}

/**
 * Finds the operator key (the data folder's operator.key, the cluster's agreed key, or for a
 * relay without a data folder a key made in memory) and its endorsement (kept in the store;
 * made now when the trust root's private key is at hand: on first start, or while
 * trust-root.key still lies in the data folder). Without one it warns once and the Challenge
 * carries the key alone, which clients do not trust for the directory.
 */
export async function loadRelayOperator(sources: RelayOperatorSources): Promise<RelayOperator> {
  const { durable, ...key } = await findOperatorKey(sources);
  const endorsement = await findEndorsement(sources, key.publicKey, durable);
  if (endorsement === undefined) {
    sources.logger.warn(
      { event: 'operator-key-not-endorsed' },
      'the operator key is not endorsed by the trust root: clients will not trust the directory; run kindred-server endorse-operator-key --trust-root-key FILE',
    );
  }
  return { ...key, endorsement };
}

/** `durable`: the relay's key for good (kept in a file or the shared store), not this process's. */
type FoundKey = Omit<RelayOperator, 'endorsement'> & { readonly durable: boolean };

async function findOperatorKey(sources: RelayOperatorSources): Promise<FoundKey> {
  if (sources.givenPublicKey !== undefined) {
    return { publicKey: sources.givenPublicKey, privateKey: undefined, durable: false };
  }
  if (sources.shared) {
    const agreed = await agreeOperatorKey(sources.store, sources.dataDir);
    if (agreed !== undefined) return { ...agreed, durable: true };
    if (sources.inviteRegistration) {
      throw new RelayConfigError(
        'invite registration needs an operator key: start with a data folder',
      );
    }
    sources.logger.warn(
      { event: 'operator-key-in-memory' },
      'no data folder and no operator key in the shared store: this node uses a key of its own until restarted',
    );
    return { ...generateOperatorKeyPair(), durable: false };
  }
  // One node: the data folder's key, or for a relay kept in memory a key made for its lifetime.
  return sources.dataDir === undefined
    ? { ...generateOperatorKeyPair(), durable: false }
    : { ...(await loadOrCreateOperatorKey(sources.dataDir)), durable: true };
}

async function findEndorsement(
  sources: RelayOperatorSources,
  operatorKey: Uint8Array,
  durable: boolean,
): Promise<Uint8Array | undefined> {
  const { store, relayId, trustRoot } = sources;
  const endorses = (endorsement: Uint8Array): boolean =>
    operatorKeyEndorsed({ trustRoot, relayId, operatorKey, endorsement });
  const stored = await store.getSetting(OPERATOR_ENDORSEMENT_SETTING);
  if (stored !== undefined && endorses(stored)) return stored;
  const trustRootKey =
    sources.trustRootPrivateKey ?? (await readTrustRootKey(sources.dataDir, sources.logger));
  if (trustRootKey === undefined) return undefined;
  let made: Uint8Array;
  try {
    made = endorseOperatorKey(trustRootKey, relayId, operatorKey);
  } catch {
    sources.logger.warn(
      { event: 'trust-root-key-malformed' },
      `${TRUST_ROOT_KEY_FILE} is malformed`,
    );
    return undefined;
  }
  // A trust-root.key that is not this relay's (copied from elsewhere) endorses nothing.
  if (!endorses(made)) return undefined;
  // A key given by embedding code, or made in memory, is not the relay's for good: not kept.
  if (!durable) return made;
  if (stored === undefined) {
    const kept = await store.claimSetting(OPERATOR_ENDORSEMENT_SETTING, made);
    return endorses(kept) ? kept : made;
  }
  // The one stored endorses another key (operator.key was replaced): this one is current.
  await store.putSetting(OPERATOR_ENDORSEMENT_SETTING, made);
  return made;
}

/** trust-root.key in the data folder, while the operator has not moved it offline yet. */
async function readTrustRootKey(
  dataDir: string | undefined,
  logger: Logger,
): Promise<Uint8Array | undefined> {
  if (dataDir === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(join(dataDir, TRUST_ROOT_KEY_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const bytes = fromBase64Url(text.trim());
  if (bytes === undefined) {
    logger.warn({ event: 'trust-root-key-malformed' }, `${TRUST_ROOT_KEY_FILE} is malformed`);
  }
  return bytes;
}

/**
 * `kindred-server endorse-operator-key`: an older relay whose trust root's private key already
 * went offline is endorsed with it, once, while the relay is stopped (LevelDB) or running (a
 * shared store; its nodes read the endorsement when they next start). Returns the operator
 * public key endorsed; RelayConfigError when the key is not this relay's trust root.
 */
export async function endorseStoredOperatorKey(options: {
  readonly store: RelayStore;
  readonly dataDir: string;
  readonly shared: boolean;
  readonly relayId: Uint8Array;
  readonly trustRoot: Uint8Array;
  readonly trustRootPrivateKey: Uint8Array;
}): Promise<Uint8Array> {
  const { store, relayId, trustRoot } = options;
  const key = options.shared
    ? await agreeOperatorKey(store, options.dataDir)
    : await loadOrCreateOperatorKey(options.dataDir);
  if (key === undefined) throw new RelayConfigError('this relay has no operator key yet');
  let endorsement: Uint8Array;
  try {
    endorsement = endorseOperatorKey(options.trustRootPrivateKey, relayId, key.publicKey);
  } catch (error) {
    throw new RelayConfigError('the trust-root key file is malformed', { cause: error });
  }
  if (!operatorKeyEndorsed({ trustRoot, relayId, operatorKey: key.publicKey, endorsement })) {
    throw new RelayConfigError("that key is not this relay's trust root");
  }
  await store.putSetting(OPERATOR_ENDORSEMENT_SETTING, endorsement);
  return key.publicKey;
}
