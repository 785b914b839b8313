import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ownedBytes, utf8 } from '../bytes/bytes.js';
import { checkRelayUrl } from '../client/relayUrl.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { AttachmentPointer as WireAttachmentPointer } from '../protocol/gen/kindred_pb.js';
import { AttachmentPointerSchema } from '../protocol/gen/kindred_pb.js';
import {
  ATTACHMENT_DIGEST_BYTES,
  ATTACHMENT_KEY_BYTES,
  MAX_ATTACHMENT_BYTES_LIMIT,
} from './AttachmentCipher.js';

export const MIN_BLOB_ID_BYTES = 16;
export const MAX_BLOB_ID_BYTES = 64;
/** Longest content type, in characters (RFC 6838 allows 127 per part; real ones are far shorter). */
export const MAX_CONTENT_TYPE_LENGTH = 127;
/** Longest file name, in UTF-8 bytes (what common file systems allow). */
export const MAX_FILE_NAME_BYTES = 255;
/** Largest preview carried in a pointer: the pointer rides in a message body of at most 64 KiB. */
export const MAX_PREVIEW_BYTES = 24 * 1024;
/** Largest width or height a pointer may claim (a hint for layout, never trusted for decoding). */
export const MAX_IMAGE_DIMENSION = 65_535;

/**
 * Everything a receiver needs to fetch, check and open an attachment, carried inside the
 * end-to-end encrypted message (never seen by the relay). docs/attachments.md.
 */
export interface AttachmentPointer {
  /** The relay's id of the ciphertext blob. */
  readonly blobId: Uint8Array;
  /** The per-attachment secretstream key (32 bytes). */
  readonly key: Uint8Array;
  /** SHA-256 of the stored ciphertext file, padding included (32 bytes). */
  readonly digest: Uint8Array;
  /** Plaintext bytes. */
  readonly size: number;
  /** A MIME type, lower case, e.g. `image/jpeg`. */
  readonly contentType: string;
  /** The sender's file name, when they chose to send it: a name, never a path. */
  readonly fileName?: string;
  /** A small WebP preview of an image (makePreview), made on the sender's device. */
  readonly preview?: Uint8Array;
  /** An image's size in pixels, upright (after auto-orientation), for layout before download. */
  readonly width?: number;
  readonly height?: number;
  /**
   * The relay that holds the blob (ws:// or wss://, checked with core/client/relayUrl's rules).
   * Absent only in a pointer that travels on its own; a message body's pointers all carry it.
   */
  readonly relayUrl?: string;
}

/** type/subtype, lower case, RFC 6838's restricted names (no parameters). */
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
/** Control characters, and the separators that would turn a name into a path. */
const FORBIDDEN_IN_NAME = /[\p{Cc}/\\]/u;

export function isValidContentType(contentType: string): boolean {
  return contentType.length <= MAX_CONTENT_TYPE_LENGTH && CONTENT_TYPE.test(contentType);
}

/**
 * Whether `name` may be sent as a file name: 1 to 255 UTF-8 bytes, well-formed, no control
 * characters, no path separators, not `.` or `..`. A receiver still saves only where its user says.
 */
export function isValidFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.isWellFormed() &&
    utf8(name).length <= MAX_FILE_NAME_BYTES &&
    !FORBIDDEN_IN_NAME.test(name) &&
    name !== '.' &&
    name !== '..'
  );
}

function invalid(what: string): CoreError {
  return new CoreError(
    CoreErrorCode.AttachmentPointerInvalid,
    `attachment pointer is invalid: ${what}`,
  );
}

function checkDimension(value: number | undefined, what: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > MAX_IMAGE_DIMENSION) throw invalid(what);
}

