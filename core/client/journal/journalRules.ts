import type { MessageBody } from '../messages/MessageBody.js';
import type { StoredMessage } from '../messages/ConversationStore.js';
import type { JournalRole } from './JournalRecords.js';

/** The one reaction a journal takes from a follower: a heart on an update. */
export const JOURNAL_HEART = '❤️';

/**
 * Why a body a contact sent breaks the journal rules (docs/journal.md), or undefined when it may
 * be applied. `find` looks a message up in the conversation with that contact.
 *
 * - A persona that keeps no journal and follows none takes no journal text.
 * - A journal's persona (its contacts are its followers) takes support messages answering one of
 *   its updates, hearts on its updates (or a heart taken back), and the follower's changes of
 *   their own support messages; nothing else: a follower cannot start a chat with the author.
 * - A follower takes from the journal it follows updates (and the author's edits and deletions
 *   of them), nothing else; from any other contact no journal text.
 */
export async function journalDropReason(
  role: JournalRole | undefined,
  contact: string,
  body: MessageBody,
  find: (messageId: Uint8Array) => Promise<StoredMessage | undefined>,
): Promise<string | undefined> {
  const journalText = body.kind === 'text' && body.journal !== undefined;
  if (role === undefined) return journalText ? 'journal text outside a journal' : undefined;
  if (role.role === 'follower') {
    if (contact !== role.journal) return journalText ? 'journal text outside a journal' : undefined;
    switch (body.kind) {
      case 'text':
        return body.journal === 'update' ? undefined : 'a journal sends only updates';
      case 'edit':
      case 'delete':
        return undefined;
      case 'reaction':
      case 'timerChange':
        return 'a journal sends only updates';
    }
  }
  switch (body.kind) {
    case 'text': {
      if (body.journal !== 'support' || body.replyTo === undefined) {
        return 'a follower sends only support and hearts';
      }
      return isUpdate(await find(body.replyTo)) ? undefined : 'support for an unknown update';
    }
    case 'reaction':
      if (body.emoji !== JOURNAL_HEART && body.emoji !== '') {
        return 'a follower sends only support and hearts';
      }
      return isUpdate(await find(body.messageId)) ? undefined : 'heart for an unknown update';
    case 'edit':
    case 'delete':
      return undefined;
    case 'timerChange':
      return 'a follower sends only support and hearts';
  }
}

/** Whether `message` is one of our journal updates. */
function isUpdate(message: StoredMessage | undefined): boolean {
  return message?.outgoing === true && message.journal === 'update';
}
