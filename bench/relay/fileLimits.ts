/**
 * The file-descriptor limit (`ulimit -n`) for suites whose children hold thousands of sockets.
 * Node cannot change its own limit; a child that needs more is started through a shell that raises
 * its soft limit first (rpc.ts, `maxOpenFiles`), which works up to the hard limit.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface FileLimits {
  /** What a child started now gets. */
  readonly soft: number;
  /** The most a child can raise its soft limit to. Infinity: unlimited. */
  readonly hard: number;
}

/** Descriptors a process needs besides its sockets: node, tsx, LevelDB's files, pipes. */
export const FILE_HEADROOM = 2000;

/** This process's limits, as a child shell sees them (children inherit them). */
export async function fileLimits(): Promise<FileLimits> {
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', 'ulimit -Sn; ulimit -Hn']);
  const [soft = '', hard = ''] = stdout.trim().split(/\s+/);
  return { soft: parseLimit(soft), hard: parseLimit(hard) };
}

function parseLimit(text: string): number {
  if (text === 'unlimited') return Number.POSITIVE_INFINITY;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`cannot read the file-descriptor limit (ulimit -n said "${text}")`);
  }
  return value;
}

/**
 * How to start a child that holds `sockets` connections: `{}` when the inherited limit is enough,
 * `{ maxOpenFiles }` when it must be raised (up to the hard limit), or `undefined` when the hard
 * limit is too low (the suite must skip).
 */
export function descriptorsFor(
  limits: FileLimits,
  sockets: number,
): { maxOpenFiles?: number } | undefined {
  const needed = sockets + FILE_HEADROOM;
  if (limits.soft >= needed) return {};
  if (limits.hard < needed) return undefined;
  return { maxOpenFiles: needed };
}
