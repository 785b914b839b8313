import type { TopicView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { topicName } from './topicMessages.dom.js';

/** What can be done to topics from the bar (create: moderators, or members the policy lets). */
export type TopicAction = 'create' | 'rename' | 'close' | 'reopen';

/** A badge's count past 99. */
const MANY = '99+';

/**
 * The group's topics above its messages, General first, each with its unread count and a
 * "Closed" mark; the open one is `aria-current`. Moderators get Rename and Close or Reopen for
 * the open topic (not General); New topic shows for whoever may create one (`canCreate`:
 * moderators, and members when the group's policy lets them).
 */
export function TopicBar({
  group,
  topics,
  open,
  canModerate,
  canCreate,
  onOpen,
  onAction,
}: {
  group: string;
  topics: readonly TopicView[];
  open: string;
  canModerate: boolean;
  canCreate: boolean;
  onOpen: (topic: string) => void;
  onAction: (action: TopicAction) => void;
}) {
  const text = useText();
  const current = topics.find((topic) => topic.id === open);
  return (
    <nav className="topic-bar" aria-label={text('topics.listLabel', { group })}>
      <ul className="topic-list">
        {topics.map((topic) => {
          const name = topicName(text, topic);
          return (
            <li key={topic.id === '' ? 'general' : topic.id}>
              <button
                type="button"
                className={topic.id === open ? 'topic-tab topic-tab-open' : 'topic-tab'}
                aria-current={topic.id === open ? 'page' : undefined}
                data-topic={topic.id}
                onClick={() => {
                  onOpen(topic.id);
                }}
              >
                {topic.closed && <Icon name="lock" />}
                <span className="topic-name" dir="auto">
                  {name}
                </span>
                {topic.closed && (
                  <span className="visually-hidden">{text('topics.closedMark')}</span>
                )}
                {topic.unread > 0 && (
                  <span
                    className="badge"
                    aria-label={text('topics.unread', { count: topic.unread })}
                  >
                    {topic.unread > 99 ? MANY : topic.unread}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      {(canModerate || canCreate) && (
        <div className="topic-tools">
          {canModerate && current !== undefined && !current.general && (
            <>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  onAction('rename');
                }}
              >
                {text('topics.rename')}
              </button>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  onAction(current.closed ? 'reopen' : 'close');
                }}
              >
                {current.closed ? text('topics.reopen') : text('topics.close')}
              </button>
            </>
          )}
          {canCreate && (
            <button
              type="button"
              className="button"
              onClick={() => {
                onAction('create');
              }}
            >
              <Icon name="plus" />
              {text('topics.new')}
            </button>
          )}
        </div>
      )}
    </nav>
  );
}
