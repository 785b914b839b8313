import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  AttachmentConversation,
  KindredClient,
  StoredMessage,
} from '../../core/client/index.js';
import { fromHex, toHex } from '../../core/client/index.js';
import type { AppEvent, AttachmentView, OpenedFileView } from '../shared/api.std.js';
import { DesktopErrorCode, READ_CHUNK_BYTES } from '../shared/api.std.js';
import { WINDOW_FILES_FOLDER } from './AttachmentStaging.main.js';
import { contactConversationId, groupConversationId } from './conversationId.std.js';
import type { ConversationTarget } from './conversationTargets.main.js';
import { messageIdBytes, resolveConversation } from './conversationTargets.main.js';
import { DesktopError } from './DesktopError.main.js';

/** Core's previews are WebP (core/attachments/makePreview.ts). */
const PREVIEW_TYPE = 'image/webp';

/** A message's files as the window shows them; undefined when it has none. */
export function attachmentViews(
  message: Pick<StoredMessage, 'attachments'>,
): AttachmentView[] | undefined {
  if (message.attachments === undefined || message.attachments.length === 0) return undefined;
  return message.attachments.map((attachment, index): AttachmentView => {
    const { pointer } = attachment;
    return {
      index,
      name: pointer.fileName ?? '',
      contentType: pointer.contentType,
      size: pointer.size,
      ...(pointer.preview === undefined
        ? {}
        : {
            preview: `data:${PREVIEW_TYPE};base64,${Buffer.from(pointer.preview).toString('base64')}`,
          }),
      ...(pointer.width === undefined || pointer.height === undefined
        ? {}
        : { width: pointer.width, height: pointer.height }),
      state: attachment.state,
      ...(attachment.error === undefined ? {} : { error: attachment.error }),
    };
  });
}

/** The `attachments` field of a MessageView: present only when the message has files. */
export function attachmentFields(message: StoredMessage): {
  attachments?: readonly AttachmentView[];
} {
  const views = attachmentViews(message);
  return views === undefined ? {} : { attachments: views };
}

export interface AttachmentFilesOptions {
  readonly client: KindredClient;
  /** The vault folder: opened files go to `<home>/window-files/opened/<id>`. */
  readonly home: string;
  /** Electron's save dialog; absent in the dev host (attachments.saveAs is not offered). */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | undefined>;
  /** An opened file nobody read for this long is removed (default 2 minutes). */
  readonly idleMs?: number;
  /** Files open at once (default 4). */
  readonly maxOpen?: number;
}

interface Opened {
  readonly view: OpenedFileView;
  readonly path: string;
  timer: NodeJS.Timeout;
}

/**
 * Opening and saving received (or our own) attachments. Core decrypts only into a file, and the
 * window (a browser page in the dev host) cannot read one: `open` decrypts into a private
 * temporary file under the vault home, `read` hands it out in chunks (the window builds a blob:
 * URL to show it or to download it), and the file is removed after its last chunk, on `close`,
 * after a while unread, on lock, and at the next unlock after a crash. Electron's save dialog
 * (`saveAs`) decrypts straight to where the person chose.
 */
export class AttachmentFiles {
  readonly #options: AttachmentFilesOptions;
  readonly #folder: string;
  readonly #opened = new Map<string, Opened>();
  #closed = false;

  constructor(options: AttachmentFilesOptions) {
    this.#options = options;
    this.#folder = path.join(options.home, WINDOW_FILES_FOLDER, 'opened');
  }

