import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { OutboxEntry } from '../Outbox.js';
import type { PersonaState } from '../PersonaState.js';
import type { HistoryMessage } from './MessageHistory.js';

/**
 * Sends a not-delivered message again: the same Content (same id and sequence number, so a
 * receiver that got it after all drops the copy) goes back into the outbox as new, and the
 * message shows `queued` ("Sending…") until the relay takes it. CORE_MESSAGE_NOT_FOUND for an
 * id the conversation lacks, CORE_MESSAGE_NOT_FAILED for a message that is not failed (or was
 * refused in a way no retry fixes: the contact refused us, CORE_CONTACT_REFUSED).
 */
export async function retryMessage(
  state: PersonaState,
  reference: string,
  messageId: Uint8Array,
): Promise<HistoryMessage> {
  return state.transact(async () => {
    const contact = await state.contacts.resolve(reference);
    if (contact.blocked === true) {
      throw new CoreError(
        CoreErrorCode.ContactBlocked,
        'that contact is blocked; unblock it first',
      );
    }
    if (contact.refused !== undefined) {
      throw new CoreError(CoreErrorCode.ContactRefused, 'the contact refused our introduction');
    }
    const message = await state.history.findMessage(contact.address, messageId);
    if (!message?.outgoing) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no message of ours with that id');
    }
    const entry = await state.outbox.get(messageId);
    if (message.status !== 'failed' || entry?.failed === undefined) {
      throw new CoreError(
        CoreErrorCode.MessageNotFailed,
        'that message is not waiting for a retry',
      );
    }
    const waiting: { -readonly [K in keyof OutboxEntry]: OutboxEntry[K] } = {
      ...entry,
      enqueuedAt: Date.now(),
    };
    delete waiting.failed;
    await state.outbox.put(waiting);
    const queued = await state.history.setStatus(contact.address, message.index, 'queued');
    return queued ?? message;
  });
}
