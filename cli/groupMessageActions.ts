// The group commands for messages: reading them and writing them.
import { UNCLEANED_WARNING, progressOnStderr } from './attachmentCommands.js';
import type { KindredClient } from '../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  MAX_TEXT_LENGTH,
  bytesEqual,
  toHex,
} from '../core/client/index.js';
import { parseGroupReference, parseMessageId, parseText, parseWarning } from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import { flushOrExplain, withClient } from './commandClient.js';
import { formatGroupMessage } from './groupFormat.js';
import { label, openGroup, refresh, requireMessage } from './groupLookup.js';
import { answerTagFor } from './scheduleCommands.js';

/** `group messages`: a message under a content warning is shown covered unless --reveal. */
export function groupMessagesCommand(
  reference: string,
  options: CommonOptions & { reveal?: boolean; topic?: string; thread?: string },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const thread =
    options.thread === undefined ? undefined : parseMessageId(options.thread, '--thread');
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // Deletions and pins are in the log; new messages come with `sync`, as for contacts.
    await refresh(group);
    const topic = options.topic === undefined ? undefined : await group.resolveTopic(options.topic);
    for (const message of await group.messages()) {
      // --topic: the messages in it now (a thread reply is in its root's); --thread: the root
      // and its replies.
      if (topic !== undefined && message.topic !== topic) continue;
      const root = message.threadRoot === undefined ? undefined : toHex(message.threadRoot);
      if (thread !== undefined && toHex(message.messageId) !== thread && root !== thread) continue;
      const formatted = formatGroupMessage(group.id, message, options.reveal === true);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function groupSendCommand(
  reference: string,
  text: string,
  options: CommonOptions & {
    replyTo?: string;
    attach?: string[];
    sendUncleaned?: boolean;
    warning?: string;
    keepNames?: boolean;
    answer?: string;
    chat?: string;
    topic?: string;
    thread?: string;
  },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const { attach = [], sendUncleaned } = options;
  const body =
    attach.length > 0 && text === '' ? '' : parseText(text, 'a message', MAX_TEXT_LENGTH);
  const warning = options.warning === undefined ? undefined : parseWarning(options.warning);
  if (sendUncleaned === true) process.stderr.write(UNCLEANED_WARNING);
  const replyTo =
    options.replyTo === undefined ? undefined : parseMessageId(options.replyTo, '--reply-to');
  const thread =
    options.thread === undefined ? undefined : parseMessageId(options.thread, '--thread');
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // A removal, a mute or a new policy since the last sync: refused here, with its code.
    await refresh(group);
    if (replyTo !== undefined) await requireMessage(group, replyTo);
    const scheduleAnswer =
      options.answer === undefined
        ? undefined
        : await answerTagFor(group, options.answer, options.chat);
    const refusals: { messageId: Uint8Array; error: CoreError }[] = [];
    client.on('groupSendFailed', (refusal) => refusals.push(refusal));
    progressOnStderr(client);
    const message = await group.send(body, {
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(attach.length === 0 ? {} : { attachments: attach }),
      ...(sendUncleaned === true ? { sendUncleaned } : {}),
      ...(warning === undefined ? {} : { warning }),
      ...(options.keepNames === true ? { keepFileNames: true } : {}),
      ...(scheduleAnswer === undefined ? {} : { scheduleAnswer }),
      ...(options.topic === undefined ? {} : { topic: options.topic }),
      ...(thread === undefined ? {} : { thread }),
    });
    // Only the group's persona connects: the vault's others keep their own schedule.
    await client.start({ receive: false, focus: group.persona, others: false });
    await flushWaitingForKey(client, group.persona);
    const refused = refusals.find((refusal) => bytesEqual(refusal.messageId, message.messageId));
    if (refused !== undefined) throw refused.error;
    out.emit(
      {
        event: 'group-sent',
        group: group.id,
        persona: group.persona,
        messageId: toHex(message.messageId),
      },
      `Sent to ${await label(group)} (id ${toHex(message.messageId)})`,
    );
  });
}

/**
 * Sends what the command queued. A joiner's first send may find the group key not in its vault
 * yet but in its mailbox (the moderator's approval sent it): then the mailbox is taken in once and
 * the send tried again. Still missing, it is CORE_GROUP_KEY_MISSING (the message stays queued).
 */
async function flushWaitingForKey(client: KindredClient, persona: string): Promise<void> {
  try {
    await flushOrExplain(client);
  } catch (error) {
    if (!CoreError.is(error, CoreErrorCode.GroupKeyMissing)) throw error;
    await client.start({ receive: true, focus: persona, others: false });
    await client.whenInboxQuiet(KEY_QUIET_MS, KEY_DRAIN_TIMEOUT_MS);
    await flushOrExplain(client);
  }
}

/** How long the mailbox must be quiet, and how long it is read at most, looking for the key. */
const KEY_QUIET_MS = 600;
const KEY_DRAIN_TIMEOUT_MS = 10_000;
