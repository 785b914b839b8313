export type { BackupProtection, BackupResult, RestoreOptions } from './VaultBackup.js';
export {
  BACKUP_FORMAT_VERSION,
  readBackupProtection,
  restoreVaultBackup,
  writeVaultBackup,
} from './VaultBackup.js';
export { formatRecoveryKey, parseRecoveryKey, RECOVERY_KEY_BYTES } from './RecoveryKey.js';
