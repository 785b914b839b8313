// The group commands for moderation: the log and warnings, reports, and acting on members and
// messages.
import type { GroupHandle } from '../core/client/index.js';
import { MAX_REASON_LENGTH, ROLE_RANK, missingCaseError } from '../core/client/index.js';
import {
  DEFAULT_MUTE_MS,
  parseGroupReference,
  parseMember,
  parseMessageId,
  parseCount,
  parseText,
  parseUntil,
} from './arguments.js';
import type { CommonOptions } from './commandClient.js';
import { collectRefusals, deliverQueued, sendGroupKeys, withClient } from './commandClient.js';
import { printable } from './format.js';
import { formatLogEntry, formatReport, formatWarning } from './groupFormat.js';
import {
  label,
  memberAddress,
  openGroup,
  pseudonymOf,
  refresh,
  requireMessage,
} from './groupLookup.js';

/** Options of the commands that act on a member or a message. */
export interface ReasonOptions extends CommonOptions {
  readonly reason?: string;
}

/** The actions on one member, by the name the command line gives them. */
export type MemberAction =
  'approve' | 'deny' | 'remove' | 'ban' | 'unban' | 'promote' | 'demote' | 'transfer';

/** The actions on one message. */
export type MessageAction = 'pin' | 'unpin' | 'delete';

function parseReason(reason: string | undefined): string | undefined {
  return reason === undefined
    ? undefined
    : parseText(reason, '--reason', MAX_REASON_LENGTH, { allowEmpty: true });
}

// ---------------------------------------------------------------------------------------------
// Reading

