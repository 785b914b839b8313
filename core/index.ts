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
export * from './backup/index.js';
export * from './protocol/frames.js';
export * from './protocol/relayAuth.js';
export * from './protocol/RelayErrorCode.js';
export * from './protocol/RelayInviteToken.js';
export * as wire from './protocol/gen/kindred_pb.js';
export * from './client/KindredClient.js';
export type {
  ClientIdentity,
  CreatedInvite,
  KindredClientOptions,
  PersonaSession,
  RelayTarget,
} from './client/PersonaSession.js';
export type * from './client/clientEvents.js';
export type { Contact } from './client/ContactBook.js';
export type { ContactCardData } from './client/contactCard.js';
export * from './client/ContactInviteLink.js';
export type * from './client/MessageHistory.js';
export type { LocalData } from './client/LocalData.js';
export { MAX_LOCAL_DATA_BYTES, MAX_LOCAL_DATA_KEY_LENGTH } from './client/LocalData.js';
export { MAX_REACTION_LENGTH, isValidReaction } from './client/contentCodec.js';
export { Backoff } from './client/Backoff.js';
export * from './client/ConnectSchedule.js';
export { parseProxyUrl } from './client/SocksProxy.js';
export type { SocksProxy } from './client/SocksProxy.js';
export { DEFAULT_ANONYMOUS_IDLE_CLOSE_MS } from './client/AnonymousLinks.js';
export type { BackoffOptions } from './client/Backoff.js';
export * from './client/RelayConnection.js';
export { RelayRejectedError } from './client/RelayRejectedError.js';
export { coreCodeForRelayRefusal } from './client/relayRefusalCodes.js';
export { checkRelayUrl, isLoopbackHost } from './client/relayUrl.js';
export type * from './groups/GroupState.js';
export { ROLE_RANK } from './groups/GroupState.js';
export { PersistentMap, PersistentSet } from './groups/PersistentMap.js';
export * from './groups/groupStateSnapshot.js';
export * from './groups/GroupRules.js';
export * from './groups/groupOperations.js';
export * from './groups/GroupSecret.js';
export * from './groups/GroupInviteLink.js';
export { GroupHandle } from './client/groups/GroupHandle.js';
export type * from './client/groups/GroupSession.js';
export type * from './client/groups/GroupStore.js';
export type * from './client/groups/GroupReports.js';
// The client's codecs and their limits: the CLI checks arguments against the same limits, and
// the benchmark encodes and opens what a client would with the client's own code.
export * from './client/groups/groupCodec.js';
export { MAX_TEXT_LENGTH, decodeContent, encodeContent } from './client/contentCodec.js';
export type { ReceivedContent } from './client/contentCodec.js';
