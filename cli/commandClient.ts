import os from 'node:os';
import path from 'node:path';
import type { KindredClient, KindredClientOptions } from '../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  KindredClient as Client,
  IMMEDIATE_CONNECT_SCHEDULE,
  Vault,
} from '../core/client/index.js';
import { CliError, CliErrorCode } from './CliError.js';
import { Output } from './output.js';
import { readPassphrase } from './passphrase.js';

/** Options every command accepts. */
export interface CommonOptions {
  readonly home?: string;
  readonly json?: boolean;
  /** `socks5://host:port` to store in the vault and connect through; `none` to connect directly. */
  readonly proxy?: string;
}

/** How long a command waits for the relay to take the outbox. */
export const SEND_TIMEOUT_MS = 20_000;
/**
 * A command runs briefly: retry a lost relay quickly rather than back off for long. Personas
 * other than the one a command acts as connect on the default random schedule;
 * KINDRED_CONNECT_SCHEDULE=immediate drops those delays (for tests only: it lets the relay link
 * personas by the time they connect).
 */
export const CLIENT_OPTIONS: KindredClientOptions = {
  backoff: { initialMs: 200, maxMs: 2_000 },
  ...(process.env.KINDRED_CONNECT_SCHEDULE === 'immediate'
    ? { connectSchedule: IMMEDIATE_CONNECT_SCHEDULE }
    : {}),
};

/** The proxy `--proxy` asks for: a URL, `null` to connect directly, `undefined` to keep it. */
export function proxyChoice(options: CommonOptions): string | null | undefined {
  if (options.proxy === undefined) return undefined;
  return options.proxy.trim().toLowerCase() === 'none' ? null : options.proxy;
}

export function homeDir(options: CommonOptions): string {
  return path.resolve(
    options.home ?? process.env.KINDRED_HOME ?? path.join(os.homedir(), '.kindred'),
  );
}

/**
 * The passphrase for the vault at `home`, asked for only once there is a vault there: a wrong
 * --home fails with CORE_VAULT_NOT_FOUND (or CORE_VAULT_NOT_A_VAULT), not a passphrase prompt.
 */
export async function passphraseForVault(home: string): Promise<string> {
  try {
    await Vault.check(home);
  } catch (error) {
    if (!CoreError.is(error, CoreErrorCode.VaultNotFound)) throw error;
    throw new CoreError(
      CoreErrorCode.VaultNotFound,
      'no vault in that folder (`kindred init` or `kindred restore` makes one; --home or KINDRED_HOME names another)',
      { cause: error },
    );
  }
  return readPassphrase({ confirm: false });
}

async function openClient(options: CommonOptions): Promise<KindredClient> {
  const home = homeDir(options);
  const passphrase = await passphraseForVault(home);
  const client = await Client.open({ home, passphrase, ...CLIENT_OPTIONS });
  const proxy = proxyChoice(options);
  if (proxy !== undefined) {
    // Stored before anything connects: this command's connections already go through it.
    try {
      await client.setProxy(proxy ?? undefined);
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return client;
}

/** Runs `body` with an open client and always closes it. */
export async function withClient(
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
export interface Refusal {
  readonly recipient: string;
  readonly messageId: Uint8Array;
  readonly error: CoreError;
}

/** Collects refusals from now on; listen before queueing, so none can slip past. */
export function collectRefusals(client: KindredClient): Refusal[] {
  const refusals: Refusal[] = [];
  client.on('sendFailed', (refusal) => refusals.push(refusal));
  return refusals;
}

/** Waits for the outbox; a timeout becomes CLI_NOT_SENT naming the relay's failure. */
export async function flushOrExplain(client: KindredClient): Promise<void> {
  try {
    // A command's mailbox reading is done by then: a key that has not come will not come now.
    await client.flushOutbox(SEND_TIMEOUT_MS, { waitForGroupKey: false });
  } catch (error) {
    // No relay can help with that one: the message waits for a member to send us the key.
    if (CoreError.is(error, CoreErrorCode.GroupKeyMissing)) throw error;
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
export async function deliverQueued(
  client: KindredClient,
  refusals: readonly Refusal[],
  isOurs: (refusal: Refusal) => boolean,
  persona: string = client.address,
): Promise<void> {
  // Only the persona acting connects: the others' outboxes wait for a sync or listen.
  await client.start({ receive: false, focus: persona, others: false });
  await flushOrExplain(client);
  const refused = refusals.find(isOurs);
  if (refused !== undefined) throw refused.error;
}

/**
 * After a moderator's action that queued group keys 1:1 (an approval sends the joiner the key, a
 * removal or ban the new epoch's to everyone left): sends them now, so nobody waits for this
 * moderator's next sync. The action itself has landed, so a failure here only says what waits.
 */
export async function sendGroupKeys(
  client: KindredClient,
  persona: string,
  waitMs = SEND_TIMEOUT_MS,
): Promise<void> {
  try {
    await client.start({ receive: false, focus: persona, others: false });
    await client.flushOutbox(waitMs);
  } catch (error) {
    const reason = CoreError.is(error) ? ` (${error.code})` : '';
    process.stderr.write(
      `kindred: note: the group key was not sent yet${reason}; it goes on the next sync\n`,
    );
  }
}

/**
 * For `sync`: like flushOrExplain, but posts waiting for a group key are no failure of a sync,
 * whose job is to receive (perhaps that key): they stay queued for the next one.
 */
export async function flushWhateverCanGo(client: KindredClient): Promise<void> {
  try {
    await flushOrExplain(client);
  } catch (error) {
    if (!CoreError.is(error, CoreErrorCode.GroupKeyMissing)) throw error;
  }
}
