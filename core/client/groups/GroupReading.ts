import { toHex } from '../../bytes/bytes.js';
import type { InviteUse } from '../inviteUse.js';
import { inviteUse } from '../inviteUse.js';
import { decodeGroupOperation } from '../../groups/GroupRules.js';
import type { GroupRole, GroupState } from '../../groups/GroupState.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { shownWarning } from '../messages/contentWarnings.js';
import type { PersonaState } from '../PersonaState.js';
import { openInfo, parseGroupId, resolveGroup } from './groupAccess.js';
import type { GroupInfoData } from './groupCodec.js';
import { openAnyMemberProfile } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { FacilitatorBadge } from '../facilitators/FacilitatorCredentials.js';
import type { GroupCredentials } from './GroupCredentials.js';
import type { GroupLog, GroupLogEntry } from './GroupLog.js';
import type { CheckedGroupReport } from './GroupReports.js';
import { checkGroupReport } from './GroupReports.js';
import { reportHandling } from './reportHandling.js';
import { topicInView } from './topicPosting.js';
import type { GroupMessage, GroupStatus, GroupWarning } from './GroupStore.js';

export interface GroupSummary {
  readonly groupId: string;
  readonly persona: string;
  readonly name: string;
  readonly status: GroupStatus;
  readonly role: GroupRole | undefined;
  readonly members: number;
  readonly requests: number;
  readonly warnings: number;
}

export interface GroupDetails extends GroupSummary, GroupInfoData {
  readonly policy: GroupState['policy'];
  readonly pinned: readonly string[];
  readonly logLength: number;
  /** The epoch of the group secret (0 at create, one more with every rotation). */
  readonly epoch: number;
  /**
   * We do not hold the current epoch's secret: a joiner before a member sent it, or a member
   * whose new secret is still on its way. Messages wait until it comes.
   */
  readonly waitingForKey: boolean;
}

export interface GroupMemberView {
  readonly address: string;
  readonly pseudonym: string;
  readonly role: GroupRole;
  readonly mutedUntil: number;
  readonly self: boolean;
  /** The member's facilitator badge, when it shows a valid credential (checked at each read). */
  readonly badge?: FacilitatorBadge;
}

/** A request to join, waiting for a moderator. */
export interface GroupRequestView {
  readonly address: string;
  readonly pseudonym: string;
  /** Sequence of the join operation in the log (not a time). */
  readonly requestedAtSequence: number;
  /** What the requester wrote for the moderators with its request; absent when nothing. */
  readonly introduction?: string;
}

/**
 * A group message as shown: deleted ones keep their place but lose their text. `warning` is the
 * label it is shown covered with: the author's, or "Sensitive image" for an unwarned image when
 * the group requires warnings on images.
 */
export interface GroupMessageView extends GroupMessage {
  readonly senderPseudonym: string;
  /** The author's facilitator badge, as the member list shows it now. */
  readonly senderBadge?: FacilitatorBadge;
  readonly deleted: boolean;
  readonly pinned: boolean;
  /** The topic it is in now, hex id ('' General): a thread reply is in its root's topic. */
  readonly topic: string;
}

/** The policy of a group whose state we do not have yet: nothing required. */
const NO_IMAGE_WARNINGS = { requireImageWarnings: false } as const;

/**
 * A persona's groups as they are shown: summaries and details, members, requests, the banned,
 * messages, the moderation log, reports with our own copy of what they name, and warnings. It
 * only reads: nothing here changes the vault.
 */
export class GroupReading {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #credentials: GroupCredentials;

  constructor(options: GroupSessionOptions, log: GroupLog, credentials: GroupCredentials) {
    this.#options = options;
    this.#log = log;
    this.#credentials = credentials;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  get #address(): string {
    return this.#state.persona.address;
  }

  async list(): Promise<GroupSummary[]> {
    const records = await this.#state.transact(() => this.#state.groups.list());
    const summaries: GroupSummary[] = [];
    for (const record of records) summaries.push(await this.summary(toHex(record.groupId)));
    return summaries;
  }

  async summary(groupRef: string): Promise<GroupSummary> {
    const details = await this.details(groupRef);
    return {
      groupId: details.groupId,
      persona: details.persona,
      name: details.name,
      status: details.status,
      role: details.role,
      members: details.members,
      requests: details.requests,
      warnings: details.warnings,
    };
  }

