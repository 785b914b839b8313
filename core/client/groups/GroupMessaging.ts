import { bytesEqual } from '../../bytes/bytes.js';
import type { ScheduleAnswerTag } from '../messages/MessageBody.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { checkGroupPost } from '../../groups/GroupRules.js';
import type { GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { detectFileKindOf } from '../../attachments/fileType.js';
import type {
  AttachmentSendOptions,
  UploadedAttachments,
} from '../attachments/AttachmentTransfers.js';
import { composeMessage } from '../messages/conversationMessages.js';
import { checkImageWarning } from '../messages/contentWarnings.js';
import {
  deleteBody,
  editBody,
  newMessageId,
  reactionBody,
  textBody,
} from '../messages/messageBodyCodec.js';
import type { MessageChangeBody } from '../messages/MessageBody.js';
import type { PersonaState } from '../PersonaState.js';
import { resolveGroup } from './groupAccess.js';
import type { GroupSessionOptions } from './groupContext.js';
import { REPORT_CONTEXT } from './GroupInbound.js';
import { placeOfPost } from './topicPosting.js';
import type { GroupPoster } from './GroupPoster.js';
import { queueDirect } from './GroupPoster.js';
import type { GroupMessage, GroupRecord } from './GroupStore.js';

/** How a text to a group is sent: its attachments (see AttachmentSendOptions) and warning. */
export interface GroupSendOptions extends AttachmentSendOptions {
  /** A content warning: members see the message covered under this label until they reveal it. */
  readonly warning?: string;
  /**
   * The prompt of a scheduled chat this text answers (GroupSchedules.answerTag finds it for the
   * chat running now); CORE_INVALID_INPUT when malformed.
   */
  readonly scheduleAnswer?: ScheduleAnswerTag;
  /** The topic to post into (16 bytes; absent: General). CORE_TOPIC_CLOSED when it is closed. */
  readonly topicId?: Uint8Array;
  /**
   * The reply thread to post into: its root message (16 bytes). The post goes into the root's
   * topic, whatever `topicId` says; a reply in a thread names the thread's root.
   */
  readonly threadRoot?: Uint8Array;
}

/**
 * Our messages in a persona's groups: texts with their attachments, reactions, edits and
 * deletions, each checked against the group's posting rules, stored in our history and queued in
 * the group outbox (the GroupPoster sends it); reports to the moderators; saving an attachment.
 */
export class GroupMessaging {
  readonly #options: GroupSessionOptions;
  readonly #poster: GroupPoster;

  constructor(options: GroupSessionOptions, poster: GroupPoster) {
    this.#options = options;
    this.#poster = poster;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  get #address(): string {
    return this.#state.persona.address;
  }

  /**
   * Decrypts attachment `n` (from 0) of a group message into `outPath`: CORE_MESSAGE_NOT_FOUND
   * for an unknown message, else as AttachmentTransfers.save.
   */
  async saveAttachment(
    groupRef: string,
    messageId: Uint8Array,
    n: number,
    outPath: string,
  ): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = this.#state;
    const message = await state.transact(() =>
      state.groups.conversation(groupId, { self: this.#address }).findMessage(messageId),
    );
    if (message === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this group');
    }
    const transfers = this.#options.attachments;
    if (transfers === undefined) {
      throw new CoreError(CoreErrorCode.Internal, 'this session cannot keep attachments');
    }
    await transfers.save(message, n, outPath, { kind: 'group', groupId });
  }

  /**
   * Writes a message: checked against the rules here first (membership, mute, who may post, slow
   * mode), stored in history and the group outbox, then sent in the background (`groupSent`).
   * `warning` puts a content warning on it (CORE_INVALID_INPUT when malformed); a group that
   * requires warnings on images refuses an unwarned image (CORE_WARNING_REQUIRED).
   */
  async send(
    groupRef: string,
    text: string,
    replyTo?: Uint8Array,
    options: GroupSendOptions = {},
  ): Promise<GroupMessage> {
    const paths = options.attachments ?? [];
    const { warning, scheduleAnswer, topicId, threadRoot } = options;
    // Checked before any upload: the text, reply id and warning as they will be sent.
    textBody(paths.length > 0 && text === '' ? ' ' : text, {
      replyTo,
      warning,
      scheduleAnswer,
      topicId,
      threadRoot,
    });
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = this.#state;
    const messageId = newMessageId();
    let uploaded: UploadedAttachments = { pointers: [], files: [] };
    const transfers = this.#options.attachments;
    if (paths.length > 0) {
      if (transfers === undefined) {
        throw new CoreError(CoreErrorCode.Internal, 'this session cannot send attachments');
      }
      // The posting rules first: no upload for a post the group would refuse.
      const { others, policy } = await state.transact(async () => {
        const { group } = await this.#checkPost(groupId);
        const count = [...group.members.keys()].filter((member) => member !== this.#address);
        return { others: count.length, policy: group.policy };
      });
      // An unwarned image in a group that requires warnings: refused before anything is uploaded
      // (the files' sniffed types are the ones their pointers will carry).
      if (policy.requireImageWarnings && warning === undefined) {
        const kinds = await Promise.all(paths.map((path) => detectFileKindOf(path)));
        checkImageWarning({ attachments: kinds }, policy);
      }
      // ONE blob for the whole group: fetched once by each other member.
      uploaded = await transfers.upload(paths, {
        conversation: { kind: 'group', groupId },
        messageId,
        expectedFetches: Math.max(1, others),
        ...(options.sendUncleaned === undefined ? {} : { sendUncleaned: options.sendUncleaned }),
        ...(options.keepFileNames === undefined ? {} : { keepFileNames: options.keepFileNames }),
      });
    }
    const message = await state
      .transact(async () => {
        const { record, group } = await this.#checkPost(groupId);
        // Into the open topic (or the thread's, as its root shows now): topicPosting.ts.
        const place = await placeOfPost(
          group,
          state.groups.conversation(groupId, { self: this.#address, deleted: group.deleted }),
          { topicId, threadRoot },
        );
        const body = textBody(text, {
          replyTo,
          attachments: uploaded.pointers,
          warning,
          scheduleAnswer,
          ...place,
        });
        // Again on the real pointers, under the policy as it stands now (it may have changed).
        checkImageWarning(body, group.policy);
        const sentAt = Date.now();
        // Under the group's disappearing timer, our copy leaves the vault when everyone's does.
        const timer = group.policy.disappearingSeconds;
        const entry = await composeMessage(
          state.groups.conversation(groupId, { self: this.#address, deleted: group.deleted }),
          this.#address,
          body,
          {
            messageId,
            sentAt,
            attachmentFiles: uploaded.files,
            ...(timer === 0 ? {} : { expiresAt: sentAt + timer * 1000 }),
          },
        );
        await state.groups.putOutbox(groupId, {
          id: record.outboxCount + 1,
          messageId: entry.messageId,
          text: body.text,
          ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
          sequence: record.sequence + 1,
          sentAt,
          historyIndex: entry.index,
          ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
          ...(body.warning === undefined ? {} : { warning: body.warning }),
          ...(body.scheduleAnswer === undefined ? {} : { scheduleAnswer: body.scheduleAnswer }),
          ...(body.topicId === undefined ? {} : { topicId: body.topicId }),
          ...(body.threadRoot === undefined ? {} : { threadRoot: body.threadRoot }),
        });
        await state.groups.put({
          ...record,
          messageCount: entry.index,
          outboxCount: record.outboxCount + 1,
          sequence: record.sequence + 1,
          // Slow mode counts from the attempt: the relay will count from its receipt.
          lastPostAt: sentAt,
        });
        return entry;
      })
      .catch(async (error: unknown) => {
        await transfers?.discard(uploaded);
        throw error;
      });
    await state.store.flush();
    this.#poster.kick();
    return message;
  }

  /**
   * Reacts to a message of the group with `emoji`, or takes our reaction back with ''. One
   * reaction per member per message: a new one replaces ours. Stored on the message at once (the
   * returned message shows it under our address), then posted through the group outbox like a
   * text. The posting rules apply (membership, mute, who may post) but for slow mode: slow mode
   * paces the conversation so a heated thread can cool down, and a reaction adds no line to it,
   * so neither we nor the relay pace reactions (the relay's rate limit still bounds a flood).
   * CORE_INVALID_INPUT for a malformed id or emoji, CORE_MESSAGE_NOT_FOUND when the group holds
   * no such message (or a moderator deleted it).
   */
  async react(groupRef: string, messageId: Uint8Array, emoji: string): Promise<GroupMessage> {
    return this.#postChange(groupRef, reactionBody(messageId, emoji));
  }

  /**
   * Edits one of our messages: `text` replaces its words and `warning` its content warning
   * (absent: none from now on); every member shows it "edited". Posted like a reaction (the
   * posting rules but slow mode). CORE_NOT_AUTHOR for another member's message,
   * CORE_MESSAGE_NOT_FOUND for one the group lacks, that we deleted or a moderator deleted.
   */
  async edit(
    groupRef: string,
    messageId: Uint8Array,
    text: string,
    options: { readonly warning?: string } = {},
  ): Promise<GroupMessage> {
    return this.#postChange(groupRef, editBody(messageId, text, options));
  }

  /**
   * Deletes one of our messages for everyone: every member keeps its place, shown as "deleted
   * by its author", without its text, warning, reactions or attachment files. As {@link edit}.
   */
  async deleteForEveryone(groupRef: string, messageId: Uint8Array): Promise<GroupMessage> {
    return this.#postChange(groupRef, deleteBody(messageId));
  }

  /**
   * The group's posting rules for a text of ours now (membership, mute, who may post, slow mode),
   * inside a vault transaction. A due rotation only delays a message: it waits in the outbox
   * until the new epoch.
   */
  async #checkPost(groupId: Uint8Array): Promise<{ record: GroupRecord; group: GroupState }> {
    const groups = this.#state.groups;
    const record = await groups.require(groupId);
    const group = await groups.requireState(groupId);
    checkGroupPost(
      { ...group, rotationDue: false },
      this.#address,
      Date.now(),
      record.lastPostAt === 0 ? undefined : record.lastPostAt,
    );
    return { record, group };
  }

  /** Applies a reaction, edit or deletion to our copy and queues it in the group outbox. */
  async #postChange(groupRef: string, body: MessageChangeBody): Promise<GroupMessage> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = this.#state;
    const { updated, previous } = await state.transact(async () => {
      const record = await state.groups.require(groupId);
      const group = await state.groups.requireState(groupId);
      checkGroupPost({ ...group, rotationDue: false }, this.#address, Date.now(), undefined);
      const sentAt = Date.now();
      const contentId = newMessageId();
      const conversation = state.groups.conversation(groupId, {
        self: this.#address,
        deleted: group.deleted,
      });
      const before = await conversation.findMessage(body.messageId);
      const changed = await composeMessage(conversation, this.#address, body, {
        messageId: contentId,
        sentAt,
      });
      await state.groups.putOutbox(groupId, {
        id: record.outboxCount + 1,
        messageId: contentId,
        text: '',
        sequence: record.sequence + 1,
        sentAt,
        historyIndex: 0,
        ...(body.kind === 'reaction'
          ? { reaction: { messageId: body.messageId, emoji: body.emoji } }
          : { change: body }),
      });
      // lastPostAt stays: a reaction (an edit, a deletion) does not start the slow-mode interval.
      await state.groups.put({
        ...record,
        outboxCount: record.outboxCount + 1,
        sequence: record.sequence + 1,
      });
      return { updated: changed, previous: before };
    });
    await state.store.flush();
    if (body.kind === 'delete' && previous !== undefined) {
      await this.#options.attachments?.deleteFilesOf(previous);
    }
    this.#poster.kick();
    return updated;
  }

  /** Sends a report of a message to every moderator (not to the relay, not to members). */
  async report(groupRef: string, messageId: Uint8Array, reason: string): Promise<number> {
    if (reason.length > 500)
      throw new CoreError(CoreErrorCode.InvalidInput, 'the reason is too long');
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = this.#state;
    const sent = await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      const messages = await state.groups.messages(groupId);
      const at = messages.findIndex((message) => bytesEqual(message.messageId, messageId));
      const reported = messages[at];
      if (reported === undefined)
        throw new CoreError(CoreErrorCode.InvalidInput, 'no such message in this group');
      const context = messages.slice(Math.max(0, at - REPORT_CONTEXT), at).map((message) => ({
        messageId: message.messageId,
        author: message.sender,
        text: message.text,
        sentAt: BigInt(message.sentAt),
      }));
      const moderators = [...group.members.values()].filter(
        (member) =>
          ROLE_RANK[member.role] >= ROLE_RANK.moderator && member.address !== this.#address,
      );
      for (const moderator of moderators) {
        await queueDirect(this.#state, moderator.address, {
          case: 'report',
          value: {
            groupId,
            messageId,
            author: reported.sender,
            text: reported.text,
            context,
            reason,
          },
        });
      }
      return moderators.length;
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return sent;
  }
}
