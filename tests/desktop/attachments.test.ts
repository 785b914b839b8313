// The window's attachment calls against real vaults and a real relay: staging files in chunks
// (and every way a chunk can be wrong), sending them, reading a received one back, and the
// private temporary folder left empty after send, cancel, refusal and lock.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode, MAX_ATTACHMENTS } from '../../core/client/index.js';
import type { RunningDevHost } from '../../desktop/devhost/devHost.main.js';
import { startDevHost } from '../../desktop/devhost/devHost.main.js';
import { WINDOW_FILES_FOLDER, safeFileName } from '../../desktop/main/AttachmentStaging.main.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { AppEvent, ConversationId, MessageView } from '../../desktop/shared/api.std.js';
import {
  DesktopErrorCode,
  MAX_ATTACHMENTS_PER_MESSAGE,
  STAGE_CHUNK_BYTES,
} from '../../desktop/shared/api.std.js';
import { BRIDGE_PATH } from '../../desktop/shared/devHostProtocol.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import {
  BridgeClient,
  CallFailed,
  EventLog,
  PASSPHRASE,
  call,
  callError,
  newService,
} from './desktopHelpers.js';

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
let ada: DesktopService;
let ben: DesktopService;
let adaHome: string;
let benHome: string;
let adaEvents: EventLog;
let benEvents: EventLog;
let adaSide: ConversationId;
let benSide: ConversationId;

const GPS_DATUM = 'KINDREDDATUM';

async function photoWithGps(): Promise<Buffer> {
  return sharp(randomBytes(120 * 80 * 3), { raw: { width: 120, height: 80, channels: 3 } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'KindredCam', Model: 'Model-X9000' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4000/100',
        GPSMapDatum: GPS_DATUM,
      },
    })
    .toBuffer();
}

/** The neutral name the last staged file goes under (attachments.stageFinish). */
let lastNeutralName: string | undefined;

/** Stages `bytes` the way the window does: begin, chunks in order, finish. */
async function stage(service: DesktopService, name: string, bytes: Uint8Array): Promise<string> {
  const { stagingId } = await call(service, 'attachments.stageBegin', {
    name,
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += STAGE_CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + STAGE_CHUNK_BYTES);
    const { received } = await call(service, 'attachments.stageChunk', {
      stagingId,
      offset,
      data: Buffer.from(chunk).toString('base64'),
    });
    expect(received).toBe(offset + chunk.length);
  }
  const finished = await call(service, 'attachments.stageFinish', { stagingId });
  expect(finished).toMatchObject({ stagingId, size: bytes.length });
  lastNeutralName = finished.neutralName;
  return stagingId;
}

/** Every file left under a vault's window-files folder (none, when all is cleaned up). */
async function windowFiles(home: string): Promise<string[]> {
  const root = path.join(home, WINDOW_FILES_FOLDER);
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

async function codeOf(service: DesktopService, method: string, args: unknown): Promise<string> {
  return (await callError(service, { method, args })).code;
}

async function readAll(
  service: DesktopService,
  conversationId: ConversationId,
  messageId: string,
  index: number,
): Promise<Buffer> {
  const opened = await call(service, 'attachments.open', { conversationId, messageId, index });
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const { data, done } = await call(service, 'attachments.read', {
      fileId: opened.fileId,
      offset,
    });
    const bytes = Buffer.from(data, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (done) break;
  }
  const all = Buffer.concat(parts);
  expect(all.length).toBe(opened.size);
  return all;
}

async function messageWith(
  service: DesktopService,
  conversationId: ConversationId,
  id: string,
  ready: (message: MessageView) => boolean,
): Promise<MessageView> {
  let found: MessageView | undefined;
  await waitFor(
    async () => {
      const messages = await call(service, 'conversations.messages', { conversationId });
      found = messages.find((message) => message.id === id);
      return found !== undefined && ready(found);
    },
    30_000,
    `message ${id}`,
  );
  if (found === undefined) throw new Error('no message');
  return found;
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  adaHome = await dirs.make('desk-attach-ada');
  benHome = await dirs.make('desk-attach-ben');
  ada = await newService(dirs, relay.url, { home: adaHome });
  ben = await newService(dirs, relay.url, { home: benHome });
  adaEvents = new EventLog(ada);
  benEvents = new EventLog(ben);
  for (const [service, pseudonym] of [
    [ada, 'Ada'],
    [ben, 'Ben'],
  ] as const) {
    await call(service, 'app.create', { pseudonym, passphrase: PASSPHRASE, relayUrl: relay.url });
  }
  const invite = await call(ada, 'contacts.createInvite', { maxUses: 1, expiresInHours: 24 });
  benSide = (await call(ben, 'contacts.add', { link: invite.link, alias: 'ada' })).conversationId;
  await waitFor(
    async () => (await call(ada, 'contacts.list', {})).length === 1,
    20_000,
    'ada sees ben',
  );
  adaSide = (await call(ada, 'contacts.list', {}))[0]?.conversationId ?? '';
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([ada.close(), ben.close()]);
  await relay.close();
  await dirs.cleanup();
});

