import { extname } from 'node:path';
import type { ImageFormat } from './fileType.js';
import { detectFileKindOf } from './fileType.js';

/**
 * The names a message's attachments travel under unless the sender chooses to send the real ones
 * (`keepFileNames`): a file's name often says whose it is ("Jane Patient MRI St Marys.jpg"), and a
 * pseudonymous group must not learn it. The name comes from the detected content type; the real
 * name's extension is kept only when it is a common one (it tells the receiver's system how to
 * open the file and nothing about the sender). Several files of one kind are numbered
 * (`photo-1.jpg`, `photo-2.jpg`). docs/attachments.md.
 */
export function neutralFileNames(
  files: readonly { readonly contentType: string; readonly realName: string }[],
): string[] {
  const names = files.map(({ contentType, realName }) => neutralFileName(contentType, realName));
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return names.map((name) => {
    if ((counts.get(name) ?? 0) < 2) return name;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const dot = name.lastIndexOf('.');
    return `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
  });
}

const BY_CONTENT_TYPE: Readonly<Record<string, string>> = {
  'image/jpeg': 'photo.jpg',
  'image/heic': 'photo.heic',
  'image/avif': 'photo.avif',
  'image/png': 'image.png',
  'image/webp': 'image.webp',
  'image/gif': 'image.gif',
  'image/tiff': 'image.tiff',
  'application/pdf': 'document.pdf',
};

/** Extensions kept from the real name for a type we cannot tell apart by its bytes. */
const OFFICE_EXTENSIONS = new Set(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub']);
const OTHER_EXTENSIONS = new Set([
  'txt',
  'csv',
  'md',
  'rtf',
  'json',
  'xml',
  'html',
  'zip',
  'doc',
  'xls',
  'ppt',
  'mp3',
  'm4a',
  'wav',
  'ogg',
  'mp4',
  'mov',
  'webm',
]);

/** One file's neutral name (before numbering). */
export function neutralFileName(contentType: string, realName: string): string {
  const known = BY_CONTENT_TYPE[contentType];
  if (known !== undefined) return known;
  const extension = extname(realName).slice(1).toLowerCase();
  if (contentType === 'application/octet-stream') {
    return OTHER_EXTENSIONS.has(extension) ? `file.${extension}` : 'file.bin';
  }
  // Office documents (ZIP-based) and anything else: a document, under its own common extension.
  if (OFFICE_EXTENSIONS.has(extension)) return `document.${extension}`;
  return contentType.startsWith('image/') ? 'image.bin' : 'document.bin';
}

/**
 * The content type a file will travel under once cleaned, from its first bytes: images are
 * re-encoded (AVIF as JPEG, TIFF as PNG; HEIC stays HEIC, as the bundled sharp cannot decode it).
 * For showing, before sending, the name a file will go under (the desktop composer).
 */
const SENT_IMAGE_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  avif: 'image/jpeg',
  heif: 'image/heic',
  png: 'image/png',
  tiff: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};

/** The neutral name (before numbering) the file at `path`, really named `realName`, goes under. */
export async function neutralFileNameOf(path: string, realName: string): Promise<string> {
  const kind = await detectFileKindOf(path);
  const contentType = kind.kind === 'image' ? SENT_IMAGE_TYPES[kind.format] : kind.contentType;
  return neutralFileName(contentType, realName);
}
