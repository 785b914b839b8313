// The public surface of core. Other parts (server, cli, desktop) import only from here.
export * from './bytes/bytes.js';
export * from './errors/CoreError.js';
export * from './padding/padding.js';
export * from './persona/Persona.js';
export * from './persona/PersonaDirectory.js';
export * from './persona/personaAddress.js';
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
