/**
 * What the window shows of a scheduled chat while it runs and after (docs/groups.md "Scheduled
 * chats"): the prompts asked so far, as highlighted host messages among the others; the tag an
 * answer carries ("A2"); and an occurrence's transcript grouped by prompt. Instants are UTC
 * milliseconds; plain JSON.
 */

/** The prompt of a scheduled chat a message answers: its chat, occurrence (1 = first), prompt (1 = Q1). */
export interface ScheduleAnswerTagView {
  /** 32 hex characters. */
  readonly chatId: string;
  readonly occurrence: number;
  readonly prompt: number;
}

/** A prompt asked by now, shown at its instant in the group's messages. */
export interface AskedPromptView {
  readonly chatId: string;
  /** The chat's title ("Thursday check-in"). */
  readonly title: string;
  readonly occurrence: number;
  /** 1 = Q1. */
  readonly number: number;
  readonly text: string;
  readonly askedAt: number;
  /** The moderator who scheduled the chat ('' when not known by name). */
  readonly hostPseudonym: string;
  /** Its occurrence is running now: answers may be tagged to it. */
  readonly open: boolean;
}

/** One answer in a transcript. */
export interface TranscriptAnswerView {
  /** The message id (hex). */
  readonly id: string;
  readonly author: string;
  readonly self: boolean;
  /** '' when it is covered by a content warning (read it in the chat). */
  readonly text: string;
  readonly sentAt: number;
  readonly warning?: string;
}

export interface TranscriptSectionView {
  readonly number: number;
  readonly text: string;
  readonly askedAt: number;
  /** In the order they were sent. */
  readonly answers: readonly TranscriptAnswerView[];
}

/** One occurrence of a chat: each prompt with the answers tagged to it. */
export interface TranscriptView {
  readonly chatId: string;
  readonly title: string;
  readonly occurrence: number;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly sections: readonly TranscriptSectionView[];
  /** Messages sent during the chat and tagged to no prompt of it. */
  readonly untagged: number;
}
