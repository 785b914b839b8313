import { useEffect, useId, useRef } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useOpenLayer } from '../components/openLayers.dom.js';
import { formatDuration } from '../formatting.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/** The group's description and rules beside the chat, so they are always at hand. */
export function GroupAboutDrawer({
  id,
  group,
  pseudonym,
  onClose,
}: {
  id: string;
  group: GroupView | undefined;
  pseudonym: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const moderates = group?.role === 'owner' || group?.role === 'moderator';
  useOpenLayer(true);

  return (
    <aside
      id={id}
      className="drawer"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="drawer-header">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          Rules and info
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close rules and info"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      {group === undefined ? (
        <p className="hint">Loading…</p>
      ) : (
        <div className="drawer-body">
          {group.description !== '' && (
            <section>
              <h3>About</h3>
              <p className="prewrap">{group.description}</p>
            </section>
          )}
          <section>
            <h3>Rules</h3>
            {group.rules === '' ? (
              <p className="hint">This group has no written rules yet. Be kind.</p>
            ) : (
              <p className="prewrap rules-text">{group.rules}</p>
            )}
          </section>
          <section>
            <h3>How it runs</h3>
            <ul className="plain-list">
              <li>
                You appear here as <strong>{pseudonym}</strong>. Nobody here can see your other
                personas.
              </li>
              <li>
                {group.policy.joinByApproval
                  ? 'A moderator approves each new member.'
                  : 'Anyone with an invite link can join.'}
              </li>
              <li>
                {group.policy.slowModeSeconds > 0
                  ? `Slow mode: members post at most once every ${formatDuration(group.policy.slowModeSeconds)}.`
                  : 'No slow mode.'}
              </li>
              <li>
                {group.policy.posting === 'moderators'
                  ? 'Only moderators can post.'
                  : 'Every member can post.'}
              </li>
            </ul>
          </section>
          <div className="drawer-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                navigate({ kind: 'group', id: group.conversationId, tab: 'log' });
              }}
            >
              Moderation log
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                navigate({ kind: 'group', id: group.conversationId, tab: 'about' });
              }}
            >
              {moderates ? 'Group settings' : 'Group page'}
            </button>
          </div>
        </div>
      )}
    </aside>
  );
}
