import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Content, ContentSchema } from '../protocol/gen/kindred_pb.js';
import { ContentSchema as Schema } from '../protocol/gen/kindred_pb.js';
import type { MessageInitShape } from '@bufbuild/protobuf';

export const MESSAGE_ID_BYTES = 16;
/** Longest text body, in UTF-16 code units (well under the padding layer's 256 KiB limit). */
export const MAX_TEXT_LENGTH = 64 * 1024;

/** Longest reaction, in UTF-16 code units: room for one emoji sequence (a family, a flag). */
export const MAX_REACTION_LENGTH = 16;

/** Control characters (C0, DEL, C1): a reaction is shown inline, where they could rewrite it. */
const CONTROL = /\p{Cc}/u;

/**
 * Whether `emoji` may be a reaction: a string of at most {@link MAX_REACTION_LENGTH} UTF-16 code
 * units, well-formed, without control characters; '' takes a reaction back. Anything that looks
 * like an emoji to its sender is accepted: what renders is the reader's font's business.
 */
export function isValidReaction(emoji: unknown): emoji is string {
  return (
    typeof emoji === 'string' &&
    emoji.length <= MAX_REACTION_LENGTH &&
    emoji.isWellFormed() &&
    !CONTROL.test(emoji)
  );
}

/** Throws CORE_INVALID_INPUT unless `emoji` may be a reaction (see {@link isValidReaction}). */
export function checkReaction(emoji: unknown): string {
  if (!isValidReaction(emoji)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a reaction has at most ${MAX_REACTION_LENGTH} characters and no control characters`,
    );
  }
  return emoji;
}

/** Throws CORE_INVALID_INPUT unless `messageId` has the shape of a message id. */
export function checkMessageId(messageId: unknown): Uint8Array {
  if (!(messageId instanceof Uint8Array) || messageId.length !== MESSAGE_ID_BYTES) {
    throw new CoreError(CoreErrorCode.InvalidInput, `a message id is ${MESSAGE_ID_BYTES} bytes`);
  }
  return ownedBytes(messageId);
}

type ContentBody = NonNullable<MessageInitShape<typeof ContentSchema>['body']>;

/** A random 16-byte message id: how recipients recognise a message delivered twice. */
export function newMessageId(): Uint8Array {
  return ownedBytes(randomBytes(MESSAGE_ID_BYTES));
}

export function encodeContent(options: {
  messageId: Uint8Array;
  sequence: number;
  sentAt: number;
  body: ContentBody;
}): { bytes: Uint8Array } {
  const bytes = toBinary(
    Schema,
    create(Schema, {
      messageId: options.messageId,
      sentAt: BigInt(options.sentAt),
      sequence: BigInt(options.sequence),
      body: options.body,
    }),
  );
  return { bytes };
}

/** Checked Content from a decrypted envelope, or undefined when it is malformed. */
export interface ReceivedContent {
  readonly messageId: Uint8Array;
  readonly sentAt: number;
  readonly sequence: number;
  readonly body: Content['body'];
}

export function decodeContent(bytes: Uint8Array): ReceivedContent | undefined {
  let content: Content;
  try {
    content = fromBinary(Schema, bytes);
  } catch {
    return undefined;
  }
  if (
    content.messageId.length !== MESSAGE_ID_BYTES ||
    content.sequence < 1n ||
    content.sequence > BigInt(Number.MAX_SAFE_INTEGER) ||
    content.sentAt > BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    return undefined;
  }
  return {
    messageId: ownedBytes(content.messageId),
    sentAt: Number(content.sentAt),
    sequence: Number(content.sequence),
    body: content.body,
  };
}
