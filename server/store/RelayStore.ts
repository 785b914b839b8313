import type { BlobRecord } from '../blobs/BlobStore.js';
import type { BlobTotals, CountedBlobFetch } from './blobRecords.js';
import type { DirectoryRecords } from './directoryRecords.js';

/**
 * Everything the relay keeps, behind one interface. LevelRelayStore (embedded, the default) and
 * MemoryRelayStore both pass tests/server/relayStore.contract.ts. The interface assumes nothing
 * about running in one process: delivery is triggered by `subscribeMailbox` telling a node that a
 * mailbox changed, never by an in-memory call from the connection that wrote it, so a
 * Redis/Valkey-cluster backend (mailboxes sharded by recipient, pub/sub as the wake-up signal)
 * can implement it too.
 *
 * What it stores is pseudonymous by construction: persona addresses and public keys, hashes of
 * access keys, sealed envelopes, group streams (signed operations naming members by address, and
 * group messages sealed by their senders) with per-member cursors. Never a name, never content,
 * never a sender: a group message entry carries no poster.
 */
export interface RelayStore extends DirectoryRecords {
  getPersona(address: string): Promise<StoredPersona | undefined>;
  putPersona(persona: StoredPersona): Promise<void>;

  /**
   * The delivery keys a persona registered besides its registration key, by hash (hex) with
   * their expiry (ms; 0 = never), expired ones included. The set is immutable: every change
   * makes a new one, so a caller may remember what it checked against a set by its identity.
   */
  getDeliveryKeys(address: string): Promise<DeliveryKeySet>;
  /** Registers one delivery key, or replaces its expiry when it is registered already. */
  putDeliveryKey(address: string, hashHex: string, expiresAt: number): Promise<void>;
  /** Removes delivery keys (revoked or expired); hashes that are not registered are skipped. */
  deleteDeliveryKeys(address: string, hashesHex: readonly string[]): Promise<void>;

  /**
   * Replaces the signed and last-resort keys when given; appends one-time keys, or replaces them
   * all when `replaceOneTime` is set.
   */
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
  /**
   * The depth of every non-empty mailbox, in no particular order and without whose it is (the
   * operator's mailbox-depth distribution). Reads every envelope key: call it rarely.
   */
  mailboxDepths(): Promise<number[]>;
  /** Envelopes in the mailbox that were appended with `keyTag` (queued or stored). */
  mailboxKeyDepth(address: string, keyTag: string): Promise<number>;
  /** Deletes envelopes received before `cutoff` (ms); returns how many. */
  expireEnvelopes(cutoff: number): Promise<number>;
  /**
   * Disappearing messages: deletes every envelope whose own `expiresAt` is at or before `now`
   * (delivered or not), and every message entry of a group with a disappearing timer that was
   * received at or before `now` - timer. Operations are never deleted. Returns how many envelopes
   * and message entries it deleted. A backend that keeps deleted bytes on disk for a while (a
   * log-structured one) makes them unreadable from its files before it resolves, when it deleted
   * any (LevelDB: a compaction of the ranges it touched).
   */
  expireDue(now: number): Promise<number>;
  /**
   * Calls `listener` after envelopes were appended to `address`'s mailbox, by any node. An
   * embedded store passes the envelopes it just committed, in id order, so a caught-up reader can
   * deliver them without reading them back; a networked one may pass nothing, and readers then
   * read the mailbox.
   */
  subscribeMailbox(address: string, listener: MailboxListener): () => void;

  // ---- groups: one stream per group (operations and messages at increasing index from 1) ----

