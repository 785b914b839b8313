import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  CoreError,
  CoreErrorCode,
  isValidFileName,
  neutralFileNameOf,
} from '../../core/client/index.js';
import type { StagedFileView } from '../shared/api.std.js';
import {
  DesktopErrorCode,
  MAX_ATTACHMENTS_PER_MESSAGE,
  STAGE_CHUNK_BYTES,
} from '../shared/api.std.js';
import { DesktopError } from './DesktopError.main.js';

/**
 * The vault folder's subfolder for the window's files in transit: files being staged to send
 * (`staged/`) and attachments decrypted to be opened or saved (`opened/`). Plaintext, so it is
 * private (0700), emptied on lock and swept whenever the vault opens.
 */
export const WINDOW_FILES_FOLDER = 'window-files';

export interface AttachmentStagingOptions {
  /** The vault folder: staged files go to `<home>/window-files/staged/<id>/<name>`. */
  readonly home: string;
  /** Largest file staged (default 100 MiB, core's and the relay's default limit). */
  readonly maxFileBytes?: number;
  /** Files staged at once (default: one message's worth, MAX_ATTACHMENTS_PER_MESSAGE). */
  readonly maxFiles?: number;
}

export const DEFAULT_MAX_STAGED_FILE_BYTES = 100 * 1024 * 1024;

interface Staged {
  readonly id: string;
  readonly dir: string;
  readonly path: string;
  readonly name: string;
  readonly size: number;
  received: number;
  handle: FileHandle | undefined;
  finished: boolean;
  /** Chunks of one file are written one after the other, in the order their calls came. */
  chain: Promise<unknown>;
}

/**
 * Files the window stages to send. The window is untrusted and, in the dev host, a browser page
 * that cannot name a file on disk: it sends the bytes over the bridge in chunks (begin, chunks in
 * order, finish), each under the bridge's message limit, into a private folder under the vault
 * home. A finished file's path is what core's send takes; it is removed once sent, when the
 * window cancels it, when the vault locks, and at the next unlock after a crash.
 */
export class AttachmentStaging {
  readonly #folder: string;
  readonly #maxFileBytes: number;
  readonly #maxFiles: number;
  readonly #files = new Map<string, Staged>();
  #closed = false;

  constructor(options: AttachmentStagingOptions) {
    this.#folder = path.join(options.home, WINDOW_FILES_FOLDER, 'staged');
    this.#maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_STAGED_FILE_BYTES;
    this.#maxFiles = options.maxFiles ?? MAX_ATTACHMENTS_PER_MESSAGE;
  }

  /** Removes whatever an earlier run left in the window's files folder (a crash, a kill). */
  static async sweep(home: string): Promise<void> {
    await rm(path.join(home, WINDOW_FILES_FOLDER), { recursive: true, force: true });
  }

  async begin(name: string, size: number): Promise<{ stagingId: string }> {
    this.#checkOpen();
    if (size > this.#maxFileBytes) {
      throw new CoreError(CoreErrorCode.AttachmentTooLarge, 'that file is too large to send');
    }
    if (this.#files.size >= this.#maxFiles) {
      throw new DesktopError(
        DesktopErrorCode.TooManyFiles,
        `A message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE} files.`,
      );
    }
    const id = randomBytes(16).toString('hex');
    const dir = path.join(this.#folder, id);
    const safeName = safeFileName(name);
    const staged: Staged = {
      id,
      dir,
      path: path.join(dir, safeName),
      name: safeName,
      size,
      received: 0,
      handle: undefined,
      finished: false,
      chain: Promise.resolve(),
    };
    // Counted before the first await, so parallel begins cannot pass the limit together.
    this.#files.set(id, staged);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      staged.handle = await open(staged.path, 'wx', 0o600);
    } catch (error) {
      await this.#remove(staged);
      throw error;
    }
    if (this.#closed) {
      await this.#remove(staged);
      throw noSuchFile();
    }
    return { stagingId: id };
  }

