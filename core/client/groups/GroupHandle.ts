import { fromHex } from '../../bytes/bytes.js';
import type { ListingRequest, ListingRequested } from '../directory/listingRequest.js';
import { requestListing } from '../directory/listingRequest.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { GROUP_MESSAGE_ID_BYTES } from '../../groups/GroupRules.js';
import type { GroupPostingRule } from '../../groups/GroupState.js';
import type { GroupInfoData } from './groupCodec.js';
import type { GroupLogEntry } from './GroupLog.js';
import type { GroupResourceData } from './groupResources.js';
import { checkGroupResources } from './groupResources.js';
import type { GroupSendOptions } from './GroupMessaging.js';
import type {
  GroupDetails,
  GroupMemberView,
  GroupMessageView,
  GroupRequestView,
} from './GroupReading.js';
import { GroupScheduleHandle } from './GroupScheduleHandle.js';
import type { GroupSession } from './GroupSession.js';
import type { GroupTopicView } from './GroupTopics.js';
import type { CheckedGroupReport } from './GroupReports.js';
import type { GroupMessage, GroupWarning } from './GroupStore.js';

/**
 * One group, as the persona that is in it sees it: what the CLI and the desktop app call. Members
 * are named by address or by their (unique) pseudonym in the group, looked up in the log as the
 * relay has it now (so someone who has just joined can be named); messages by their hex id.
 * Every moderator action is a signed operation, checked here with the relay's own rules first.
 */
export class GroupHandle {
  readonly id: string;
  /** Address of the persona this group belongs to. */
  readonly persona: string;
  readonly #session: GroupSession;

  constructor(session: GroupSession, id: string, persona: string) {
    this.#session = session;
    this.id = id;
    this.persona = persona;
  }

