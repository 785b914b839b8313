import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { ConversationStore, IncomingMessage, StoredMessage } from './ConversationStore.js';
import type { DeleteBody, EditBody, MessageBody } from './MessageBody.js';
import { changedByAuthor, checkOwnChange, refuseAuthorChange } from './authorChanges.js';

/**
 * The two steps every message takes in every conversation, written once for 1:1 and groups:
 * `composeMessage` (what send and react store before the envelope is queued) and
 * `applyIncoming` (what a checked body does to the conversation it arrived in). Envelopes,
 * sequence numbers, posting rules and events stay with each path.
 */

/**
 * Stores what we are about to send, checked against the conversation: a text (or a timer change,
 * as its line) becomes its next message (a reply must answer a message it holds), expiring at
 * `draft.expiresAt` when the conversation has a timer; a reaction is set on the message it names
 * under `self`. Returns the message the user sees change. CORE_MESSAGE_NOT_FOUND when a reply or
 * reaction names a message the conversation does not hold.
 */
export async function composeMessage<M extends StoredMessage>(
  conversation: ConversationStore<M>,
  self: string,
  body: MessageBody,
  draft: {
    readonly messageId: Uint8Array;
    readonly sentAt: number;
    readonly expiresAt?: number;
    readonly attachmentFiles?: readonly string[];
  },
): Promise<M> {
  switch (body.kind) {
    case 'timerChange':
      return conversation.appendOutgoing({ ...draft, body });
    case 'text':
      if (
        (body.replyTo !== undefined &&
          (await conversation.findMessage(body.replyTo)) === undefined) ||
        (body.threadRoot !== undefined &&
          (await conversation.findMessage(body.threadRoot)) === undefined)
      ) {
        throw new CoreError(
          CoreErrorCode.MessageNotFound,
          'the message replied to is not in this conversation',
        );
      }
      return conversation.appendOutgoing({ ...draft, body });
    case 'reaction': {
      const target = await conversation.findMessage(body.messageId);
      const reacted =
        target === undefined || target.deletedByAuthor === true
          ? undefined
          : await conversation.setReaction(body.messageId, self, body.emoji);
      if (reacted === undefined) {
        throw new CoreError(
          CoreErrorCode.MessageNotFound,
          'the message reacted to is not in this conversation',
        );
      }
      return reacted;
    }
    case 'edit':
    case 'delete': {
      // Only our own message, not deleted (CORE_NOT_AUTHOR, CORE_MESSAGE_NOT_FOUND).
      const target = await conversation.findMessage(body.messageId);
      checkOwnChange(target, self, body);
      return replaceChecked(conversation, target, body, draft.sentAt);
    }
  }
}

/** Writes the author's change of `target` (already checked) back into the conversation. */
async function replaceChecked<M extends StoredMessage>(
  conversation: ConversationStore<M>,
  target: M | undefined,
  body: EditBody | DeleteBody,
  sentAt: number,
): Promise<M> {
  const replaced =
    target === undefined
      ? undefined
      : await conversation.replaceMessage(changedByAuthor(target, body, sentAt));
  if (replaced === undefined) {
    throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this conversation');
  }
  return replaced;
}

/** What an incoming body did to its conversation. */
export type AppliedMessage<M extends StoredMessage> =
  | { readonly kind: 'stored'; readonly message: M }
  | {
      readonly kind: 'reacted';
      /** The message reacted to, as it is now. */
      readonly message: M;
      readonly emoji: string;
    }
  | {
      readonly kind: 'edited' | 'deleted';
      /** The message as it is now (edited, or its "deleted by its author" place). */
      readonly message: M;
      /** As it was before: a deletion's attachment files leave the vault with it. */
      readonly previous: M;
    }
  | { readonly kind: 'dropped'; readonly reason: string };

/**
 * Applies someone else's checked body: a text or a timer-change line is stored (once: a message
 * id the conversation already holds is a duplicate; `incoming.expiresAt` by the timer in force), a reaction is set on the message it names under its author, or
 * dropped when the conversation has no such message (or its author deleted it); an edit or a
 * deletion changes the message it names when its author sent it (authorChanges.ts), and is
 * dropped with the reason otherwise.
 */
export async function applyIncoming<M extends StoredMessage>(
  conversation: ConversationStore<M>,
  incoming: Omit<IncomingMessage, 'body'> & { readonly body: MessageBody },
): Promise<AppliedMessage<M>> {
  const { body } = incoming;
  switch (body.kind) {
    case 'text':
    case 'timerChange': {
      if ((await conversation.findMessage(incoming.messageId)) !== undefined) {
        return { kind: 'dropped', reason: 'duplicate' };
      }
      return { kind: 'stored', message: await conversation.appendIncoming({ ...incoming, body }) };
    }
    case 'reaction': {
      const target = await conversation.findMessage(body.messageId);
      if (target?.deletedByAuthor === true) {
        return { kind: 'dropped', reason: 'reaction to a deleted message' };
      }
      const reacted = await conversation.setReaction(body.messageId, incoming.author, body.emoji);
      return reacted === undefined
        ? { kind: 'dropped', reason: 'reaction to an unknown message' }
        : { kind: 'reacted', message: reacted, emoji: body.emoji };
    }
    case 'edit':
    case 'delete': {
      // The author alone (1:1: the side that wrote it; group: the sealed sender), of a message
      // held and not deleted; an edit that arrives before its message is dropped (never kept
      // for later: messages.md, "Edit and delete").
      const target = await conversation.findMessage(body.messageId);
      const refused = refuseAuthorChange(target, incoming.author, body, incoming.sentAt);
      if (refused !== undefined || target === undefined) {
        return { kind: 'dropped', reason: refused ?? 'change of an unknown message' };
      }
      const message = await replaceChecked(conversation, target, body, incoming.sentAt);
      return {
        kind: body.kind === 'edit' ? 'edited' : 'deleted',
        message,
        previous: target,
      };
    }
  }
}
