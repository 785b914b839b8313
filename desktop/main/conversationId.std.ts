/**
 * Conversation ids as the window sees them: `c:<persona address>:<contact address>` for a 1:1 chat
 * and `g:<group id>` for a group. Pure string work, so main and tests share it.
 */
import type { ConversationId } from '../shared/api.std.js';

export type ConversationRef =
  | { readonly kind: 'contact'; readonly persona: string; readonly contact: string }
  | { readonly kind: 'group'; readonly groupId: string };

/** A persona address: a lowercase UUID. */
const ADDRESS = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
/** A group id: 16 bytes in lowercase hex. */
const GROUP_ID = /^[0-9a-f]{32}$/u;

export function contactConversationId(persona: string, contact: string): ConversationId {
  return `c:${persona}:${contact}`;
}

export function groupConversationId(groupId: string): ConversationId {
  return `g:${groupId}`;
}

/** The parts of a conversation id; undefined when it is malformed. */
export function parseConversationId(id: string): ConversationRef | undefined {
  if (id.startsWith('g:')) {
    const groupId = id.slice(2);
    return GROUP_ID.test(groupId) ? { kind: 'group', groupId } : undefined;
  }
  if (id.startsWith('c:')) {
    const [persona, contact, ...rest] = id.slice(2).split(':');
    if (persona === undefined || contact === undefined || rest.length > 0) return undefined;
    return ADDRESS.test(persona) && ADDRESS.test(contact)
      ? { kind: 'contact', persona, contact }
      : undefined;
  }
  return undefined;
}
