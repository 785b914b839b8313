// Attachments end to end through a real relay on 127.0.0.1 with real LevelDB and blob folders,
// real vaults and real files: 1:1 and group, a 50 MiB file and a photo with GPS EXIF, a flipped
// byte in the relay's stored blob, a download cut mid-way, and one upload for a whole group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { GroupMessage, HistoryMessage, KindredClient } from '../../core/client/index.js';
import { ATTACHMENTS_FOLDER, CoreErrorCode, toHex } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { containsText, expectCode } from '../core/attachments/attachmentTestFiles.js';
import { CuttingProxy } from './CuttingProxy.js';
import { GroupTestClients } from './groupHelpers.js';
import { TempDirs, connectPair, messagesOf, startTestRelay, waitFor } from './helpers.js';

const MIB = 1024 * 1024;
const MAKE = 'KindredCam';
const MODEL = 'Model-X9000';
const SERIAL = 'SN-4455667788';
const GPS_DATUM = 'KINDREDDATUM';
const PHOTO_SECRETS = [MAKE, MODEL, SERIAL, GPS_DATUM];

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
let clients: GroupTestClients;
let files: string;

async function photoWithGps(path: string): Promise<void> {
  await sharp(randomBytes(96 * 64 * 3), { raw: { width: 96, height: 64, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: MAKE, Model: MODEL },
      IFD2: { BodySerialNumber: SERIAL },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4000/100',
        GPSMapDatum: GPS_DATUM,
      },
    })
    .toFile(path);
}

async function digestOf(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every file of the relay's blob folder. */
async function blobFiles(): Promise<string[]> {
  try {
    return (await readdir(join(relay.dataDir, 'blobs'))).filter((name) => name.endsWith('.blob'));
  } catch {
    return [];
  }
}

/** Fails when any blob or vault attachment file holds a photo secret or `sample` of plaintext. */
async function expectNoPlaintext(folders: readonly string[], samples: readonly Buffer[]) {
  for (const folder of folders) {
    let names: string[] = [];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const bytes = await readFile(join(folder, name));
      for (const secret of PHOTO_SECRETS) expect(containsText(bytes, secret)).toBe(false);
      expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
      for (const sample of samples) expect(bytes.includes(sample)).toBe(false);
    }
  }
}

async function expectPhotoClean(path: string): Promise<void> {
  const metadata = await sharp(path).metadata();
  expect(metadata.exif).toBeUndefined();
  expect(metadata.width).toBe(96);
  const bytes = await readFile(path);
  for (const secret of PHOTO_SECRETS) expect(containsText(bytes, secret)).toBe(false);
}

async function message(
  client: KindredClient,
  contact: string,
  messageId: Uint8Array,
): Promise<HistoryMessage | undefined> {
  return messagesOf(await client.messages(contact)).find(
    (m) => toHex(m.messageId) === toHex(messageId),
  );
}

function allSettled(message: { attachments?: readonly { state: string }[] } | undefined): boolean {
  return (
    message?.attachments?.every((a) => a.state === 'downloaded' || a.state === 'failed') ?? false
  );
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  clients = new GroupTestClients(dirs, relay.url, {
    attachmentRetryMs: 500,
    attachmentMaxAttempts: 4,
  });
  files = await dirs.make('files');
}, 60_000);

afterAll(async () => {
  await clients.closeAll();
  await relay.close();
  await dirs.cleanup();
});

