import type { KindredClient } from '../../core/client/index.js';
import type { AppEvent } from '../shared/api.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { messageIdBytes, resolveContact, resolveConversation } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

/**
 * The window's message and contact actions (issue 15): editing or deleting one of our messages
 * for everyone, 1:1 or group alike (core checks we wrote it: CORE_NOT_AUTHOR), and removing a
 * contact with its conversation.
 */
export class MessageActions {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  /** Replaces the words (and the content warning; absent: none) of one of our messages. */
  async edit(
    conversationId: string,
    messageId: string,
    text: string,
    warning: string | undefined,
  ): Promise<void> {
    const target = await resolveConversation(this.#client, conversationId);
    const options = warning === undefined ? {} : { warning };
    if (target.kind === 'contact') {
      await target.session.direct.edit(
        target.contact.address,
        messageIdBytes(messageId),
        text,
        options,
      );
    } else {
      await target.handle.edit(messageId, text, options);
    }
  }

  /** Deletes one of our messages for everyone: they see "Deleted by its author". */
  async deleteForEveryone(conversationId: string, messageId: string): Promise<void> {
    const target = await resolveConversation(this.#client, conversationId);
    if (target.kind === 'contact') {
      await target.session.direct.deleteForEveryone(
        target.contact.address,
        messageIdBytes(messageId),
      );
    } else {
      await target.handle.deleteForEveryone(messageId);
    }
  }

  /** Removes a contact and its whole conversation from the vault; how many messages went. */
  async removeContact(conversationId: string): Promise<{ messages: number }> {
    const { session, contact } = await resolveContact(this.#client, conversationId);
    const { messages } = await session.direct.removeContact(contact.address);
    return { messages };
  }
}

type MessageActionMethod =
  'conversations.edit' | 'conversations.deleteForEveryone' | 'contacts.remove';

/** The calls of {@link MessageActions}; each tells the window what to refetch. */
export function messageActionHandlers(
  vault: () => UnlockedVault,
  emit: (event: AppEvent) => void,
): Pick<ApiHandlers, MessageActionMethod> {
  return {
    'conversations.edit': async (args) => {
      await vault().messageActions.edit(
        args.conversationId,
        args.messageId,
        args.text,
        args.warning,
      );
      emit({ type: 'changed', conversationIds: [args.conversationId] });
      return null;
    },
    'conversations.deleteForEveryone': async (args) => {
      await vault().messageActions.deleteForEveryone(args.conversationId, args.messageId);
      emit({ type: 'changed', conversationIds: [args.conversationId] });
      return null;
    },
    'contacts.remove': async (args) => {
      const removed = await vault().messageActions.removeContact(args.conversationId);
      emit({ type: 'lists-changed' });
      return removed;
    },
  };
}
