// `kindred edit`, `kindred delete` (one of our messages, 1:1 or group, by its id) and
// `kindred contact remove`. A message is named by its hex id, as `messages --json`,
// `group messages` and `attachment save` name it: the conversation is found from it.
import type { GroupHandle, KindredClient } from '../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  MAX_TEXT_LENGTH,
  bytesEqual,
  fromHex,
} from '../core/client/index.js';
import { parseMessageId, parseText, parseWarning } from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import { collectRefusals, deliverQueued, flushOrExplain, withClient } from './commandClient.js';
import { contactName } from './format.js';
import { refresh } from './groupLookup.js';

/** Where one of our messages is: the contact's conversation, or a group. */
type Found =
  | { readonly kind: 'direct'; readonly address: string; readonly messageId: Uint8Array }
  | { readonly kind: 'group'; readonly group: GroupHandle; readonly messageIdHex: string };

async function findMessage(client: KindredClient, messageIdHex: string): Promise<Found> {
  const messageId = fromHex(messageIdHex);
  if (messageId === undefined) throw new CoreError(CoreErrorCode.InvalidInput, 'not hex');
  for (const contact of await client.contacts()) {
    for (const entry of await client.messages(contact.address)) {
      if (entry.kind === 'message' && bytesEqual(entry.messageId, messageId)) {
        return { kind: 'direct', address: contact.address, messageId };
      }
    }
  }
  for (const summary of await client.groups()) {
    const group = await client.group(summary.groupId);
    const messages = await group.messages();
    if (messages.some((m) => bytesEqual(m.messageId, messageId))) {
      return { kind: 'group', group, messageIdHex };
    }
  }
  throw new CoreError(CoreErrorCode.MessageNotFound, 'no message has that id on this device');
}

/** Sends the change queued for `found` (1:1 through the outbox, a group through its own). */
async function sendChange(
  client: KindredClient,
  found: Found,
  change: (found: Found) => Promise<unknown>,
): Promise<void> {
  if (found.kind === 'group') {
    // A removal or a mute since the last sync: refused here, with its code.
    await refresh(found.group);
    const refusals: { error: CoreError }[] = [];
    client.on('groupSendFailed', (refusal) => refusals.push(refusal));
    await change(found);
    await client.start({ receive: false, focus: found.group.persona, others: false });
    await flushOrExplain(client);
    const [refused] = refusals;
    if (refused !== undefined) throw refused.error;
    return;
  }
  const refusals = collectRefusals(client);
  await change(found);
  await deliverQueued(client, refusals, (refusal) => refusal.recipient === found.address);
}

/** `edit MESSAGE-ID TEXT [--warning W]`: replaces the words of one of our messages everywhere. */
export function editCommand(
  id: string,
  text: string,
  options: CommonOptions & { warning?: string },
): Promise<void> {
  const messageIdHex = parseMessageId(id);
  const body = parseText(text, 'a message', MAX_TEXT_LENGTH);
  const warning = options.warning === undefined ? undefined : parseWarning(options.warning);
  const extras = warning === undefined ? {} : { warning };
  return withClient(options, async (client, out) => {
    const found = await findMessage(client, messageIdHex);
    await sendChange(client, found, (where) =>
      where.kind === 'group'
        ? where.group.edit(where.messageIdHex, body, extras)
        : client.edit(where.address, where.messageId, body, extras),
    );
    out.emit({ event: 'edited', messageId: messageIdHex }, 'Edited: everyone sees the new text');
  });
}

/** `delete MESSAGE-ID`: deletes one of our messages for everyone ("deleted by its author"). */
export function deleteCommand(id: string, options: CommonOptions): Promise<void> {
  const messageIdHex = parseMessageId(id);
  return withClient(options, async (client, out) => {
    const found = await findMessage(client, messageIdHex);
    await sendChange(client, found, (where) =>
      where.kind === 'group'
        ? where.group.deleteForEveryone(where.messageIdHex)
        : client.deleteForEveryone(where.address, where.messageId),
    );
    out.emit(
      { event: 'deleted', messageId: messageIdHex },
      'Deleted for everyone: they see "deleted by its author"',
    );
  });
}

/**
 * `contact remove CONTACT`: the contact and its whole conversation (messages, files) leave this
 * device, and their key to write to us is revoked at the relay. They are not told.
 */
export function contactRemoveCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const { contact, messages, revokedAtRelay } = await client.removeContact(reference);
    out.emit(
      { event: 'removed', contact: contact.address, messages, revokedAtRelay },
      `${contactName(contact)} is removed, with ${String(messages)} message(s) and their files` +
        (revokedAtRelay
          ? '; their key is revoked at the relay'
          : '; the relay could not be reached, their key is revoked at the next connection'),
    );
  });
}
