import type {
  GroupHandle,
  GroupLogEntry,
  GroupPersonaChoice,
  KindredClient,
} from '../../core/client/index.js';
import { toHex } from '../../core/client/index.js';
import type {
  GroupView,
  JoinRequestView,
  LogEntryView,
  MemberView,
  ReportView,
  WarningView,
} from '../shared/api.std.js';
import type { ApiParsedArgs } from './callRouter.main.js';
import { groupConversationId } from './conversationId.std.js';
import { resolveGroup } from './conversationTargets.main.js';
import { groupMessageView, topicOperationOf } from './messageViews.main.js';
import { coverView } from './contentWarningViews.main.js';
import { moderationCounts, warningsById } from './ModerationViews.main.js';
import { withScheduleWords } from './scheduleLogViews.main.js';

const HOUR_MS = 3_600_000;
/** A mute without an end time lasts a day, as in the CLI. */
const DEFAULT_MUTE_MS = 24 * HOUR_MS;

/**
 * The groups.* calls: creating and joining (as a fresh persona unless told otherwise, so the relay
 * cannot link the group to the person's other groups and contacts), details, members, requests,
 * invites, moderation, reports, the moderation log and the client's warnings.
 */
export class GroupViews {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  async create(args: ApiParsedArgs<'groups.create'>): Promise<GroupView> {
    const options = {
      name: args.name,
      description: args.description,
      rules: args.rules,
      joinByApproval: args.joinByApproval,
      slowModeSeconds: args.slowModeSeconds,
    };
    const handle = await this.#client.createGroup({
      ...options,
      ...this.#personaChoice(args),
    });
    return this.#view(handle);
  }

  async join(args: ApiParsedArgs<'groups.join'>): Promise<GroupView> {
    const handle = await this.#client.joinGroup(args.link, {
      ...this.#personaChoice(args),
      ...introductionOf(args),
    });
    return this.#view(handle);
  }

  async details(conversationId: string): Promise<GroupView> {
    return this.#view(await this.#handle(conversationId));
  }

  async members(conversationId: string): Promise<MemberView[]> {
    const members = await (await this.#handle(conversationId)).members();
    return members.map((member) => ({
      address: member.address,
      pseudonym: member.pseudonym,
      role: member.role,
      mutedUntil: member.mutedUntil > Date.now() ? member.mutedUntil : 0,
      self: member.self,
      ...(member.badge === undefined ? {} : { badge: member.badge.roleTitle }),
    }));
  }

  async requests(conversationId: string): Promise<JoinRequestView[]> {
    const requests = await (await this.#handle(conversationId)).requests();
    return requests.map((request) => ({
      address: request.address,
      pseudonym: request.pseudonym,
      ...(request.introduction === undefined ? {} : { introduction: request.introduction }),
    }));
  }

  async invite(
    conversationId: string,
    maxUses: number,
    expiresInHours: number,
  ): Promise<{ link: string; expiresAt: number }> {
    const expiresAt = Date.now() + expiresInHours * HOUR_MS;
    const link = await (await this.#handle(conversationId)).invite({ maxUses, expiresAt });
    return { link, expiresAt };
  }

  async setInfo(args: ApiParsedArgs<'groups.setInfo'>): Promise<GroupView> {
    const handle = await this.#handle(args.conversationId);
    await handle.setInfo({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.description === undefined ? {} : { description: args.description }),
      ...(args.rules === undefined ? {} : { rules: args.rules }),
    });
    return this.#view(handle);
  }

  async setPolicy(args: ApiParsedArgs<'groups.setPolicy'>): Promise<GroupView> {
    const handle = await this.#handle(args.conversationId);
    await handle.setPolicy({
      ...(args.joinByApproval === undefined ? {} : { joinByApproval: args.joinByApproval }),
      ...(args.slowModeSeconds === undefined ? {} : { slowModeSeconds: args.slowModeSeconds }),
      ...(args.posting === undefined ? {} : { posting: args.posting }),
      ...(args.requireImageWarnings === undefined
        ? {}
        : { requireImageWarnings: args.requireImageWarnings }),
      ...(args.membersCreateTopics === undefined
        ? {}
        : { membersCreateTopics: args.membersCreateTopics }),
      ...(args.membersMessagePrivately === undefined
        ? {}
        : { membersMessagePrivately: args.membersMessagePrivately }),
    });
    return this.#view(handle);
  }

  async moderate(args: ApiParsedArgs<'groups.moderate'>): Promise<void> {
    const handle = await this.#handle(args.conversationId);
    const { member, reason } = args;
    switch (args.action) {
      case 'approve':
        return handle.approve(member, reason);
      case 'deny':
        return handle.deny(member, reason);
      case 'remove':
        return handle.remove(member, reason);
      case 'ban':
        return handle.ban(member, reason);
      case 'unban':
        return handle.unban(member, reason);
      case 'promote':
        return handle.promote(member, reason);
      case 'demote':
        return handle.demote(member, reason);
      case 'transferOwnership':
        return handle.transferOwnership(member, reason);
      case 'mute':
        return handle.mute(member, args.until ?? Date.now() + DEFAULT_MUTE_MS, reason);
      case 'unmute':
        return handle.mute(member, 0, reason);
    }
  }

  async moderateMessage(args: ApiParsedArgs<'groups.moderateMessage'>): Promise<void> {
    const handle = await this.#handle(args.conversationId);
    switch (args.action) {
      case 'delete':
        return handle.deleteMessage(args.messageId, args.reason);
      case 'pin':
        return handle.pin(args.messageId, args.reason);
      case 'unpin':
        return handle.unpin(args.messageId, args.reason);
    }
  }

  /** Sends the report to the group's moderators only; answers how many it went to. */
  async report(
    conversationId: string,
    messageId: string,
    reason: string,
  ): Promise<{ sentTo: number }> {
    const sentTo = await (await this.#handle(conversationId)).report(messageId, reason);
    return { sentTo };
  }

  /** Reports; a reported message under a content warning stays covered ('' text) unless in `reveal`. */
  async reports(conversationId: string, reveal: readonly string[] = []): Promise<ReportView[]> {
    const handle = await this.#handle(conversationId);
    const names = await this.#names(handle);
    const warnings = await warningsById(handle);
    return (await handle.reports())
      .map((report) => ({
        index: report.index,
        reporter: names(report.reporter),
        messageId: toHex(report.messageId),
        author: names(report.author),
        text: report.text,
        check: report.check,
        context: report.context.map((line) => {
          // A message before the reported one, under a content warning: its words stay withheld.
          const covered =
            line.messageId === undefined ? {} : reportWarning(warnings, toHex(line.messageId));
          return {
            author: names(line.author),
            text: covered.warning === undefined ? line.text : '',
            check: line.check,
            ...covered,
          };
        }),
        reason: report.reason,
        receivedAt: report.receivedAt,
        ...(report.handled === undefined
          ? {}
          : {
              handled: {
                by:
                  report.handled.byPseudonym === ''
                    ? shortAddress(report.handled.by)
                    : report.handled.byPseudonym,
                action: report.handled.action,
                at: report.handled.at,
              },
            }),
        dismissed: report.dismissed,
        ...reportWarning(warnings, toHex(report.messageId)),
      }))
      .map((view) =>
        view.warning === undefined || reveal.includes(view.messageId)
          ? view
          : { ...view, text: '' },
      );
  }

  async log(conversationId: string): Promise<LogEntryView[]> {
    const handle = await this.#handle(conversationId);
    const entries = await handle.log();
    // Topic names are sealed in the log: the topics list holds them opened.
    const topicNames = new Map((await handle.topics()).map((topic) => [topic.id, topic.name]));
    const views = entries.map((entry) => logEntryView(entry, topicNames));
    return withScheduleWords(handle, entries, views);
  }

  async warnings(conversationId: string): Promise<WarningView[]> {
    return (await (await this.#handle(conversationId)).warnings()).map((warning) => ({
      kind: warning.kind,
      detail: warning.detail,
      at: warning.at,
      ...(warning.member === undefined ? {} : { member: warning.member }),
    }));
  }

  /** Every invite link made so far stops working (a new epoch of the group secret). */
  async resetInvites(conversationId: string): Promise<void> {
    await (await this.#handle(conversationId)).resetInvites();
  }

  async leave(conversationId: string): Promise<void> {
    await (await this.#handle(conversationId)).leave();
  }

  async #handle(conversationId: string): Promise<GroupHandle> {
    return (await resolveGroup(this.#client, conversationId)).handle;
  }

  /** undefined for 'fresh' (a new persona); the session of the persona at that address otherwise. */
  /**
   * Who creates or joins: 'fresh' (the window's default) makes a new persona, under the chosen
   * pseudonym when one was typed; an address picks that persona of the vault.
   */
  #personaChoice(args: { persona: string; pseudonym?: string | undefined }): {
    persona: GroupPersonaChoice;
    pseudonym?: string;
  } {
    if (args.persona !== 'fresh') return { persona: { address: args.persona } };
    return args.pseudonym === undefined
      ? { persona: 'fresh' }
      : { persona: 'fresh', pseudonym: args.pseudonym };
  }

  /**
   * Names people by the pseudonym we know them by: members, and those gone (removed, banned,
   * left) by their profile in our copy, as the chat and the log do; a short address only when
   * no profile of theirs ever opened.
   */
  async #names(handle: GroupHandle): Promise<(address: string) => string> {
    const [members, banned, messages] = await Promise.all([
      handle.members(),
      handle.banned(),
      handle.messages(),
    ]);
    const known = new Map<string, string>();
    const learn = (address: string, pseudonym: string): void => {
      if (pseudonym !== '') known.set(address, pseudonym);
    };
    for (const message of messages) learn(message.sender, message.senderPseudonym);
    for (const one of banned) learn(one.address, one.pseudonym);
    for (const member of members) learn(member.address, member.pseudonym);
    return (address) => {
      const name = known.get(address);
      return name === undefined || name === '' ? shortAddress(address) : name;
    };
  }

  async #view(handle: GroupHandle): Promise<GroupView> {
    const [details, messages] = await Promise.all([handle.details(), handle.messages()]);
    const session = this.#client.session(handle.persona);
    const pinned = details.pinned.flatMap((id) => {
      const message = messages.find((candidate) => toHex(candidate.messageId) === id);
      return message === undefined ? [] : [coverView(groupMessageView(message, handle.persona))];
    });
    return {
      conversationId: groupConversationId(details.groupId),
      groupId: details.groupId,
      name: details.name,
      description: details.description,
      rules: details.rules,
      status: details.status,
      ...(details.role === undefined ? {} : { role: details.role }),
      persona: { address: session.address, pseudonym: session.whoami().pseudonym },
      policy: {
        joinByApproval: details.policy.joinByApproval,
        slowModeSeconds: details.policy.slowModeSeconds,
        posting: details.policy.posting,
        disappearingSeconds: details.policy.disappearingSeconds,
        requireImageWarnings: details.policy.requireImageWarnings,
        membersCreateTopics: details.policy.membersCreateTopics === true,
        membersMessagePrivately: details.policy.membersMessagePrivately === true,
      },
      members: details.members,
      requests: details.requests,
      warnings: details.warnings,
      pinned,
      waitingForKey: details.waitingForKey,
      openReports: (await moderationCounts(handle, details))?.reports ?? 0,
    };
  }
}

function logEntryView(entry: GroupLogEntry, topicNames: ReadonlyMap<string, string>): LogEntryView {
  const topicOperation = topicOperationOf(entry);
  if (topicOperation !== undefined) {
    // The topic's name now (a moved-to General or an unknown topic has none: the window says so).
    const name = topicOperation.topic === '' ? undefined : topicNames.get(topicOperation.topic);
    return {
      sequence: entry.sequence,
      action: topicOperation.action,
      actor: entry.actorPseudonym === '' ? shortAddress(entry.actor) : entry.actorPseudonym,
      ...(name === undefined || name === '' ? {} : { target: name }),
      ...(entry.reason === '' ? {} : { reason: entry.reason }),
      at: entry.at,
    };
  }
  return {
    sequence: entry.sequence,
    action:
      entry.action === 'mute' && entry.detail === 'unmuted'
        ? 'unmute'
        : // Under the approval policy a join is a request: the member is in once let in.
          entry.action === 'join' && entry.detail === 'request'
          ? 'joinRequest'
          : // A policy change that let members write privately, or stopped them: said in words.
            entry.privateMessages !== undefined
            ? entry.privateMessages
              ? 'privateMessagesOn'
              : 'privateMessagesOff'
            : entry.action,
    actor: entry.actorPseudonym === '' ? shortAddress(entry.actor) : entry.actorPseudonym,
    ...(entry.target === undefined
      ? {}
      : {
          target:
            entry.targetPseudonym === undefined || entry.targetPseudonym === ''
              ? shortAddress(entry.target)
              : entry.targetPseudonym,
        }),
    ...(entry.reason === '' ? {} : { reason: entry.reason }),
    at: entry.at,
  };
}

function introductionOf(args: ApiParsedArgs<'groups.join'>): { introduction?: string } {
  return args.introduction === undefined || args.introduction.trim() === ''
    ? {}
    : { introduction: args.introduction };
}

function reportWarning(warnings: ReadonlyMap<string, string>, id: string): { warning?: string } {
  const warning = warnings.get(id);
  return warning === undefined ? {} : { warning };
}

/** The first block of an address: enough to tell people apart when no name is known. */
function shortAddress(address: string): string {
  return address.slice(0, 8);
}
