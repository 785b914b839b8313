import { randomBytes } from 'node:crypto';
import { concatBytes, fromHex, ownedBytes, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupActionInit } from '../../groups/groupOperations.js';
import type { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import { TOPIC_ID_BYTES, topicsOf } from '../../groups/topicRules.js';
import { TopicStatus } from '../../protocol/gen/kindred_pb.js';
import { encodeRecord, RecordReader } from '../jsonRecord.js';
import type { PersonaState } from '../PersonaState.js';
import { currentSecret, resolveGroup } from './groupAccess.js';
import { sealReason } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupLog } from './GroupLog.js';
import { groupKey } from './GroupStore.js';
import { currentTopicOf } from './topicPosting.js';

/** Longest topic name, in UTF-16 code units. */
export const MAX_TOPIC_NAME_LENGTH = 64;
/** What General, the implicit default topic, is called (the window translates it). */
export const GENERAL_TOPIC_NAME = 'General';
const CONTROL = /\p{Cc}/u;

/** One topic as a member sees it. */
export interface GroupTopicView {
  /** The topic id in hex; '' for General. */
  readonly id: string;
  /** Its name, opened with the group secret ('' when no secret we hold opens it). */
  readonly name: string;
  readonly general: boolean;
  readonly closed: boolean;
  /** Messages in it now (thread replies count in their root's topic). */
  readonly messages: number;
  /** Others' messages in it stored after our read marker for it. */
  readonly unread: number;
  /** Pinned messages (hex ids) that are in it, oldest pin first. */
  readonly pinned: readonly string[];
}

/**
 * A group's topics for the persona in it (docs/groups.md, "Topics and threads"): the list with
 * names and unread counts, and the signed operations that create, rename, close, reopen and move
 * into them (the rules are core/groups/topicRules.ts). Topic names are sealed under the group
 * secret like the group's info: the relay sees ids and states, never names.
 */
export class GroupTopics {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;

