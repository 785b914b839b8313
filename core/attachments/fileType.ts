import { open } from 'node:fs/promises';

/**
 * What a file is, told from its first bytes (magic numbers), never from its name: a photo renamed
 * `notes.txt` is still cleaned as a photo, and a file named `.jpg` that is not one is not trusted.
 */
export type FileKind =
  | { readonly kind: 'image'; readonly format: ImageFormat; readonly contentType: string }
  | { readonly kind: 'pdf'; readonly contentType: 'application/pdf' }
  /** A ZIP-based office document (docx, xlsx, pptx, odt, ods, odp, epub …): metadata we do not clean. */
  | { readonly kind: 'office'; readonly contentType: string }
  | { readonly kind: 'other'; readonly contentType: 'application/octet-stream' };

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif' | 'avif' | 'tiff';

/** Bytes read to tell a file's kind: enough for every signature below, including ZIP's first entry. */
export const SNIFF_BYTES = 4096;

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((value, index) => bytes[offset + index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** ISO-BMFF (`....ftypBRAND`): HEIC and AVIF photos. */
function isoImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const brand = ascii(bytes, 8, 12);
  if (AVIF_BRANDS.has(brand)) return 'avif';
  if (HEIF_BRANDS.has(brand)) return 'heif';
  return undefined;
}

const IMAGE_CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heif: 'image/heic',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return 'webp';
  }
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    return 'gif';
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'tiff';
  }
  return isoImageFormat(bytes);
}

/** Office formats are ZIP files whose first entries name them (`[Content_Types].xml`, `mimetype`). */
const OFFICE_MARKERS: readonly (readonly [string, string])[] = [
  ['[Content_Types].xml', 'application/vnd.openxmlformats-officedocument'],
  ['mimetypeapplication/vnd.oasis.opendocument', 'application/vnd.oasis.opendocument'],
  ['mimetypeapplication/epub+zip', 'application/epub+zip'],
];

export function detectFileKind(head: Uint8Array): FileKind {
  const format = imageFormat(head);
  if (format !== undefined) {
    return { kind: 'image', format, contentType: IMAGE_CONTENT_TYPES[format] };
  }
  // PDF readers accept the signature anywhere in the first KiB; so do we, or a few junk bytes
  // in front would let a PDF through uncleaned.
  if (ascii(head, 0, Math.min(head.length, 1024)).includes('%PDF-')) {
    return { kind: 'pdf', contentType: 'application/pdf' };
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const text = ascii(head, 0, head.length);
    for (const [marker, contentType] of OFFICE_MARKERS) {
      if (text.includes(marker)) return { kind: 'office', contentType };
    }
  }
  return { kind: 'other', contentType: 'application/octet-stream' };
}

/** Reads the first bytes of the file at `path` and tells its kind. */
export async function detectFileKindOf(path: string): Promise<FileKind> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return detectFileKind(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
