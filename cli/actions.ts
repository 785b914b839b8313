import os from 'node:os';
import path from 'node:path';
import type { KdfProfile, KindredClient, KindredClientOptions } from '../core/index.js';
import {
  CoreError,
  KindredClient as Client,
  fromBase64Url,
  toBase64Url,
  toHex,
} from '../core/index.js';
import { CliError, CliErrorCode } from './CliError.js';
import { parseDuration } from './duration.js';
import { contactName, formatContact, formatEntry, formatIncoming, groupDigits } from './format.js';
import { Output } from './output.js';
import { readPassphrase } from './passphrase.js';

/** Options every command accepts. */
export interface CommonOptions {
  readonly home?: string;
  readonly json?: boolean;
}

/** How long a command waits for the relay to take the outbox. */
const SEND_TIMEOUT_MS = 20_000;
/** How long `sync` waits after the last envelope before it decides the mailbox is drained. */
const SYNC_QUIET_MS = 600;
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

export async function initCommand(
  options: CommonOptions & {
    name: string;
    server: string;
    inviteToken?: string;
    kdf: string;
    allowInsecureTransport?: boolean;
  },
): Promise<void> {
  const kdf = parseKdf(options.kdf);
  const inviteToken =
    options.inviteToken === undefined ? undefined : parseToken(options.inviteToken);
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
    const contact = await client.addContact(
      link,
      options.alias === undefined ? {} : { alias: options.alias },
    );
    await client.start({ receive: false });
    await flushOrExplain(client);
    out.emit(
      {
        event: 'contact-added',
        address: contact.address,
        alias: contact.alias ?? null,
        pseudonym: contact.pseudonym,
      },
      `Added ${contactName(contact)} (${contact.pseudonym}, ${contact.address})`,
    );
  });
}

export function contactsCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    for (const contact of await client.contacts()) {
      const { verified } = await client.safetyNumber(contact.address);
      const formatted = formatContact(contact, verified);
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
    const message = await client.send(reference, text);
    const contact = await client.contact(reference);
    await client.start({ receive: false });
    await flushOrExplain(client);
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

/** Prints incoming messages and contacts as they are stored; returns a count of messages. */
function printArrivals(client: KindredClient, out: Output): { received: () => number } {
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
      `${contact.pseudonym} (${contact.address}) used your invite and is now a contact`,
    );
  });
  client.on('identityChanged', ({ address }) => {
    out.emit(
      { event: 'identity-changed', address },
      `The identity key of ${address} changed; sending to them is blocked`,
    );
  });
  return { received: () => received };
}

export function syncCommand(options: CommonOptions & { wait: number }): Promise<void> {
  return withClient(options, async (client, out) => {
    const arrivals = printArrivals(client, out);
    const deadline = Date.now() + options.wait * 1000;
    await client.start({ receive: true });
    await flushOrExplain(client);
    await client.whenInboxQuiet(SYNC_QUIET_MS, 30_000);
    // With --wait, linger for the first arrival (then only until the mailbox is quiet again).
    while (arrivals.received() === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.whenInboxQuiet(SYNC_QUIET_MS, 30_000);
    await flushOrExplain(client);
    out.emit(
      { event: 'synced', received: arrivals.received() },
      `Synced: ${arrivals.received()} new message(s)`,
    );
  });
}

export function listenCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    printArrivals(client, out);
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
    for (const entry of await client.messages(reference)) {
      const formatted = formatEntry(contact, entry);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function safetyNumberCommand(reference: string, options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const contact = await client.contact(reference);
    const number = await client.safetyNumber(reference);
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
    await client.verify(reference, number);
    out.emit(
      { event: 'verified', contact: contact.address },
      `${contactName(contact)} is verified`,
    );
  });
}

function parseKdf(kdf: string): KdfProfile {
  if (kdf === 'moderate' || kdf === 'sensitive' || kdf === 'insecure-fast') return kdf;
  throw new CliError(CliErrorCode.Usage, '--kdf is moderate, sensitive or insecure-fast');
}

/** Relay invite tokens are given as base64url, as the relay prints them. */
function parseToken(text: string): Uint8Array {
  const bytes = fromBase64Url(text.trim());
  if (bytes === undefined || bytes.length === 0 || bytes.length > 1024) {
    throw new CliError(CliErrorCode.Usage, '--invite-token must be base64url');
  }
  return bytes;
}
