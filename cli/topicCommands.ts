// `kindred group topic …`: a group's topics (docs/groups.md, "Topics and threads").
import type { Command } from 'commander';
import type { GroupHandle } from '../core/client/index.js';
import { parseGroupReference, parseMessageId } from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { label, openGroup, refresh, requireMessage } from './groupLookup.js';

const GROUP_ARGUMENT = 'the group id, or its name if no other group of yours has it';
const TOPIC_ARGUMENT = 'the topic’s name (if unique) or id, as `group topic list` shows; General';

type ReasonOptions = CommonOptions & { reason?: string };

/** Adds `group topic list|create|rename|close|reopen|move` to the `group` command. */
export function addTopicCommands(group: Command, common: (command: Command) => Command): void {
  const topic = group
    .command('topic')
    .description('list a group’s topics, and create, rename, close, reopen or move into them');

  common(topic.command('list'))
    .description('list the group’s topics (General first) with their unread counts')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      withTopics(reference, options, async (group, out) => {
        for (const each of await group.topics()) {
          out.emit(
            {
              event: 'group-topic',
              group: group.id,
              id: each.id,
              name: each.name,
              general: each.general,
              closed: each.closed,
              messages: each.messages,
              unread: each.unread,
              pinned: each.pinned,
            },
            `${each.name || '(name not readable yet)'}${each.closed ? ' [closed]' : ''}` +
              `  ${each.messages} messages, ${each.unread} unread` +
              (each.general ? '' : `  (id ${each.id})`),
          );
        }
      }),
    );

  common(topic.command('create'))
    .description('create a topic (moderators; members too when the group’s policy allows)')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<name>', 'its name: 1 to 64 characters, sealed so only members read it')
    .action((reference: string, name: string, options: CommonOptions) =>
      withTopics(reference, options, async (group, out) => {
        const id = await group.createTopic(name);
        out.emit(
          { event: 'group-topic-created', group: group.id, id, name: name.trim() },
          `Created topic "${name.trim()}" in ${await label(group)} (id ${id})`,
        );
      }),
    );

  common(topic.command('rename'))
    .description('rename a topic (moderators)')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<topic>', TOPIC_ARGUMENT)
    .argument('<name>', 'its new name')
    .option('--reason <text>', 'why, for the moderation log every member can read')
    .action((reference: string, which: string, name: string, options: ReasonOptions) =>
      withTopics(reference, options, async (group, out) => {
        const id = await group.resolveTopic(which);
        await group.renameTopic(which, name, options.reason);
        out.emit(
          { event: 'group-topic-renamed', group: group.id, id, name: name.trim() },
          `Renamed the topic to "${name.trim()}" in ${await label(group)}`,
        );
      }),
    );

  for (const [action, done] of [
    ['close', 'Closed'],
    ['reopen', 'Reopened'],
  ] as const) {
    common(topic.command(action))
      .description(
        action === 'close'
          ? 'close a topic to new messages (moderators; General cannot be closed)'
          : 'open a closed topic again (moderators)',
      )
      .argument('<group>', GROUP_ARGUMENT)
      .argument('<topic>', TOPIC_ARGUMENT)
      .option('--reason <text>', 'why, for the moderation log every member can read')
      .action((reference: string, which: string, options: ReasonOptions) =>
        withTopics(reference, options, async (group, out) => {
          const id = await group.resolveTopic(which);
          if (action === 'close') await group.closeTopic(which, options.reason);
          else await group.reopenTopic(which, options.reason);
          out.emit(
            { event: `group-topic-${action}d`, group: group.id, id },
            `${done} the topic in ${await label(group)}`,
          );
        }),
      );
  }

  common(topic.command('move'))
    .description('move a message into another topic (moderators): a signed entry in the log')
    .argument('<group>', GROUP_ARGUMENT)
    .argument('<message-id>', 'the message id (32 hex characters, as `group messages` shows)')
    .argument('<topic>', TOPIC_ARGUMENT)
    .option('--reason <text>', 'why, for the moderation log every member can read')
    .action((reference: string, messageId: string, which: string, options: ReasonOptions) => {
      const id = parseMessageId(messageId);
      return withTopics(reference, options, async (group, out) => {
        await requireMessage(group, id);
        const topicId = await group.resolveTopic(which);
        await group.moveMessage(id, which, options.reason);
        out.emit(
          { event: 'group-topic-moved', group: group.id, messageId: id, topic: topicId },
          `Moved message ${id} in ${await label(group)}`,
        );
      });
    });
}

function withTopics(
  reference: string,
  options: CommonOptions,
  run: (
    group: GroupHandle,
    out: { emit(record: Record<string, unknown>, human: string): void },
  ) => Promise<void>,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // Topics and their states are in the log: fetch it first.
    await refresh(group);
    await run(group, out);
  });
}
