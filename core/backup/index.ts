export type {
  BackupProgress,
  BackupProtection,
  BackupResult,
  RestoreOptions,
} from './VaultBackup.js';
export {
  BACKUP_FORMAT_VERSION,
  checkRecoveryKey,
  readBackupProtection,
  restoreVaultBackup,
  writeVaultBackup,
} from './VaultBackup.js';
export { formatRecoveryKey, parseRecoveryKey, RECOVERY_KEY_BYTES } from './RecoveryKey.js';
