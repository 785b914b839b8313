// The group commands for taking part: creating, inviting, joining, listing, settings and leaving.
// Messages are in groupMessageActions.ts, moderation in groupModerationActions.ts.
import type { GroupPostingRule } from '../core/client/index.js';
import {
  MAX_GROUP_DESCRIPTION_LENGTH,
  MAX_GROUP_RULES_LENGTH,
  MAX_INVITE_USES,
  MAX_INTRODUCTION_LENGTH,
  MAX_SLOW_MODE_SECONDS,
  checkPseudonym,
  describeTimerChange,
} from '../core/client/index.js';
import {
  parseCount,
  parseDuration,
  parseGroupName,
  parseGroupReference,
  parseOnOff,
  parseText,
  parseTimerArgument,
} from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { sendGroupKeys, withClient } from './commandClient.js';
import { printable } from './format.js';
import {
  formatGroupDetails,
  formatGroupSummary,
  formatMember,
  formatPolicy,
  formatRequest,
  groupLabel,
} from './groupFormat.js';
import { label, openGroup, personaPseudonym, refresh } from './groupLookup.js';

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
  /** A short introduction for the moderators, sealed with the request. */
  readonly intro?: string;
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
  readonly privateMessages?: string;
}

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
  const introduction =
    options.intro === undefined
      ? {}
      : {
          introduction: parseText(options.intro, '--intro', MAX_INTRODUCTION_LENGTH, {
            allowEmpty: true,
          }),
        };
  return withClient(options, async (client, out) => {
    const group = await client.joinGroup(trimmed, { ...persona, ...introduction });
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

/** What a link shows before joining: the group's name, description, rules, and who admits. */
export function groupPreviewCommand(link: string, options: CommonOptions): Promise<void> {
  const trimmed = checkGroupLink(link);
  return withClient(options, async (client, out) => {
    const preview = await client.previewGroup(trimmed);
    const lines = [
      `${groupLabel(preview.name, preview.groupId)} (${preview.groupId})`,
      preview.joinByApproval
        ? '  A moderator approves each new member: joining sends a request.'
        : '  Whoever uses the link joins at once.',
      ...(preview.description === '' ? [] : [`  About: ${printable(preview.description)}`]),
      ...(preview.rules === '' ? [] : [`  Rules: ${printable(preview.rules)}`]),
    ];
    out.emit({ event: 'group-preview', ...preview }, lines.join('\n'));
  });
}

function checkGroupLink(link: string): string {
  const trimmed = link.trim();
  if (!trimmed.startsWith('kindred:group/')) {
    throw new CliError(CliErrorCode.Usage, 'a group invite link starts with kindred:group/');
  }
  return trimmed;
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

// ---------------------------------------------------------------------------------------------
// Settings and leaving

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
    ...(options.privateMessages === undefined
      ? {}
      : {
          membersMessagePrivately: parseOnOff(options.privateMessages, '--private-messages'),
        }),
  };
  const changing = Object.keys(changes).length > 0;
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    if (changing) {
      await group.setPolicy(changes);
      // Our own request keys follow the policy before this short-lived client exits.
      await client.session(group.persona).requests.syncKeys();
    } else await refresh(group);
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
