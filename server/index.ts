// The public surface of the relay. Tests and tools import from here, never from deeper files.
import { RelayServer } from './RelayServer.js';
import type { RunningRelay } from './RelayServer.js';
import type { RelayOptions } from './RelayOptions.js';

/**
 * Starts a relay: opens its store (LevelDB in `options.dataDir` unless `options.store` is given),
 * creates the relay id and sender-certificate issuer on first start, and listens.
 *
 * ```ts
 * const relay = await startRelay({ dataDir, registration: 'open' });
 * // ... connect to relay.url, pin relay.trustRoot ...
 * await relay.close();
 * ```
 */
export function startRelay(options: RelayOptions): Promise<RunningRelay> {
  return RelayServer.start(options);
}

export type { RunningRelay } from './RelayServer.js';
export { RelayServer, STORE_FOLDER } from './RelayServer.js';
export {
  MAX_POW_DIFFICULTY,
  REGISTRATION_MODES,
  RELAY_DEFAULTS,
  resolveRelayOptions,
} from './RelayOptions.js';
export { RELAY_LIMIT_DEFAULTS, RELAY_LIMIT_NAMES, RELAY_LIMIT_SPECS } from './relayLimits.js';
export type { RelayLimits, RelayLimitSpec } from './relayLimits.js';
export type {
  RegistrationMode,
  RelayOptions,
  RelayTlsOptions,
  ResolvedRelayOptions,
} from './RelayOptions.js';
export { RelayCloseCode } from './closeCodes.js';
export { RelayConfigError, RelayError } from './RelayError.js';
export {
  OPERATOR_KEY_FILE,
  issueRelayInviteToken,
  loadOrCreateOperatorKey,
} from './OperatorKey.js';
export type { OperatorKey } from './OperatorKey.js';
export { TRUST_ROOT_KEY_FILE } from './RelayIdentity.js';
export { createSilentLogger, createStderrLogger } from './logger.js';
export type { Logger } from './logger.js';
export { LevelRelayStore } from './store/LevelRelayStore.js';
export type { LevelRelayStoreOptions } from './store/LevelRelayStore.js';
export { MemoryRelayStore } from './store/MemoryRelayStore.js';
export { StoreClosedError } from './store/StoreClosedError.js';
export { GroupAppendConflictError } from './store/GroupAppendConflictError.js';
export type { GroupAppendConflict } from './store/GroupAppendConflictError.js';
export type * from './store/RelayStore.js';
export type * from './store/directoryRecords.js';
export { DIRECTORY_REMOVALS_KEPT } from './store/directoryRecords.js';
export { RedisRelayStore } from './store/redis/RedisRelayStore.js';
export type { RedisRelayStoreOptions } from './store/redis/RedisRelayStore.js';
export { StoreNotReplicatedError } from './store/redis/StoreNotReplicatedError.js';
export { StoreUnreachableError } from './store/redis/StoreUnreachableError.js';
