import { fromHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { Contact } from '../ContactBook.js';
import type { ContactCardData } from '../contactCard.js';
import type { ContentBody } from '../contentCodec.js';
import { contactCardToWire } from '../contactCard.js';
import { contactKeyScope } from '../deliveryKeyScopes.js';
import { encodeMessageBody } from '../messages/messageBodyCodec.js';
import type { StoredBody } from '../messages/MessageBody.js';
import type { PersonaState } from '../PersonaState.js';

/**
 * The Content body of a message to a member who has not accepted our request yet: a
 * MessageRequest naming the group, with our card (the key to answer with) and the text. Checked
 * again on every message, not only the first: the group's policy must still allow it, and only a
 * text without attachments goes (CORE_REQUEST_PENDING otherwise). Inside a transaction.
 */
export async function requestContentBody(
  state: PersonaState,
  contact: Contact,
  body: StoredBody,
  ownCard: (accessKey: Uint8Array) => ContactCardData,
): Promise<ContentBody> {
  const groupId = contact.requestedIn === undefined ? undefined : fromHex(contact.requestedIn);
  if (groupId === undefined) {
    throw new CoreError(CoreErrorCode.Internal, 'not a message request');
  }
  if (body.kind !== 'text' || (body.attachments?.length ?? 0) > 0) {
    throw new CoreError(
      CoreErrorCode.RequestPending,
      'they have not accepted your message request yet: only texts go until then',
    );
  }
  const group = await state.groups.state(groupId);
  if (group?.policy.membersMessagePrivately !== true) {
    throw new CoreError(
      CoreErrorCode.PrivateMessagesOff,
      'this group does not let members write to each other privately',
    );
  }
  const key = await state.deliveryKeys.current(contactKeyScope(contact.address));
  if (key === undefined) {
    throw new CoreError(CoreErrorCode.Internal, 'no key of ours for this member');
  }
  return {
    case: 'messageRequest',
    value: {
      groupId,
      card: contactCardToWire(ownCard(key.key)),
      message: encodeMessageBody(body),
    },
  };
}