describe('staging files from the window', () => {
  it('a file staged in chunks lands whole in a private folder under the vault home', async () => {
    const bytes = randomBytes(STAGE_CHUNK_BYTES * 2 + 123);
    const stagingId = await stage(ben, 'lab results.pdf', bytes);
    const folder = path.join(benHome, WINDOW_FILES_FOLDER, 'staged', stagingId);
    const file = path.join(folder, 'lab results.pdf');
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await call(ben, 'attachments.stageCancel', { stagingId });
    expect(await windowFiles(benHome)).toEqual([]);
  });

  it('chunks sent without waiting for each answer (as the window pipelines them) land in order', async () => {
    const bytes = randomBytes(STAGE_CHUNK_BYTES * 6 + 7);
    const { stagingId } = await call(ben, 'attachments.stageBegin', {
      name: 'piped.bin',
      size: bytes.length,
    });
    const calls: Promise<{ received: number }>[] = [];
    for (let offset = 0; offset < bytes.length; offset += STAGE_CHUNK_BYTES) {
      calls.push(
        call(ben, 'attachments.stageChunk', {
          stagingId,
          offset,
          data: Buffer.from(bytes.subarray(offset, offset + STAGE_CHUNK_BYTES)).toString('base64'),
        }),
      );
    }
    expect((await Promise.all(calls)).at(-1)).toEqual({ received: bytes.length });
    await call(ben, 'attachments.stageFinish', { stagingId });
    const file = path.join(benHome, WINDOW_FILES_FOLDER, 'staged', stagingId, 'piped.bin');
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
    await call(ben, 'attachments.stageCancel', { stagingId });
    expect(await windowFiles(benHome)).toEqual([]);
  });

  it('bad chunks, wrong order, too large, too many and unknown ids are coded errors that leave no file', async () => {
    const begin = async (size: number) =>
      (await call(ben, 'attachments.stageBegin', { name: 'x.bin', size })).stagingId;
    const chunk = (stagingId: string, offset: number, bytes: Uint8Array) =>
      codeOf(ben, 'attachments.stageChunk', {
        stagingId,
        offset,
        data: Buffer.from(bytes).toString('base64'),
      });

    // Not base64, or more than one chunk's worth: refused by the schema.
    const first = await begin(100);
    expect(
      await codeOf(ben, 'attachments.stageChunk', { stagingId: first, offset: 0, data: '!!!!' }),
    ).toBe(DesktopErrorCode.InvalidArgs);
    expect(await chunk(first, 0, randomBytes(STAGE_CHUNK_BYTES + 3))).toBe(
      DesktopErrorCode.InvalidArgs,
    );
    // A gap: the file goes whole, and the id with it.
    expect(await chunk(first, 10, randomBytes(10))).toBe(DesktopErrorCode.FileOutOfOrder);
    expect(await chunk(first, 0, randomBytes(10))).toBe(DesktopErrorCode.NoSuchFile);

    // A repeat of the same offset.
    const second = await begin(100);
    await call(ben, 'attachments.stageChunk', {
      stagingId: second,
      offset: 0,
      data: Buffer.from(randomBytes(50)).toString('base64'),
    });
    expect(await chunk(second, 0, randomBytes(50))).toBe(DesktopErrorCode.FileOutOfOrder);

    // More bytes than announced; a finish before every byte came; a chunk after finish.
    const third = await begin(10);
    expect(await chunk(third, 0, randomBytes(11))).toBe(DesktopErrorCode.FileOutOfOrder);
    const fourth = await begin(10);
    await call(ben, 'attachments.stageChunk', {
      stagingId: fourth,
      offset: 0,
      data: Buffer.from(randomBytes(5)).toString('base64'),
    });
    expect(await codeOf(ben, 'attachments.stageFinish', { stagingId: fourth })).toBe(
      DesktopErrorCode.FileOutOfOrder,
    );
    const fifth = await stage(ben, 'done.bin', randomBytes(8));
    expect(await chunk(fifth, 8, randomBytes(1))).toBe(DesktopErrorCode.FileOutOfOrder);

    // Too large for the relay's default limit; unknown ids everywhere.
    expect(
      await codeOf(ben, 'attachments.stageBegin', { name: 'big.bin', size: 100 * 1024 * 1024 + 1 }),
    ).toBe(CoreErrorCode.AttachmentTooLarge);
    const unknown = randomBytes(16).toString('hex');
    expect(await chunk(unknown, 0, randomBytes(4))).toBe(DesktopErrorCode.NoSuchFile);
    expect(await codeOf(ben, 'attachments.stageFinish', { stagingId: unknown })).toBe(
      DesktopErrorCode.NoSuchFile,
    );
    expect(await codeOf(ben, 'attachments.stageCancel', { stagingId: unknown })).toBe(
      DesktopErrorCode.NoSuchFile,
    );
    expect(await codeOf(ben, 'attachments.stageCancel', { stagingId: 'not-an-id' })).toBe(
      DesktopErrorCode.InvalidArgs,
    );
    expect(await windowFiles(benHome)).toEqual([]);

    // One message's worth at once.
    const many: string[] = [];
    for (let n = 0; n < MAX_ATTACHMENTS_PER_MESSAGE; n++) many.push(await begin(1));
    expect(await codeOf(ben, 'attachments.stageBegin', { name: 'one-more', size: 1 })).toBe(
      DesktopErrorCode.TooManyFiles,
    );
    for (const stagingId of many) await call(ben, 'attachments.stageCancel', { stagingId });
    expect(await windowFiles(benHome)).toEqual([]);
  });

  it('names are made safe for any file system, and the window’s limits match core’s', () => {
    expect(MAX_ATTACHMENTS_PER_MESSAGE).toBe(MAX_ATTACHMENTS);
    expect(safeFileName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeFileName('a:b*c?.txt')).toBe('a_b_c_.txt');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('  ')).toBe('file');
    expect(safeFileName('tab\there.png')).toBe('tab_here.png');
    expect(Buffer.byteLength(safeFileName('é'.repeat(300)))).toBeLessThanOrEqual(200);
  });

  it('a full chunk fits the dev host’s message limit', async () => {
    const renderer = await dirs.make('desk-attach-renderer');
    await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>');
    const host: RunningDevHost = await startDevHost({ service: ben, rendererDir: renderer });
    const client = await BridgeClient.open(
      `ws://127.0.0.1:${host.port}${BRIDGE_PATH}`,
      host.origin,
    );
    try {
      client.hello(host.token);
      const { stagingId } = await client.call('attachments.stageBegin', {
        name: 'full.bin',
        size: STAGE_CHUNK_BYTES,
      });
      const data = Buffer.from(randomBytes(STAGE_CHUNK_BYTES)).toString('base64');
      expect(await client.call('attachments.stageChunk', { stagingId, offset: 0, data })).toEqual({
        received: STAGE_CHUNK_BYTES,
      });
      await client.call('attachments.stageCancel', { stagingId });
    } finally {
      client.close();
      await host.close();
    }
  });
});

