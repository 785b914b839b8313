// `kindred group schedule …`: scheduled host-led chats (docs/groups.md "Scheduled host-led chats").
import type { Command } from 'commander';
import type { GroupHandle, ScheduleAnswerTag, ScheduleChatInput } from '../core/client/index.js';
import {
  MAX_SCHEDULE_DURATION_MINUTES,
  MAX_SCHEDULE_OCCURRENCES,
  MAX_SCHEDULE_PROMPTS,
  ScheduleReminders,
  WEEK_MS,
  formatInZone,
  toHex,
} from '../core/client/index.js';
import { parseCount, parseGroupReference } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { label, openGroup, refresh } from './groupLookup.js';
import { addScheduleReminderCommands } from './scheduleReminderCommands.js';

const GROUP_ARGUMENT = 'the group id, or its name if no other group of yours has it';
const CHAT_ARGUMENT = 'the chat id (32 hex characters, or a unique start of at least 4)';

interface ScheduleCliOptions extends CommonOptions {
  title: string;
  start: string;
  duration: string;
  weekly?: string;
  until?: string;
  prompt: string[];
}

interface ZoneOptions extends CommonOptions {
  timeZone?: string;
}

/** Adds `group schedule create|list|cancel|reschedule|transcript|remind` under `group`. */
export function addScheduleCommands(group: Command, common: (command: Command) => Command): void {
  const schedule = group
    .command('schedule')
    .description('scheduled host-led chats: prompts asked at set times, answers kept by prompt');

  const detailsOptions = (command: Command): Command =>
    command
      .requiredOption('--title <text>', 'what members see the chat as')
      .requiredOption('--start <time>', 'the first start, with its zone: 2030-01-31T18:00Z')
      .requiredOption(
        '--duration <minutes>',
        `how long it lasts: 1 to ${MAX_SCHEDULE_DURATION_MINUTES}`,
      )
      .option(
        '--weekly <count>',
        `repeat weekly, this many times in all (1 .. ${MAX_SCHEDULE_OCCURRENCES})`,
      )
      .option('--until <time>', 'repeat weekly until this time (instead of --weekly)')
      .option(
        '--prompt <minutes:text>',
        'a prompt and its minutes after the start, like "10:How do you rest?" (repeatable, in order)',
        collect,
        [],
      );

  detailsOptions(common(schedule.command('create')))
    .description('schedule a chat (moderators)')
    .argument('<group>', GROUP_ARGUMENT)
    .action(async (reference: string, options: ScheduleCliOptions) => {
      const groupRef = parseGroupReference(reference);
      const input = scheduleInput(options);
      await withClient(options, async (client, out) => {
        const group = await openGroup(client, groupRef);
        await refresh(group);
        const chat = await group.schedules.create(input);
        out.emit(
          { event: 'group-schedule', action: 'create', group: group.id, chat },
          `Scheduled "${input.title}" in ${await label(group)} (chat ${chat})`,
        );
      });
    });

  detailsOptions(common(schedule.command('reschedule')))
    .description('replace a chat’s title, times and prompts (moderators)')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<chat>', CHAT_ARGUMENT)
    .action(async (reference: string, chat: string, options: ScheduleCliOptions) => {
      const groupRef = parseGroupReference(reference);
      const input = scheduleInput(options);
      await withClient(options, async (client, out) => {
        const group = await openGroup(client, groupRef);
        await refresh(group);
        await group.schedules.reschedule(chat, input);
        out.emit(
          { event: 'group-schedule', action: 'reschedule', group: group.id, chat },
          `Rescheduled "${input.title}" in ${await label(group)}`,
        );
      });
    });

  common(schedule.command('cancel'))
    .description('cancel a chat, or one occurrence of it (moderators)')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<chat>', CHAT_ARGUMENT)
    .option('--occurrence <n>', 'only this occurrence (1 = the first)')
    .action(
      async (reference: string, chat: string, options: CommonOptions & { occurrence?: string }) => {
        const groupRef = parseGroupReference(reference);
        const occurrence =
          options.occurrence === undefined
            ? undefined
            : parseCount(options.occurrence, '--occurrence', 1, MAX_SCHEDULE_OCCURRENCES);
        await withClient(options, async (client, out) => {
          const group = await openGroup(client, groupRef);
          await refresh(group);
          await group.schedules.cancel(chat, occurrence);
          out.emit(
            {
              event: 'group-schedule',
              action: 'cancel',
              group: group.id,
              chat,
              ...(occurrence === undefined ? {} : { occurrence }),
            },
            occurrence === undefined
              ? `Cancelled the chat in ${await label(group)}`
              : `Cancelled occurrence ${occurrence} of the chat in ${await label(group)}`,
          );
        });
      },
    );

  common(schedule.command('list'))
    .description('the group’s upcoming chats, in your time zone')
    .argument('<group>', GROUP_ARGUMENT)
    .option('--time-zone <zone>', 'show times in this zone (like Europe/Paris); default: yours')
    .option('--all', 'include chats that are over')
    .action(async (reference: string, options: ZoneOptions & { all?: boolean }) => {
      const groupRef = parseGroupReference(reference);
      parseTimeZone(options.timeZone);
      await withClient(options, async (client, out) => {
        const group = await openGroup(client, groupRef);
        await refresh(group);
        const chats = await group.schedules.list({
          ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
          ...(options.all === true ? { includePast: true } : {}),
        });
        const reminders = (await new ScheduleReminders(client.localData).list()).filter(
          (r) => r.groupId === group.id,
        );
        for (const chat of chats) {
          const next = chat.next;
          const reminder = reminders.find((r) => r.chatId === chat.chatId);
          out.emit(
            {
              event: 'group-scheduled-chat',
              group: group.id,
              ...chat,
              ...(reminder === undefined ? {} : { remindMinutesBefore: reminder.minutesBefore }),
            },
            `${chat.chatId}  ${chat.title}  ` +
              (next === undefined
                ? 'over'
                : `${next.running ? 'on now' : 'next'}: ${next.localStart} – ${next.localEnd}` +
                  ` (occurrence ${next.occurrence} of ${chat.occurrences})`) +
              `  host ${chat.hostPseudonym}, ${chat.prompts.length} prompts` +
              (reminder === undefined ? '' : `, reminder ${reminder.minutesBefore} min before`),
          );
        }
      });
    });

  common(schedule.command('transcript'))
    .description('a chat’s transcript: each prompt, then the answers tagged to it')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<chat>', CHAT_ARGUMENT)
    .option('--occurrence <n>', 'which occurrence (default: the latest that started)')
    .option('--time-zone <zone>', 'show times in this zone; default: yours')
    .action(
      async (reference: string, chat: string, options: ZoneOptions & { occurrence?: string }) => {
        const groupRef = parseGroupReference(reference);
        const occurrence =
          options.occurrence === undefined
            ? undefined
            : parseCount(options.occurrence, '--occurrence', 1, MAX_SCHEDULE_OCCURRENCES);
        parseTimeZone(options.timeZone);
        await withClient(options, async (client, out) => {
          const group = await openGroup(client, groupRef);
          await refresh(group);
          await emitTranscript(group, chat, occurrence, options.timeZone, out.emit.bind(out));
        });
      },
    );

  addScheduleReminderCommands(schedule, common);
}

