import path from 'node:path';
import type { KdfProfile, KindredClient } from '../../core/client/index.js';
import { restoreVaultBackup } from '../../core/client/index.js';
import type { AppEvent, BackupMadeView, BackupProtectionView } from '../shared/api.std.js';
import type { BackupTransfers } from './BackupTransfers.main.js';

/**
 * Asks where to save a backup (Electron's save dialog), suggesting `fileName`; undefined when the
 * person cancelled. Without it (the dev host) a backup is offered to the window for download.
 */
export type ChooseBackupFile = (fileName: string) => Promise<string | undefined>;

/** A progress event at most this often while a backup or a restore runs. */
const PROGRESS_EVERY_MS = 200;

/** `kindred-2026-12-07.backup`: the day it was made, nothing about the vault. */
export function backupFileName(now: Date = new Date()): string {
  return `kindred-${now.toISOString().slice(0, 10)}.backup`;
}

/**
 * Settings → Back up: writes the backup either where the person chose (Electron) or into the
 * transfers' private folder for the window to download (the dev host).
 */
export async function makeBackup(options: {
  readonly client: KindredClient;
  readonly transfers: BackupTransfers;
  readonly protection: BackupProtectionView;
  readonly passphrase: string;
  readonly choose: ChooseBackupFile | undefined;
  readonly emit: (event: AppEvent) => void;
}): Promise<BackupMadeView> {
  const { client, transfers, protection, passphrase, choose, emit } = options;
  const fileName = backupFileName();
  let target: string;
  if (choose === undefined) {
    target = await transfers.newBackupPath();
  } else {
    const chosen = await choose(fileName);
    if (chosen === undefined)
      return { protection, saved: 'cancelled', fileName, bytes: 0, records: 0 };
    target = chosen;
  }
  const progress = throttledProgress('backup', emit);
  const result = await client.backup(target, { passphrase, protection, onProgress: progress });
  emit({ type: 'backup-progress', stage: 'backup', bytes: result.bytes });
  const made = {
    protection,
    fileName: choose === undefined ? fileName : path.basename(target),
    bytes: result.bytes,
    records: result.records,
    ...(result.recoveryKey === undefined ? {} : { recoveryKey: result.recoveryKey }),
  };
  if (choose !== undefined) return { ...made, saved: 'file' };
  return { ...made, saved: 'download', backupId: await transfers.offerDownload(target) };
}

/** Restores a staged backup into `home` (missing or empty), reporting progress. */
export async function restoreInto(options: {
  readonly file: string;
  readonly home: string;
  readonly secret: string;
  readonly passphrase: string;
  readonly kdf: KdfProfile | undefined;
  readonly emit: (event: AppEvent) => void;
}): Promise<void> {
  const { file, home, secret, passphrase, kdf, emit } = options;
  await restoreVaultBackup({
    file,
    home,
    secret,
    passphrase,
    ...(kdf === undefined ? {} : { kdf }),
    onProgress: throttledProgress('restore', emit),
  });
}

function throttledProgress(
  stage: 'backup' | 'restore',
  emit: (event: AppEvent) => void,
): (progress: { bytes: number; total?: number }) => void {
  let last = 0;
  return ({ bytes, total }) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && bytes !== total) return;
    last = now;
    emit({ type: 'backup-progress', stage, bytes, ...(total === undefined ? {} : { total }) });
  };
}
