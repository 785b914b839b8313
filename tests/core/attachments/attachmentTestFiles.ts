import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import { CoreError } from '../../../core/index.js';
import type { CoreErrorCode } from '../../../core/index.js';

/** Awaits `promise` and checks it failed with a CoreError of `code`. */
export async function expectCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CoreError);
  expect(thrown).toMatchObject({ code });
}

/** One PNG chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * `png` with `chunks` inserted just after its IHDR chunk (8 bytes of signature, 25 of IHDR), where
 * an editor writes its text chunks and where every decoder reads them.
 */
export function insertPngChunks(png: Uint8Array, chunks: readonly Buffer[]): Buffer {
  const bytes = Buffer.from(png);
  return Buffer.concat([bytes.subarray(0, 33), ...chunks, bytes.subarray(33)]);
}

/**
 * A PNG whose header claims `width` × `height` pixels, with a few bytes of image data: what a
 * decompression bomb looks like before it is decoded.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * Every way `text` may sit in a file's bytes: ASCII/UTF-8, UTF-16 (both byte orders, as PDF text
 * strings and EXIF user comments hold it) and UTF-16BE hex (PDF hex strings, either case).
 */
export function containsText(bytes: Uint8Array, text: string): boolean {
  const buffer = Buffer.from(bytes);
  const utf16le = Buffer.from(text, 'utf16le');
  const utf16be = Buffer.from(utf16le);
  utf16be.swap16();
  const hex = utf16be.toString('hex');
  const asciiHex = Buffer.from(text, 'latin1').toString('hex');
  return (
    [Buffer.from(text, 'utf8'), utf16le, utf16be].some((form) => buffer.includes(form)) ||
    [hex, asciiHex].some((form) => {
      const lower = buffer.toString('latin1').toLowerCase();
      return lower.includes(form.toLowerCase());
    })
  );
}
