import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toHex } from '../../core/client/index.js';
import { BACKUP_CHUNK_BYTES, DesktopErrorCode } from '../shared/api.std.js';
import { DesktopError } from './DesktopError.main.js';

/** The largest backup file the window may hand over for a restore, by default: 8 GiB. */
export const DEFAULT_MAX_RESTORE_BYTES = 8 * 1024 * 1024 * 1024;

export interface BackupTransfersOptions {
  /** Where the temporary folder is made (default: the system's temporary folder). */
  readonly parentDir?: string;
  /** The largest file restore.begin accepts (default {@link DEFAULT_MAX_RESTORE_BYTES}). */
  readonly maxRestoreBytes?: number;
}

interface StagedFile {
  readonly file: string;
  readonly size: number;
  received: number;
  /** One piece at a time: appends to the same file never interleave. */
  busy: boolean;
}

/**
 * The files a backup or a restore moves across the bridge, in pieces of at most
 * BACKUP_CHUNK_BYTES (the dev host's messages are small): a backup made for download waits here
 * until the window has read it and discards it; a backup file chosen for a restore is written
 * here piece by piece, in order, until it is whole. Both live in one private temporary folder
 * (mode 0700, files 0600) removed by {@link close}. The files are backups, already encrypted: the
 * folder only keeps them out of other users' sight and tidy. One of each at a time: a new backup
 * or a new restore file replaces the one before.
 */
export class BackupTransfers {
  readonly #options: BackupTransfersOptions;
  #folder: Promise<string> | undefined;
  #download: { readonly id: string; readonly file: string; readonly size: number } | undefined;
  #staged: { readonly id: string; readonly staged: StagedFile } | undefined;

  constructor(options: BackupTransfersOptions = {}) {
    this.#options = options;
  }

  /** A fresh path in the private folder for a backup about to be written. */
  async newBackupPath(): Promise<string> {
    return path.join(await this.#privateFolder(), `${toHex(randomBytes(8))}.backup`);
  }

  /** Keeps a written backup for download; returns its id. The one before is deleted. */
  async offerDownload(file: string): Promise<string> {
    await this.discardDownload();
    const { size } = await stat(file);
    const id = toHex(randomBytes(16));
    this.#download = { id, file, size };
    return id;
  }

  /** The piece at `offset` (base64), and whether it is the last one. */
  async read(id: string, offset: number): Promise<{ data: string; done: boolean }> {
    const download = this.#download;
    if (download?.id !== id) throw noSuchTransfer();
    if (offset >= download.size) {
      throw new DesktopError(DesktopErrorCode.BadChunk, 'That is past the end of the backup.');
    }
    const length = Math.min(BACKUP_CHUNK_BYTES, download.size - offset);
    const handle = await open(download.file, 'r');
    try {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new Error('the backup file shrank');
      return {
        data: Buffer.from(bytes.buffer, 0, length).toString('base64'),
        done: offset + length === download.size,
      };
    } finally {
      await handle.close();
    }
  }

  async discardDownload(id?: string): Promise<void> {
    const download = this.#download;
    if (download === undefined) {
      if (id !== undefined) throw noSuchTransfer();
      return;
    }
    if (id !== undefined && download.id !== id) throw noSuchTransfer();
    this.#download = undefined;
    await rm(download.file, { force: true });
  }

  /** Starts staging a file of `size` bytes for a restore; the one before is deleted. */
  async beginStaging(size: number): Promise<string> {
    const limit = this.#options.maxRestoreBytes ?? DEFAULT_MAX_RESTORE_BYTES;
    if (size > limit) {
      throw new DesktopError(
        DesktopErrorCode.TooLarge,
        'That file is larger than any Kindred backup this device would restore.',
      );
    }
    await this.discardStaged();
    const file = path.join(await this.#privateFolder(), `${toHex(randomBytes(8))}.restore`);
    const handle = await open(file, 'wx', 0o600);
    await handle.close();
    const id = toHex(randomBytes(16));
    this.#staged = { id, staged: { file, size, received: 0, busy: false } };
    return id;
  }

  /**
   * Appends the piece at `offset` (base64); returns the bytes received so far. A piece that does
   * not continue the file exactly (a wrong offset, past the size, one still being written) is
   * DESKTOP_BAD_CHUNK and changes nothing.
   */
  async append(id: string, offset: number, data: string): Promise<number> {
    const staged = this.#stagedFile(id);
    const bytes = decodeBase64(data);
    if (
      staged.busy ||
      offset !== staged.received ||
      bytes.length === 0 ||
      bytes.length > BACKUP_CHUNK_BYTES ||
      offset + bytes.length > staged.size
    ) {
      throw new DesktopError(
        DesktopErrorCode.BadChunk,
        'That piece of the file does not continue what arrived so far.',
      );
    }
    staged.busy = true;
    let handle: FileHandle | undefined;
    try {
      handle = await open(staged.file, 'r+');
      await handle.write(bytes, 0, bytes.length, offset);
      staged.received += bytes.length;
    } finally {
      await handle?.close();
      staged.busy = false;
    }
    return staged.received;
  }

  /** The staged file, once all of it arrived (DESKTOP_BAD_CHUNK before). */
  completeFile(id: string): string {
    const staged = this.#stagedFile(id);
    if (staged.busy || staged.received !== staged.size) {
      throw new DesktopError(
        DesktopErrorCode.BadChunk,
        'The backup file has not all arrived yet. Choose it again.',
      );
    }
    return staged.file;
  }

  async discardStaged(id?: string): Promise<void> {
    const current = this.#staged;
    if (current === undefined) {
      if (id !== undefined) throw noSuchTransfer();
      return;
    }
    if (id !== undefined && current.id !== id) throw noSuchTransfer();
    this.#staged = undefined;
    await rm(current.staged.file, { force: true });
  }

  /** Deletes everything staged and the folder. */
  async close(): Promise<void> {
    this.#download = undefined;
    this.#staged = undefined;
    const made = this.#folder;
    this.#folder = undefined;
    const folder = await made?.catch(() => undefined);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }

  #stagedFile(id: string): StagedFile {
    const current = this.#staged;
    if (current?.id !== id) throw noSuchTransfer();
    return current.staged;
  }

  #privateFolder(): Promise<string> {
    this.#folder ??= mkdtemp(
      path.join(this.#options.parentDir ?? os.tmpdir(), 'kindred-transfers-'),
    );
    return this.#folder;
  }
}

function noSuchTransfer(): DesktopError {
  return new DesktopError(
    DesktopErrorCode.NoSuchTransfer,
    'That file is no longer waiting here. Start again.',
  );
}

/** Strict base64: anything that does not read back the same is refused. */
function decodeBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw new DesktopError(DesktopErrorCode.BadChunk, 'That piece of the file is not base64.');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
