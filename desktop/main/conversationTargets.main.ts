import type {
  Contact,
  GroupHandle,
  KindredClient,
  PersonaSession,
} from '../../core/client/index.js';
import { CoreError, CoreErrorCode, fromHex } from '../../core/client/index.js';
import type { ConversationId } from '../shared/api.std.js';
import type { ConversationRef } from './conversationId.std.js';
import { parseConversationId } from './conversationId.std.js';
import { DesktopError } from './DesktopError.main.js';
import type { Speaker } from './messageViews.main.js';
import { contactName } from './messageViews.main.js';

/** A 1:1 conversation: which of our personas talks, and to whom. */
export interface ContactTarget {
  readonly kind: 'contact';
  readonly id: ConversationId;
  readonly session: PersonaSession;
  readonly contact: Contact;
  readonly self: Speaker;
  readonly other: Speaker;
}

export interface GroupTarget {
  readonly kind: 'group';
  readonly id: ConversationId;
  readonly handle: GroupHandle;
}

export type ConversationTarget = ContactTarget | GroupTarget;

/** What a conversation id names in this vault; DESKTOP_NO_SUCH_CONVERSATION otherwise. */
export async function resolveConversation(
  client: KindredClient,
  id: ConversationId,
): Promise<ConversationTarget> {
  const ref = parseConversationId(id);
  if (ref === undefined) throw DesktopError.noSuchConversation();
  return ref.kind === 'contact' ? contactTarget(client, id, ref) : groupTarget(client, id, ref);
}

export async function resolveContact(
  client: KindredClient,
  id: ConversationId,
): Promise<ContactTarget> {
  const target = await resolveConversation(client, id);
  if (target.kind !== 'contact') throw DesktopError.noSuchConversation();
  return target;
}

export async function resolveGroup(
  client: KindredClient,
  id: ConversationId,
): Promise<GroupTarget> {
  const target = await resolveConversation(client, id);
  if (target.kind !== 'group') throw DesktopError.noSuchConversation();
  return target;
}

async function contactTarget(
  client: KindredClient,
  id: ConversationId,
  ref: Extract<ConversationRef, { kind: 'contact' }>,
): Promise<ContactTarget> {
  const found = await notFoundAs(async () => {
    const session = client.session(ref.persona);
    return { session, contact: await session.direct.contact(ref.contact) };
  });
  const { session, contact } = found;
  // A contact is looked up by address, alias or pseudonym: only the address may match here.
  if (contact.address !== ref.contact) throw DesktopError.noSuchConversation();
  return {
    kind: 'contact',
    id,
    session,
    contact,
    self: { address: session.address, name: session.whoami().pseudonym },
    other: { address: contact.address, name: contactName(contact) },
  };
}

async function groupTarget(
  client: KindredClient,
  id: ConversationId,
  ref: Extract<ConversationRef, { kind: 'group' }>,
): Promise<GroupTarget> {
  const handle = await notFoundAs(() => client.group(ref.groupId));
  return { kind: 'group', id, handle };
}

/** Core's "no such persona, contact or group" become the desktop's "no such conversation". */
async function notFoundAs<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      CoreError.is(error, CoreErrorCode.PersonaNotFound) ||
      CoreError.is(error, CoreErrorCode.ContactNotFound) ||
      CoreError.is(error, CoreErrorCode.GroupNotFound)
    ) {
      throw DesktopError.noSuchConversation();
    }
    throw error;
  }
}

/** A message id the schema already checked (32 hex characters) as bytes. */
export function messageIdBytes(hex: string): Uint8Array {
  const bytes = fromHex(hex);
  if (bytes === undefined) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a message id is 32 hex characters');
  }
  return bytes;
}
