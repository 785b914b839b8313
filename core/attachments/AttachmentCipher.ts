import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { blobBucketSize } from '../blobs/blobProtocol.js';
import type { Sodium } from '../vault/sodium.js';
import { loadSodium } from '../vault/sodium.js';

/**
 * Attachment encryption: a file in, a padded ciphertext file out, never the whole file in memory.
 *
 * Layout of the ciphertext (docs/attachments.md): libsodium's crypto_secretstream_xchacha20poly1305
 * header (24 bytes), then the plaintext in chunks of ATTACHMENT_CHUNK_BYTES, each pushed with its
 * 17-byte authentication overhead (the last, possibly shorter or empty, tagged FINAL), then random
 * bytes up to blobBucketSize. Random rather than zero padding, so the relay cannot see where the
 * stream ends. The SHA-256 digest covers every byte of the file, padding included.
 */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
export const ATTACHMENT_KEY_BYTES = 32;
export const ATTACHMENT_DIGEST_BYTES = 32;
/** Default largest plaintext encrypted (the default per-relay limit). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
/**
 * The largest size a pointer may claim, whatever a relay allows: keeps every length computation
 * far inside safe integers and bounds what a hostile pointer can make a receiver expect.
 */
export const MAX_ATTACHMENT_BYTES_LIMIT = 2 * 1024 * 1024 * 1024;

const HEADER_BYTES = 24;
const ABYTES = 17;

/** What the sender learns from encrypting: everything the pointer needs except where it is stored. */
export interface EncryptedAttachment {
  /** The random per-attachment key (32 bytes). */
  readonly key: Uint8Array<ArrayBuffer>;
  /** SHA-256 of the ciphertext file as stored, padding included. */
  readonly digest: Uint8Array<ArrayBuffer>;
  /** Plaintext bytes. */
  readonly size: number;
  /** Bytes of the ciphertext file (a blob bucket). */
  readonly ciphertextSize: number;
}

/** What the receiver needs to check and open a ciphertext: from the attachment pointer. */
export interface AttachmentSecrets {
  readonly key: Uint8Array;
  readonly digest: Uint8Array;
  readonly size: number;
}

export interface EncryptAttachmentOptions {
  /** Larger inputs are refused with CORE_ATTACHMENT_TOO_LARGE (default 100 MiB). */
  readonly maxBytes?: number;
}

/** Chunks a plaintext of `size` bytes is cut into: at least one (an empty file is one empty FINAL chunk). */
function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES));
}

/** Bytes of the secretstream (header and chunks) for a plaintext of `size` bytes, before padding. */
export function attachmentStreamSize(size: number): number {
  return HEADER_BYTES + size + chunkCount(size) * ABYTES;
}

/** Bytes of the stored ciphertext file for a plaintext of `size` bytes. */
export function attachmentCiphertextSize(size: number): number {
  return blobBucketSize(attachmentStreamSize(size));
}

/** A fresh name beside `path` for a file being written, so a failure never leaves `path` half done. */
function partialPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
}

/** Reads until `buffer` is full or the file ends; returns the bytes read. */
async function readFull(handle: FileHandle, buffer: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(
      buffer,
      filled,
      buffer.length - filled,
      position + filled,
    );
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

/**
 * Writes chunks in order with at most one write in flight, so that encrypting (or decrypting) the
 * next chunk overlaps writing the last one, while memory stays bounded: one chunk being written,
 * one being made.
 */
class WriteBehind {
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly handle: FileHandle) {}

  /** Waits for the write before, then starts this one without waiting for it. */
  async write(bytes: Uint8Array): Promise<void> {
    await this.pending;
    this.pending = writeAll(this.handle, bytes);
    // A failure surfaces at the next write or at flush; until then it is not "unhandled".
    this.pending.catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.pending;
  }
}

/** A read started ahead of its use; marked handled, since an error may end the loop first. */
function readAhead(read: Promise<number>): Promise<number> {
  read.catch(() => undefined);
  return read;
}

