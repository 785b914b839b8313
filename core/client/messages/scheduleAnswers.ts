import { fromHex, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { MAX_SCHEDULE_OCCURRENCES, SCHEDULE_CHAT_ID_BYTES } from '../../groups/scheduleRules.js';
import type { ScheduleAnswer } from '../../protocol/gen/kindred_pb.js';
import type { RecordReader } from '../jsonRecord.js';
import type { ScheduleAnswerTag } from './MessageBody.js';

/**
 * A text's tag naming the prompt of a scheduled chat it answers (Text field 7): its limits, its
 * wire and record forms. Whether the chat exists and was running is the reader's business (a
 * transcript groups only answers to its own chat); here only the shape is checked.
 */

/** The most prompts a chat has (client/groups/scheduleCodec.ts MAX_SCHEDULE_PROMPTS). */
const MAX_PROMPT_NUMBER = 50;
const CHAT_ID_HEX = new RegExp(`^[0-9a-f]{${SCHEDULE_CHAT_ID_BYTES * 2}}$`);

export function isValidScheduleAnswer(tag: unknown): tag is ScheduleAnswerTag {
  if (typeof tag !== 'object' || tag === null) return false;
  const { chatId, occurrence, prompt } = tag as Record<string, unknown>;
  return (
    typeof chatId === 'string' &&
    CHAT_ID_HEX.test(chatId) &&
    Number.isSafeInteger(occurrence) &&
    (occurrence as number) >= 1 &&
    (occurrence as number) <= MAX_SCHEDULE_OCCURRENCES &&
    Number.isSafeInteger(prompt) &&
    (prompt as number) >= 1 &&
    (prompt as number) <= MAX_PROMPT_NUMBER
  );
}

/** The sender's check: CORE_INVALID_INPUT for a malformed tag. */
export function checkScheduleAnswer(tag: unknown): ScheduleAnswerTag {
  if (!isValidScheduleAnswer(tag)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'a prompt answer names a chat, occurrence and prompt',
    );
  }
  return { chatId: tag.chatId, occurrence: tag.occurrence, prompt: tag.prompt };
}

export function scheduleAnswerToWire(tag: ScheduleAnswerTag): {
  chatId: Uint8Array;
  occurrence: number;
  prompt: number;
} {
  const chatId = fromHex(tag.chatId);
  if (chatId === undefined) throw new CoreError(CoreErrorCode.InvalidInput, 'malformed chat id');
  return { chatId, occurrence: tag.occurrence, prompt: tag.prompt };
}

/** The tag a received text carries; `null` when it carries a malformed one (drop the text). */
export function scheduleAnswerFromWire(
  wire: ScheduleAnswer | undefined,
): ScheduleAnswerTag | undefined | null {
  if (wire === undefined) return undefined;
  if (wire.chatId.length !== SCHEDULE_CHAT_ID_BYTES) return null;
  const tag = { chatId: toHex(wire.chatId), occurrence: wire.occurrence, prompt: wire.prompt };
  return isValidScheduleAnswer(tag) ? tag : null;
}

/** A stored message's tag (CORE_VAULT_CORRUPT when malformed). */
export function readScheduleAnswer(r: RecordReader | undefined): ScheduleAnswerTag | undefined {
  if (r === undefined) return undefined;
  const tag = {
    chatId: r.string('chatId'),
    occurrence: r.number('occurrence'),
    prompt: r.number('prompt'),
  };
  if (!isValidScheduleAnswer(tag)) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'stored prompt answer malformed');
  }
  return tag;
}
