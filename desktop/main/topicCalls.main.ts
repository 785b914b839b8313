import type { TopicView } from '../shared/topicViews.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type TopicMethod =
  | 'topics.list'
  | 'topics.create'
  | 'topics.rename'
  | 'topics.close'
  | 'topics.reopen'
  | 'topics.move'
  | 'topics.markRead';

/**
 * A group's topics in the window: the list with unread counts, and the moderator actions on
 * core's GroupHandle (create, rename, close, reopen, move a message). Topics are named by hex id
 * ('' General) here, never by name, so two topics with one name cannot be confused.
 * Every change tells the window its conversation changed, so the lists and messages reload.
 */
export function topicHandlers(
  vault: () => UnlockedVault,
  emitChanged: (conversationId: string) => void,
): Pick<ApiHandlers, TopicMethod> {
  const handle = async (conversationId: string) =>
    (await resolveGroup(vault().client, conversationId)).handle;
  const changed = (conversationId: string) => {
    emitChanged(conversationId);
    return null;
  };
  return {
    'topics.list': async (args): Promise<TopicView[]> =>
      (await (await handle(args.conversationId)).topics()).map((topic) => ({
        id: topic.id,
        name: topic.name,
        general: topic.general,
        closed: topic.closed,
        messages: topic.messages,
        unread: topic.unread,
      })),
    'topics.create': async (args) => {
      const id = await (await handle(args.conversationId)).createTopic(args.name);
      emitChanged(args.conversationId);
      return { id };
    },
    'topics.rename': async (args) => {
      await (await handle(args.conversationId)).renameTopic(args.topic, args.name, args.reason);
      return changed(args.conversationId);
    },
    'topics.close': async (args) => {
      await (await handle(args.conversationId)).closeTopic(args.topic, args.reason);
      return changed(args.conversationId);
    },
    'topics.reopen': async (args) => {
      await (await handle(args.conversationId)).reopenTopic(args.topic, args.reason);
      return changed(args.conversationId);
    },
    'topics.move': async (args) => {
      // '' is General: core names it "General" (its resolve takes '' as General too).
      await (
        await handle(args.conversationId)
      ).moveMessage(args.messageId, args.topic, args.reason);
      return changed(args.conversationId);
    },
    'topics.markRead': async (args) => {
      await (await handle(args.conversationId)).markTopicRead(args.topic);
      // No event: the window reloads the topic list itself (as conversations.markRead).
      return null;
    },
  };
}