  /** Its scheduled host-led chats (docs/groups.md "Scheduled host-led chats"). */
  get schedules(): GroupScheduleHandle {
    return new GroupScheduleHandle(this.#session.schedules, this.id);
  }

  /**
   * Asks the relay to list this group in its directory (the owner only): see requestListing in
   * core/client/directory/listingRequest.ts. Nobody sees it before the operator approves it.
   */
  requestListing(request: ListingRequest): Promise<ListingRequested> {
    return requestListing(this.#session, this.id, request);
  }

  details(): Promise<GroupDetails> {
    return this.#session.reading.details(this.id);
  }

  members(): Promise<GroupMemberView[]> {
    return this.#session.reading.members(this.id);
  }

  requests(): Promise<GroupRequestView[]> {
    return this.#session.reading.requests(this.id);
  }

  /** Personas banned from the group (an unban names one of them). */
  banned(): Promise<{ address: string; pseudonym: string }[]> {
    return this.#session.reading.banned(this.id);
  }

  messages(): Promise<GroupMessageView[]> {
    return this.#session.reading.messages(this.id);
  }

  log(): Promise<GroupLogEntry[]> {
    return this.#session.reading.log(this.id);
  }

  reports(): Promise<CheckedGroupReport[]> {
    return this.#session.reading.reports(this.id);
  }

  /** Forgets a group we are out of (removed, banned, left); see GroupSession.forget. */
  forget(): Promise<void> {
    return this.#session.forget(this.id);
  }

  /** Dismisses report `index` for this moderator only (kept in the vault). */
  dismissReport(index: number): Promise<void> {
    return this.#session.dismissReport(this.id, index);
  }

  warnings(): Promise<GroupWarning[]> {
    return this.#session.reading.warnings(this.id);
  }

  /** Fetches operations the relay has that we have not seen yet. */
  sync(): Promise<void> {
    return this.#session.sync(this.id);
  }

  /**
   * See {@link GroupSession.send}: `attachments` are file paths (one upload each for the group);
   * `warning` puts a content warning on the message.
   */
  async send(
    text: string,
    options: { replyTo?: string; topic?: string; thread?: string } & Omit<
      GroupSendOptions,
      'topicId' | 'threadRoot'
    > = {},
  ): Promise<GroupMessage> {
    const { replyTo, topic, thread, ...rest } = options;
    // A topic by name or id ("General": none); a thread by its root's hex id.
    const topicHex = topic === undefined ? '' : await this.resolveTopic(topic);
    return this.#session.messaging.send(
      this.id,
      text,
      replyTo === undefined ? undefined : messageId(replyTo),
      {
        ...rest,
        ...(topicHex === '' ? {} : { topicId: messageId(topicHex) }),
        ...(thread === undefined ? {} : { threadRoot: messageId(thread) }),
      },
    );
  }

  /** Decrypts attachment `n` (from 0) of a message (by its hex id) into `outPath`. */
  saveAttachment(messageIdHex: string, n: number, outPath: string): Promise<void> {
    return this.#session.messaging.saveAttachment(this.id, messageId(messageIdHex), n, outPath);
  }

  /**
   * Reacts to a message (by its hex id) with `emoji`, or takes our reaction back with ''; returns
   * the message as it now is. See {@link GroupSession.react}.
   */
  async react(messageIdHex: string, emoji: string): Promise<GroupMessage> {
    return this.#session.messaging.react(this.id, messageId(messageIdHex), emoji);
  }

  /** Edits one of our messages (by its hex id). See {@link GroupSession.edit}. */
  async edit(
    messageIdHex: string,
    text: string,
    options: { readonly warning?: string } = {},
  ): Promise<GroupMessage> {
    return this.#session.messaging.edit(this.id, messageId(messageIdHex), text, options);
  }

  /** Deletes one of our messages (by its hex id) for everyone. See {@link GroupSession.deleteForEveryone}. */
  async deleteForEveryone(messageIdHex: string): Promise<GroupMessage> {
    return this.#session.messaging.deleteForEveryone(this.id, messageId(messageIdHex));
  }

  invite(options: { maxUses: number; expiresAt: number }): Promise<string> {
    return this.#session.invite(this.id, options);
  }

  report(message: string, reason = ''): Promise<number> {
    return this.#session.messaging.report(this.id, messageId(message), reason);
  }

  async approve(member: string, reason?: string): Promise<void> {
    await this.#target('approve', member, reason);
  }

  async deny(member: string, reason?: string): Promise<void> {
    await this.#target('deny', member, reason);
  }

  async remove(member: string, reason?: string): Promise<void> {
    await this.#target('remove', member, reason);
  }

  async ban(member: string, reason?: string): Promise<void> {
    await this.#target('ban', member, reason);
  }

  async unban(member: string, reason?: string): Promise<void> {
    await this.#target('unban', member, reason);
  }

  async promote(member: string, reason?: string): Promise<void> {
    await this.#target('promote', member, reason);
  }

  async demote(member: string, reason?: string): Promise<void> {
    await this.#target('demote', member, reason);
  }

  async transferOwnership(member: string, reason?: string): Promise<void> {
    await this.#target('transferOwnership', member, reason);
  }

  /** Mutes until `until` (ms since the epoch); 0 lifts the mute. */
  async mute(member: string, until: number, reason?: string): Promise<void> {
    if (!Number.isSafeInteger(until) || until < 0) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'a mute lasts until a time');
    }
    const address = await this.#session.currentMemberAddress(this.id, member);
    await this.#session.act(
      this.id,
      { case: 'mute', value: { member: address, until: BigInt(until) } },
      reason,
    );
  }

  /**
   * "Reset invite links" (moderators): starts a new epoch of the group secret and revokes every
   * open invite, so no link shared so far opens anything any more.
   */
  resetInvites(): Promise<void> {
    return this.#session.resetInvites(this.id);
  }

  async leave(): Promise<void> {
    await this.#session.act(this.id, { case: 'leave', value: {} });
  }

  async pin(message: string, reason?: string): Promise<void> {
    await this.#session.act(
      this.id,
      { case: 'pin', value: { messageId: messageId(message) } },
      reason,
    );
  }

  async unpin(message: string, reason?: string): Promise<void> {
    await this.#session.act(
      this.id,
      { case: 'unpin', value: { messageId: messageId(message) } },
      reason,
    );
  }

  async deleteMessage(message: string, reason?: string): Promise<void> {
    await this.#session.act(
      this.id,
      { case: 'deleteMessage', value: { messageId: messageId(message) } },
      reason,
    );
  }

  setInfo(changes: Partial<GroupInfoData>): Promise<void> {
    return this.#session.setInfo(this.id, changes);
  }

  setPolicy(changes: {
    joinByApproval?: boolean;
    slowModeSeconds?: number;
    posting?: GroupPostingRule;
    /** Disappearing messages: 0 off, else 5 minutes .. 4 weeks (moderators). */
    disappearingSeconds?: number;
    requireImageWarnings?: boolean;
    /** Members (not only moderators) may create topics. */
    membersCreateTopics?: boolean;
  }): Promise<void> {
    return this.#session.setPolicy(this.id, changes);
  }

  /** The group's topics (General first) with unread counts: see GroupTopics. */
  topics(): Promise<GroupTopicView[]> {
    return this.#session.topics.list(this.id);
  }

  /** Creates a topic; returns its hex id. */
  createTopic(name: string): Promise<string> {
    return this.#session.topics.create(this.id, name);
  }

  renameTopic(topic: string, name: string, reason?: string): Promise<void> {
    return this.#session.topics.rename(this.id, topic, name, reason);
  }

  closeTopic(topic: string, reason?: string): Promise<void> {
    return this.#session.topics.close(this.id, topic, reason);
  }

  reopenTopic(topic: string, reason?: string): Promise<void> {
    return this.#session.topics.reopen(this.id, topic, reason);
  }

  /** Moves a message (hex id) into a topic (name or id; "General"). */
  moveMessage(message: string, topic: string, reason?: string): Promise<void> {
    return this.#session.topics.move(this.id, message, topic, reason);
  }

  /** The topic's hex id ('' General) from its name or id. */
  resolveTopic(topic: string): Promise<string> {
    return this.#session.topics.resolve(this.id, topic);
  }

  markTopicRead(topic: string): Promise<void> {
    return this.#session.topics.markRead(this.id, topic);
  }

  /** The local resources the moderators pinned (empty when none), read from the sealed info. */
  async resources(): Promise<GroupResourceData[]> {
    return [...((await this.#session.reading.details(this.id)).resources ?? [])];
  }

  /**
   * Replaces the pinned resources (moderators: the set_info operation); an empty list clears
   * them. Checked first (CORE_INVALID_INPUT), then sealed with the rest of the info.
   */
  async setResources(resources: readonly GroupResourceData[]): Promise<void> {
    await this.#session.setInfo(this.id, { resources: checkGroupResources(resources) });
  }

  async #target(
    action:
      'approve' | 'deny' | 'remove' | 'ban' | 'unban' | 'promote' | 'demote' | 'transferOwnership',
    member: string,
    reason: string | undefined,
  ): Promise<void> {
    const address = await this.#session.currentMemberAddress(this.id, member);
    await this.#session.act(this.id, { case: action, value: { member: address } }, reason);
  }
}

function messageId(text: string): Uint8Array {
  const bytes = fromHex(text.trim());
  if (bytes?.length !== GROUP_MESSAGE_ID_BYTES) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a message id is 32 hex characters');
  }
  return bytes;
}
