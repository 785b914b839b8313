import { bytesEqual, ownedBytes, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import {
  GROUP_MESSAGE_ID_BYTES,
  decodeGroupOperation,
  groupOperationHash,
} from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import { isClosedForPost } from '../../groups/topicRules.js';
import type { GroupMemberState, GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { GROUP_ID_BYTES } from '../../protocol/frames.js';
import type { GroupDeliver } from '../../protocol/gen/kindred_pb.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { ReceivedContent } from '../contentCodec.js';
import type { ConversationStore, IncomingMessage } from '../messages/ConversationStore.js';
import { applyIncoming } from '../messages/conversationMessages.js';
import type { DeleteBody, EditBody, ReactionBody } from '../messages/MessageBody.js';
import { MAX_TEXT_LENGTH } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { decodeGroupContent, groupEnvelopeEpoch, openGroupEnvelope } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupLog } from './GroupLog.js';
import { checkGroupReport } from './GroupReports.js';
import type { GroupMessage, GroupReportRecord } from './GroupStore.js';

/** Messages kept waiting for their sender's key, per group. */
const MAX_PARKED = 1000;
/** Sender keys kept waiting for their sender's join to reach us, per group. */
const MAX_PENDING_KEYS = 1000;
/** A report carries this many messages before the reported one. */
export const REPORT_CONTEXT = 3;
/** Acks are sent once this many groups have some waiting (and whenever the queue empties). */
const ACK_GROUPS = 16;

interface PendingAck {
  readonly groupId: Uint8Array;
  readonly index: bigint;
  readonly connection: RelayConnection;
}

/**
 * What the relay delivers to a persona's groups, one entry at a time in stream order: operations
 * (checked, through the GroupLog), messages (sender-key decrypted, their sender checked against
 * the verified log, parked until the sender's key comes when it has not yet), and 1:1 content
 * about a group (sender keys, reports). An entry is acknowledged only once what it changed is
 * durable in the vault.
 */
export class GroupInbound {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #queue: { deliver: GroupDeliver; connection: RelayConnection }[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #draining = false;
  #lastActivity = Date.now();

  constructor(options: GroupSessionOptions, log: GroupLog) {
    this.#options = options;
    this.#log = log;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  get #address(): string {
    return this.#state.persona.address;
  }

  /** A stream entry the relay pushed; processed in order, acknowledged once stored. */
  enqueue(deliver: GroupDeliver, connection: RelayConnection): void {
    this.#lastActivity = Date.now();
    this.#queue.push({ deliver, connection });
    if (!this.#draining) void this.#drain();
  }

  /** When the last stream entry arrived or finished processing (ms since the epoch). */
  get lastActivity(): number {
    return this.#lastActivity;
  }

  get isIdle(): boolean {
    return !this.#draining && this.#queue.length === 0;
  }

  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    const acks = new Map<string, PendingAck>();
    try {
      for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
        const { deliver, connection } = next;
        try {
          await this.#processEntry(deliver);
          const key = toHex(deliver.groupId);
          const known = acks.get(key);
          if (known === undefined || known.index < deliver.index) {
            acks.set(key, { groupId: deliver.groupId, index: deliver.index, connection });
          }
        } catch (error) {
          // Not stored (a relay that went away mid-sync, a vault that failed): leave the entry
          // unacknowledged; the relay delivers it again on the next connection.
          this.#log.dropEvents();
          this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'group delivery'));
        }
        this.#lastActivity = Date.now();
        if (this.#queue.length === 0 || acks.size > ACK_GROUPS) await this.#flushAcks(acks);
      }
    } finally {
      await this.#flushAcks(acks);
      this.#draining = false;
      this.#notifyIdle();
    }
  }

  #notifyIdle(): void {
    if (!this.isIdle) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #flushAcks(acks: Map<string, PendingAck>): Promise<void> {
    if (acks.size === 0) return;
    await this.#state.store.flush();
    for (const [key, ack] of acks) {
      acks.delete(key);
      if (!ack.connection.isOpen) continue;
      ack.connection
        .request({ case: 'ackGroup', value: { groupId: ack.groupId, index: ack.index } }, 'ok')
        .catch(() => undefined);
    }
  }

  async #processEntry(deliver: GroupDeliver): Promise<void> {
    const groupId = ownedBytes(deliver.groupId);
    const state = this.#state;
    const record = await state.transact(() => state.groups.get(groupId));
    if (record === undefined) return;
    const index = Number(deliver.index);
    if (index <= record.cursor) return;
    const entry = deliver.entry;
    if (entry.case === 'operation') {
      const sequence = safeSequence(entry.value);
      const current = await state.transact(() => state.groups.state(groupId));
      if (sequence !== undefined && sequence > (current?.length ?? 0))
        await this.#log.sync(groupId);
      await state.transact(async () => {
        await this.#log.applyFromRelay(groupId, entry.value);
        await this.#advance(groupId, index);
      });
    } else if (entry.case === 'message') {
      await this.#receiveMessage(groupId, index, entry.value, Number(deliver.receivedAt));
    }
    this.#log.flushEvents();
  }

  async #advance(groupId: Uint8Array, index: number): Promise<void> {
    const record = await this.#state.groups.require(groupId);
    if (index > record.cursor) await this.#state.groups.put({ ...record, cursor: index });
  }

  /**
   * A message sealed under an epoch beyond our log's: its author has seen a rotation we have not.
   * We sync; if the log still stops short of that epoch, the relay is withholding operations from
   * us (a removal, say), which a member must hear about rather than wait in silence. Returns the
   * epoch's secret if the sync brought it within reach.
   */
  async #catchUpToEpoch(groupId: Uint8Array, epoch: number): Promise<GroupSecret | undefined> {
    const state = this.#state;
    const before = await state.transact(() => state.groups.state(groupId));
    if (before === undefined || epoch <= before.epoch) return undefined;
    await this.#log.sync(groupId);
    const after = await state.transact(() => state.groups.state(groupId));
    if (after !== undefined && epoch > after.epoch) {
      await this.#log.warn(
        groupId,
        'withheld-operations',
        'a member has seen operations we have not',
      );
    }
    return state.transact(() => this.#log.keys.secret(groupId, epoch));
  }

  async #receiveMessage(
    groupId: Uint8Array,
    index: number,
    envelope: Uint8Array,
    receivedAt: number,
    parked = false,
  ): Promise<void> {
    const state = this.#state;
    const epoch = groupEnvelopeEpoch(envelope);
    let secret =
      epoch === undefined
        ? undefined
        : await state.transact(() => this.#log.keys.secret(groupId, epoch));
    if (secret === undefined && epoch !== undefined && !parked) {
      secret = await this.#catchUpToEpoch(groupId, epoch);
    }
    if (secret === undefined && epoch !== undefined && !parked) {
      // Sealed under an epoch whose secret has not reached us yet (a joiner waiting for the
      // group key, or a rotation whose secret is still on its way): kept until it comes.
      await state.transact(async () => {
        if ((await state.groups.epochParked(groupId)).length < MAX_PARKED) {
          await state.groups.parkForEpoch(groupId, { streamIndex: index, envelope, receivedAt });
        }
        await this.#advance(groupId, index);
      });
      return;
    }
    // Messages kept for a secret that has come since (its arrival releases them a moment later,
    // on its own turn) go first: the stream's order is the conversation's.
    if (
      !parked &&
      (await state.transact(() => state.groups.epochParked(groupId))).some(
        (message) => message.streamIndex < index,
      )
    ) {
      await this.releaseEpochParked(groupId);
    }
    let opened: { sender: string; ciphertext: Uint8Array };
    try {
      if (secret === undefined) throw new Error('no secret');
      opened = await openGroupEnvelope(secret, groupId, envelope);
    } catch {
      await state.transact(async () => {
        await this.#log.warnInTransaction(
          groupId,
          'ghost-member',
          'a message not sealed with the group secret',
        );
        await this.#advance(groupId, index);
      });
      return;
    }
    if (opened.sender === this.#address) {
      await state.transact(() => this.#advance(groupId, index));
      return;
    }
    const needsSync = await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      return !group.members.has(opened.sender);
    });
    // A sender we don't know may have joined in operations we have not seen yet.
    if (needsSync) await this.#log.sync(groupId);
    await state.transact(async () => {
      await this.#openMessage(groupId, {
        streamIndex: index,
        sender: opened.sender,
        ciphertext: opened.ciphertext,
        receivedAt,
      });
      await this.#advance(groupId, index);
    });
  }

  /**
   * Opens the messages kept for an epoch secret we now hold, in stream order. Those whose secret
   * is still missing stay.
   */
  async releaseEpochParked(groupId: Uint8Array): Promise<void> {
    const state = this.#state;
    const parked = await state.transact(() => state.groups.epochParked(groupId));
    for (const message of parked) {
      const epoch = groupEnvelopeEpoch(message.envelope);
      const held =
        epoch !== undefined &&
        (await state.transact(() => this.#log.keys.secret(groupId, epoch))) !== undefined;
      if (!held) continue;
      await state.transact(() => state.groups.unparkForEpoch(groupId, message.streamIndex));
      await this.#receiveMessage(
        groupId,
        message.streamIndex,
        message.envelope,
        message.receivedAt,
        true,
      );
    }
    await state.store.flush();
    this.#log.flushEvents();
  }

  /** Decrypts, checks and stores one message, or parks it until its sender's key comes. */
  async #openMessage(
    groupId: Uint8Array,
    message: { streamIndex: number; sender: string; ciphertext: Uint8Array; receivedAt: number },
  ): Promise<void> {
    const state = this.#state;
    const group = await state.groups.requireState(groupId);
    const member = group.members.get(message.sender);
    if (member === undefined) {
      await this.#log.warnInTransaction(
        groupId,
        'ghost-member',
        'a message from someone not in the log',
      );
      return;
    }
    let plaintext: Uint8Array;
    try {
      plaintext = await this.#groupDecrypt(groupId, message.sender, message.ciphertext);
    } catch (error) {
      // A ciphertext the sender key already opened, in the stream again at a new index (the
      // relay, or a member, posted the same bytes twice): nothing new, and never will be.
      if (CoreError.is(error, CoreErrorCode.DuplicateMessage)) return;
      if (
        CoreError.is(error, CoreErrorCode.NoSenderKey) ||
        CoreError.is(error, CoreErrorCode.DecryptFailed)
      ) {
        // Its sender's key (or new key, after a rotation) travels 1:1 and may come later.
        if ((await state.groups.countParked(groupId)) < MAX_PARKED)
          await state.groups.park(groupId, message);
        return;
      }
      throw error;
    }
    const content = decodeGroupContent(plaintext);
    if (content === undefined || (await state.groups.hasSeen(groupId, content.messageId))) return;
    // The sender wrote with a log we must have too: longer means the relay withholds operations
    // from us; a different head at that length means it shows us a different log.
    if (content.logLength > group.length) {
      await this.#log.warnInTransaction(
        groupId,
        'withheld-operations',
        'a member has seen operations we have not',
      );
    } else {
      const ours = await state.groups.operation(groupId, content.logLength - 1);
      if (ours === undefined || !bytesEqual(groupOperationHash(ours), content.logHead)) {
        await this.#log.warnInTransaction(groupId, 'fork', 'a member saw a different log');
      }
    }
    await this.#checkPostSequence(groupId, group, member, content.sequence, message.receivedAt);
    if (member.mutedUntil > message.receivedAt) {
      await this.#log.warnInTransaction(
        groupId,
        'muted-post',
        'the relay delivered a muted member’s post',
      );
      return;
    }
    if (group.policy.posting === 'moderators' && member.role === 'member') {
      await this.#log.warnInTransaction(
        groupId,
        'restricted-post',
        'the relay delivered a post members may not make',
      );
      return;
    }
    // A contact we blocked who posts here under the same address: hidden from us alone (the
    // group still has it; we cannot tell a blocked contact behind another group persona).
    if ((await state.contacts.get(message.sender))?.blocked === true) {
      await state.groups.markSeen(groupId, content.messageId);
      return;
    }
    const body = content.body;
    const conversation = state.groups.conversation(groupId, {
      self: this.#address,
      deleted: group.deleted,
    });
    // A journal's update or support message is 1:1 only (docs/journal.md): never kept in a group.
    if (body?.kind !== 'text' || body.journal !== undefined) {
      // A reaction, or a body that broke its rules: no message of its own, but its id is marked
      // seen so a replay is recognised. A timer change is dropped too: a group's timer is its
      // policy, which only moderators set, through the log.
      await state.groups.markSeen(groupId, content.messageId);
      const incoming = {
        messageId: content.messageId,
        author: message.sender,
        sentAt: content.sentAt,
        storedAt: Date.now(),
        sequence: content.sequence,
      };
      if (body?.kind === 'reaction') {
        await this.#receiveReaction(groupId, conversation, { ...incoming, body });
      } else if (body?.kind === 'edit' || body?.kind === 'delete') {
        await this.#receiveChange(groupId, conversation, { ...incoming, body });
      }
      return;
    }
    // A post into a topic closed by an operation its author had seen (its log was past the
    // close) is dropped, its id marked seen; one written before the close is kept.
    if (
      body.topicId !== undefined &&
      isClosedForPost(group, toHex(body.topicId), content.logLength)
    ) {
      await state.groups.markSeen(groupId, content.messageId);
      this.#log.later(() => {
        this.#options.emit('dropped', { reason: 'post into a closed topic' });
      });
      return;
    }
    if (!(await this.#withinSlowMode(groupId, group, member, message))) {
      await this.#log.warnInTransaction(
        groupId,
        'slow-mode-post',
        'the relay delivered a text sooner than slow mode allows',
      );
      return;
    }
    const storedAt = Date.now();
    const timer = group.policy.disappearingSeconds;
    const applied = await applyIncoming(conversation, {
      messageId: content.messageId,
      author: message.sender,
      sentAt: content.sentAt,
      storedAt,
      sequence: content.sequence,
      body,
      // The group's timer runs from when the post was sent (never later than it arrived).
      ...(timer === 0 ? {} : { expiresAt: Math.min(content.sentAt, storedAt) + timer * 1000 }),
    });
    if (applied.kind !== 'stored') return;
    const stored = applied.message;
    const senderPseudonym = (await state.groups.peer(groupId, message.sender))?.pseudonym ?? '';
    this.#log.later(() => {
      this.#options.emit('groupMessage', {
        groupId: toHex(groupId),
        message: stored,
        senderPseudonym,
      });
    });
  }

  /**
   * Every post (text or reaction) carries its sender's next sequence number, from 1, so a relay
   * that withholds a member's posts from us (a jump) or hands them over out of order (a number not
   * above the last) is noticed. Counted from the first post we see from each membership: a relay
   * that withholds a newcomer's first posts shows only once they post again after. Our own posts
   * are not counted here (they are in our history already).
   */
  async #checkPostSequence(
    groupId: Uint8Array,
    group: GroupState,
    member: GroupMemberState,
    sequence: number,
    receivedAt: number,
  ): Promise<void> {
    const groups = this.#state.groups;
    const known = await groups.postSequence(groupId, member.address);
    const record = { since: member.since, last: sequence, receivedAt };
    if (known?.since !== member.since) {
      await groups.putPostSequence(groupId, member.address, record);
      return;
    }
    if (sequence > known.last + 1 && !mayHaveExpired(group, known.receivedAt)) {
      await this.#log.warnInTransaction(
        groupId,
        'withheld-posts',
        'posts from a member are missing from the stream',
      );
    } else if (sequence <= known.last) {
      await this.#log.warnInTransaction(
        groupId,
        'reordered-posts',
        'a member’s post came after a later one',
      );
    }
    if (sequence > known.last) await groups.putPostSequence(groupId, member.address, record);
  }

  /**
   * Whether a member's text keeps to slow mode, by the relay's receive times (the clock the relay
   * enforces it with); records its time when it does. The relay lets a post marked as a reaction
   * through slow mode on the poster's word, so a text passed off as one is caught here. Texts
   * that arrive out of order (one parked for its sender's key) cannot be judged and pass.
   */
  async #withinSlowMode(
    groupId: Uint8Array,
    group: GroupState,
    member: GroupMemberState,
    message: { sender: string; receivedAt: number },
  ): Promise<boolean> {
    // Moderators keep the pace they need, as the relay lets them.
    if (group.policy.slowModeSeconds === 0 || member.role !== 'member') return true;
    const state = this.#state;
    const last = await state.groups.lastTextAt(groupId, message.sender);
    if (last !== undefined && message.receivedAt < last) return true;
    if (last !== undefined && message.receivedAt - last < group.policy.slowModeSeconds * 1000) {
      return false;
    }
    await state.groups.putLastTextAt(groupId, message.sender, message.receivedAt);
    return true;
  }

  /**
   * A member's reaction, already checked like a post (member, not muted, allowed to post) and by
   * the body codec: set on the message it names. One to a message we do not hold (or that was
   * deleted) is dropped.
   */
  async #receiveReaction(
    groupId: Uint8Array,
    conversation: ConversationStore<GroupMessage>,
    incoming: Omit<IncomingMessage, 'body'> & { readonly body: ReactionBody },
  ): Promise<void> {
    const applied = await applyIncoming(conversation, incoming);
    if (applied.kind !== 'reacted') return;
    const { messageId, emoji } = incoming.body;
    this.#log.later(() => {
      this.#options.emit('groupReaction', {
        groupId: toHex(groupId),
        messageId,
        from: incoming.author,
        emoji,
      });
    });
  }

  /**
   * A member's edit or deletion for everyone of one of their messages, checked like a post: the
   * sealed sender must be the message's author (applyIncoming); anything else is dropped, with
   * its reason logged, never applied.
   */
  async #receiveChange(
    groupId: Uint8Array,
    conversation: ConversationStore<GroupMessage>,
    incoming: Omit<IncomingMessage, 'body'> & { readonly body: EditBody | DeleteBody },
  ): Promise<void> {
    const applied = await applyIncoming(conversation, incoming);
    if (applied.kind === 'dropped') {
      const { reason } = applied;
      this.#log.later(() => {
        this.#options.emit('dropped', { reason });
      });
      return;
    }
    if (applied.kind !== 'edited' && applied.kind !== 'deleted') return;
    const { message, previous } = applied;
    const change = applied.kind;
    this.#log.later(() => {
      this.#options.emit('groupMessageChanged', {
        groupId: toHex(groupId),
        change,
        message,
        previous,
      });
    });
  }

  /** Decrypts with the sender's key, taking up a key that came before their join when needed. */
  async #groupDecrypt(
    groupId: Uint8Array,
    sender: string,
    ciphertext: Uint8Array,
  ): Promise<Uint8Array> {
    const state = this.#state;
    try {
      return await state.cipher.groupDecrypt(sender, ciphertext);
    } catch (error) {
      const pending = await state.groups.pendingKey(groupId, sender);
      if (pending === undefined) throw error;
      await state.groups.deletePendingKey(groupId, sender);
      try {
        await state.cipher.processSenderKeyDistribution(sender, pending);
      } catch {
        throw error;
      }
      return state.cipher.groupDecrypt(sender, ciphertext);
    }
  }

  /**
   * 1:1 content about a group from a fellow member (a sender key, a report), inside the inbound
   * transaction. Returns false when it is not ours to take (unknown group, not a member).
   */
  async handleDirect(sender: string, content: ReceivedContent): Promise<boolean> {
    const state = this.#state;
    const body = content.body;
    if (
      body.case !== 'senderKeyDistribution' &&
      body.case !== 'report' &&
      body.case !== 'groupEpochSecret'
    ) {
      return false;
    }
    const groupId = ownedBytes(body.value.groupId);
    if (groupId.length !== GROUP_ID_BYTES) return false;
    const group = await state.groups.state(groupId);
    if (group === undefined) return false;
    if (body.case === 'groupEpochSecret') {
      // Only a member sends the group's secret; what it is worth the log decides (its log-key
      // hash must be the one the log names for an epoch), so a wrong one is only kept aside.
      if (!group.members.has(sender) || body.value.secret.length !== 32) return false;
      await this.#log.keys.offer(groupId, GroupSecret.from(body.value.secret));
      if (await this.#log.keys.settle(groupId, group)) {
        await this.#log.reopenProfiles(groupId);
        this.#log.later(() => {
          this.#log.onKeysGained(groupId);
        });
      } else {
        // Not in our log yet (a rotation we have not fetched): the sync it starts settles it.
        this.#log.later(() => {
          this.#log.onKeysGained(groupId);
        });
      }
      return true;
    }
    if (body.case === 'senderKeyDistribution' && !group.members.has(sender)) {
      // A new member's key can overtake their join: the 1:1 message arrives before the group
      // stream shows us the join. Keep it (durably: this envelope is acknowledged) until then.
      if (group.banned.has(sender)) return false;
      const known = await state.groups.pendingKey(groupId, sender);
      if (known === undefined && (await state.groups.countPendingKeys(groupId)) >= MAX_PENDING_KEYS)
        return false;
      await state.groups.putPendingKey(groupId, sender, ownedBytes(body.value.distribution));
      return true;
    }
    if (!group.members.has(sender)) return false;
    if (body.case === 'senderKeyDistribution') {
      await state.cipher.processSenderKeyDistribution(sender, body.value.distribution);
      for (const parked of await state.groups.parked(groupId, sender)) {
        await state.groups.unpark(groupId, parked);
        await this.#openMessage(groupId, parked);
      }
      return true;
    }
    const me = group.members.get(this.#address);
    if (me === undefined || ROLE_RANK[me.role] < ROLE_RANK.moderator) return false;
    const record = await state.groups.require(groupId);
    const report: GroupReportRecord = {
      index: record.reportCount + 1,
      reporter: sender,
      messageId: ownedBytes(body.value.messageId),
      author: body.value.author,
      text: body.value.text.slice(0, MAX_TEXT_LENGTH),
      context: body.value.context.slice(0, REPORT_CONTEXT).map((item) => ({
        author: item.author,
        text: item.text.slice(0, MAX_TEXT_LENGTH),
        sentAt: Number(item.sentAt),
        ...(item.messageId.length === GROUP_MESSAGE_ID_BYTES
          ? { messageId: ownedBytes(item.messageId) }
          : {}),
      })),
      reason: body.value.reason.slice(0, 500),
      receivedAt: Date.now(),
    };
    await state.groups.putReport(groupId, report);
    await state.groups.put({ ...record, reportCount: report.index });
    // Shown with our own copy of what it names, never the reporter's words alone.
    const checked = await checkGroupReport(state.groups, groupId, report);
    this.#log.later(() => {
      this.#options.emit('groupReport', { groupId: toHex(groupId), report: checked });
    });
    return true;
  }

  /** A fellow member renewed its session after a restore: see GroupLog.resendEpochSecrets. */
  memberRenewed(sender: string): Promise<void> {
    return this.#log.resendEpochSecrets(sender);
  }

  /** Emits what handleDirect stored, once the inbound transaction committed. */
  afterDirect(): void {
    this.#log.flushEvents();
  }
}

function safeSequence(signed: Uint8Array): number | undefined {
  try {
    return decodeGroupOperation(signed).sequence;
  } catch {
    return undefined;
  }
}

/**
 * Whether posts missing after one the relay received at `lastReceivedAt` may have been deleted by
 * the group's disappearing timer rather than withheld: the relay deletes a message once it is
 * older than the timer by the relay's receive time, so the missing posts (received after that one)
 * could be gone only if that one is older than the timer now. A relay can thus hold back nothing
 * it was not bound to delete already. Judged by our clock against the relay's receive times, with
 * a minute's allowance for the two clocks.
 */
function mayHaveExpired(group: GroupState, lastReceivedAt: number | undefined): boolean {
  const timer = group.policy.disappearingSeconds;
  if (timer === 0 || lastReceivedAt === undefined) return false;
  return lastReceivedAt + timer * 1000 <= Date.now() + EXPIRY_CLOCK_ALLOWANCE_MS;
}

const EXPIRY_CLOCK_ALLOWANCE_MS = 60_000;