async function emitTranscript(
  group: GroupHandle,
  chat: string,
  occurrence: number | undefined,
  timeZone: string | undefined,
  emit: (record: Record<string, unknown>, human: string) => void,
): Promise<void> {
  const transcript = await group.schedules.transcript(chat, {
    ...(occurrence === undefined ? {} : { occurrence }),
  });
  const when = (at: number): string => formatInZone(at, timeZone);
  const author = (m: { senderPseudonym: string; sender: string }): string =>
    m.senderPseudonym === '' ? m.sender : m.senderPseudonym;
  emit(
    {
      event: 'group-transcript',
      group: group.id,
      chat: transcript.chatId,
      title: transcript.title,
      occurrence: transcript.occurrence.occurrence,
      startsAt: transcript.occurrence.startsAt,
    },
    `${transcript.title}, occurrence ${transcript.occurrence.occurrence} (${when(transcript.occurrence.startsAt)})`,
  );
  for (const section of transcript.sections) {
    const q = `Q${section.prompt.number}`;
    emit(
      {
        event: 'group-transcript-prompt',
        prompt: section.prompt.number,
        text: section.prompt.text,
        askedAt: section.prompt.askedAt,
      },
      `${q} ${section.prompt.text}`,
    );
    for (const answer of section.answers) {
      emit(
        {
          event: 'group-transcript-answer',
          prompt: section.prompt.number,
          messageId: toHex(answer.messageId),
          sender: answer.sender,
          senderPseudonym: answer.senderPseudonym,
          sentAt: answer.sentAt,
          text: answer.text,
        },
        `  A${section.prompt.number} ${author(answer)}: ${answer.text}`,
      );
    }
  }
  for (const message of transcript.untagged) {
    emit(
      {
        event: 'group-transcript-untagged',
        messageId: toHex(message.messageId),
        sender: message.sender,
        senderPseudonym: message.senderPseudonym,
        sentAt: message.sentAt,
        text: message.text,
      },
      `  – ${author(message)}: ${message.text}`,
    );
  }
}

