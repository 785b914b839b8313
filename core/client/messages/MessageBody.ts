/**
 * What a user wrote, the same in a 1:1 conversation and in a group: the checked form of the
 * protocol's MessageBody. A new kind (a timer change) is a new member of the union, and a new
 * field of a text (attachments, a content warning) a new field of {@link TextBody}; every switch
 * over `kind` is exhaustive, so the compiler lists each place that must learn it.
 */
export type MessageBody = TextBody | ReactionBody;

/** A message of its own, shown in the conversation. */
export interface TextBody {
  readonly kind: 'text';
  /** 1 to MAX_TEXT_LENGTH UTF-16 code units. */
  readonly text: string;
  /** The id of the message of the same conversation this one answers (16 bytes). */
  readonly replyTo?: Uint8Array;
  /**
   * A content warning ("Graphic medical image", free text): readers see the message covered,
   * with this label, until they reveal it. 1 to MAX_WARNING_LENGTH code units; absent: none.
   */
  readonly warning?: string;
}

/**
 * The author's reaction to a message of the conversation: one per author per message, a newer one
 * replaces it, '' takes it back. It is no message of its own: it changes the one it names.
 */
export interface ReactionBody {
  readonly kind: 'reaction';
  /** The message reacted to (16 bytes). */
  readonly messageId: Uint8Array;
  readonly emoji: string;
}
