import { utf8 } from '../bytes/bytes.js';
import { PersonaDirectory } from '../persona/PersonaDirectory.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';

/**
 * A restored vault holds each persona's state from the time of the backup while its contacts
 * moved on, so each persona must renew its sessions once (see core/client/SessionRenewal.ts).
 * The restore leaves this record in every persona's own data scope; the renewal deletes it once
 * done, so it runs once per persona and survives a crash until it has run.
 */
export const RENEWAL_PENDING_KEY = 'session-renewal/pending';

/** Marks every persona in the restored vault for renewal. */
export async function markRestored(vault: KeyValueStore): Promise<void> {
  const directory = new PersonaDirectory(vault);
  const value = utf8(JSON.stringify({ restoredAt: Date.now() }));
  for (const persona of await directory.list()) {
    await directory.dataFor(persona.address).put(RENEWAL_PENDING_KEY, value);
  }
}
