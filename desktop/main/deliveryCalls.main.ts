import type { ApiHandlers } from './callRouter.main.js';
import type { AppEvent } from '../shared/api.std.js';
import { contactView } from './ContactViews.main.js';
import { messageIdBytes, resolveContact } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type DeliveryMethod = 'conversations.retry' | 'contacts.setReadReceipts' | 'invites.use';

/**
 * Truthful delivery's calls: retry a not-delivered message, read receipts per contact, and where
 * an invite link stands (so a dead one is never shown as one to share).
 */
export function deliveryHandlers(
  vault: () => UnlockedVault,
  emit: (event: AppEvent) => void,
): Pick<ApiHandlers, DeliveryMethod> {
  return {
    'conversations.retry': async (args) => {
      const { session, contact } = await resolveContact(vault().client, args.conversationId);
      await session.direct.retry(contact.address, messageIdBytes(args.messageId));
      emit({ type: 'changed', conversationIds: [args.conversationId] });
      return null;
    },
    'contacts.setReadReceipts': async (args) => {
      const { session, contact } = await resolveContact(vault().client, args.conversationId);
      const changed = await session.direct.setReadReceipts(contact.address, args.on);
      emit({ type: 'lists-changed' });
      return contactView(session, changed);
    },
    'invites.use': async (args) => {
      const { standing, uses, maxUses } = await vault().client.inviteUse(args.link);
      return { standing, uses, maxUses };
    },
  };
}
