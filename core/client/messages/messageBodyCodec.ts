import { randomBytes } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AttachmentPointer } from '../../attachments/AttachmentPointer.js';
import {
  attachmentPointerFromWire,
  attachmentPointerToWire,
  checkAttachmentPointer,
} from '../../attachments/AttachmentPointer.js';
import { ownedBytes } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type {
  MessageBody as WireMessageBody,
  MessageBodySchema,
} from '../../protocol/gen/kindred_pb.js';
import { MAX_DISAPPEARING_SECONDS, MIN_DISAPPEARING_SECONDS } from '../../groups/GroupRules.js';
import {
  checkScheduleAnswer,
  scheduleAnswerFromWire,
  scheduleAnswerToWire,
} from './scheduleAnswers.js';
import type {
  DeleteBody,
  EditBody,
  JournalTextRole,
  MessageBody,
  ReactionBody,
  TextBody,
  TimerChangeBody,
} from './MessageBody.js';

/**
 * THE codec of what users write, for 1:1 conversations and groups alike: the limits, the checks
 * a sender makes before it stores anything (`check…`, which throw CORE_INVALID_INPUT), and the
 * wire form both ways (decoding checks the same rules and answers undefined, never throws).
 * The envelopes around a body (Content, GroupContent) stay in contentCodec and groupCodec.
 */

/** Every message id (1:1 and group) is 16 random bytes. */
export const MESSAGE_ID_BYTES = 16;

/** Longest text, in UTF-16 code units (well under the padding layer's 256 KiB limit). */
export const MAX_TEXT_LENGTH = 64 * 1024;

/** Most attachments one message carries. */
export const MAX_ATTACHMENTS = 10;

/** Longest reaction, in UTF-16 code units: room for one emoji sequence (a family, a flag). */
export const MAX_REACTION_LENGTH = 16;

/** Longest content warning, in UTF-16 code units: a short label shown on the cover. */
export const MAX_WARNING_LENGTH = 100;

/** The warnings the desktop offers as presets (any other label is free text). */
export const WARNING_PRESETS = [
  'Graphic medical image',
  'Loss / bereavement',
  'Self-harm',
] as const;

/** Control characters (C0, DEL, C1): a reaction is shown inline, where they could rewrite it. */
const CONTROL = /\p{Cc}/u;

/** The protocol's MessageBody, as `create` takes it. */
export type MessageBodyInit = MessageInitShape<typeof MessageBodySchema>;

/** A random 16-byte message id: how recipients recognise a message delivered twice. */
export function newMessageId(): Uint8Array {
  return ownedBytes(randomBytes(MESSAGE_ID_BYTES));
}

/**
 * Exactly one emoji of Unicode's recommended set (RGI: a single emoji, a keycap, a flag, a
 * ZWJ sequence such as a family, with or without its skin tone), as the regular expression
 * engine of the running Node knows it; the `v` flag's property of strings, so no list to keep.
 */
// Built from a string: the compiler's target (ES2022) predates the flag; Node 20 has it.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * Whether `emoji` may be a reaction: exactly one emoji (see {@link ONE_EMOJI}), at most
 * {@link MAX_REACTION_LENGTH} UTF-16 code units; '' takes a reaction back. Letters, two emoji,
 * an emoji with text after it, control characters: refused (it is shown inline, next to names).
 */
export function isValidReaction(emoji: unknown): emoji is string {
  return (
    typeof emoji === 'string' &&
    emoji.length <= MAX_REACTION_LENGTH &&
    emoji.isWellFormed() &&
    !CONTROL.test(emoji) &&
    (emoji === '' || ONE_EMOJI.test(emoji))
  );
}

/** Throws CORE_REACTION_NOT_EMOJI unless `emoji` may be a reaction (see {@link isValidReaction}). */
export function checkReaction(emoji: unknown): string {
  if (!isValidReaction(emoji)) {
    throw new CoreError(CoreErrorCode.ReactionNotEmoji, 'a reaction is exactly one emoji');
  }
  return emoji;
}

/**
 * Whether `warning` may be a content warning: 1 to {@link MAX_WARNING_LENGTH} UTF-16 code units,
 * well-formed, without control characters (it is shown on one line, on the cover), and not only
 * blanks.
 */
export function isValidWarning(warning: unknown): warning is string {
  return (
    typeof warning === 'string' &&
    warning.length <= MAX_WARNING_LENGTH &&
    warning.trim() !== '' &&
    warning.isWellFormed() &&
    !CONTROL.test(warning)
  );
}

