import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeAttachmentPointer,
  decryptAttachment,
  encodeAttachmentPointer,
  encryptAttachment,
  makePreview,
  scrubMetadata,
} from '../../../core/client/index.js';
import { containsText } from './attachmentTestFiles.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('attachment flow on the device', () => {
  it('sends a GPS-tagged photo: the receiver opens an upright photo with no GPS or camera tags', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'kindred-attach-flow-'));
    dirs.push(root);
    const sender = path.join(root, 'sender');
    const relay = path.join(root, 'relay');
    const receiver = path.join(root, 'receiver');
    await Promise.all([sender, relay, receiver].map((dir) => mkdir(dir)));

    // The sender's camera photo: 96 × 64 stored, Orientation 6 (upright it is 64 × 96).
    const photo = path.join(sender, 'IMG_0042.jpg');
    await sharp(randomBytes(96 * 64 * 3), { raw: { width: 96, height: 64, channels: 3 } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'KindredCam', Model: 'PatientPhone 9' },
        IFD2: { BodySerialNumber: 'SN0042SECRET' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSMapDatum: 'KINDREDDATUM' },
      })
      .withMetadata({ orientation: 6 })
      .toFile(photo);

    const cleaned = path.join(sender, 'cleaned');
    const scrub = await scrubMetadata(photo, cleaned);
    if (scrub.status !== 'cleaned') throw new Error('expected the photo to be cleaned');
    const preview = await makePreview(cleaned);
    const blob = path.join(relay, 'blob');
    const encrypted = await encryptAttachment(cleaned, blob);
    const pointerBytes = encodeAttachmentPointer({
      blobId: randomBytes(16),
      key: encrypted.key,
      digest: encrypted.digest,
      size: encrypted.size,
      contentType: scrub.contentType,
      ...(preview === undefined ? {} : { preview: preview.bytes }),
      ...(scrub.width === undefined || scrub.height === undefined
        ? {}
        : { width: scrub.width, height: scrub.height }),
    });

    // What the relay holds: no EXIF, no camera strings.
    const stored = await readFile(blob);
    for (const secret of ['KindredCam', 'PatientPhone', 'SN0042SECRET', 'KINDREDDATUM', 'Exif']) {
      expect(containsText(stored, secret), secret).toBe(false);
    }

    const pointer = decodeAttachmentPointer(pointerBytes);
    const opened = path.join(receiver, 'photo.jpg');
    await decryptAttachment(blob, opened, pointer);
    const metadata = await sharp(opened).metadata();
    expect(metadata.format).toBe('jpeg');
    expect([metadata.width, metadata.height]).toEqual([64, 96]);
    expect([pointer.width, pointer.height]).toEqual([64, 96]);
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    const bytes = await readFile(opened);
    for (const secret of ['KindredCam', 'PatientPhone', 'SN0042SECRET', 'KINDREDDATUM']) {
      expect(containsText(bytes, secret), secret).toBe(false);
    }
    expect(pointer.preview).toBeDefined();
    expect(await readdir(receiver)).toEqual(['photo.jpg']);
  });
});
