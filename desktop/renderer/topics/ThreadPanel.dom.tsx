import { useEffect, useId, useRef } from 'react';
import type { ConversationId, MessageView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useOpenLayer } from '../components/openLayers.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useApi } from '../kindredContext.dom.js';
import { useConversationFiles } from '../conversation/attachmentDrop.dom.js';
import { Composer } from '../conversation/Composer.dom.js';
import { MessageItem, type MessageActions } from '../conversation/MessageItem.dom.js';

/**
 * A thread beside the chat: its first message, the replies in the order they came, and a
 * composer that posts into the thread (core keeps threads one level deep and in their root's
 * topic). When posting is blocked (a closed topic, a mute) the panel says why instead.
 */
export function ThreadPanel({
  conversationId,
  root,
  replies,
  canModerate,
  canReport,
  online,
  actions,
  blocked,
  onClose,
  onSent,
}: {
  conversationId: ConversationId;
  root: MessageView;
  replies: readonly MessageView[];
  canModerate: boolean;
  canReport: boolean;
  online: boolean;
  actions: MessageActions;
  /** Why no reply can be posted now; undefined when one can. */
  blocked: string | undefined;
  onClose: () => void;
  onSent: () => void;
}) {
  const api = useApi();
  const text = useText();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const files = useConversationFiles(api, conversationId);
  useOpenLayer(true);
  useEffect(() => {
    headingRef.current?.focus();
  }, [root.id]);
  // Replies answer the thread, not one message in it: no quoting inside the panel.
  const threadActions: MessageActions = { ...actions, onReply: () => undefined };
  const item = (message: MessageView) => (
    <MessageItem
      key={message.id}
      message={message}
      isGroup
      canModerate={canModerate}
      canInteract={blocked === undefined}
      canReport={canReport}
      online={online}
      actions={threadActions}
      conversationId={conversationId}
    />
  );
  return (
    <aside
      className="drawer thread-panel"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="drawer-header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          {text('topics.threadHeading')}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label={text('topics.closeThread')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      <ol className="messages thread-root">{item(root)}</ol>
      <p className="thread-count">
        {replies.length === 0
          ? text('topics.noReplies')
          : text('topics.replies', { count: replies.length })}
      </p>
      {replies.length > 0 && (
        <ol className="messages thread-replies" aria-label={text('topics.threadHeading')}>
          {replies.map(item)}
        </ol>
      )}
      {blocked === undefined ? (
        <Composer
          conversationId={conversationId}
          recipient={text('topics.threadComposer')}
          replyTo={undefined}
          onCancelReply={() => undefined}
          onSent={onSent}
          files={files.chosen}
          transfers={files.tracker}
          thread={root.id}
        />
      ) : (
        <p className="composer-blocked" role="status">
          <Icon name="info" />
          {blocked}
        </p>
      )}
    </aside>
  );
}
