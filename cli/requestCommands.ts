// Message requests between fellow group members (docs/messages.md, "Message requests"): the
// requests inbox (`requests`, `request accept|decline|block|report`) and writing to a member
// (`group message-member`).
import type { Command } from 'commander';
import type { KindredClient, MessageRequest, PersonaSession } from '../core/client/index.js';
import { CoreError, CoreErrorCode, MAX_TEXT_LENGTH, toHex } from '../core/client/index.js';
import { parseGroupReference, parseText } from './arguments.js';
import { refreshGroupLogs } from './actions.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { collectRefusals, deliverQueued, withClient } from './commandClient.js';
import { printable } from './format.js';
import { memberAddress, openGroup, refresh } from './groupLookup.js';
import { readMessageText } from './privateInput.js';

/** How long `requests` reads the mailboxes: until quiet this long, at most the timeout. */
const QUIET_MS = 500;
const DRAIN_TIMEOUT_MS = 15_000;

type RequestAction = 'accept' | 'decline' | 'block' | 'report';
const REQUEST_ACTIONS: readonly RequestAction[] = ['accept', 'decline', 'block', 'report'];

export function addRequestCommands(program: Command, common: (command: Command) => Command): void {
  common(program.command('requests'))
    .description(
      'show message requests: fellow group members who wrote to you privately; nothing shows in a conversation, and they learn nothing, until you accept',
    )
    .action((options: CommonOptions) => requestsCommand(options));

  common(program.command('request'))
    .description('accept, decline, block or report a message request')
    .argument('<action>', 'accept, decline, block or report')
    .argument('<id>', 'the request id `kindred requests` shows')
    .option('--reason <text>', 'with report: why, for the moderators')
    .action((action: string, id: string, options: CommonOptions & { reason?: string }) =>
      requestActionCommand(action, id, options),
    );
}

/** Adds `group message-member GROUP MEMBER [TEXT]` to the `group` command. */
export function addMessageMemberCommand(
  group: Command,
  common: (command: Command) => Command,
  groupArgument: string,
): void {
  common(group.command('message-member'))
    .description(
      'write privately to a fellow member, if the group allows it: one who is not your contact gets it as a request',
    )
    .argument('<group>', groupArgument)
    .argument('<member>', 'their address, or their pseudonym when unique in the group')
    .argument('[text]', 'the message, or - to read it from stdin (kept out of ps and history)')
    .option('--text-file <path>', 'read the message from a file')
    .action(
      async (
        reference: string,
        member: string,
        text: string | undefined,
        options: CommonOptions & { textFile?: string },
      ) => {
        const { textFile, ...rest } = options;
        await messageMemberCommand(reference, member, await readMessageText(text, textFile), rest);
      },
    );
}

/** `requests`: reads the mailboxes, then lists every persona's open requests, oldest first. */
export function requestsCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    // The logs first: a request is checked against the group's policy as we hold it.
    await refreshGroupLogs(client);
    await client.start({ receive: true });
    await client.whenInboxQuiet(QUIET_MS, DRAIN_TIMEOUT_MS);
    for (const session of client.sessions()) {
      // Fellow members' request keys, registered before this short-lived client exits.
      await session.requests.syncKeys();
      for (const request of await session.requests.list()) {
        out.emit(requestRecord(session, request), requestLine(request));
      }
    }
  });
}

