import type { KindredClient } from '../core/client/index.js';
import { UNCLEANED_WARNING, progressOnStderr } from './attachmentCommands.js';
import {
  CoreError,
  CoreErrorCode,
  KindredClient as Client,
  bytesEqual,
  describeTimerChange,
  toBase64Url,
  toHex,
} from '../core/client/index.js';
import {
  parseLinkLifetime,
  parseInviteToken,
  parseKdf,
  parseTimerArgument,
  parseWarning,
} from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import {
  CLIENT_OPTIONS,
  collectRefusals,
  deliverQueued,
  flushWhateverCanGo,
  homeDir,
  proxyChoice,
  withClient,
} from './commandClient.js';
import { contactName, formatContact, formatEntry, groupDigits, printable } from './format.js';
import { formatGroupMessage } from './groupFormat.js';
import { LiveEventPrinter } from './liveEvents.js';
import { Output } from './output.js';
import { readPassphrase } from './passphrase.js';

export type { CommonOptions } from './commandClient.js';

export interface InitOptions extends CommonOptions {
  readonly name: string;
  readonly server: string;
  readonly inviteToken?: string;
  readonly kdf: string;
  readonly allowInsecureTransport?: boolean;
}

/** How long `sync` waits after the last envelope before it decides the mailbox is drained. */
const SYNC_QUIET_MS = 600;
/** The longest `sync` waits for a mailbox to go quiet, so a flood cannot hold it forever. */
const SYNC_DRAIN_TIMEOUT_MS = 30_000;

export async function initCommand(options: InitOptions): Promise<void> {
  const kdf = parseKdf(options.kdf);
  const inviteToken =
    options.inviteToken === undefined ? undefined : parseInviteToken(options.inviteToken);
  const proxy = proxyChoice(options);
  const passphrase = await readPassphrase({ confirm: true });
  const home = homeDir(options);
  const client = await Client.init({
    home,
    passphrase,
    pseudonym: options.name,
    relayUrl: options.server,
    kdf,
    allowInsecureTransport: options.allowInsecureTransport === true,
    ...(inviteToken === undefined ? {} : { inviteToken }),
    ...(proxy === undefined || proxy === null ? {} : { proxy }),
    ...CLIENT_OPTIONS,
  });
  try {
    const me = client.whoami();
    new Output(options.json === true).emit(
      {
        event: 'initialized',
        address: me.address,
        pseudonym: me.pseudonym,
        relayUrl: me.relayUrl,
        home,
      },
      `Created ${me.pseudonym} (${me.address}) on ${me.relayUrl}; vault in ${home}`,
    );
  } finally {
    await client.close();
  }
}

export function whoamiCommand(options: CommonOptions): Promise<void> {
  return withClient(options, (client, out) => {
    const me = client.whoami();
    out.emit(
      {
        address: me.address,
        pseudonym: me.pseudonym,
        relayUrl: me.relayUrl,
        identityKey: toBase64Url(me.identityKey),
        trustRoot: toBase64Url(me.trustRoot),
        home: homeDir(options),
      },
      `${me.pseudonym}  ${me.address}  ${me.relayUrl}`,
    );
    return Promise.resolve();
  });
}

export function inviteCommand(
  options: CommonOptions & { uses: number; expires: string },
): Promise<void> {
  const lifetime = parseLinkLifetime(options.expires);
  const expiresAt = lifetime === 0 ? 0 : Date.now() + lifetime;
  return withClient(options, async (client, out) => {
    const invite = await client.createInvite({ maxUses: options.uses, expiresAt });
    out.emit(
      {
        link: invite.link,
        inviteId: toHex(invite.inviteId),
        expiresAt: invite.expiresAt === 0 ? null : invite.expiresAt,
        maxUses: invite.maxUses === 0 ? null : invite.maxUses,
      },
      invite.link,
    );
  });
}

export function contactAddCommand(
  link: string,
  options: CommonOptions & { alias?: string },
): Promise<void> {
  return withClient(options, async (client, out) => {
    const refusals = collectRefusals(client);
    const contact = await client.addContact(
      link,
      options.alias === undefined ? {} : { alias: options.alias },
    );
    // The introduction is the only message queued to a new contact.
    await deliverQueued(client, refusals, (refusal) => refusal.recipient === contact.address);
    out.emit(
      {
        event: 'contact-added',
        address: contact.address,
        alias: contact.alias ?? null,
        pseudonym: contact.pseudonym,
      },
      `Added ${contactName(contact)} (${printable(contact.pseudonym)}, ${contact.address})`,
    );
  });
}

