import { create, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MAX_ATTACHMENT_BYTES_LIMIT,
  MAX_PREVIEW_BYTES,
  decodeAttachmentPointer,
  encodeAttachmentPointer,
  wire,
} from '../../../core/client/index.js';
import type { AttachmentPointer } from '../../../core/client/index.js';

const POINTER: AttachmentPointer = {
  blobId: randomBytes(16),
  key: randomBytes(32),
  digest: randomBytes(32),
  size: 123_456,
  contentType: 'image/jpeg',
  fileName: 'rash on arm.jpg',
  preview: randomBytes(900),
  width: 1200,
  height: 900,
};

function expectInvalid(call: () => unknown): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(CoreError.is(thrown, CoreErrorCode.AttachmentPointerInvalid)).toBe(true);
}

describe('AttachmentPointer', () => {
  it('round-trips every field, and the optional ones when absent', () => {
    const decoded = decodeAttachmentPointer(encodeAttachmentPointer(POINTER));
    expect(decoded).toEqual({
      ...POINTER,
      blobId: new Uint8Array(POINTER.blobId),
      key: new Uint8Array(POINTER.key),
      digest: new Uint8Array(POINTER.digest),
      preview: new Uint8Array(POINTER.preview ?? []),
    });
    const bare: AttachmentPointer = {
      blobId: randomBytes(32),
      key: randomBytes(32),
      digest: randomBytes(32),
      size: 0,
      contentType: 'application/octet-stream',
    };
    const decodedBare = decodeAttachmentPointer(encodeAttachmentPointer(bare));
    expect(decodedBare).toEqual({
      ...bare,
      blobId: new Uint8Array(bare.blobId),
      key: new Uint8Array(bare.key),
      digest: new Uint8Array(bare.digest),
    });
    expect('fileName' in decodedBare || 'preview' in decodedBare || 'width' in decodedBare).toBe(
      false,
    );
  });

  it('refuses out-of-bounds fields when encoding', () => {
    const bad: Partial<AttachmentPointer>[] = [
      { blobId: randomBytes(8) },
      { blobId: randomBytes(65) },
      { key: randomBytes(31) },
      { digest: randomBytes(33) },
      { size: -1 },
      { size: 1.5 },
      { size: MAX_ATTACHMENT_BYTES_LIMIT + 1 },
      { contentType: '' },
      { contentType: 'Image/JPEG' },
      { contentType: 'image/jpeg; charset=x' },
      { contentType: `image/${'a'.repeat(130)}` },
      { fileName: '' },
      { fileName: '../etc/passwd' },
      { fileName: 'a\\b' },
      { fileName: '..' },
      { fileName: 'line\nbreak' },
      { fileName: 'bell\u0007' },
      { fileName: 'x'.repeat(256) },
      { fileName: '\uD800' },
      { preview: new Uint8Array(0) },
      { preview: randomBytes(MAX_PREVIEW_BYTES + 1) },
      { width: 0 },
      { width: 70_000 },
    ];
    for (const change of bad) {
      expectInvalid(() => encodeAttachmentPointer({ ...POINTER, ...change }));
    }
    // A width without a height is refused.
    const { blobId, key, digest, size, contentType } = POINTER;
    expectInvalid(() =>
      encodeAttachmentPointer({ blobId, key, digest, size, contentType, width: 10 }),
    );
  });

  it('refuses malformed and out-of-bounds bytes when decoding', () => {
    expectInvalid(() => decodeAttachmentPointer(randomBytes(64)));
    expectInvalid(() => decodeAttachmentPointer(new Uint8Array([0x0a, 0xff])));
    const base = {
      blobId: randomBytes(16),
      key: randomBytes(32),
      digest: randomBytes(32),
      size: 10n,
      contentType: 'text/plain',
    };
    const valid = toBinary(
      wire.AttachmentPointerSchema,
      create(wire.AttachmentPointerSchema, base),
    );
    expect(decodeAttachmentPointer(valid).size).toBe(10);
    for (const change of [
      { size: 2n ** 63n },
      { key: new Uint8Array(0) },
      { contentType: 'text' },
      { fileName: 'dir/name' },
      { width: 10 },
    ]) {
      const bytes = toBinary(
        wire.AttachmentPointerSchema,
        create(wire.AttachmentPointerSchema, { ...base, ...change }),
      );
      expectInvalid(() => decodeAttachmentPointer(bytes));
    }
  });
});