  /**
   * Appends one entry to a group's stream, durably, through the same group commit as envelopes:
   * resolves once it is synced, with the index it got. Conditional on the group's log, so that
   * relay nodes need not share memory to keep the log a chain:
   * - an operation is appended only if the log holds exactly `sequence` operations (sequence 0:
   *   only if the group does not exist), and moves the cursors of `joined` and `left` members in
   *   the same write;
   * - a message is appended only if the log holds exactly `logLength` operations.
   * Otherwise it rejects with a GroupAppendConflictError and writes nothing.
   */
  appendGroupEntry(entry: NewGroupEntry): Promise<StoredGroupEntry>;
  /** Operations in the group's log from `fromSequence` on, in log order (serialized, as given). */
  readGroupOperations(
    groupId: Uint8Array,
    fromSequence: number,
    limit: number,
  ): Promise<Uint8Array[]>;
  /** Operations in the group's log; 0 when the group does not exist. */
  groupLogLength(groupId: Uint8Array): Promise<number>;
  /**
   * A member's cursor and its entries after `afterIndex` and after its acknowledged index,
   * oldest first, never past its `readUntil`. Undefined when `address` has no cursor in the
   * group. Entries and cursor are read consistently: an entry after the operation that ended a
   * membership is never returned to that member, nor (since a member who rejoins starts again at
   * the operation that readmitted it) one from while it was away.
   */
  readMemberEntries(
    groupId: Uint8Array,
    address: string,
    afterIndex: number | undefined,
    limit: number,
  ): Promise<MemberEntries | undefined>;
  getGroupCursor(groupId: Uint8Array, address: string): Promise<GroupCursor | undefined>;
  /**
   * Moves a member's cursor to `index`: never backwards, never past the stream's end or its
   * `readUntil`. Once a former member has acknowledged its `readUntil`, the cursor is deleted.
   * Returns the cursor as it now is; undefined when there is none (any more).
   */
  ackGroup(groupId: Uint8Array, address: string, index: number): Promise<GroupCursor | undefined>;
  /** Every group in which `address` has a cursor (members, and former members still reading). */
  listMemberGroups(address: string): Promise<GroupMembership[]>;
  /**
   * Deletes message entries every cursor of their group has passed, and those received before
   * `cutoff` (ms); drops the cursors of former members whose membership ended before `cutoff`.
   * Operations are never deleted: every client needs the whole log to verify it. Returns how many
   * message entries were deleted.
   */
  pruneGroups(cutoff: number): Promise<number>;
  /**
   * The group state snapshot kept for the group, if any: the relay's own cache of what the group
   * rules computed from the first `length` operations (core's groupStateSnapshot.ts), so that a
   * restart or a cache miss replays only the operations after it.
   */
  getGroupSnapshot(groupId: Uint8Array): Promise<StoredGroupSnapshot | undefined>;
  /**
   * Keeps `snapshot` as the group's snapshot when it covers at least as many operations as the
   * one kept, and no more than the log holds; otherwise does nothing. Need not be synced: a lost snapshot
   * costs a longer replay, nothing else. Operations are never deleted, so neither is a snapshot.
   */
  putGroupSnapshot(groupId: Uint8Array, snapshot: StoredGroupSnapshot): Promise<void>;
  /**
   * Calls `listener` after entries were appended to the group's stream, by any node. As with
   * mailboxes, an embedded store passes the entries it just committed, in index order; a
   * networked one may pass nothing.
   */
  subscribeGroup(groupId: Uint8Array, listener: GroupListener): () => void;
  /**
   * Calls `listener` with a group's id after `address` got a cursor in it (it became a member) or
   * its membership there ended, by any node. Embedded stores call it before the group's own
   * listeners for the same write.
   */
  subscribeMemberGroups(address: string, listener: MemberGroupsListener): () => void;

  /** Counts one use of a relay invite token; false when it has already been used `maxUses` times. */
  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean>;

  /** Small relay-wide values (relay id, sender certificate issuer). */
  getSetting(name: string): Promise<Uint8Array | undefined>;
  putSetting(name: string, value: Uint8Array): Promise<void>;
  /**
   * Keeps `value` as the setting unless the setting exists already, atomically (so relay nodes
   * started at once on one empty store agree on one relay id, one certificate issuer); resolves
   * with the value kept, durably.
   */
  claimSetting(name: string, value: Uint8Array): Promise<Uint8Array>;

  close(): Promise<void>;

  // ---- blobs: attachment records (the bytes are files in the blob folder, shared by nodes) ----

