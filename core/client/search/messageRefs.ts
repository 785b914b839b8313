import { toHex } from '../../bytes/bytes.js';
import type { SearchEntry, SearchIndex } from './SearchIndex.js';
import { MAX_SENT_AT } from './SearchIndex.js';

/** How the index names a 1:1 conversation. */
export function directConversation(address: string): string {
  return `direct:${address}`;
}

/** How the index names a group. */
export function groupConversation(groupId: Uint8Array): string {
  return `group:${toHex(groupId)}`;
}

/** The index entry of a stored text. A sender's clock outside what a Date can hold is clamped. */
export function searchEntry(
  conversation: string,
  messageId: Uint8Array,
  text: string,
  sentAt: number,
): SearchEntry {
  const time = Number.isFinite(sentAt) ? Math.min(Math.max(sentAt, 0), MAX_SENT_AT) : 0;
  return { ref: { conversation, messageId: toHex(messageId) }, text, sentAt: time };
}

/**
 * Indexes a stored text: the one-line hook the message stores call when they store (or edit) a
 * message. A sender's clock outside what a Date can hold is clamped, so a peer's odd clock cannot
 * stop its message from being stored.
 */
export function indexText(
  index: SearchIndex,
  conversation: string,
  messageId: Uint8Array,
  text: string,
  sentAt: number,
): Promise<void> {
  const entry = searchEntry(conversation, messageId, text, sentAt);
  return index.add(entry.ref, entry.text, entry.sentAt);
}
