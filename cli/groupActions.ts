import type { GroupHandle, GroupPostingRule, KindredClient } from '../core/client/index.js';
import { UNCLEANED_WARNING, progressOnStderr } from './attachmentCommands.js';
import {
  CoreError,
  CoreErrorCode,
  MAX_GROUP_DESCRIPTION_LENGTH,
  MAX_GROUP_RULES_LENGTH,
  MAX_INVITE_USES,
  MAX_REASON_LENGTH,
  MAX_SLOW_MODE_SECONDS,
  MAX_TEXT_LENGTH,
  ROLE_RANK,
  bytesEqual,
  checkPseudonym,
  describeTimerChange,
  missingCaseError,
  toHex,
} from '../core/client/index.js';
import {
  DEFAULT_MUTE_MS,
  parseCount,
  parseDuration,
  parseGroupName,
  parseGroupReference,
  parseMember,
  parseMessageId,
  parseOnOff,
  parseText,
  parseTimerArgument,
  parseUntil,
  parseWarning,
} from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import {
  collectRefusals,
  deliverQueued,
  flushOrExplain,
  sendGroupKeys,
  withClient,
} from './commandClient.js';
import { printable } from './format.js';
import {
  formatGroupDetails,
  formatGroupMessage,
  formatGroupSummary,
  formatLogEntry,
  formatMember,
  formatPolicy,
  formatReport,
  formatRequest,
  formatWarning,
  groupLabel,
} from './groupFormat.js';

/** Options of the commands that act on a member or a message. */
export interface ReasonOptions extends CommonOptions {
  readonly reason?: string;
}

export interface GroupCreateCliOptions extends CommonOptions {
  readonly approval?: boolean;
  readonly slowMode?: string;
  readonly posting?: string;
  readonly description?: string;
  readonly rules?: string;
  readonly persona?: string;
  readonly pseudonym?: string;
}

export interface GroupJoinCliOptions extends CommonOptions {
  readonly persona?: string;
  readonly pseudonym?: string;
}

export interface GroupInfoCliOptions extends CommonOptions {
  readonly name?: string;
  readonly description?: string;
  readonly rules?: string;
}

export interface GroupPolicyCliOptions extends CommonOptions {
  readonly approval?: string;
  readonly slowMode?: string;
  readonly posting?: string;
  readonly imageWarnings?: string;
}

/** The actions on one member, by the name the command line gives them. */
export type MemberAction =
  'approve' | 'deny' | 'remove' | 'ban' | 'unban' | 'promote' | 'demote' | 'transfer';

/** The actions on one message. */
export type MessageAction = 'pin' | 'unpin' | 'delete';

// ---------------------------------------------------------------------------------------------
// Arguments

/** `--persona` and `--pseudonym` together: which persona takes part in the group. */
function parsePersonaChoice(options: { persona?: string; pseudonym?: string }): {
  persona: 'fresh' | 'current';
  pseudonym?: string;
} {
  const persona = options.persona ?? 'fresh';
  if (persona !== 'fresh' && persona !== 'current') {
    throw new CliError(CliErrorCode.Usage, '--persona is fresh or current');
  }
  if (options.pseudonym === undefined) return { persona };
  if (persona === 'current') {
    throw new CliError(
      CliErrorCode.Usage,
      '--pseudonym names a fresh persona; the current one keeps its pseudonym',
    );
  }
  try {
    return { persona, pseudonym: checkPseudonym(options.pseudonym) };
  } catch {
    throw new CliError(CliErrorCode.Usage, '--pseudonym has 1 to 64 printable characters');
  }
}

function parsePosting(text: string): GroupPostingRule {
  const value = text.trim().toLowerCase();
  if (value === 'everyone' || value === 'moderators') return value;
  throw new CliError(CliErrorCode.Usage, '--posting is everyone or moderators');
}

function parseImageWarnings(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'required' || value === 'optional') return value === 'required';
  throw new CliError(CliErrorCode.Usage, '--image-warnings is required or optional');
}

function parseSlowMode(text: string): number {
  return parseCount(text, '--slow-mode', 0, MAX_SLOW_MODE_SECONDS);
}