describe('attachments 1:1 through a real relay', () => {
  it('a 50 MiB file and a photo with GPS EXIF round-trip; the photo arrives without GPS or camera tags; neither folder holds plaintext', async () => {
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const photo = join(files, 'rash.jpg');
    await photoWithGps(photo);
    const big = join(files, 'scan.bin');
    await writeFile(big, randomBytes(50 * MIB));
    const bigBytes = await readFile(big);
    const samples = [bigBytes.subarray(0, 64), bigBytes.subarray(30 * MIB, 30 * MIB + 64)];

    const progress: number[] = [];
    ada.on('attachmentProgress', (event) => {
      if (event.direction === 'upload') progress.push(event.done);
    });
    // A file that cannot be cleaned is refused unless the sender says so, and nothing is sent.
    await expectCode(
      ada.send(ben.address, 'raw', { attachments: [big] }),
      CoreErrorCode.AttachmentNotCleaned,
    );
    expect(await blobFiles()).toEqual([]);

    const sent = await ada.send(ben.address, '', {
      attachments: [photo, big],
      sendUncleaned: true,
    });
    expect(sent.attachments?.map((a) => a.state)).toEqual(['downloaded', 'downloaded']);
    expect(sent.attachments?.[0]?.pointer.relayUrl).toBe(relay.url);
    expect(progress.length).toBeGreaterThan(2);
    await ada.flushOutbox(20_000);
    // One blob per file on the relay.
    expect((await blobFiles()).length).toBe(2);

    await waitFor(
      async () => allSettled(await message(ben, 'ada', sent.messageId)),
      120_000,
      'the downloads',
    );
    const got = await message(ben, 'ada', sent.messageId);
    expect(got?.text).toBe('');
    expect(got?.attachments?.map((a) => a.state)).toEqual(['downloaded', 'downloaded']);
    expect(got?.attachments?.[0]?.pointer.contentType).toBe('image/jpeg');
    expect(got?.attachments?.[0]?.pointer.preview?.length).toBeGreaterThan(0);

    const savedPhoto = join(files, 'saved.jpg');
    const savedBig = join(files, 'saved.bin');
    await ben.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 0, savedPhoto);
    await ben.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 1, savedBig);
    await expectPhotoClean(savedPhoto);
    expect(await digestOf(savedBig)).toBe(await digestOf(big));
    // The sender can open its own copy too.
    await ada.saveAttachment({ contact: ben.address, messageId: sent.messageId }, 0, savedPhoto);
    await expectPhotoClean(savedPhoto);
    await expectCode(
      ben.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 2, savedPhoto),
      CoreErrorCode.InvalidInput,
    );

    await expectNoPlaintext(
      [
        join(relay.dataDir, 'blobs'),
        join(clients.home(ada), ATTACHMENTS_FOLDER),
        join(clients.home(ben), ATTACHMENTS_FOLDER),
      ],
      samples,
    );
    // Fetched by its one recipient: the relay deletes both blobs.
    await waitFor(async () => (await blobFiles()).length === 0, 20_000, 'the blobs deleted');
  }, 300_000);

  it('a flipped byte in the relay’s stored blob is refused with a coded error, and the state says failed', async () => {
    const ada = await clients.add('Ada');
    const ben = await clients.add('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const photo = join(files, 'flip.jpg');
    await photoWithGps(photo);
    // Ben is offline while the blob is tampered with.
    const benHome = clients.home(ben);
    await clients.close(ben);
    const sent = await ada.send(ben.address, 'look', { attachments: [photo] });
    await ada.flushOutbox(20_000);
    const [blob] = await blobFiles();
    if (blob === undefined) throw new Error('no blob stored');
    const handle = await open(join(relay.dataDir, 'blobs', blob), 'r+');
    try {
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, 100);
      one[0] = (one[0] ?? 0) ^ 0x01;
      await handle.write(one, 0, 1, 100);
    } finally {
      await handle.close();
    }
    const reopened = await clients.reopen(ben);
    expect(clients.home(reopened)).toBe(benHome);
    const failures: string[] = [];
    reopened.on('attachment', (event) => {
      if (event.state === 'failed' && event.error !== undefined) failures.push(event.error);
    });
    await waitFor(
      async () => allSettled(await message(reopened, 'ada', sent.messageId)),
      30_000,
      'the download',
    );
    const got = await message(reopened, 'ada', sent.messageId);
    expect(got?.attachments?.[0]).toMatchObject({
      state: 'failed',
      error: CoreErrorCode.AttachmentCorrupt,
    });
    expect(failures).toEqual([CoreErrorCode.AttachmentCorrupt]);
    await expectCode(
      reopened.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 0, join(files, 'x')),
      CoreErrorCode.AttachmentNotDownloaded,
    );
    // Nothing of it kept in the vault folder.
    expect(await readdir(join(benHome, ATTACHMENTS_FOLDER))).toEqual([]);
  }, 120_000);

  it('a download cut mid-way resumes from where it stopped', async () => {
    const proxy = await CuttingProxy.start(
      { host: '127.0.0.1', port: relay.port },
      { direction: 'toClient', afterBytes: 2 * MIB, cuts: 1 },
    );
    try {
      // The sender's relay address is the forwarder, so the pointer names it.
      const viaProxy = new GroupTestClients(dirs, proxy.url, { attachmentRetryMs: 500 });
      const ada = await viaProxy.add('Ada');
      const ben = await clients.add('Ben');
      try {
        await connectPair(ada, ben, { aliasForA: 'ada' });
        const file = join(files, 'cut.bin');
        await writeFile(file, randomBytes(8 * MIB));
        const sent = await ada.send(ben.address, 'big', {
          attachments: [file],
          sendUncleaned: true,
        });
        await ada.flushOutbox(20_000);
        await waitFor(
          async () => allSettled(await message(ben, 'ada', sent.messageId)),
          60_000,
          'the download',
        );
        expect(proxy.cutsDone).toBe(1);
        const gets = proxy.requestHeads.filter((head) => head.startsWith('GET '));
        const resumedFrom = /range: bytes=(\d+)-/i.exec(gets[gets.length - 1] ?? '');
        expect(Number(resumedFrom?.[1])).toBeGreaterThan(MIB);
        const saved = join(files, 'cut.out');
        await ben.saveAttachment({ contact: 'ada', messageId: sent.messageId }, 0, saved);
        expect(await digestOf(saved)).toBe(await digestOf(file));
      } finally {
        await viaProxy.closeAll();
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('attachments in a group through a real relay', () => {
  it('a group of 20 members: one upload, one stored blob; every member gets the photo without its tags', async () => {
    const owner = await clients.add('Owner');
    const ownerGroup = await owner.createGroup({ name: 'Scans', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 30, expiresAt: Date.now() + 3_600_000 });
    const joiners = await clients.addMany(
      Array.from({ length: 19 }, (_, i) => `Member ${i + 1}`),
      5,
    );
    const groups = [ownerGroup];
    for (const client of joiners) groups.push(await client.joinGroup(link));
    await waitFor(
      async () =>
        (await Promise.all(groups.map(async (g) => (await g.members()).length))).every(
          (count) => count === 20,
        ),
      60_000,
      'every member to see every member',
    );
    const before = await blobFiles();
    const photo = join(files, 'group.jpg');
    await photoWithGps(photo);
    const uploads: number[] = [];
    owner.on('attachmentProgress', (event) => {
      if (event.direction === 'upload' && event.done === event.total) uploads.push(event.n);
    });
    const sent: GroupMessage = await ownerGroup.send('for everyone', { attachments: [photo] });
    // Wide windows: twenty clients share two cores with the rest of the suite.
    await owner.flushOutbox(90_000);
    // ONE upload and ONE stored blob for 19 readers.
    expect(uploads).toEqual([0]);
    const after = (await blobFiles()).filter((name) => !before.includes(name));
    expect(after.length).toBe(1);
    const id = toHex(sent.messageId);
    const members = groups.slice(1);
    await waitFor(
      async () =>
        (
          await Promise.all(
            members.map(async (g) =>
              allSettled((await g.messages()).find((m) => toHex(m.messageId) === id) as never),
            ),
          )
        ).every(Boolean),
      120_000,
      'every member’s download',
    );
    for (const [k, g] of members.entries()) {
      const out = join(files, `member-${k}.jpg`);
      await g.saveAttachment(id, 0, out);
      await expectPhotoClean(out);
    }
    await expectNoPlaintext([join(relay.dataDir, 'blobs')], []);
    // Fetched by all 19: the relay deletes it.
    await waitFor(
      async () => !(await blobFiles()).some((name) => after.includes(name)),
      60_000,
      'the blob deleted',
    );
  }, 400_000);
});