  /**
   * Appends a chunk (base64, already checked by the schema) at `offset`, which must be where the
   * file ends so far. Anything out of place (a gap, a repeat, past the announced size, after
   * finish) removes the whole file: a staged file is whole or gone.
   */
  chunk(stagingId: string, offset: number, data: string): Promise<{ received: number }> {
    const staged = this.#get(stagingId);
    return this.#serial(staged, async () => {
      const bytes = Buffer.from(data, 'base64');
      const handle = staged.handle;
      if (
        staged.finished ||
        handle === undefined ||
        offset !== staged.received ||
        bytes.length === 0 ||
        bytes.length > STAGE_CHUNK_BYTES ||
        staged.received + bytes.length > staged.size
      ) {
        await this.#remove(staged);
        throw outOfOrder();
      }
      await handle.write(bytes, 0, bytes.length, offset);
      staged.received += bytes.length;
      return { received: staged.received };
    });
  }

  /** Closes a file whose every byte arrived; a short one is removed (DESKTOP_FILE_OUT_OF_ORDER). */
  finish(stagingId: string): Promise<StagedFileView> {
    const staged = this.#get(stagingId);
    return this.#serial(staged, async () => {
      if (staged.finished || staged.received !== staged.size) {
        await this.#remove(staged);
        throw outOfOrder();
      }
      await staged.handle?.close();
      staged.handle = undefined;
      staged.finished = true;
      return {
        stagingId: staged.id,
        name: staged.name,
        size: staged.size,
        neutralName: await neutralFileNameOf(staged.path, staged.name),
      };
    });
  }

  async cancel(stagingId: string): Promise<void> {
    const staged = this.#get(stagingId);
    await this.#serial(staged, () => this.#remove(staged));
  }

  /** The paths of finished files, for core's send; DESKTOP_NO_SUCH_FILE for any other id. */
  paths(stagingIds: readonly string[]): string[] {
    return stagingIds.map((id) => {
      const staged = this.#get(id);
      if (!staged.finished) throw outOfOrder();
      return staged.path;
    });
  }

  /** Removes files that were sent. */
  async release(stagingIds: readonly string[]): Promise<void> {
    await Promise.all(
      stagingIds.map(async (id) => {
        const staged = this.#files.get(id);
        if (staged !== undefined) await this.#remove(staged);
      }),
    );
  }

  /** The vault is locking: every staged file goes, and nothing more is staged. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#files.values()].map((staged) => this.#remove(staged)));
    await rm(this.#folder, { recursive: true, force: true });
  }

  #get(stagingId: string): Staged {
    this.#checkOpen();
    const staged = this.#files.get(stagingId);
    if (staged === undefined) throw noSuchFile();
    return staged;
  }

  #checkOpen(): void {
    if (this.#closed) throw DesktopError.locked();
  }

  #serial<T>(staged: Staged, work: () => Promise<T>): Promise<T> {
    const run = staged.chain.then(work, work);
    staged.chain = run.catch(() => undefined);
    return run;
  }

  async #remove(staged: Staged): Promise<void> {
    this.#files.delete(staged.id);
    const handle = staged.handle;
    staged.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(staged.dir, { recursive: true, force: true });
  }
}

/** Characters no file system takes (or that would make a path), and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE_IN_NAME = /[<>:"/\\|?*\u0000-\u001f\u007f]/gu;
const MAX_NAME_BYTES = 200;

/**
 * The name a staged file is kept (and sent) under: the window's name with what no file system
 * takes replaced, short enough for any, never `.`/`..` or empty. Core sends the file's own name.
 */
export function safeFileName(name: string): string {
  let safe = name
    .toWellFormed()
    .replace(UNSAFE_IN_NAME, '_')
    .trim()
    .replace(/[. ]+$/u, '');
  while (Buffer.byteLength(safe, 'utf8') > MAX_NAME_BYTES) safe = safe.slice(0, -1);
  safe = safe.toWellFormed();
  return safe === '' || !isValidFileName(safe) ? 'file' : safe;
}

function noSuchFile(): DesktopError {
  return new DesktopError(
    DesktopErrorCode.NoSuchFile,
    'That file is no longer here: choose it again.',
  );
}

function outOfOrder(): DesktopError {
  return new DesktopError(
    DesktopErrorCode.FileOutOfOrder,
    'That file did not arrive whole. Choose it again.',
  );
}
