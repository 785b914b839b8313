import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ConversationId, MessageView, TopicView } from '../../shared/api.std.js';
import { useApi, useLoad } from '../kindredContext.dom.js';
import type { TopicAction } from './TopicBar.dom.js';
import { messagesInTopic, repliesTo, replyCounts } from './topicMessages.dom.js';

/** A topic dialog open over the chat. */
export type TopicDialog =
  | { readonly kind: 'topic'; readonly action: TopicAction }
  | { readonly kind: 'move'; readonly message: MessageView };

export interface GroupTopics {
  /** The group's topics (General first); [] for a 1:1 chat or until they load. */
  readonly list: readonly TopicView[];
  /** The open topic ('' General). */
  readonly open: string;
  readonly current: TopicView | undefined;
  /** The messages the list shows: the open topic's, without thread replies (1:1: all). */
  readonly shown: readonly MessageView[] | undefined;
  readonly replyCounts: ReadonlyMap<string, number>;
  /** The open thread's first message and replies (undefined when no thread is open). */
  readonly thread: { readonly root: MessageView; readonly replies: MessageView[] } | undefined;
  readonly dialog: TopicDialog | undefined;
  readonly openTopic: (topic: string) => void;
  readonly openThread: (message: MessageView) => void;
  readonly closeThread: () => void;
  readonly ask: (dialog: TopicDialog | undefined) => void;
  readonly reload: () => void;
}

/**
 * A group chat's topics and threads: which topic is open, which thread, and what the message
 * list shows. The open topic is marked read while it is on screen with something unread.
 */
export function useGroupTopics(
  conversationId: ConversationId,
  isGroup: boolean,
  revision: number,
  messages: readonly MessageView[] | undefined,
): GroupTopics {
  const api = useApi();
  const topics = useLoad(isGroup ? `topics:${conversationId}` : undefined, revision, () =>
    api.call('topics.list', { conversationId }),
  );
  // Kept with the chat it belongs to, so another chat opens at General.
  const [place, setPlace] = useState<{ chat: string; topic: string; thread?: string }>({
    chat: conversationId,
    topic: '',
  });
  const [dialog, setDialog] = useState<TopicDialog | undefined>(undefined);
  const here = place.chat === conversationId ? place : { chat: conversationId, topic: '' };
  const list = useMemo(() => (isGroup ? (topics.data ?? []) : []), [isGroup, topics.data]);
  // A topic that is gone (or not loaded yet) falls back to General.
  const current = list.find((topic) => topic.id === here.topic) ?? list[0];
  const open = current?.id ?? '';
  const shown = useMemo(
    () => (messages === undefined || !isGroup ? messages : messagesInTopic(messages, open)),
    [messages, isGroup, open],
  );
  const counts = useMemo(() => replyCounts(messages ?? []), [messages]);
  const rootId = here.thread;
  const thread = useMemo(() => {
    if (rootId === undefined || messages === undefined) return undefined;
    const root = messages.find((message) => message.id === rootId);
    return root === undefined ? undefined : { root, replies: repliesTo(messages, rootId) };
  }, [messages, rootId]);

  const reload = topics.reload;
  const unread = current?.unread ?? 0;
  useEffect(() => {
    if (!isGroup || unread === 0) return undefined;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      api.call('topics.markRead', { conversationId, topic: open }).then(reload, () => {
        // The count stays; the next change tries again.
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => {
      document.removeEventListener('visibilitychange', mark);
    };
  }, [api, conversationId, isGroup, open, unread, reload]);

  const openTopic = useCallback(
    (topic: string) => {
      setPlace({ chat: conversationId, topic });
    },
    [conversationId],
  );
  const openThread = useCallback(
    (message: MessageView) => {
      setPlace({ chat: conversationId, topic: open, thread: message.id });
    },
    [conversationId, open],
  );
  const closeThread = useCallback(() => {
    setPlace({ chat: conversationId, topic: open });
  }, [conversationId, open]);
  return {
    list,
    open,
    current,
    shown,
    replyCounts: counts,
    thread,
    dialog,
    openTopic,
    openThread,
    closeThread,
    ask: setDialog,
    reload,
  };
}
