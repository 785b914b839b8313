import { toHex } from '../../bytes/bytes.js';
import type {
  ConversationStore,
  IncomingMessage,
  OutgoingMessage,
  SendOutcome,
  StoredAttachment,
  StoredMessage,
} from '../messages/ConversationStore.js';
import type { SearchIndex } from './SearchIndex.js';
import { indexText } from './messageRefs.js';

/**
 * `store` with every text it stores also added to `index` under `conversation`, in the same
 * transaction, every message it deletes (expired) taken out of it, and every message its author
 * edits or deletes re-indexed or taken out: the one place messages
 * enter and leave the search index, for 1:1 and groups alike.
 */
export function indexedConversation<M extends StoredMessage>(
  store: ConversationStore<M>,
  index: SearchIndex,
  conversation: string,
): ConversationStore<M> {
  const indexed = async (message: M): Promise<M> => {
    // A timer-change line is no text anyone wrote: it is not searchable.
    if (message.timer !== undefined) return message;
    await indexText(index, conversation, message.messageId, message.text, message.sentAt);
    return message;
  };
  return {
    appendOutgoing: async (message: OutgoingMessage) =>
      indexed(await store.appendOutgoing(message)),
    appendIncoming: async (message: IncomingMessage) =>
      indexed(await store.appendIncoming(message)),
    findMessage: (messageId: Uint8Array) => store.findMessage(messageId),
    setReaction: (messageId: Uint8Array, reactor: string, emoji: string) =>
      store.setReaction(messageId, reactor, emoji),
    setStatus: (index: number, status: SendOutcome) => store.setStatus(index, status),
    messages: () => store.messages(),
    deleteMessage: async (at: number) => {
      const deleted = await store.deleteMessage(at);
      if (deleted !== undefined) {
        await index.remove({ conversation, messageId: toHex(deleted.messageId) });
      }
      return deleted;
    },
    setAttachments: (messageId: Uint8Array, attachments: readonly StoredAttachment[]) =>
      store.setAttachments(messageId, attachments),
    // An author's edit replaces the indexed words; a deletion takes them out.
    replaceMessage: async (message: M) => {
      const replaced = await store.replaceMessage(message);
      if (replaced === undefined) return undefined;
      await index.remove({ conversation, messageId: toHex(replaced.messageId) });
      return replaced.deletedByAuthor === true ? replaced : indexed(replaced);
    },
  };
}