function parseReason(reason: string | undefined): string | undefined {
  return reason === undefined
    ? undefined
    : parseText(reason, '--reason', MAX_REASON_LENGTH, { allowEmpty: true });
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * A group by id or name. An unknown or ambiguous name is a bad argument (CLI_USAGE), as a mistyped
 * name usually is; core's message says which of the two it was.
 */
async function openGroup(client: KindredClient, reference: string): Promise<GroupHandle> {
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
async function refresh(group: GroupHandle): Promise<void> {
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
async function memberAddress(
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
async function pseudonymOf(group: GroupHandle, address: string): Promise<string> {
  const everyone = [...(await group.members()), ...(await group.requests())];
  return everyone.find((person) => person.address === address)?.pseudonym ?? '';
}

/** A message must be one the vault has: a mistyped id would otherwise be pinned or reported. */
async function requireMessage(group: GroupHandle, messageId: string): Promise<void> {
  const found = (await group.messages()).some((message) => toHex(message.messageId) === messageId);
  if (!found) {
    throw new CliError(
      CliErrorCode.Usage,
      'no message with that id in this group (`kindred sync` fetches new ones)',
    );
  }
}

function personaPseudonym(client: KindredClient, persona: string): string {
  try {
    return client.session(persona).whoami().pseudonym;
  } catch {
    return '';
  }
}

async function label(group: GroupHandle): Promise<string> {
  return groupLabel((await group.details()).name, group.id);
}

// ---------------------------------------------------------------------------------------------
// Creating, inviting, joining

export function groupCreateCommand(name: string, options: GroupCreateCliOptions): Promise<void> {
  const info = {
    name: parseGroupName(name),
    description: parseText(
      options.description ?? '',
      '--description',
      MAX_GROUP_DESCRIPTION_LENGTH,
      { allowEmpty: true },
    ),
    rules: parseText(options.rules ?? '', '--rules', MAX_GROUP_RULES_LENGTH, { allowEmpty: true }),
  };
  const slowModeSeconds =
    options.slowMode === undefined ? undefined : parseSlowMode(options.slowMode);
  const posting = options.posting === undefined ? undefined : parsePosting(options.posting);
  const persona = parsePersonaChoice(options);
  return withClient(options, async (client, out) => {
    const group = await client.createGroup({
      ...info,
      joinByApproval: options.approval === true,
      ...(slowModeSeconds === undefined ? {} : { slowModeSeconds }),
      ...(posting === undefined ? {} : { posting }),
      ...persona,
    });
    const as = personaPseudonym(client, group.persona);
    out.emit(
      {
        event: 'group-created',
        group: group.id,
        name: info.name,
        persona: group.persona,
        personaPseudonym: as,
      },
      `Created ${printable(info.name)} (${group.id}) as ${printable(as)}; invite people with: kindred group invite ${group.id}`,
    );
  });
}

export function groupInviteCommand(
  reference: string,
  options: CommonOptions & { uses: string; expires: string },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const maxUses = parseCount(options.uses, '--uses', 1, MAX_INVITE_USES);
  const lifetime = parseDuration(options.expires);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    const expiresAt = Date.now() + lifetime;
    const link = await group.invite({ maxUses, expiresAt });
    out.emit({ link, group: group.id, expiresAt, maxUses }, link);
  });
}

export function groupJoinCommand(link: string, options: GroupJoinCliOptions): Promise<void> {
  const trimmed = link.trim();
  if (!trimmed.startsWith('kindred:group/')) {
    throw new CliError(CliErrorCode.Usage, 'a group invite link starts with kindred:group/');
  }
  const persona = parsePersonaChoice(options);
  return withClient(options, async (client, out) => {
    const group = await client.joinGroup(trimmed, persona);
    const details = await group.details();
    const as = personaPseudonym(client, group.persona);
    const name = groupLabel(details.name, group.id);
    out.emit(
      {
        event: 'group-joined',
        group: group.id,
        name: details.name,
        persona: group.persona,
        personaPseudonym: as,
        status: details.status,
      },
      details.status === 'requested'
        ? `Asked to join ${name} (${group.id}) as ${printable(as)}; a moderator must approve`
        : `Joined ${name} (${group.id}) as ${printable(as)}`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export function groupListCommand(options: CommonOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    for (const summary of await client.groups()) {
      const formatted = formatGroupSummary(summary, personaPseudonym(client, summary.persona));
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function groupRequestsCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    for (const request of await group.requests()) {
      const formatted = formatRequest(group.id, request);
      out.emit(formatted.record, formatted.human);
    }
  });
}

export function groupMembersCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const now = Date.now();
    for (const member of await group.members()) {
      const formatted = formatMember(group.id, member, now);
      out.emit(formatted.record, formatted.human);
    }
  });
}

/** `group messages`: a message under a content warning is shown covered unless --reveal. */
export function groupMessagesCommand(
  reference: string,
  options: CommonOptions & { reveal?: boolean },
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // Deletions and pins are in the log; new messages come with `sync`, as for contacts.
    await refresh(group);
    for (const message of await group.messages()) {
      const formatted = formatGroupMessage(group.id, message, options.reveal === true);
      out.emit(formatted.record, formatted.human);
    }
  });
}

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

