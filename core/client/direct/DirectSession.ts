import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { SafetyNumber } from '../../signal/signalTypes.js';
import type { Contact } from '../ContactBook.js';
import { encodeContent } from '../contentCodec.js';
import { contactKeyScope } from '../deliveryKeyScopes.js';
import type { HistoryEntry, HistoryMessage } from '../MessageHistory.js';
import { composeMessage } from '../messages/conversationMessages.js';
import {
  encodeMessageBody,
  newMessageId,
  reactionBody,
  textBody,
} from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';

/** What a DirectSession needs from the persona it belongs to. */
export interface DirectSessionOptions {
  readonly state: PersonaState;
  /** Our own address: the author of what we write. */
  readonly self: string;
  /** Throws CORE_VAULT_LOCKED once the persona's session stopped. */
  readonly checkOpen: () => void;
  /** Something new waits in the 1:1 outbox. */
  readonly kickOutbox: () => void;
  /** A pass of the delivery keys now; false when the relay could not be reached. */
  readonly syncDeliveryKeys: () => Promise<boolean>;
}

/**
 * A persona's 1:1 conversations, the counterpart of core/client/groups/GroupSession: contacts,
 * what we write to them (text, reactions, through the shared message model), their history,
 * safety numbers and blocking. What arrives is DirectInbound's; adding a contact (invite links,
 * introductions) stays with PersonaSession, which owns the relay connections it needs.
 */
export class DirectSession {
  readonly #state: PersonaState;
  readonly #options: DirectSessionOptions;

  constructor(options: DirectSessionOptions) {
    this.#state = options.state;
    this.#options = options;
  }

  async contacts(): Promise<Contact[]> {
    this.#options.checkOpen();
    return this.#state.transact(() => this.#state.contacts.list());
  }

  /** A contact by alias or address (CORE_CONTACT_NOT_FOUND otherwise). */
  async contact(reference: string): Promise<Contact> {
    this.#options.checkOpen();
    return this.#state.transact(() => this.#state.contacts.resolve(reference));
  }

  /**
   * Writes a text to a contact: stored in history and in the outbox first, then sent in the
   * background until the relay acknowledges it (`sent`) or refuses it for good (`sendFailed`).
   * With `replyTo`, it answers that message of the conversation (either side's):
   * CORE_INVALID_INPUT when the id is not 16 bytes, CORE_MESSAGE_NOT_FOUND when the conversation
   * holds no such message. With `warning`, the contact sees it covered under that label until
   * they reveal it (CORE_INVALID_INPUT for a warning over 100 characters or with control
   * characters).
   */
  async send(
    reference: string,
    text: string,
    options: { replyTo?: Uint8Array; warning?: string } = {},
  ): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const body = textBody(text, options.replyTo, options.warning);
    const state = this.#state;
    const message = await state.transact(async () => {
      const contact = notBlocked(await state.contacts.resolve(reference));
      const sentAt = Date.now();
      const messageId = newMessageId();
      const entry = await composeMessage(
        state.history.conversation(contact.address),
        this.#options.self,
        body,
        { messageId, sentAt },
      );
      const { bytes } = encodeContent({
        messageId,
        sequence: entry.sequence,
        sentAt,
        body: { case: 'message', value: encodeMessageBody(body) },
      });
      await state.outbox.put({
        messageId,
        recipient: contact.address,
        sequence: entry.sequence,
        content: bytes,
        enqueuedAt: sentAt,
        historyIndex: entry.index,
      });
      return entry;
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return message;
  }

  /**
   * Reacts to a message of the conversation with a contact (theirs or ours) with `emoji`, or
   * takes our reaction back with ''. One reaction per person per message: a new one replaces
   * ours. Stored at once (the returned message shows it under our address), then sent like a
   * text, through the outbox, so it survives being offline. CORE_INVALID_INPUT for a malformed
   * id or emoji (at most 16 UTF-16 code units, no control characters), CORE_MESSAGE_NOT_FOUND
   * when the conversation holds no such message.
   */
  async react(reference: string, messageId: Uint8Array, emoji: string): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const body = reactionBody(messageId, emoji);
    const state = this.#state;
    const updated = await state.transact(async () => {
      const contact = notBlocked(await state.contacts.resolve(reference));
      const sentAt = Date.now();
      const contentId = newMessageId();
      const message = await composeMessage(
        state.history.conversation(contact.address),
        this.#options.self,
        body,
        { messageId: contentId, sentAt },
      );
      const sequence = await state.history.takeOutgoingSequence(contact.address);
      const { bytes } = encodeContent({
        messageId: contentId,
        sequence,
        sentAt,
        body: { case: 'message', value: encodeMessageBody(body) },
      });
      await state.outbox.put({
        messageId: contentId,
        recipient: contact.address,
        sequence,
        content: bytes,
        enqueuedAt: sentAt,
      });
      return message;
    });
    await state.store.flush();
    this.#options.kickOutbox();
    return updated;
  }

