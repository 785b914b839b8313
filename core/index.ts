// Core's shared surface: protocol, crypto, rules, errors, storage and the vault — everything the
// relay needs, and nothing of the client agent. The CLI, the desktop app, benchmarks and tests
// import core/client/index.js (this surface and the client agent); the relay only this file.
export * from './bytes/bytes.js';
export * from './errors/CoreError.js';
export * from './padding/padding.js';
export * from './persona/Persona.js';
export * from './persona/PersonaDirectory.js';
export * from './persona/personaAddress.js';
export * from './persona/generatedPseudonym.js';
export * from './sealed/SenderCertificateIssuer.js';
export * from './signal/PersonaCipher.js';
export type * from './signal/signalTypes.js';
export type { RemoteIdentity } from './signal/stores/PersistentIdentityKeyStore.js';
export type * from './storage/KeyValueStore.js';
export { MemoryKeyValueStore } from './storage/MemoryKeyValueStore.js';
export { ScopedKeyValueStore } from './storage/ScopedKeyValueStore.js';
export type { KdfProfile } from './vault/KdfParams.js';
export { DEFAULT_KDF_PROFILE } from './vault/KdfParams.js';
export { Vault } from './vault/Vault.js';
export * from './backup/index.js';
export * from './protocol/frames.js';
export * from './protocol/relayAuth.js';
export * from './protocol/RelayErrorCode.js';
export * from './protocol/RelayInviteToken.js';
export * as wire from './protocol/gen/kindred_pb.js';
export type * from './groups/GroupState.js';
export { ROLE_RANK } from './groups/GroupState.js';
export { PersistentMap, PersistentSet } from './groups/PersistentMap.js';
export * from './groups/groupStateSnapshot.js';
export * from './groups/GroupRules.js';
export * from './groups/groupOperations.js';
export * from './groups/GroupSecret.js';
export * from './groups/GroupInviteLink.js';
export * from './blobs/blobProtocol.js';
export * from './directory/index.js';
