/**
 * Moving attachment bytes between the window and the vault's process. The window cannot hand a
 * path to the main process (in the dev host it is an ordinary browser page), so files to send are
 * staged in chunks over the bridge (attachments.stageBegin / stageChunk / stageFinish), and files
 * to open or save are read back in chunks (attachments.open / read) into a Blob. Progress of the
 * main process's own uploads and downloads arrives as `transfer` events.
 */
import { useSyncExternalStore } from 'react';
import type { AppEvent, ConversationId, StagedFileView } from '../../shared/api.std.js';
import { MAX_ATTACHMENTS_PER_MESSAGE, STAGE_CHUNK_BYTES } from '../../shared/api.std.js';
import type { KindredApi } from '../bridge.dom.js';
import { describeError } from '../kindredContext.dom.js';

export interface Progress {
  readonly done: number;
  readonly total: number;
}

/** Progress of the uploads and downloads the main process reports, by attachment. */
export class TransferTracker {
  readonly #listeners = new Set<() => void>();
  readonly #progress = new Map<string, Progress>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  apply(event: AppEvent): void {
    if (event.type !== 'transfer') return;
    const progress = { done: event.done, total: event.total };
    this.#progress.set(
      downloadKey(event.conversationId, event.messageId, event.attachmentIndex),
      progress,
    );
    if (event.direction === 'upload') {
      // The message being sent is not listed yet: the composer shows its files by position.
      this.#progress.set(uploadKey(event.conversationId, event.attachmentIndex), progress);
    }
    for (const listener of this.#listeners) listener();
  }

  /** The composer starts sending: earlier uploads' bars must not show. */
  resetUploads(conversationId: ConversationId): void {
    const prefix = `u ${conversationId} `;
    for (const key of [...this.#progress.keys()]) {
      if (key.startsWith(prefix)) this.#progress.delete(key);
    }
    for (const listener of this.#listeners) listener();
  }

  get(key: string): Progress | undefined {
    return this.#progress.get(key);
  }
}

const trackers = new WeakMap<KindredApi, TransferTracker>();

/**
 * The window's one tracker for this API (main.dom.tsx makes it at start), so a download that
 * started (or stalled) before its conversation was opened still shows how far it got.
 */
export function transferTrackerFor(api: KindredApi): TransferTracker {
  let tracker = trackers.get(api);
  if (tracker === undefined) {
    const made = new TransferTracker();
    api.onEvent((event) => {
      made.apply(event);
    });
    trackers.set(api, made);
    tracker = made;
  }
  return tracker;
}

export function downloadKey(conversationId: string, messageId: string, index: number): string {
  return `d ${conversationId} ${messageId} ${String(index)}`;
}

export function uploadKey(conversationId: string, index: number): string {
  return `u ${conversationId} ${String(index)}`;
}

/** Progress of one attachment's transfer (undefined until the main process reports any). */
export function useTransfer(api: KindredApi, key: string): Progress | undefined {
  const tracker = transferTrackerFor(api);
  return useSyncExternalStore(tracker.subscribe, () => tracker.get(key));
}

/** One file chosen for the next message, while and after it is staged. */
export interface ChosenFile {
  readonly key: number;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  /** A blob: URL of the file itself, for images (the window's own bytes). */
  readonly thumbnail?: string;
  readonly state: 'staging' | 'ready' | 'failed';
  /** Bytes staged so far. */
  readonly staged: number;
  readonly stagingId?: string;
  readonly error?: string;
  /** The name it goes under unless the person sends file names (from the main process). */
  readonly neutralName?: string;
}

/**
 * The files chosen for the next message of one conversation: each is staged in the main process
 * as soon as it is chosen (so sending only names them), removed there when the person removes it
 * here, and forgotten once sent (the main process removed it then).
 */
export class ChosenFiles {
  readonly #api: KindredApi;
  readonly #listeners = new Set<() => void>();
  #files: readonly ChosenFile[] = [];
  #nextKey = 1;
  #leftOut = false;
  #keepNames = false;

  constructor(api: KindredApi) {
    this.#api = api;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly files = (): readonly ChosenFile[] => this.#files;

  /** Whether the files go under their real names ("Send file names"; off by default). */
  readonly keepNames = (): boolean => this.#keepNames;

  setKeepNames(keep: boolean): void {
    this.#keepNames = keep;
    this.#emit();
  }

  /** Whether some chosen files were not taken (a message carries at most 10), until the next choice. */
  readonly leftOut = (): boolean => this.#leftOut;

  /** Takes files from the picker, a drop or a paste, up to one message's worth. */
  add(files: Iterable<File>): void {
    const room = MAX_ATTACHMENTS_PER_MESSAGE - this.#files.length;
    const chosen = [...files];
    this.#leftOut = chosen.length > room;
    for (const file of chosen.slice(0, Math.max(0, room))) {
      const key = this.#nextKey++;
      this.#set([
        ...this.#files,
        {
          key,
          name: file.name === '' ? 'pasted-image' : file.name,
          size: file.size,
          type: file.type,
          ...(file.type.startsWith('image/') ? { thumbnail: URL.createObjectURL(file) } : {}),
          state: 'staging',
          staged: 0,
        },
      ]);
      void this.#stage(key, file);
    }
    if (chosen.length > room) this.#emit();
  }

  /** Removes a chosen file here and its staged copy in the main process. */
  remove(key: number): void {
    const file = this.#files.find((one) => one.key === key);
    if (file === undefined) return;
    this.#forget(file);
    this.#set(this.#files.filter((one) => one.key !== key));
    if (file.stagingId !== undefined) {
      this.#api.call('attachments.stageCancel', { stagingId: file.stagingId }).catch(() => {
        // Already gone (sent, or the vault locked): nothing to remove.
      });
    }
  }

  /** The message went: the main process removed the staged copies already. */
  sent(): void {
    for (const file of this.#files) this.#forget(file);
    this.#leftOut = false;
    this.#keepNames = false;
    this.#set([]);
  }

  /** Leaving the conversation: every staged copy goes. */
  dispose(): void {
    for (const file of this.#files) this.remove(file.key);
  }

  async #stage(key: number, file: File): Promise<void> {
    try {
      const staged = await stageFile(this.#api, file, (done) => {
        this.#update(key, { staged: done });
      });
      if (this.#files.some((one) => one.key === key)) {
        this.#update(key, {
          state: 'ready',
          staged: staged.size,
          stagingId: staged.stagingId,
          neutralName: staged.neutralName,
        });
      } else {
        // Removed while it was being staged.
        await this.#api.call('attachments.stageCancel', { stagingId: staged.stagingId });
      }
    } catch (error) {
      this.#update(key, { state: 'failed', error: describeError(error) });
    }
  }

  #update(key: number, change: Partial<ChosenFile>): void {
    this.#set(this.#files.map((one) => (one.key === key ? { ...one, ...change } : one)));
  }

  #forget(file: ChosenFile): void {
    if (file.thumbnail !== undefined) URL.revokeObjectURL(file.thumbnail);
  }

  #set(files: readonly ChosenFile[]): void {
    this.#files = files;
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** Chunk calls of one staged file under way at once (the bridge takes 32 calls at a time). */
const STAGE_CHUNKS_IN_FLIGHT = 4;

