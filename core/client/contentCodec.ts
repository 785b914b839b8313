import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ownedBytes } from '../bytes/bytes.js';
import type { Content, ContentSchema } from '../protocol/gen/kindred_pb.js';
import { ContentSchema as Schema } from '../protocol/gen/kindred_pb.js';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { MESSAGE_ID_BYTES } from './messages/messageBodyCodec.js';

/**
 * The 1:1 envelope around what a user wrote (and around the other things contacts send each
 * other): message id, sequence, sender's clock. The body itself, text or reaction, is
 * messageBodyCodec's (Content.message), shared with groups.
 */

export type ContentBody = NonNullable<MessageInitShape<typeof ContentSchema>['body']>;

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
