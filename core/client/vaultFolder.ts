import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** Whether `dir` exists and can be listed. */
export async function folderExists(dir: string): Promise<boolean> {
  try {
    await readdir(dir);
    return true;
  } catch {
    return false;
  }
}

/** Undoes a failed init: removes the folder we created, or empties the one that was empty. */
export async function removeVaultFolder(dir: string, existed: boolean): Promise<void> {
  try {
    if (!existed) {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    for (const entry of await readdir(dir)) {
      await rm(path.join(dir, entry), { recursive: true, force: true });
    }
    await mkdir(dir, { recursive: true });
  } catch {
    // Best effort: the original error matters more than a leftover folder.
  }
}
