import { concatBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/**
 * The plaintext inside a vault backup's encrypted stream (docs/backup.md): a sequence of typed
 * entries, packed into fixed-size chunks. VaultBackup seals and opens the chunks; this module
 * only cuts entries into chunks and back.
 */

/** Plaintext bytes per chunk (the used-length prefix and the AEAD tag come on top). */
export const CHUNK_BYTES = 64 * 1024;
export const ENTRY_DATA_KEY = 1;
export const ENTRY_RECORD = 2;
export const ENTRY_END = 3;
/** Version 2: an attachment file begins (name length (1), name). */
export const ENTRY_FILE = 4;
/** Version 2: the next bytes of the file begun last (length (4), bytes). */
export const ENTRY_FILE_PIECE = 5;
/** Version 2: the last entry, with the number of files (8). */
export const ENTRY_FILES_END = 6;
export const DATA_KEY_BYTES = 32;
/** The longest stored key and sealed record a restore accepts (records are far smaller). */
const MAX_KEY_BYTES = 4096;
const MAX_VALUE_BYTES = 256 * 1024 * 1024;

export interface Entry {
  readonly type: number;
  readonly body: Uint8Array;
}

/** Cuts the stream's plaintext back into entries, across chunk boundaries. */
export class EntryReader {
  #pending: Uint8Array = new Uint8Array(0);

  /** True when no bytes wait beyond the last entry read. */
  get drained(): boolean {
    return this.#pending.length === 0;
  }

  /** The next entry, or undefined when the stream ended (exactly at an entry boundary). */
  async next(chunks: AsyncIterator<Uint8Array>): Promise<Entry | undefined> {
    for (;;) {
      const length = entryLength(this.#pending);
      if (length !== undefined && this.#pending.length >= length) {
        const entry = this.#pending.subarray(0, length);
        this.#pending = this.#pending.subarray(length);
        return { type: entry[0] ?? 0, body: entry.slice(1) };
      }
      const chunk = await chunks.next();
      if (chunk.done === true) {
        if (this.#pending.length === 0) return undefined;
        throw corrupt('the backup ends inside an entry');
      }
      this.#pending = concatBytes(this.#pending, chunk.value);
    }
  }
}

/** An entry's whole length once enough of it is there to tell, else undefined. */
function entryLength(bytes: Uint8Array): number | undefined {
  if (bytes.length === 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (bytes[0]) {
    case ENTRY_DATA_KEY:
      return 1 + DATA_KEY_BYTES;
    case ENTRY_END:
    case ENTRY_FILES_END:
      return 1 + 8;
    case ENTRY_FILE: {
      if (bytes.length < 2) return undefined;
      const nameLength = bytes[1] ?? 0;
      if (nameLength === 0 || nameLength > 64)
        throw corrupt('a backup attachment file is malformed');
      return 2 + nameLength;
    }
    case ENTRY_FILE_PIECE: {
      if (bytes.length < 5) return undefined;
      const pieceLength = view.getUint32(1);
      if (pieceLength === 0 || pieceLength > CHUNK_BYTES) {
        throw corrupt('a backup attachment file is malformed');
      }
      return 5 + pieceLength;
    }
    case ENTRY_RECORD: {
      if (bytes.length < 3) return undefined;
      const keyLength = view.getUint16(1);
      if (keyLength === 0 || keyLength > MAX_KEY_BYTES)
        throw corrupt('a backup record is malformed');
      if (bytes.length < 3 + keyLength + 4) return undefined;
      const valueLength = view.getUint32(3 + keyLength);
      if (valueLength > MAX_VALUE_BYTES) throw corrupt('a backup record is malformed');
      return 3 + keyLength + 4 + valueLength;
    }
    default:
      throw corrupt('the backup has an unknown entry');
  }
}

/** Packs entries into fixed-size chunks (used length, bytes, zero padding). */
export class Chunker {
  readonly #chunk = new Uint8Array(4 + CHUNK_BYTES);
  #used = 0;
  readonly #emit: (chunk: Uint8Array, last: boolean) => Promise<void>;

  constructor(emit: (chunk: Uint8Array, last: boolean) => Promise<void>) {
    this.#emit = emit;
  }

  async add(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      if (this.#used === CHUNK_BYTES) await this.#flush(false);
      const take = Math.min(CHUNK_BYTES - this.#used, bytes.length - at);
      this.#chunk.set(bytes.subarray(at, at + take), 4 + this.#used);
      this.#used += take;
      at += take;
    }
  }

  /** Seals what is left as the FINAL chunk (there always is one, even if it carries nothing). */
  finish(): Promise<void> {
    return this.#flush(true);
  }

  async #flush(last: boolean): Promise<void> {
    new DataView(this.#chunk.buffer).setUint32(0, this.#used);
    this.#chunk.fill(0, 4 + this.#used);
    await this.#emit(this.#chunk, last);
    this.#used = 0;
  }
}

export function corrupt(message: string, cause?: unknown): CoreError {
  return new CoreError(
    CoreErrorCode.BackupCorrupt,
    message,
    cause === undefined ? undefined : { cause },
  );
}
