/**
 * Backup files across the bridge, in pieces of BACKUP_CHUNK_BYTES (the dev host's calls are
 * small): a backup made in main comes to the window and is saved as a browser download; a backup
 * file chosen for a restore goes to main piece by piece, in order.
 */
import type { BackupMadeView } from '../../shared/api.std.js';
import { BACKUP_CHUNK_BYTES } from '../../shared/api.std.js';
import type { KindredApi } from '../bridge.dom.js';

/** How far a transfer got, in bytes of `total`. */
export type TransferProgress = (done: number, total: number) => void;

/**
 * Fetches a backup waiting in main (`saved: 'download'`), hands it to the browser as a download
 * named `made.fileName`, and has main delete its copy.
 */
export async function downloadBackup(
  api: KindredApi,
  made: BackupMadeView,
  onProgress: TransferProgress,
): Promise<void> {
  const backupId = made.backupId;
  if (backupId === undefined) return;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (;;) {
    const piece = await api.call('backup.read', { backupId, offset });
    const bytes = fromBase64(piece.data);
    parts.push(bytes);
    offset += bytes.length;
    onProgress(offset, made.bytes);
    if (piece.done) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = made.fileName;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The browser has taken the bytes once the click ran; a minute is ample for it to copy them.
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 60_000);
  }
  await api.call('backup.discard', { backupId });
}

/** Sends a chosen backup file to main for a restore; returns its staging id. */
export async function stageBackupFile(
  api: KindredApi,
  file: Blob,
  onProgress: TransferProgress,
): Promise<string> {
  const { stagingId } = await api.call('restore.begin', { size: file.size });
  for (let offset = 0; offset < file.size; offset += BACKUP_CHUNK_BYTES) {
    const piece = new Uint8Array(
      await file.slice(offset, offset + BACKUP_CHUNK_BYTES).arrayBuffer(),
    );
    await api.call('restore.append', { stagingId, offset, data: toBase64(piece) });
    onProgress(offset + piece.length, file.size);
  }
  return stagingId;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let at = 0; at < bytes.length; at += 8192) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
  return bytes;
}
