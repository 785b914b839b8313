/**
 * Backup and restore of a vault holding 100,000 messages (each a history entry of ~300 bytes and
 * its message-id index record, as MessageHistory keeps them: 200,000 records), next to a plain
 * recursive copy of the same vault folder (`fs.cp`), in the same run.
 *
 * - backup: `writeVaultBackup` (recovery key) from the open vault to a file, synced;
 * - restore: `restoreVaultBackup` into a new folder; the new vault's passphrase uses the
 *   insecure-fast KDF so the row measures the data path, not Argon2id (whose cost the `crypto`
 *   suite's unlock row gives);
 * - baseline: `fs.cp` of the vault folder (records and header), the least a backup must do.
 *
 * Rows in ms. The vault is filled once, untimed. Runs alternate, swapping which goes first.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Vault, restoreVaultBackup, writeVaultBackup } from '../../core/index.js';
import { measurePair, timeMs } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

const MESSAGES = 100_000;
const PASSPHRASE = 'benchmark passphrase';

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'kindred-bench-backup-'));
  let vault: Vault | undefined;
  try {
    const home = path.join(root, 'vault');
    vault = await Vault.create(home, PASSPHRASE, { kdf: 'insecure-fast' });
    options.log(`backup: filling a vault with ${MESSAGES.toLocaleString('en')} messages`);
    const text = 'x'.repeat(300);
    for (let index = 0; index < MESSAGES; index++) {
      const contact = `contact-${index % 50}`;
      await vault.batch([
        {
          type: 'put',
          key: `client/messages/${contact}/${index}`,
          value: new TextEncoder().encode(`{"kind":"message","index":${index},"text":"${text}"}`),
        },
        {
          type: 'put',
          key: `client/message-ids/${contact}/${index.toString(16).padStart(32, '0')}`,
          value: new TextEncoder().encode(String(index)),
        },
      ]);
      if (index % 10_000 === 9_999) await vault.flush();
    }
    await vault.flush();
    const open = vault;
    let run = 0;
    let key = '';
    const file = (): string => path.join(root, `backup-${run}`);
    const backup = await measurePair(
      () =>
        timeMs(async () => {
          run += 1;
          const result = await writeVaultBackup(open, file(), {
            passphrase: PASSPHRASE,
            protection: 'recovery-key',
          });
          key = result.recoveryKey ?? '';
        }),
      () =>
        timeMs(async () => {
          await cp(home, path.join(root, `copy-${run}`), { recursive: true });
        }),
      options.repetitions,
    );
    options.log(`backup: backup ${(backup.kindred.median / 1000).toFixed(2)} s`);
    let restoreRun = 0;
    const restore = await measurePair(
      async () => {
        restoreRun += 1;
        const target = path.join(root, `restored-${restoreRun}`);
        const ms = await timeMs(() =>
          restoreVaultBackup({
            file: file(),
            home: target,
            secret: key,
            passphrase: PASSPHRASE,
            kdf: 'insecure-fast',
          }),
        );
        await rm(target, { recursive: true, force: true });
        return ms;
      },
      async () => {
        const target = path.join(root, `recopy-${restoreRun}`);
        const ms = await timeMs(() => cp(home, target, { recursive: true }));
        await rm(target, { recursive: true, force: true });
        return ms;
      },
      options.repetitions,
    );
    options.log(`backup: restore ${(restore.kindred.median / 1000).toFixed(2)} s`);
    return [
      {
        name: `backup of a vault with ${MESSAGES.toLocaleString('en')} messages`,
        unit: 'ms',
        ...backup,
        ratio: backup.kindred.median / backup.baseline.median,
        note: 'baseline: fs.cp of the vault folder',
      },
      {
        name: `restore of a vault with ${MESSAGES.toLocaleString('en')} messages`,
        unit: 'ms',
        ...restore,
        ratio: restore.kindred.median / restore.baseline.median,
        note: 'new vault with the insecure-fast KDF; baseline: fs.cp of the vault folder',
      },
    ];
  } finally {
    await vault?.lock();
    await rm(root, { recursive: true, force: true });
  }
}
