import type {
  CheckedGroupReport,
  GroupDetails,
  GroupLogEntry,
  GroupMemberView,
  GroupMessage,
  GroupMessageView,
  GroupPolicyState,
  GroupRequestView,
  ReportHandlingAction,
  GroupSummary,
  GroupWarning,
  GroupWarningKind,
  ReportCheck,
} from '../core/client/index.js';
import { missingCaseError, timerWords, toHex } from '../core/client/index.js';
import { formatAttachments } from './attachmentCommands.js';
import { badgeLabel, badgeRecord, describeCredentialProblem } from './facilitatorFormat.js';
import type { Formatted } from './format.js';
import { authorChangeRecord, authorChangedText, coveredText, printable } from './format.js';

/** Names group members by address; an address stands in for a name not (yet) known. */
export type NameOf = (address: string) => string;

/** A group as people read it: its name, or its id while the name is unknown. */
export function groupLabel(name: string, groupId: string): string {
  return name === '' ? groupId : printable(name);
}

function when(ms: number): string {
  return new Date(ms).toISOString();
}

function orAddress(pseudonym: string | undefined, address: string): string {
  return pseudonym === undefined || pseudonym === '' ? address : printable(pseudonym);
}

/** One line of `group list`. */
export function formatGroupSummary(summary: GroupSummary, personaPseudonym: string): Formatted {
  const counts = [`${summary.members} member(s)`];
  if (summary.requests > 0) counts.push(`${summary.requests} request(s)`);
  if (summary.warnings > 0) counts.push(`${summary.warnings} warning(s)`);
  return {
    record: {
      group: summary.groupId,
      name: summary.name,
      persona: summary.persona,
      personaPseudonym,
      status: summary.status,
      role: summary.role ?? null,
      members: summary.members,
      requests: summary.requests,
      warnings: summary.warnings,
    },
    human: `${groupLabel(summary.name, summary.groupId)}  ${summary.groupId}  as ${printable(personaPseudonym)}  ${summary.role ?? '-'}  ${summary.status}  ${counts.join(', ')}`,
  };
}

function policyRecord(policy: GroupPolicyState): Record<string, unknown> {
  return {
    joinByApproval: policy.joinByApproval,
    slowModeSeconds: policy.slowModeSeconds,
    posting: policy.posting,
    disappearingSeconds: policy.disappearingSeconds,
    requireImageWarnings: policy.requireImageWarnings,
    membersMessagePrivately: policy.membersMessagePrivately === true,
  };
}

function policyLine(policy: GroupPolicyState): string {
  const slowMode = policy.slowModeSeconds === 0 ? 'off' : `${policy.slowModeSeconds}s`;
  return `approval ${policy.joinByApproval ? 'on' : 'off'}, slow mode ${slowMode}, posting: ${policy.posting}, disappearing messages ${timerWords(policy.disappearingSeconds)}, image warnings ${policy.requireImageWarnings ? 'required' : 'optional'}, private messages ${policy.membersMessagePrivately === true ? 'on' : 'off'}`;
}

/** `group info`: what the group is, its policy and counts; `event` when it was just changed. */
export function formatGroupDetails(
  details: GroupDetails,
  personaPseudonym: string,
  event?: string,
): Formatted {
  const lines = [
    `${groupLabel(details.name, details.groupId)}  ${details.groupId}`,
    `  you: ${printable(personaPseudonym)} (${details.persona}), ${details.role ?? 'no role'}, ${details.status}`,
    `  policy: ${policyLine(details.policy)}`,
    `  ${details.members} member(s), ${details.requests} request(s), ${details.pinned.length} pinned, ${details.warnings} warning(s), ${details.logLength} log entries`,
    `  group key: epoch ${details.epoch}${details.waitingForKey ? ' (waiting for a member to share the group key)' : ''}`,
  ];
  if (details.description !== '') lines.push(`  description: ${printable(details.description)}`);
  if (details.rules !== '') lines.push(`  rules: ${printable(details.rules)}`);
  for (const pinned of details.pinned) lines.push(`  pinned: ${pinned}`);
  return {
    record: {
      ...(event === undefined ? {} : { event }),
      group: details.groupId,
      name: details.name,
      description: details.description,
      rules: details.rules,
      persona: details.persona,
      personaPseudonym,
      status: details.status,
      role: details.role ?? null,
      policy: policyRecord(details.policy),
      members: details.members,
      requests: details.requests,
      warnings: details.warnings,
      pinned: details.pinned,
      logLength: details.logLength,
      epoch: details.epoch,
      waitingForKey: details.waitingForKey,
    },
    human: lines.join('\n'),
  };
}

