import type { Command } from 'commander';
import { Option } from 'commander';
import { readLink, readMessageText } from './privateInput.js';
import { collectFiles } from './attachmentCommands.js';
import type { CommonOptions } from './commandClient.js';
import type {
  GroupCreateCliOptions,
  GroupInfoCliOptions,
  GroupJoinCliOptions,
  GroupPolicyCliOptions,
} from './groupActions.js';
import {
  groupCreateCommand,
  groupInfoCommand,
  groupInviteCommand,
  groupJoinCommand,
  groupPreviewCommand,
  groupLeaveCommand,
  groupResetInvitesCommand,
  groupListCommand,
  groupMembersCommand,
  groupPolicyCommand,
  groupTimerCommand,
  groupRequestsCommand,
} from './groupActions.js';
import { groupMessagesCommand, groupSendCommand } from './groupMessageActions.js';
import { addScheduleCommands } from './scheduleCommands.js';
import { addGroupResourceCommands } from './groupResourceCommands.js';
import { addTopicCommands } from './topicCommands.js';
import { addListRequestCommand } from './directoryCommands.js';
import type { MemberAction, MessageAction, ReasonOptions } from './groupModerationActions.js';
import {
  groupLogCommand,
  groupMemberCommand,
  groupMessageActionCommand,
  groupMuteCommand,
  groupWarningsCommand,
  reportCommand,
  reportsCommand,
} from './groupModerationActions.js';

const GROUP_ARGUMENT = 'the group id, or its name if no other group of yours has it';
const MEMBER_ARGUMENT = 'the member’s address, or their pseudonym if unique in the group';
const MESSAGE_ARGUMENT = 'the message id (32 hex characters, as `group messages` shows)';

const MEMBER_ACTIONS: readonly [MemberAction, string][] = [
  ['approve', 'let someone who asked to join in'],
  ['deny', 'turn down a request to join'],
  ['remove', 'remove a member (they may join again with a new invite)'],
  ['ban', 'remove a member (or a request) for good, until unbanned'],
  ['unban', 'lift a ban'],
  ['promote', 'make a member a moderator (owner only)'],
  ['demote', 'make a moderator a member again (owner only)'],
  ['transfer', 'hand the group over to another member (owner only)'],
];

const MESSAGE_ACTIONS: readonly [MessageAction, string][] = [
  ['pin', 'pin a message for everyone'],
  ['unpin', 'unpin a message'],
  ['delete', 'delete a message for everyone (the log keeps that it was deleted, by whom)'],
];

function personaOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--persona <which>',
        'take part as a fresh persona with keys of its own (default; the relay still sees your ' +
          'IP address unless you use --proxy), or as your current one',
      ).choices(['fresh', 'current']),
    )
    .option(
      '--pseudonym <name>',
      'the fresh persona’s pseudonym (default: two made-up words, never your other personas’ names)',
    );
}