/** Writes `path` through a partial file renamed into place only when `fill` succeeds. */
async function writeAtomically(
  path: string,
  fill: (out: FileHandle) => Promise<void>,
): Promise<void> {
  const partial = partialPathFor(path);
  const out = await open(partial, 'wx', 0o600);
  try {
    await fill(out);
    await out.sync();
    await out.close();
    await rename(partial, path);
  } catch (error) {
    await out.close().catch(() => undefined);
    await unlink(partial).catch(() => undefined);
    throw error;
  }
}

function corrupt(message: string, cause?: unknown): CoreError {
  return new CoreError(
    CoreErrorCode.AttachmentCorrupt,
    message,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Encrypts the file at `inputPath` into `outputPath` (replaced if it exists) under a fresh random
 * key. Streams: memory use is a few chunks whatever the file's size.
 */
export async function encryptAttachment(
  inputPath: string,
  outputPath: string,
  options: EncryptAttachmentOptions = {},
): Promise<EncryptedAttachment> {
  const maxBytes = Math.min(
    options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENT_BYTES_LIMIT,
  );
  const sodium = await loadSodium();
  const key = ownedBytes(sodium.crypto_secretstream_xchacha20poly1305_keygen());
  const hash = createHash('sha256');
  let size = 0;
  let ciphertextSize = 0;
  const input = await open(inputPath, 'r');
  try {
    const declared = (await input.stat()).size;
    if (declared > maxBytes) {
      throw new CoreError(CoreErrorCode.AttachmentTooLarge, 'attachment is too large');
    }
    await writeAtomically(outputPath, async (out) => {
      const writer = new WriteBehind(out);
      const emit = (bytes: Uint8Array): Promise<void> => {
        hash.update(bytes);
        ciphertextSize += bytes.length;
        return writer.write(bytes);
      };
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      await emit(header);
      let readPosition = 0;
      const readNext = (buffer: Uint8Array): Promise<number> => {
        const at = readPosition;
        readPosition += buffer.length;
        return readAhead(readFull(input, buffer, at));
      };
      // Three buffers: the chunk being encrypted, the next one (read, so the chunk being
      // encrypted is known to be last or not), and the one after, read meanwhile.
      let [current, next, spare] = [0, 1, 2].map(() => new Uint8Array(ATTACHMENT_CHUNK_BYTES)) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      let currentLength = await readNext(current);
      let nextRead = currentLength === ATTACHMENT_CHUNK_BYTES ? readNext(next) : Promise.resolve(0);
      for (;;) {
        const nextLength = await nextRead;
        size += currentLength;
        if (size > maxBytes) {
          // The file grew while being read.
          throw new CoreError(CoreErrorCode.AttachmentTooLarge, 'attachment is too large');
        }
        const last = nextLength === 0;
        const afterRead =
          nextLength === ATTACHMENT_CHUNK_BYTES ? readNext(spare) : Promise.resolve(0);
        const tag = last
          ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
          : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
        // push copies the chunk into libsodium's memory: `current` is free once it returns.
        await emit(
          sodium.crypto_secretstream_xchacha20poly1305_push(
            state,
            current.subarray(0, currentLength),
            null,
            tag,
          ),
        );
        if (last) break;
        [current, next, spare] = [next, spare, current];
        currentLength = nextLength;
        nextRead = afterRead;
      }
      await emitPadding(attachmentCiphertextSize(size) - ciphertextSize, emit);
      await writer.flush();
    });
  } finally {
    await input.close();
  }
  return { key, digest: ownedBytes(hash.digest()), size, ciphertextSize };
}

async function emitPadding(
  length: number,
  emit: (bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  // A fresh buffer for every piece: `emit` returns while the piece may still be being written.
  for (let left = length; left > 0; left -= ATTACHMENT_CHUNK_BYTES) {
    await emit(randomBytes(Math.min(left, ATTACHMENT_CHUNK_BYTES)));
  }
}

/** SHA-256 of a file, streamed. */
async function fileDigest(handle: FileHandle, length: number): Promise<Uint8Array> {
  const hash = createHash('sha256');
  const buffer = new Uint8Array(ATTACHMENT_CHUNK_BYTES * 4);
  let position = 0;
  while (position < length) {
    const read = await readFull(handle, buffer, position);
    if (read === 0) break;
    hash.update(buffer.subarray(0, read));
    position += read;
  }
  if (position !== length) throw corrupt('attachment changed while it was read');
  return hash.digest();
}

function checkSecrets(secrets: AttachmentSecrets): void {
  if (
    secrets.key.length !== ATTACHMENT_KEY_BYTES ||
    secrets.digest.length !== ATTACHMENT_DIGEST_BYTES ||
    !Number.isSafeInteger(secrets.size) ||
    secrets.size < 0 ||
    secrets.size > MAX_ATTACHMENT_BYTES_LIMIT
  ) {
    throw new CoreError(CoreErrorCode.AttachmentPointerInvalid, 'attachment pointer is invalid');
  }
}

/**
 * Checks the ciphertext at `inputPath` against the pointer's length and digest, then decrypts it
 * into `outputPath` (replaced if it exists) through a partial file renamed into place only when
 * every chunk has authenticated and the stream has ended where the pointer says. On any failure
 * (CORE_ATTACHMENT_CORRUPT) no plaintext is left behind.
 */
export async function decryptAttachment(
  inputPath: string,
  outputPath: string,
  secrets: AttachmentSecrets,
): Promise<void> {
  checkSecrets(secrets);
  const expectedLength = attachmentCiphertextSize(secrets.size);
  const info = await stat(inputPath);
  if (info.size !== expectedLength) throw corrupt('attachment has the wrong length');
  const sodium = await loadSodium();
  const input = await open(inputPath, 'r');
  try {
    const digest = await fileDigest(input, expectedLength);
    if (!timingSafeEqual(digest, secrets.digest)) throw corrupt('attachment digest does not match');
    await writeAtomically(outputPath, (out) => decryptStream(sodium, input, out, secrets));
  } finally {
    await input.close();
  }
}

async function decryptStream(
  sodium: Sodium,
  input: FileHandle,
  out: FileHandle,
  secrets: AttachmentSecrets,
): Promise<void> {
  const header = new Uint8Array(HEADER_BYTES);
  if ((await readFull(input, header, 0)) !== HEADER_BYTES) throw corrupt('attachment is truncated');
  let state;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, secrets.key);
  } catch (error) {
    throw corrupt('attachment header is invalid', error);
  }
  const chunks = chunkCount(secrets.size);
  const plainLengthOf = (index: number): number =>
    Math.min(secrets.size - index * ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES);
  // Two buffers: the chunk being decrypted, and the next one, read meanwhile.
  let [current, next] = [0, 1].map(() => new Uint8Array(ATTACHMENT_CHUNK_BYTES + ABYTES)) as [
    Uint8Array,
    Uint8Array,
  ];
  const read = (index: number, buffer: Uint8Array): Promise<number> =>
    readAhead(
      readFull(
        input,
        buffer.subarray(0, plainLengthOf(index) + ABYTES),
        HEADER_BYTES + index * (ATTACHMENT_CHUNK_BYTES + ABYTES),
      ),
    );
  const writer = new WriteBehind(out);
  let currentRead = read(0, current);
  for (let index = 0; index < chunks; index++) {
    const plainLength = plainLengthOf(index);
    if ((await currentRead) !== plainLength + ABYTES) throw corrupt('attachment is truncated');
    const nextRead = index + 1 < chunks ? read(index + 1, next) : Promise.resolve(0);
    let result: { message: Uint8Array; tag: number } | false;
    try {
      result = sodium.crypto_secretstream_xchacha20poly1305_pull(
        state,
        current.subarray(0, plainLength + ABYTES),
        null,
      );
    } catch (error) {
      throw corrupt('attachment chunk does not authenticate', error);
    }
    if (result === false) throw corrupt('attachment chunk does not authenticate');
    const last = index === chunks - 1;
    const expectedTag = last
      ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    // A FINAL tag early would be a stream cut short and passed off as whole; none at the end, a
    // stream whose end was dropped.
    if (result.tag !== expectedTag || result.message.length !== plainLength) {
      throw corrupt('attachment stream does not end where its pointer says');
    }
    await writer.write(result.message);
    [current, next] = [next, current];
    currentRead = nextRead;
  }
  await writer.flush();
}
