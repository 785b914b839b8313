import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ATTACHMENTS_FOLDER } from './AttachmentTransfers.js';

/**
 * What an upload writes in the attachments folder and removes itself when it ends, and so only a
 * crash leaves behind: the cleaned copy of a file (`HEX.clean`, AttachmentTransfers), and the
 * files written beside a result before it is renamed into place (`.NAME.HEX.partial`,
 * scrubMetadata and encryptAttachment). A cleaned copy is the user's file in plaintext, outside
 * the vault's encryption: it must not outlive the crash. A download's `HEX.part` is ciphertext
 * the next start resumes from, and is kept.
 */
const LEFTOVER = /^(?:[0-9a-f]{32}\.clean|\.[0-9a-f]{32}(?:\.clean)?\.[0-9a-f]{12}\.partial)$/;

/**
 * Removes what a crashed upload left in `home`'s attachments folder; the number removed. Run on
 * unlock, before any session can start an upload (the vault's lock keeps other processes out).
 * Best effort: a file that cannot be removed now is tried again on the next unlock.
 */
export async function sweepAttachmentLeftovers(home: string): Promise<number> {
  const folder = join(home, ATTACHMENTS_FOLDER);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0; // No attachments folder yet.
  }
  let removed = 0;
  for (const name of names.filter((entry) => LEFTOVER.test(entry))) {
    try {
      await rm(join(folder, name), { force: true });
      removed++;
    } catch {
      // Left for the next unlock.
    }
  }
  return removed;
}
