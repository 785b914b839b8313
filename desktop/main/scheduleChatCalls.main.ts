import type { GroupHandle, GroupMessageView, ScheduleAnswerTag } from '../../core/client/index.js';
import { CoreError, CoreErrorCode, toHex } from '../../core/client/index.js';
import type {
  AskedPromptView,
  ScheduleAnswerTagView,
  TranscriptAnswerView,
  TranscriptView,
} from '../shared/scheduledChatViews.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type ScheduledChatMethod = 'scheduledChat.prompts' | 'scheduledChat.transcript';

/**
 * A scheduled chat during and after it runs (docs/groups.md "Scheduled chats"): the prompts
 * asked so far (core derives them from the schedule and its clock, KindredClientOptions
 * .scheduleClock, which a test injects), and an occurrence's transcript grouped by prompt (core's
 * own, the one the CLI prints). Sending an answer is conversations.send with `answer`
 * ({@link checkedAnswerTag}).
 */
export function scheduledChatHandlers(
  vault: () => UnlockedVault,
): Pick<ApiHandlers, ScheduledChatMethod> {
  return {
    'scheduledChat.prompts': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      return askedPrompts(handle);
    },
    'scheduledChat.transcript': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      const transcript = await handle.schedules.transcript(
        args.chatId,
        args.occurrence === undefined ? {} : { occurrence: args.occurrence },
      );
      return {
        chatId: transcript.chatId,
        title: transcript.title,
        occurrence: transcript.occurrence.occurrence,
        startsAt: transcript.occurrence.startsAt,
        endsAt: transcript.occurrence.endsAt,
        sections: transcript.sections.map((section) => ({
          number: section.prompt.number,
          text: section.prompt.text,
          askedAt: section.prompt.askedAt,
          answers: section.answers.map(answerView),
        })),
        untagged: transcript.untagged.length,
      } satisfies TranscriptView;
    },
  };
}

/** Every prompt asked by now, in the order asked; `open` while its occurrence runs. */
async function askedPrompts(handle: GroupHandle): Promise<AskedPromptView[]> {
  // One reading of the clock for both: a prompt and its chat's running flag must agree.
  const now = handle.schedules.now();
  const running = new Map<string, number>();
  for (const chat of await handle.schedules.list({ now })) {
    if (chat.next?.running === true) running.set(chat.chatId, chat.next.occurrence);
  }
  return (await handle.schedules.prompts({ now })).map((prompt) => ({
    chatId: prompt.chatId,
    title: prompt.title,
    occurrence: prompt.occurrence,
    number: prompt.number,
    text: prompt.text,
    askedAt: prompt.askedAt,
    hostPseudonym: prompt.hostPseudonym,
    open: running.get(prompt.chatId) === prompt.occurrence,
  }));
}

/**
 * The tag of an answer the window sends, checked against the chat running now: core's
 * CORE_SCHEDULE_NOT_RUNNING when that prompt was not asked yet, the chat is not on, or the
 * occurrence the window names has ended since it showed the prompt.
 */
export async function checkedAnswerTag(
  handle: GroupHandle,
  answer: ScheduleAnswerTagView,
): Promise<ScheduleAnswerTag> {
  const tag = await handle.schedules.answerTag(answer.prompt, { chatRef: answer.chatId });
  if (tag.chatId !== answer.chatId || tag.occurrence !== answer.occurrence) {
    throw new CoreError(CoreErrorCode.ScheduleNotRunning, 'that occurrence is not running');
  }
  return tag;
}

function answerView(message: GroupMessageView): TranscriptAnswerView {
  const covered = message.warning !== undefined;
  return {
    id: toHex(message.messageId),
    author: message.senderPseudonym,
    self: message.outgoing,
    text: covered ? '' : message.text,
    sentAt: message.sentAt,
    ...(covered ? { warning: message.warning } : {}),
  };
}