/** `group policy`; `event` when it was just changed. */
export function formatPolicy(groupId: string, policy: GroupPolicyState, event?: string): Formatted {
  return {
    record: {
      ...(event === undefined ? {} : { event }),
      group: groupId,
      ...policyRecord(policy),
    },
    human: `${event === undefined ? '' : 'Policy changed: '}${policyLine(policy)}`,
  };
}

/** One line of `group members`. */
export function formatMember(groupId: string, member: GroupMemberView, now: number): Formatted {
  const muted = member.mutedUntil > now ? `  (muted until ${when(member.mutedUntil)})` : '';
  return {
    record: {
      group: groupId,
      address: member.address,
      pseudonym: member.pseudonym,
      role: member.role,
      mutedUntil: member.mutedUntil > now ? member.mutedUntil : null,
      self: member.self,
      badge: badgeRecord(member.badge),
    },
    human: `${member.role.padEnd(9)}  ${orAddress(member.pseudonym, member.address)}${badgeLabel(member.badge)}  ${member.address}${muted}${member.self ? '  (you)' : ''}`,
  };
}

/** One line of `group requests`. */
export function formatRequest(groupId: string, request: GroupRequestView): Formatted {
  return {
    record: {
      group: groupId,
      address: request.address,
      pseudonym: request.pseudonym,
      requestedAtSequence: request.requestedAtSequence,
      introduction: request.introduction ?? null,
    },
    human: `${orAddress(request.pseudonym, request.address)}  ${request.address}${
      request.introduction === undefined
        ? ''
        : `\n    introduction: ${printable(request.introduction)}`
    }`,
  };
}

/** One message of `group messages` (and of `messages GROUP`). */
export function formatGroupMessage(
  groupId: string,
  message: GroupMessageView,
  reveal = false,
): Formatted {
  const covered = message.warning !== undefined && !reveal;
  const id = toHex(message.messageId);
  const from =
    (message.outgoing ? 'me' : orAddress(message.senderPseudonym, message.sender)) +
    badgeLabel(message.senderBadge);
  const flags = [
    ...(message.pinned ? ['pinned'] : []),
    ...(message.outgoing && message.status !== undefined && message.status !== 'sent'
      ? [message.status]
      : []),
  ];
  const reply =
    (message.replyTo === undefined ? '' : `(reply to ${toHex(message.replyTo)}) `) +
    (message.threadRoot === undefined ? '' : `(in thread ${toHex(message.threadRoot)}) `);
  const text = message.deleted
    ? '(deleted by a moderator)'
    : `${reply}${authorChangedText(message, reveal) ?? coveredText(message.text, message.warning, reveal)}`;
  // A covered message hides its files too (their names may say what the warning covers).
  const files = covered || message.deleted ? undefined : formatAttachments(message);
  return {
    record: {
      kind: 'group-message',
      group: groupId,
      messageId: id,
      direction: message.outgoing ? 'out' : 'in',
      from: message.sender,
      pseudonym: message.senderPseudonym,
      badge: badgeRecord(message.senderBadge),
      text: covered ? null : message.text,
      warning: message.warning ?? null,
      sentAt: message.sentAt,
      replyTo: message.replyTo === undefined ? null : toHex(message.replyTo),
      status: message.status ?? null,
      deleted: message.deleted,
      pinned: message.pinned,
      ...authorChangeRecord(message),
      ...(files === undefined || message.attachments === undefined
        ? {}
        : { attachments: files.record }),
      topic: message.topic,
      threadRoot: message.threadRoot === undefined ? null : toHex(message.threadRoot),
    },
    human: `${id}  [${when(message.sentAt)}] ${from}: ${text}${flags.length === 0 ? '' : `  (${flags.join(', ')})`}${files?.human ?? ''}`,
  };
}