/** Throws CORE_INVALID_INPUT unless `warning` may be a content warning (see {@link isValidWarning}). */
export function checkWarning(warning: unknown): string {
  if (!isValidWarning(warning)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a content warning has 1 to ${MAX_WARNING_LENGTH} characters and no control characters`,
    );
  }
  return warning;
}

/** Throws CORE_INVALID_INPUT unless `messageId` has the shape of a message id. */
export function checkMessageId(messageId: unknown): Uint8Array {
  if (!(messageId instanceof Uint8Array) || messageId.length !== MESSAGE_ID_BYTES) {
    throw new CoreError(CoreErrorCode.InvalidInput, `a message id is ${MESSAGE_ID_BYTES} bytes`);
  }
  return ownedBytes(messageId);
}

/** Throws CORE_INVALID_INPUT unless `text` may be sent: 1 to MAX_TEXT_LENGTH code units. */
export function checkText(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a message has 1 to ${MAX_TEXT_LENGTH} characters`,
    );
  }
  return text;
}

/**
 * Throws CORE_INVALID_INPUT unless `attachments` may go with a text: at most MAX_ATTACHMENTS
 * pointers, each within its bounds (CORE_ATTACHMENT_POINTER_INVALID otherwise) and naming its relay.
 */
export function checkAttachments(attachments: readonly AttachmentPointer[]): AttachmentPointer[] {
  if (attachments.length > MAX_ATTACHMENTS) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a message carries at most ${MAX_ATTACHMENTS} attachments`,
    );
  }
  return attachments.map((pointer) => {
    checkAttachmentPointer(pointer);
    if (pointer.relayUrl === undefined) {
      throw new CoreError(
        CoreErrorCode.AttachmentPointerInvalid,
        'attachment pointer is invalid: relay url',
      );
    }
    return pointer;
  });
}

/** What a text carries besides its words. */
export interface TextExtras {
  /** The id of the message of the same conversation it answers. */
  readonly replyTo?: unknown;
  /** Files sent with it (the text may then be empty). */
  readonly attachments?: readonly AttachmentPointer[];
  /** Its content warning. */
  readonly warning?: unknown;
  /** The prompt of a scheduled chat it answers. */
  readonly scheduleAnswer?: unknown;
  /** What it is in a journal (docs/journal.md); absent: an ordinary text. */
  readonly journal?: JournalTextRole | undefined;
  /** The group topic it is posted into (16 bytes; groups only). */
  readonly topicId?: unknown;
  /** The root message of the reply thread it belongs to (16 bytes). */
  readonly threadRoot?: unknown;
}

/**
 * A checked text body (CORE_INVALID_INPUT for a bad text, reply id, attachment count or content
 * warning). With attachments, the text may be empty.
 */
export function textBody(
  text: unknown,
  {
    replyTo,
    attachments = [],
    warning,
    scheduleAnswer,
    journal,
    topicId,
    threadRoot,
  }: TextExtras = {},
): TextBody {
  const checked = attachments.length > 0 && text === '' ? '' : checkText(text);
  const pointers = checkAttachments(attachments);
  return {
    kind: 'text',
    text: checked,
    ...(replyTo === undefined ? {} : { replyTo: checkMessageId(replyTo) }),
    ...(pointers.length === 0 ? {} : { attachments: pointers }),
    ...(warning === undefined ? {} : { warning: checkWarning(warning) }),
    ...(scheduleAnswer === undefined
      ? {}
      : { scheduleAnswer: checkScheduleAnswer(scheduleAnswer) }),
    ...(journal === undefined ? {} : { journal: checkJournalRole(journal, replyTo) }),
    ...(topicId === undefined ? {} : { topicId: checkMessageId(topicId) }),
    ...(threadRoot === undefined ? {} : { threadRoot: checkMessageId(threadRoot) }),
  };
}

/**
 * The text as a 1:1 conversation keeps it: topics are a group feature, so a topic id a contact
 * put on it is dropped (the rest of the text stands). Anything else is returned as it is.
 */
export function withoutTopic<B extends MessageBody>(body: B): B {
  if (body.kind !== 'text' || body.topicId === undefined) return body;
  const rest: TextBody = { ...body };
  delete (rest as { topicId?: Uint8Array }).topicId;
  return rest as B;
}

/** A checked reaction body (CORE_INVALID_INPUT for a bad id or emoji). */
export function reactionBody(messageId: unknown, emoji: unknown): ReactionBody {
  return { kind: 'reaction', messageId: checkMessageId(messageId), emoji: checkReaction(emoji) };
}

/**
 * A checked edit of one of our messages (CORE_INVALID_INPUT for a bad id, text or warning):
 * `text` replaces its words, `warning` its content warning (absent: none from now on).
 */
export function editBody(
  messageId: unknown,
  text: unknown,
  { warning }: { readonly warning?: unknown } = {},
): EditBody {
  return {
    kind: 'edit',
    messageId: checkMessageId(messageId),
    text: checkText(text),
    ...(warning === undefined ? {} : { warning: checkWarning(warning) }),
  };
}

/** A checked deletion for everyone of one of our messages (CORE_INVALID_INPUT for a bad id). */
export function deleteBody(messageId: unknown): DeleteBody {
  return { kind: 'delete', messageId: checkMessageId(messageId) };
}

/**
 * Whether `seconds` may be a disappearing-messages timer: 0 (off) or `minimum` .. 4 weeks, whole
 * seconds. `minimum` is MIN_DISAPPEARING_SECONDS (5 minutes) for users; only tests lower it
 * (KindredClientOptions.minDisappearingSeconds, with their relay's).
 */
export function isValidTimer(
  seconds: unknown,
  minimum: number = MIN_DISAPPEARING_SECONDS,
): seconds is number {
  return (
    typeof seconds === 'number' &&
    Number.isSafeInteger(seconds) &&
    (seconds === 0 || (seconds >= minimum && seconds <= MAX_DISAPPEARING_SECONDS))
  );
}

/** A checked timer-change body (CORE_INVALID_INPUT outside off or 5 minutes .. 4 weeks). */
export function timerChangeBody(
  seconds: unknown,
  minimum: number = MIN_DISAPPEARING_SECONDS,
): TimerChangeBody {
  if (!isValidTimer(seconds, minimum)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'a disappearing-messages timer is off or from 5 minutes to 4 weeks',
    );
  }
  return { kind: 'timerChange', seconds };
}

/** The wire form of a body, for Content.message and GroupContent.message. */
export function encodeMessageBody(body: MessageBody): MessageBodyInit {
  switch (body.kind) {
    case 'text':
      return {
        kind: {
          case: 'text',
          value: {
            body: body.text,
            replyTo: body.replyTo ?? new Uint8Array(0),
            attachments: (body.attachments ?? []).map(attachmentPointerToWire),
            contentWarning: body.warning ?? '',
            ...(body.scheduleAnswer === undefined
              ? {}
              : { scheduleAnswer: scheduleAnswerToWire(body.scheduleAnswer) }),
            journalUpdate: body.journal === 'update',
            journalSupport: body.journal === 'support',
            topicId: body.topicId ?? new Uint8Array(0),
            threadRoot: body.threadRoot ?? new Uint8Array(0),
          },
        },
      };
    case 'reaction':
      return {
        kind: { case: 'reaction', value: { messageId: body.messageId, emoji: body.emoji } },
      };
    case 'timerChange':
      return { kind: { case: 'timerChange', value: { seconds: body.seconds } } };
    case 'edit':
      return {
        kind: {
          case: 'edit',
          value: {
            messageId: body.messageId,
            body: body.text,
            contentWarning: body.warning ?? '',
          },
        },
      };
    case 'delete':
      return { kind: { case: 'delete', value: { messageId: body.messageId } } };
  }
}

/**
 * The checked body, or undefined when it breaks the rules a sender checks (a text longer than
 * MAX_TEXT_LENGTH or with a malformed content warning, a reaction with a malformed id or emoji, a
 * timer outside off or `minimumTimer` .. 4 weeks) or is of a kind this client does not know. A
 * reply id of the wrong length is left out (older clients wrote an empty one) rather than
 * refusing the text. Whether the message replied to or reacted to exists is the conversation's
 * business (see applyIncoming).
 */
export function decodeMessageBody(
  wire: WireMessageBody | undefined,
  minimumTimer: number = MIN_DISAPPEARING_SECONDS,
): MessageBody | undefined {
  const kind = wire?.kind;
  switch (kind?.case) {
    case 'text': {
      const { body, replyTo, contentWarning, topicId, threadRoot } = kind.value;
      if (body.length > MAX_TEXT_LENGTH) return undefined;
      // A topic or thread id is 16 bytes or absent; anything else breaks the sender's rules.
      if (topicId.length !== 0 && topicId.length !== MESSAGE_ID_BYTES) return undefined;
      if (threadRoot.length !== 0 && threadRoot.length !== MESSAGE_ID_BYTES) return undefined;
      if (contentWarning !== '' && !isValidWarning(contentWarning)) return undefined;
      const attachments = decodeAttachments(kind.value.attachments);
      if (attachments === undefined) return undefined;
      const scheduleAnswer = scheduleAnswerFromWire(kind.value.scheduleAnswer);
      if (scheduleAnswer === null) return undefined;
      const journal = decodeJournalRole(kind.value);
      if (journal === null) return undefined;
      return {
        kind: 'text',
        text: body,
        ...(replyTo.length === MESSAGE_ID_BYTES ? { replyTo: ownedBytes(replyTo) } : {}),
        ...(attachments.length === 0 ? {} : { attachments }),
        ...(contentWarning === '' ? {} : { warning: contentWarning }),
        ...(scheduleAnswer === undefined ? {} : { scheduleAnswer }),
        ...(journal === undefined ? {} : { journal }),
        ...(topicId.length === 0 ? {} : { topicId: ownedBytes(topicId) }),
        ...(threadRoot.length === 0 ? {} : { threadRoot: ownedBytes(threadRoot) }),
      };
    }
    case 'reaction': {
      const { messageId, emoji } = kind.value;
      if (messageId.length !== MESSAGE_ID_BYTES || !isValidReaction(emoji)) return undefined;
      return { kind: 'reaction', messageId: ownedBytes(messageId), emoji };
    }
    case 'timerChange': {
      const { seconds } = kind.value;
      return isValidTimer(seconds, minimumTimer) ? { kind: 'timerChange', seconds } : undefined;
    }
    case 'edit': {
      const { messageId, body, contentWarning } = kind.value;
      if (messageId.length !== MESSAGE_ID_BYTES) return undefined;
      if (body.length === 0 || body.length > MAX_TEXT_LENGTH) return undefined;
      if (contentWarning !== '' && !isValidWarning(contentWarning)) return undefined;
      return {
        kind: 'edit',
        messageId: ownedBytes(messageId),
        text: body,
        ...(contentWarning === '' ? {} : { warning: contentWarning }),
      };
    }
    case 'delete': {
      const { messageId } = kind.value;
      if (messageId.length !== MESSAGE_ID_BYTES) return undefined;
      return { kind: 'delete', messageId: ownedBytes(messageId) };
    }
    case undefined:
      return undefined;
  }
}

/** A text's pointers, or undefined when there are too many or one breaks the sender's rules. */
function decodeAttachments(
  wire: readonly Parameters<typeof attachmentPointerFromWire>[0][],
): AttachmentPointer[] | undefined {
  if (wire.length > MAX_ATTACHMENTS) return undefined;
  try {
    return checkAttachments(wire.map(attachmentPointerFromWire));
  } catch {
    return undefined;
  }
}

/** What a body that did not decode claims to be, for a drop reason ('malformed reaction'). */
export function malformedBodyReason(wire: WireMessageBody | undefined): string {
  return `malformed ${wire?.kind.case ?? 'message'}`;
}

/**
 * Throws CORE_INVALID_INPUT unless `journal` is a journal role a text may carry: `update`, or
 * `support` answering an update (a reply id is then required).
 */
export function checkJournalRole(journal: unknown, replyTo: unknown): JournalTextRole {
  if (journal === 'update') return journal;
  if (journal === 'support' && replyTo !== undefined) return journal;
  throw new CoreError(
    CoreErrorCode.InvalidInput,
    'a journal text is an update, or a support message answering an update',
  );
}

/**
 * A wire text's journal role: undefined for an ordinary text, null for one the sender would have
 * refused (both flags, or support that answers nothing).
 */
function decodeJournalRole(wire: {
  readonly journalUpdate: boolean;
  readonly journalSupport: boolean;
  readonly replyTo: Uint8Array;
}): JournalTextRole | undefined | null {
  if (wire.journalUpdate && wire.journalSupport) return null;
  if (wire.journalUpdate) return 'update';
  if (!wire.journalSupport) return undefined;
  return wire.replyTo.length === MESSAGE_ID_BYTES ? 'support' : null;
}
