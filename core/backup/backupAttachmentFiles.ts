import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { utf8 } from '../bytes/bytes.js';
import type { Chunker, EntryReader } from './backupEntries.js';
import { ENTRY_FILE, ENTRY_FILE_PIECE, ENTRY_FILES_END, corrupt } from './backupEntries.js';

/**
 * A vault backup's attachment files (format version 2): after the records, every complete file
 * of the vault folder's `attachments/`, as stored (ciphertexts under keys the records hold).
 */

/** The vault folder's subfolder of attachment ciphertexts (AttachmentTransfers' folder). */
export const ATTACHMENTS_SUBFOLDER = 'attachments';
/** Names of complete attachment files (random hex); partial `.part`/`.clean` ones are left out. */
const ATTACHMENT_NAME = /^[0-9a-f]{16,64}$/;
const PIECE_BYTES = 60 * 1024;
const NAME_DECODER = new TextDecoder();

/**
 * Copies every complete attachment file of `home`'s `attachments/` into the stream, as stored
 * (each a ciphertext under a key the records hold): a start entry, then pieces. A file removed
 * meanwhile (its message expired) is left out. Returns how many went in.
 */
export async function addAttachmentFiles(
  chunker: Chunker,
  home: string | undefined,
): Promise<number> {
  if (home === undefined) return 0;
  const folder = path.join(home, ATTACHMENTS_SUBFOLDER);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => ATTACHMENT_NAME.test(name)).sort();
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let count = 0;
  const piece = new Uint8Array(5 + PIECE_BYTES);
  for (const name of names) {
    let input: FileHandle;
    try {
      input = await open(path.join(folder, name), 'r');
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
    try {
      const nameBytes = utf8(name);
      const start = new Uint8Array(2 + nameBytes.length);
      start[0] = ENTRY_FILE;
      start[1] = nameBytes.length;
      start.set(nameBytes, 2);
      await chunker.add(start);
      for (;;) {
        const { bytesRead } = await input.read(piece, 5, PIECE_BYTES, null);
        if (bytesRead === 0) break;
        piece[0] = ENTRY_FILE_PIECE;
        new DataView(piece.buffer).setUint32(1, bytesRead);
        await chunker.add(piece.subarray(0, 5 + bytesRead));
      }
      count += 1;
    } finally {
      await input.close();
    }
  }
  return count;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * Writes the attachment files that follow the records (version 2) into `folder`, up to the
 * files' end entry (checked against the count), then checks the stream ends there.
 */
export async function restoreAttachmentFiles(
  reader: EntryReader,
  chunks: AsyncIterator<Uint8Array>,
  folder: string,
): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  let output: FileHandle | undefined;
  let count = 0;
  const names = new Set<string>();
  try {
    for (;;) {
      const entry = await reader.next(chunks);
      if (entry === undefined) throw corrupt('the backup ends too soon');
      if (entry.type === ENTRY_FILE_PIECE) {
        if (output === undefined) throw corrupt('the backup has an unexpected entry');
        await output.write(entry.body.subarray(4));
        continue;
      }
      await output?.close();
      output = undefined;
      if (entry.type === ENTRY_FILE) {
        const name = NAME_DECODER.decode(entry.body.subarray(1));
        if (!ATTACHMENT_NAME.test(name) || names.has(name)) {
          throw corrupt('a backup attachment file is malformed');
        }
        names.add(name);
        output = await open(path.join(folder, name), 'wx', 0o600);
        count += 1;
        continue;
      }
      if (entry.type !== ENTRY_FILES_END) throw corrupt('the backup has an unexpected entry');
      const view = new DataView(entry.body.buffer, entry.body.byteOffset, entry.body.length);
      if (view.getBigUint64(0) !== BigInt(count)) {
        throw corrupt('the backup file count disagrees');
      }
      if (!reader.drained || (await chunks.next()).done !== true) {
        throw corrupt('the backup has data after its end');
      }
      return;
    }
  } finally {
    await output?.close();
  }
}
