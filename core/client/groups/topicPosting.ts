import { toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupState } from '../../groups/GroupState.js';
import { topicOfMessage, topicsOf } from '../../groups/topicRules.js';
import type { ConversationStore, StoredMessage } from '../messages/ConversationStore.js';

/** Where a post goes: its topic (absent: General) and its thread (absent: none). */
export interface PlaceOfPost {
  readonly topicId?: Uint8Array;
  readonly threadRoot?: Uint8Array;
}

/**
 * Where our post goes, checked against the log as we hold it: a reply in a thread goes into the
 * thread's root (a reply to a reply names the same root, so threads stay one level deep) and
 * into the topic the root is in now; otherwise into `topicId`. CORE_MESSAGE_NOT_FOUND for a
 * thread root the group lacks, CORE_TOPIC_NOT_FOUND for an unknown topic, CORE_TOPIC_CLOSED for
 * a closed one (every member's client refuses such a post too: GroupInbound).
 */
export async function placeOfPost(
  group: GroupState,
  conversation: ConversationStore,
  wanted: {
    readonly topicId?: Uint8Array | undefined;
    readonly threadRoot?: Uint8Array | undefined;
  },
): Promise<PlaceOfPost> {
  let topic = wanted.topicId === undefined ? '' : toHex(wanted.topicId);
  let threadRoot = wanted.threadRoot;
  if (threadRoot !== undefined) {
    let root = await conversation.findMessage(threadRoot);
    if (root?.threadRoot !== undefined) {
      threadRoot = root.threadRoot;
      root = await conversation.findMessage(threadRoot);
    }
    if (root === undefined) {
      throw new CoreError(CoreErrorCode.MessageNotFound, 'the thread’s first message is not here');
    }
    topic = currentTopicOf(group, root);
  }
  const known = topic === '' ? undefined : topicsOf(group).get(topic);
  if (topic !== '' && known === undefined) {
    throw new CoreError(CoreErrorCode.TopicNotFound, 'no such topic');
  }
  if (known?.closedAt !== undefined) {
    throw new CoreError(CoreErrorCode.TopicClosed, 'this topic is closed to new posts');
  }
  return {
    ...(known === undefined ? {} : { topicId: known.topicId }),
    ...(threadRoot === undefined ? {} : { threadRoot }),
  };
}

/** The topic a stored message is in now, in hex ('' General): see topicOfMessage. */
export function currentTopicOf(group: GroupState, message: StoredMessage): string {
  return topicOfMessage(
    group,
    toHex(message.messageId),
    message.topicId === undefined ? '' : toHex(message.topicId),
  );
}

/**
 * The topic a message shows in, noting it in `seen` (hex id → topic) as messages are read in
 * order: a thread reply is in its root's topic, whatever its own says.
 */
export function topicInView(
  group: GroupState | undefined,
  message: StoredMessage,
  seen: Map<string, string>,
): string {
  const root = message.threadRoot === undefined ? undefined : seen.get(toHex(message.threadRoot));
  const topic = root ?? (group === undefined ? '' : currentTopicOf(group, message));
  seen.set(toHex(message.messageId), topic);
  return topic;
}
