import { CoreErrorCode } from '../../errors/CoreError.js';
import { InviteRefused_Reason } from '../../protocol/gen/kindred_pb.js';
import type { Contact, InviteRefusalReason } from '../ContactBook.js';
import { encodeContent } from '../contentCodec.js';
import type { IssuedInvite } from '../IssuedInvites.js';
import { newMessageId } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';

/**
 * Why an introduction cannot be accepted against `invite` at `now`, or undefined when it can:
 * the same rules IssuedInvites.use applies.
 */
export function inviteRefusalReason(
  invite: IssuedInvite | undefined,
  now: number,
): InviteRefusalReason | undefined {
  if (invite === undefined) return 'unknown';
  if (invite.expiresAt !== 0 && invite.expiresAt <= now) return 'expired';
  if (invite.maxUses !== 0 && invite.uses >= invite.maxUses) return 'used-up';
  return undefined;
}

const WIRE_REASON: Record<InviteRefusalReason, InviteRefused_Reason> = {
  'used-up': InviteRefused_Reason.USED_UP,
  expired: InviteRefused_Reason.EXPIRED,
  unknown: InviteRefused_Reason.UNKNOWN,
};

/** The reason an InviteRefused carries; undefined for a value we do not know. */
export function refusalReasonFromWire(
  reason: InviteRefused_Reason,
): InviteRefusalReason | undefined {
  switch (reason) {
    case InviteRefused_Reason.USED_UP:
      return 'used-up';
    case InviteRefused_Reason.EXPIRED:
      return 'expired';
    case InviteRefused_Reason.UNKNOWN:
      return 'unknown';
    case InviteRefused_Reason.UNSPECIFIED:
      return undefined;
  }
  return undefined;
}

/**
 * Inside the refused introduction's transaction (which keeps the session it opened): queues our
 * end-to-end encrypted answer, written with the key the adder's card gave us, so the adder shows
 * the contact as not connected instead of "Sent" to nobody. The adder is no contact of ours, so
 * the entry carries the key; its sequence is 1 (there is no conversation to number).
 */
export async function queueInviteRefusal(
  state: PersonaState,
  refusal: {
    readonly recipient: string;
    readonly accessKey: Uint8Array;
    readonly inviteId: Uint8Array;
    readonly reason: InviteRefusalReason;
  },
): Promise<void> {
  const messageId = newMessageId();
  const sentAt = Date.now();
  const { bytes } = encodeContent({
    messageId,
    sequence: 1,
    sentAt,
    body: {
      case: 'inviteRefused',
      value: { inviteId: refusal.inviteId, reason: WIRE_REASON[refusal.reason] },
    },
  });
  await state.outbox.put({
    messageId,
    recipient: refusal.recipient,
    sequence: 1,
    content: bytes,
    enqueuedAt: sentAt,
    accessKey: refusal.accessKey,
  });
}

/**
 * Inside the transaction of an InviteRefused from `contact`: honoured only from a contact whose
 * link we used (anyone else's is dropped). Marks the contact refused; whatever of ours waits for
 * them or went to the relay cannot arrive, so it shows failed (CORE_CONTACT_REFUSED) and
 * nothing more is sent. Returns the contact as it now is, or undefined when dropped.
 */
export async function applyInviteRefusal(
  state: PersonaState,
  contact: Contact,
  reason: InviteRefusalReason | undefined,
): Promise<Contact | undefined> {
  if (reason === undefined || contact.addedVia !== 'link') return undefined;
  const refused = await state.contacts.setRefused(contact.address, reason);
  const waiting = [...(await state.outbox.list()), ...(await state.outbox.listFailed())];
  for (const entry of waiting) {
    if (entry.recipient !== contact.address) continue;
    if (entry.historyIndex === undefined) await state.outbox.remove(entry.messageId);
    else await state.outbox.put({ ...entry, failed: CoreErrorCode.ContactRefused });
  }
  for (const entry of await state.history.list(contact.address)) {
    if (entry.kind !== 'message' || !entry.outgoing) continue;
    if (entry.status === 'queued' || entry.status === 'sent') {
      await state.history.setStatus(
        contact.address,
        entry.index,
        'failed',
        CoreErrorCode.ContactRefused,
      );
    }
  }
  return refused;
}
