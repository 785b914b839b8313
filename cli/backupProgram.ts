import type { Command } from 'commander';
import { Option } from 'commander';
import type { BackupOptions, RestoreCommandOptions } from './backupActions.js';
import { backupCommand, restoreCommand } from './backupActions.js';

/** `kindred backup` and `kindred restore`; `common` adds the options every command takes. */
export function addBackupCommands(program: Command, common: (command: Command) => Command): void {
  common(program.command('backup'))
    .description(
      'back the whole vault up to one encrypted file; prints a recovery key once (stored nowhere)',
    )
    .requiredOption('--out <file>', 'the backup file to write')
    .option(
      '--passphrase-protected',
      'lock the file with the vault passphrase instead of a recovery key (weaker: only as strong as the passphrase)',
    )
    .action((options: BackupOptions) => backupCommand(options));

  common(program.command('restore'))
    .description('restore a backup into a new vault folder (--home) under a new passphrase')
    .argument('<file>', 'the backup file')
    .option('--recovery-key <->', 'read the recovery key from standard input (give -)')
    .option('--recovery-key-file <path>', 'read the recovery key from a file')
    .option(
      '--backup-passphrase <->',
      'for a passphrase-protected backup: read its passphrase from standard input (give -)',
    )
    .option('--backup-passphrase-file <path>', 'the same, from a file')
    // No .choices(): insecure-fast is for test suites only (see init).
    .addOption(
      new Option('--kdf <profile>', 'passphrase hashing strength: moderate or sensitive').default(
        'moderate',
      ),
    )
    .action((file: string, options: RestoreCommandOptions) => restoreCommand(file, options));
}