  /** Records a new blob, durably; false (and nothing written) when its id is recorded already. */
  createBlob(record: BlobRecord): Promise<boolean>;
  getBlob(id: string): Promise<BlobRecord | undefined>;
  /** Marks a blob complete, durably; the record as it now is, undefined when there is none. */
  completeBlob(id: string): Promise<BlobRecord | undefined>;
  /**
   * Counts one whole download, durably; the count that reaches the blob's expected fetches
   * deletes its record in the same atomic step (so of two nodes counting the last fetches at
   * once exactly one sees it deleted). Undefined when there is no record.
   */
  countBlobFetch(id: string): Promise<CountedBlobFetch | undefined>;
  /** Deletes a blob's record, durably; the record it deleted, undefined when there was none. */
  deleteBlob(id: string): Promise<BlobRecord | undefined>;
  /**
   * Deletes the record of every blob expired by `now` (its expiresAt reached, or incomplete when
   * its upload window closed) and returns them, each deleted by exactly one caller.
   */
  expireBlobs(now: number): Promise<BlobRecord[]>;
  /** How many blobs are recorded, and the sum of their sizes (the relay's blob space). */
  blobTotals(): Promise<BlobTotals>;
}

export type MailboxListener = (appended?: readonly StoredEnvelope[]) => void;
export type GroupListener = (appended?: readonly StoredGroupEntry[]) => void;
export type MemberGroupsListener = (groupId: Uint8Array) => void;

export interface StoredPersona {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly registrationId: number;
  readonly accessKeyHash: Uint8Array;
  readonly registeredAt: number;
}

/** A persona's delivery keys: SHA-256 of the key (hex) → expiry (ms since the epoch, 0 = never). */
export type DeliveryKeySet = ReadonlyMap<string, number>;

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
  /** Drops the persona's other one-time keys (both kinds) first, in the same write. */
  readonly replaceOneTime?: boolean;
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
  /**
   * Names the delivery key the envelope was written with (at most 255 ASCII characters), so each
   * key's share of the mailbox can be counted (`mailboxKeyDepth`). Absent: ''.
   */
  readonly keyTag?: string;
  /**
   * When `expireDue` deletes the envelope, delivered or not (ms since the epoch): the
   * conversation's disappearing timer after `receivedAt`. Absent: only the relay's retention.
   */
  readonly expiresAt?: number;
}

export interface StoredEnvelope {
  readonly id: bigint;
  readonly sealed: Uint8Array;
  readonly receivedAt: number;
}

export type GroupEntryKind = 'operation' | 'message';

/** What `appendGroupEntry` appends: a signed operation, or a sealed group message. */
export type NewGroupEntry = NewGroupOperation | NewGroupMessage;

export interface NewGroupOperation {
  readonly kind: 'operation';
  readonly groupId: Uint8Array;
  /** The serialized SignedGroupOperation. */
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
  /** The operation's sequence in the log: the number of operations before it. */
  readonly sequence: number;
  /** Addresses that become members with this operation: each gets a cursor at index - 1. */
  readonly joined: readonly string[];
  /** Addresses whose membership ends with this operation: each gets `readUntil` = its index. */
  readonly left: readonly string[];
  /**
   * The group's disappearing-messages timer from this operation on, in ms (0: off), when the
   * operation set it (create, set_policy); absent: unchanged. `expireDue` deletes the group's
   * message entries older than it, written in the same batch as the operation.
   */
  readonly disappearingMs?: number;
}

export interface NewGroupMessage {
  readonly kind: 'message';
  readonly groupId: Uint8Array;
  /** The serialized GroupEnvelope (sealed; no sender is stored with it). */
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
  /** The log length the poster had applied; the append fails unless it is the log's length. */
  readonly logLength: number;
}

export interface StoredGroupEntry {
  /** Position in the group's stream, from 1. Dense, except where messages were pruned. */
  readonly index: number;
  readonly kind: GroupEntryKind;
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
}

/** A group state after the log's first `length` operations, encoded (the store keeps it as is). */
export interface StoredGroupSnapshot {
  readonly length: number;
  readonly bytes: Uint8Array;
}

export interface GroupCursor {
  /** The last index the member acknowledged (0: none). */
  readonly acked: number;
  /** Set once the membership ended: the last index this persona may still receive. */
  readonly readUntil?: number;
}

export interface GroupMembership extends GroupCursor {
  readonly groupId: Uint8Array;
}

export interface MemberEntries {
  readonly cursor: GroupCursor;
  readonly entries: readonly StoredGroupEntry[];
}
