import os from 'node:os';
import path from 'node:path';
import type { KindredClient, KindredClientOptions } from '../core/index.js';
import {
  CoreError,
  KindredClient as Client,
  RelayRejectedError,
  bytesEqual,
  toBase64Url,
  toHex,
} from '../core/index.js';
import { parseDuration, parseInviteToken, parseKdf } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import {
  contactName,
  formatContact,
  formatEntry,
  formatIncoming,
  groupDigits,
  printable,
} from './format.js';
import { Output } from './output.js';
import { readPassphrase } from './passphrase.js';

/** Options every command accepts. */
export interface CommonOptions {
  readonly home?: string;
  readonly json?: boolean;
}

export interface InitOptions extends CommonOptions {
  readonly name: string;
  readonly server: string;
  readonly inviteToken?: string;
  readonly kdf: string;
  readonly allowInsecureTransport?: boolean;
}

/** How long a command waits for the relay to take the outbox. */
const SEND_TIMEOUT_MS = 20_000;
/** How long `sync` waits after the last envelope before it decides the mailbox is drained. */
const SYNC_QUIET_MS = 600;
/** The longest `sync` waits for a mailbox to go quiet, so a flood cannot hold it forever. */
const SYNC_DRAIN_TIMEOUT_MS = 30_000;
/** A command runs briefly: retry a lost relay quickly rather than back off for long. */
const CLIENT_OPTIONS: KindredClientOptions = { backoff: { initialMs: 200, maxMs: 2_000 } };

export function homeDir(options: CommonOptions): string {
  return path.resolve(
    options.home ?? process.env.KINDRED_HOME ?? path.join(os.homedir(), '.kindred'),
  );
}

async function openClient(options: CommonOptions): Promise<KindredClient> {
  const passphrase = await readPassphrase({ confirm: false });
  return Client.open({ home: homeDir(options), passphrase, ...CLIENT_OPTIONS });
}

/** Runs `body` with an open client and always closes it. */
async function withClient(
  options: CommonOptions,
  body: (client: KindredClient, out: Output) => Promise<void>,
): Promise<void> {
  const client = await openClient(options);
  try {
    await body(client, new Output(options.json === true));
  } finally {
    await client.close();
  }
}

/** A message the relay refused for good while a command ran. */
interface Refusal {
  readonly recipient: string;
  readonly messageId: Uint8Array;
  readonly error: CoreError;
}

/** Collects refusals from now on; listen before queueing, so none can slip past. */
function collectRefusals(client: KindredClient): Refusal[] {
  const refusals: Refusal[] = [];
  client.on('sendFailed', (refusal) => refusals.push(refusal));
  return refusals;
}

/** Waits for the outbox; a timeout becomes CLI_NOT_SENT naming the relay's failure. */
async function flushOrExplain(client: KindredClient): Promise<void> {
  try {
    await client.flushOutbox(SEND_TIMEOUT_MS);
  } catch (error) {
    const reason = CoreError.is(error) ? ` (${error.code})` : '';
    throw new CliError(
      CliErrorCode.NotSent,
      `the relay did not take the message${reason}; it waits in the outbox for the next sync`,
    );
  }
}

/**
 * Sends what a command queued. The outbox counts as flushed once a message is refused for good,
 * so a refusal `isOurs` picks out must fail the command: nothing will ever deliver that message.
 */
async function deliverQueued(
  client: KindredClient,
  refusals: readonly Refusal[],
  isOurs: (refusal: Refusal) => boolean,
): Promise<void> {
  await client.start({ receive: false });
  await flushOrExplain(client);
  const refused = refusals.find(isOurs);
  if (refused !== undefined) throw refused.error;
}

export async function initCommand(options: InitOptions): Promise<void> {
  const kdf = parseKdf(options.kdf);
  const inviteToken =
    options.inviteToken === undefined ? undefined : parseInviteToken(options.inviteToken);
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
  const expiresAt = options.expires === 'never' ? 0 : Date.now() + parseDuration(options.expires);
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
  options: CommonOptions,
): Promise<void> {
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    const refusals = collectRefusals(client);
    const message = await client.send(contact.address, text);
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

/**
 * Prints what a running client reports: incoming messages and gaps, new contacts, messages the
 * relay refused for good, and impersonation attempts. Returns a count of incoming messages.
 */
function printClientEvents(client: KindredClient, out: Output): { received: () => number } {
  let received = 0;
  client.on('message', (event) => {
    received++;
    const formatted = formatIncoming(event);
    out.emit(formatted.record, formatted.human);
  });
  client.on('gap', ({ contact, gap }) => {
    const formatted = formatEntry(contact, gap);
    out.emit({ event: 'gap', ...formatted.record }, formatted.human);
  });
  client.on('contactAdded', (contact) => {
    out.emit(
      { event: 'contact-added', address: contact.address, pseudonym: contact.pseudonym },
      `${contactName(contact)} (${contact.address}) used your invite and is now a contact`,
    );
  });
  client.on('sendFailed', ({ recipient, messageId, error }) => {
    const relayCode = RelayRejectedError.isRelayRejection(error) ? error.relayCode : null;
    out.emit(
      {
        event: 'send-failed',
        to: recipient,
        messageId: toHex(messageId),
        code: error.code,
        relayCode,
      },
      `A message to ${recipient} was refused for good (${relayCode ?? error.code})`,
    );
  });
  client.on('identityMismatch', ({ error }) => {
    out.emit(
      { event: 'identity-mismatch', code: error.code },
      `Refused a message whose identity key does not match its sender's address (${error.code}): someone may be impersonating a contact`,
    );
  });
  return { received: () => received };
}

export function syncCommand(options: CommonOptions & { wait: number }): Promise<void> {
  return withClient(options, async (client, out) => {
    const events = printClientEvents(client, out);
    const deadline = Date.now() + options.wait * 1000;
    await client.start({ receive: true });
    await flushOrExplain(client);
    await client.whenInboxQuiet(SYNC_QUIET_MS, SYNC_DRAIN_TIMEOUT_MS);
    // With --wait, linger for the first arrival (then only until the mailbox is quiet again).
    while (events.received() === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.whenInboxQuiet(SYNC_QUIET_MS, SYNC_DRAIN_TIMEOUT_MS);
    await flushOrExplain(client);
    out.emit(
      { event: 'synced', received: events.received() },
      `Synced: ${events.received()} new message(s)`,
    );
  });
}

export function listenCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    printClientEvents(client, out);
    const stopped = new Promise<CoreError | undefined>((resolve) => {
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
      out.emit(
        { event: 'connection', connected },
        connected ? 'Connected to the relay' : 'Lost the relay; reconnecting…',
      );
    });
    await client.start({ receive: true });
    out.emit({ event: 'listening', address: client.address }, 'Listening; press Ctrl-C to stop');
    const failure = await stopped;
    if (failure !== undefined) throw failure;
  });
}

export function messagesCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    for (const entry of await client.messages(contact.address)) {
      const formatted = formatEntry(contact, entry);
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