/** Where a live event happened: which group, as which persona. */
export interface LiveGroupContext {
  readonly groupId: string;
  readonly groupName: string;
  readonly persona: string;
}

function liveRecord(context: LiveGroupContext, event: string): Record<string, unknown> {
  return {
    event,
    group: context.groupId,
    groupName: context.groupName,
    persona: context.persona,
  };
}

/**
 * A group message as `sync` and `listen` print it when it arrives: under a content warning,
 * covered (text and files) unless `reveal`, as `group messages` shows it.
 */
export function formatLiveGroupMessage(
  context: LiveGroupContext,
  message: GroupMessage,
  senderPseudonym: string,
  reveal = false,
): Formatted {
  const id = toHex(message.messageId);
  const reply = message.replyTo === undefined ? '' : `(reply to ${toHex(message.replyTo)}) `;
  const covered = message.warning !== undefined && !reveal;
  const files = covered ? undefined : formatAttachments(message);
  return {
    record: {
      ...liveRecord(context, 'group-message'),
      messageId: id,
      from: message.sender,
      pseudonym: senderPseudonym,
      text: covered ? null : message.text,
      sentAt: message.sentAt,
      replyTo: message.replyTo === undefined ? null : toHex(message.replyTo),
      warning: message.warning ?? null,
      ...(files === undefined || message.attachments === undefined
        ? {}
        : { attachments: files.record }),
    },
    human: `[${when(message.sentAt)}] ${groupLabel(context.groupName, context.groupId)} / ${orAddress(senderPseudonym, message.sender)}: ${reply}${coveredText(message.text, message.warning, reveal)}  (id ${id})${files?.human ?? ''}`,
  };
}

/** What an operation did, as a sentence after the actor's name; `target` is '' for none. */
const ACTION_SENTENCES: Readonly<Record<string, (target: string) => string>> = {
  create: () => 'created the group',
  invite: () => 'made an invite',
  join: () => 'used an invite',
  approve: (target) => `approved ${target}`,
  deny: (target) => `denied ${target}`,
  leave: () => 'left',
  remove: (target) => `removed ${target}`,
  ban: (target) => `banned ${target}`,
  unban: (target) => `lifted the ban on ${target}`,
  promote: (target) => `made ${target} a moderator`,
  demote: (target) => `made ${target} a member again`,
  transferOwnership: (target) => `handed ownership to ${target}`,
  mute: (target) => `muted ${target}`,
  pin: () => 'pinned a message',
  unpin: () => 'unpinned a message',
  deleteMessage: () => 'deleted a message',
  setInfo: () => 'changed the name, description or rules',
  setPolicy: () => 'changed the policy',
  rotateEpoch: () => 'changed the group key',
  topicCreate: () => 'created a topic',
  topicUpdate: () => 'changed a topic',
  topicMove: () => 'moved a message to another topic',
  setProfile: () => 'updated their profile (facilitator credential)',
};