/** Sends one file's bytes to the main process in order, chunk by chunk. */
export async function stageFile(
  api: KindredApi,
  file: File,
  onProgress: (done: number) => void,
): Promise<StagedFileView> {
  const { stagingId } = await api.call('attachments.stageBegin', {
    name: file.name === '' ? 'pasted-image' : file.name,
    size: file.size,
  });
  // A few chunks in flight: the main process writes them in the order they arrive, which is
  // the order they were sent (one socket, or Electron's one IPC channel).
  const inFlight: Promise<unknown>[] = [];
  try {
    for (let offset = 0; offset < file.size; offset += STAGE_CHUNK_BYTES) {
      const bytes = new Uint8Array(
        await file.slice(offset, offset + STAGE_CHUNK_BYTES).arrayBuffer(),
      );
      const end = offset + bytes.length;
      const chunk = api
        .call('attachments.stageChunk', { stagingId, offset, data: toBase64(bytes) })
        .then(() => {
          onProgress(end);
        });
      // Handled here too, so a failure while another chunk is awaited is never "unhandled".
      chunk.catch(() => undefined);
      inFlight.push(chunk);
      if (inFlight.length >= STAGE_CHUNKS_IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return await api.call('attachments.stageFinish', { stagingId });
  } catch (error) {
    // The main process removed the file at the first wrong chunk; the rest fail the same way.
    await Promise.allSettled(inFlight);
    await api.call('attachments.stageCancel', { stagingId }).catch(() => undefined);
    throw error;
  }
}

/** An attachment's decrypted bytes, read from the main process in chunks. */
export async function readAttachment(
  api: KindredApi,
  conversationId: ConversationId,
  messageId: string,
  index: number,
): Promise<{ blob: Blob; name: string }> {
  const opened = await api.call('attachments.open', { conversationId, messageId, index });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  try {
    let offset = 0;
    for (;;) {
      const { data, done } = await api.call('attachments.read', {
        fileId: opened.fileId,
        offset,
      });
      const bytes = fromBase64(data);
      parts.push(bytes);
      offset += bytes.length;
      if (done) break;
    }
  } catch (error) {
    await api.call('attachments.close', { fileId: opened.fileId }).catch(() => undefined);
    throw error;
  }
  return { blob: new Blob(parts, { type: opened.contentType }), name: opened.name };
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Small slices: String.fromCharCode takes its bytes as arguments.
  for (let at = 0; at < bytes.length; at += 8192) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
  return bytes;
}

/** A progress value in percent for aria-valuenow. */
export function percent(progress: Progress | undefined): number {
  if (progress === undefined || progress.total <= 0) return 0;
  return Math.min(100, Math.floor((progress.done / progress.total) * 100));
}

/**
 * The name each chosen file will be sent under: its own when the person sends file names, else
 * its neutral name, numbered when several share one (`photo-1.jpg`, `photo-2.jpg`) exactly as
 * core's neutralFileNames numbers them. Undefined while the neutral name is not known yet.
 */
export function sentNames(
  files: readonly ChosenFile[],
  keepNames: boolean,
): (string | undefined)[] {
  if (keepNames) return files.map((file) => file.name);
  const counts = new Map<string, number>();
  for (const file of files) {
    if (file.neutralName !== undefined) {
      counts.set(file.neutralName, (counts.get(file.neutralName) ?? 0) + 1);
    }
  }
  const seen = new Map<string, number>();
  return files.map(({ neutralName: name }) => {
    if (name === undefined || (counts.get(name) ?? 0) < 2) return name;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const dot = name.lastIndexOf('.');
    return `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
  });
}
