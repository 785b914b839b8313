import { randomBytes } from 'node:crypto';
import { ownedBytes, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { slowModeWaitMs } from '../../groups/GroupRules.js';
import type { GroupState } from '../../groups/GroupState.js';
import { RelayErrorCode } from '../../protocol/RelayErrorCode.js';
import { toCoreError } from '../../signal/signalErrors.js';
import { encodeContent } from '../contentCodec.js';
import type { MessageBody } from '../messages/MessageBody.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import { RelayRejectedError } from '../RelayRejectedError.js';
import { distributionIdFor, encodeGroupContent, encodeGroupEnvelope } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupLog } from './GroupLog.js';
import type { GroupOutboxEntry, GroupRecord } from './GroupStore.js';
import { changesMessage } from './groupStoreRecords.js';

/** How many times a post is re-encrypted after the relay said our log was behind. */
const STALE_ATTEMPTS = 5;
/** How soon a run that failed looks again, when it was kicked while failing. */
const RETRY_AFTER_FAILURE_MS = 500;
/** How often `whenPosted` runs the poster again while entries stay queued. */
const REPOST_INTERVAL_MS = 1_000;

/** What a group's outbox waits for: the current epoch's secret, or a rotation. */
type PostWait = 'key' | 'rotation';

const PERMANENT_POST_CODES = new Set<string>([
  RelayErrorCode.GroupNotMember,
  RelayErrorCode.GroupMuted,
  RelayErrorCode.GroupPostingRestricted,
  RelayErrorCode.GroupNotFound,
  RelayErrorCode.BadFrame,
  RelayErrorCode.FrameTooLarge,
]);

/**
 * Empties the group outboxes of a persona: each message is encrypted at the moment it is sent,
 * with our current sender key and our current log head, after our sender key was queued 1:1 for
 * every member who lacks it (all of them, after a removal rotated it). Posts go on an
 * authenticated connection; one refused because our log is behind (RELAY_GROUP_STALE) is
 * encrypted again once the log is caught up, so nothing is ever sent with a key a removed member
 * holds.
 */
export class GroupPoster {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #idleWaiters: (() => void)[] = [];
  #posting: Promise<void> | undefined;
  #postAgain = false;
  #lastPostError: CoreError | undefined;
  /** Wakes the poster when a text held back by slow mode may go. */
  #paceTimer: NodeJS.Timeout | undefined;

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

