import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { SafetyNumber } from '../../signal/signalTypes.js';
import type {
  AttachmentSendOptions,
  AttachmentTransfers,
  UploadedAttachments,
} from '../attachments/AttachmentTransfers.js';
import type { Contact } from '../ContactBook.js';
import type { ContactCardData } from '../contactCard.js';
import { requestContentBody } from '../requests/requestSending.js';
import { encodeContent } from '../contentCodec.js';
import { contactKeyScope } from '../deliveryKeyScopes.js';
import type { HistoryEntry, HistoryMessage } from './MessageHistory.js';
import { composeMessage } from '../messages/conversationMessages.js';
import {
  deleteBody,
  editBody,
  encodeMessageBody,
  newMessageId,
  reactionBody,
  textBody,
  timerChangeBody,
} from '../messages/messageBodyCodec.js';
import type { JournalTextRole, MessageChangeBody, StoredBody } from '../messages/MessageBody.js';
import { expiryOf } from '../disappearing/timers.js';
import type { PersonaState } from '../PersonaState.js';
import type { Receipts } from './Receipts.js';
import { retryMessage } from './retryMessage.js';

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
  /** Uploads, downloads and saves attachments (absent: none can be sent). */
  readonly attachments?: AttachmentTransfers;
  /** Sends our delivery and read receipts. */
  readonly receipts: Receipts;
  /** Our card with `accessKey` in it: what a message request carries (the key to answer with). */
  readonly ownCard: (accessKey: Uint8Array) => ContactCardData;
}

/** How a text to a contact is sent. */
export interface DirectSendOptions extends AttachmentSendOptions {
  /** The message of the conversation this one answers. */
  readonly replyTo?: Uint8Array;
  /** A content warning: the contact sees the message covered under this label. */
  readonly warning?: string;
  /** Journals only (core/client/journal): what the text is there, an update or support. */
  readonly journal?: JournalTextRole;
  /**
   * Attachments already uploaded (instead of `attachments`): a journal update's files, uploaded
   * once for every follower and shared (AttachmentTransfers.share). The caller keeps them: they
   * are not discarded when this send fails.
   */
  readonly uploaded?: UploadedAttachments;
}

