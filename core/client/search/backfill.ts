import type { PersonaState } from '../PersonaState.js';
import type { SearchEntry } from './SearchIndex.js';
import { SEARCH_LIMIT_DEFAULTS } from './SearchIndex.js';
import { directConversation, groupConversation, searchEntry } from './messageRefs.js';
import { toHex } from '../../bytes/bytes.js';

/**
 * The marker that says a persona's stored history is in its search index: written once the
 * back-fill below has indexed every text stored before the index existed (or restored from a
 * backup made before it). Its value is the index's format version: an index written in an older
 * format (or whose back-fill never finished) is cleared and built again from the vault.
 */
export const SEARCH_BACKFILL_MARKER = 'search/backfilled';
/** 1: heads listed weeks only; 2: rare words' postings inline in their head, bucket sizes. */
export const SEARCH_INDEX_VERSION = 2;

/**
 * Indexes, once, every text this persona already holds (1:1 histories of its contacts and its
 * groups' messages, not those a moderator deleted): for histories stored before the search index
 * existed, restored backups, and indexes of an older format (cleared first). Runs at unlock; does
 * nothing when the marker names the current version. Each batch
 * of up to `maxBulkEntries` texts is one vault step, and the marker is written after the last, so
 * an interrupted back-fill runs again at the next unlock (indexing a text twice replaces it).
 * Returns how many texts it indexed.
 */
export async function backfillSearchIndex(state: PersonaState): Promise<number> {
  const marker = await state.transact(() => state.store.get(SEARCH_BACKFILL_MARKER));
  if (marker?.length === 1 && marker[0] === SEARCH_INDEX_VERSION) return 0;
  // Whatever is there is in another format or half built: start from nothing.
  await state.transact(() => state.search.clear());
  const entries = await state.transact(() => storedTexts(state));
  const batch = SEARCH_LIMIT_DEFAULTS.maxBulkEntries;
  for (let start = 0; start < entries.length; start += batch) {
    await state.transact(() => state.search.addMany(entries.slice(start, start + batch)));
  }
  await state.transact(() =>
    state.store.put(SEARCH_BACKFILL_MARKER, new Uint8Array([SEARCH_INDEX_VERSION])),
  );
  return entries.length;
}

async function storedTexts(state: PersonaState): Promise<SearchEntry[]> {
  const entries: SearchEntry[] = [];
  const push = (conversation: string, messageId: Uint8Array, text: string, sentAt: number) => {
    if (text !== '') entries.push(searchEntry(conversation, messageId, text, sentAt));
  };
  for (const contact of await state.contacts.list()) {
    for (const entry of await state.history.list(contact.address)) {
      if (entry.kind !== 'message') continue;
      push(directConversation(contact.address), entry.messageId, entry.text, entry.sentAt);
    }
  }
  for (const group of await state.groups.list()) {
    const deleted = (await state.groups.state(group.groupId))?.deleted ?? new Set<string>();
    for (const message of await state.groups.messages(group.groupId)) {
      if (deleted.has(toHex(message.messageId))) continue;
      push(groupConversation(group.groupId), message.messageId, message.text, message.sentAt);
    }
  }
  return entries;
}
