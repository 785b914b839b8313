import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  attachmentCiphertextSize,
  decryptAttachment,
  encryptAttachment,
} from '../../attachments/AttachmentCipher.js';
import type { AttachmentPointer } from '../../attachments/AttachmentPointer.js';
import { isValidFileName } from '../../attachments/AttachmentPointer.js';
import { makePreview } from '../../attachments/makePreview.js';
import { neutralFileNames } from '../../attachments/neutralFileName.js';
import { scrubMetadata } from '../../attachments/scrubMetadata.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { BlobUploadGrant, BlobUploadRequest } from '../blobs/blobGrants.js';
import { downloadBlob, uploadBlob } from '../blobs/BlobTransfer.js';
import type { AttachmentConversation, EmitClientEvent } from '../clientEvents.js';
import type {
  ConversationStore,
  StoredAttachment,
  StoredMessage,
} from '../messages/ConversationStore.js';
import { MAX_ATTACHMENTS } from '../messages/messageBodyCodec.js';
import type { PersonaState } from '../PersonaState.js';
import type { SocksProxy } from '../SocksProxy.js';
import { SharedAttachmentFiles, namesFile } from './SharedAttachmentFiles.js';

/** Name of the vault folder's subfolder holding attachment ciphertexts (random file names). */
export const ATTACHMENTS_FOLDER = 'attachments';

/** What the sender chooses when attaching files (PersonaSession.send, GroupSession.send). */
export interface AttachmentSendOptions {
  /** Paths of the files to send with the text (at most 10). */
  readonly attachments?: readonly string[];
  /**
   * Send a file that cannot be cleaned of its metadata as it is. Only after warning the user:
   * without it such a file is refused with CORE_ATTACHMENT_NOT_CLEANED and nothing is sent.
   */
  readonly sendUncleaned?: boolean;
  /**
   * Send each file under its real name. Without it (the default) each travels under a neutral
   * name from its detected type (`photo.jpg`, `document.pdf`, `file.bin`, numbered when several):
   * a file's name often names the patient, and the receiver may be a pseudonymous group.
   */
  readonly keepFileNames?: boolean;
}

/**
 * Which message's attachments: a contact's conversation (alias or address) or a group (name or
 * hex id), and the message's id.
 */
export type AttachmentRef =
  | { readonly contact: string; readonly messageId: Uint8Array }
  | { readonly group: string; readonly messageId: Uint8Array };

/** What a persona gives its attachment transfers. */
export interface AttachmentTransfersOptions {
  readonly state: PersonaState;
  /**
   * The vault folder (the client's home): ciphertexts go to its `attachments/` subfolder. Without
   * it (a session run outside a KindredClient) attachments cannot be sent or kept.
   */
  readonly home: string | undefined;
  /** The persona's relay: where our blobs go (1:1 and our groups alike). */
  readonly relayUrl: () => string;
  /** A grant to upload one blob, over the persona's authenticated connection. */
  readonly grant: (request: BlobUploadRequest) => Promise<BlobUploadGrant>;
  /** The proxy for an upload (the persona's) or a download (fresh, anonymous credentials). */
  readonly proxy: (as: 'persona' | 'anonymous') => SocksProxy | undefined;
  /** Conversations by reference, for downloads to update their messages. */
  readonly conversation: (where: AttachmentConversation) => ConversationStore;
  /** Every conversation that may hold attachments (resumed at start). */
  readonly conversations: () => Promise<AttachmentConversation[]>;
  readonly emit: EmitClientEvent;
  /** Largest plaintext sent (default 100 MiB). */
  readonly maxBytes?: number;
  /** Wait before a download that kept failing is tried again, in ms. Default 30 s. */
  readonly retryMs?: number;
  /** Attempts per download pass (BlobTransfer's default when absent). */
  readonly maxAttempts?: number;
}