  constructor(options: GroupSessionOptions, log: GroupLog) {
    this.#options = options;
    this.#log = log;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  /** General first, then the topics in the order they were created. */
  async list(groupRef: string): Promise<GroupTopicView[]> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const state = this.#state;
    return state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      const secrets = await this.#log.keys.held(groupId, group);
      const counts = new Map<string, { messages: number; unread: number }>();
      const marks = new Map<string, number>();
      const topicOfId = new Map<string, string>();
      const self = state.persona.address;
      for (const message of await state.groups.messages(groupId)) {
        const id = toHex(message.messageId);
        if (group.deleted.has(id)) continue;
        const root = message.threadRoot === undefined ? undefined : toHex(message.threadRoot);
        const topic =
          (root === undefined ? undefined : topicOfId.get(root)) ?? currentTopicOf(group, message);
        topicOfId.set(id, topic);
        let mark = marks.get(topic);
        if (mark === undefined) {
          mark = await this.#readMark(groupId, topic);
          marks.set(topic, mark);
        }
        const count = counts.get(topic) ?? { messages: 0, unread: 0 };
        count.messages++;
        if (message.sender !== self && message.index > mark) count.unread++;
        counts.set(topic, count);
      }
      const pinnedIn = (topic: string): string[] =>
        group.pinned.filter((id) => (topicOfId.get(id) ?? '') === topic);
      const general: GroupTopicView = {
        id: '',
        name: GENERAL_TOPIC_NAME,
        general: true,
        closed: false,
        ...(counts.get('') ?? { messages: 0, unread: 0 }),
        pinned: pinnedIn(''),
      };
      const views = [general];
      for (const [id, topic] of topicsOf(group)) {
        views.push({
          id,
          name: await openTopicName(secrets, groupId, topic.topicId, topic.sealedName),
          general: false,
          closed: topic.closedAt !== undefined,
          ...(counts.get(id) ?? { messages: 0, unread: 0 }),
          pinned: pinnedIn(id),
        });
      }
      return views;
    });
  }

  /**
   * The topic named by `reference`: its hex id, or its name (case-insensitive; "General" or ''
   * is General). Returns the id in hex ('' General). CORE_TOPIC_NOT_FOUND for no such topic,
   * CORE_INVALID_INPUT when two topics share the name (use the id).
   */
  async resolve(groupRef: string, reference: string): Promise<string> {
    const wanted = reference.trim();
    if (wanted === '' || wanted.toLowerCase() === GENERAL_TOPIC_NAME.toLowerCase()) return '';
    const topics = await this.list(groupRef);
    const byId = topics.find((topic) => topic.id !== '' && topic.id === wanted.toLowerCase());
    if (byId !== undefined) return byId.id;
    const named = topics.filter((topic) => topic.name.toLowerCase() === wanted.toLowerCase());
    if (named.length > 1) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'two topics have that name: use its id');
    }
    const found = named[0];
    if (found === undefined) throw new CoreError(CoreErrorCode.TopicNotFound, 'no such topic');
    return found.id;
  }

  /** Creates a topic (moderators; members when the policy allows). Returns its hex id. */
  async create(groupRef: string, name: string): Promise<string> {
    const checked = checkTopicName(name);
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const topicId = ownedBytes(randomBytes(TOPIC_ID_BYTES));
    await this.#log.submit(groupId, async (group) => ({
      case: 'topicCreate',
      value: {
        topicId,
        sealedName: await sealTopicName(
          await this.#secret(groupId, group),
          groupId,
          topicId,
          checked,
        ),
      },
    }));
    return toHex(topicId);
  }

  async rename(groupRef: string, topicRef: string, name: string, reason?: string): Promise<void> {
    const checked = checkTopicName(name);
    const { groupId, topicId } = await this.#topic(groupRef, topicRef);
    await this.#submit(
      groupId,
      async (group) => ({
        case: 'topicUpdate',
        value: {
          topicId,
          sealedName: await sealTopicName(
            await this.#secret(groupId, group),
            groupId,
            topicId,
            checked,
          ),
        },
      }),
      reason,
    );
  }

  /** Closes a topic to new posts (moderators); General cannot be closed. */
  async close(groupRef: string, topicRef: string, reason?: string): Promise<void> {
    const { groupId, topicId } = await this.#topic(groupRef, topicRef);
    await this.#submit(
      groupId,
      () => ({ case: 'topicUpdate', value: { topicId, status: TopicStatus.CLOSED } }),
      reason,
    );
  }

  async reopen(groupRef: string, topicRef: string, reason?: string): Promise<void> {
    const { groupId, topicId } = await this.#topic(groupRef, topicRef);
    await this.#submit(
      groupId,
      () => ({ case: 'topicUpdate', value: { topicId, status: TopicStatus.OPEN } }),
      reason,
    );
  }

  /** Moves a message (hex id) into another topic (moderators): a signed operation in the log. */
  async move(
    groupRef: string,
    messageIdHex: string,
    topicRef: string,
    reason?: string,
  ): Promise<void> {
    const messageId = fromHex(messageIdHex.trim());
    if (messageId?.length !== 16) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'a message id is 32 hex characters');
    }
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const topic = await this.resolve(groupRef, topicRef);
    const topicId = topic === '' ? new Uint8Array(0) : (fromHex(topic) ?? new Uint8Array(0));
    await this.#submit(
      groupId,
      () => ({ case: 'topicMove', value: { messageId, topicId } }),
      reason,
    );
  }

  /** Everything in the topic up to now counts as read (`unread` 0). */
  async markRead(groupRef: string, topicRef: string): Promise<void> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const topic = await this.resolve(groupRef, topicRef);
    const state = this.#state;
    await state.transact(async () => {
      const record = await state.groups.require(groupId);
      await state.store.put(
        readMarkKey(groupId, topic),
        encodeRecord({ index: record.messageCount }),
      );
    });
    await state.store.flush();
  }

  async #readMark(groupId: Uint8Array, topic: string): Promise<number> {
    const bytes = await this.#state.store.get(readMarkKey(groupId, topic));
    return bytes === undefined ? 0 : RecordReader.decode(bytes, 'topic read mark').number('index');
  }

  /** A topic other than General, for the operations that change one. */
  async #topic(
    groupRef: string,
    topicRef: string,
  ): Promise<{ groupId: Uint8Array; topicId: Uint8Array }> {
    const { groupId } = await resolveGroup(this.#state, groupRef);
    const topic = await this.resolve(groupRef, topicRef);
    const topicId = topic === '' ? undefined : fromHex(topic);
    if (topicId === undefined) {
      throw new CoreError(CoreErrorCode.GroupBadTarget, 'General is neither renamed nor closed');
    }
    return { groupId, topicId };
  }

  #secret(groupId: Uint8Array, group: GroupState): Promise<GroupSecret> {
    return currentSecret(this.#state, this.#log.keys, groupId, group);
  }

  async #submit(
    groupId: Uint8Array,
    build: (group: GroupState) => GroupActionInit | Promise<GroupActionInit>,
    reason: string | undefined,
  ): Promise<void> {
    await this.#log.submit(
      groupId,
      build,
      reason === undefined || reason === ''
        ? undefined
        : async (group) => sealReason(await this.#secret(groupId, group), groupId, reason),
    );
  }
}

/** Throws CORE_INVALID_INPUT unless `name` may name a topic: 1..64 code units, no controls. */
export function checkTopicName(name: string): string {
  const trimmed = name.trim();
  if (
    trimmed === '' ||
    trimmed.length > MAX_TOPIC_NAME_LENGTH ||
    !trimmed.isWellFormed() ||
    CONTROL.test(trimmed) ||
    trimmed.toLowerCase() === GENERAL_TOPIC_NAME.toLowerCase()
  ) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a topic name has 1 to ${MAX_TOPIC_NAME_LENGTH} characters, no control characters, and is not "General"`,
    );
  }
  return trimmed;
}

/** Sealed under the group secret, bound to the group and the topic. */
export function sealTopicName(
  secret: GroupSecret,
  groupId: Uint8Array,
  topicId: Uint8Array,
  name: string,
): Promise<Uint8Array> {
  return secret.seal('topic', new TextEncoder().encode(name), concatBytes(groupId, topicId));
}

/** The name, opened with whichever held epoch's secret sealed it; '' when none does. */
async function openTopicName(
  secrets: readonly GroupSecret[],
  groupId: Uint8Array,
  topicId: Uint8Array,
  sealed: Uint8Array,
): Promise<string> {
  for (const secret of secrets) {
    try {
      const bytes = await secret.open('topic', sealed, concatBytes(groupId, topicId));
      const name = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return name.length <= MAX_TOPIC_NAME_LENGTH && !CONTROL.test(name) ? name : '';
    } catch {
      // Sealed under another epoch's secret.
    }
  }
  return '';
}

function readMarkKey(groupId: Uint8Array, topic: string): string {
  return `${groupKey(groupId)}/topicRead/${topic === '' ? 'general' : topic}`;
}