  async messages(reference: string): Promise<HistoryEntry[]> {
    this.#options.checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      return state.history.list(contact.address);
    });
  }

  /** Whether the user marked this contact's identity key verified (no safety number computed). */
  async isVerified(reference: string): Promise<boolean> {
    this.#options.checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      return (await state.cipher.remoteIdentity(contact.address))?.verified ?? false;
    });
  }

  async safetyNumber(reference: string): Promise<SafetyNumber & { verified: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const number = await state.cipher.safetyNumber(contact.address);
      const remote = await state.cipher.remoteIdentity(contact.address);
      return { ...number, verified: remote?.verified ?? false };
    });
  }

  /**
   * Marks a contact verified when `number` (spaces ignored) equals the safety number computed
   * here; CORE_SAFETY_NUMBER_MISMATCH otherwise, and nothing changes.
   */
  async verify(reference: string, number: string): Promise<void> {
    this.#options.checkOpen();
    const state = this.#state;
    await state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const computed = await state.cipher.safetyNumber(contact.address);
      if (number.replace(/\s+/g, '') !== computed.digits) {
        throw new CoreError(
          CoreErrorCode.SafetyNumberMismatch,
          'the safety number does not match; do not trust this contact yet',
        );
      }
      await state.cipher.setVerified(contact.address, true);
    });
  }

  /**
   * Blocks a contact: revokes at the relay the delivery key we gave them (their next envelope
   * with it is refused, RELAY_ACCESS_DENIED), drops whatever they still manage to send (say,
   * through a group we share, whose key is the group's), and refuses to write to them
   * (CORE_CONTACT_BLOCKED). The block holds at once; when the relay cannot be reached,
   * `revokedAtRelay` is false and the revocation is carried out on the next connection.
   */
  async block(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    const contact = await state.transact(async () => {
      const found = await state.contacts.resolve(reference);
      await state.deliveryKeys.revoke(contactKeyScope(found.address));
      return state.contacts.setBlocked(found.address, true);
    });
    await state.store.flush();
    return { contact, revokedAtRelay: await this.#options.syncDeliveryKeys() };
  }

  /**
   * Unblocks a contact: a fresh delivery key is registered for them and sent to them (their old
   * one stays revoked). `revokedAtRelay` (here: registered) as for `block`.
   */
  async unblock(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    const contact = await state.transact(async () => {
      const found = await state.contacts.resolve(reference);
      if (found.blocked !== true) return found;
      await state.deliveryKeys.create(contactKeyScope(found.address), { grant: true });
      return state.contacts.setBlocked(found.address, false);
    });
    await state.store.flush();
    return { contact, revokedAtRelay: await this.#options.syncDeliveryKeys() };
  }
}

function notBlocked(contact: Contact): Contact {
  if (contact.blocked === true) {
    throw new CoreError(CoreErrorCode.ContactBlocked, 'that contact is blocked; unblock it first');
  }
  return contact;
}