export function reportsCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
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

/** `group info`: shows the group; with --name, --description or --rules, changes it first. */
export function groupInfoCommand(reference: string, options: GroupInfoCliOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const changes = {
    ...(options.name === undefined ? {} : { name: parseGroupName(options.name) }),
    ...(options.description === undefined
      ? {}
      : {
          description: parseText(
            options.description,
            '--description',
            MAX_GROUP_DESCRIPTION_LENGTH,
            { allowEmpty: true },
          ),
        }),
    ...(options.rules === undefined
      ? {}
      : {
          rules: parseText(options.rules, '--rules', MAX_GROUP_RULES_LENGTH, { allowEmpty: true }),
        }),
  };
  const changing = Object.keys(changes).length > 0;
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    if (changing) await group.setInfo(changes);
    else await refresh(group);
    const formatted = formatGroupDetails(
      await group.details(),
      personaPseudonym(client, group.persona),
      changing ? 'group-updated' : undefined,
    );
    out.emit(formatted.record, changing ? `Updated.\n${formatted.human}` : formatted.human);
  });
}

/** `group policy`: shows it; with --approval, --slow-mode or --posting, changes it first. */
export function groupPolicyCommand(
  reference: string,
  options: GroupPolicyCliOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const changes = {
    ...(options.approval === undefined
      ? {}
      : { joinByApproval: parseOnOff(options.approval, '--approval') }),
    ...(options.slowMode === undefined ? {} : { slowModeSeconds: parseSlowMode(options.slowMode) }),
    ...(options.posting === undefined ? {} : { posting: parsePosting(options.posting) }),
    ...(options.imageWarnings === undefined
      ? {}
      : {
          requireImageWarnings: parseImageWarnings(options.imageWarnings),
        }),
  };
  const changing = Object.keys(changes).length > 0;
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    if (changing) await group.setPolicy(changes);
    else await refresh(group);
    const formatted = formatPolicy(
      group.id,
      (await group.details()).policy,
      changing ? 'group-policy-changed' : undefined,
    );
    out.emit(formatted.record, formatted.human);
  });
}

/** `group timer GROUP 1d|off`: sets the group's disappearing timer (moderators). */
export function groupTimerCommand(
  reference: string,
  value: string,
  options: CommonOptions,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  const seconds = parseTimerArgument(value);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await group.setPolicy({ disappearingSeconds: seconds });
    out.emit({ event: 'group-timer', group: group.id, seconds }, describeTimerChange(seconds));
  });
}

// ---------------------------------------------------------------------------------------------
// Writing and reporting

export function groupSendCommand(
  reference: string,
  text: string,
  options: CommonOptions & {
    replyTo?: string;
    attach?: string[];
    sendUncleaned?: boolean;
    warning?: string;
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
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // A removal, a mute or a new policy since the last sync: refused here, with its code.
    await refresh(group);
    if (replyTo !== undefined) await requireMessage(group, replyTo);
    const refusals: { messageId: Uint8Array; error: CoreError }[] = [];
    client.on('groupSendFailed', (refusal) => refusals.push(refusal));
    progressOnStderr(client);
    const message = await group.send(body, {
      ...(replyTo === undefined ? {} : { replyTo }),
      ...(attach.length === 0 ? {} : { attachments: attach }),
      ...(sendUncleaned === true ? { sendUncleaned } : {}),
      ...(warning === undefined ? {} : { warning }),
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

export function groupResetInvitesCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const name = await label(group);
    await group.resetInvites();
    await sendGroupKeys(client, group.persona);
    const { epoch } = await group.details();
    out.emit(
      { event: 'group-action', action: 'reset-invites', group: group.id, epoch },
      `Every invite link to ${name} is revoked; the group key moved to epoch ${epoch}`,
    );
  });
}

export function groupLeaveCommand(reference: string, options: CommonOptions): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    await refresh(group);
    const name = await label(group);
    await group.leave();
    out.emit(
      { event: 'group-action', action: 'leave', group: group.id },
      `You left ${name}; its history stays in this vault`,
    );
  });
}