/** Throws CORE_ATTACHMENT_POINTER_INVALID unless every field is within its bounds. */
export function checkAttachmentPointer(pointer: AttachmentPointer): void {
  const { blobId, key, digest, size } = pointer;
  if (blobId.length < MIN_BLOB_ID_BYTES || blobId.length > MAX_BLOB_ID_BYTES) {
    throw invalid('blob id');
  }
  if (key.length !== ATTACHMENT_KEY_BYTES) throw invalid('key');
  if (digest.length !== ATTACHMENT_DIGEST_BYTES) throw invalid('digest');
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ATTACHMENT_BYTES_LIMIT) {
    throw invalid('size');
  }
  if (!isValidContentType(pointer.contentType)) throw invalid('content type');
  if (pointer.fileName !== undefined && !isValidFileName(pointer.fileName)) {
    throw invalid('file name');
  }
  if (
    pointer.preview !== undefined &&
    (pointer.preview.length === 0 || pointer.preview.length > MAX_PREVIEW_BYTES)
  ) {
    throw invalid('preview');
  }
  checkDimension(pointer.width, 'width');
  checkDimension(pointer.height, 'height');
  if ((pointer.width === undefined) !== (pointer.height === undefined)) throw invalid('dimensions');
  if (pointer.relayUrl !== undefined) {
    try {
      checkRelayUrl(pointer.relayUrl);
    } catch {
      throw invalid('relay url');
    }
  }
}

/** The wire message for `pointer` (checked first), for a message body to carry. */
export function attachmentPointerToWire(pointer: AttachmentPointer): WireAttachmentPointer {
  checkAttachmentPointer(pointer);
  return create(AttachmentPointerSchema, {
    blobId: ownedBytes(pointer.blobId),
    key: ownedBytes(pointer.key),
    digest: ownedBytes(pointer.digest),
    size: BigInt(pointer.size),
    contentType: pointer.contentType,
    fileName: pointer.fileName ?? '',
    preview: pointer.preview === undefined ? new Uint8Array(0) : ownedBytes(pointer.preview),
    width: pointer.width ?? 0,
    height: pointer.height ?? 0,
    relayUrl: pointer.relayUrl ?? '',
  });
}

/** The pointer a received wire message describes; CORE_ATTACHMENT_POINTER_INVALID if out of bounds. */
export function attachmentPointerFromWire(wire: WireAttachmentPointer): AttachmentPointer {
  if (wire.size > BigInt(MAX_ATTACHMENT_BYTES_LIMIT)) throw invalid('size');
  // Empty strings and bytes, and zero dimensions, are proto3's "absent".
  const pointer: AttachmentPointer = {
    blobId: ownedBytes(wire.blobId),
    key: ownedBytes(wire.key),
    digest: ownedBytes(wire.digest),
    size: Number(wire.size),
    contentType: wire.contentType,
    ...(wire.fileName === '' ? {} : { fileName: wire.fileName }),
    ...(wire.preview.length === 0 ? {} : { preview: ownedBytes(wire.preview) }),
    ...(wire.width === 0 && wire.height === 0 ? {} : { width: wire.width, height: wire.height }),
    ...(wire.relayUrl === '' ? {} : { relayUrl: wire.relayUrl }),
  };
  checkAttachmentPointer(pointer);
  return pointer;
}

export function encodeAttachmentPointer(pointer: AttachmentPointer): Uint8Array<ArrayBuffer> {
  return ownedBytes(toBinary(AttachmentPointerSchema, attachmentPointerToWire(pointer)));
}

/** Decodes and checks a pointer; CORE_ATTACHMENT_POINTER_INVALID for anything malformed. */
export function decodeAttachmentPointer(bytes: Uint8Array): AttachmentPointer {
  let wire: WireAttachmentPointer;
  try {
    wire = fromBinary(AttachmentPointerSchema, bytes);
  } catch (error) {
    throw new CoreError(CoreErrorCode.AttachmentPointerInvalid, 'attachment pointer is malformed', {
      cause: error,
    });
  }
  return attachmentPointerFromWire(wire);
}