/** The details as the options give them; CLI_USAGE for what cannot be read. */
function scheduleInput(options: ScheduleCliOptions): ScheduleChatInput {
  const startsAt = parseInstant(options.start, '--start');
  const durationMinutes = parseCount(
    options.duration,
    '--duration',
    1,
    MAX_SCHEDULE_DURATION_MINUTES,
  );
  if (options.weekly !== undefined && options.until !== undefined) {
    throw new CliError(CliErrorCode.Usage, 'give --weekly or --until, not both');
  }
  let occurrences = 1;
  if (options.weekly !== undefined) {
    occurrences = parseCount(options.weekly, '--weekly', 1, MAX_SCHEDULE_OCCURRENCES);
  } else if (options.until !== undefined) {
    const until = parseInstant(options.until, '--until');
    if (until < startsAt) throw new CliError(CliErrorCode.Usage, '--until is before --start');
    occurrences = Math.floor((until - startsAt) / WEEK_MS) + 1;
    if (occurrences > MAX_SCHEDULE_OCCURRENCES) {
      throw new CliError(
        CliErrorCode.Usage,
        `a chat repeats at most ${MAX_SCHEDULE_OCCURRENCES} times`,
      );
    }
  }
  if (options.prompt.length > MAX_SCHEDULE_PROMPTS) {
    throw new CliError(CliErrorCode.Usage, `a chat has at most ${MAX_SCHEDULE_PROMPTS} prompts`);
  }
  const prompts = options.prompt.map((prompt) => {
    const match = /^\s*(\d{1,4})\s*:(.*)$/s.exec(prompt);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new CliError(CliErrorCode.Usage, '--prompt looks like "10:How do you rest?"');
    }
    return { offsetMinutes: Number(match[1]), text: match[2] };
  });
  return { title: options.title, startsAt, durationMinutes, occurrences, prompts };
}

/** An instant with its zone (`Z` or an offset): a schedule never guesses one. */
function parseInstant(text: string, what: string): number {
  const trimmed = text.trim();
  const at = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(
    trimmed,
  )
    ? Date.parse(trimmed)
    : Number.NaN;
  if (!Number.isSafeInteger(at)) {
    throw new CliError(
      CliErrorCode.Usage,
      `${what} is a time with its zone, like 2030-01-31T18:00Z`,
    );
  }
  return at;
}

/** CLI_USAGE for a time zone Intl does not know. */
function parseTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new CliError(CliErrorCode.Usage, '--time-zone is a zone name like Europe/Paris or UTC');
  }
}

/** The tag for `group send --answer N [--chat ID]`: the prompt of the chat running now. */
export async function answerTagFor(
  group: GroupHandle,
  answer: string,
  chat: string | undefined,
): Promise<ScheduleAnswerTag> {
  const prompt = parseCount(answer, '--answer', 1, MAX_SCHEDULE_PROMPTS);
  return group.schedules.answerTag(prompt, chat === undefined ? {} : { chatRef: chat });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
