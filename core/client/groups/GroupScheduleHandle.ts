import type { ScheduleAnswerTag } from '../messages/MessageBody.js';
import type {
  GroupSchedules,
  ScheduleChatInput,
  ScheduleClock,
  ScheduleTranscript,
  ScheduledChatView,
  ScheduledPromptView,
} from './GroupSchedules.js';

/**
 * One group's scheduled host-led chats, as its persona sees them (GroupHandle.schedules): what
 * the CLI and the desktop call. Chats are named by their hex id or a unique prefix of it.
 */
export class GroupScheduleHandle {
  readonly #schedules: GroupSchedules;
  readonly #groupId: string;

  constructor(schedules: GroupSchedules, groupId: string) {
    this.#schedules = schedules;
    this.#groupId = groupId;
  }

  /** The instant schedules are read at now (KindredClientOptions.scheduleClock). */
  now(): number {
    return this.#schedules.now();
  }

  /** Schedules a chat (moderators); its id. */
  create(input: ScheduleChatInput): Promise<string> {
    return this.#schedules.create(this.#groupId, input);
  }

  reschedule(chat: string, input: ScheduleChatInput): Promise<void> {
    return this.#schedules.reschedule(this.#groupId, chat, input);
  }

  /** The whole chat, or one occurrence (1 = the first). */
  cancel(chat: string, occurrence?: number): Promise<void> {
    return this.#schedules.cancel(this.#groupId, chat, occurrence);
  }

  list(
    clock: ScheduleClock & { readonly includePast?: boolean } = {},
  ): Promise<ScheduledChatView[]> {
    return this.#schedules.list(this.#groupId, clock);
  }

  prompts(clock: ScheduleClock = {}): Promise<ScheduledPromptView[]> {
    return this.#schedules.prompts(this.#groupId, clock);
  }

  answerTag(
    prompt: number,
    options: ScheduleClock & { readonly chatRef?: string } = {},
  ): Promise<ScheduleAnswerTag> {
    return this.#schedules.answerTag(this.#groupId, prompt, options);
  }

  transcript(
    chat: string,
    options: ScheduleClock & { readonly occurrence?: number } = {},
  ): Promise<ScheduleTranscript> {
    return this.#schedules.transcript(this.#groupId, chat, options);
  }
}
