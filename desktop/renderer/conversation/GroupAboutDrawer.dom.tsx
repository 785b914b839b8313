import { GroupResourceList } from '../crisis/GroupResources.dom.js';
import { useEffect, useId, useRef } from 'react';
import { useIntl } from 'react-intl';
import type { GroupView } from '../../shared/api.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useOpenLayer } from '../components/openLayers.dom.js';
import { useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/** The group's description and rules beside the chat, so they are always at hand. */
export function GroupAboutDrawer({
  id,
  group,
  pseudonym,
  onClose,
  onNewTopic,
}: {
  id: string;
  group: GroupView | undefined;
  pseudonym: string;
  onClose: () => void;
  /** A moderator's first topic (once there are topics, the topic bar offers New topic). */
  onNewTopic?: (() => void) | undefined;
}) {
  const navigate = useNavigate();
  const text = useText();
  const intl = useIntl();
  const formatting = useFormatting();
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
          {text('conversation.rulesAndInfo')}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label={text('groupAbout.close')}
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      {group === undefined ? (
        <p className="hint">{text('groupAbout.loading')}</p>
      ) : (
        <div className="drawer-body">
          {group.description !== '' && (
            <section>
              <h3>{text('groupAbout.about')}</h3>
              <p className="prewrap">{group.description}</p>
            </section>
          )}
          <section>
            <h3>{text('groups.about.rules')}</h3>
            {group.rules === '' ? (
              <p className="hint">{text('groupAbout.noRules')}</p>
            ) : (
              <p className="prewrap rules-text">{group.rules}</p>
            )}
          </section>
          <GroupResourceList conversationId={group.conversationId} place="about" />
          <section>
            <h3>{text('groups.about.howItRuns')}</h3>
            <ul className="plain-list">
              <li>
                {intl.formatMessage(
                  { id: 'groupAbout.appearAs' },
                  { pseudonym: <strong key="pseudonym">{pseudonym}</strong> },
                )}
              </li>
              <li>
                {group.policy.joinByApproval
                  ? text('groups.about.byApproval')
                  : text('groups.about.byLink')}
              </li>
              <li>
                {group.policy.slowModeSeconds > 0
                  ? text('groupAbout.slowMode', {
                      duration: formatting.duration(group.policy.slowModeSeconds),
                    })
                  : text('groupAbout.noSlowMode')}
              </li>
              <li>
                {group.policy.posting === 'moderators'
                  ? text('groups.about.moderatorsPost')
                  : text('groups.about.everyonePosts')}
              </li>
            </ul>
          </section>
          <div className="drawer-actions">
            {group.status === 'active' && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  navigate({ kind: 'group', id: group.conversationId, tab: 'schedule' });
                }}
              >
                {text('schedules.tab')}
              </button>
            )}
            <button
              type="button"
              className="button"
              onClick={() => {
                navigate({ kind: 'group', id: group.conversationId, tab: 'log' });
              }}
            >
              {text('groups.log.title')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                navigate({ kind: 'group', id: group.conversationId, tab: 'about' });
              }}
            >
              {moderates ? text('groupAbout.groupSettings') : text('groupAbout.groupPage')}
            </button>
            {onNewTopic !== undefined && (
              <button type="button" className="button" onClick={onNewTopic}>
                {text('topics.new')}
              </button>
            )}
          </div>
        </div>
      )}
    </aside>
  );
}
