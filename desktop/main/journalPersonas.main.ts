import type { KindredClient } from '../../core/client/index.js';
import { CoreError, CoreErrorCode } from '../../core/client/index.js';

/**
 * The personas of this vault that belong to journals: the journal's own (its contacts are
 * followers) and each persona made to follow one. Their conversations are a journal's updates,
 * support and hearts, shown on the Journal screen as a feed, never as chats in the chat list
 * (where a follower could only write what the journal's persona drops).
 */
export async function journalPersonas(client: KindredClient): Promise<Set<string>> {
  const addresses = new Set<string>();
  try {
    addresses.add((await client.journals.mine()).address);
  } catch (error) {
    if (!(error instanceof CoreError && error.code === CoreErrorCode.PersonaNotFound)) throw error;
  }
  for (const followed of await client.journals.following()) addresses.add(followed.persona);
  return addresses;
}