/** The pointers of a message's uploaded attachments and the ciphertext files we keep. */
export interface UploadedAttachments {
  readonly pointers: AttachmentPointer[];
  readonly files: string[];
}

/**
 * A persona's attachment transfers, the same for 1:1 conversations and groups: sending (clean,
 * preview, encrypt, one grant, one upload per file) and receiving (background downloads into the
 * vault's `attachments/` folder, resumed after a dropped connection and after a restart,
 * verified against the pointer's digest), and saving a decrypted copy. docs/attachments.md.
 */
export class AttachmentTransfers {
  readonly #options: AttachmentTransfersOptions;
  readonly #home: string | undefined;
  readonly #shared: SharedAttachmentFiles;
  readonly #queue: { where: AttachmentConversation; messageId: Uint8Array }[] = [];
  #running: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: AttachmentTransfersOptions) {
    this.#options = options;
    this.#home = options.home;
    this.#shared = new SharedAttachmentFiles(options.state.store);
  }

  /** The folder holding ciphertexts. */
  get #folder(): string {
    if (this.#home === undefined) {
      throw new CoreError(
        CoreErrorCode.Internal,
        'this session has no vault folder for attachments',
      );
    }
    return join(this.#home, ATTACHMENTS_FOLDER);
  }

  /**
   * Cleans, encrypts and uploads `paths` for a message about to be sent: ONE blob per file,
   * granted for `expectedFetches` downloads (1 for a contact, the other members for a group).
   * Throws before anything is queued: CORE_ATTACHMENT_NOT_CLEANED for a file whose metadata
   * cannot be removed (unless `sendUncleaned`), CORE_ATTACHMENT_TOO_LARGE / _UNREADABLE, the
   * relay's refusal of the grant, CORE_BLOB_TRANSFER_FAILED when the upload kept failing. No
   * temporary file is left; on success the ciphertexts stay as our copies (`files`). Each pointer
   * carries a neutral file name unless `keepFileNames` (neutralFileNames).
   */
  async upload(
    paths: readonly string[],
    context: {
      readonly conversation: AttachmentConversation;
      readonly messageId: Uint8Array;
      readonly expectedFetches: number;
      readonly sendUncleaned?: boolean;
      readonly keepFileNames?: boolean;
    },
  ): Promise<UploadedAttachments> {
    if (paths.length > MAX_ATTACHMENTS) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        `a message carries at most ${MAX_ATTACHMENTS} attachments`,
      );
    }
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    const pointers: AttachmentPointer[] = [];
    const files: string[] = [];
    try {
      for (const [n, path] of paths.entries()) {
        const file = randomName();
        files.push(file);
        pointers.push(await this.#uploadOne(path, file, n, context));
      }
      return { pointers: named(pointers, paths, context.keepFileNames === true), files };
    } catch (error) {
      await Promise.all(files.map((file) => rm(join(this.#folder, file), { force: true })));
      throw error;
    }
  }

  async #uploadOne(
    path: string,
    file: string,
    n: number,
    context: {
      readonly conversation: AttachmentConversation;
      readonly messageId: Uint8Array;
      readonly expectedFetches: number;
      readonly sendUncleaned?: boolean;
      readonly keepFileNames?: boolean;
    },
  ): Promise<AttachmentPointer> {
    const maxBytes = this.#options.maxBytes;
    const limits = maxBytes === undefined ? {} : { maxBytes };
    const cleaned = join(this.#folder, `${randomName()}.clean`);
    try {
      const scrub = await scrubMetadata(path, cleaned, limits);
      if (scrub.status === 'not-cleaned' && context.sendUncleaned !== true) {
        throw new CoreError(
          CoreErrorCode.AttachmentNotCleaned,
          // No file name here: it is user data (and often names a person).
          `attachment ${n + 1} cannot be cleaned of its metadata (${scrub.reason})`,
        );
      }
      const source = scrub.status === 'cleaned' ? cleaned : path;
      const preview = await makePreview(source);
      const cipherPath = join(this.#folder, file);
      const encrypted = await encryptAttachment(source, cipherPath, limits);
      const grant = await this.#options.grant({
        size: encrypted.ciphertextSize,
        expectedFetches: context.expectedFetches,
      });
      const relayUrl = this.#options.relayUrl();
      const proxy = this.#options.proxy('persona');
      await uploadBlob(relayUrl, grant, cipherPath, {
        ...(proxy === undefined ? {} : { proxy }),
        ...(this.#options.maxAttempts === undefined
          ? {}
          : { maxAttempts: this.#options.maxAttempts }),
        onProgress: (done, total) => {
          this.#options.emit('attachmentProgress', {
            direction: 'upload',
            conversation: context.conversation,
            messageId: context.messageId,
            n,
            done,
            total,
          });
        },
      });
      return {
        blobId: grant.blobId,
        key: encrypted.key,
        digest: encrypted.digest,
        size: encrypted.size,
        contentType: scrub.contentType,
        ...(preview === undefined ? {} : { preview: preview.bytes }),
        ...(scrub.status === 'cleaned' && scrub.width !== undefined && scrub.height !== undefined
          ? { width: scrub.width, height: scrub.height }
          : {}),
        relayUrl,
      };
    } finally {
      await rm(cleaned, { force: true });
    }
  }

  /**
   * Marks our copies of uploaded ciphertexts as shared by several messages about to be stored
   * (one journal update to each follower, one upload): removing one of those messages then keeps
   * the file while another still names it, and the last one removes it (deleteFilesOf).
   */
  async share(uploaded: UploadedAttachments): Promise<void> {
    if (uploaded.files.length === 0) return;
    const state = this.#options.state;
    await state.transact(async () => {
      for (const file of uploaded.files) await this.#shared.mark(file);
    });
    await state.store.flush();
  }

  /** Removes our copies of uploaded ciphertexts whose message was not stored after all. */
  async discard(uploaded: UploadedAttachments): Promise<void> {
    if (uploaded.files.length === 0) return;
    const folder = this.#folder;
    await Promise.all(uploaded.files.map((file) => rm(join(folder, file), { force: true })));
    const state = this.#options.state;
    await state.transact(async () => {
      for (const file of uploaded.files) await this.#shared.unmark(file);
    });
    await state.store.flush();
  }

  /** Queues the downloads of a stored message's attachments (a no-op without any). */
  enqueue(where: AttachmentConversation, message: StoredMessage): void {
    if (this.#stopped || !needsDownload(message)) return;
    this.#queue.push({ where, messageId: message.messageId });
    this.#kick();
  }

  /**
   * Queues every attachment not downloaded yet, in every conversation (after a restart). One
   * marked downloaded whose file is gone (a restore from a backup without it, a deletion) is
   * marked `failed` (CORE_ATTACHMENT_NOT_DOWNLOADED), never shown as on this device.
   */
  async resume(): Promise<void> {
    const state = this.#options.state;
    const folder = this.#home === undefined ? undefined : this.#folder;
    const present = folder === undefined ? undefined : await listFolder(folder);
    const found = await state.transact(async () => {
      const pending: { where: AttachmentConversation; messageId: Uint8Array }[] = [];
      for (const where of await this.#options.conversations()) {
        const conversation = this.#options.conversation(where);
        for (const message of await conversation.messages()) {
          if (needsDownload(message)) pending.push({ where, messageId: message.messageId });
          const attachments = message.attachments ?? [];
          // A name missing from the listing is looked for again: a download may have just ended.
          const gone: boolean[] = [];
          for (const attachment of attachments) {
            gone.push(
              folder !== undefined &&
                present !== undefined &&
                attachment.state === 'downloaded' &&
                attachment.file !== undefined &&
                !present.has(attachment.file) &&
                !(await exists(join(folder, attachment.file))),
            );
          }
          if (gone.includes(true)) {
            await conversation.setAttachments(
              message.messageId,
              attachments.map((attachment, i) =>
                gone[i] === true ? missing(attachment) : attachment,
              ),
            );
          }
        }
      }
      return pending;
    });
    await state.store.flush();
    if (this.#stopped) return;
    this.#queue.push(...found);
    this.#kick();
  }

  /**
   * Tries a message's downloads again now: a `failed` attachment goes back to `pending` (its
   * partial file was already removed), and the message is queued with any still `downloading`.
   * For a person pressing "Try again"; CORE_MESSAGE_NOT_FOUND for an unknown message.
   */
  async retry(where: AttachmentConversation, messageId: Uint8Array): Promise<void> {
    const state = this.#options.state;
    const conversation = this.#options.conversation(where);
    const message = await state.transact(async () => {
      const found = await conversation.findMessage(messageId);
      if (found?.attachments === undefined) return found;
      const again = found.attachments.map((attachment): StoredAttachment =>
        attachment.state === 'failed'
          ? { pointer: attachment.pointer, state: 'pending' }
          : attachment,
      );
      return conversation.setAttachments(messageId, again);
    });
    await state.store.flush();
    if (message === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'no such message in this conversation');
    }
    this.enqueue(where, message);
  }

  /** Stops downloading (a download under way ends at its next failure or completion). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#queue.length = 0;
  }

  /** Resolves when no download runs. */
  async whenIdle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /**
   * Decrypts attachment `n` (from 0) of a message into `outPath` (replaced if it exists; nothing
   * left there on failure). CORE_INVALID_INPUT for an `n` the message lacks,
   * CORE_ATTACHMENT_NOT_DOWNLOADED while it is not on the device (also when its file went
   * missing: a restore from a backup without it, a deletion; with `where`, the attachment is then
   * marked `failed` with that code), CORE_ATTACHMENT_CORRUPT when the stored ciphertext does not
   * match its pointer.
   */
  async save(
    message: StoredMessage,
    n: number,
    outPath: string,
    where?: AttachmentConversation,
  ): Promise<void> {
    const attachment = message.attachments?.[n];
    if (attachment === undefined || !Number.isInteger(n)) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'that message has no such attachment');
    }
    if (attachment.state !== 'downloaded' || attachment.file === undefined) {
      throw new CoreError(
        CoreErrorCode.AttachmentNotDownloaded,
        attachment.state === 'failed'
          ? `that attachment's download failed (${attachment.error ?? 'unknown'})`
          : 'that attachment is still downloading',
      );
    }
    if (!(await exists(join(this.#folder, attachment.file)))) {
      if (where !== undefined) await this.#update(where, message.messageId, n, missing(attachment));
      throw new CoreError(
        CoreErrorCode.AttachmentNotDownloaded,
        "that attachment's file is no longer on this device",
      );
    }
    await decryptAttachment(join(this.#folder, attachment.file), outPath, attachment.pointer);
  }

  /**
   * Deletes the ciphertext files of a message's attachments (and any partial download). For
   * whatever removes a message from the vault (an expiry, a deletion), once it is gone from the
   * store: a file shared with other messages (share) stays while any stored message names it.
   */
  async deleteFilesOf(message: StoredMessage): Promise<void> {
    const files = (message.attachments ?? []).flatMap((attachment) =>
      attachment.file === undefined ? [] : [attachment.file],
    );
    if (files.length === 0) return;
    const unused = await this.#unusedOf(files);
    await Promise.all(
      unused.flatMap((file) => [
        rm(join(this.#folder, file), { force: true }),
        rm(join(this.#folder, `${file}.part`), { force: true }),
      ]),
    );
  }

  /**
   * Which of `files` no stored message names any more; a shared one that goes loses its mark in
   * the same step. Read in one step, so of two sharers removed at once the second to look sees
   * neither and removes the file.
   */
  async #unusedOf(files: readonly string[]): Promise<string[]> {
    const state = this.#options.state;
    const unused = await state.transact(async () => {
      const shared: string[] = [];
      for (const file of files) if (await this.#shared.isShared(file)) shared.push(file);
      if (shared.length === 0) return [...files];
      let unnamed = shared;
      for (const where of await this.#options.conversations()) {
        const messages = await this.#options.conversation(where).messages();
        unnamed = unnamed.filter((file) => !namesFile(messages, file));
        if (unnamed.length === 0) break;
      }
      const stillHeld = new Set(shared.filter((file) => !unnamed.includes(file)));
      for (const file of unnamed) await this.#shared.unmark(file);
      return files.filter((file) => !stillHeld.has(file));
    });
    if (unused.length > 0) await state.store.flush();
    return unused;
  }

  #isStopped(): boolean {
    return this.#stopped;
  }

  #kick(): void {
    if (this.#running !== undefined || this.#stopped) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  async #drain(): Promise<void> {
    let retryLater = false;
    for (let next = this.#queue.shift(); next !== undefined; next = this.#queue.shift()) {
      if (this.#stopped) return;
      try {
        if (!(await this.#downloadMessage(next.where, next.messageId))) retryLater = true;
      } catch (error) {
        // stop() may have run while the download awaited.
        if (this.#isStopped()) return;
        this.#options.emit(
          'error',
          CoreError.is(error)
            ? error
            : new CoreError(CoreErrorCode.Internal, 'attachment download', { cause: error }),
        );
      }
    }
    if (retryLater && !this.#stopped) {
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => {
        void this.resume();
      }, this.#options.retryMs ?? 30_000);
      this.#retry.unref();
    }
  }

  /** Downloads a message's pending attachments; false when one should be tried again later. */
  async #downloadMessage(where: AttachmentConversation, messageId: Uint8Array): Promise<boolean> {
    const state = this.#options.state;
    const conversation = this.#options.conversation(where);
    const message = await state.transact(() => conversation.findMessage(messageId));
    if (message?.attachments === undefined) return true;
    let complete = true;
    for (const [n, attachment] of message.attachments.entries()) {
      if (attachment.state === 'downloaded' || attachment.state === 'failed') continue;
      const file = attachment.file ?? randomName();
      if (attachment.file === undefined) {
        if (
          !(await this.#update(where, messageId, n, { ...attachment, state: 'downloading', file }))
        ) {
          return true;
        }
      }
      const outcome = await this.#downloadOne(where, messageId, n, attachment.pointer, file);
      if (outcome === 'later') {
        complete = false;
        continue;
      }
      const done: StoredAttachment =
        outcome === 'downloaded'
          ? { pointer: attachment.pointer, state: 'downloaded', file }
          : { pointer: attachment.pointer, state: 'failed', error: outcome.code };
      if (!(await this.#update(where, messageId, n, done))) {
        // The message left the vault (its timer ran out) while its file was on the way.
        await this.deleteFilesOf({ ...message, attachments: [done] });
        return true;
      }
      this.#options.emit('attachment', {
        conversation: where,
        messageId,
        n,
        state: done.state === 'downloaded' ? 'downloaded' : 'failed',
        ...(done.error === undefined ? {} : { error: done.error }),
      });
    }
    return complete;
  }

  /** One attachment: downloaded and verified, failed for good (with why), or to try later. */
  async #downloadOne(
    where: AttachmentConversation,
    messageId: Uint8Array,
    n: number,
    pointer: AttachmentPointer,
    file: string,
  ): Promise<'downloaded' | 'later' | CoreError> {
    const path = join(this.#folder, file);
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    const proxy = this.#options.proxy('anonymous');
    try {
      if (!(await exists(path))) {
        await downloadBlob(pointer.relayUrl ?? this.#options.relayUrl(), pointer.blobId, path, {
          ...(proxy === undefined ? {} : { proxy }),
          ...(this.#options.maxAttempts === undefined
            ? {}
            : { maxAttempts: this.#options.maxAttempts }),
          onProgress: (done, total) => {
            this.#options.emit('attachmentProgress', {
              direction: 'download',
              conversation: where,
              messageId,
              n,
              done,
              total,
            });
          },
        });
      }
      await verifyCiphertext(path, pointer);
      return 'downloaded';
    } catch (error) {
      if (this.#stopped) return 'later';
      const retry =
        CoreError.is(error) &&
        (error.code === CoreErrorCode.BlobTransferFailed ||
          error.code === CoreErrorCode.RelayUnreachable ||
          error.code === CoreErrorCode.RelayTimeout);
      if (retry) return 'later';
      await rm(path, { force: true });
      await rm(`${path}.part`, { force: true });
      return CoreError.is(error)
        ? error
        : new CoreError(CoreErrorCode.BlobTransferFailed, 'attachment download failed', {
            cause: error,
          });
    }
  }

  /** Sets one attachment's state; false when the message is gone (deleted, or expired). */
  async #update(
    where: AttachmentConversation,
    messageId: Uint8Array,
    n: number,
    attachment: StoredAttachment,
  ): Promise<boolean> {
    const state = this.#options.state;
    const conversation = this.#options.conversation(where);
    const found = await state.transact(async () => {
      const message = await conversation.findMessage(messageId);
      if (message?.attachments === undefined) return false;
      const attachments = message.attachments.map((old, i) => (i === n ? attachment : old));
      await conversation.setAttachments(messageId, attachments);
      return true;
    });
    await state.store.flush();
    return found;
  }
}

/**
 * Throws CORE_ATTACHMENT_CORRUPT unless the file at `path` is exactly the ciphertext the pointer
 * describes: its bucket length and its SHA-256 digest (padding included).
 */
export async function verifyCiphertext(path: string, pointer: AttachmentPointer): Promise<void> {
  const { size } = await stat(path);
  if (size !== attachmentCiphertextSize(pointer.size)) {
    throw new CoreError(CoreErrorCode.AttachmentCorrupt, 'attachment has the wrong length');
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  const digest = hash.digest();
  if (digest.length !== pointer.digest.length || !timingSafeEqual(digest, pointer.digest)) {
    throw new CoreError(CoreErrorCode.AttachmentCorrupt, 'attachment digest does not match');
  }
}

/** An attachment whose file went missing: failed, so a person can see it and try again. */
function missing(attachment: StoredAttachment): StoredAttachment {
  return {
    pointer: attachment.pointer,
    state: 'failed',
    error: CoreErrorCode.AttachmentNotDownloaded,
  };
}

/** The names in `folder` (none when it is missing). */
async function listFolder(folder: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(folder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}

function needsDownload(message: StoredMessage): boolean {
  return (message.attachments ?? []).some(
    (attachment) => attachment.state === 'pending' || attachment.state === 'downloading',
  );
}

function randomName(): string {
  return randomBytes(16).toString('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The pointers with the names they travel under: the real names when the sender chose to keep
 * them (a name the pointer cannot carry is left out), else neutral ones. The one place a file's
 * name enters a message, for 1:1 and groups, CLI and window alike.
 */
function named(
  pointers: readonly AttachmentPointer[],
  paths: readonly string[],
  keepFileNames: boolean,
): AttachmentPointer[] {
  const realNames = paths.map((path) => basename(path));
  if (keepFileNames) {
    return pointers.map((pointer, n) => {
      const name = realNames[n] ?? '';
      return isValidFileName(name) ? { ...pointer, fileName: name } : pointer;
    });
  }
  const neutral = neutralFileNames(
    pointers.map((pointer, n) => ({
      contentType: pointer.contentType,
      realName: realNames[n] ?? '',
    })),
  );
  return pointers.map((pointer, n) => ({ ...pointer, fileName: neutral[n] ?? 'file.bin' }));
}