function logLine(entry: GroupLogEntry): string {
  const actor = orAddress(entry.actorPseudonym, entry.actor);
  const target = entry.target === undefined ? '' : orAddress(entry.targetPseudonym, entry.target);
  // core describes a lifted mute as a mute with this detail.
  const unmute = entry.action === 'mute' && entry.detail === 'unmuted';
  const sentence = unmute
    ? `unmuted ${target}`
    : (ACTION_SENTENCES[entry.action]?.(target) ?? `${entry.action} ${target}`.trim());
  const detail = entry.detail === undefined || unmute ? '' : ` (${entry.detail})`;
  const reason = entry.reason === '' ? '' : `; reason: ${printable(entry.reason)}`;
  return `${actor} ${sentence}${detail}${reason}`;
}

function logRecord(entry: GroupLogEntry): Record<string, unknown> {
  return {
    sequence: entry.sequence,
    at: entry.at,
    actor: entry.actor,
    actorPseudonym: entry.actorPseudonym,
    action: entry.action,
    target: entry.target ?? null,
    targetPseudonym: entry.targetPseudonym ?? null,
    detail: entry.detail ?? null,
    reason: entry.reason === '' ? null : entry.reason,
  };
}

/** One entry of `group log`, the moderation log. */
export function formatLogEntry(groupId: string, entry: GroupLogEntry): Formatted {
  return {
    record: { group: groupId, ...logRecord(entry) },
    human: `[${when(entry.at)}] #${entry.sequence} ${logLine(entry)}`,
  };
}

/** An operation as `sync` and `listen` print it when it arrives. */
export function formatLiveOperation(context: LiveGroupContext, entry: GroupLogEntry): Formatted {
  return {
    record: { ...liveRecord(context, 'group-operation'), ...logRecord(entry) },
    human: `[${when(entry.at)}] ${groupLabel(context.groupName, context.groupId)}: ${logLine(entry)}`,
  };
}

/** What a warning means, for a person. Never user data: warnings carry none. */
export function describeWarning(kind: GroupWarningKind, detail: string): string {
  switch (kind) {
    case 'facilitator-credential':
      return describeCredentialProblem(detail);
    case 'forged-operation':
      return 'the relay served a group operation that breaks the rules';
    case 'fork':
      return 'the relay may be showing members different versions of the group';
    case 'withheld-operations':
      return 'the relay is withholding changes to the group';
    case 'ghost-member':
      return 'a message came from someone who is not a member';
    case 'muted-post':
      return 'the relay delivered a post from a muted member';
    case 'restricted-post':
      return 'the relay delivered a post that only moderators may make';
    case 'slow-mode-post':
      return 'the relay delivered a post that breaks slow mode';
    case 'withheld-posts':
      return 'the relay is withholding a member’s posts';
    case 'reordered-posts':
      return 'the relay delivered a member’s posts out of order';
    default:
      throw missingCaseError(kind);
  }
}

function warningRecord(warning: GroupWarning): Record<string, unknown> {
  return {
    index: warning.index,
    kind: warning.kind,
    at: warning.at,
    detail: warning.detail,
    member: warning.member ?? null,
  };
}

/** One entry of `group warnings`. */
export function formatWarning(groupId: string, warning: GroupWarning): Formatted {
  return {
    record: { group: groupId, ...warningRecord(warning) },
    human: `[${when(warning.at)}] ${warning.kind}: ${describeWarning(warning.kind, warning.detail)}${warning.member === undefined ? '' : ` (member ${warning.member})`} (${warning.detail})`,
  };
}

/** A warning as `sync` and `listen` print it when it is raised. */
export function formatLiveWarning(context: LiveGroupContext, warning: GroupWarning): Formatted {
  return {
    record: { ...liveRecord(context, 'group-warning'), ...warningRecord(warning) },
    human: `[${when(warning.at)}] Warning in ${groupLabel(context.groupName, context.groupId)}: ${describeWarning(warning.kind, warning.detail)}${warning.member === undefined ? '' : ` (member ${warning.member})`} (${warning.kind}: ${warning.detail})`,
  };
}

