import { bytesEqual, fromHex, toHex } from '../../bytes/bytes.js';
import type { ScheduleAnswerTag } from '../messages/MessageBody.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { applyGroupOperation } from '../../groups/GroupRules.js';
import type { GroupRuleContext } from '../../groups/GroupRules.js';
import type { GroupState } from '../../groups/GroupState.js';
import type { KeyValueOperation, KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';
import {
  changeRecord,
  parseMessage,
  parseOutbox,
  parseParked,
  parsePeer,
  parseRecord,
  parseReport,
  parseWarning,
} from './groupStoreRecords.js';
import type { ConversationStore, StoredMessage } from '../messages/ConversationStore.js';
import type { AttachmentPointer } from '../../attachments/AttachmentPointer.js';
import type { DeleteBody, EditBody } from '../messages/MessageBody.js';
import type { SearchIndex } from '../search/SearchIndex.js';
import { GroupConversation } from './GroupConversation.js';
import { indexedConversation } from '../search/indexedConversation.js';
import { groupConversation } from '../search/messageRefs.js';
import type { ExpiringMessages } from '../disappearing/ExpiringMessages.js';
import { expiringConversation } from '../disappearing/ExpiringMessages.js';

/** Where this persona stands in a group. */
export type GroupStatus = 'active' | 'requested' | 'removed' | 'banned' | 'left';

/** What this persona keeps about one group, besides the log itself. */
export interface GroupRecord {
  readonly groupId: Uint8Array;
  readonly secret: Uint8Array;
  readonly status: GroupStatus;
  readonly joinedAt: number;
  /** The last stream index processed (and acknowledged once durable). */
  readonly cursor: number;
  /** Our own per-group message sequence: the last one used. */
  readonly sequence: number;
  /** The relay's receive time of our last post, for slow mode. */
  readonly lastPostAt: number;
  /**
   * When the relay acknowledged our last text (our clock; absent before the first): the poster
   * holds the next text until slow mode allows it after that.
   */
  readonly lastAckedAt?: number;
  /** Members holding our current sender key; emptied when we rotate it. */
  readonly distributedTo: readonly string[];
  readonly messageCount: number;
  readonly warningCount: number;
  readonly reportCount: number;
  readonly outboxCount: number;
}

/** A group message as this persona keeps it: the shared stored message, and its status. */
export interface GroupMessage extends StoredMessage {
  /** The same as `author` (the name the CLI and the window have always read). */
  readonly sender: string;
  /** For our own messages: whether the relay has it (see StoredMessage for the mapping). */
  readonly status?: 'pending' | 'sent' | 'failed';
}

/** Something a client noticed the relay (or a member) do that the rules forbid. */
export type GroupWarningKind =
  | 'forged-operation'
  | 'fork'
  | 'withheld-operations'
  | 'ghost-member'
  | 'muted-post'
  | 'restricted-post'
  | 'slow-mode-post'
  | 'withheld-posts'
  | 'reordered-posts'
  /** A member shows a facilitator credential that is not valid: `detail` says why, no badge. */
  | 'facilitator-credential';

export interface GroupWarning {
  readonly index: number;
  readonly kind: GroupWarningKind;
  readonly at: number;
  /** A CoreError code or a short fixed phrase: never user data. */
  readonly detail: string;
  /** The member the warning is about, when it is about one (a facilitator credential). */
  readonly member?: string;
}

/** A report a member sent to this persona as a moderator. */
export interface GroupReportRecord {
  readonly index: number;
  readonly reporter: string;
  readonly messageId: Uint8Array;
  readonly author: string;
  readonly text: string;
  readonly context: readonly ReportedContextRecord[];
  readonly reason: string;
  readonly receivedAt: number;
}

/** A message before the reported one, as the reporter sent it (no id from older clients). */
export interface ReportedContextRecord {
  readonly messageId?: Uint8Array;
  readonly author: string;
  readonly text: string;
  readonly sentAt: number;
}

/** A member's profile, opened from the log with the group secret. */
export interface GroupPeer {
  readonly address: string;
  readonly identityKey: Uint8Array;
  readonly pseudonym: string;
  readonly accessKey: Uint8Array;
  readonly profileKey: Uint8Array;
  /** The facilitator credential its profile shows (checked when shown); absent when none. */
  readonly facilitatorCredential?: Uint8Array;
}

/** A group message waiting for the relay's GroupAppended; encrypted afresh on every attempt. */
export interface GroupOutboxEntry {
  readonly id: number;
  readonly messageId: Uint8Array;
  /** Encoded GroupContent without the log fields, which are filled in when it is encrypted. */
  readonly text: string;
  readonly replyTo?: Uint8Array;
  /** The text's content warning, if any. */
  readonly warning?: string;
  /** The prompt of a scheduled chat the text answers, if any. */
  readonly scheduleAnswer?: ScheduleAnswerTag;
  /** The topic it is posted into (absent: General) and the thread it belongs to. */
  readonly topicId?: Uint8Array;
  readonly threadRoot?: Uint8Array;
  /**
   * Present for a reaction (then `text` is '' and `historyIndex` 0: a reaction is no message of
   * its own): the message reacted to, and the emoji ('' takes our reaction back).
   */
  readonly reaction?: { readonly messageId: Uint8Array; readonly emoji: string };
  /**
   * Present for our edit or deletion of one of our messages (then, as for a reaction, `text` is
   * '' and `historyIndex` 0).
   */
  readonly change?: EditBody | DeleteBody;
  /** A text's attachments (their blobs already uploaded). */
  readonly attachments?: readonly AttachmentPointer[];
  readonly sequence: number;
  readonly sentAt: number;
  readonly historyIndex: number;
}

/** A group message that arrived before its epoch's secret; opened when the secret comes. */
export interface EpochParkedMessage {
  readonly streamIndex: number;
  readonly envelope: Uint8Array;
  readonly receivedAt: number;
}

/** A group message that arrived before its sender's key; opened when the key comes. */
export interface ParkedGroupMessage {
  readonly streamIndex: number;
  readonly sender: string;
  readonly ciphertext: Uint8Array;
  readonly receivedAt: number;
}

const ROOT = 'groups';
/** Fixed-width numbers keep keys sortable. */
const pad = (n: number): string => n.toString().padStart(12, '0');

/**
 * The groups of one persona, in its vault scope: each group's record, its verified log (every
 * signed operation, so the state can always be recomputed and checked), messages, warnings,
 * reports, member profiles, parked messages and the group outbox.
 *
 * States are cached in memory because rebuilding one means checking every signature in the log.
 * A state computed inside a transaction is staged and only becomes the cached state when the
 * transaction commits (`commitStaged`), so a failed step never leaves a state the vault lacks.
 */
export class GroupStore {
  readonly #store: KeyValueStore;
  readonly #states = new Map<string, GroupState>();
  readonly #staged = new Map<string, GroupState>();

  /** Where stored texts are indexed for search (none in tests of the store alone). */
  readonly #search: SearchIndex | undefined;

  /** Where timed messages are noted for the sweeper (none in tests of the store alone). */
  readonly #expiring: ExpiringMessages | undefined;

  /** What the rules are applied with (a lowered disappearing minimum, in tests only). */
  readonly #ruleContext: GroupRuleContext;

  constructor(
    store: KeyValueStore,
    search?: SearchIndex,
    expiring?: ExpiringMessages,
    ruleContext: GroupRuleContext = {},
  ) {
    this.#expiring = expiring;
    this.#ruleContext = ruleContext;
    this.#store = store;
    this.#search = search;
  }

  commitStaged(): void {
    for (const [key, state] of this.#staged) this.#states.set(key, state);
    this.#staged.clear();
  }

  discardStaged(): void {
    this.#staged.clear();
  }

  async list(): Promise<GroupRecord[]> {
    const entries = await this.#store.list(ROOT);
    return entries
      .filter((entry) => entry.key.endsWith('/record') && entry.key.split('/').length === 3)
      .map((entry) => parseRecord(entry.value))
      .sort((a, b) => a.joinedAt - b.joinedAt);
  }

  async get(groupId: Uint8Array): Promise<GroupRecord | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/record`);
    return bytes === undefined ? undefined : parseRecord(bytes);
  }

  async require(groupId: Uint8Array): Promise<GroupRecord> {
    const record = await this.get(groupId);
    if (record === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'no such group');
    return record;
  }

  async put(record: GroupRecord): Promise<void> {
    await this.#store.put(`${groupKey(record.groupId)}/record`, encodeRecord(record));
  }

  /** The state the stored log leads to (undefined before the create operation is stored). */
  async state(groupId: Uint8Array): Promise<GroupState | undefined> {
    const key = toHex(groupId);
    const known = this.#staged.get(key) ?? this.#states.get(key);
    if (known !== undefined) return known;
    const operations = await this.operations(groupId, 0);
    let state: GroupState | undefined;
    for (const operation of operations) {
      state = applyGroupOperation(state, operation, this.#ruleContext).state;
    }
    if (state !== undefined) this.#states.set(key, state);
    return state;
  }

  async requireState(groupId: Uint8Array): Promise<GroupState> {
    const state = await this.state(groupId);
    if (state === undefined) throw new CoreError(CoreErrorCode.GroupNotFound, 'no such group');
    return state;
  }

  /** Stores an operation already checked against the current state, and the state it led to. */
  async appendOperation(groupId: Uint8Array, signed: Uint8Array, state: GroupState): Promise<void> {
    const before = this.#search === undefined ? undefined : await this.state(groupId);
    await this.#store.put(`${groupKey(groupId)}/op/${pad(state.length - 1)}`, signed);
    this.#staged.set(toHex(groupId), state);
    // A message a moderator deleted leaves the search index in the same step (delete_message).
    if (this.#search === undefined || before?.deleted.size === state.deleted.size) return;
    for (const messageId of state.deleted) {
      if (before?.deleted.has(messageId) === true) continue;
      await this.#search.remove({ conversation: groupConversation(groupId), messageId });
    }
  }

  async operation(groupId: Uint8Array, sequence: number): Promise<Uint8Array | undefined> {
    return this.#store.get(`${groupKey(groupId)}/op/${pad(sequence)}`);
  }

  /** Signed operations from `fromSequence` on, in log order. */
  async operations(groupId: Uint8Array, fromSequence: number): Promise<Uint8Array[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/op`);
    return entries
      .map((entry) => ({
        sequence: Number(entry.key.slice(entry.key.lastIndexOf('/') + 1)),
        entry,
      }))
      .filter(({ sequence }) => sequence >= fromSequence)
      .sort((a, b) => a.sequence - b.sequence)
      .map(({ entry }) => entry.value);
  }

  /**
   * The messages of one group through the shared conversation-store interface. `self` writes
   * our messages; messages whose hex id is in `deleted` (deleted for everyone by a moderator) are
   * not found, so nobody replies or reacts to them.
   */
  conversation(
    groupId: Uint8Array,
    options: { readonly self: string; readonly deleted?: ReadonlySet<string> },
  ): ConversationStore<GroupMessage> {
    const conversation = new GroupConversation(
      this,
      groupId,
      options.self,
      options.deleted ?? new Set(),
    );
    const ref = groupConversation(groupId);
    const indexed =
      this.#search === undefined
        ? conversation
        : indexedConversation(conversation, this.#search, ref);
    return this.#expiring === undefined
      ? indexed
      : expiringConversation(indexed, this.#expiring, ref);
  }

  /**
   * Deletes a stored message (its timer ran out): the record and its id lookup go; its id stays
   * seen, so a replay is dropped. Returns it, or undefined when there is none.
   */
  async deleteMessage(groupId: Uint8Array, index: number): Promise<GroupMessage | undefined> {
    const message = await this.message(groupId, index);
    if (message === undefined) return undefined;
    const base = groupKey(groupId);
    await this.#store.batch([
      { type: 'delete', key: `${base}/msg/${pad(index)}` },
      { type: 'delete', key: `${base}/msgid/${toHex(message.messageId)}` },
    ]);
    return message;
  }

  async putMessage(groupId: Uint8Array, message: GroupMessage): Promise<void> {
    const base = groupKey(groupId);
    await this.#store.put(`${base}/msg/${pad(message.index)}`, encodeRecord(message));
    await this.markSeen(groupId, message.messageId);
    await this.#store.put(
      `${base}/msgid/${toHex(message.messageId)}`,
      encodeRecord({ index: message.index }),
    );
  }

  async hasSeen(groupId: Uint8Array, messageId: Uint8Array): Promise<boolean> {
    return (await this.#store.get(`${groupKey(groupId)}/seen/${toHex(messageId)}`)) !== undefined;
  }

  /** Marks content seen without storing a message (a reaction), so a replay is recognised. */
  async markSeen(groupId: Uint8Array, messageId: Uint8Array): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/seen/${toHex(messageId)}`, Uint8Array.of(1));
  }

  /**
   * The stored message with this id, if any. Messages stored before the id index existed are
   * indexed on the first lookup that misses (once per group, so unknown ids cost one read after).
   */
  async findMessage(groupId: Uint8Array, messageId: Uint8Array): Promise<GroupMessage | undefined> {
    const base = groupKey(groupId);
    const indexed = await this.#store.get(`${base}/msgid/${toHex(messageId)}`);
    if (indexed !== undefined) {
      return this.message(
        groupId,
        RecordReader.decode(indexed, 'group message id').number('index'),
      );
    }
    if ((await this.#store.get(`${base}/msgid-complete`)) !== undefined) return undefined;
    let found: GroupMessage | undefined;
    const writes: KeyValueOperation[] = [];
    for (const message of await this.messages(groupId)) {
      writes.push({
        type: 'put',
        key: `${base}/msgid/${toHex(message.messageId)}`,
        value: encodeRecord({ index: message.index }),
      });
      if (bytesEqual(message.messageId, messageId)) found = message;
    }
    writes.push({ type: 'put', key: `${base}/msgid-complete`, value: Uint8Array.of(1) });
    await this.#store.batch(writes);
    return found;
  }

  /**
   * When the relay received a member's last text we accepted (ms), for checking slow mode
   * ourselves: the relay lets reactions through slow mode on the poster's word.
   */
  async lastTextAt(groupId: Uint8Array, address: string): Promise<number | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/paced/${address}`);
    return bytes === undefined
      ? undefined
      : RecordReader.decode(bytes, 'group pace').number('receivedAt');
  }

  async putLastTextAt(groupId: Uint8Array, address: string, receivedAt: number): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/paced/${address}`, encodeRecord({ receivedAt }));
  }

  /**
   * The highest per-sender sequence seen from a member's posts, with the log sequence of the
   * operation that made them a member (`since`): a member who rejoins counts afresh.
   */
  async postSequence(
    groupId: Uint8Array,
    address: string,
  ): Promise<{ since: number; last: number; receivedAt?: number } | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/postseq/${address}`);
    if (bytes === undefined) return undefined;
    const r = RecordReader.decode(bytes, 'group post sequence');
    const receivedAt = r.optionalNumber('receivedAt');
    return {
      since: r.number('since'),
      last: r.number('last'),
      ...(receivedAt === undefined ? {} : { receivedAt }),
    };
  }

  /** `receivedAt`: when the relay received that post (what expiry is judged by). */
  async putPostSequence(
    groupId: Uint8Array,
    address: string,
    value: { since: number; last: number; receivedAt?: number },
  ): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/postseq/${address}`, encodeRecord(value));
  }

  async message(groupId: Uint8Array, index: number): Promise<GroupMessage | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/msg/${pad(index)}`);
    return bytes === undefined ? undefined : parseMessage(bytes);
  }

  async messages(groupId: Uint8Array): Promise<GroupMessage[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/msg`);
    return entries.map((entry) => parseMessage(entry.value)).sort((a, b) => a.index - b.index);
  }

  async putWarning(groupId: Uint8Array, warning: GroupWarning): Promise<void> {
    await this.#store.put(
      `${groupKey(groupId)}/warning/${pad(warning.index)}`,
      encodeRecord(warning),
    );
  }

  async warnings(groupId: Uint8Array): Promise<GroupWarning[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/warning`);
    return entries.map((entry) => parseWarning(entry.value)).sort((a, b) => a.index - b.index);
  }

  /** Whether this persona already warned about `problem` (one key per member and credential). */
  async credentialWarned(groupId: Uint8Array, problem: string): Promise<boolean> {
    return (
      (await this.#store.get(`${groupKey(groupId)}/credential-warned/${problem}`)) !== undefined
    );
  }

  async putCredentialWarned(groupId: Uint8Array, problem: string): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/credential-warned/${problem}`, new Uint8Array([1]));
  }

  async putReport(groupId: Uint8Array, report: GroupReportRecord): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/report/${pad(report.index)}`, encodeRecord(report));
  }

  async reports(groupId: Uint8Array): Promise<GroupReportRecord[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/report`);
    return entries.map((entry) => parseReport(entry.value)).sort((a, b) => a.index - b.index);
  }

  /** Marks a report dismissed by this moderator (kept in the vault; nobody else learns it). */
  async dismissReport(groupId: Uint8Array, index: number): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/dismissed/${pad(index)}`, new Uint8Array([1]));
  }

  /** Indexes of the reports this moderator dismissed. */
  async dismissedReports(groupId: Uint8Array): Promise<Set<number>> {
    const entries = await this.#store.list(`${groupKey(groupId)}/dismissed`);
    return new Set(entries.map((entry) => Number(entry.key.slice(entry.key.lastIndexOf('/') + 1))));
  }

  async putPeer(groupId: Uint8Array, peer: GroupPeer): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/peer/${peer.address}`, encodeRecord(peer));
    // The outbox finds a peer by address alone (it sends to members of any group).
    await this.#store.put(`${ROOT}-peers/${peer.address}`, encodeRecord(peer));
  }

  async peer(groupId: Uint8Array, address: string): Promise<GroupPeer | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/peer/${address}`);
    return bytes === undefined ? undefined : parsePeer(bytes);
  }

  /** A member of any of this persona's groups. */
  async anyPeer(address: string): Promise<GroupPeer | undefined> {
    const bytes = await this.#store.get(`${ROOT}-peers/${address}`);
    return bytes === undefined ? undefined : parsePeer(bytes);
  }

  async putOutbox(groupId: Uint8Array, entry: GroupOutboxEntry): Promise<void> {
    // Flat in the record: RecordReader reads fields, not nested objects.
    const { reaction, change, ...fields } = entry;
    const record = {
      ...fields,
      ...(reaction === undefined ? {} : { reactionTo: reaction.messageId, emoji: reaction.emoji }),
      ...(change === undefined ? {} : changeRecord(change)),
    };
    await this.#store.put(`${groupKey(groupId)}/outbox/${pad(entry.id)}`, encodeRecord(record));
  }

  async outboxEntry(groupId: Uint8Array, id: number): Promise<GroupOutboxEntry | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/outbox/${pad(id)}`);
    return bytes === undefined ? undefined : parseOutbox(bytes);
  }

  async removeOutbox(groupId: Uint8Array, id: number): Promise<void> {
    await this.#store.delete(`${groupKey(groupId)}/outbox/${pad(id)}`);
  }

  async outbox(groupId: Uint8Array): Promise<GroupOutboxEntry[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/outbox`);
    return entries.map((entry) => parseOutbox(entry.value)).sort((a, b) => a.id - b.id);
  }

  async park(groupId: Uint8Array, parked: ParkedGroupMessage): Promise<void> {
    await this.#store.put(
      `${groupKey(groupId)}/parked/${parked.sender}/${pad(parked.streamIndex)}`,
      encodeRecord(parked),
    );
  }

  async parked(groupId: Uint8Array, sender: string): Promise<ParkedGroupMessage[]> {
    const entries = await this.#store.list(`${groupKey(groupId)}/parked/${sender}`);
    return entries
      .map((entry) => parseParked(entry.value))
      .sort((a, b) => a.streamIndex - b.streamIndex);
  }

  async unpark(groupId: Uint8Array, parked: ParkedGroupMessage): Promise<void> {
    await this.#store.delete(
      `${groupKey(groupId)}/parked/${parked.sender}/${pad(parked.streamIndex)}`,
    );
  }

  async countParked(groupId: Uint8Array): Promise<number> {
    return (await this.#store.list(`${groupKey(groupId)}/parked`)).length;
  }

  /**
   * A sender key from someone not (yet) a member of our log: their join may still be on its way
   * to us. Kept, one per sender, until they are a member and we need it.
   */
  async putPendingKey(
    groupId: Uint8Array,
    sender: string,
    distribution: Uint8Array,
  ): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/pendingKeys/${sender}`, distribution);
  }

  async pendingKey(groupId: Uint8Array, sender: string): Promise<Uint8Array | undefined> {
    return this.#store.get(`${groupKey(groupId)}/pendingKeys/${sender}`);
  }

  async deletePendingKey(groupId: Uint8Array, sender: string): Promise<void> {
    await this.#store.delete(`${groupKey(groupId)}/pendingKeys/${sender}`);
  }

  async countPendingKeys(groupId: Uint8Array): Promise<number> {
    return (await this.#store.list(`${groupKey(groupId)}/pendingKeys`)).length;
  }

  // -------------------------------------------------------------------------------------------
  // Epochs of the group secret

  /** The secret of `epoch`, once checked against the log; undefined when we do not hold it. */
  async epochSecret(groupId: Uint8Array, epoch: number): Promise<Uint8Array | undefined> {
    return this.#store.get(`${groupKey(groupId)}/epoch/${pad(epoch)}`);
  }

  async putEpochSecret(groupId: Uint8Array, epoch: number, secret: Uint8Array): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/epoch/${pad(epoch)}`, secret);
  }

  /**
   * Secrets a member sent us (or we made for a rotation) that the log has not confirmed yet,
   * keyed by their log-key hash: each becomes an epoch's secret once the log names its hash.
   */
  async epochCandidates(
    groupId: Uint8Array,
  ): Promise<{ readonly hash: string; readonly secret: Uint8Array }[]> {
    const prefix = `${groupKey(groupId)}/epoch-candidate/`;
    return (await this.#store.list(`${groupKey(groupId)}/epoch-candidate`)).map((entry) => ({
      hash: entry.key.slice(prefix.length),
      secret: entry.value,
    }));
  }

  async putEpochCandidate(groupId: Uint8Array, hash: string, secret: Uint8Array): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/epoch-candidate/${hash}`, secret);
  }

  async deleteEpochCandidate(groupId: Uint8Array, hash: string): Promise<void> {
    await this.#store.delete(`${groupKey(groupId)}/epoch-candidate/${hash}`);
  }

  async countEpochCandidates(groupId: Uint8Array): Promise<number> {
    return (await this.#store.list(`${groupKey(groupId)}/epoch-candidate`)).length;
  }

  /** The private key of the invite we joined with: it reads the log until we hold a secret. */
  async inviteKey(groupId: Uint8Array): Promise<Uint8Array | undefined> {
    return this.#store.get(`${groupKey(groupId)}/invite-key`);
  }

  async putInviteKey(groupId: Uint8Array, key: Uint8Array): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/invite-key`, key);
  }

  /** The newest epoch whose secret we queued for `address` (as a moderator, after their join). */
  async epochSentTo(groupId: Uint8Array, address: string): Promise<number | undefined> {
    const bytes = await this.#store.get(`${groupKey(groupId)}/epoch-sent/${address}`);
    return bytes === undefined
      ? undefined
      : RecordReader.decode(bytes, 'epoch sent').number('epoch');
  }

  async putEpochSentTo(groupId: Uint8Array, address: string, epoch: number): Promise<void> {
    await this.#store.put(`${groupKey(groupId)}/epoch-sent/${address}`, encodeRecord({ epoch }));
  }

  /** A group message sealed under an epoch whose secret has not reached us yet. */
  async parkForEpoch(groupId: Uint8Array, parked: EpochParkedMessage): Promise<void> {
    await this.#store.put(
      `${groupKey(groupId)}/epoch-parked/${pad(parked.streamIndex)}`,
      encodeRecord(parked),
    );
  }

  async epochParked(groupId: Uint8Array): Promise<EpochParkedMessage[]> {
    return (await this.#store.list(`${groupKey(groupId)}/epoch-parked`))
      .map((entry) => {
        const r = RecordReader.decode(entry.value, 'epoch-parked message');
        return {
          streamIndex: r.number('streamIndex'),
          envelope: r.bytes('envelope'),
          receivedAt: r.number('receivedAt'),
        };
      })
      .sort((a, b) => a.streamIndex - b.streamIndex);
  }

  async unparkForEpoch(groupId: Uint8Array, streamIndex: number): Promise<void> {
    await this.#store.delete(`${groupKey(groupId)}/epoch-parked/${pad(streamIndex)}`);
  }

  /** Forgets a group entirely (a join the relay refused): record, log, messages, everything. */
  /** Forgets a group and its messages, their search entries too (a group we are out of). */
  async forgetGroup(groupId: Uint8Array): Promise<void> {
    if (this.#search !== undefined) {
      for (const message of await this.messages(groupId)) {
        await this.#search.remove({
          conversation: groupConversation(groupId),
          messageId: toHex(message.messageId),
        });
      }
    }
    await this.deleteGroup(groupId);
  }

  async deleteGroup(groupId: Uint8Array): Promise<void> {
    await this.#store.deleteTree(groupKey(groupId));
    this.#states.delete(toHex(groupId));
    this.#staged.delete(toHex(groupId));
  }
}

export function groupKey(groupId: Uint8Array): string {
  return `${ROOT}/${toHex(groupId)}`;
}

/** A group id from its hex form (what users and the CLI see); undefined when malformed. */
export function groupIdFromHex(text: string): Uint8Array | undefined {
  return text.length === 32 ? fromHex(text) : undefined;
}
