import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { StoredMessage } from './ConversationStore.js';
import type { DeleteBody, EditBody } from './MessageBody.js';

/**
 * Edits and deletions for everyone, written once for 1:1 and groups: who may change a message
 * (its author alone: in a group the sealed sender, in 1:1 the side that wrote it), which messages
 * can be changed, and what the stored record becomes. docs/messages.md, "Edit and delete".
 */

/** Why an incoming edit or deletion was not applied (a `dropped` reason, logged, never shown). */
export const AuthorChangeDrop = {
  /** It names a message the conversation does not hold (never arrived, expired, removed). */
  UnknownMessage: 'change of an unknown message',
  /** Its sender did not write the message it names. */
  NotAuthor: 'change by someone other than the author',
  /** The message was already deleted by its author (or is a timer line). */
  NotChangeable: 'change of a deleted message',
  /** An edit older (by its author's clock) than the last one applied. */
  StaleEdit: 'edit older than the last one applied',
} as const;

export type AuthorChangeDrop = (typeof AuthorChangeDrop)[keyof typeof AuthorChangeDrop];

/**
 * Why `author` may not change `target` (an edit or deletion it sent, or that we are about to
 * send) at `sentAt`, or undefined when it may.
 */
export function refuseAuthorChange(
  target: StoredMessage | undefined,
  author: string,
  change: EditBody | DeleteBody,
  sentAt: number,
): AuthorChangeDrop | undefined {
  if (target === undefined) return AuthorChangeDrop.UnknownMessage;
  if (target.author !== author) return AuthorChangeDrop.NotAuthor;
  if (target.deletedByAuthor === true || target.timer !== undefined) {
    return AuthorChangeDrop.NotChangeable;
  }
  // Envelopes of one author arrive in the order sent; the clock check keeps the newest anyway.
  if (change.kind === 'edit' && target.editedAt !== undefined && sentAt < target.editedAt) {
    return AuthorChangeDrop.StaleEdit;
  }
  return undefined;
}

/** The same check for our own change, as the coded error the sender sees. */
export function checkOwnChange(
  target: StoredMessage | undefined,
  self: string,
  change: EditBody | DeleteBody,
): void {
  switch (refuseAuthorChange(target, self, change, Number.MAX_SAFE_INTEGER)) {
    case undefined:
    case AuthorChangeDrop.StaleEdit:
      return;
    case AuthorChangeDrop.UnknownMessage:
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this conversation');
    case AuthorChangeDrop.NotAuthor:
      throw new CoreError(CoreErrorCode.NotAuthor, 'only its author may edit or delete a message');
    case AuthorChangeDrop.NotChangeable:
      throw new CoreError(
        CoreErrorCode.MessageNotFound,
        'that message was deleted and cannot be changed',
      );
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `message` as an author's change leaves it: an edit replaces its words and warning (its reply,
 * reactions and attachments stay) and notes when; a deletion keeps its place and nothing else.
 */
export function changedByAuthor<M extends StoredMessage>(
  message: M,
  change: EditBody | DeleteBody,
  sentAt: number,
): M {
  const changed: Mutable<M> = { ...message };
  if (change.kind === 'edit') {
    changed.text = change.text;
    delete changed.warning;
    if (change.warning !== undefined) changed.warning = change.warning;
    changed.editedAt = sentAt;
    return changed;
  }
  changed.text = '';
  changed.deletedByAuthor = true;
  delete changed.warning;
  delete changed.reactions;
  delete changed.replyTo;
  delete changed.attachments;
  delete changed.editedAt;
  return changed;
}