export function contactsCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    for (const contact of await client.contacts()) {
      const formatted = formatContact(contact, await client.isVerified(contact.address));
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function sendCommand(
  reference: string,
  text: string,
  options: CommonOptions & {
    attach?: string[];
    sendUncleaned?: boolean;
    warning?: string;
    keepNames?: boolean;
  },
): Promise<void> {
  const { attach = [], sendUncleaned, warning: warningText, keepNames, ...common } = options;
  const warning = warningText === undefined ? undefined : parseWarning(warningText);
  if (sendUncleaned === true) process.stderr.write(UNCLEANED_WARNING);
  return withClient(common, async (client, out) => {
    const contact = await client.contact(reference);
    const refusals = collectRefusals(client);
    progressOnStderr(client);
    const message = await client.send(contact.address, text, {
      ...(attach.length === 0 ? {} : { attachments: attach }),
      ...(sendUncleaned === true ? { sendUncleaned } : {}),
      ...(warning === undefined ? {} : { warning }),
      ...(keepNames === true ? { keepFileNames: true } : {}),
    });
    await deliverQueued(client, refusals, (refusal) =>
      bytesEqual(refusal.messageId, message.messageId),
    );
    out.emit(
      {
        event: 'sent',
        to: contact.address,
        messageId: toHex(message.messageId),
        sequence: message.sequence,
      },
      `Sent to ${contactName(contact)}`,
    );
  });
}

/** `timer CONTACT 1d|off`: sets the conversation's disappearing timer and tells the contact. */
export function timerCommand(
  reference: string,
  value: string,
  options: CommonOptions,
): Promise<void> {
  const seconds = parseTimerArgument(value);
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    const refusals = collectRefusals(client);
    const message = await client.setTimer(contact.address, seconds);
    await deliverQueued(client, refusals, (refusal) =>
      bytesEqual(refusal.messageId, message.messageId),
    );
    out.emit(
      { event: 'timer', contact: contact.address, seconds },
      `${contactName(contact)}: ${describeTimerChange(seconds)}`,
    );
  });
}

