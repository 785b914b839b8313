import path from 'node:path';
import {
  KindredClient as Client,
  readBackupProtection,
  restoreVaultBackup,
} from '../core/client/index.js';
import { parseKdf } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { CLIENT_OPTIONS, homeDir, passphraseForVault } from './commandClient.js';
import { Output } from './output.js';
import { promptHidden, readPassphrase } from './passphrase.js';
import { readPrivateInput } from './privateInput.js';

export interface BackupOptions extends CommonOptions {
  readonly out: string;
  readonly passphraseProtected?: boolean;
}

export interface RestoreCommandOptions extends CommonOptions {
  readonly recoveryKey?: string;
  readonly recoveryKeyFile?: string;
  readonly backupPassphrase?: string;
  readonly backupPassphraseFile?: string;
  readonly kdf: string;
}

/**
 * `kindred backup --out FILE`: the whole vault to one encrypted file. The recovery key is printed
 * once, to stdout, and stored nowhere; with --passphrase-protected the vault passphrase locks the
 * file instead (no key to keep, but only as strong as the passphrase).
 */
export async function backupCommand(options: BackupOptions): Promise<void> {
  const home = homeDir(options);
  const passphrase = await passphraseForVault(home);
  const client = await Client.open({ home, passphrase, ...CLIENT_OPTIONS });
  try {
    const file = path.resolve(options.out);
    const protection = options.passphraseProtected === true ? 'passphrase' : 'recovery-key';
    const result = await client.backup(file, { passphrase, protection });
    const out = new Output(options.json === true);
    if (result.recoveryKey === undefined) {
      out.emit(
        { event: 'backed-up', file, protection, records: result.records, bytes: result.bytes },
        `Backed up to ${file}. It opens with this vault's passphrase (as strong as that passphrase).`,
      );
      return;
    }
    out.emit(
      {
        event: 'backed-up',
        file,
        protection,
        recoveryKey: result.recoveryKey,
        records: result.records,
        bytes: result.bytes,
      },
      [
        `Backed up to ${file}.`,
        'Recovery key (write it down now: it is shown only this once and stored nowhere;',
        'without it the backup cannot be opened, and anyone holding it and the file can read it):',
        '',
        `    ${result.recoveryKey}`,
        '',
      ].join('\n'),
    );
  } finally {
    await client.close();
  }
}

/**
 * `kindred restore FILE --home DIR`: a new vault from a backup, under a new passphrase
 * (KINDRED_PASSPHRASE or asked twice). The recovery key (or, for a passphrase-protected backup,
 * the passphrase it was made with) never comes from argv: `-` reads it from stdin, a `…-file`
 * option from a file, and without either it is asked for on the terminal.
 */
export async function restoreCommand(file: string, options: RestoreCommandOptions): Promise<void> {
  if (options.home === undefined) {
    throw new CliError(CliErrorCode.Usage, 'give the new vault folder with --home DIR');
  }
  const kdf = parseKdf(options.kdf);
  const protection = await readBackupProtection(file);
  const secret =
    protection === 'recovery-key'
      ? await readBackupSecret({
          value: options.recoveryKey,
          file: options.recoveryKeyFile,
          what: 'the recovery key',
          option: '--recovery-key',
        })
      : await readBackupSecret({
          value: options.backupPassphrase,
          file: options.backupPassphraseFile,
          what: 'the passphrase the backup was made with',
          option: '--backup-passphrase',
        });
  const passphrase = await readPassphrase({ confirm: true });
  const home = homeDir(options);
  const { records } = await restoreVaultBackup({ file, home, secret, passphrase, kdf });
  new Output(options.json === true).emit(
    { event: 'restored', home, records },
    `Restored into ${home}. On its first connection each persona renews its secure sessions with its contacts and groups.`,
  );
}

async function readBackupSecret(source: {
  value: string | undefined;
  file: string | undefined;
  what: string;
  option: string;
}): Promise<string> {
  if (source.value !== undefined && source.value !== '-') {
    throw new CliError(
      CliErrorCode.Usage,
      `${source.option} takes only - (standard input): ${source.what} is kept out of ps and history; or use ${source.option}-file`,
    );
  }
  if (source.value === undefined && source.file === undefined) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new CliError(
        CliErrorCode.Usage,
        `give ${source.what}: ${source.option} - reads it from standard input, ${source.option}-file PATH from a file`,
      );
    }
    return promptHidden(`${source.what.charAt(0).toUpperCase()}${source.what.slice(1)}: `);
  }
  return readPrivateInput({
    value: source.value,
    file: source.file,
    what: source.what,
    fileOption: `${source.option}-file`,
    kind: 'secret',
  });
}