describe('sending, opening and saving', () => {
  let photoMessage: string;
  const photoBytes = photoWithGps();

  it('a staged photo is sent and its staged copy removed; the receiver sees its preview and reads it without GPS', async () => {
    const photo = await photoBytes;
    // A real name that names the patient: by default it does not travel.
    const stagingId = await stage(ben, 'Jane Patient rash.jpg', photo);
    expect(lastNeutralName).toBe('photo.jpg');
    const sent = await call(ben, 'conversations.send', {
      conversationId: benSide,
      text: '',
      attachments: [stagingId],
    });
    photoMessage = sent.id;
    expect(sent.text).toBe('');
    expect(sent.attachments).toMatchObject([
      { index: 0, name: 'photo.jpg', contentType: 'image/jpeg', state: 'downloaded' },
    ]);
    expect(await windowFiles(benHome)).toEqual([]);
    // The staged id is gone with it.
    expect(
      await codeOf(ben, 'conversations.send', {
        conversationId: benSide,
        text: 'again',
        attachments: [stagingId],
      }),
    ).toBe(DesktopErrorCode.NoSuchFile);

    const received = await messageWith(
      ada,
      adaSide,
      photoMessage,
      (message) => message.attachments?.[0]?.state === 'downloaded',
    );
    const view = received.attachments?.[0];
    expect(view).toMatchObject({ name: 'photo.jpg', width: 120, height: 80 });
    expect(view?.preview).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/u);
    await adaEvents.waitFor(
      'download progress',
      (event) =>
        event.type === 'transfer' &&
        event.direction === 'download' &&
        event.messageId === photoMessage &&
        event.done === event.total,
    );

    const bytes = await readAll(ada, adaSide, photoMessage, 0);
    const metadata = await sharp(bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 120, height: 80 });
    expect(metadata.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from(GPS_DATUM))).toBe(false);
    // Read to the end: the decrypted temporary file is gone.
    expect(await windowFiles(adaHome)).toEqual([]);
  });

  it('opened files are private and go on close; unknown ones and bad indexes are coded', async () => {
    const opened = await call(ada, 'attachments.open', {
      conversationId: adaSide,
      messageId: photoMessage,
      index: 0,
    });
    const file = path.join(adaHome, WINDOW_FILES_FOLDER, 'opened', opened.fileId);
    expect((await stat(file)).size).toBe(opened.size);
    await call(ada, 'attachments.close', { fileId: opened.fileId });
    expect(await windowFiles(adaHome)).toEqual([]);
    expect(await codeOf(ada, 'attachments.read', { fileId: opened.fileId, offset: 0 })).toBe(
      DesktopErrorCode.NoSuchFile,
    );
    expect(
      await codeOf(ada, 'attachments.open', {
        conversationId: adaSide,
        messageId: photoMessage,
        index: 1,
      }),
    ).toBe(DesktopErrorCode.NoSuchFile);
    expect(
      await codeOf(ada, 'attachments.open', {
        conversationId: adaSide,
        messageId: randomBytes(16).toString('hex'),
        index: 0,
      }),
    ).toBe(DesktopErrorCode.NoSuchFile);
    // The dev host has no save dialog.
    expect(
      await codeOf(ada, 'attachments.saveAs', {
        conversationId: adaSide,
        messageId: photoMessage,
        index: 0,
      }),
    ).toBe(DesktopErrorCode.NotAvailable);
  });

  it('upload progress comes as throttled transfer events, the last one always', async () => {
    const since = benEvents.events.length;
    const stagingId = await stage(ben, 'scan.bin', randomBytes(3 * 1024 * 1024));
    const sent = await call(ben, 'conversations.send', {
      conversationId: benSide,
      text: 'the scan',
      attachments: [stagingId],
      sendUncleaned: true,
    });
    const uploads = benEvents.events
      .slice(since)
      .filter(
        (event): event is Extract<AppEvent, { type: 'transfer' }> =>
          event.type === 'transfer' && event.direction === 'upload',
      );
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.every((event) => event.messageId === sent.id)).toBe(true);
    const last = uploads.at(-1);
    expect(last?.done).toBe(last?.total);
    // At most ~10 a second: the count is bounded by the time the upload took.
    expect(uploads.length).toBeLessThanOrEqual(
      2 + Math.ceil((Date.now() - (sent.sentAt - 1000)) / 100),
    );
  });

  it('a file that cannot be cleaned is refused until the sender chooses; it stays staged meanwhile; keepFileNames sends its name', async () => {
    const notes = randomBytes(5000);
    const stagingId = await stage(ben, 'my notes.dat', notes);
    expect(lastNeutralName).toBe('file.bin');
    expect(
      await codeOf(ben, 'conversations.send', {
        conversationId: benSide,
        text: 'my notes',
        attachments: [stagingId],
      }),
    ).toBe(CoreErrorCode.AttachmentNotCleaned);
    expect(await windowFiles(benHome)).toEqual(['my notes.dat']);
    const sent = await call(ben, 'conversations.send', {
      conversationId: benSide,
      text: 'my notes',
      attachments: [stagingId],
      sendUncleaned: true,
      keepFileNames: true,
    });
    expect(sent.attachments?.[0]).toMatchObject({ name: 'my notes.dat', size: notes.length });
    expect(await windowFiles(benHome)).toEqual([]);
    await messageWith(
      ada,
      adaSide,
      sent.id,
      (message) => message.attachments?.[0]?.state === 'downloaded',
    );
    expect(Buffer.compare(await readAll(ada, adaSide, sent.id, 0), notes)).toBe(0);
  });

  it('a download that failed (a flipped byte on the relay) is tried again on request', async () => {
    await call(ada, 'app.lock', {});
    const stagingId = await stage(ben, 'flip.jpg', await photoBytes);
    const sent = await call(ben, 'conversations.send', {
      conversationId: benSide,
      text: 'retry me',
      attachments: [stagingId],
    });
    await messageWith(ben, benSide, sent.id, (message) =>
      // The relay has it (Ada's receipt may already have made it `delivered`).
      ['sent', 'delivered'].includes(message.delivery),
    );
    const blobs = (await readdir(path.join(relay.dataDir, 'blobs'))).filter((name) =>
      name.endsWith('.blob'),
    );
    expect(blobs).toHaveLength(1);
    const handle = await open(path.join(relay.dataDir, 'blobs', blobs[0] ?? ''), 'r+');
    try {
      const one = Buffer.alloc(1);
      await handle.read(one, 0, 1, 100);
      one[0] = (one[0] ?? 0) ^ 0x01;
      await handle.write(one, 0, 1, 100);
    } finally {
      await handle.close();
    }
    await call(ada, 'app.unlock', { passphrase: PASSPHRASE });
    const failed = await messageWith(
      ada,
      adaSide,
      sent.id,
      (message) => message.attachments?.[0]?.state === 'failed',
    );
    expect(failed.attachments?.[0]?.error).toBe(CoreErrorCode.AttachmentCorrupt);

    // Try again: the attachment is downloaded once more; the relay deleted its blob after the
    // one fetch it was granted, so this time it fails for that reason, not the old one.
    await call(ada, 'attachments.retry', { conversationId: adaSide, messageId: sent.id });
    const again = await messageWith(
      ada,
      adaSide,
      sent.id,
      (message) =>
        message.attachments?.[0]?.state === 'failed' &&
        message.attachments[0].error !== CoreErrorCode.AttachmentCorrupt,
    );
    expect(again.attachments?.[0]?.error).toBe(CoreErrorCode.BlobNotFound);
    expect(
      await codeOf(ada, 'attachments.retry', {
        conversationId: adaSide,
        messageId: randomBytes(16).toString('hex'),
      }),
    ).toBe(CoreErrorCode.MessageNotFound);
  });

  it('a message is text or files: neither is refused', async () => {
    expect(await codeOf(ben, 'conversations.send', { conversationId: benSide, text: '  ' })).toBe(
      DesktopErrorCode.InvalidArgs,
    );
  });

  it('lock removes staged and opened files; an unlock sweeps what a crash left', async () => {
    const stagingId = await stage(ben, 'left.bin', randomBytes(100));
    expect(stagingId).toMatch(/^[0-9a-f]{32}$/u);
    await call(ada, 'attachments.open', {
      conversationId: adaSide,
      messageId: photoMessage,
      index: 0,
    });
    expect(await windowFiles(benHome)).toEqual(['left.bin']);
    expect((await windowFiles(adaHome)).length).toBe(1);
    await call(ben, 'app.lock', {});
    await call(ada, 'app.lock', {});
    expect(await windowFiles(benHome)).toEqual([]);
    expect(await windowFiles(adaHome)).toEqual([]);

    // A crash leaves files behind; the next unlock removes them before anything else.
    const leftover = path.join(benHome, WINDOW_FILES_FOLDER, 'staged', 'abc');
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'crash.bin'), 'left by a crash');
    await call(ben, 'app.unlock', { passphrase: PASSPHRASE });
    expect(await windowFiles(benHome)).toEqual([]);
    expect(
      await codeOf(ben, 'attachments.stageFinish', { stagingId }).catch((error: unknown) =>
        error instanceof CallFailed ? error.error.code : 'unexpected',
      ),
    ).toBe(DesktopErrorCode.NoSuchFile);
    await call(ada, 'app.unlock', { passphrase: PASSPHRASE });
  });
});
