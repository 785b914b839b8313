import { fromBinary } from '@bufbuild/protobuf';
import type {
  KindredClient,
  MessageRequest,
  PersonaSession,
  RequestMessage,
} from '../../core/client/index.js';
import { CoreError, CoreErrorCode, toHex, wire } from '../../core/client/index.js';
import type { AppEvent } from '../shared/api.std.js';
import type { MessageRequestView, RequestMessageView } from '../shared/requestCalls.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type RequestMethod = Extract<keyof ApiHandlers, `requests.${string}`>;

/**
 * Message requests in the window (docs/messages.md, "Message requests"): the inbox of every
 * persona of the vault (a request is written to one persona, in a group it is a member of), and
 * writing privately to a fellow member. Core does the work and the refusing: the group's policy
 * (CORE_PRIVATE_MESSAGES_OFF), a request no longer open (CORE_REQUEST_NOT_FOUND). What changes
 * the inbox or the chat list is told with `lists-changed`, so the count in the top bar follows.
 */
export function requestHandlers(
  vault: () => UnlockedVault,
  emit: (event: AppEvent) => void,
): Pick<ApiHandlers, RequestMethod> {
  const listsChanged = () => {
    emit({ type: 'lists-changed' });
  };
  return {
    'requests.list': async () => {
      const { client } = vault();
      const views: MessageRequestView[] = [];
      for (const session of client.sessions()) {
        for (const request of await session.requests.list()) {
          views.push(await requestView(client, session, request));
        }
      }
      return views.sort((a, b) => a.receivedAt - b.receivedAt);
    },
    'requests.accept': async (args) => {
      const { session, request } = await findRequest(vault().client, args.requestId);
      const { contact } = await session.requests.accept(request.id);
      listsChanged();
      return { conversationId: contactConversationId(session.address, contact.address) };
    },
    'requests.decline': async (args) => {
      const { session, request } = await findRequest(vault().client, args.requestId);
      await session.requests.decline(request.id);
      listsChanged();
      return null;
    },
    'requests.block': async (args) => {
      const { session, request } = await findRequest(vault().client, args.requestId);
      const { revokedAtRelay } = await session.requests.block(request.id);
      listsChanged();
      return { revokedAtRelay };
    },
    'requests.report': async (args) => {
      const { session, request } = await findRequest(vault().client, args.requestId);
      return { sentTo: await session.requests.report(request.id, args.reason ?? '') };
    },
    'requests.writePrivately': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.messageMember(args.member, args.text);
      listsChanged();
      return { conversationId: contactConversationId(handle.persona, args.member) };
    },
  };
}

/** The persona an open request was written to, and the request; CORE_REQUEST_NOT_FOUND if none. */
async function findRequest(
  client: KindredClient,
  id: string,
): Promise<{ session: PersonaSession; request: MessageRequest }> {
  for (const session of client.sessions()) {
    const request = (await session.requests.list()).find((open) => open.id === id);
    if (request !== undefined) return { session, request };
  }
  throw new CoreError(CoreErrorCode.RequestNotFound, 'no open message request with that id');
}

async function requestView(
  client: KindredClient,
  session: PersonaSession,
  request: MessageRequest,
): Promise<MessageRequestView> {
  return {
    id: request.id,
    from: request.card.pseudonym,
    fromAddress: request.sender,
    groupName: await groupName(client, request.groupId),
    groupConversationId: groupConversationId(request.groupId),
    persona: { address: session.address, pseudonym: session.whoami().pseudonym },
    receivedAt: request.receivedAt,
    messages: request.messages.map(messageView),
  };
}

/** The shared group's name; '' once it is gone from this vault (left and forgotten). */
async function groupName(client: KindredClient, groupId: string): Promise<string> {
  try {
    return (await (await client.group(groupId)).details()).name;
  } catch (error) {
    if (CoreError.is(error, CoreErrorCode.GroupNotFound)) return '';
    throw error;
  }
}

/** A request's message with the sender's content warning (kept in its encoded body). */
function messageView(message: RequestMessage): RequestMessageView {
  const warning = requestWarning(message.body);
  return {
    id: toHex(message.messageId),
    sentAt: message.sentAt,
    text: message.text,
    ...(warning === undefined ? {} : { warning }),
  };
}

/** The content warning the sender put on a request's message (its encoded MessageBody), if any. */
export function requestWarning(body: Uint8Array): string | undefined {
  const decoded = fromBinary(wire.MessageBodySchema, body);
  const warning = decoded.kind.case === 'text' ? decoded.kind.value.contentWarning : '';
  return warning === '' ? undefined : warning;
}
