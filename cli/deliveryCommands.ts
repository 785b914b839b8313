import type { Command } from 'commander';
import { CoreError, CoreErrorCode, fromHex } from '../core/client/index.js';
import type { CommonOptions } from './actions.js';
import { parseMessageId } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import { collectRefusals, deliverQueued, withClient } from './commandClient.js';
import { contactName } from './format.js';

/** `contact set` and `retry`: read receipts per contact, and a not-delivered message again. */
export function addDeliveryCommands(
  program: Command,
  contact: Command,
  common: (command: Command) => Command,
): void {
  common(contact.command('set'))
    .description('change how Kindred treats a contact')
    .argument('<contact>', 'alias or address')
    .option('--read-receipts <on|off>', 'tell them when you have read their messages (default off)')
    .action((reference: string, options: CommonOptions & { readReceipts?: string }) =>
      contactSetCommand(reference, options),
    );

  common(program.command('retry'))
    .description('send a message that was not delivered again (same message: it arrives once)')
    .argument('<contact>', 'alias or address')
    .argument('<message-id>', 'the id `kindred messages --json` shows (32 hex characters)')
    .action((reference: string, messageId: string, options: CommonOptions) =>
      retryCommand(reference, messageId, options),
    );
}

function onOff(value: string, what: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new CliError(CliErrorCode.Usage, `${what} is on or off`);
}

export function contactSetCommand(
  reference: string,
  options: CommonOptions & { readReceipts?: string },
): Promise<void> {
  if (options.readReceipts === undefined) {
    return Promise.reject(
      new CliError(CliErrorCode.Usage, 'nothing to set: try --read-receipts on'),
    );
  }
  const on = onOff(options.readReceipts, '--read-receipts');
  return withClient(options, async (client, out) => {
    const contact = await client.setReadReceipts(reference, on);
    out.emit(
      { event: 'contact-set', contact: contact.address, readReceipts: on },
      `${contactName(contact)} ${on ? 'gets' : 'no longer gets'} read receipts from you`,
    );
  });
}

export function retryCommand(
  reference: string,
  messageIdText: string,
  options: CommonOptions,
): Promise<void> {
  const messageId = fromHex(parseMessageId(messageIdText));
  if (messageId === undefined) {
    return Promise.reject(new CoreError(CoreErrorCode.InvalidInput, 'a malformed message id'));
  }
  return withClient(options, async (client, out) => {
    const refusals = collectRefusals(client);
    const message = await client.retry(reference, messageId);
    await deliverQueued(client, refusals, (refusal) =>
      refusal.messageId.every((byte, i) => byte === messageId[i]),
    );
    out.emit(
      { event: 'retried', contact: message.author === client.address ? null : message.author },
      'Sent again: the relay has it',
    );
  });
}
