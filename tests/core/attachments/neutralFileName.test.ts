// The names attachments travel under unless the sender keeps the real ones: from the detected
// type, never from the real name beyond a common extension; numbered when several share one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  neutralFileName,
  neutralFileNameOf,
  neutralFileNames,
} from '../../../core/attachments/index.js';

const made: string[] = [];

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('neutralFileName', () => {
  it('names a file by its type, keeping nothing of the real name but a common extension', () => {
    expect(neutralFileName('image/jpeg', 'Jane Patient MRI St Marys.jpg')).toBe('photo.jpg');
    expect(neutralFileName('image/png', 'Jane.png')).toBe('image.png');
    expect(neutralFileName('image/heic', 'IMG_0001.HEIC')).toBe('photo.heic');
    expect(neutralFileName('application/pdf', 'Jane Patient lab report.pdf')).toBe('document.pdf');
    expect(
      neutralFileName('application/vnd.openxmlformats-officedocument', 'Letter to Jane.docx'),
    ).toBe('document.docx');
    expect(neutralFileName('application/vnd.openxmlformats-officedocument', 'Jane.janedoe')).toBe(
      'document.bin',
    );
    expect(neutralFileName('application/octet-stream', 'Jane notes.TXT')).toBe('file.txt');
    expect(neutralFileName('application/octet-stream', 'Jane notes.jane')).toBe('file.bin');
    expect(neutralFileName('application/octet-stream', 'Jane')).toBe('file.bin');
  });

  it('numbers names shared by several files of one message, and only those', () => {
    expect(
      neutralFileNames([
        { contentType: 'image/jpeg', realName: 'a.jpg' },
        { contentType: 'application/pdf', realName: 'b.pdf' },
        { contentType: 'image/jpeg', realName: 'c.jpeg' },
        { contentType: 'application/octet-stream', realName: 'd' },
      ]),
    ).toEqual(['photo-1.jpg', 'document.pdf', 'photo-2.jpg', 'file.bin']);
  });

  it('tells from a file’s bytes the name it will go under once cleaned', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kindred-names-'));
    made.push(dir);
    const raw = { raw: { width: 8, height: 8, channels: 3 as const } };
    const tiff = path.join(dir, 'Jane scan.jpg');
    await sharp(randomBytes(8 * 8 * 3), raw)
      .tiff()
      .toFile(tiff);
    // A TIFF is re-encoded as PNG, whatever its name says.
    expect(await neutralFileNameOf(tiff, 'Jane scan.jpg')).toBe('image.png');
    const jpeg = path.join(dir, 'x');
    await sharp(randomBytes(8 * 8 * 3), raw)
      .jpeg()
      .toFile(jpeg);
    expect(await neutralFileNameOf(jpeg, 'Jane.png')).toBe('photo.jpg');
    const other = path.join(dir, 'y');
    await writeFile(other, randomBytes(100));
    expect(await neutralFileNameOf(other, 'Jane Patient.csv')).toBe('file.csv');
  });
});