function reportRecord(report: CheckedGroupReport, nameOf: NameOf): Record<string, unknown> {
  return {
    index: report.index,
    messageId: toHex(report.messageId),
    reporter: report.reporter,
    reporterPseudonym: nameOf(report.reporter),
    author: report.author,
    authorPseudonym: nameOf(report.author),
    text: report.text,
    check: report.check,
    ...(report.claimed === undefined ? {} : { claimed: report.claimed }),
    reason: report.reason === '' ? null : report.reason,
    context: report.context.map((item) => ({
      ...(item.messageId === undefined ? {} : { messageId: toHex(item.messageId) }),
      author: item.author,
      authorPseudonym: nameOf(item.author),
      text: item.text,
      sentAt: item.sentAt,
      check: item.check,
      ...(item.claimed === undefined ? {} : { claimed: item.claimed }),
    })),
    receivedAt: report.receivedAt,
    handled:
      report.handled === undefined
        ? null
        : {
            action: report.handled.action,
            by: report.handled.by,
            byPseudonym: nameOf(report.handled.by),
            at: report.handled.at,
            sequence: report.handled.sequence,
          },
    dismissed: report.dismissed,
  };
}

/** How a moderator answered a report, after "Handled by NAME: ". */
const HANDLED_WORDS: Readonly<Record<ReportHandlingAction, string>> = {
  deleteMessage: 'deleted the message',
  remove: 'removed its author',
  ban: 'banned its author',
  mute: 'muted its author',
};

function handledLine(report: CheckedGroupReport, nameOf: NameOf): string {
  const handled = report.handled;
  const marks: string[] = [];
  if (handled !== undefined) {
    marks.push(
      `handled by ${orAddress(nameOf(handled.by), handled.by)}: ${HANDLED_WORDS[handled.action]}`,
    );
  }
  if (report.dismissed) marks.push('dismissed');
  return marks.length === 0 ? '' : `    [${marks.join('; ')}]`;
}

/**
 * The mark beside a quote that is not the moderator's own copy. What `reports` shows is our copy
 * when we hold the message; a report's words alone are never shown as what someone wrote.
 */
export function reportCheckMark(check: ReportCheck): string {
  switch (check) {
    case 'matches':
      return '';
    case 'differs':
      return ' [This report does not match the message you have: yours is shown]';
    case 'unknown':
      return ' [You do not have this message: the reporter’s words, unconfirmed]';
    default:
      throw missingCaseError(check);
  }
}

function reportLines(report: CheckedGroupReport, nameOf: NameOf): string {
  const name = (address: string): string => orAddress(nameOf(address), address);
  const reason = report.reason === '' ? '' : `; reason: ${printable(report.reason)}`;
  const lines = [
    `${name(report.reporter)} reported a message by ${name(report.author)} (id ${toHex(report.messageId)})${reason}`,
    ...report.context.map(
      (item) =>
        `    before, [${when(item.sentAt)}] ${name(item.author)}: ${printable(item.text)}${reportCheckMark(item.check)}`,
    ),
    `    reported: ${name(report.author)}: ${printable(report.text)}${reportCheckMark(report.check)}`,
  ];
  const handled = handledLine(report, nameOf);
  if (handled !== '') lines.push(handled);
  return lines.join('\n');
}

/** One report of `reports`. */
export function formatReport(
  groupId: string,
  report: CheckedGroupReport,
  nameOf: NameOf,
): Formatted {
  return {
    record: { group: groupId, ...reportRecord(report, nameOf) },
    human: `[${when(report.receivedAt)}] #${report.index} ${reportLines(report, nameOf)}`,
  };
}

/** A report as `sync` and `listen` print it when it arrives. */
export function formatLiveReport(
  context: LiveGroupContext,
  report: CheckedGroupReport,
  nameOf: NameOf,
): Formatted {
  return {
    record: { ...liveRecord(context, 'group-report'), ...reportRecord(report, nameOf) },
    human: `[${when(report.receivedAt)}] Report in ${groupLabel(context.groupName, context.groupId)}: ${reportLines(report, nameOf)}`,
  };
}