  async details(groupRef: string): Promise<GroupDetails> {
    const { groupId, record } = await resolveGroup(this.#state, groupRef);
    const state = await this.#state.transact(() => this.#state.groups.state(groupId));
    const info =
      state === undefined
        ? { name: '', description: '', rules: '' }
        : await this.#state.transact(() => openInfo(this.#state, this.#log.keys, groupId, state));
    const current =
      state === undefined
        ? undefined
        : await this.#state.transact(() => this.#log.keys.current(groupId, state));
    return {
      groupId: toHex(groupId),
      persona: this.#address,
      ...info,
      status: record.status,
      role: state?.members.get(this.#address)?.role,
      members: state?.members.size ?? 0,
      requests: state?.requests.size ?? 0,
      warnings: record.warningCount,
      policy: state?.policy ?? {
        joinByApproval: false,
        slowModeSeconds: 0,
        posting: 'everyone',
        disappearingSeconds: 0,
        requireImageWarnings: false,
      },
      pinned: state?.pinned ?? [],
      logLength: state?.length ?? 0,
      epoch: state?.epoch ?? 0,
      waitingForKey: current === undefined,
    };
  }

  /** Where one of the group's invite links stands, as this persona's copy of the log has it. */
  async inviteUse(groupRef: string, inviteId: Uint8Array, now: number): Promise<InviteUse> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = await this.#state.transact(() => this.#state.groups.state(groupId));
    return inviteUse(state?.invites.get(toHex(inviteId)), now);
  }

  async members(groupRef: string): Promise<GroupMemberView[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const views = await this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: GroupMemberView[] = [];
      for (const member of state.members.values()) {
        views.push({
          address: member.address,
          pseudonym: (await this.#state.groups.peer(groupId, member.address))?.pseudonym ?? '',
          role: member.role,
          mutedUntil: member.mutedUntil,
          self: member.address === this.#address,
        });
      }
      return views.sort(
        (a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || a.pseudonym.localeCompare(b.pseudonym),
      );
    });
    const badges = await this.#credentials.badges(
      groupId,
      views.map((view) => view.address),
    );
    return views.map((view) => {
      const badge = badges.get(view.address);
      return badge === undefined ? view : { ...view, badge };
    });
  }

