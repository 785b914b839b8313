import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Sharp } from 'sharp';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from './AttachmentCipher.js';
import type { ImageFormat } from './fileType.js';
import { detectFileKindOf } from './fileType.js';
import type { ImageLimits } from './imageLimits.js';
import {
  DEFAULT_IMAGE_TIMEOUT_SECONDS,
  imageError,
  isMissingDecoder,
  untrustedImageOptions,
} from './imageLimits.js';
import { IMAGE_REMOVED, PDF_REMOVED } from './removedMetadata.js';

export interface ScrubOptions extends ImageLimits {
  /** Larger files are refused with CORE_ATTACHMENT_TOO_LARGE (default 100 MiB). */
  readonly maxBytes?: number;
}

/** Why a file was left as it was: the sender is asked before it is sent (docs/attachments.md). */
export type NotCleanedReason =
  /** docx, xlsx, odt …: their metadata (author, last editor, company) can name a person. */
  | 'office-document'
  /** An image format this build of sharp cannot decode (HEIC photos: no HEVC decoder). */
  | 'unsupported-image'
  /** A PDF with a password or encryption: pdf-lib cannot rewrite it. */
  | 'encrypted-pdf'
  /** Anything else: we do not know what metadata it holds. */
  | 'unknown-type';

export type ScrubResult =
  | {
      readonly status: 'cleaned';
      readonly kind: 'image' | 'pdf';
      /** The cleaned file's type (an AVIF or HEIC photo comes out as JPEG, a TIFF as PNG). */
      readonly contentType: string;
      /** What was removed, for the sender's information. */
      readonly removed: readonly string[];
      /** Images only: the upright size in pixels. */
      readonly width?: number;
      readonly height?: number;
    }
  | {
      readonly status: 'not-cleaned';
      /** The type told from the bytes. */
      readonly contentType: string;
      readonly reason: NotCleanedReason;
    };

/** The format a cleaned image is written in: its own where sharp writes it well. */
function outputFormat(format: ImageFormat): {
  readonly contentType: string;
  readonly apply: (image: Sharp) => Sharp;
} {
  switch (format) {
    case 'jpeg':
    case 'heif':
    case 'avif':
      return { contentType: 'image/jpeg', apply: (image) => image.jpeg({ quality: 90 }) };
    case 'png':
    case 'tiff':
      return { contentType: 'image/png', apply: (image) => image.png() };
    case 'webp':
      return { contentType: 'image/webp', apply: (image) => image.webp({ quality: 90 }) };
    case 'gif':
      return { contentType: 'image/gif', apply: (image) => image.gif() };
  }
}

function partialPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
}

async function scrubImage(
  inputPath: string,
  outputPath: string,
  format: ImageFormat,
  contentType: string,
  options: ScrubOptions,
): Promise<ScrubResult> {
  const animated = format === 'gif' || format === 'webp';
  const output = outputFormat(format);
  const partial = partialPathFor(outputPath);
  try {
    // Re-encoding from pixels: nothing of the input's metadata is carried over, because sharp
    // keeps metadata only when asked (keepExif, keepIccProfile, withMetadata), and we never ask.
    const { default: sharp } = await import('sharp');
    const image = sharp(inputPath, untrustedImageOptions(options, animated)).timeout({
      seconds: options.timeoutSeconds ?? DEFAULT_IMAGE_TIMEOUT_SECONDS,
    });
    const info = await output.apply(image).toFile(partial);
    await rename(partial, outputPath);
    return {
      status: 'cleaned',
      kind: 'image',
      contentType: output.contentType,
      removed: IMAGE_REMOVED,
      width: info.width,
      height: animated && info.pageHeight !== undefined ? info.pageHeight : info.height,
    };
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    if (format === 'heif' && isMissingDecoder(error)) {
      return { status: 'not-cleaned', contentType, reason: 'unsupported-image' };
    }
    throw imageError(error);
  }
}

async function scrubPdf(inputPath: string, outputPath: string): Promise<ScrubResult> {
  const bytes = await readFile(inputPath);
  let outcome;
  try {
    // Loaded here, not at start-up: the relay imports core too and never cleans a PDF.
    const { cleanPdf } = await import('./pdfMetadata.js');
    outcome = await cleanPdf(bytes);
  } catch (error) {
    throw new CoreError(CoreErrorCode.AttachmentUnreadable, 'PDF cannot be parsed', {
      cause: error,
    });
  }
  if (outcome.status === 'encrypted') {
    return { status: 'not-cleaned', contentType: 'application/pdf', reason: 'encrypted-pdf' };
  }
  const partial = partialPathFor(outputPath);
  try {
    await writeFile(partial, outcome.bytes, { flag: 'wx', mode: 0o600 });
    await rename(partial, outputPath);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return { status: 'cleaned', kind: 'pdf', contentType: 'application/pdf', removed: PDF_REMOVED };
}

/**
 * Removes what a file says about its author before it is encrypted and sent. The type is told
 * from the bytes (fileType.ts), never from the name.
 * - Images (JPEG, PNG, WebP, GIF, TIFF, AVIF; HEIC where sharp can decode it) are decoded,
 *   turned upright and re-encoded into `outputPath` with no EXIF (GPS, camera make, model and
 *   serial), XMP, IPTC, ICC profile, comments or embedded thumbnails.
 * - PDFs are rewritten into `outputPath` without their metadata (pdfMetadata.ts).
 * - Anything else is left alone and `outputPath` is not written: the result says why, so the
 *   sender can be asked before the original goes.
 * Bad input (truncated, malformed, over the pixel limit, too slow) throws a coded CoreError
 * (CORE_ATTACHMENT_UNREADABLE, CORE_ATTACHMENT_TOO_LARGE) and leaves no output file.
 */
export async function scrubMetadata(
  inputPath: string,
  outputPath: string,
  options: ScrubOptions = {},
): Promise<ScrubResult> {
  const info = await stat(inputPath);
  if (info.size > (options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES)) {
    throw new CoreError(CoreErrorCode.AttachmentTooLarge, 'attachment is too large');
  }
  const kind = await detectFileKindOf(inputPath);
  switch (kind.kind) {
    case 'image':
      return scrubImage(inputPath, outputPath, kind.format, kind.contentType, options);
    case 'pdf':
      return scrubPdf(inputPath, outputPath);
    case 'office':
      return { status: 'not-cleaned', contentType: kind.contentType, reason: 'office-document' };
    case 'other':
      return { status: 'not-cleaned', contentType: kind.contentType, reason: 'unknown-type' };
  }
}