/**
 * A persona's 1:1 conversations, the counterpart of core/client/groups/GroupSession: contacts,
 * what we write to them (text, reactions, through the shared message model), their history,
 * safety numbers and blocking, read receipts and retrying a message. What arrives is DirectInbound's; adding a contact (invite links,
 * introductions) is ContactInvites'.
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
   *
   * With `attachments` (file paths, at most 10; the text may then be ''), each file is cleaned,
   * encrypted and uploaded to our relay (one blob, for one download) BEFORE anything is stored
   * or queued, with `attachmentProgress` events: a file that cannot be cleaned is refused with
   * CORE_ATTACHMENT_NOT_CLEANED unless `sendUncleaned`; a failed upload rejects and nothing is
   * sent. See AttachmentTransfers.upload and docs/attachments.md.
   */
  async send(
    reference: string,
    text: string,
    options: DirectSendOptions = {},
  ): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const paths = options.attachments ?? [];
    if (paths.length > 0 && options.uploaded !== undefined) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        'attachments are uploaded, or paths: not both',
      );
    }
    const attached = paths.length > 0 || (options.uploaded?.pointers.length ?? 0) > 0;
    // Checked before any upload: the text, reply id and warning as they will be sent.
    textBody(attached && text === '' ? ' ' : text, {
      replyTo: options.replyTo,
      warning: options.warning,
      journal: options.journal,
    });
    const messageId = newMessageId();
    let uploaded: UploadedAttachments = options.uploaded ?? { pointers: [], files: [] };
    if (paths.length > 0) {
      const contact = notBlocked(await this.contact(reference));
      uploaded = await this.#transfers().upload(paths, {
        conversation: { kind: 'direct', address: contact.address },
        messageId,
        expectedFetches: 1,
        ...(options.sendUncleaned === undefined ? {} : { sendUncleaned: options.sendUncleaned }),
        ...(options.keepFileNames === undefined ? {} : { keepFileNames: options.keepFileNames }),
      });
    }
    const body = textBody(text, {
      replyTo: options.replyTo,
      attachments: uploaded.pointers,
      warning: options.warning,
      journal: options.journal,
    });
    return this.#sendBody(reference, body, { messageId, attachmentFiles: uploaded.files }).catch(
      async (error: unknown) => {
        // Nothing was stored: the uploaded ciphertext and its kept files go too (unless the
        // caller uploaded them, for other messages too).
        if (options.uploaded === undefined) await this.#options.attachments?.discard(uploaded);
        throw error;
      },
    );
  }

  /**
   * Sets the disappearing-messages timer of the conversation with a contact (seconds; 0 off;
   * else 5 minutes .. 4 weeks, CORE_INVALID_INPUT otherwise). Either side may: the contact is
   * told with a TimerChange body, which both conversations show as a line ("disappearing
   * messages set to 1 day"). From then on every message stored on either side expires its
   * sending time plus the timer later, and our envelopes ask the relay to keep them no longer.
   */
  async setTimer(reference: string, seconds: number): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const body = timerChangeBody(seconds, this.#state.ruleContext.minDisappearingSeconds);
    return this.#sendBody(reference, body, { messageId: newMessageId() });
  }

  /** The disappearing-messages timer of the conversation with a contact (seconds, 0 off). */
  async timer(reference: string): Promise<number> {
    this.#options.checkOpen();
    const state = this.#state;
    return state.transact(async () =>
      state.timers.get((await state.contacts.resolve(reference)).address),
    );
  }

  /**
   * Stores a text or a timer change and puts it in the outbox (a timer change first sets it).
   * Its expiry comes from the contact's timer as it stands when it is stored; a text's
   * attachments were uploaded before (their kept ciphertext files, by position).
   */
  async #sendBody(
    reference: string,
    body: StoredBody,
    draft: { readonly messageId: Uint8Array; readonly attachmentFiles?: readonly string[] },
  ): Promise<HistoryMessage> {
    const state = this.#state;
    const { messageId } = draft;
    const message = await state.transact(async () => {
      const contact = notBlocked(await state.contacts.resolve(reference));
      if (body.kind === 'timerChange') await state.timers.set(contact.address, body.seconds);
      const sentAt = Date.now();
      const expiresAt = expiryOf(sentAt, await state.timers.get(contact.address));
      const entry = await composeMessage(
        state.history.conversation(contact.address),
        this.#options.self,
        body,
        {
          messageId,
          sentAt,
          ...(expiresAt === undefined ? {} : { expiresAt }),
          ...(draft.attachmentFiles === undefined
            ? {}
            : { attachmentFiles: draft.attachmentFiles }),
        },
      );
      // Until they accept our request, what we write goes as one (requestSending.ts).
      const { bytes } = encodeContent({
        messageId,
        sequence: entry.sequence,
        sentAt,
        body:
          contact.requestedIn === undefined
            ? { case: 'message', value: encodeMessageBody(body) }
            : await requestContentBody(state, contact, body, this.#options.ownCard),
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
   * id, CORE_REACTION_NOT_EMOJI unless `emoji` is exactly one emoji (or ''),
   * CORE_MESSAGE_NOT_FOUND when the conversation holds no such message (or its author deleted it).
   */
  async react(reference: string, messageId: Uint8Array, emoji: string): Promise<HistoryMessage> {
    this.#options.checkOpen();
    return this.#sendChange(reference, reactionBody(messageId, emoji));
  }

  /**
   * Edits one of our messages of the conversation with a contact: `text` replaces its words and
   * `warning` its content warning (absent: none from now on); both sides show it "edited",
   * search finds the new words only. CORE_NOT_AUTHOR for the contact's message,
   * CORE_MESSAGE_NOT_FOUND for one the conversation lacks or that we deleted, CORE_INVALID_INPUT
   * for a bad text or warning. Sent through the outbox like a reaction.
   */
  async edit(
    reference: string,
    messageId: Uint8Array,
    text: string,
    options: { readonly warning?: string } = {},
  ): Promise<HistoryMessage> {
    this.#options.checkOpen();
    return this.#sendChange(reference, editBody(messageId, text, options));
  }

  /**
   * Deletes one of our messages for everyone: both sides keep its place, shown as "deleted by
   * its author", and drop its text, warning, reactions and attachment files. The same refusals
   * as {@link edit}.
   */
  async deleteForEveryone(reference: string, messageId: Uint8Array): Promise<HistoryMessage> {
    this.#options.checkOpen();
    return this.#sendChange(reference, deleteBody(messageId));
  }

  /**
   * Applies a body that changes a message (a reaction, an edit, a deletion) to our side of the
   * conversation and puts it in the outbox under the next sequence number. A deletion's
   * attachment files leave the vault once it is stored.
   */
  async #sendChange(reference: string, body: MessageChangeBody): Promise<HistoryMessage> {
    const state = this.#state;
    const { updated, previous } = await state.transact(async () => {
      const contact = notBlocked(await state.contacts.resolve(reference));
      if (contact.requestedIn !== undefined) {
        throw new CoreError(
          CoreErrorCode.RequestPending,
          'they have not accepted your message request yet: only texts go until then',
        );
      }
      const sentAt = Date.now();
      const contentId = newMessageId();
      const conversation = state.history.conversation(contact.address);
      const before = await conversation.findMessage(body.messageId);
      const message = await composeMessage(conversation, this.#options.self, body, {
        messageId: contentId,
        sentAt,
      });
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
      return { updated: message, previous: before };
    });
    await state.store.flush();
    if (body.kind === 'delete' && previous !== undefined) {
      await this.#options.attachments?.deleteFilesOf(previous);
    }
    this.#options.kickOutbox();
    return updated;
  }

  /**
   * Decrypts attachment `n` (from 0) of a message of the conversation with a contact into
   * `outPath`: CORE_MESSAGE_NOT_FOUND for an unknown message, else as AttachmentTransfers.save.
   */
  async saveAttachment(
    reference: string,
    messageId: Uint8Array,
    n: number,
    outPath: string,
  ): Promise<void> {
    this.#options.checkOpen();
    const state = this.#state;
    const found = await state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const message = await state.history.conversation(contact.address).findMessage(messageId);
      return message === undefined ? undefined : { message, address: contact.address };
    });
    if (found === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this conversation');
    }
    await this.#transfers().save(found.message, n, outPath, {
      kind: 'direct',
      address: found.address,
    });
  }

  #transfers(): AttachmentTransfers {
    const transfers = this.#options.attachments;
    if (transfers === undefined) {
      throw new CoreError(CoreErrorCode.Internal, 'this session cannot send attachments');
    }
    return transfers;
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
   * Removes a contact and its conversation from the vault: every message (and its attachment
   * files, its search entries and sweeper notes), the conversation's timer, and the contact
   * itself; the delivery key we gave them is revoked at the relay as for {@link block}, so they
   * cannot queue envelopes to us any more. They are not told. `revokedAtRelay` as for `block`.
   * Adding them again takes a new invite.
   */
  async removeContact(
    reference: string,
  ): Promise<{ contact: Contact; messages: number; revokedAtRelay: boolean }> {
    this.#options.checkOpen();
    const state = this.#state;
    const { contact, removed } = await state.transact(async () => {
      const found = await state.contacts.resolve(reference);
      await state.deliveryKeys.revoke(contactKeyScope(found.address));
      const conversation = state.history.conversation(found.address);
      const gone: HistoryMessage[] = [];
      for (const message of await conversation.messages()) {
        const deleted = await conversation.deleteMessage(message.index);
        if (deleted !== undefined) gone.push(deleted);
      }
      await state.history.removeConversation(found.address);
      await state.timers.clear(found.address);
      await state.contacts.remove(found.address);
      return { contact: found, removed: gone };
    });
    await state.store.flush();
    for (const message of removed) await this.#options.attachments?.deleteFilesOf(message);
    return {
      contact,
      messages: removed.length,
      revokedAtRelay: await this.#options.syncDeliveryKeys(),
    };
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

  /**
   * The window shows the conversation with this contact: when read receipts are on for them, a
   * read receipt goes for their messages not reported yet (see Receipts). Returns how many.
   */
  async markRead(reference: string): Promise<number> {
    const contact = await this.contact(reference);
    return this.#options.receipts.markRead(contact);
  }

  /** Turns sending read receipts to this contact on or off (off by default). */
  async setReadReceipts(reference: string, on: boolean): Promise<Contact> {
    this.#options.checkOpen();
    const state = this.#state;
    const contact = await state.transact(async () => {
      const found = await state.contacts.resolve(reference);
      return state.contacts.setReadReceipts(found.address, on);
    });
    await state.store.flush();
    return contact;
  }

  /** Sends a not-delivered message again: see retryMessage. */
  async retry(reference: string, messageId: Uint8Array): Promise<HistoryMessage> {
    this.#options.checkOpen();
    const message = await retryMessage(this.#state, reference, messageId);
    await this.#state.store.flush();
    this.#options.kickOutbox();
    return message;
  }
}

function notBlocked(contact: Contact): Contact {
  if (contact.blocked === true) {
    throw new CoreError(CoreErrorCode.ContactBlocked, 'that contact is blocked; unblock it first');
  }
  // They refused our introduction (their link was used up): nothing we send can arrive.
  if (contact.refused !== undefined) {
    throw new CoreError(CoreErrorCode.ContactRefused, 'the contact refused our introduction');
  }
  return contact;
}