  async requests(groupRef: string): Promise<GroupRequestView[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: GroupRequestView[] = [];
      const secrets = await this.#log.keys.held(groupId, state);
      for (const request of state.requests.values()) {
        // The introduction travels only in the sealed join profile (never in our peer records).
        const introduction = await openAnyMemberProfile(
          secrets,
          groupId,
          request.identityKey,
          request.sealedProfile,
        ).then(
          (profile) => profile.introduction,
          () => undefined,
        );
        views.push({
          address: request.address,
          pseudonym: (await this.#state.groups.peer(groupId, request.address))?.pseudonym ?? '',
          requestedAtSequence: request.requestedAtSequence,
          ...(introduction === undefined ? {} : { introduction }),
        });
      }
      // Oldest first; the state's own order follows key hashes (PersistentMap).
      return views.sort((a, b) => a.requestedAtSequence - b.requestedAtSequence);
    });
  }

  /** Personas banned from the group, by the pseudonym they had ('' when none opened). */
  async banned(groupRef: string): Promise<{ address: string; pseudonym: string }[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const views: { address: string; pseudonym: string }[] = [];
      for (const address of state.banned) {
        const pseudonym = (await this.#state.groups.peer(groupId, address))?.pseudonym ?? '';
        views.push({ address, pseudonym });
      }
      return views.sort(
        (a, b) => a.pseudonym.localeCompare(b.pseudonym) || a.address.localeCompare(b.address),
      );
    });
  }

  async messages(groupRef: string): Promise<GroupMessageView[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const views = await this.#state.transact(async () => {
      const state = await this.#state.groups.state(groupId);
      const messages = await this.#state.groups.messages(groupId);
      const names = new Map<string, string>();
      const views: GroupMessageView[] = [];
      const topics = new Map<string, string>();
      for (const message of messages) {
        let name = names.get(message.sender);
        if (name === undefined) {
          name = (await this.#state.groups.peer(groupId, message.sender))?.pseudonym ?? '';
          names.set(message.sender, name);
        }
        const id = toHex(message.messageId);
        const deleted = state?.deleted.has(id) ?? false;
        // A deleted message keeps its place, but neither its text nor reactions to it.
        const { reactions, ...rest } = message;
        // Covered with the author's warning, or "Sensitive image" when the policy requires one.
        const warning = deleted
          ? undefined
          : shownWarning(
              {
                ...(message.warning === undefined ? {} : { warning: message.warning }),
                ...(message.attachments === undefined
                  ? {}
                  : { attachments: message.attachments.map((a) => a.pointer) }),
              },
              state?.policy ?? NO_IMAGE_WARNINGS,
            );
        views.push({
          ...withoutWarning(rest),
          ...(deleted || reactions === undefined ? {} : { reactions }),
          ...(warning === undefined ? {} : { warning }),
          text: deleted ? '' : message.text,
          senderPseudonym: name,
          deleted,
          pinned: state?.pinned.includes(id) ?? false,
          topic: topicInView(state, message, topics),
        });
      }
      return views;
    });
    const badges = await this.#credentials.badges(
      groupId,
      new Set(views.map((view) => view.sender)),
    );
    return views.map((view) => {
      const badge = badges.get(view.sender);
      return badge === undefined ? view : { ...view, senderBadge: badge };
    });
  }

  /** The moderation log: every operation, with actor, target and reason, for every member. */
  async log(groupRef: string): Promise<GroupLogEntry[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    return this.#state.transact(async () => {
      const state = await this.#state.groups.requireState(groupId);
      const entries: GroupLogEntry[] = [];
      // A join under the approval policy is a request: follow the policy along the log.
      let approval = false;
      // And the timer and private messages, so a policy change that set them can say to what.
      let timer = 0;
      let privateMessages = false;
      for (const signed of await this.#state.groups.operations(groupId, 0)) {
        const operation = decodeGroupOperation(signed);
        const action = operation.action;
        const entry = await this.#log.entry(groupId, operation, state);
        const policy = action.case === 'setPolicy' ? action.value : undefined;
        const newTimer =
          policy !== undefined && policy.disappearingSeconds !== timer
            ? policy.disappearingSeconds
            : undefined;
        const newPrivate =
          policy !== undefined && policy.membersMessagePrivately !== privateMessages
            ? policy.membersMessagePrivately
            : undefined;
        entries.push({
          ...entry,
          ...(action.case === 'join' && approval ? { detail: 'request' } : {}),
          ...(newTimer === undefined ? {} : { timer: newTimer }),
          ...(newPrivate === undefined ? {} : { privateMessages: newPrivate }),
        });
        if (action.case === 'create') {
          approval = action.value.policy?.joinByApproval ?? false;
          timer = action.value.policy?.disappearingSeconds ?? 0;
          privateMessages = action.value.policy?.membersMessagePrivately ?? false;
        }
        if (policy !== undefined) {
          approval = policy.joinByApproval;
          timer = policy.disappearingSeconds;
          privateMessages = policy.membersMessagePrivately;
        }
      }
      return entries;
    });
  }

  /**
   * Reports sent to us as a moderator, each shown with our own copy of the messages it names
   * (looked up by id, so a report that misquotes someone is flagged, never believed).
   */
  async reports(groupRef: string): Promise<CheckedGroupReport[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const groups = this.#state.groups;
    const log = await this.log(groupRef);
    return this.#state.transact(async () => {
      const checked: CheckedGroupReport[] = [];
      const dismissed = await groups.dismissedReports(groupId);
      for (const report of await groups.reports(groupId)) {
        const shown = await checkGroupReport(groups, groupId, report);
        // The author as the message says (our copy), never only the reporter's word.
        const handled = reportHandling(
          {
            messageId: shown.messageId,
            author: shown.author,
            since: shown.sentAt === 0 ? shown.receivedAt : shown.sentAt,
          },
          log,
        );
        checked.push({
          ...shown,
          ...(handled === undefined ? {} : { handled }),
          dismissed: dismissed.has(shown.index),
        });
      }
      return checked;
    });
  }

  async warnings(groupRef: string): Promise<GroupWarning[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    return this.#state.transact(() => this.#state.groups.warnings(groupId));
  }

  /** Whether this persona has the group (by hex id). */
  async has(groupIdHex: string): Promise<boolean> {
    const groupId = parseGroupId(groupIdHex);
    if (groupId === undefined) return false;
    return (await this.#state.transact(() => this.#state.groups.get(groupId))) !== undefined;
  }

  /** Groups whose name matches `name` (case-insensitive), as hex ids. */
  async findByName(name: string): Promise<string[]> {
    const wanted = name.trim().toLowerCase();
    const found: string[] = [];
    for (const summary of await this.list()) {
      if (summary.name.trim().toLowerCase() === wanted) found.push(summary.groupId);
    }
    return found;
  }
}

function withoutWarning<T extends { readonly warning?: string }>(value: T): Omit<T, 'warning'> {
  const copy: T = { ...value };
  delete (copy as { warning?: string }).warning;
  return copy;
}
