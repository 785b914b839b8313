import type { SharpOptions } from 'sharp';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/** Bounds on decoding an image we were handed: every one an option with this default. */
export interface ImageLimits {
  /**
   * Largest width × height decoded (default 100 megapixels: the largest phone photos, with
   * room). sharp checks the header before decoding, so a decompression bomb is refused at once.
   */
  readonly maxPixels?: number;
  /** Longest a decode and re-encode may take before it is abandoned (default 60 s). */
  readonly timeoutSeconds?: number;
}

export const DEFAULT_MAX_IMAGE_PIXELS = 100_000_000;
export const DEFAULT_IMAGE_TIMEOUT_SECONDS = 60;

/** sharp's input options for untrusted images: pixel limit, strict decoding, upright output. */
export function untrustedImageOptions(limits: ImageLimits, animated: boolean): SharpOptions {
  return {
    limitInputPixels: limits.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS,
    // 'error' also covers 'truncated': a cut-off image is refused, not half decoded.
    failOn: 'error',
    sequentialRead: true,
    // Turn the pixels as the camera's Orientation tag says, since the tag itself goes.
    autoOrient: true,
    animated,
  };
}

/** libvips' messages when it has no decoder for what the container holds (HEVC in HEIC). */
const NO_DECODER = /unsupported (codec|feature|image format)|no decoder|compression format/i;

/** Whether sharp failed because this build cannot decode the format, not because the file is bad. */
export function isMissingDecoder(error: unknown): boolean {
  return error instanceof Error && NO_DECODER.test(error.message);
}

/** The coded error for a failed decode. Never carries sharp's message (it may quote file bytes). */
export function imageError(error: unknown): CoreError {
  if (error instanceof Error && /pixel limit/i.test(error.message)) {
    return new CoreError(CoreErrorCode.AttachmentTooLarge, 'image has too many pixels', {
      cause: error,
    });
  }
  return new CoreError(CoreErrorCode.AttachmentUnreadable, 'image cannot be decoded', {
    cause: error,
  });
}