export function groupLogCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    for (const entry of await group.log()) {
      const formatted = formatLogEntry(group.id, entry);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function groupWarningsCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    for (const warning of await group.warnings()) {
      const formatted = formatWarning(group.id, warning);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function reportsCommand(
  reference: string,
  options: CommonOptions & { dismiss?: string },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const dismiss =
    options.dismiss === undefined
      ? undefined
      : parseCount(options.dismiss, '--dismiss', 1, Number.MAX_SAFE_INTEGER);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    if (dismiss !== undefined) {
      await group.dismissReport(dismiss);
      out.emit(
        { event: 'report-dismissed', group: group.id, index: dismiss },
        `Dismissed report #${dismiss}`,
      );
      return;
    }
    const reports = await group.reports();
    if (reports.length === 0) return;
    // Reports name people by address; the log names everyone who was ever in the group.
    const names = new Map<string, string>();
    for (const entry of await group.log()) {
      if (entry.actorPseudonym !== '') names.set(entry.actor, entry.actorPseudonym);
      if (entry.target !== undefined && entry.targetPseudonym !== undefined) {
        names.set(entry.target, entry.targetPseudonym);
      }
    }
    const nameOf = (address: string): string => names.get(address) ?? '';
    for (const report of reports) {
      const formatted = formatReport(group.id, report, nameOf);
      out.emit(formatted.record, formatted.human);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** Reports a message to the group's other moderators (1:1; neither the relay nor members see it). */
export function reportCommand(
  reference: string,
  messageId: string,
  options: ReasonOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const id = parseMessageId(messageId);
  const reason = parseReason(options.reason) ?? '';
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    await requireMessage(group, id);
    const moderators = new Set(
      (await group.members())
        .filter((member) => !member.self && ROLE_RANK[member.role] >= ROLE_RANK.moderator)
        .map((member) => member.address),
    );
    const refusals = collectRefusals(client);
    const sentTo = await group.report(id, reason);
    await deliverQueued(
      client,
      refusals,
      (refusal) => moderators.has(refusal.recipient),
      group.persona,
    );
    out.emit(
      { event: 'group-reported', group: group.id, messageId: id, moderators: sentTo },
      sentTo === 0
        ? `No one else moderates ${await label(group)}: the report went to no one`
        : `Reported the message to ${sentTo} moderator(s) of ${await label(group)}`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Moderating

const MEMBER_DONE: Readonly<Record<MemberAction, (name: string, group: string) => string>> = {
  approve: (name, group) => `Approved ${name}'s request to join ${group}`,
  deny: (name, group) => `Denied ${name}'s request to join ${group}`,
  remove: (name, group) => `Removed ${name} from ${group}`,
  ban: (name, group) => `Banned ${name} from ${group}`,
  unban: (name, group) => `Lifted the ban on ${name} in ${group}`,
  promote: (name, group) => `${name} is now a moderator of ${group}`,
  demote: (name, group) => `${name} is no longer a moderator of ${group}`,
  transfer: (name, group) => `${name} now owns ${group}; you are a moderator`,
};

/** The action's name in the group log. */
const MEMBER_LOG_ACTION: Readonly<Record<MemberAction, string>> = {
  approve: 'approve',
  deny: 'deny',
  remove: 'remove',
  ban: 'ban',
  unban: 'unban',
  promote: 'promote',
  demote: 'demote',
  transfer: 'transferOwnership',
};

function actOnMember(
  group: GroupHandle,
  action: MemberAction,
  address: string,
  reason: string | undefined,
): Promise<void> {
  switch (action) {
    case 'approve':
      return group.approve(address, reason);
    case 'deny':
      return group.deny(address, reason);
    case 'remove':
      return group.remove(address, reason);
    case 'ban':
      return group.ban(address, reason);
    case 'unban':
      return group.unban(address, reason);
    case 'promote':
      return group.promote(address, reason);
    case 'demote':
      return group.demote(address, reason);
    case 'transfer':
      return group.transferOwnership(address, reason);
    default:
      throw missingCaseError(action);
  }
}

function reasonSuffix(reason: string | undefined): string {
  return reason === undefined || reason === '' ? '' : ` (reason: ${printable(reason)})`;
}

/** The member actions after which group keys wait in our outbox (see sendGroupKeys). */
const SENDS_GROUP_KEYS: ReadonlySet<MemberAction> = new Set<MemberAction>([
  'approve',
  'remove',
  'ban',
]);

/** approve, deny, remove, ban, unban, promote, demote, transfer: done once the relay has it. */
export function groupMemberCommand(
  action: MemberAction,
  reference: string,
  member: string,
  options: ReasonOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const memberRef = parseMember(member);
  const reason = parseReason(options.reason);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const address = await memberAddress(client, group, memberRef);
    const pseudonym = await pseudonymOf(group, address);
    await actOnMember(group, action, address, reason);
    if (SENDS_GROUP_KEYS.has(action)) await sendGroupKeys(client, group.persona);
    const name = pseudonym === '' ? address : printable(pseudonym);
    out.emit(
      {
        event: 'group-action',
        action: MEMBER_LOG_ACTION[action],
        group: group.id,
        member: address,
        pseudonym,
        reason: reason === undefined || reason === '' ? null : reason,
      },
      `${MEMBER_DONE[action](name, await label(group))}${reasonSuffix(reason)}`,
    );
  });
}

/**
 * Mutes a member until `--until` (a time, or a duration from now), 24 hours without it; with
 * `unmute`, lifts a mute.
 */
export function groupMuteCommand(
  mute: boolean,
  reference: string,
  member: string,
  options: ReasonOptions & { until?: string },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const memberRef = parseMember(member);
  const reason = parseReason(options.reason);
  const until = !mute
    ? 0
    : options.until === undefined
      ? Date.now() + DEFAULT_MUTE_MS
      : parseUntil(options.until);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const address = await memberAddress(client, group, memberRef);
    const pseudonym = await pseudonymOf(group, address);
    await group.mute(address, until, reason);
    const name = pseudonym === '' ? address : printable(pseudonym);
    const where = await label(group);
    out.emit(
      {
        event: 'group-action',
        action: 'mute',
        group: group.id,
        member: address,
        pseudonym,
        until: until === 0 ? null : until,
        reason: reason === undefined || reason === '' ? null : reason,
      },
      `${until === 0 ? `${name} may post in ${where} again` : `Muted ${name} in ${where} until ${new Date(until).toISOString()}`}${reasonSuffix(reason)}`,
    );
  });
}

const MESSAGE_LOG_ACTION: Readonly<Record<MessageAction, string>> = {
  pin: 'pin',
  unpin: 'unpin',
  delete: 'deleteMessage',
};

/** pin, unpin, delete (for everyone): done once the relay has it. */
export function groupMessageActionCommand(
  action: MessageAction,
  reference: string,
  messageId: string,
  options: ReasonOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const id = parseMessageId(messageId);
  const reason = parseReason(options.reason);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    await requireMessage(group, id);
    if (action === 'pin') await group.pin(id, reason);
    else if (action === 'unpin') await group.unpin(id, reason);
    else await group.deleteMessage(id, reason);
    const done = action === 'pin' ? 'Pinned' : action === 'unpin' ? 'Unpinned' : 'Deleted';
    out.emit(
      {
        event: 'group-action',
        action: MESSAGE_LOG_ACTION[action],
        group: group.id,
        messageId: id,
        reason: reason === undefined || reason === '' ? null : reason,
      },
      `${done} message ${id} in ${await label(group)}${reasonSuffix(reason)}`,
    );
  });
}
