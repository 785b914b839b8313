import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { answerDirectoryAdmin, isDirectoryAdminRequest } from '../directory/directoryAdmin.js';
import type { DirectoryAdminAnswer, DirectoryAdminRequest } from '../directory/directoryAdmin.js';
import type { DirectoryOperatorActions } from '../directory/DirectoryOperatorActions.js';
import type { LevelRelayStore } from '../store/LevelRelayStore.js';
import { RelayBackupError, writeRelayBackup } from './RelayBackup.js';
import type { BackupSummary } from './RelayBackup.js';

/**
 * The running relay's admin door: a Unix socket in its data folder (`admin.sock`, mode 0600),
 * so whoever may read the data folder — the operator, root — may ask, and nobody over the
 * network can. One request per connection, one JSON line each way. `kindred-server backup` asks
 * the running relay for a consistent backup, since LevelDB lets only one process open the folder;
 * `kindred-server directory …` and `facilitator …` ask it to act on the directory, with the
 * operator key and the group state only the running relay holds (directoryAdmin.ts).
 */
export const ADMIN_SOCKET_FILE = 'admin.sock';
/** Unix socket paths are limited (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;
const MAX_REQUEST_BYTES = 4096;

export type AdminRequest =
  { readonly command: 'backup'; readonly out: string } | DirectoryAdminRequest;
export type AdminAnswer =
  | ({ readonly ok: true } & BackupSummary)
  | { readonly ok: false; readonly code: string; readonly message: string }
  | DirectoryAdminAnswer;

/** What the admin socket serves: backups of an embedded store, the directory's actions. */
export interface AdminServices {
  /** Only a LevelDB store the relay opened itself is backed up this way. */
  readonly backupStore: LevelRelayStore | undefined;
  readonly directory: DirectoryOperatorActions;
}

export class AdminSocket {
  readonly #server: Server;
  readonly #path: string;

  private constructor(server: Server, path: string) {
    this.#server = server;
    this.#path = path;
  }

  /** Listens in `dataDir`; undefined (with a warning) when the path is too long for a socket. */
  static async start(
    dataDir: string,
    services: AdminServices,
    logger: Logger,
  ): Promise<AdminSocket | undefined> {
    const path = join(dataDir, ADMIN_SOCKET_FILE);
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
      logger.warn(
        { event: 'admin-socket-skipped' },
        'data folder path too long for the admin socket',
      );
      return undefined;
    }
    // A socket file left by a relay that crashed: this process holds the store's lock, so no
    // other relay can be using it.
    await rm(path, { force: true });
    const server = createServer((socket) => {
      serve(socket, dataDir, services, logger);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
    return new AdminSocket(server, path);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
    await rm(this.#path, { force: true });
  }
}

function serve(socket: Socket, dataDir: string, services: AdminServices, logger: Logger): void {
  let received = '';
  const reply = (answer: AdminAnswer): void => {
    socket.end(`${JSON.stringify(answer)}\n`);
  };
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: string) => {
    received += chunk;
    if (received.length > MAX_REQUEST_BYTES) {
      reply({ ok: false, code: 'ADMIN_BAD_REQUEST', message: 'request too large' });
      return;
    }
    const newline = received.indexOf('\n');
    if (newline === -1) return;
    socket.removeAllListeners('data');
    const request = parseRequest(received.slice(0, newline));
    if (request === undefined) {
      reply({
        ok: false,
        code: 'ADMIN_BAD_REQUEST',
        message: 'expected {"command":"backup","out":FILE} or a directory command',
      });
      return;
    }
    if (request.command !== 'backup') {
      logger.info(
        { event: 'admin-command', command: request.command, action: request.action },
        'admin command',
      );
      answerDirectoryAdmin(services.directory, request).then(reply, (error: unknown) => {
        reply({
          ok: false,
          code: 'ADMIN_FAILED',
          message: error instanceof Error ? error.message : String(error),
        });
      });
      return;
    }
    const store = services.backupStore;
    if (store === undefined) {
      reply({
        ok: false,
        code: 'ADMIN_BAD_REQUEST',
        message: 'this relay keeps no LevelDB store to back up',
      });
      return;
    }
    logger.info({ event: 'backup-started' }, 'backup started');
    writeRelayBackup(store, dataDir, request.out).then(
      (summary) => {
        logger.info({ event: 'backup-written', ...summary }, 'backup written');
        reply({ ok: true, ...summary });
      },
      (error: unknown) => {
        const code = RelayBackupError.is(error) ? error.code : 'ADMIN_BACKUP_FAILED';
        reply({ ok: false, code, message: error instanceof Error ? error.message : String(error) });
      },
    );
  });
}

function parseRequest(line: string): AdminRequest | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (isDirectoryAdminRequest(value)) return value;
    if (
      typeof value === 'object' &&
      value !== null &&
      'command' in value &&
      value.command === 'backup' &&
      'out' in value &&
      typeof value.out === 'string' &&
      value.out.startsWith('/')
    ) {
      return { command: 'backup', out: value.out };
    }
  } catch {
    // Not JSON: answered below.
  }
  return undefined;
}

/**
 * Asks the relay running on `dataDir` for a backup. Undefined when no relay answers there (no
 * socket, or one a crashed relay left), so the caller can open the folder itself.
 */
export function requestBackup(dataDir: string, out: string): Promise<AdminAnswer | undefined> {
  return requestAdmin(dataDir, { command: 'backup', out });
}

/** Sends one request to the relay running on `dataDir`; undefined when none answers there. */
export async function requestAdmin(
  dataDir: string,
  request: AdminRequest,
): Promise<AdminAnswer | undefined> {
  const socket = createConnection(join(dataDir, ADMIN_SOCKET_FILE));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch {
    socket.destroy();
    return undefined;
  }
  socket.setEncoding('utf8');
  socket.write(`${JSON.stringify(request)}\n`);
  let answer = '';
  for await (const chunk of socket) answer += chunk as string;
  return JSON.parse(answer) as AdminAnswer;
}