  async open(conversationId: string, messageId: string, index: number): Promise<OpenedFileView> {
    this.#checkOpen();
    if (this.#opened.size >= (this.#options.maxOpen ?? 4)) {
      throw new DesktopError(
        DesktopErrorCode.TooManyFiles,
        'Too many files are open at once. Close one first.',
      );
    }
    const target = await resolveConversation(this.#options.client, conversationId);
    const attachment = await findAttachment(target, messageId, index);
    const fileId = randomBytes(16).toString('hex');
    const out = path.join(this.#folder, fileId);
    await mkdir(this.#folder, { recursive: true, mode: 0o700 });
    await saveTo(target, messageId, index, out);
    if (this.#closed) {
      await rm(out, { force: true });
      throw DesktopError.locked();
    }
    const view: OpenedFileView = {
      fileId,
      name: attachment.name,
      contentType: attachment.contentType,
      size: attachment.size,
    };
    this.#opened.set(fileId, { view, path: out, timer: this.#idleTimer(fileId) });
    return view;
  }

  /** The chunk at `offset` (base64); `done` with the last one, which also removes the file. */
  async read(fileId: string, offset: number): Promise<{ data: string; done: boolean }> {
    const opened = this.#get(fileId);
    clearTimeout(opened.timer);
    opened.timer = this.#idleTimer(fileId);
    const size = opened.view.size;
    if (offset > size) {
      throw new DesktopError(DesktopErrorCode.FileOutOfOrder, 'That is past the file’s end.');
    }
    const length = Math.min(READ_CHUNK_BYTES, size - offset);
    const buffer = Buffer.alloc(length);
    const handle = await open(opened.path, 'r');
    try {
      await handle.read(buffer, 0, length, offset);
    } finally {
      await handle.close();
    }
    const done = offset + length >= size;
    if (done) await this.close(fileId);
    return { data: buffer.toString('base64'), done };
  }

  async close(fileId: string): Promise<void> {
    const opened = this.#opened.get(fileId);
    if (opened === undefined) return;
    this.#opened.delete(fileId);
    clearTimeout(opened.timer);
    await rm(opened.path, { force: true });
  }

  /** Electron: asks where to save (a native dialog), then decrypts there. */
  async saveAs(conversationId: string, messageId: string, index: number): Promise<boolean> {
    this.#checkOpen();
    const choose = this.#options.chooseSavePath;
    if (choose === undefined) {
      throw new DesktopError(
        DesktopErrorCode.NotAvailable,
        'Saving through a dialog works only in the Kindred app.',
      );
    }
    const target = await resolveConversation(this.#options.client, conversationId);
    const attachment = await findAttachment(target, messageId, index);
    const chosen = await choose(attachment.name === '' ? 'attachment' : attachment.name);
    if (chosen === undefined) return false;
    await saveTo(target, messageId, index, chosen);
    return true;
  }

  /** Tries the downloads of a message's failed or stalled attachments again. */
  async retry(conversationId: string, messageId: string): Promise<void> {
    const target = await resolveConversation(this.#options.client, conversationId);
    const id = messageIdBytes(messageId);
    if (target.kind === 'contact') {
      await target.session.attachments.retry(
        { kind: 'direct', address: target.contact.address },
        id,
      );
    } else {
      const session = this.#options.client.session(target.handle.persona);
      const groupId = fromHex(target.handle.id);
      if (groupId === undefined) throw DesktopError.noSuchConversation();
      await session.attachments.retry({ kind: 'group', groupId }, id);
    }
  }

  /** The vault is locking: every opened file goes. */
  async stop(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#opened.keys()].map((fileId) => this.close(fileId)));
    await rm(this.#folder, { recursive: true, force: true });
  }

  #get(fileId: string): Opened {
    this.#checkOpen();
    const opened = this.#opened.get(fileId);
    if (opened === undefined) {
      throw new DesktopError(
        DesktopErrorCode.NoSuchFile,
        'That file was closed. Open the attachment again.',
      );
    }
    return opened;
  }

  #checkOpen(): void {
    if (this.#closed) throw DesktopError.locked();
  }

  #idleTimer(fileId: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      void this.close(fileId);
    }, this.#options.idleMs ?? 120_000);
    timer.unref();
    return timer;
  }
}

async function findAttachment(
  target: ConversationTarget,
  messageId: string,
  index: number,
): Promise<AttachmentView> {
  const id = messageIdBytes(messageId);
  const messages: readonly (StoredMessage | { readonly kind: 'gap' | 'notice' })[] =
    target.kind === 'contact'
      ? await target.session.direct.messages(target.contact.address)
      : await target.handle.messages();
  const wanted = Buffer.from(id);
  const message = messages.find(
    (entry): entry is StoredMessage => entry.kind === 'message' && wanted.equals(entry.messageId),
  );
  // A message a moderator deleted keeps its record, but not for opening.
  const deleted = message !== undefined && 'deleted' in message && message.deleted === true;
  const attachment =
    message === undefined || deleted ? undefined : attachmentViews(message)?.[index];
  if (attachment === undefined) {
    throw new DesktopError(
      DesktopErrorCode.NoSuchFile,
      'That message has no such attachment (it may have disappeared).',
    );
  }
  return attachment;
}

function saveTo(
  target: ConversationTarget,
  messageId: string,
  index: number,
  out: string,
): Promise<void> {
  return target.kind === 'contact'
    ? target.session.saveAttachment(
        { contact: target.contact.address, messageId: messageIdBytes(messageId) },
        index,
        out,
      )
    : target.handle.saveAttachment(messageId, index, out);
}

/** Most progress events per second for one transfer (the last one always goes). */
const TRANSFER_EVENTS_PER_SECOND = 10;

/**
 * Turns the client's attachment progress into the window's `transfer` events, at most
 * {@link TRANSFER_EVENTS_PER_SECOND} per transfer (a 100 MiB file reports every chunk): within
 * an interval only the newest progress is kept, and it goes when the interval ends, so a transfer
 * that stalls still shows how far it got. The last event (done = total) always goes at once. A
 * finished download becomes a `changed` of its conversation. Returns the function that stops it.
 */
export function forwardTransfers(
  client: KindredClient,
  emit: (event: AppEvent) => void,
): () => void {
  const intervalMs = 1000 / TRANSFER_EVENTS_PER_SECOND;
  const transfers = new Map<
    string,
    { lastAt: number; waiting?: AppEvent | undefined; timer?: NodeJS.Timeout | undefined }
  >();
  const conversationOf = (persona: string, where: AttachmentConversation): string =>
    where.kind === 'direct'
      ? contactConversationId(persona, where.address)
      : groupConversationId(toHex(where.groupId));
  const offProgress = client.on('attachmentProgress', (progress) => {
    const conversationId = conversationOf(progress.persona, progress.conversation);
    const messageId = toHex(progress.messageId);
    const key = `${progress.direction}:${conversationId}:${messageId}:${String(progress.n)}`;
    const event: AppEvent = {
      type: 'transfer',
      conversationId,
      messageId,
      attachmentIndex: progress.n,
      direction: progress.direction,
      done: progress.done,
      total: progress.total,
    };
    const now = Date.now();
    const seen = transfers.get(key);
    if (progress.done >= progress.total) {
      clearTimeout(seen?.timer);
      transfers.delete(key);
      emit(event);
      return;
    }
    if (seen === undefined || now - seen.lastAt >= intervalMs) {
      clearTimeout(seen?.timer);
      transfers.set(key, { lastAt: now });
      emit(event);
      return;
    }
    seen.waiting = event;
    if (seen.timer !== undefined) return;
    seen.timer = setTimeout(
      () => {
        seen.timer = undefined;
        const waiting = seen.waiting;
        seen.waiting = undefined;
        if (waiting === undefined || transfers.get(key) !== seen) return;
        seen.lastAt = Date.now();
        emit(waiting);
      },
      intervalMs - (now - seen.lastAt),
    );
    seen.timer.unref();
  });
  const offEnded = client.on('attachment', (update) => {
    emit({
      type: 'changed',
      conversationIds: [conversationOf(update.persona, update.conversation)],
    });
  });
  return () => {
    offProgress();
    offEnded();
    for (const transfer of transfers.values()) clearTimeout(transfer.timer);
    transfers.clear();
  };
}
