import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { concatBytes } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupSecret } from '../../groups/GroupSecret.js';
import { MAX_SCHEDULE_OCCURRENCES } from '../../groups/scheduleRules.js';
import { ScheduleDetailsSchema } from '../../protocol/gen/kindred_pb.js';

/**
 * What a scheduled chat says, sealed under the group secret (docs/groups.md "Scheduled host-led
 * chats"). The relay cannot check any of it, so every member's client checks it again when it
 * opens it (`openScheduleDetails`) and hides a chat whose details break these limits.
 */

export const MAX_SCHEDULE_TITLE_LENGTH = 200;
export const MAX_SCHEDULE_PROMPT_LENGTH = 2000;
export const MAX_SCHEDULE_PROMPTS = 50;
/** A chat lasts a minute to a day. */
export const MAX_SCHEDULE_DURATION_MINUTES = 24 * 60;

const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LAYOUT = /(?![\n\t])\p{Cc}/u;

export interface SchedulePromptData {
  /** Minutes after the occurrence's start when it is asked; below the duration. */
  readonly offsetMinutes: number;
  readonly text: string;
}

export interface ScheduleDetailsData {
  readonly title: string;
  /** The first occurrence's start, ms since the epoch (an instant: no time zone). */
  readonly startsAt: number;
  readonly durationMinutes: number;
  /** Weekly occurrences: 1 (once) .. MAX_SCHEDULE_OCCURRENCES. */
  readonly occurrences: number;
  /** Q1, Q2, ... by ascending offset. */
  readonly prompts: readonly SchedulePromptData[];
}

/** Checks a schedule as its moderator wrote it; CORE_SCHEDULE_INVALID with what is wrong. */
export function checkScheduleDetails(details: ScheduleDetailsData): ScheduleDetailsData {
  const title = typeof details.title === 'string' ? details.title.trim() : '';
  if (title === '' || title.length > MAX_SCHEDULE_TITLE_LENGTH || CONTROL.test(title)) {
    throw invalid(`a title has 1 to ${MAX_SCHEDULE_TITLE_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(details.startsAt) || details.startsAt <= 0) {
    throw invalid('the start is not a time');
  }
  const duration = details.durationMinutes;
  if (!Number.isSafeInteger(duration) || duration < 1 || duration > MAX_SCHEDULE_DURATION_MINUTES) {
    throw invalid(`a chat lasts 1 to ${MAX_SCHEDULE_DURATION_MINUTES} minutes`);
  }
  const occurrences = details.occurrences;
  if (
    !Number.isSafeInteger(occurrences) ||
    occurrences < 1 ||
    occurrences > MAX_SCHEDULE_OCCURRENCES
  ) {
    throw invalid(`a chat repeats 1 to ${MAX_SCHEDULE_OCCURRENCES} times`);
  }
  const given: readonly SchedulePromptData[] = details.prompts;
  if (given.length > MAX_SCHEDULE_PROMPTS) {
    throw invalid(`a chat has at most ${MAX_SCHEDULE_PROMPTS} prompts`);
  }
  let previous = -1;
  const prompts = given.map((prompt, index) => {
    const offset = prompt.offsetMinutes;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= duration) {
      throw invalid(`prompt ${index + 1}'s offset is not within the chat's duration`);
    }
    if (offset < previous) throw invalid('prompts come in order of their offsets');
    previous = offset;
    const text = typeof prompt.text === 'string' ? prompt.text.trim() : '';
    if (
      text === '' ||
      text.length > MAX_SCHEDULE_PROMPT_LENGTH ||
      !text.isWellFormed() ||
      CONTROL_BUT_LAYOUT.test(text)
    ) {
      throw invalid(`a prompt has 1 to ${MAX_SCHEDULE_PROMPT_LENGTH} characters`);
    }
    return { offsetMinutes: offset, text };
  });
  return { title, startsAt: details.startsAt, durationMinutes: duration, occurrences, prompts };
}

/** Bound to the group and the chat id, so sealed details cannot be moved to another chat. */
function sealContext(groupId: Uint8Array, chatId: Uint8Array): Uint8Array {
  return concatBytes(groupId, chatId);
}

export function sealScheduleDetails(
  secret: GroupSecret,
  groupId: Uint8Array,
  chatId: Uint8Array,
  details: ScheduleDetailsData,
): Promise<Uint8Array> {
  const wire = create(ScheduleDetailsSchema, {
    title: details.title,
    startsAt: BigInt(details.startsAt),
    durationMinutes: details.durationMinutes,
    occurrences: details.occurrences,
    prompts: details.prompts.map((prompt) => ({ ...prompt })),
  });
  return secret.seal(
    'schedule',
    toBinary(ScheduleDetailsSchema, wire),
    sealContext(groupId, chatId),
  );
}

/**
 * Opens and checks sealed details: CORE_DECRYPT_FAILED when they do not open under `secret`,
 * CORE_SCHEDULE_INVALID when what opens breaks the limits a moderator's client enforces.
 */
export async function openScheduleDetails(
  secret: GroupSecret,
  groupId: Uint8Array,
  chatId: Uint8Array,
  sealed: Uint8Array,
): Promise<ScheduleDetailsData> {
  const plain = await secret.open('schedule', sealed, sealContext(groupId, chatId));
  let wire;
  try {
    wire = fromBinary(ScheduleDetailsSchema, plain);
  } catch (error) {
    throw new CoreError(CoreErrorCode.ScheduleInvalid, 'schedule details are malformed', {
      cause: error,
    });
  }
  if (wire.startsAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('the start is not a time');
  return checkScheduleDetails({
    title: wire.title,
    startsAt: Number(wire.startsAt),
    durationMinutes: wire.durationMinutes,
    occurrences: wire.occurrences,
    prompts: wire.prompts.map((prompt) => ({
      offsetMinutes: prompt.offsetMinutes,
      text: prompt.text,
    })),
  });
}

function invalid(reason: string): CoreError {
  return new CoreError(CoreErrorCode.ScheduleInvalid, reason);
}
