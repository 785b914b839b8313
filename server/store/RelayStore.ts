/**
 * Everything the relay keeps, behind one interface. LevelRelayStore (embedded, the default) and
 * MemoryRelayStore both pass tests/server/relayStore.contract.ts. The interface assumes nothing
 * about running in one process: delivery is triggered by `subscribeMailbox` telling a node that a
 * mailbox changed, never by an in-memory call from the connection that wrote it, so a
 * Redis/Valkey-cluster backend (mailboxes sharded by recipient, pub/sub as the wake-up signal)
 * can implement it too.
 *
 * What it stores is pseudonymous by construction: persona addresses and public keys, hashes of
 * access keys, sealed envelopes. Never a name, never content, never a sender.
 */
export interface RelayStore {
  getPersona(address: string): Promise<StoredPersona | undefined>;
  putPersona(persona: StoredPersona): Promise<void>;

  /** Replaces the signed and last-resort keys when given; appends one-time keys. */
  putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void>;
  /**
   * Hands out one bundle, atomically consuming one one-time EC key and one one-time Kyber key
   * when any are left (falling back to the last-resort Kyber key). Undefined when the persona
   * has no signed prekey.
   */
  takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined>;
  countPreKeys(address: string): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }>;

  /**
   * Appends envelopes durably. Resolves only once every one of them is on disk (synced), with the
   * id each got (ids increase per mailbox). Concurrent calls may be committed in one batch.
   */
  appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]>;
  /** Envelopes of one mailbox with id > afterId, oldest first. */
  readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]>;
  deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void>;
  mailboxDepth(address: string): Promise<number>;
  /** Deletes envelopes received before `cutoff` (ms); returns how many. */
  expireEnvelopes(cutoff: number): Promise<number>;
  /**
   * Calls `listener` after envelopes were appended to `address`'s mailbox, by any node. An
   * embedded store passes the envelopes it just committed, in id order, so a caught-up reader can
   * deliver them without reading them back; a networked one may pass nothing, and readers then
   * read the mailbox.
   */
  subscribeMailbox(address: string, listener: MailboxListener): () => void;

  /** Counts one use of a relay invite token; false when it has already been used `maxUses` times. */
  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean>;

  /** Small relay-wide values (relay id, sender certificate issuer). */
  getSetting(name: string): Promise<Uint8Array | undefined>;
  putSetting(name: string, value: Uint8Array): Promise<void>;

  close(): Promise<void>;
}

export type MailboxListener = (appended?: readonly StoredEnvelope[]) => void;

export interface StoredPersona {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly registrationId: number;
  readonly accessKeyHash: Uint8Array;
  readonly registeredAt: number;
}

export interface StoredSignedPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface StoredOneTimePreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
}

export interface StoredPreKeyUpload {
  readonly signedPreKey?: StoredSignedPreKey;
  readonly lastResortKyberPreKey?: StoredSignedPreKey;
  readonly oneTimePreKeys: readonly StoredOneTimePreKey[];
  readonly oneTimeKyberPreKeys: readonly StoredSignedPreKey[];
}

export interface StoredPreKeyBundle {
  readonly signedPreKey: StoredSignedPreKey;
  readonly kyberPreKey: StoredSignedPreKey;
  readonly preKey?: StoredOneTimePreKey;
}

export interface NewEnvelope {
  readonly recipient: string;
  readonly sealed: Uint8Array;
  readonly receivedAt: number;
}

export interface StoredEnvelope {
  readonly id: bigint;
  readonly sealed: Uint8Array;
  readonly receivedAt: number;
}
