import { detectFileKindOf } from './fileType.js';
import type { ImageLimits } from './imageLimits.js';
import {
  DEFAULT_IMAGE_TIMEOUT_SECONDS,
  imageError,
  isMissingDecoder,
  untrustedImageOptions,
} from './imageLimits.js';

/** Longest side of a preview, in pixels. */
export const PREVIEW_MAX_SIDE = 320;
/** What a preview aims to stay under; it always fits a pointer's MAX_PREVIEW_BYTES. */
export const PREVIEW_TARGET_BYTES = 20_000;

export interface AttachmentPreview {
  /** A WebP image with no metadata. */
  readonly bytes: Uint8Array;
  readonly contentType: 'image/webp';
  /** The preview's own size in pixels. */
  readonly width: number;
  readonly height: number;
}

/** Sizes and qualities tried in turn until a preview fits PREVIEW_TARGET_BYTES. */
const ATTEMPTS: readonly { readonly side: number; readonly quality: number }[] = [
  { side: PREVIEW_MAX_SIDE, quality: 60 },
  { side: PREVIEW_MAX_SIDE, quality: 40 },
  { side: 240, quality: 40 },
  { side: 160, quality: 30 },
  { side: 96, quality: 20 },
];

/**
 * A small preview of an image, made on the sender's device: upright, at most 320 px on its long
 * side, WebP, under ~20 KB, with no metadata (sharp writes none unless asked). Undefined for files
 * that are not images, or images this build cannot decode (HEIC). Bad input throws
 * CORE_ATTACHMENT_UNREADABLE or CORE_ATTACHMENT_TOO_LARGE.
 */
export async function makePreview(
  inputPath: string,
  limits: ImageLimits = {},
): Promise<AttachmentPreview | undefined> {
  const kind = await detectFileKindOf(inputPath);
  if (kind.kind !== 'image') return undefined;
  try {
    // Loaded on first use, not at start-up: the relay imports core too and never decodes images.
    const { default: sharp } = await import('sharp');
    let smallest: AttachmentPreview | undefined;
    for (const { side, quality } of ATTEMPTS) {
      // The first frame of an animation is its preview.
      const { data, info } = await sharp(inputPath, untrustedImageOptions(limits, false))
        .timeout({ seconds: limits.timeoutSeconds ?? DEFAULT_IMAGE_TIMEOUT_SECONDS })
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
        .webp({ quality })
        .toBuffer({ resolveWithObject: true });
      smallest = {
        bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        contentType: 'image/webp',
        width: info.width,
        height: info.height,
      };
      if (data.byteLength <= PREVIEW_TARGET_BYTES) return smallest;
    }
    return smallest;
  } catch (error) {
    if (kind.format === 'heif' && isMissingDecoder(error)) return undefined;
    throw imageError(error);
  }
}
