// What the group commands share: finding a group, a member or a message from what the command
// line names, and how they name a group or persona in what they print.
import type { GroupHandle, KindredClient } from '../core/client/index.js';
import { CoreError, CoreErrorCode, toHex } from '../core/client/index.js';
import { CliError, CliErrorCode } from './CliError.js';
import { groupLabel } from './groupFormat.js';

/**
 * A group by id or name. An unknown or ambiguous name is a bad argument (CLI_USAGE), as a mistyped
 * name usually is; core's message says which of the two it was.
 */
export async function openGroup(client: KindredClient, reference: string): Promise<GroupHandle> {
  try {
    return await client.group(reference);
  } catch (error) {
    if (CoreError.is(error, CoreErrorCode.GroupNotFound)) {
      throw new CliError(
        CliErrorCode.Usage,
        `${error.message} (\`kindred group list\` shows your groups)`,
      );
    }
    throw error;
  }
}

/**
 * Fetches what the relay has of the group's log, so members, requests and roles are current.
 * Best effort: without the relay, the command goes on with what the vault knows (an action then
 * fails on its own when it cannot reach the relay).
 */
export async function refresh(group: GroupHandle): Promise<void> {
  try {
    await group.sync();
  } catch {
    // What the vault knows will do.
  }
}

/**
 * A member's address from an address or a pseudonym unique in the group. GroupHandle resolves
 * members too, but does not say whom it picked, and the command prints that.
 */
export async function memberAddress(
  client: KindredClient,
  group: GroupHandle,
  member: string,
): Promise<string> {
  try {
    return await client.session(group.persona).groups.memberAddress(group.id, member);
  } catch (error) {
    if (CoreError.is(error, CoreErrorCode.GroupBadTarget)) {
      throw new CliError(
        CliErrorCode.Usage,
        `${error.message} (\`kindred group members\` lists them)`,
      );
    }
    throw error;
  }
}

/** The pseudonym of a member or requester, or '' (a banned one is in neither list). */
export async function pseudonymOf(group: GroupHandle, address: string): Promise<string> {
  const everyone = [...(await group.members()), ...(await group.requests())];
  return everyone.find((person) => person.address === address)?.pseudonym ?? '';
}

/** A message must be one the vault has: a mistyped id would otherwise be pinned or reported. */
export async function requireMessage(group: GroupHandle, messageId: string): Promise<void> {
  const found = (await group.messages()).some((message) => toHex(message.messageId) === messageId);
  if (!found) {
    throw new CliError(
      CliErrorCode.Usage,
      'no message with that id in this group (`kindred sync` fetches new ones)',
    );
  }
}

export function personaPseudonym(client: KindredClient, persona: string): string {
  try {
    return client.session(persona).whoami().pseudonym;
  } catch {
    return '';
  }
}

export async function label(group: GroupHandle): Promise<string> {
  return groupLabel((await group.details()).name, group.id);
}
