import { ownedBytes, toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { ScheduleCancel, ScheduleChat } from '../protocol/gen/kindred_pb.js';
import type { GroupMemberState, GroupScheduledChatState, GroupState } from './GroupState.js';
import { PersistentMap } from './PersistentMap.js';
import { invalid } from './ruleChecks.js';

/**
 * The rules of scheduled host-led chats (docs/groups.md "Scheduled host-led chats"), called from
 * GroupRules' operation switch once the actor is known to be a moderator. What the relay can check
 * is only this: a well-formed chat id, a sealed blob of bounded size, a bound on how many chats a
 * group keeps, and that a cancellation names a chat that exists. Title, times and prompts are
 * sealed, so their own limits are checked by members' clients (client/groups/scheduleCodec.ts).
 */

export const SCHEDULE_CHAT_ID_BYTES = 16;
/** A sealed ScheduleDetails: 50 prompts of up to 2000 characters fit with room to spare. */
export const MAX_SEALED_SCHEDULE_BYTES = 128 * 1024;
/** Chats a group keeps at once (cancelled ones leave the state). */
export const MAX_SCHEDULED_CHATS = 50;
/** Weekly repeats of one chat: two years. */
export const MAX_SCHEDULE_OCCURRENCES = 104;

/** schedule_chat: a new chat, or a reschedule (the same id: everything is replaced). */
export function applyScheduleChat(
  state: GroupState,
  moderator: GroupMemberState,
  chat: ScheduleChat,
): GroupState {
  const id = chatIdOf(chat.chatId);
  if (chat.sealedDetails.length === 0 || chat.sealedDetails.length > MAX_SEALED_SCHEDULE_BYTES) {
    throw invalid('has malformed sealed schedule details');
  }
  const schedules = state.schedules ?? PersistentMap.empty<GroupScheduledChatState>();
  if (!schedules.has(id) && schedules.size >= MAX_SCHEDULED_CHATS) {
    throw new CoreError(CoreErrorCode.GroupBadTarget, 'too many scheduled chats');
  }
  const scheduled: GroupScheduledChatState = {
    chatId: id,
    sealedDetails: ownedBytes(chat.sealedDetails),
    scheduledBy: moderator.address,
    // The operation's own sequence: whoever reads the log finds the epoch that sealed it.
    sequence: state.length,
    cancelledOccurrences: [],
  };
  return { ...state, schedules: PersistentMap.from(schedules).with(id, scheduled) };
}

/** cancel_scheduled_chat: the whole chat (occurrence 0), or one occurrence of it. */
export function applyScheduleCancel(state: GroupState, cancel: ScheduleCancel): GroupState {
  const id = chatIdOf(cancel.chatId);
  const schedules = state.schedules ?? PersistentMap.empty<GroupScheduledChatState>();
  const chat = schedules.get(id);
  if (chat === undefined) throw new CoreError(CoreErrorCode.GroupBadTarget, 'no such chat');
  if (cancel.occurrence > MAX_SCHEDULE_OCCURRENCES) throw invalid('names a bad occurrence');
  if (cancel.occurrence === 0) {
    return { ...state, schedules: PersistentMap.from(schedules).without(id) };
  }
  if (chat.cancelledOccurrences.includes(cancel.occurrence)) {
    throw new CoreError(CoreErrorCode.GroupBadTarget, 'occurrence already cancelled');
  }
  const cancelledOccurrences = [...chat.cancelledOccurrences, cancel.occurrence].sort(
    (a, b) => a - b,
  );
  return {
    ...state,
    schedules: PersistentMap.from(schedules).with(id, { ...chat, cancelledOccurrences }),
  };
}

function chatIdOf(chatId: Uint8Array): string {
  if (chatId.length !== SCHEDULE_CHAT_ID_BYTES) throw invalid('names a malformed chat id');
  return toHex(chatId);
}
