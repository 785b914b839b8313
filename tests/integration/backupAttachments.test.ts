// Downloaded attachments go into the backup (still encrypted) and come back with a restore; an
// attachment whose file is missing anyway says so and saving it gives a coded error. Real relay,
// real vault folders, real files.
import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryMessage, KindredClient } from '../../core/client/index.js';
import {
  ATTACHMENTS_FOLDER,
  KindredClient as Client,
  CoreErrorCode,
  restoreVaultBackup,
  toHex,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { expectCode } from '../core/attachments/attachmentTestFiles.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
const NEW_PASSPHRASE = 'restored with its files';
let relay: RunningRelay;
const open: KindredClient[] = [];

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(open.map((client) => client.close()));
  await relay.close();
  await dirs.cleanup();
});

async function find(
  client: KindredClient,
  contact: string,
  messageId: Uint8Array,
): Promise<HistoryMessage | undefined> {
  return messagesOf(await client.messages(contact)).find(
    (m) => toHex(m.messageId) === toHex(messageId),
  );
}

describe('attachments in a backup', { timeout: 240_000 }, () => {
  it('restores downloaded files, encrypted in the backup, and says when one is missing', async () => {
    const root = await dirs.make('backup-attachments');
    const aliceHome = await dirs.make('backup-attachments-alice');
    const alice = await newClient(dirs, relay.url, 'Alice A', { home: aliceHome });
    const bob = await newClient(dirs, relay.url, 'Bob A');
    open.push(alice, bob);
    await Promise.all([alice.start({ receive: true }), bob.start({ receive: true })]);
    await connectPair(alice, bob);
    // Two files of several backup chunks each (a chunk holds 64 KiB).
    const lab = path.join(root, 'lab.bin');
    const scan = path.join(root, 'scan.bin');
    await writeFile(lab, randomBytes(200 * 1024));
    await writeFile(scan, randomBytes(70 * 1024));
    const sent = await bob.send(alice.address, 'my results', {
      attachments: [lab, scan],
      sendUncleaned: true,
    });
    await bob.flushOutbox(20_000);
    await waitFor(
      async () =>
        (await find(alice, bob.address, sent.messageId))?.attachments?.every(
          (a) => a.state === 'downloaded',
        ) ?? false,
      30_000,
      'alice to download both files',
    );

    const file = path.join(root, 'alice.backup');
    const result = await alice.backup(file, { passphrase: PASSPHRASE, protection: 'recovery-key' });
    expect(result.files).toBe(2);
    // The ciphertexts as stored are not in the file as they are: the stream seals them again.
    const backupBytes = await readFile(file);
    const stored = await readdir(path.join(aliceHome, ATTACHMENTS_FOLDER));
    expect(stored).toHaveLength(2);
    for (const name of stored) {
      const bytes = await readFile(path.join(aliceHome, ATTACHMENTS_FOLDER, name));
      expect(backupBytes.includes(bytes.subarray(1000, 1064))).toBe(false);
    }
    expect(backupBytes.includes((await readFile(lab)).subarray(1000, 1064))).toBe(false);

    // The old computer is gone.
    open.splice(open.indexOf(alice), 1);
    await alice.close();
    const home = path.join(await dirs.make('backup-attachments-home'), 'alice');
    await restoreVaultBackup({
      file,
      home,
      secret: result.recoveryKey ?? '',
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    const restored = await Client.open({
      home,
      passphrase: NEW_PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    open.push(restored);
    const ref = { contact: bob.address, messageId: sent.messageId };
    const out = path.join(root, 'lab-restored.bin');
    await restored.saveAttachment(ref, 0, out);
    expect((await readFile(out)).equals(await readFile(lab))).toBe(true);

    // A file gone anyway (deleted by hand): saving says so with a code, and the state too.
    const message = await find(restored, bob.address, sent.messageId);
    const [first, second] = message?.attachments ?? [];
    expect(first?.state).toBe('downloaded');
    await rm(path.join(home, ATTACHMENTS_FOLDER, first?.file ?? 'none'));
    await expectCode(
      restored.saveAttachment(ref, 0, path.join(root, 'x')),
      CoreErrorCode.AttachmentNotDownloaded,
    );
    const after = await find(restored, bob.address, sent.messageId);
    expect(after?.attachments?.[0]).toMatchObject({
      state: 'failed',
      error: CoreErrorCode.AttachmentNotDownloaded,
    });
    // The other, gone too, is found at the next start, before anyone tries to save it.
    expect(after?.attachments?.[1]?.state).toBe('downloaded');
    await rm(path.join(home, ATTACHMENTS_FOLDER, second?.file ?? 'none'));
    await restored.start({ receive: true });
    await waitFor(
      async () =>
        (await find(restored, bob.address, sent.messageId))?.attachments?.[1]?.state === 'failed',
      20_000,
      'the missing file to be noticed',
    );
    await expectCode(
      restored.saveAttachment(ref, 1, path.join(root, 'y')),
      CoreErrorCode.AttachmentNotDownloaded,
    );
  });
});