export function syncCommand(
  options: CommonOptions & { wait: number; reveal?: boolean },
): Promise<void> {
  return withClient(options, async (client, out) => {
    const events = new LiveEventPrinter(client, out, options);
    const arrived = (): number => events.received + events.groupReceived;
    const deadline = Date.now() + options.wait * 1000;
    await refreshGroupLogs(client);
    await client.start({ receive: true });
    await flushWhateverCanGo(client);
    await client.whenInboxQuiet(SYNC_QUIET_MS, SYNC_DRAIN_TIMEOUT_MS);
    // With --wait, linger for the first arrival (then only until the mailbox is quiet again).
    while (arrived() === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.whenInboxQuiet(SYNC_QUIET_MS, SYNC_DRAIN_TIMEOUT_MS);
    await flushWhateverCanGo(client);
    await events.printed();
    const inGroups = events.groupReceived === 0 ? '' : `, ${events.groupReceived} in groups`;
    out.emit(
      { event: 'synced', received: events.received, groupReceived: events.groupReceived },
      `Synced: ${events.received} new message(s)${inGroups}`,
    );
  });
}

/**
 * Fetches the log of every group we are in or asked to join, before receiving starts. Two reasons:
 * a member's sender key comes 1:1 and is dropped as "from a non-member" when it is processed
 * before the group stream delivered that member's join (core checks it against the log we have);
 * and a join request has no place in the relay's group streams until it is approved (a denied one
 * never gets one), so only the log tells how it went. Best effort: a group whose log cannot be
 * fetched now is left for the stream, or the next sync.
 */
export async function refreshGroupLogs(client: KindredClient): Promise<void> {
  for (const summary of await client.groups()) {
    if (summary.status !== 'active' && summary.status !== 'requested') continue;
    try {
      await client.session(summary.persona).groups.sync(summary.groupId);
    } catch {
      // Left for the stream, or the next sync.
    }
  }
}

export function listenCommand(options: CommonOptions & { reveal?: boolean }): Promise<void> {
  return withClient(options, async (client, out) => {
    const events = new LiveEventPrinter(client, out, options);
    let stop: (failure: CoreError | undefined) => void = () => undefined;
    const stopped = new Promise<CoreError | undefined>((resolve) => {
      stop = resolve;
      process.once('SIGINT', () => {
        resolve(undefined);
      });
      process.once('SIGTERM', () => {
        resolve(undefined);
      });
      client.on('error', (error) => {
        resolve(error);
      });
    });
    client.on('connection', (connected) => {
      events.emit(
        { event: 'connection', connected },
        connected ? 'Connected to the relay' : 'Lost the relay; reconnecting…',
      );
    });
    await refreshGroupLogs(client);
    await client.start({ receive: true, others: false });
    events.emit({ event: 'listening', address: client.address }, 'Listening; press Ctrl-C to stop');
    // The other personas come online on their own schedules, each after a random delay.
    client.start({ receive: true }).catch((error: unknown) => {
      stop(CoreError.is(error) ? error : new CoreError(CoreErrorCode.Internal, 'starting'));
    });
    const failure = await stopped;
    await events.printed();
    if (failure !== undefined) throw failure;
  });
}

/**
 * A contact's conversation, or else a group's messages: a contact's alias or address wins over a
 * group of the same name (`group messages` names a group for sure).
 */
/** `messages`: a message under a content warning is shown covered unless --reveal. */
export function messagesCommand(
  reference: string,
  options: CommonOptions & { reveal?: boolean },
): Promise<void> {
  const reveal = options.reveal === true;
  return withClient(options, async (client, out) => {
    let contact;
    try {
      contact = await client.contact(reference);
    } catch (error) {
      if (!CoreError.is(error, CoreErrorCode.ContactNotFound)) throw error;
      const group = await client.group(reference).catch(() => undefined);
      if (group === undefined) {
        throw new CoreError(CoreErrorCode.ContactNotFound, 'no contact or group by that name');
      }
      for (const message of await group.messages()) {
        const formatted = formatGroupMessage(group.id, message, reveal);
        out.emit(formatted.record, formatted.human);
      }
      return;
    }
    for (const entry of await client.messages(contact.address)) {
      const formatted = formatEntry(contact, entry, reveal);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function safetyNumberCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    const number = await client.safetyNumber(contact.address);
    out.emit(
      { contact: contact.address, safetyNumber: number.digits, verified: number.verified },
      `${groupDigits(number.digits)}${number.verified ? '  (verified)' : ''}`,
    );
  });
}

/**
 * Blocks a contact: its delivery key is revoked at the relay (its next envelope is refused), what
 * it still sends is dropped, and nothing more is written to it. When the relay cannot be reached
 * the block holds anyway and the revocation is done on the next connection; the output says so.
 */
export function blockCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const { contact, revokedAtRelay } = await client.block(reference);
    out.emit(
      { event: 'blocked', contact: contact.address, revokedAtRelay },
      revokedAtRelay
        ? `${contactName(contact)} is blocked; their key is revoked at the relay`
        : `${contactName(contact)} is blocked; the relay could not be reached, their key is revoked at the next connection`,
    );
  });
}

/** Unblocks a contact: a fresh delivery key is registered for it and sent to it. */
export function unblockCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const refusals = collectRefusals(client);
    const { contact, revokedAtRelay } = await client.unblock(reference);
    if (revokedAtRelay) {
      // The new key goes to them through the outbox.
      await deliverQueued(client, refusals, (refusal) => refusal.recipient === contact.address);
    }
    out.emit(
      { event: 'unblocked', contact: contact.address, keySent: revokedAtRelay },
      revokedAtRelay
        ? `${contactName(contact)} is unblocked and has a new key to write with`
        : `${contactName(contact)} is unblocked; the relay could not be reached, their new key goes at the next sync`,
    );
  });
}

export function verifyCommand(
  reference: string,
  number: string,
  options: CommonOptions,
): Promise<void> {
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    await client.verify(contact.address, number);
    out.emit(
      { event: 'verified', contact: contact.address },
      `${contactName(contact)} is verified`,
    );
  });
}
