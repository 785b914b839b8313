import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useIntl } from 'react-intl';
import type { ConversationId, GroupView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { groupStandingId } from '../shell/ChatList.dom.js';
import { useNavigate, type GroupTab } from '../shell/navigation.dom.js';
import { AboutPanel } from './AboutPanel.dom.js';
import { useMarkOpenGroup } from '../crisis/openGroup.dom.js';
import { roleId } from './groupChoices.dom.js';
import { InvitePanel, RequestsPanel } from './JoiningPanels.dom.js';
import { MembersPanel } from './MembersPanel.dom.js';
import { BannedList } from './BannedList.dom.js';
import { CountBadge, countedLabel } from './ModerationBadge.dom.js';
import { LogPanel, ReportsPanel, WarningsPanel } from './ModerationPanels.dom.js';
import { SchedulePanel } from '../schedules/SchedulePanel.dom.js';

const TAB_LABELS: Readonly<Record<GroupTab, MessageId>> = {
  about: 'groupPage.tab.about',
  members: 'groupMembers.title',
  schedule: 'schedules.tab',
  invite: 'groupPage.tab.invite',
  requests: 'groupJoining.requests',
  reports: 'groups.reports.title',
  log: 'groups.log.title',
  warnings: 'groups.warnings.title',
};

/** Whether we moderate the group now (an owner or moderator still in it). */
export function moderates(group: GroupView): boolean {
  return group.status === 'active' && (group.role === 'owner' || group.role === 'moderator');
}

/** Tabs a member sees; moderators see the ones that change the group too. */
export function visibleTabs(group: GroupView): GroupTab[] {
  return moderates(group)
    ? ['about', 'members', 'schedule', 'invite', 'requests', 'reports', 'log', 'warnings']
    : group.status === 'active'
      ? ['about', 'members', 'schedule', 'log', 'warnings']
      : ['about', 'members', 'log', 'warnings'];
}

/** A group's page: its info, members, invites and, for moderators, requests and reports. */
export function GroupScreen({
  conversationId,
  tab,
}: {
  conversationId: ConversationId;
  tab: GroupTab;
}) {
  const text = useText();
  const intl = useIntl();
  const api = useApi();
  const navigate = useNavigate();
  const revision = useConversationRevision(conversationId);
  useMarkOpenGroup(conversationId);
  const details = useLoad(`details:${conversationId}`, revision, () =>
    api.call('groups.details', { conversationId }),
  );
  const group = details.data;
  const standingId = group === undefined ? undefined : groupStandingId(group.status);

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{group?.name ?? text('groupPage.group')}</h1>
        {group !== undefined && (
          <p className="lead">
            {intl.formatMessage(
              { id: 'groupPage.appearAs' },
              { pseudonym: <strong key="pseudonym">{group.persona.pseudonym}</strong> },
            )}
            {group.role !== undefined
              ? text('groups.row.part', { part: text(roleId(group.role)) })
              : ''}
            {standingId !== undefined ? text('groups.row.part', { part: text(standingId) }) : ''}
          </p>
        )}
        <div className="screen-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              navigate({ kind: 'conversation', id: conversationId });
            }}
          >
            <Icon name="chat" />
            {text('groupPage.backToChat')}
          </button>
        </div>
      </header>
      <ErrorText error={details.error} />
      {group !== undefined && (
        <GroupPanels
          group={group}
          tabs={visibleTabs(group)}
          initialTab={tab}
          onGroupChanged={details.reload}
        />
      )}
    </div>
  );
}

/** The tab list (arrows move between tabs, as the tabs pattern asks) and the chosen panel. */
export function GroupPanels({
  group,
  tabs,
  initialTab,
  onGroupChanged,
}: {
  group: GroupView;
  tabs: readonly GroupTab[];
  initialTab: GroupTab;
  onGroupChanged: () => void;
}) {
  const text = useText();
  const id = useId();
  const [chosen, setChosen] = useState<GroupTab>(initialTab);
  const tab = tabs.includes(chosen) ? chosen : (tabs[0] ?? 'about');
  const tabRefs = useRef(new Map<GroupTab, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.indexOf(tab);
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = (index + 1) % tabs.length;
        break;
      case 'ArrowLeft':
        next = (index - 1 + tabs.length) % tabs.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = tabs.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const target = tabs[next];
    if (target === undefined) return;
    setChosen(target);
    tabRefs.current.get(target)?.focus();
  };

  const count = (which: GroupTab) => {
    if (which === 'requests') return <CountBadge count={group.requests} />;
    if (which === 'reports') return <CountBadge count={group.openReports} />;
    if (which === 'warnings' && group.warnings > 0) {
      return text('groupPage.tabCount', { count: group.warnings });
    }
    return null;
  };
  const tabName = (which: GroupTab): string | undefined => {
    if (which === 'requests') {
      return countedLabel(text, text(TAB_LABELS[which]), group.requests, 'pending');
    }
    if (which === 'reports') {
      return countedLabel(text, text(TAB_LABELS[which]), group.openReports, 'open');
    }
    return undefined;
  };

  let panel;
  switch (tab) {
    case 'about':
      panel = <AboutPanel group={group} onChanged={onGroupChanged} />;
      break;
    case 'members':
      panel = (
        <>
          <MembersPanel group={group} />
          {moderates(group) && <BannedList group={group} />}
        </>
      );
      break;
    case 'schedule':
      panel = <SchedulePanel group={group} />;
      break;
    case 'invite':
      panel = <InvitePanel group={group} />;
      break;
    case 'requests':
      panel = <RequestsPanel group={group} />;
      break;
    case 'reports':
      panel = <ReportsPanel group={group} />;
      break;
    case 'log':
      panel = <LogPanel group={group} />;
      break;
    case 'warnings':
      panel = <WarningsPanel group={group} />;
      break;
  }

  return (
    <div className="tabs">
      <div
        role="tablist"
        aria-label={text('groupPage.sections', { name: group.name })}
        className="tab-list"
        onKeyDown={onKeyDown}
      >
        {tabs.map((which) => (
          <button
            key={which}
            ref={(element) => {
              if (element === null) tabRefs.current.delete(which);
              else tabRefs.current.set(which, element);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${which}`}
            aria-selected={which === tab}
            aria-label={tabName(which)}
            aria-controls={`${id}-panel`}
            tabIndex={which === tab ? 0 : -1}
            className={which === tab ? 'tab tab-selected' : 'tab'}
            onClick={() => {
              setChosen(which);
            }}
          >
            {text(TAB_LABELS[which])}
            {count(which)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-tab-${tab}`}
        className="tab-panel"
        tabIndex={0}
      >
        {panel}
      </div>
    </div>
  );
}
