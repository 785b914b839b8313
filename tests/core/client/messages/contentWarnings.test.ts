import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { CoreError, CoreErrorCode } from '../../../../core/errors/CoreError.js';
import {
  SENSITIVE_IMAGE_LABEL,
  checkImageWarning,
  hasImageAttachment,
  shownWarning,
} from '../../../../core/client/messages/contentWarnings.js';
import {
  MAX_WARNING_LENGTH,
  WARNING_PRESETS,
  decodeMessageBody,
  encodeMessageBody,
  textBody,
} from '../../../../core/client/messages/messageBodyCodec.js';
import {
  AttachmentPointerSchema,
  MessageBodySchema,
} from '../../../../core/protocol/gen/kindred_pb.js';
import type { MessageBody } from '../../../../core/protocol/gen/kindred_pb.js';

/** A body as it crosses the wire: encoded, serialised, parsed back. */
function overTheWire(init: Parameters<typeof create<typeof MessageBodySchema>>[1]): MessageBody {
  return fromBinary(
    MessageBodySchema,
    toBinary(MessageBodySchema, create(MessageBodySchema, init)),
  );
}

function wireText(contentWarning: string): MessageBody {
  return overTheWire({ kind: { case: 'text', value: { body: 'hello', contentWarning } } });
}

function pointer(contentType: string) {
  return create(AttachmentPointerSchema, {
    blobId: new Uint8Array(16).fill(1),
    key: new Uint8Array(32).fill(2),
    digest: new Uint8Array(32).fill(3),
    size: 1234n,
    contentType,
  });
}

const BAD_WARNINGS: readonly [string, string][] = [
  ['too long', 'x'.repeat(MAX_WARNING_LENGTH + 1)],
  ['a control character', 'Graphic\u0007 image'],
  ['a newline', 'Graphic\nimage'],
  ['a C1 control', 'loss\u0085'],
  ['only blanks', '   '],
];

describe('the content warning in the body codec', () => {
  it('round-trips a warning, the presets and the longest label, and leaves it off when absent', () => {
    for (const warning of [...WARNING_PRESETS, 'ü'.repeat(MAX_WARNING_LENGTH), 'my own words']) {
      const body = textBody('what the scan showed', { warning: warning });
      expect(body.warning).toBe(warning);
      expect(decodeMessageBody(overTheWire(encodeMessageBody(body)))).toStrictEqual(body);
    }
    const plain = decodeMessageBody(overTheWire(encodeMessageBody(textBody('no warning'))));
    expect(plain).toStrictEqual({ kind: 'text', text: 'no warning' });
    expect(plain).not.toHaveProperty('warning');
  });

  it('the sender refuses a malformed warning with CORE_INVALID_INPUT', () => {
    for (const [, warning] of BAD_WARNINGS) {
      expect(() => textBody('hello', { warning: warning })).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
      );
    }
    // A lone surrogate (the wire's UTF-8 turns it into U+FFFD, so only the sender can see it).
    expect(() => textBody('hello', { warning: 'loss \ud800' })).toThrow(CoreError);
    expect(() => textBody('hello', { warning: 42 })).toThrow(CoreError);
    expect(() => textBody('hello', { warning: '' })).toThrow(
      expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
    );
  });

  it('the receiver drops a text whose warning the sender would have refused', () => {
    for (const [why, warning] of BAD_WARNINGS) {
      expect(decodeMessageBody(wireText(warning)), why).toBeUndefined();
    }
    // An empty field is no warning at all.
    expect(decodeMessageBody(wireText(''))).toStrictEqual({ kind: 'text', text: 'hello' });
  });
});

describe('the image-warning rule, over attachment pointers', () => {
  const required = { requireImageWarnings: true };
  const notRequired = { requireImageWarnings: false };

  it('knows an image attachment by its content type', () => {
    expect(hasImageAttachment({ attachments: [pointer('image/jpeg')] })).toBe(true);
    expect(
      hasImageAttachment({ attachments: [pointer('application/pdf'), pointer('IMAGE/PNG')] }),
    ).toBe(true);
    expect(hasImageAttachment({ attachments: [pointer('application/pdf')] })).toBe(false);
    expect(hasImageAttachment({ attachments: [] })).toBe(false);
    expect(hasImageAttachment({})).toBe(false);
  });

  it('refuses an unwarned image with CORE_WARNING_REQUIRED only when the group requires it', () => {
    const unwarned = { attachments: [pointer('application/pdf'), pointer('image/webp')] };
    expect(() => {
      checkImageWarning(unwarned, required);
    }).toThrow(expect.objectContaining({ code: CoreErrorCode.WarningRequired }));
    expect(() => {
      checkImageWarning(unwarned, notRequired);
    }).not.toThrow();
    expect(() => {
      checkImageWarning({ ...unwarned, warning: 'Graphic medical image' }, required);
    }).not.toThrow();
    expect(() => {
      checkImageWarning({ attachments: [pointer('application/pdf')] }, required);
    }).not.toThrow();
    expect(() => {
      checkImageWarning(textBody('just words'), required);
    }).not.toThrow();
  });

  it('covers an unwarned image that arrives anyway, and keeps the author’s own label', () => {
    const image = { attachments: [pointer('image/jpeg')] };
    expect(shownWarning(image, required)).toBe(SENSITIVE_IMAGE_LABEL);
    expect(shownWarning(image, notRequired)).toBeUndefined();
    expect(shownWarning({ ...image, warning: 'Self-harm' }, required)).toBe('Self-harm');
    expect(shownWarning({ warning: 'Loss / bereavement' }, notRequired)).toBe('Loss / bereavement');
    expect(shownWarning({ attachments: [pointer('text/plain')] }, required)).toBeUndefined();
  });
});
