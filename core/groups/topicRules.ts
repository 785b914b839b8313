import { ownedBytes, toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { TopicCreate, TopicMove, TopicUpdate } from '../protocol/gen/kindred_pb.js';
import { TopicStatus } from '../protocol/gen/kindred_pb.js';
import type { GroupMemberState, GroupState, GroupTopicState } from './GroupState.js';
import { ROLE_RANK } from './GroupState.js';
import { PersistentMap } from './PersistentMap.js';

/**
 * The rules of a group's topics (docs/groups.md, "Topics and threads"): the three topic
 * operations, applied by `applyGroupOperation` on the relay and on every member's client alike.
 * General, the default topic, is implicit: it has no id (the empty id), is never in
 * `GroupState.topics`, and is neither renamed nor closed.
 */

export const TOPIC_ID_BYTES = 16;
/** Topics a group may have besides General. */
export const MAX_TOPICS = 100;
/** A sealed topic name: nonce, a name of at most 64 characters in UTF-8, tag, with room. */
export const MAX_SEALED_TOPIC_NAME_BYTES = 1024;
/** Messages a moderator may have moved (the moved-message map is bounded like the pins). */
export const MAX_MOVED_MESSAGES = 10_000;

const MESSAGE_ID_BYTES = 16;

/** The operation's facts the topic rules need. */
interface TopicActor {
  readonly actor: GroupMemberState | undefined;
  /** The operation's sequence in the log. */
  readonly sequence: number;
}

/** The topics of a state (none in a state from before topics). */
export function topicsOf(state: GroupState): ReadonlyMap<string, GroupTopicState> {
  return state.topics ?? PersistentMap.empty<GroupTopicState>();
}

/** Where moderators moved messages: hex message id → hex topic id ('' for General). */
export function movedMessagesOf(state: GroupState): ReadonlyMap<string, string> {
  return state.movedMessages ?? PersistentMap.empty<string>();
}

/**
 * A member may create a topic when a moderator or above, or when the policy lets members
 * (`membersCreateTopics`). The id is fresh and random; the name is sealed.
 */
export function applyTopicCreate(
  state: GroupState,
  { actor, sequence }: TopicActor,
  create: TopicCreate,
): GroupState {
  if (actor === undefined) throw forbidden('the actor is not a member');
  if (ROLE_RANK[actor.role] < ROLE_RANK.moderator && state.policy.membersCreateTopics !== true) {
    throw forbidden('only moderators may create topics in this group');
  }
  const id = topicIdOf(create.topicId);
  if (id === '') throw invalid('names General, which always exists');
  const topics = topicsOf(state);
  if (topics.has(id)) throw badTarget('the topic id is in use');
  if (topics.size >= MAX_TOPICS) throw badTarget('too many topics');
  checkSealedName(create.sealedName);
  const topic: GroupTopicState = {
    topicId: ownedBytes(create.topicId),
    sealedName: ownedBytes(create.sealedName),
    createdBy: actor.address,
    createdAt: sequence,
  };
  return { ...state, topics: PersistentMap.from(topics).with(id, topic) };
}

/** A moderator renames, closes or reopens a topic (the caller checked the rank). */
export function applyTopicUpdate(
  state: GroupState,
  { sequence }: TopicActor,
  update: TopicUpdate,
): GroupState {
  const id = topicIdOf(update.topicId);
  if (id === '') throw badTarget('General is neither renamed nor closed');
  const topics = topicsOf(state);
  const topic = topics.get(id);
  if (topic === undefined) throw topicNotFound();
  if (update.sealedName.length === 0 && update.status === TopicStatus.UNCHANGED) {
    throw invalid('changes nothing');
  }
  let next: GroupTopicState = topic;
  if (update.sealedName.length !== 0) {
    checkSealedName(update.sealedName);
    next = { ...next, sealedName: ownedBytes(update.sealedName) };
  }
  switch (update.status) {
    case TopicStatus.UNCHANGED:
      break;
    case TopicStatus.CLOSED:
      if (topic.closedAt !== undefined) throw badTarget('the topic is already closed');
      next = { ...next, closedAt: sequence };
      break;
    case TopicStatus.OPEN: {
      if (topic.closedAt === undefined) throw badTarget('the topic is open');
      const open: { -readonly [K in keyof GroupTopicState]: GroupTopicState[K] } = { ...next };
      delete open.closedAt;
      next = open;
      break;
    }
    default:
      throw invalid('has an unknown topic status');
  }
  return { ...state, topics: PersistentMap.from(topics).with(id, next) };
}

/**
 * A moderator moves a message into another topic (General, or one that exists). The relay
 * cannot see the message, so any 16-byte id is taken unless the log deleted it; members apply
 * the move to the message they hold with that id.
 */
export function applyTopicMove(state: GroupState, move: TopicMove): GroupState {
  if (move.messageId.length !== MESSAGE_ID_BYTES) throw invalid('names a malformed message id');
  const messageId = toHex(move.messageId);
  if (state.deleted.has(messageId)) throw badTarget('the message was deleted');
  const id = topicIdOf(move.topicId);
  if (id !== '' && !topicsOf(state).has(id)) throw topicNotFound();
  const moved = movedMessagesOf(state);
  if (!moved.has(messageId) && moved.size >= MAX_MOVED_MESSAGES) {
    throw badTarget('too many moved messages');
  }
  return { ...state, movedMessages: PersistentMap.from(moved).with(messageId, id) };
}

/**
 * Whether a post into `topicIdHex` ('' General) written with a log of `logLength` operations
 * must be refused: the topic was closed by an operation its author had seen. A post written
 * before the close (a shorter log) is kept; an unknown topic is no reason (its creation may
 * still be on its way; the post shows in General meanwhile).
 */
export function isClosedForPost(state: GroupState, topicIdHex: string, logLength: number): boolean {
  if (topicIdHex === '') return false;
  const closedAt = topicsOf(state).get(topicIdHex)?.closedAt;
  return closedAt !== undefined && logLength > closedAt;
}

/**
 * The topic a message is in now: where a moderator moved it, else the topic it was posted into
 * when the log knows it, else General (''). `postedInto` is its own topic id in hex ('' none).
 */
export function topicOfMessage(
  state: GroupState,
  messageIdHex: string,
  postedInto: string,
): string {
  const moved = movedMessagesOf(state).get(messageIdHex);
  if (moved !== undefined) return moved;
  return postedInto !== '' && topicsOf(state).has(postedInto) ? postedInto : '';
}

/** '' for General (the empty id), else the topic id in hex. */
function topicIdOf(topicId: Uint8Array): string {
  if (topicId.length === 0) return '';
  if (topicId.length !== TOPIC_ID_BYTES) throw invalid('names a malformed topic id');
  if (topicId.every((byte) => byte === 0)) return '';
  return toHex(topicId);
}

function checkSealedName(sealed: Uint8Array): void {
  if (sealed.length === 0 || sealed.length > MAX_SEALED_TOPIC_NAME_BYTES) {
    throw invalid('has a malformed sealed topic name');
  }
}

function topicNotFound(): CoreError {
  return new CoreError(CoreErrorCode.TopicNotFound, 'no such topic in this group');
}

function forbidden(reason: string): CoreError {
  return new CoreError(CoreErrorCode.GroupForbidden, reason);
}

function badTarget(reason: string): CoreError {
  return new CoreError(CoreErrorCode.GroupBadTarget, reason);
}

function invalid(reason: string): CoreError {
  return new CoreError(CoreErrorCode.GroupOperationInvalid, `topic operation ${reason}`);
}
