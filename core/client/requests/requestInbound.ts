import { randomBytes } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { bytesEqual, toHex } from '../../bytes/bytes.js';
import { CoreErrorCode } from '../../errors/CoreError.js';
import type { MessageRequest as WireMessageRequest } from '../../protocol/gen/kindred_pb.js';
import { MessageBodySchema } from '../../protocol/gen/kindred_pb.js';
import { contactCardFromWire } from '../contactCard.js';
import type { ContactCardData } from '../contactCard.js';
import { decodeMessageBody } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { MessageRequest } from './MessageRequestStore.js';
import { MAX_OPEN_REQUESTS, MAX_REQUEST_MESSAGES } from './MessageRequestStore.js';

/** What became of a request that arrived. */
export type RequestArrival =
  | { readonly kind: 'stored'; readonly request: MessageRequest }
  | { readonly kind: 'dropped'; readonly reason: string };

/** The dropped reason of a request the group's policy does not allow (tests assert it). */
export const PRIVATE_MESSAGES_OFF_REASON = 'private messages are off in that group';

/**
 * Takes a message request from `sender`, who is not a contact, into the requests inbox. The
 * receiver decides, whatever the sender's client checked: the group must be one we are an
 * active member of, the sender a member of it by our copy of its signed log, its policy must
 * allow private messages, the card must be the sender's own (address and identity key as the
 * log binds them, our relay) and the body a text without attachments. A request keeps at most
 * MAX_REQUEST_MESSAGES messages (the oldest leaves); at most MAX_OPEN_REQUESTS are open. Inside
 * the envelope's transaction; nothing is answered.
 */
export async function takeMessageRequest(
  state: PersonaState,
  sender: string,
  incoming: {
    readonly messageId: Uint8Array;
    readonly sequence: number;
    readonly sentAt: number;
    readonly request: WireMessageRequest;
  },
  trustRoot: Uint8Array,
): Promise<RequestArrival> {
  if (await state.requests.isBlocked(sender)) {
    return { kind: 'dropped', reason: 'sender is blocked' };
  }
  const { request } = incoming;
  const record = await state.groups.get(request.groupId);
  const group = record === undefined ? undefined : await state.groups.state(request.groupId);
  const member = group?.members.get(sender);
  if (
    record?.status !== 'active' ||
    group === undefined ||
    !group.members.has(state.persona.address) ||
    member === undefined
  ) {
    return { kind: 'dropped', reason: 'request from someone who is not a fellow member' };
  }
  if (group.policy.membersMessagePrivately !== true) {
    return { kind: 'dropped', reason: PRIVATE_MESSAGES_OFF_REASON };
  }
  let card: ContactCardData;
  try {
    card = contactCardFromWire(request.card, CoreErrorCode.InvalidInput);
  } catch {
    return { kind: 'dropped', reason: 'malformed request card' };
  }
  if (
    card.address !== sender ||
    !bytesEqual(card.identityKey, member.identityKey) ||
    !bytesEqual(card.trustRoot, trustRoot)
  ) {
    return { kind: 'dropped', reason: 'request card is not the sender’s' };
  }
  const body = decodeMessageBody(request.message, state.ruleContext.minDisappearingSeconds);
  if (
    body?.kind !== 'text' ||
    (body.attachments?.length ?? 0) > 0 ||
    request.message === undefined
  ) {
    return { kind: 'dropped', reason: 'a request carries a text only' };
  }
  const open = await state.requests.bySender(sender);
  if (open?.messages.some((message) => bytesEqual(message.messageId, incoming.messageId))) {
    return { kind: 'dropped', reason: 'duplicate request' };
  }
  if (open === undefined && (await state.requests.list()).length >= MAX_OPEN_REQUESTS) {
    return { kind: 'dropped', reason: 'too many open requests' };
  }
  // The sender numbers everything it sends us in one series (sender keys, reports, requests):
  // counted now, so neither a later group key nor the accepted messages show a false gap.
  await state.history.recordSequence(sender, {
    messageId: incoming.messageId,
    sequence: incoming.sequence,
    storedAt: Date.now(),
  });
  const message = {
    messageId: incoming.messageId,
    sequence: incoming.sequence,
    sentAt: incoming.sentAt,
    storedAt: Date.now(),
    text: body.text,
    body: toBinary(MessageBodySchema, create(MessageBodySchema, request.message)),
  };
  const stored: MessageRequest = {
    id: open?.id ?? toHex(randomBytes(8)),
    sender,
    groupId: open?.groupId ?? toHex(request.groupId),
    // A newer card (another key to answer with) replaces the older one.
    card,
    receivedAt: open?.receivedAt ?? message.storedAt,
    messages: [...(open?.messages ?? []), message].slice(-MAX_REQUEST_MESSAGES),
  };
  await state.requests.put(stored);
  return { kind: 'stored', request: stored };
}
