import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  MAX_PREVIEW_BYTES,
  PREVIEW_MAX_SIDE,
  PREVIEW_TARGET_BYTES,
  makePreview,
} from '../../../core/client/index.js';
import { containsText, expectCode, pngClaiming } from './attachmentTestFiles.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-preview-'));
  dirs.push(dir);
  return dir;
}

describe('makePreview', () => {
  it('makes a small, upright WebP with no metadata from a large noisy photo', async () => {
    const dir = await tempDir();
    const photo = path.join(dir, 'photo.jpg');
    // Noise is the worst case for size: it does not compress. 1600 × 1200, held sideways.
    await sharp(randomBytes(1600 * 1200 * 3), { raw: { width: 1600, height: 1200, channels: 3 } })
      .jpeg({ quality: 95 })
      .withExif({ IFD0: { Make: 'KindredCam', Artist: 'Jane Patient' } })
      .withMetadata({ orientation: 6 })
      .toFile(photo);

    const preview = await makePreview(photo);
    if (preview === undefined) throw new Error('expected a preview');
    expect(preview.contentType).toBe('image/webp');
    expect(Math.max(preview.width, preview.height)).toBeLessThanOrEqual(PREVIEW_MAX_SIDE);
    // Upright: the sideways 1600 × 1200 photo is 1200 wide and 1600 high.
    expect(preview.height).toBeGreaterThan(preview.width);
    expect(preview.bytes.length).toBeLessThanOrEqual(PREVIEW_TARGET_BYTES);
    expect(preview.bytes.length).toBeLessThanOrEqual(MAX_PREVIEW_BYTES);
    const metadata = await sharp(preview.bytes).metadata();
    expect(metadata.format).toBe('webp');
    expect([metadata.width, metadata.height]).toEqual([preview.width, preview.height]);
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(containsText(preview.bytes, 'KindredCam')).toBe(false);
    expect(containsText(preview.bytes, 'Jane Patient')).toBe(false);
  });

  it('keeps a small picture at its own size', async () => {
    const dir = await tempDir();
    const icon = path.join(dir, 'icon.png');
    await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } })
      .png()
      .toFile(icon);
    expect(await makePreview(icon)).toMatchObject({ width: 40, height: 20 });
  });

  it('makes none for files that are not images', async () => {
    const dir = await tempDir();
    const text = path.join(dir, 'notes.png');
    await writeFile(text, 'not a picture');
    expect(await makePreview(text)).toBeUndefined();
  });

  it('refuses hostile images with a coded error', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'bomb.png'), pngClaiming(50_000, 50_000));
    await expectCode(makePreview(path.join(dir, 'bomb.png')), CoreErrorCode.AttachmentTooLarge);
    const whole = await sharp(randomBytes(100 * 100 * 3), {
      raw: { width: 100, height: 100, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    await writeFile(path.join(dir, 'cut.jpg'), whole.subarray(0, whole.length / 2));
    await expectCode(makePreview(path.join(dir, 'cut.jpg')), CoreErrorCode.AttachmentUnreadable);
    expect((await readdir(dir)).sort()).toEqual(['bomb.png', 'cut.jpg']);
  });
});
