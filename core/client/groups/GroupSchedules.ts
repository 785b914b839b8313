import { randomBytes } from 'node:crypto';
import { fromHex, ownedBytes, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { epochAt } from '../../groups/GroupRules.js';
import type { GroupScheduledChatState, GroupState } from '../../groups/GroupState.js';
import { SCHEDULE_CHAT_ID_BYTES } from '../../groups/scheduleRules.js';
import type { ScheduleAnswerTag } from '../messages/MessageBody.js';
import type { PersonaState } from '../PersonaState.js';
import { currentSecret, resolveGroup } from './groupAccess.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupLog } from './GroupLog.js';
import type { GroupMessageView, GroupReading } from './GroupReading.js';
import type { ScheduleDetailsData } from './scheduleCodec.js';
import { checkScheduleDetails, openScheduleDetails, sealScheduleDetails } from './scheduleCodec.js';
import type { AskedPrompt, ScheduledOccurrence } from './scheduleTimes.js';
import {
  formatInZone,
  nextOccurrence,
  occurrencesOf,
  promptsAskedBy,
  promptsOf,
  runningOccurrence,
} from './scheduleTimes.js';

/** What a moderator fills in; `occurrences` defaults to 1 (no repeat). */
export interface ScheduleChatInput {
  readonly title: string;
  readonly startsAt: number;
  readonly durationMinutes: number;
  readonly occurrences?: number;
  readonly prompts: ScheduleDetailsData['prompts'];
}

/** The clock and zone a reading uses; each defaults to the client's (KindredClientOptions). */
export interface ScheduleClock {
  readonly now?: number;
  readonly timeZone?: string;
}

/** A chat as a member sees it, times in its own zone. */
export interface ScheduledChatView extends ScheduleDetailsData {
  /** 16 bytes in hex. */
  readonly chatId: string;
  /** The moderator who scheduled (or last rescheduled) it. */
  readonly host: string;
  readonly hostPseudonym: string;
  readonly cancelledOccurrences: readonly number[];
  /** The running occurrence, or else the next; absent once every one is over or cancelled. */
  readonly next?: ScheduledOccurrence & {
    readonly running: boolean;
    /** Its start and end as the reader reads them in `timeZone`. */
    readonly localStart: string;
    readonly localEnd: string;
  };
  /** The IANA zone the local times are in ('' for the process's own). */
  readonly timeZone: string;
}

/** A prompt as the conversation shows it: a highlighted host message at its instant. */
export interface ScheduledPromptView extends AskedPrompt {
  readonly chatId: string;
  readonly title: string;
  readonly occurrence: number;
  readonly host: string;
  readonly hostPseudonym: string;
}

/** One prompt of a transcript and the answers tagged to it, in the order they were sent. */
export interface TranscriptSection {
  readonly prompt: AskedPrompt;
  readonly answers: readonly GroupMessageView[];
}

export interface ScheduleTranscript {
  readonly chatId: string;
  readonly title: string;
  readonly occurrence: ScheduledOccurrence;
  readonly sections: readonly TranscriptSection[];
  /** Messages sent during the chat and tagged to no prompt of it, in order. */
  readonly untagged: readonly GroupMessageView[];
}

interface OpenedChat {
  readonly state: GroupScheduledChatState;
  readonly details: ScheduleDetailsData;
}

/**
 * A group's scheduled host-led chats (docs/groups.md "Scheduled host-led chats"): scheduling,
 * rescheduling and cancelling them as signed operations (moderators only: the rules refuse
 * anyone else, here before the relay does), and what members read from them: the chats in their
 * own time zone, the prompts asked by now (derived from the schedule with the client's clock,
 * never posted by anyone), the tag an answer carries, and the transcript grouped by prompt.
 */
export class GroupSchedules {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #reading: GroupReading;

  constructor(options: GroupSessionOptions, log: GroupLog, reading: GroupReading) {
    this.#options = options;
    this.#log = log;
    this.#reading = reading;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  /** Schedules a new chat; its id (hex). CORE_SCHEDULE_INVALID for bad details. */
  async create(groupRef: string, input: ScheduleChatInput): Promise<string> {
    const chatId = ownedBytes(randomBytes(SCHEDULE_CHAT_ID_BYTES));
    await this.#submitChat(groupRef, chatId, input);
    return toHex(chatId);
  }

  /** Replaces a chat's details (and clears its cancelled occurrences). */
  async reschedule(groupRef: string, chatRef: string, input: ScheduleChatInput): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const chat = chatOf(state, chatRef);
    await this.#submitChat(groupRef, fromChatHex(chat.chatId), input);
  }

  /** Cancels the whole chat, or one occurrence of it (1 = the first). */
  async cancel(groupRef: string, chatRef: string, occurrence?: number): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const before = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const chatId = fromChatHex(chatOf(before, chatRef).chatId);
    if (occurrence !== undefined) {
      const opened = await this.#open(groupId, before, chatOf(before, chatRef));
      if (
        !Number.isSafeInteger(occurrence) ||
        occurrence < 1 ||
        occurrence > (opened?.details.occurrences ?? 0)
      ) {
        throw new CoreError(CoreErrorCode.ScheduleNotFound, 'no such occurrence');
      }
    }
    await this.#log.submit(groupId, (state) => {
      this.#requireModerator(state);
      chatOf(state, toHex(chatId));
      return { case: 'cancelScheduledChat', value: { chatId, occurrence: occurrence ?? 0 } };
    });
  }

  /**
   * The group's chats that are not over, soonest first, with their next (or running)
   * occurrence in the reader's zone; `includePast` keeps the ones that are over (for transcripts).
   * A chat whose details do not open or break the limits is left out.
   */
  async list(
    groupRef: string,
    clock: ScheduleClock & { readonly includePast?: boolean } = {},
  ): Promise<ScheduledChatView[]> {
    const now = this.#now(clock);
    const timeZone = clock.timeZone ?? this.#options.timeZone;
    checkTimeZone(timeZone);
    const views: ScheduledChatView[] = [];
    for (const chat of await this.#chats(groupRef)) {
      const next = nextOccurrence(chat.details, chat.state.cancelledOccurrences, now);
      if (next === undefined && clock.includePast !== true) continue;
      views.push({
        ...chat.details,
        chatId: chat.state.chatId,
        host: chat.state.scheduledBy,
        hostPseudonym: await this.#pseudonym(groupRef, chat.state.scheduledBy),
        cancelledOccurrences: chat.state.cancelledOccurrences,
        timeZone: timeZone ?? '',
        ...(next === undefined
          ? {}
          : {
              next: {
                ...next,
                running: next.startsAt <= now,
                localStart: formatInZone(next.startsAt, timeZone),
                localEnd: formatInZone(next.endsAt, timeZone),
              },
            }),
      });
    }
    return views.sort(
      (a, b) =>
        (a.next?.startsAt ?? Infinity) - (b.next?.startsAt ?? Infinity) || a.startsAt - b.startsAt,
    );
  }

  /**
   * Every prompt asked by now, of every occurrence that has started and was not cancelled, in
   * the order asked: what the conversation shows as highlighted host messages.
   */
  async prompts(groupRef: string, clock: ScheduleClock = {}): Promise<ScheduledPromptView[]> {
    const now = this.#now(clock);
    const views: ScheduledPromptView[] = [];
    for (const chat of await this.#chats(groupRef)) {
      const hostPseudonym = await this.#pseudonym(groupRef, chat.state.scheduledBy);
      for (const occurrence of occurrencesOf(chat.details, chat.state.cancelledOccurrences)) {
        if (occurrence.cancelled || occurrence.startsAt > now) continue;
        for (const prompt of promptsAskedBy(chat.details, occurrence.startsAt, now)) {
          views.push({
            ...prompt,
            chatId: chat.state.chatId,
            title: chat.details.title,
            occurrence: occurrence.occurrence,
            host: chat.state.scheduledBy,
            hostPseudonym,
          });
        }
      }
    }
    return views.sort((a, b) => a.askedAt - b.askedAt || a.number - b.number);
  }

  /**
   * The tag for an answer to prompt `prompt` (1 = Q1) of the chat running now (`chatRef` picks
   * one when several run at once). CORE_SCHEDULE_NOT_RUNNING when none runs or that prompt has
   * not been asked yet.
   */
  async answerTag(
    groupRef: string,
    prompt: number,
    options: ScheduleClock & { readonly chatRef?: string } = {},
  ): Promise<ScheduleAnswerTag> {
    const now = this.#now(options);
    for (const chat of await this.#chats(groupRef)) {
      if (options.chatRef !== undefined && !matchesChat(chat.state.chatId, options.chatRef)) {
        continue;
      }
      const running = runningOccurrence(chat.details, chat.state.cancelledOccurrences, now);
      if (running === undefined) continue;
      const asked = promptsAskedBy(chat.details, running.startsAt, now);
      if (!asked.some((p) => p.number === prompt)) {
        throw new CoreError(CoreErrorCode.ScheduleNotRunning, 'that prompt has not been asked');
      }
      return { chatId: chat.state.chatId, occurrence: running.occurrence, prompt };
    }
    throw new CoreError(CoreErrorCode.ScheduleNotRunning, 'no scheduled chat is running');
  }

  /**
   * One occurrence's transcript (default: the latest that started): each prompt with the
   * answers tagged to it, then the chat's untagged messages (sent between its start and end).
   */
  async transcript(
    groupRef: string,
    chatRef: string,
    options: ScheduleClock & { readonly occurrence?: number } = {},
  ): Promise<ScheduleTranscript> {
    const now = this.#now(options);
    const chat = (await this.#chats(groupRef)).find((c) => matchesChat(c.state.chatId, chatRef));
    if (chat === undefined) throw new CoreError(CoreErrorCode.ScheduleNotFound, 'no such chat');
    const all = occurrencesOf(chat.details, chat.state.cancelledOccurrences);
    const occurrence =
      options.occurrence === undefined
        ? all.filter((o) => !o.cancelled && o.startsAt <= now).at(-1)
        : all.find((o) => o.occurrence === options.occurrence);
    if (occurrence === undefined) {
      throw new CoreError(CoreErrorCode.ScheduleNotFound, 'no such occurrence (or none started)');
    }
    const messages = (await this.#reading.messages(groupRef)).filter((m) => !m.deleted);
    const ours = (m: GroupMessageView, number: number): boolean =>
      m.scheduleAnswer?.chatId === chat.state.chatId &&
      m.scheduleAnswer.occurrence === occurrence.occurrence &&
      m.scheduleAnswer.prompt === number;
    const bySent = (a: GroupMessageView, b: GroupMessageView): number =>
      a.sentAt - b.sentAt || a.index - b.index;
    const prompts = promptsOf(chat.details, occurrence.startsAt);
    return {
      chatId: chat.state.chatId,
      title: chat.details.title,
      occurrence,
      sections: prompts.map((prompt) => ({
        prompt,
        answers: messages.filter((m) => ours(m, prompt.number)).sort(bySent),
      })),
      untagged: messages
        .filter(
          (m) =>
            !prompts.some((p) => ours(m, p.number)) &&
            m.scheduleAnswer?.chatId !== chat.state.chatId &&
            m.sentAt >= occurrence.startsAt &&
            m.sentAt < occurrence.endsAt,
        )
        .sort(bySent),
    };
  }

  async #submitChat(groupRef: string, chatId: Uint8Array, input: ScheduleChatInput): Promise<void> {
    const details = checkScheduleDetails({ ...input, occurrences: input.occurrences ?? 1 });
    const last = occurrencesOf(details, []).at(-1);
    if (last === undefined || last.endsAt <= this.#now({})) {
      throw new CoreError(CoreErrorCode.ScheduleInvalid, 'the chat would be over already');
    }
    const { groupId } = await resolveGroup(this.#state, groupRef);
    await this.#log.submit(groupId, async (state) => {
      this.#requireModerator(state);
      const secret = await currentSecret(this.#state, this.#log.keys, groupId, state);
      return {
        case: 'scheduleChat',
        value: {
          chatId,
          sealedDetails: await sealScheduleDetails(secret, groupId, chatId, details),
        },
      };
    });
  }

  /** The group's chats whose details open, in no particular order. */
  async #chats(groupRef: string): Promise<OpenedChat[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const opened: OpenedChat[] = [];
    for (const chat of state.schedules?.values() ?? []) {
      const one = await this.#open(groupId, state, chat);
      if (one !== undefined) opened.push(one);
    }
    return opened;
  }

  /** Opened with the epoch that sealed it first; undefined when nothing we hold opens it. */
  async #open(
    groupId: Uint8Array,
    state: GroupState,
    chat: GroupScheduledChatState,
  ): Promise<OpenedChat | undefined> {
    const secrets = await this.#state.transact(() =>
      this.#log.keys.held(groupId, state, epochAt(state, chat.sequence)),
    );
    for (const secret of secrets) {
      try {
        const details = await openScheduleDetails(
          secret,
          groupId,
          fromChatHex(chat.chatId),
          chat.sealedDetails,
        );
        return { state: chat, details };
      } catch (error) {
        // Another epoch's secret, or details that break the limits: the chat is not shown.
        if (CoreError.is(error, CoreErrorCode.ScheduleInvalid)) return undefined;
      }
    }
    return undefined;
  }

  async #pseudonym(groupRef: string, address: string): Promise<string> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    return this.#state.transact(
      async () => (await this.#state.groups.peer(groupId, address))?.pseudonym ?? '',
    );
  }

  /** The rules' own refusal, before anything is sealed (a member may not hold the key yet). */
  #requireModerator(state: GroupState): void {
    const role = state.members.get(this.#state.persona.address)?.role;
    if (role === undefined) throw new CoreError(CoreErrorCode.GroupNotMember, 'not a member');
    if (role === 'member') {
      throw new CoreError(CoreErrorCode.GroupForbidden, 'only a moderator or above may do this');
    }
  }

  /**
   * The instant schedules are read at now (the client's schedule clock): a caller making two
   * readings that must agree (the prompts and which chat runs) passes it to both.
   */
  now(): number {
    return this.#now({});
  }

  #now(clock: ScheduleClock): number {
    return clock.now ?? this.#options.scheduleClock?.() ?? Date.now();
  }
}

/** A chat named by its hex id or a unique prefix of it (at least 4 characters). */
function chatOf(state: GroupState, chatRef: string): GroupScheduledChatState {
  const matches = [...(state.schedules?.values() ?? [])].filter((chat) =>
    matchesChat(chat.chatId, chatRef),
  );
  const [only] = matches;
  if (only === undefined || matches.length > 1) {
    throw new CoreError(CoreErrorCode.ScheduleNotFound, 'no such scheduled chat');
  }
  return only;
}

function matchesChat(chatId: string, chatRef: string): boolean {
  const wanted = chatRef.trim().toLowerCase();
  return wanted.length >= 4 && chatId.startsWith(wanted);
}

function fromChatHex(chatId: string): Uint8Array {
  const bytes = fromHex(chatId);
  if (bytes === undefined) throw new CoreError(CoreErrorCode.Internal, 'stored chat id malformed');
  return bytes;
}

/** CORE_INVALID_INPUT for a time zone Intl does not know. */
function checkTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'unknown time zone', { cause: error });
  }
}
