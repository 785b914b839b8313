import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreErrorCode, detectFileKind, scrubMetadata } from '../../../core/client/index.js';
import type { ScrubResult } from '../../../core/client/index.js';
import {
  containsText,
  expectCode,
  insertPngChunks,
  pngChunk,
  pngClaiming,
} from './attachmentTestFiles.js';

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-scrub-'));
  dirs.push(dir);
  return dir;
}

const NAME = 'Jane Patient';
const MAKE = 'KindredCam';
const MODEL = 'PatientPhone 9';
const SERIAL = 'SN0042SECRET';
const GPS_DATUM = 'KINDREDDATUM';
const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>${NAME}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>`;
/** Strings a camera or editor leaves in a photo; none may survive cleaning. */
const PHOTO_SECRETS = [NAME, MAKE, MODEL, SERIAL, GPS_DATUM, 'adobe:ns:meta'];

/** A camera-like EXIF block: make, model, body serial, owner, and a GPS position. */
const CAMERA_EXIF = {
  IFD0: { Make: MAKE, Model: MODEL, Artist: NAME },
  IFD2: { BodySerialNumber: SERIAL },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '51/1 30/1 1234/100',
    GPSLongitudeRef: 'W',
    GPSLongitude: '0/1 7/1 4000/100',
    GPSMapDatum: GPS_DATUM,
  },
};

/** GPSInfo's tag (0x8825), as it sits in a big- or little-endian EXIF block. */
function hasGpsTag(exif: Uint8Array): boolean {
  const bytes = Buffer.from(exif);
  return bytes.includes(Buffer.from([0x88, 0x25])) || bytes.includes(Buffer.from([0x25, 0x88]));
}

/** A noisy picture (so it does not compress to nothing), as a sharp pipeline. */
function noise(width: number, height: number): Sharp {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });
}

async function expectNoMetadata(file: string): Promise<void> {
  const metadata = await sharp(file).metadata();
  expect(metadata.exif).toBeUndefined();
  expect(metadata.xmp).toBeUndefined();
  expect(metadata.iptc).toBeUndefined();
  expect(metadata.icc).toBeUndefined();
  expect(metadata.comments ?? []).toEqual([]);
  const bytes = await readFile(file);
  for (const secret of PHOTO_SECRETS) expect(containsText(bytes, secret), secret).toBe(false);
  expect(bytes.includes('Exif\0\0')).toBe(false);
}

function expectCleaned(result: ScrubResult, contentType: string): void {
  expect(result).toMatchObject({ status: 'cleaned', kind: 'image', contentType });
}

describe('scrubMetadata: photos', () => {
  it('removes GPS, camera make, model and serial from a JPEG, and turns it upright', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'rash.jpg');
    const output = path.join(dir, 'clean.jpg');
    // 64 wide, 48 high, with Orientation 6: the camera was held sideways, the picture is 48 × 64.
    await noise(64, 48).jpeg().withExif(CAMERA_EXIF).withMetadata({ orientation: 6 }).toFile(input);
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif !== undefined && hasGpsTag(before.exif)).toBe(true);
    const raw = await readFile(input);
    for (const secret of [MAKE, MODEL, SERIAL, NAME, GPS_DATUM])
      expect(raw.includes(secret)).toBe(true);

    const result = await scrubMetadata(input, output);
    expectCleaned(result, 'image/jpeg');
    expect(result).toMatchObject({ width: 48, height: 64 });
    await expectNoMetadata(output);
    const after = await sharp(output).metadata();
    expect(after.orientation).toBeUndefined();
    expect([after.width, after.height]).toEqual([48, 64]);
  });

  it('removes XMP and text chunks from a PNG', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'scan.png');
    const output = path.join(dir, 'clean.png');
    const png = await noise(40, 30).png().withExif(CAMERA_EXIF).withXmp(XMP).toBuffer();
    const withText = insertPngChunks(png, [
      pngChunk('tEXt', Buffer.from(`Author\0${NAME}`, 'latin1')),
      pngChunk('tEXt', Buffer.from(`Comment\0taken at home by ${NAME}`, 'latin1')),
    ]);
    await writeFile(input, withText);
    const before = await sharp(input).metadata();
    expect(before.comments?.length).toBeGreaterThan(0);
    expect(before.xmp).toBeDefined();

    expectCleaned(await scrubMetadata(input, output), 'image/png');
    await expectNoMetadata(output);
  });

  it('removes EXIF and XMP from a WebP and a comment from a GIF', async () => {
    const dir = await tempDir();
    const webp = path.join(dir, 'photo.webp');
    await noise(32, 32).webp().withExif(CAMERA_EXIF).withXmp(XMP).toFile(webp);
    expect((await readFile(webp)).includes(SERIAL)).toBe(true);
    expectCleaned(await scrubMetadata(webp, path.join(dir, 'clean.webp')), 'image/webp');
    await expectNoMetadata(path.join(dir, 'clean.webp'));

    const gif = await noise(16, 16).gif().toBuffer();
    // A comment extension (0x21 0xFE, sub-blocks, terminator) just before the trailer (0x3B).
    const comment = Buffer.from(`by ${NAME}`, 'latin1');
    const withComment = Buffer.concat([
      gif.subarray(0, gif.length - 1),
      Buffer.from([0x21, 0xfe, comment.length]),
      comment,
      Buffer.from([0x00, 0x3b]),
    ]);
    const gifPath = path.join(dir, 'anim.gif');
    await writeFile(gifPath, withComment);
    expect(withComment.includes(comment)).toBe(true);
    expectCleaned(await scrubMetadata(gifPath, path.join(dir, 'clean.gif')), 'image/gif');
    await expectNoMetadata(path.join(dir, 'clean.gif'));
  });

  it('tells the type from the bytes, not the name', async () => {
    const dir = await tempDir();
    const disguised = path.join(dir, 'notes.txt');
    await noise(20, 20).jpeg().withExif(CAMERA_EXIF).toFile(disguised);
    expectCleaned(await scrubMetadata(disguised, path.join(dir, 'clean')), 'image/jpeg');
    await expectNoMetadata(path.join(dir, 'clean'));

    const fake = path.join(dir, 'photo.jpg');
    await writeFile(fake, `plain text written by ${NAME}`);
    expect(await scrubMetadata(fake, path.join(dir, 'fake-out'))).toEqual({
      status: 'not-cleaned',
      contentType: 'application/octet-stream',
      reason: 'unknown-type',
    });
    expect((await readdir(dir)).sort()).toEqual(['clean', 'notes.txt', 'photo.jpg']);
  });
});

describe('scrubMetadata: hostile images', () => {
  it('refuses truncated and garbled images with a coded error and writes nothing', async () => {
    const dir = await tempDir();
    const whole = await noise(200, 150).jpeg().toBuffer();
    const cases: [string, Uint8Array][] = [
      ['truncated.jpg', whole.subarray(0, Math.floor(whole.length * 0.6))],
      ['header-only.jpg', whole.subarray(0, 300)],
      ['garbage.jpg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4000)])],
      ['garbage.png', Buffer.concat([pngClaiming(10, 10).subarray(0, 33), randomBytes(500)])],
    ];
    for (const [name, bytes] of cases) {
      await writeFile(path.join(dir, name), bytes);
      await expectCode(
        scrubMetadata(path.join(dir, name), path.join(dir, `${name}.out`)),
        CoreErrorCode.AttachmentUnreadable,
      );
    }
    expect((await readdir(dir)).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it('refuses a decompression bomb before decoding it', async () => {
    const dir = await tempDir();
    const bomb = path.join(dir, 'bomb.png');
    // 40,000 × 40,000 RGB: 4.8 GB of pixels claimed by a file of a few dozen bytes.
    await writeFile(bomb, pngClaiming(40_000, 40_000));
    await expectCode(
      scrubMetadata(bomb, path.join(dir, 'out.png')),
      CoreErrorCode.AttachmentTooLarge,
    );

    const real = path.join(dir, 'real.png');
    await noise(200, 200).png().toFile(real);
    await expectCode(
      scrubMetadata(real, path.join(dir, 'out.png'), { maxPixels: 10_000 }),
      CoreErrorCode.AttachmentTooLarge,
    );
    await expectCode(
      scrubMetadata(real, path.join(dir, 'out.png'), { maxBytes: 100 }),
      CoreErrorCode.AttachmentTooLarge,
    );
    expect((await readdir(dir)).sort()).toEqual(['bomb.png', 'real.png']);
  });
});

/** A PDF whose metadata names its author in every place a PDF keeps such things. */
async function pdfNamingAPerson(useObjectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([300, 200]);
  page.drawText('Lab result 42', { x: 20, y: 100, size: 12, font });
  doc.setAuthor(NAME);
  doc.setCreator(`Scanner of ${NAME}`);
  doc.setProducer(`ScanCo for ${NAME}`);
  doc.setTitle(`Results of ${NAME}`);
  doc.setSubject(`${NAME} blood count`);
  doc.setKeywords([NAME, 'haematology']);
  const { context } = doc;
  doc.catalog.set(
    PDFName.of('Metadata'),
    context.register(context.stream(XMP, { Type: 'Metadata', Subtype: 'XML' })),
  );
  const note = context.obj({
    Type: 'Annot',
    Subtype: 'Text',
    Rect: [10, 10, 30, 30],
    T: PDFString.of(NAME),
    Contents: PDFString.of('see page 2'),
  });
  page.node.set(PDFName.of('Annots'), context.obj([context.register(note)]));
  page.node.set(
    PDFName.of('PieceInfo'),
    context.obj({ Editor: { Private: PDFString.of(`edited by ${NAME}`) } }),
  );
  // What an incremental save leaves behind: an earlier information dictionary nobody refers to.
  context.register(context.obj({ Author: PDFString.of(`${NAME} (first draft)`) }));
  return doc.save({ useObjectStreams });
}

describe('scrubMetadata: documents', () => {
  it('clears a PDF of its author, XMP, annotation authors and old revisions', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'results.pdf');
    const output = path.join(dir, 'clean.pdf');
    const original = await pdfNamingAPerson();
    await writeFile(input, original);
    expect(containsText(original, NAME)).toBe(true);

    const result = await scrubMetadata(input, output);
    expect(result).toMatchObject({
      status: 'cleaned',
      kind: 'pdf',
      contentType: 'application/pdf',
    });
    const cleaned = await readFile(output);
    expect(containsText(cleaned, NAME)).toBe(false);
    expect(containsText(cleaned, 'Jane')).toBe(false);
    expect(containsText(cleaned, 'ScanCo')).toBe(false);

    const reopened = await PDFDocument.load(cleaned, { updateMetadata: false });
    expect(reopened.getAuthor()).toBeUndefined();
    expect(reopened.getCreator()).toBeUndefined();
    expect(reopened.getProducer()).toBeUndefined();
    expect(reopened.getTitle()).toBeUndefined();
    expect(reopened.catalog.has(PDFName.of('Metadata'))).toBe(false);
    // The document itself is intact: its page, its text, the comment (without its author).
    expect(reopened.getPageCount()).toBe(1);
    const annots = reopened.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray);
    const note = reopened.context.lookup(annots.get(0), PDFDict);
    expect(note.lookup(PDFName.of('Contents'), PDFString).asString()).toBe('see page 2');
    expect(note.has(PDFName.of('T'))).toBe(false);
  });

  it('clears a PDF whose metadata sits in compressed object streams', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'packed.pdf');
    const output = path.join(dir, 'clean.pdf');
    await writeFile(input, await pdfNamingAPerson(true));
    const packed = await PDFDocument.load(await readFile(input), { updateMetadata: false });
    expect(packed.getAuthor()).toBe(NAME);

    expect(await scrubMetadata(input, output)).toMatchObject({ status: 'cleaned', kind: 'pdf' });
    const cleaned = await readFile(output);
    expect(containsText(cleaned, NAME)).toBe(false);
    const reopened = await PDFDocument.load(cleaned, { updateMetadata: false });
    expect(reopened.getAuthor()).toBeUndefined();
    expect(reopened.getKeywords()).toBeUndefined();
    expect(reopened.getPageCount()).toBe(1);
  });

  it('does not clean an encrypted PDF, an office document or an unknown file, and says why', async () => {
    const dir = await tempDir();
    const plain = Buffer.from(await pdfNamingAPerson()).toString('latin1');
    const trailerAt = plain.lastIndexOf('trailer');
    const encrypted =
      plain.slice(0, trailerAt) + plain.slice(trailerAt).replace('/Root', '/Encrypt 1 0 R\n/Root');
    await writeFile(path.join(dir, 'locked.pdf'), Buffer.from(encrypted, 'latin1'));
    expect(await scrubMetadata(path.join(dir, 'locked.pdf'), path.join(dir, 'out'))).toEqual({
      status: 'not-cleaned',
      contentType: 'application/pdf',
      reason: 'encrypted-pdf',
    });

    // The first entry of a .docx: a ZIP local file header naming [Content_Types].xml.
    const entry = Buffer.from('[Content_Types].xml', 'latin1');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(entry.length, 26);
    const docx = Buffer.concat([header, entry, Buffer.from(`<dc:creator>${NAME}</dc:creator>`)]);
    await writeFile(path.join(dir, 'letter.docx'), docx);
    expect(await scrubMetadata(path.join(dir, 'letter.docx'), path.join(dir, 'out'))).toEqual({
      status: 'not-cleaned',
      contentType: 'application/vnd.openxmlformats-officedocument',
      reason: 'office-document',
    });
    expect(detectFileKind(Buffer.from('mimetypeapplication/vnd.oasis.opendocument.text'))).toEqual({
      kind: 'other',
      contentType: 'application/octet-stream',
    });
    expect((await readdir(dir)).sort()).toEqual(['letter.docx', 'locked.pdf']);
  });

  it('refuses a PDF that does not parse with a coded error and writes nothing', async () => {
    const dir = await tempDir();
    const cases: [string, Uint8Array][] = [
      ['garbage.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)])],
      ['cut.pdf', (await pdfNamingAPerson()).subarray(0, 400)],
    ];
    for (const [name, bytes] of cases) {
      await writeFile(path.join(dir, name), bytes);
      await expectCode(
        scrubMetadata(path.join(dir, name), path.join(dir, `${name}.out`)),
        CoreErrorCode.AttachmentUnreadable,
      );
    }
    expect((await readdir(dir)).sort()).toEqual(['cut.pdf', 'garbage.pdf']);
  });
});
