import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';
import type { ConversationStore, StoredMessage } from '../messages/ConversationStore.js';

/**
 * A stored message a timer will take: its conversation (as the search index names it,
 * `direct:<address>` or `group:<hex id>`, see search/messageRefs.ts) and its index there.
 */
export interface ExpiringMessage {
  readonly conversation: string;
  readonly index: number;
}

export interface DueMessage {
  readonly message: ExpiringMessage;
  readonly expiresAt: number;
}

const EXPIRING = 'client/expiring';

/**
 * Every stored message that has an `expiresAt`, by conversation and index, with that time: what
 * the sweeper reads, so a sweep opens one small record per timed message rather than every
 * message of every conversation. Sealed in the vault like the rest; written by
 * {@link expiringConversation} in the same step as the message.
 */
export class ExpiringMessages {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async add(message: ExpiringMessage, expiresAt: number): Promise<void> {
    await this.#store.put(keyOf(message), encodeRecord({ expiresAt }));
  }

  async remove(message: ExpiringMessage): Promise<void> {
    await this.#store.delete(keyOf(message));
  }

  /** The messages whose time has come by `now`, oldest expiry first. */
  async due(now: number): Promise<DueMessage[]> {
    const due: DueMessage[] = [];
    for (const entry of await this.#store.list(EXPIRING)) {
      const expiresAt = RecordReader.decode(entry.value, 'expiring').number('expiresAt');
      if (expiresAt > now) continue;
      const message = parseKey(entry.key);
      if (message !== undefined) due.push({ message, expiresAt });
    }
    return due.sort((a, b) => a.expiresAt - b.expiresAt);
  }
}

function keyOf(message: ExpiringMessage): string {
  return `${EXPIRING}/${message.conversation}/${message.index}`;
}

function parseKey(key: string): ExpiringMessage | undefined {
  const rest = key.slice(EXPIRING.length + 1);
  const slash = rest.lastIndexOf('/');
  const index = Number(rest.slice(slash + 1));
  if (slash <= 0 || !Number.isSafeInteger(index)) return undefined;
  return { conversation: rest.slice(0, slash), index };
}

/**
 * `store` with every message it stores with an `expiresAt` also noted in `expiring` under
 * `conversation`, and the note taken away when the message is deleted: the one place timed
 * messages are registered for the sweeper, for 1:1 and groups alike.
 */
export function expiringConversation<M extends StoredMessage>(
  store: ConversationStore<M>,
  expiring: ExpiringMessages,
  conversation: string,
): ConversationStore<M> {
  const noted = async (message: M): Promise<M> => {
    if (message.expiresAt !== undefined) {
      await expiring.add({ conversation, index: message.index }, message.expiresAt);
    }
    return message;
  };
  return {
    appendOutgoing: async (message) => noted(await store.appendOutgoing(message)),
    appendIncoming: async (message) => noted(await store.appendIncoming(message)),
    findMessage: (messageId) => store.findMessage(messageId),
    setReaction: (messageId, reactor, emoji) => store.setReaction(messageId, reactor, emoji),
    setStatus: (index, status) => store.setStatus(index, status),
    messages: () => store.messages(),
    deleteMessage: async (index) => {
      await expiring.remove({ conversation, index });
      return store.deleteMessage(index);
    },
    setAttachments: (messageId, attachments) => store.setAttachments(messageId, attachments),
    // Its expiry stays: an edited or author-deleted message leaves when the original would.
    replaceMessage: (message) => store.replaceMessage(message),
  };
}
