// `kindred group schedule remind …`: a local "remind me" for a scheduled chat (docs/groups.md "Reminders").
import type { Command } from 'commander';
import {
  DEFAULT_REMINDER_MINUTES,
  MAX_REMINDER_MINUTES,
  ScheduleReminders,
} from '../core/client/index.js';
import { parseCount, parseGroupReference } from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { label, openGroup, refresh } from './groupLookup.js';

interface RemindOptions extends CommonOptions {
  minutes?: string;
  off?: boolean;
}

/** Adds `remind` under `group schedule`. */
export function addScheduleReminderCommands(
  schedule: Command,
  common: (command: Command) => Command,
): void {
  common(schedule.command('remind'))
    .description('remind me before each occurrence of a chat (kept on this device only)')
    .argument('<group>', 'the group id, or its name if no other group of yours has it')
    .argument('<chat>', 'the chat id (32 hex characters, or a unique start of at least 4)')
    .option(
      '--minutes <n>',
      `how long before it starts: 0 to ${MAX_REMINDER_MINUTES} (default ${DEFAULT_REMINDER_MINUTES})`,
    )
    .option('--off', 'stop reminding me of this chat')
    .action(async (reference: string, chat: string, options: RemindOptions) => {
      const groupRef = parseGroupReference(reference);
      const minutes =
        options.minutes === undefined
          ? DEFAULT_REMINDER_MINUTES
          : parseCount(options.minutes, '--minutes', 0, MAX_REMINDER_MINUTES);
      await withClient(options, async (client, out) => {
        const group = await openGroup(client, groupRef);
        const reminders = new ScheduleReminders(client.localData);
        if (options.off === true) {
          await reminders.clear(group, chat);
          out.emit(
            { event: 'group-schedule-reminder', action: 'off', group: group.id, chat },
            `No reminder for that chat in ${await label(group)}`,
          );
          return;
        }
        await refresh(group);
        const reminder = await reminders.set(group, chat, minutes);
        out.emit(
          { event: 'group-schedule-reminder', action: 'on', ...reminder },
          `Reminding you ${minutes} min before each occurrence (in ${await label(group)})`,
        );
      });
    });
}