/** `request accept|decline|block|report ID`. */
export function requestActionCommand(
  action: string,
  id: string,
  options: CommonOptions & { reason?: string },
): Promise<void> {
  const chosen = REQUEST_ACTIONS.find((candidate) => candidate === action);
  if (chosen === undefined) {
    throw new CliError(CliErrorCode.Usage, 'the action is accept, decline, block or report');
  }
  if (options.reason !== undefined && chosen !== 'report') {
    throw new CliError(CliErrorCode.Usage, '--reason goes with report only');
  }
  return withClient(options, async (client, out) => {
    const { session, request } = await findRequest(client, id);
    const who = printable(request.card.pseudonym);
    switch (chosen) {
      case 'accept': {
        const refusals = collectRefusals(client);
        const { contact, messages } = await session.requests.accept(request.id);
        // Our key and our receipts go to them now.
        await deliverQueued(
          client,
          refusals,
          (refusal) => refusal.recipient === contact.address,
          session.address,
        );
        out.emit(
          {
            event: 'request-accepted',
            id: request.id,
            contact: contact.address,
            messages: messages.length,
          },
          `Accepted: ${who} is a contact now (${messages.length} message(s) in your conversation)`,
        );
        return;
      }
      case 'decline':
        await session.requests.decline(request.id);
        out.emit(
          { event: 'request-declined', id: request.id, from: request.sender },
          `Declined: the request from ${who} is deleted; they are not told`,
        );
        return;
      case 'block': {
        const { revokedAtRelay } = await session.requests.block(request.id);
        out.emit(
          { event: 'request-blocked', id: request.id, from: request.sender, revokedAtRelay },
          revokedAtRelay
            ? `Blocked ${who}: their key is revoked at the relay`
            : `Blocked ${who}; the relay could not be reached, their key is revoked at the next connection`,
        );
        return;
      }
      case 'report': {
        const reason =
          options.reason === undefined ? '' : parseText(options.reason, '--reason', 500);
        const refusals = collectRefusals(client);
        const moderators = await session.requests.report(request.id, reason);
        await deliverQueued(client, refusals, () => false, session.address);
        out.emit(
          { event: 'request-reported', id: request.id, from: request.sender, moderators },
          `Reported the request from ${who} to ${moderators} moderator(s)`,
        );
        return;
      }
    }
  });
}

/** `group message-member GROUP MEMBER TEXT`. */
export function messageMemberCommand(
  reference: string,
  member: string,
  text: string,
  options: CommonOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const body = parseText(text, 'a message', MAX_TEXT_LENGTH);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const address = await memberAddress(client, group, member);
    const refusals = collectRefusals(client);
    const message = await group.messageMember(address, body);
    await deliverQueued(
      client,
      refusals,
      (refusal) => refusal.recipient === address,
      group.persona,
    );
    const contact = await client.session(group.persona).direct.contact(address);
    const asRequest = contact.requestedIn !== undefined;
    out.emit(
      {
        event: 'member-messaged',
        group: group.id,
        member: address,
        id: toHex(message.messageId),
        request: asRequest,
      },
      asRequest
        ? `Sent as a request to ${printable(contact.pseudonym)}: they see it once they accept`
        : `Sent to ${printable(contact.pseudonym)}`,
    );
  });
}

async function findRequest(
  client: KindredClient,
  id: string,
): Promise<{ session: PersonaSession; request: MessageRequest }> {
  const wanted = id.trim().toLowerCase();
  for (const session of client.sessions()) {
    const request = (await session.requests.list()).find((candidate) => candidate.id === wanted);
    if (request !== undefined) return { session, request };
  }
  throw new CoreError(CoreErrorCode.RequestNotFound, 'no open message request with that id');
}

function requestRecord(session: PersonaSession, request: MessageRequest): Record<string, unknown> {
  return {
    event: 'request',
    id: request.id,
    persona: session.address,
    from: request.sender,
    pseudonym: request.card.pseudonym,
    group: request.groupId,
    receivedAt: request.receivedAt,
    messages: request.messages.map((message) => ({
      id: toHex(message.messageId),
      sentAt: message.sentAt,
      text: message.text,
    })),
  };
}

function requestLine(request: MessageRequest): string {
  const texts = request.messages.map((message) => `  ${printable(message.text)}`);
  return [
    `${request.id}  from ${printable(request.card.pseudonym)} (${request.sender}) in group ${request.groupId}`,
    ...texts,
  ].join('\n');
}