  get isIdle(): boolean {
    return this.#posting === undefined;
  }

  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Starts posting the group outboxes (or looks again when already posting). */
  kick(): void {
    this.#postAgain = true;
    this.#posting ??= this.#postAll()
      .catch((error: unknown) => {
        this.#lastPostError = toCoreError(error, CoreErrorCode.Internal, 'group send');
        // A kick that came while this run failed (our receiving link connecting, say, which
        // makes the relay close the short connection this run posted on) must not be lost.
        if (this.#postAgain) this.#kickAfter(RETRY_AFTER_FAILURE_MS);
      })
      .finally(() => {
        this.#posting = undefined;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
  }

  /**
   * Resolves when every group outbox is empty; rejects with the last failure after `timeoutMs`.
   * What waits for a group key rejects with CORE_GROUP_KEY_MISSING (the messages stay queued and
   * go when it comes): at once when `keyCanArrive` is false (no receiving link, so nothing this
   * call waits for can bring it), else once `timeoutMs` has passed without it.
   */
  async whenPosted(timeoutMs: number, keyCanArrive: boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastKick = -Infinity;
    for (;;) {
      const waiting = this.#posting === undefined ? await this.#outboxWaits() : [];
      if (this.#posting === undefined && waiting.length === 0) return;
      // The key comes 1:1 from a moderator's client (or with a rotation), and its arrival kicks
      // the poster: nothing to retry meanwhile.
      const onlyKey = waiting.length > 0 && waiting.every((wait) => wait === 'key');
      if (onlyKey && (!keyCanArrive || Date.now() >= deadline)) {
        throw new CoreError(CoreErrorCode.GroupKeyMissing, 'queued until the group key comes');
      }
      if (Date.now() >= deadline) {
        throw (
          this.#lastPostError ??
          new CoreError(CoreErrorCode.RelayTimeout, 'group messages not sent in time')
        );
      }
      // A run that ends with entries still queued (waiting for a rotation, or failed) is tried
      // again at most once a second: each run may open a connection, and a run that cannot post
      // ends at once, so kicking on every turn opened a hundred connections a second.
      if (this.#posting === undefined && Date.now() - lastKick >= REPOST_INTERVAL_MS) {
        lastKick = Date.now();
        this.kick();
      }
      await Promise.race([this.#posting, delay(Math.min(250, Math.max(1, deadline - Date.now())))]);
    }
  }

  /** One item per group whose outbox is not empty: what it waits for, or `post` when nothing. */
  async #outboxWaits(): Promise<(PostWait | 'post')[]> {
    const state = this.#state;
    return state.transact(async () => {
      const waits: (PostWait | 'post')[] = [];
      for (const record of await state.groups.list()) {
        if ((await state.groups.outbox(record.groupId)).length === 0) continue;
        waits.push((await this.#waitFor(record.groupId)) ?? 'post');
      }
      return waits;
    });
  }

  async #postAll(): Promise<void> {
    while (this.#postAgain) {
      this.#postAgain = false;
      const records = await this.#state.transact(() => this.#state.groups.list());
      for (const record of records) {
        const outbox = await this.#state.transact(() => this.#state.groups.outbox(record.groupId));
        if (outbox.length === 0) continue;
        // Waiting for the group key: nothing can be posted, so no connection is opened for it.
        if ((await this.#state.transact(() => this.#waitFor(record.groupId))) === 'key') continue;
        let link: { connection: RelayConnection; release: () => void } | undefined;
        try {
          link = await this.#options.authenticated();
          for (const entry of outbox) {
            const waitMs = await this.#slowModeWait(record.groupId, entry);
            if (waitMs > 0) {
              // Later entries wait too: nothing overtakes a text (a reaction may be to it).
              this.#kickAfter(waitMs);
              break;
            }
            // Waiting for the group key (a rotation in flight, or a joiner not yet sent it):
            // the whole outbox waits, in order, and goes when the key comes.
            if ((await this.#postOne(record.groupId, entry, link.connection)) !== undefined) break;
          }
          this.#lastPostError = undefined;
        } finally {
          link?.release();
        }
      }
    }
  }

  /**
   * How long a text must still wait so the relay receives it a slow-mode interval after it
   * acknowledged our previous one. Texts written while offline would otherwise go out together,
   * and only the relay's memory of our last post (gone when it restarts, or on another relay
   * node) would hold the second back; members, who check slow mode themselves, would then drop
   * it. Reactions are not paced.
   */
  async #slowModeWait(groupId: Uint8Array, entry: GroupOutboxEntry): Promise<number> {
    if (changesMessage(entry)) return 0;
    const state = this.#state;
    return state.transact(async () => {
      const record = await state.groups.require(groupId);
      const group = await state.groups.requireState(groupId);
      if (group.members.get(this.#address)?.role !== 'member') return 0;
      return slowModeWaitMs(group, record.lastAckedAt, Date.now());
    });
  }

  #kickAfter(ms: number): void {
    clearTimeout(this.#paceTimer);
    this.#paceTimer = setTimeout(() => {
      this.#paceTimer = undefined;
      this.kick();
    }, ms);
    this.#paceTimer.unref();
  }

  /** What a group's outbox must wait for before anything in it can go, if anything. */
  async #waitFor(groupId: Uint8Array): Promise<PostWait | undefined> {
    const group = await this.#state.groups.requireState(groupId);
    if (!group.members.has(this.#address)) return undefined;
    if ((await this.#log.keys.current(groupId, group)) === undefined) return 'key';
    return group.rotationDue ? 'rotation' : undefined;
  }

  /**
   * Posts one entry (or settles it as refused); what it must wait for instead, when it stays in
   * the outbox.
   */
  async #postOne(
    groupId: Uint8Array,
    queued: GroupOutboxEntry,
    connection: RelayConnection,
  ): Promise<PostWait | undefined> {
    const state = this.#state;
    let entry = queued;
    for (let attempt = 1; ; attempt++) {
      const prepared = await state.transact(async () => {
        // Its sequence number moves down when a post before it is refused (#releaseSequence).
        entry = (await state.groups.outboxEntry(groupId, queued.id)) ?? entry;
        const record = await state.groups.require(groupId);
        const group = await state.groups.requireState(groupId);
        if (!group.members.has(this.#address)) {
          throw new CoreError(CoreErrorCode.GroupNotMember, 'no longer a member of this group');
        }
        // Nothing is written under the old epoch after a departure, nor without the current
        // epoch's secret: the entry waits for the rotation and its secret.
        const secret = await this.#log.keys.current(groupId, group);
        if (secret === undefined) return 'key';
        if (group.rotationDue) return 'rotation';
        await this.#distributeSenderKey(groupId, record, group);
        const distributionId = distributionIdFor(groupId);
        const ciphertext = await this.#groupEncrypt(
          distributionId,
          encodeGroupContent({
            messageId: entry.messageId,
            sentAt: entry.sentAt,
            sequence: entry.sequence,
            logLength: group.length,
            logHead: group.head,
            body: outboxBody(entry),
          }),
        );
        return {
          envelope: await encodeGroupEnvelope(
            secret,
            groupId,
            this.#address,
            ciphertext,
            group.epoch,
          ),
          logLength: group.length,
        };
      });
      if (typeof prepared === 'string') return prepared;
      await state.store.flush();
      // Our sender key must reach members before (or soon after) the message does.
      this.#options.kickOutbox();
      try {
        await connection.request(
          {
            case: 'postGroupMessage',
            value: {
              groupId,
              logLength: BigInt(prepared.logLength),
              envelope: prepared.envelope,
              // Lets the relay skip slow mode for it; members check texts themselves.
              reaction: changesMessage(entry),
            },
          },
          'groupAppended',
        );
      } catch (error) {
        if (RelayRejectedError.isRelayRejection(error)) {
          if (error.relayCode === RelayErrorCode.GroupStale && attempt < STALE_ATTEMPTS) {
            // Operations we have not seen: maybe a removal, after which we must rotate first.
            await this.#log.sync(groupId);
            continue;
          }
          if (error.relayCode === RelayErrorCode.GroupRotationDue) {
            // A departure we have not applied yet: wait for the rotation (our log's sync, or the
            // new secret, kicks the poster again).
            await this.#log.sync(groupId);
            return 'rotation';
          }
          if (PERMANENT_POST_CODES.has(error.relayCode)) {
            await this.#settle(groupId, entry, 'failed');
            this.#options.emit('groupSendFailed', {
              groupId: toHex(groupId),
              messageId: entry.messageId,
              error,
            });
            return undefined;
          }
        }
        if (CoreError.is(error, CoreErrorCode.GroupNotMember)) {
          await this.#settle(groupId, entry, 'failed');
          this.#options.emit('groupSendFailed', {
            groupId: toHex(groupId),
            messageId: entry.messageId,
            error,
          });
          return undefined;
        }
        throw error;
      }
      await this.#settle(groupId, entry, 'sent');
      this.#options.emit('groupSent', { groupId: toHex(groupId), messageId: entry.messageId });
      return undefined;
    }
  }

  async #settle(
    groupId: Uint8Array,
    entry: GroupOutboxEntry,
    status: 'sent' | 'failed',
  ): Promise<void> {
    const state = this.#state;
    await state.transact(async () => {
      await state.groups.removeOutbox(groupId, entry.id);
      // Refused for good, it never reached the stream: the posts queued after it move down one
      // sequence number, so members see no gap where there was none (they warn on gaps).
      if (status === 'failed') await this.#releaseSequence(groupId, entry.sequence);
      // A reaction (an edit, a deletion) is no message of its own, and does not start the
      // slow-mode interval.
      if (changesMessage(entry)) return;
      await state.groups
        .conversation(groupId, { self: this.#address })
        .setStatus(entry.historyIndex, status);
      if (status === 'sent') {
        const record = await state.groups.require(groupId);
        const now = Date.now();
        await state.groups.put({ ...record, lastPostAt: now, lastAckedAt: now });
      }
    });
    await state.store.flush();
  }

  /**
   * Gives back the sequence number of a post the relay refused: every queued post after it (none
   * of them posted yet: posts go one at a time, in order) takes the number before its own.
   * Inside a transaction.
   */
  async #releaseSequence(groupId: Uint8Array, sequence: number): Promise<void> {
    const state = this.#state;
    for (const later of await state.groups.outbox(groupId)) {
      if (later.sequence > sequence)
        await state.groups.putOutbox(groupId, { ...later, sequence: later.sequence - 1 });
    }
    const record = await state.groups.require(groupId);
    if (record.sequence >= sequence)
      await state.groups.put({ ...record, sequence: record.sequence - 1 });
  }

  /** Queues our current sender key, 1:1, to every member who lacks it. Inside a transaction. */
  /**
   * Encrypts with our sender key, making one first when there is none: alone in a group (just
   * created it, or everyone else left) we have had no one to hand a key to, yet may still write.
   */
  async #groupEncrypt(distributionId: string, plaintext: Uint8Array): Promise<Uint8Array> {
    const cipher = this.#state.cipher;
    try {
      return await cipher.groupEncrypt(distributionId, plaintext);
    } catch (error) {
      if (!CoreError.is(error, CoreErrorCode.NoSenderKey)) throw error;
      await cipher.createSenderKeyDistribution(distributionId);
      return cipher.groupEncrypt(distributionId, plaintext);
    }
  }

  async #distributeSenderKey(
    groupId: Uint8Array,
    record: GroupRecord,
    group: GroupState,
  ): Promise<void> {
    const state = this.#state;
    const holders = new Set(record.distributedTo.filter((address) => group.members.has(address)));
    const missing = [...group.members.keys()].filter(
      (address) => address !== this.#address && !holders.has(address),
    );
    if (missing.length === 0) return;
    const distribution = await state.cipher.createSenderKeyDistribution(distributionIdFor(groupId));
    for (const address of missing) {
      await queueDirect(this.#state, address, {
        case: 'senderKeyDistribution',
        value: { groupId, distribution },
      });
      holders.add(address);
    }
    await state.groups.put({
      ...(await state.groups.require(groupId)),
      distributedTo: [...holders],
    });
  }
}

/** Puts 1:1 content for a fellow member (a sender key, a report) in the outbox. Inside a
 * transaction. */
export async function queueDirect(
  state: PersonaState,
  address: string,
  body: Extract<
    NonNullable<Parameters<typeof encodeContent>[0]['body']>,
    { case: 'senderKeyDistribution' | 'report' | 'groupEpochSecret' }
  >,
): Promise<void> {
  const sequence = await state.history.takeOutgoingSequence(address);
  const messageId = ownedBytes(randomBytes(16));
  const sentAt = Date.now();
  const { bytes } = encodeContent({ messageId, sequence, sentAt, body });
  await state.outbox.put({
    messageId,
    recipient: address,
    sequence,
    content: bytes,
    enqueuedAt: sentAt,
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The body a group outbox entry carries (its record keeps the fields it always had). */
function outboxBody(entry: GroupOutboxEntry): MessageBody {
  if (entry.change !== undefined) return entry.change;
  return entry.reaction === undefined
    ? {
        kind: 'text',
        text: entry.text,
        ...(entry.replyTo === undefined ? {} : { replyTo: entry.replyTo }),
        ...(entry.attachments === undefined ? {} : { attachments: entry.attachments }),
        ...(entry.warning === undefined ? {} : { warning: entry.warning }),
        ...(entry.scheduleAnswer === undefined ? {} : { scheduleAnswer: entry.scheduleAnswer }),
        ...(entry.topicId === undefined ? {} : { topicId: entry.topicId }),
        ...(entry.threadRoot === undefined ? {} : { threadRoot: entry.threadRoot }),
      }
    : { kind: 'reaction', messageId: entry.reaction.messageId, emoji: entry.reaction.emoji };
}
