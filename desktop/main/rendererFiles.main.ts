import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeFor } from './contentSecurity.std.js';

export interface RendererFile {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * Finds the file of the renderer build a URL path asks for, never outside `root`: `/` and paths
 * without a file extension (routes of the single-page app) get index.html; unknown kinds of file
 * and anything that escapes the folder get nothing. Shared by Electron's app:// protocol and the
 * dev host.
 */
export async function readRendererFile(
  root: string,
  urlPath: string,
): Promise<RendererFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = path.resolve(root);
  const wanted = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  if (wanted !== base && !wanted.startsWith(`${base}${path.sep}`)) return undefined;
  const route = wanted === base || path.extname(wanted) === '';
  const file = route ? path.join(base, 'index.html') : wanted;
  const contentType = contentTypeFor(file);
  if (contentType === undefined) return undefined;
  try {
    // A symbolic link inside the build must not lead out of it either.
    const real = await realpath(file);
    if (!real.startsWith(`${await realpath(base)}${path.sep}`)) return undefined;
    if (!(await stat(real)).isFile()) return undefined;
    return { body: await readFile(real), contentType };
  } catch {
    return undefined;
  }
}