/** Adds `group …`, `report` and `reports`. `common` adds the options every command accepts. */
export function addGroupCommands(program: Command, common: (command: Command) => Command): void {
  const group = program.command('group').description('create, join, talk in and moderate groups');
  addListRequestCommand(group, common);

  personaOptions(common(group.command('create')))
    .description('create a group (you are its owner)')
    .argument('<name>', 'the group’s name, which only members see')
    .option('--approval', 'new members need a moderator’s approval')
    .option('--slow-mode <seconds>', 'at most one post per member per this many seconds')
    .addOption(
      new Option('--posting <who>', 'who may post (default: everyone)').choices([
        'everyone',
        'moderators',
      ]),
    )
    .option('--description <text>', 'what the group is for')
    .option('--rules <text>', 'the group’s rules')
    .action((name: string, options: GroupCreateCliOptions) => groupCreateCommand(name, options));

  common(group.command('invite'))
    .description('make an invite link to a group')
    .argument('<group>', GROUP_ARGUMENT)
    .option('--uses <n>', 'how many people may use it', '1')
    .option('--expires <duration>', 'lifetime, like 30m, 24h or 7d', '7d')
    .action((reference: string, options: CommonOptions & { uses: string; expires: string }) =>
      groupInviteCommand(reference, options),
    );

  personaOptions(common(group.command('join')))
    .description('join a group with its invite link (or ask to, if it admits by approval)')
    .argument('[link]', 'a kindred:group/… link, or - to read it from stdin')
    .option('--link-file <path>', 'read the link from a file')
    .option(
      '--intro <text>',
      'a short introduction (up to 500 characters) the moderators read beside your request',
    )
    .action(
      async (link: string | undefined, options: GroupJoinCliOptions & { linkFile?: string }) => {
        const { linkFile, ...rest } = options;
        await groupJoinCommand(await readLink(link, linkFile), rest);
      },
    );

  common(group.command('preview'))
    .description(
      'show what an invite link opens before you join: the group’s name, rules and whether a moderator approves',
    )
    .argument('[link]', 'a kindred:group/… link, or - to read it from stdin')
    .option('--link-file <path>', 'read the link from a file')
    .action(async (link: string | undefined, options: CommonOptions & { linkFile?: string }) => {
      const { linkFile, ...rest } = options;
      await groupPreviewCommand(await readLink(link, linkFile), rest);
    });

  common(group.command('list'))
    .description('list your groups, with the persona, role and status you have in each')
    .action((options: CommonOptions) => groupListCommand(options));

  common(group.command('info'))
    .description('show a group; with options, change its name, description or rules')
    .argument('<group>', GROUP_ARGUMENT)
    .option('--name <name>', 'a new name')
    .option('--description <text>', 'a new description')
    .option('--rules <text>', 'new rules')
    .action((reference: string, options: GroupInfoCliOptions) =>
      groupInfoCommand(reference, options),
    );

  common(group.command('policy'))
    .description('show who may join and post; with options, change it')
    .argument('<group>', GROUP_ARGUMENT)
    .addOption(
      new Option('--approval <on|off>', 'whether joining needs approval').choices(['on', 'off']),
    )
    .option('--slow-mode <seconds>', 'at most one post per member per this many seconds (0: off)')
    .addOption(new Option('--posting <who>', 'who may post').choices(['everyone', 'moderators']))
    .addOption(
      new Option(
        '--image-warnings <required|optional>',
        'whether images need a content warning (unwarned ones are refused, and covered)',
      ).choices(['required', 'optional']),
    )
    .action((reference: string, options: GroupPolicyCliOptions) =>
      groupPolicyCommand(reference, options),
    );

  common(group.command('timer'))
    .description('set disappearing messages for the group (moderators): 5m .. 4w, or off')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<timer>', 'off, or like 30m, 1h, 1d, 1w')
    .action((reference: string, value: string, options: CommonOptions) =>
      groupTimerCommand(reference, value, options),
    );

  common(group.command('members'))
    .description('list members and their roles')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) => groupMembersCommand(reference, options));

  common(group.command('requests'))
    .description('list requests to join, for moderators to approve or deny')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      groupRequestsCommand(reference, options),
    );

  common(group.command('send'))
    .description('send a message to a group')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('[text]', 'the message, or - to read it from stdin (kept out of ps and history)')
    .option('--text-file <path>', 'read the message from a file')
    .option('--reply-to <message-id>', 'the message this one answers')
    .option('--attach <file>', 'attach a file (repeatable, at most 10)', collectFiles, [])
    .option('--send-uncleaned', 'send files Kindred cannot clean of their metadata as they are')
    .option(
      '--keep-names',
      'send the files under their real names (default: photo.jpg, document.pdf…)',
    )
    .option('--warning <text>', 'a content warning: members see the message covered by it')
    .option('--answer <n>', 'answer prompt n (Q1 = 1) of the scheduled chat running now')
    .option('--chat <id>', 'with --answer: which chat, when several run at once')
    .option('--topic <topic>', 'post into this topic (its name or id; default General)')
    .option('--thread <message-id>', 'reply in the thread this message starts')
    .action(
      async (
        reference: string,
        text: string | undefined,
        options: CommonOptions & {
          replyTo?: string;
          textFile?: string;
          attach: string[];
          sendUncleaned?: boolean;
          warning?: string;
          keepNames?: boolean;
          answer?: string;
          chat?: string;
          topic?: string;
          thread?: string;
        },
      ) => {
        const { textFile, ...rest } = options;
        const body =
          text === undefined && textFile === undefined && rest.attach.length > 0
            ? ''
            : await readMessageText(text, textFile);
        await groupSendCommand(reference, body, rest);
      },
    );

  common(group.command('messages'))
    .description('show a group’s messages, with the ids to report, pin or delete them by')
    .argument('<group>', GROUP_ARGUMENT)
    .option('--reveal', 'show messages under a content warning uncovered')
    .option('--topic <topic>', 'only the messages in this topic (name or id; General)')
    .option('--thread <message-id>', 'only this message and the replies in its thread')
    .action(
      (
        reference: string,
        options: CommonOptions & { reveal?: boolean; topic?: string; thread?: string },
      ) => groupMessagesCommand(reference, options),
    );

  addTopicCommands(group, common);

  for (const [action, description] of MEMBER_ACTIONS) {
    common(group.command(action))
      .description(description)
      .argument('<group>', GROUP_ARGUMENT)
      .argument('<member>', MEMBER_ARGUMENT)
      .option('--reason <text>', 'why, for the moderation log every member can read')
      .action((reference: string, member: string, options: ReasonOptions) =>
        groupMemberCommand(action, reference, member, options),
      );
  }

  common(group.command('mute'))
    .description('stop a member from posting for a while')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<member>', MEMBER_ARGUMENT)
    .option('--until <time>', 'an ISO time, or a duration from now like 30m or 7d (default: 24h)')
    .option('--reason <text>', 'why, for the moderation log every member can read')
    .action((reference: string, member: string, options: ReasonOptions & { until?: string }) =>
      groupMuteCommand(true, reference, member, options),
    );

  common(group.command('unmute'))
    .description('let a muted member post again')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<member>', MEMBER_ARGUMENT)
    .option('--reason <text>', 'why, for the moderation log every member can read')
    .action((reference: string, member: string, options: ReasonOptions) =>
      groupMuteCommand(false, reference, member, options),
    );

  for (const [action, description] of MESSAGE_ACTIONS) {
    common(group.command(action))
      .description(description)
      .argument('<group>', GROUP_ARGUMENT)
      .argument('<message-id>', MESSAGE_ARGUMENT)
      .option('--reason <text>', 'why, for the moderation log every member can read')
      .action((reference: string, messageId: string, options: ReasonOptions) =>
        groupMessageActionCommand(action, reference, messageId, options),
      );
  }

  common(group.command('log'))
    .description('show the moderation log: who did what to whom, when and why')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) => groupLogCommand(reference, options));

  common(group.command('warnings'))
    .description('show what this client caught the relay doing against the group’s rules')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      groupWarningsCommand(reference, options),
    );

  common(group.command('reset-invites'))
    .description(
      'revoke every open invite link and start a new epoch of the group key (moderators)',
    )
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      groupResetInvitesCommand(reference, options),
    );

  common(group.command('leave'))
    .description('leave a group')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) => groupLeaveCommand(reference, options));

  addScheduleCommands(group, common);
  addGroupResourceCommands(group, common);

  common(program.command('report'))
    .description('report a group message to the group’s moderators (not to the relay)')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<message-id>', MESSAGE_ARGUMENT)
    .option('--reason <text>', 'what is wrong with it')
    .action((reference: string, messageId: string, options: ReasonOptions) =>
      reportCommand(reference, messageId, options),
    );

  common(program.command('reports'))
    .description('show the reports members sent you as a moderator of a group')
    .argument('<group>', GROUP_ARGUMENT)
    .option('--dismiss <number>', 'dismiss a report (by its #number) for yourself')
    .action((reference: string, options: CommonOptions & { dismiss?: string }) =>
      reportsCommand(reference, options),
    );
}
