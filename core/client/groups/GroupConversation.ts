import { toHex } from '../../bytes/bytes.js';
import type {
  ConversationStore,
  IncomingMessage,
  OutgoingMessage,
  SendOutcome,
  StoredAttachment,
} from '../messages/ConversationStore.js';
import { storedBodyOf } from '../messages/ConversationStore.js';
import { withReaction } from '../messages/reactions.js';
import type { GroupMessage, GroupStore } from './GroupStore.js';

/** One group's messages through the shared interface (what compose and applyIncoming use). */
export class GroupConversation implements ConversationStore<GroupMessage> {
  readonly #groups: GroupStore;
  readonly #groupId: Uint8Array;
  readonly #self: string;
  readonly #deleted: ReadonlySet<string>;

  constructor(groups: GroupStore, groupId: Uint8Array, self: string, deleted: ReadonlySet<string>) {
    this.#groups = groups;
    this.#groupId = groupId;
    this.#self = self;
    this.#deleted = deleted;
  }

  appendOutgoing(message: OutgoingMessage): Promise<GroupMessage> {
    return this.#append({
      messageId: message.messageId,
      sender: this.#self,
      sentAt: message.sentAt,
      storedAt: message.sentAt,
      ...storedBodyOf(message.body, {
        expiresAt: message.expiresAt,
        attachmentFiles: message.attachmentFiles,
      }),
      outgoing: true,
      status: 'pending',
    });
  }

  appendIncoming(message: IncomingMessage): Promise<GroupMessage> {
    return this.#append({
      messageId: message.messageId,
      sender: message.author,
      sentAt: message.sentAt,
      storedAt: message.storedAt,
      ...storedBodyOf(message.body, { expiresAt: message.expiresAt }),
      outgoing: false,
    });
  }

  async findMessage(messageId: Uint8Array): Promise<GroupMessage | undefined> {
    if (this.#deleted.has(toHex(messageId))) return undefined;
    return this.#groups.findMessage(this.#groupId, messageId);
  }

  async setReaction(
    messageId: Uint8Array,
    reactor: string,
    emoji: string,
  ): Promise<GroupMessage | undefined> {
    const message = await this.findMessage(messageId);
    if (message === undefined) return undefined;
    const reacted = withReaction(message, reactor, emoji);
    await this.#groups.putMessage(this.#groupId, reacted);
    return reacted;
  }

  async setStatus(index: number, status: SendOutcome): Promise<void> {
    const message = await this.#groups.message(this.#groupId, index);
    if (message !== undefined) await this.#groups.putMessage(this.#groupId, { ...message, status });
  }

  messages(): Promise<GroupMessage[]> {
    return this.#groups.messages(this.#groupId);
  }

  deleteMessage(index: number): Promise<GroupMessage | undefined> {
    return this.#groups.deleteMessage(this.#groupId, index);
  }

  async setAttachments(
    messageId: Uint8Array,
    attachments: readonly StoredAttachment[],
  ): Promise<GroupMessage | undefined> {
    // Found even when a moderator deleted it: its files must still be tracked (and removed).
    const message = await this.#groups.findMessage(this.#groupId, messageId);
    if (message === undefined) return undefined;
    const updated: GroupMessage = { ...message, attachments };
    await this.#groups.putMessage(this.#groupId, updated);
    return updated;
  }

  async replaceMessage(message: GroupMessage): Promise<GroupMessage | undefined> {
    const stored = await this.findMessage(message.messageId);
    if (stored === undefined) return undefined;
    const replaced: GroupMessage = { ...message, index: stored.index };
    await this.#groups.putMessage(this.#groupId, replaced);
    return replaced;
  }

  /** Stores `fields` as the group's next message and counts it in the group's record. */
  async #append(fields: Omit<GroupMessage, 'kind' | 'index' | 'author'>): Promise<GroupMessage> {
    const record = await this.#groups.require(this.#groupId);
    const message: GroupMessage = {
      kind: 'message',
      index: record.messageCount + 1,
      ...fields,
      author: fields.sender,
    };
    await this.#groups.putMessage(this.#groupId, message);
    await this.#groups.put({ ...record, messageCount: message.index });
    return message;
  }
}
